// DposEngine on hand-built chains of signed blocks: who may produce, the header proof, the
// two-stage LIB and fork choice on a fork, the schedule's three stages driven by votes, and
// determinism. The LIB vectors themselves are in dpos-header-state-test.cc.
#include "model/consensus/baselines/dpos-engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <tuple>

namespace canon
{
namespace
{

// A chain under DposEngine, built block by block as the seam's chain would: CheckProducer,
// Apply, WeightOf, LibOf. Producer keys are sorted, so keys[i] is the i-th name.
struct DposTestChain
{
    DposTestChain(uint32_t genesisProducers, uint32_t members, const DposParams& dpos)
    {
        for (uint32_t i = 0; i < std::max(genesisProducers, members); ++i)
        {
            keys.push_back(KeyPair::FromSeed(Blake2b256("dpos-engine/" + std::to_string(i))));
        }
        std::sort(keys.begin(), keys.end(),
                  [](const KeyPair& a, const KeyPair& b) { return a.Public() < b.Public(); });
        for (uint32_t i = 0; i < keys.size(); ++i)
        {
            if (i < genesisProducers)
            {
                params.producers.push_back(keys[i].Public());
            }
            if (i < members)
            {
                params.consensus.members.push_back(keys[i].Public());
            }
        }
        std::vector<Address> investors;
        for (uint32_t i = 0; i < 4; ++i)
        {
            voters.push_back(KeyPair::FromSeed(Blake2b256("dpos-voter/" + std::to_string(i))));
            investors.push_back(voters.back().GetAddress());
        }
        params.genesis = MakeGenesisAllocation(investors, Address{}, Address{1});
        params.slotDuration = 500 * kMillisecond;
        params.consensus.protocol = Protocol::kDpos;
        params.consensus.dpos = dpos;
        engine = std::make_unique<DposEngine>(params);
        ledger = LedgerState::FromGenesis(params);
        auto g = std::make_unique<BlockEntry>();
        g->hash = params.GenesisHash();
        g->consensus = engine->GenesisState(params, ledger);
        g->lib = g.get();
        entries.push_back(std::move(g));
    }

    const BlockEntry& Genesis() const { return *entries.front(); }

    const KeyPair& KeyOf(const PublicKey& pk) const
    {
        return *std::find_if(keys.begin(), keys.end(),
                             [&](const KeyPair& k) { return k.Public() == pk; });
    }

    BlockPtr MakeBlock(const BlockEntry& parent, uint64_t slot, const KeyPair& key,
                       Bytes proof) const
    {
        auto b = std::make_shared<Block>();
        b->header.height = parent.height + 1;
        b->header.slot = slot;
        b->header.parent = parent.hash;
        b->header.timestamp = params.SlotStart(slot);
        b->header.proof = std::move(proof);
        b->header.txRoot = b->ComputeTxRoot();
        b->header.SignWith(key);
        return b;
    }

    // The scheduled producer of `slot` on `parent`.
    const KeyPair& Scheduled(const BlockEntry& parent, uint64_t slot) const
    {
        const DposSchedule& s = *DposStateOf(parent).header.active;
        return KeyOf(s.producers[DposScheduledIndex(s, slot, engine->Params().repetitions)]);
    }

    // Checks and inserts; on rejection returns nullptr and the status in `status`.
    const BlockEntry* Add(const BlockEntry& parent, BlockPtr block, Status* status = nullptr,
                          ConsensusEffects* effects = nullptr)
    {
        Status s = engine->CheckProducer(parent, block->header);
        if (status)
        {
            *status = s;
        }
        if (!s.IsOk())
        {
            return nullptr;
        }
        auto e = std::make_unique<BlockEntry>();
        e->block = block;
        e->hash = block->Hash();
        e->height = block->header.height;
        e->slot = block->header.slot;
        e->parent = &parent;
        e->producer = block->header.producer;
        LedgerState state = ledger;
        ConsensusEffects ignored;
        e->consensus = engine->Apply(*e, state, effects ? *effects : ignored);
        e->weight = engine->WeightOf(*e);
        e->lib = engine->LibOf(*e);
        entries.push_back(std::move(e));
        return entries.back().get();
    }

    // The honest producer of `slot` builds on `parent`, confirming by its watermark.
    const BlockEntry* Produce(const BlockEntry& parent, uint64_t slot,
                              ConsensusEffects* effects = nullptr)
    {
        const KeyPair& key = Scheduled(parent, slot);
        ProducerMemory& m = memory[key.Public()];
        BlockPtr b = MakeBlock(parent, slot, key, engine->MakeProof(parent, key, slot, m));
        Status s;
        const BlockEntry* e = Add(parent, b, &s, effects);
        EXPECT_TRUE(s.IsOk()) << s.ToString();
        m.lastSignedSlot = slot;
        m.lastSignedHeight = b->header.height;
        return e;
    }

    ChainParams params;
    std::vector<KeyPair> keys;
    std::vector<KeyPair> voters;
    std::unique_ptr<DposEngine> engine;
    LedgerState ledger;
    std::vector<std::unique_ptr<BlockEntry>> entries;
    std::map<PublicKey, ProducerMemory> memory;
};

DposParams
Dpos(uint32_t producers, uint32_t repetitions)
{
    DposParams p;
    p.producers = producers;
    p.repetitions = repetitions;
    return p;
}

TEST(ConsensusDpos, CheckProducerAcceptsTheScheduledProducerAndNamesItOtherwise)
{
    DposTestChain tc(4, 4, Dpos(4, 12));
    const BlockEntry& g = tc.Genesis();
    // Slots 1..11 are the first name's, 12..23 the second's.
    EXPECT_TRUE(
        tc.engine->CheckProducer(g, tc.MakeBlock(g, 11, tc.keys[0], EncodeDposProof(0))->header)
            .IsOk());
    EXPECT_TRUE(
        tc.engine->CheckProducer(g, tc.MakeBlock(g, 12, tc.keys[1], EncodeDposProof(0))->header)
            .IsOk());
    Status wrong =
        tc.engine->CheckProducer(g, tc.MakeBlock(g, 5, tc.keys[1], EncodeDposProof(0))->header);
    EXPECT_EQ(wrong.Code(), StatusCode::kInvalid);
    EXPECT_EQ(wrong.Message(), "dpos: slot 5 belongs to " + ShortHex(tc.keys[0].Public()) +
                                   " (place 0 of 4 in schedule version 0), not to " +
                                   ShortHex(tc.keys[1].Public()));
    Status malformed =
        tc.engine->CheckProducer(g, tc.MakeBlock(g, 5, tc.keys[0], Bytes{1, 0, 0})->header);
    EXPECT_EQ(malformed.Code(), StatusCode::kMalformed);
    EXPECT_NE(malformed.Message().find("got 3"), std::string::npos) << malformed.Message();
    const BlockEntry* b1 = tc.Produce(g, 5);
    Status early =
        tc.engine->CheckProducer(*b1, tc.MakeBlock(*b1, 5, tc.keys[0], EncodeDposProof(0))->header);
    EXPECT_EQ(early.Code(), StatusCode::kInvalid);
    EXPECT_NE(early.Message().find("not later than its parent's slot 5"), std::string::npos);
    // The same producer's next block may not confirm its own previous one.
    Status twice =
        tc.engine->CheckProducer(*b1, tc.MakeBlock(*b1, 6, tc.keys[0], EncodeDposProof(1))->header);
    EXPECT_EQ(twice.Code(), StatusCode::kInvalid);
    EXPECT_NE(twice.Message().find("double-confirms"), std::string::npos) << twice.Message();
}

TEST(ConsensusDpos, MakeProofConfirmsBackToTheWatermarkAndStaysValidWithoutOne)
{
    DposTestChain tc(3, 3, Dpos(3, 1));
    const BlockEntry* tip = &tc.Genesis();
    for (uint64_t slot = 1; slot <= 9; ++slot)
    {
        tip = tc.Produce(*tip, slot); // slot t is keys[t mod 3]
    }
    const DposHeaderState& head = DposStateOf(*tip).header;
    ASSERT_EQ(head.lib, 4u);
    const KeyPair& next = tc.Scheduled(*tip, 10); // keys[1]: its last block is 7
    auto confirmed = [&](ProducerMemory m)
    { return DecodeDposProof(tc.engine->MakeProof(*tip, next, 10, m)).Value(); };
    EXPECT_EQ(confirmed({7, 7}), 2u) << "blocks 8 and 9, after its watermark";
    EXPECT_EQ(confirmed({12, 11}), 0u) << "signed higher on another branch";
    EXPECT_EQ(confirmed({7, 0}), 0u) << "signed before, height forgotten: no watermark";
    EXPECT_EQ(confirmed({0, 0}), 2u) << "never signed: genesis, but not back to block 7";
    EXPECT_EQ(confirmed({5, 5}), 2u) << "a stale watermark is capped at its own block";
    const BlockPtr b = tc.MakeBlock(*tip, 10, next, tc.engine->MakeProof(*tip, next, 10, {5, 5}));
    EXPECT_TRUE(tc.engine->CheckProducer(*tip, b->header).IsOk());
}

TEST(ConsensusDpos, ProofIsTwoBytesLittleEndianAndEverythingElseIsMalformed)
{
    for (uint64_t c = 0; c <= kDposConfirmedMax; ++c)
    {
        Result<uint64_t> r = DecodeDposProof(EncodeDposProof(c));
        ASSERT_TRUE(r.IsOk());
        ASSERT_EQ(r.Value(), c);
    }
    EXPECT_EQ(EncodeDposProof(0x1234), (Bytes{0x34, 0x12}));
    for (std::size_t size = 0; size <= kBlockProofMax + 2; ++size)
    {
        if (size == kDposProofSize)
        {
            continue;
        }
        Result<uint64_t> r = DecodeDposProof(Bytes(size, 0xff));
        EXPECT_EQ(r.GetStatus().Code(), StatusCode::kMalformed);
        EXPECT_NE(r.GetStatus().Message().find("got " + std::to_string(size)), std::string::npos);
    }
}

TEST(ConsensusDpos, NextProductionSlotGivesEachProducerTwelveConsecutiveSlots)
{
    DposTestChain tc(21, 21, Dpos(21, 12));
    const BlockEntry& g = tc.Genesis();
    const DposSchedule& s = *tc.engine->GenesisSchedule();
    // Horizon 1, slot by slot: exactly one producer may produce each slot, in turns of 12.
    for (uint64_t slot = 1; slot < 3 * 252; ++slot)
    {
        uint32_t owners = 0;
        for (uint32_t i = 0; i < 21; ++i)
        {
            if (tc.engine->NextProductionSlot(g, tc.keys[i].Public(), slot, 1) == slot)
            {
                ++owners;
                EXPECT_EQ(i, (slot % 252) / 12) << "slot " << slot;
                EXPECT_EQ(s.producers[i], tc.keys[i].Public());
            }
        }
        EXPECT_EQ(owners, 1u) << "slot " << slot;
    }
    // Longer horizons agree with a slot-by-slot search.
    for (uint32_t i : {0u, 7u, 20u})
    {
        for (uint64_t from : {1u, 11u, 12u, 100u, 251u, 252u, 600u})
        {
            for (uint64_t horizon : {1u, 5u, 13u, 300u})
            {
                std::optional<uint64_t> brute;
                for (uint64_t t = from; t < from + horizon && !brute; ++t)
                {
                    if ((t % 252) / 12 == i)
                    {
                        brute = t;
                    }
                }
                EXPECT_EQ(tc.engine->NextProductionSlot(g, tc.keys[i].Public(), from, horizon),
                          brute)
                    << "producer " << i << " from " << from << " horizon " << horizon;
            }
        }
    }
    const KeyPair outsider = KeyPair::FromSeed(Blake2b256(std::string("not a producer")));
    EXPECT_FALSE(tc.engine->NextProductionSlot(g, outsider.Public(), 1, 1000));
}

TEST(ConsensusDpos, HonestNetworkOfTwentyOneMakesTwelveBlockTurnsAndLibLagsAsInEosio)
{
    DposTestChain tc(21, 21, Dpos(21, 12));
    const BlockEntry* tip = &tc.Genesis();
    std::vector<uint32_t> runs;
    uint32_t last = UINT32_MAX;
    uint64_t lagMin = UINT64_MAX, lagMax = 0;
    for (uint64_t slot = 1; slot <= 4 * 252; ++slot)
    {
        tip = tc.Produce(*tip, slot);
        const uint32_t who = tc.engine->ProducerIndex(*tip->parent, tip->block->header);
        if (who != last)
        {
            runs.push_back(0);
            last = who;
        }
        ++runs.back();
        if (slot > 600)
        {
            lagMin = std::min(lagMin, tip->height - tip->lib->height);
            lagMax = std::max(lagMax, tip->height - tip->lib->height);
        }
    }
    EXPECT_EQ(std::count(runs.begin() + 1, runs.end() - 1, 12u),
              static_cast<std::ptrdiff_t>(runs.size() - 2));
    EXPECT_EQ(lagMin, 325u);
    EXPECT_EQ(lagMax, 336u);
    EXPECT_EQ(tip->lib->height, 683u) << "V4: block 1008 has LIB 683";
    EXPECT_EQ(tip->lib, BlockTree::AncestorAt(tip, 683));
}

// V2 through the engine: A's 7a and B's 7b fork at 6 (n = 3, reps = 1).
TEST(ConsensusDpos, ForkChoicePrefersTheHigherLibOverTheLongerBranch)
{
    DposTestChain tc(3, 3, Dpos(3, 1));
    std::map<std::string, const BlockEntry*> at{{"g", &tc.Genesis()}};
    // (parent, slot, confirmed, label), as in NOTES 1.7 V2a (the genesis state is at slot 0
    // here, not 2: the producer of slot t is still keys[t mod 3]).
    const std::vector<std::tuple<std::string, uint64_t, uint64_t, std::string>> steps = {
        {"g", 3, 0, "1"},      {"1", 4, 1, "2"},     {"2", 5, 2, "3"},     {"3", 6, 2, "4"},
        {"4", 7, 2, "5"},      {"5", 8, 2, "6"},     {"6", 9, 2, "7a"},    {"6", 10, 1, "7b"},
        {"7b", 11, 1, "8c"},   {"8c", 12, 1, "9a"},  {"9a", 13, 2, "10b"}, {"10b", 14, 2, "11c"},
        {"11c", 15, 2, "12a"}, {"12a", 16, 2, "13b"}};
    for (const auto& [parent, slot, confirmed, label] : steps)
    {
        const BlockEntry& p = *at.at(parent);
        at[label] =
            tc.Add(p, tc.MakeBlock(p, slot, tc.Scheduled(p, slot), EncodeDposProof(confirmed)));
        ASSERT_NE(at[label], nullptr) << label;
    }
    EXPECT_EQ(at["7a"]->weight, (ForkWeight{2, 7}));
    EXPECT_EQ(at["8c"]->weight, (ForkWeight{1, 8}));
    EXPECT_TRUE(at["7a"]->weight > at["8c"]->weight) << "LIB first: 7a beats the longer 8c";
    EXPECT_TRUE(at["9a"]->weight > at["7a"]->weight) << "9a's LIB is 4";
    EXPECT_EQ(at["13b"]->lib, at["8c"]) << "LIB 8 on 13b's branch is C's block 8c";
    EXPECT_EQ(at["12a"]->lib, at["4"]);
    EXPECT_EQ(DposStateOf(*at["10b"]).header.plib, 8u);
}

// Votes for A, B, C and E replace D (n = 4, reps = 1): the tally at slot 121 proposes; the
// block whose LIB reaches the proposing block makes the schedule pending; the block whose LIB
// reaches that one makes it active.
struct ScheduleChange
{
    std::vector<const BlockEntry*> chain; // by height
    const BlockEntry* proposing = nullptr;
    const BlockEntry* pending = nullptr;
    const BlockEntry* activating = nullptr;
    std::shared_ptr<const ElectionOutcome> election;
    std::shared_ptr<const std::vector<PublicKey>> activated;
};

ScheduleChange
RunScheduleChange(DposTestChain& tc, uint64_t slots)
{
    PopState& pop = tc.ledger.MutablePop();
    const auto& k = tc.keys;
    // E gets two voters' stake; A, B, C and D one each (equal stakes): the tie for the other
    // three places goes to the lower names A, B, C.
    pop.votes[tc.voters[0].GetAddress()] = {AddressOf(k[4].Public()), AddressOf(k[0].Public()),
                                            AddressOf(k[1].Public()), AddressOf(k[2].Public())};
    pop.votes[tc.voters[1].GetAddress()] = {AddressOf(k[3].Public())};
    pop.votes[tc.voters[2].GetAddress()] = {AddressOf(k[4].Public())};
    ScheduleChange out;
    const BlockEntry* tip = &tc.Genesis();
    for (uint64_t slot = 1; slot <= slots; ++slot)
    {
        ConsensusEffects fx;
        tip = tc.Produce(*tip, slot, &fx);
        out.chain.push_back(tip);
        const DposState& s = DposStateOf(*tip);
        if (fx.election)
        {
            EXPECT_EQ(out.election, nullptr) << "one proposal only";
            out.election = fx.election;
            out.proposing = tip;
        }
        if (s.header.pending && !DposStateOf(*tip->parent).header.pending)
        {
            out.pending = tip;
        }
        if (fx.activatedSet)
        {
            out.activated = fx.activatedSet;
            out.activating = tip;
        }
    }
    return out;
}

TEST(ConsensusDpos, ScheduleChangesOnlyOnceTheProposingBlockIsIrreversible)
{
    DposTestChain tc(4, 5, Dpos(4, 1));
    const ScheduleChange r = RunScheduleChange(tc, 160);
    ASSERT_NE(r.proposing, nullptr);
    ASSERT_NE(r.pending, nullptr);
    ASSERT_NE(r.activating, nullptr);
    const auto& k = tc.keys;
    const std::vector<PublicKey> next = {k[0].Public(), k[1].Public(), k[2].Public(),
                                         k[4].Public()};
    EXPECT_EQ(r.proposing->slot, 121u) << "first block more than 120 slots after genesis";
    EXPECT_EQ(r.election->trigger, "dpos-vote-tally");
    EXPECT_EQ(r.election->height, r.proposing->height);
    EXPECT_EQ(r.election->elected, next);
    EXPECT_EQ(r.election->candidates.size(), 5u);
    // Stage 2: the first block whose LIB reaches the proposing block (LIB lags 5 here).
    EXPECT_EQ(r.pending->lib->height, r.proposing->height);
    EXPECT_LT(r.pending->parent->lib->height, r.proposing->height);
    // Stage 3: the first block whose LIB reaches the pending block.
    EXPECT_EQ(r.activating->lib->height, r.pending->height);
    EXPECT_EQ(*r.activated, next);
    EXPECT_EQ(DposStateOf(*r.activating).header.active->version, 1u);
    for (const BlockEntry* e : r.chain)
    {
        const bool newSchedule = e->height > r.activating->height;
        EXPECT_EQ(DposStateOf(*e->parent).header.active->version, newSchedule ? 1u : 0u);
        // D (k[3]) produces only under the old schedule, E (k[4]) only under the new one.
        if (e->producer == k[3].Public())
        {
            EXPECT_FALSE(newSchedule) << "height " << e->height;
        }
        if (e->producer == k[4].Public())
        {
            EXPECT_TRUE(newSchedule) << "height " << e->height;
        }
    }
    EXPECT_TRUE(std::any_of(r.chain.begin(), r.chain.end(),
                            [&](const BlockEntry* e) { return e->producer == k[4].Public(); }));
}

TEST(ConsensusDpos, NoProposalForTheSameScheduleOrForFewerProducers)
{
    DposTestChain tc(4, 5, Dpos(4, 1));
    PopState& pop = tc.ledger.MutablePop();
    // Three candidates with votes: fewer than the four of the genesis schedule.
    pop.votes[tc.voters[0].GetAddress()] = {AddressOf(tc.keys[0].Public()),
                                            AddressOf(tc.keys[1].Public()),
                                            AddressOf(tc.keys[4].Public())};
    const BlockEntry* tip = &tc.Genesis();
    for (uint64_t slot = 1; slot <= 130; ++slot)
    {
        ConsensusEffects fx;
        tip = tc.Produce(*tip, slot, &fx);
        EXPECT_EQ(fx.election, nullptr) << "slot " << slot;
    }
    EXPECT_EQ(DposStateOf(*tip).lastTallySlot, 121u) << "the tally ran";
    // The genesis producers themselves: the schedule would not change.
    pop.votes[tc.voters[0].GetAddress()] = {
        AddressOf(tc.keys[0].Public()), AddressOf(tc.keys[1].Public()),
        AddressOf(tc.keys[2].Public()), AddressOf(tc.keys[3].Public())};
    for (uint64_t slot = 131; slot <= 260; ++slot)
    {
        ConsensusEffects fx;
        tip = tc.Produce(*tip, slot, &fx);
        EXPECT_EQ(fx.election, nullptr) << "slot " << slot;
    }
    EXPECT_EQ(DposStateOf(*tip).lastTallySlot, 242u);
}

TEST(ConsensusDpos, TallyWeighsStakeAndCountsOnlyTheFirstVotesMaxCandidates)
{
    DposTestChain tc(4, 5, Dpos(4, 1));
    PopState& pop = tc.ledger.MutablePop();
    const auto addr = [&](int i)
    { return AddressOf(tc.keys[static_cast<std::size_t>(i)].Public()); };
    pop.votes[tc.voters[0].GetAddress()] = {addr(4), addr(0), addr(1)};
    pop.votes[tc.voters[1].GetAddress()] = {addr(0), tc.voters[2].GetAddress()}; // a non-member
    DposCandidates candidates(tc.params.consensus.members);
    const uint64_t stake0 = tc.ledger.BalanceOf(tc.voters[0].GetAddress());
    const uint64_t stake1 = tc.ledger.BalanceOf(tc.voters[1].GetAddress());
    ASSERT_GT(stake0, 0u);
    const std::vector<uint64_t> two = DposTallyVotes(tc.ledger, candidates, 2);
    EXPECT_EQ(two, (std::vector<uint64_t>{stake0 + stake1, 0, 0, 0, stake0}));
    const std::vector<uint64_t> all = DposTallyVotes(tc.ledger, candidates, 30);
    EXPECT_EQ(all, (std::vector<uint64_t>{stake0 + stake1, stake0, 0, 0, stake0}));
    // Top 2: candidate 0, then the tie between 1 and 4 goes to the lower name (1).
    EXPECT_EQ(DposTopProducers(candidates, all, 2),
              (std::vector<PublicKey>{tc.keys[0].Public(), tc.keys[1].Public()}));
}

TEST(ConsensusDpos, ProducerIndexIsThePlaceAmongMembersThenGenesisProducers)
{
    DposTestChain tc(4, 0, Dpos(4, 1));
    tc.params.consensus.members = {tc.keys[2].Public(), tc.keys[0].Public()};
    DposEngine engine(tc.params);
    const BlockEntry& g = tc.Genesis();
    auto index = [&](std::size_t key) {
        return engine.ProducerIndex(g,
                                    tc.MakeBlock(g, 1, tc.keys[key], EncodeDposProof(0))->header);
    };
    EXPECT_EQ(index(2), 0u);
    EXPECT_EQ(index(0), 1u);
    EXPECT_EQ(index(1), 2u);
    EXPECT_EQ(index(3), 3u);
    const KeyPair outsider = KeyPair::FromSeed(Blake2b256(std::string("not a producer")));
    EXPECT_EQ(engine.ProducerIndex(g, tc.MakeBlock(g, 1, outsider, EncodeDposProof(0))->header), 4u)
        << "any header may be asked about before validation";
    // Slot 1 of the genesis schedule (reps = 1) is the second name's: keys[1], place 2.
    EXPECT_EQ(engine.ScheduledProducerIndex(g, 1), 2u);
    EXPECT_EQ(engine.ScheduledProducerIndex(g, 2), 0u);
}

TEST(ConsensusDpos, SameChainGivesTheSameStatesEveryTime)
{
    auto run = []
    {
        DposTestChain tc(4, 5, Dpos(4, 1));
        const ScheduleChange r = RunScheduleChange(tc, 150);
        std::vector<std::tuple<Hash256, uint64_t, uint64_t, uint32_t, ForkWeight>> trace;
        for (const BlockEntry* e : r.chain)
        {
            const DposHeaderState& h = DposStateOf(*e).header;
            trace.emplace_back(e->hash, h.plib, h.lib, h.active->version, e->weight);
        }
        return trace;
    };
    const auto a = run();
    const auto b = run();
    ASSERT_EQ(a.size(), 150u);
    EXPECT_TRUE(a == b);
}

} // namespace
} // namespace canon
