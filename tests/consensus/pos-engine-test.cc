// PosEngine on hand-built chains (pos-test-chain.h): who may produce and how a proof is rejected,
// the threshold of the producer's own stake from the epoch's snapshot, the two-epoch snapshot lag
// and the nonce rules at epoch boundaries, fork weight and k-deep finality, determinism.
//
// Defaults of the fixture: members with 1, 2, 3 and 4 CZR, f = 0.5, epochs of 30 slots, k = 3,
// so the stability window is min(3k/f, 30/3) = 10 slots: the candidate nonce takes in blocks of
// slots 0-19 of each epoch and is frozen in slots 20-29.
#include "model/core/rng.h"
#include "tests/consensus/pos-test-chain.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace canon
{
namespace
{

using test::PosChainConfig;
using test::PosTestChain;

void
ExpectRejected(const Result<const BlockEntry*>& r, const std::string& reason)
{
    ASSERT_FALSE(r.IsOk()) << "accepted, expected: " << reason;
    EXPECT_NE(r.GetStatus().Message().find(reason), std::string::npos)
        << "expected '" << reason << "', got: " << r.GetStatus().ToString();
}

Bytes
ToBytes(const Signature& s)
{
    return Bytes(s.begin(), s.end());
}

// The leader value member `m` would have in `slot` on `parent`.
uint64_t
ValueOf(const PosTestChain& c, const BlockEntry& parent, uint32_t m, uint64_t slot)
{
    EpochView v = c.engine->ViewFor(parent, slot);
    return LeaderValue(LeaderOutput(MakeLeaderProof(c.keys[m], v.nonce, slot)));
}

// The first slot from `from` in which member `m`'s value on `parent` lies in [lo, hi).
uint64_t
SlotWithValueIn(const PosTestChain& c, const BlockEntry& parent, uint32_t m, uint64_t from,
                uint64_t lo, uint64_t hi)
{
    for (uint64_t slot = from; slot < from + 10000; ++slot)
    {
        uint64_t v = ValueOf(c, parent, m, slot);
        if (v >= lo && v < hi)
        {
            return slot;
        }
    }
    ADD_FAILURE() << "no slot with a value in range";
    return from;
}

// Extends `tip` with the first leaders' blocks until the chain reaches `slot`.
const BlockEntry*
BuildUntil(PosTestChain& c, const BlockEntry* tip, uint64_t slot)
{
    while (tip->slot < slot)
    {
        const BlockEntry* next = c.Extend(*tip, tip->slot + 1);
        EXPECT_NE(next, nullptr);
        if (next == nullptr || next->slot > slot)
        {
            break;
        }
        tip = next;
    }
    return tip;
}

TEST(ConsensusPosEngine, SlotLeaderIsAcceptedWithItsProof)
{
    PosTestChain c(PosChainConfig{});
    for (uint32_t m = 0; m < c.keys.size(); ++m)
    {
        auto slot = c.engine->NextLeaderSlot(*c.genesis, c.keys[m], 1, 1000);
        ASSERT_TRUE(slot) << m;
        Bytes proof = c.engine->MakeProof(*c.genesis, c.keys[m], *slot, ProducerMemory{});
        ASSERT_EQ(proof.size(), kPosProofBytes);
        Block b = c.MakeBlock(*c.genesis, m, *slot, proof);
        EXPECT_EQ(c.engine->ProducerIndex(*c.genesis, b.header), m);
        auto r = c.Add(*c.genesis, b);
        ASSERT_TRUE(r.IsOk()) << r.GetStatus().ToString();
        EXPECT_EQ(r.Value()->weight.primary, 1u);
    }
}

TEST(ConsensusPosEngine, ForgedProofIsRejected)
{
    PosTestChain c(PosChainConfig{});
    uint64_t slot = *c.engine->NextLeaderSlot(*c.genesis, c.keys[3], 1, 1000);
    Bytes forged(kPosProofBytes, 0x5a);
    ExpectRejected(c.Add(*c.genesis, c.MakeBlock(*c.genesis, 3, slot, forged)),
                   "PoS leader proof of slot " + std::to_string(slot) +
                       " does not verify under the key of stakeholder 3");
    // A real proof with one bit flipped.
    Bytes flipped = c.engine->MakeProof(*c.genesis, c.keys[3], slot, ProducerMemory{});
    flipped[10] ^= 1;
    ExpectRejected(c.Add(*c.genesis, c.MakeBlock(*c.genesis, 3, slot, flipped)), "does not verify");
}

TEST(ConsensusPosEngine, AnotherKeysProofIsRejected)
{
    PosTestChain c(PosChainConfig{});
    // Member 3 leads `slot`; member 2 puts member 3's valid proof in its own header.
    uint64_t slot = *c.engine->NextLeaderSlot(*c.genesis, c.keys[3], 1, 1000);
    Bytes stolen = c.engine->MakeProof(*c.genesis, c.keys[3], slot, ProducerMemory{});
    ExpectRejected(c.Add(*c.genesis, c.MakeBlock(*c.genesis, 2, slot, stolen)),
                   "does not verify under the key of stakeholder 2");
}

TEST(ConsensusPosEngine, ProofForAnotherSlotOrNonceIsRejected)
{
    PosTestChain c(PosChainConfig{});
    uint64_t slot = *c.engine->NextLeaderSlot(*c.genesis, c.keys[3], 1, 1000);
    Bytes proof = c.engine->MakeProof(*c.genesis, c.keys[3], slot, ProducerMemory{});
    ExpectRejected(c.Add(*c.genesis, c.MakeBlock(*c.genesis, 3, slot + 1, proof)),
                   "does not verify");
    Hash256 otherNonce = Blake2b256(std::string("not the epoch nonce"));
    Bytes wrongNonce = ToBytes(MakeLeaderProof(c.keys[3], otherNonce, slot));
    ExpectRejected(c.Add(*c.genesis, c.MakeBlock(*c.genesis, 3, slot, wrongNonce)),
                   "does not verify");
}

TEST(ConsensusPosEngine, MalformedOrIneligibleHeadersAreRejectedWithTheReason)
{
    PosChainConfig config;
    config.stakes = {0, 2, 3, 4}; // member 0 holds nothing
    PosTestChain c(config);
    uint64_t slot = *c.engine->NextLeaderSlot(*c.genesis, c.keys[3], 1, 1000);
    Bytes proof = c.engine->MakeProof(*c.genesis, c.keys[3], slot, ProducerMemory{});
    Bytes shortProof(proof.begin(), proof.end() - 1);
    ExpectRejected(c.Add(*c.genesis, c.MakeBlock(*c.genesis, 3, slot, shortProof)),
                   "PoS leader proof has 63 bytes, expected 64 (an ed25519 signature) from "
                   "stakeholder 3");
    ExpectRejected(c.Add(*c.genesis, c.MakeBlock(*c.genesis, 3, slot, {})), "has 0 bytes");
    ExpectRejected(c.Add(*c.genesis, c.MakeBlock(*c.genesis, 3, 0, proof)),
                   "PoS block of slot 0 is not after its parent's slot 0");
    ExpectRejected(c.Add(*c.genesis, c.MakeBlock(*c.genesis, 0, slot, proof)),
                   "stakeholder 0 (" + ShortHex(c.keys[0].Public()) +
                       ") holds no stake in the snapshot of epoch 0");
    EXPECT_FALSE(c.engine->NextLeaderSlot(*c.genesis, c.keys[0], 1, 1000));
    // A key outside consensus.members.
    Block outsider = c.MakeBlock(*c.genesis, 3, slot, proof);
    KeyPair stranger = KeyPair::FromSeed(Blake2b256(std::string("stranger")));
    outsider.header.producer = stranger.Public();
    outsider.header.SignWith(stranger);
    ExpectRejected(c.Add(*c.genesis, outsider), "is not a stakeholder (consensus.members)");
    EXPECT_EQ(c.engine->ProducerIndex(*c.genesis, outsider.header), 4u);
}

TEST(ConsensusPosEngine, LeaderBelowItsThresholdIsAcceptedAboveIsRejected)
{
    PosTestChain c(PosChainConfig{}); // member 0: 1 of 10 CZR; member 3: 4 of 10
    const StakeSnapshot& stake = *c.engine->ViewFor(*c.genesis, 1).stake;
    uint64_t own = stake.threshold[0];
    uint64_t larger = stake.threshold[3];
    ASSERT_LT(own, larger);
    // Below its own threshold: accepted.
    uint64_t win = SlotWithValueIn(c, *c.genesis, 0, 1, 0, own);
    auto ok = c.Add(*c.genesis, c.MakeBlock(*c.genesis, 0, win,
                                            c.engine->MakeProof(*c.genesis, c.keys[0], win, {})));
    EXPECT_TRUE(ok.IsOk()) << ok.GetStatus().ToString();
    // At or above its own threshold, though below what a larger stake would allow: rejected,
    // with the value, the threshold and the stake it came from.
    uint64_t lose = SlotWithValueIn(c, *c.genesis, 0, 1, own, larger);
    EXPECT_TRUE(c.engine->MakeProof(*c.genesis, c.keys[0], lose, {}).empty());
    EXPECT_NE(c.engine->NextLeaderSlot(*c.genesis, c.keys[0], lose, 1), lose);
    Bytes honest =
        ToBytes(MakeLeaderProof(c.keys[0], c.engine->ViewFor(*c.genesis, lose).nonce, lose));
    ExpectRejected(c.Add(*c.genesis, c.MakeBlock(*c.genesis, 0, lose, honest)),
                   "does not lead slot " + std::to_string(lose) + ": leader value " +
                       std::to_string(ValueOf(c, *c.genesis, 0, lose)) + " >= threshold " +
                       std::to_string(own) + " (stake 1000000000 of 10000000000 in epoch 0)");
}

TEST(ConsensusPosEngine, WithFOneEveryStakeholderLeadsEverySlot)
{
    PosChainConfig config;
    config.f = 1.0; // the scenario range includes it; the Shelley spec: a leader always wins
    config.stakes = {0, 1, 5};
    PosTestChain c(config);
    for (uint64_t slot = 1; slot <= 50; ++slot)
    {
        EXPECT_FALSE(c.engine->NextLeaderSlot(*c.genesis, c.keys[0], slot, 1));
        EXPECT_EQ(c.engine->NextLeaderSlot(*c.genesis, c.keys[1], slot, 1), slot);
        EXPECT_EQ(c.engine->NextLeaderSlot(*c.genesis, c.keys[2], slot, 1), slot);
    }
    EXPECT_EQ(c.engine->NominalIntervalSlots(), 1u);
}

TEST(ConsensusPosEngine, PublicProductionSlotNeedsStakeAndALaterSlot)
{
    PosChainConfig config;
    config.stakes = {0, 2, 3, 4};
    PosTestChain c(config);
    const BlockEntry* b = c.Extend(*c.genesis, 1);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(c.engine->NextProductionSlot(*b, c.keys[1].Public(), 0, 100), b->slot + 1);
    EXPECT_EQ(c.engine->NextProductionSlot(*b, c.keys[1].Public(), b->slot + 5, 1), b->slot + 5);
    EXPECT_FALSE(c.engine->NextProductionSlot(*b, c.keys[1].Public(), 0, b->slot + 1));
    EXPECT_FALSE(c.engine->NextProductionSlot(*b, c.keys[0].Public(), 0, 100));
    KeyPair stranger = KeyPair::FromSeed(Blake2b256(std::string("stranger")));
    EXPECT_FALSE(c.engine->NextProductionSlot(*b, stranger.Public(), 0, 100));
    // The exact answer of the key holder is one of the public candidates.
    auto exact = c.engine->NextLeaderSlot(*b, c.keys[3], b->slot + 1, 1000);
    ASSERT_TRUE(exact);
    EXPECT_EQ(c.engine->NextProductionSlot(*b, c.keys[3].Public(), *exact, 1), exact);
}

TEST(ConsensusPosEngine, ProductionSlotSkipsEpochsWithoutStake)
{
    PosChainConfig config;
    config.stakes = {0, 2, 3, 4}; // member 0 gets stake in epoch 0, usable from epoch 2
    PosTestChain c(config);
    const BlockEntry* b = c.Extend(*c.genesis, 1, 29, {c.Transfer(3, 0, 0, 2)});
    ASSERT_NE(b, nullptr);
    const uint64_t all = ~uint64_t{0};
    // Epochs 0 and 1 use the genesis stake (none); from epoch 2 the parent's balance.
    EXPECT_EQ(c.engine->NextProductionSlot(*b, c.keys[0].Public(), 0, all), 60u);
    auto led = c.engine->NextLeaderSlot(*b, c.keys[0], 0, all);
    ASSERT_TRUE(led);
    EXPECT_GE(*led, 60u);
    // Without stake ever, the answer comes at once even for the widest horizon.
    PosTestChain d(config);
    EXPECT_FALSE(d.engine->NextProductionSlot(*d.genesis, d.keys[0].Public(), 0, all));
    EXPECT_FALSE(d.engine->NextLeaderSlot(*d.genesis, d.keys[0], 0, all));
}

// Peer-supplied headers with arbitrary proofs, slots and producers: every one is refused as
// invalid with a message, none crashes (deterministic stream, 2,000 headers).
TEST(ConsensusPosEngine, ArbitraryHeadersAreRefusedNotCrashed)
{
    PosTestChain c(PosChainConfig{});
    Rng rng(7);
    for (int i = 0; i < 2000; ++i)
    {
        auto member = static_cast<uint32_t>(rng.Below(c.keys.size()));
        Bytes proof(static_cast<std::size_t>(rng.Below(130)));
        for (uint8_t& x : proof)
        {
            x = static_cast<uint8_t>(rng.Next());
        }
        uint64_t slot = rng.Chance(0.1) ? rng.Next() : rng.Below(200);
        Block b = c.MakeBlock(*c.genesis, member, slot, proof);
        Status s = c.engine->CheckProducer(*c.genesis, b.header);
        ASSERT_FALSE(s.IsOk()) << i;
        EXPECT_EQ(s.Code(), StatusCode::kInvalid);
        EXPECT_FALSE(s.Message().empty());
    }
}

TEST(ConsensusPosEngine, LeadersUseTheStakeSnapshotOfTwoEpochsBack)
{
    PosChainConfig config;
    config.stakes = {1, 2, 3, 94};
    PosTestChain c(config);
    // Epoch 0 (slots 0-29): member 3 gives member 0 50 CZR. Epoch 1: 20 more.
    const BlockEntry* tip = c.Extend(*c.genesis, 1, 1000, {c.Transfer(3, 0, 0, 50)});
    ASSERT_NE(tip, nullptr);
    ASSERT_LT(tip->slot, 30u);
    tip = BuildUntil(c, tip, 29);
    const BlockEntry* lastOfEpoch0 = tip;
    tip = c.Extend(*tip, 30, 1000, {c.Transfer(3, 0, 1, 20)});
    ASSERT_NE(tip, nullptr);
    ASSERT_EQ(c.engine->Epochs().EpochOf(tip->slot), 1u);
    tip = BuildUntil(c, tip, 89);
    const uint64_t czr = kUnitsPerCzr;
    auto stakeOf0 = [&](uint64_t slot) { return c.engine->ViewFor(*tip, slot).stake->stake[0]; };
    EXPECT_EQ(c.engine->ViewFor(*lastOfEpoch0, 30).stake->stake[0], 1 * czr); // epoch 1: genesis
    EXPECT_EQ(stakeOf0(60), 51 * czr); // epoch 2: end of epoch 0
    EXPECT_EQ(stakeOf0(90), 71 * czr); // epoch 3: end of epoch 1
    // The trace's weights: the relative stakes that draw the tip's leaders (epoch 2).
    ASSERT_EQ(c.engine->Epochs().EpochOf(tip->slot), 2u);
    std::vector<double> weights = c.engine->MemberWeights(*tip);
    ASSERT_EQ(weights.size(), 4u);
    EXPECT_DOUBLE_EQ(weights[0], 51.0 / 100.0);
    EXPECT_DOUBLE_EQ(weights[0] + weights[1] + weights[2] + weights[3], 1.0);
    // In epoch 1 member 0 is judged by its genesis stake although the parent's ledger already
    // holds the transfer: a value between the two thresholds is rejected.
    const StakeSnapshot& genesisStake = *c.engine->ViewFor(*lastOfEpoch0, 30).stake;
    uint64_t oldThreshold = genesisStake.threshold[0];
    uint64_t newThreshold = LeaderThreshold(0.5, 51, 100);
    uint64_t slot = SlotWithValueIn(c, *lastOfEpoch0, 0, 30, oldThreshold, newThreshold);
    ASSERT_LT(slot, 60u);
    EpochView view = c.engine->ViewFor(*lastOfEpoch0, slot);
    Bytes proof = ToBytes(MakeLeaderProof(c.keys[0], view.nonce, slot));
    ExpectRejected(c.Add(*lastOfEpoch0, c.MakeBlock(*lastOfEpoch0, 0, slot, proof)),
                   "(stake 1000000000 of 100000000000 in epoch 1)");
}

TEST(ConsensusPosEngine, BlocksOfOneEpochShareOneSnapshot)
{
    PosTestChain c(PosChainConfig{});
    const BlockEntry* tip = BuildUntil(c, c.genesis, 75);
    std::map<uint64_t, const StakeSnapshot*> byEpoch;
    for (const BlockEntry* e = tip; e != c.genesis; e = e->parent)
    {
        const PosState& s = PosEngine::StateOf(*e);
        auto [it, fresh] = byEpoch.emplace(s.epoch, s.active.get());
        EXPECT_EQ(it->second, s.active.get()) << "epoch " << s.epoch;
    }
    EXPECT_EQ(byEpoch.size(), 3u);
}

TEST(ConsensusPosEngine, EpochNonceChangesAtEpochBoundariesOnly)
{
    PosTestChain c(PosChainConfig{});
    const BlockEntry* tip = BuildUntil(c, c.genesis, 119);
    std::map<uint64_t, Hash256> nonceOf;
    for (const BlockEntry* e = tip; e != c.genesis; e = e->parent)
    {
        const PosState& s = PosEngine::StateOf(*e);
        EXPECT_EQ(s.epoch, c.engine->Epochs().EpochOf(e->slot));
        // What the block was checked against is what its state keeps.
        EXPECT_EQ(c.engine->ViewFor(*e->parent, e->slot).nonce, s.epochNonce);
        auto [it, fresh] = nonceOf.emplace(s.epoch, s.epochNonce);
        EXPECT_EQ(it->second, s.epochNonce) << "epoch " << s.epoch;
    }
    ASSERT_EQ(nonceOf.size(), 4u);
    EXPECT_EQ(nonceOf[0], PosEngine::StateOf(*c.genesis).epochNonce);
    std::set<Hash256> distinct;
    for (const auto& [epoch, nonce] : nonceOf)
    {
        distinct.insert(nonce);
    }
    EXPECT_EQ(distinct.size(), nonceOf.size());
}

TEST(ConsensusPosEngine, NextEpochNonceIgnoresBlocksOfTheStabilityWindow)
{
    PosTestChain c(PosChainConfig{});
    ASSERT_EQ(c.engine->Epochs().stabilityWindow, 10u);
    // A common prefix into epoch 1, before its window (slots 50-59).
    const BlockEntry* base = BuildUntil(c, c.genesis, 40);
    ASSERT_EQ(c.engine->Epochs().EpochOf(base->slot), 1u);
    ASSERT_LT(base->slot, 50u);
    // Forks A and B differ only inside the window; fork D has a block before it.
    const BlockEntry* a = c.Extend(*base, 50, 10);
    ASSERT_NE(a, nullptr);
    const BlockEntry* b = c.Extend(*base, a->slot + 1, 59 - a->slot);
    ASSERT_NE(b, nullptr);
    ASSERT_LT(b->slot, 60u);
    const BlockEntry* d = c.Extend(*base, base->slot + 1, 49 - base->slot);
    ASSERT_NE(d, nullptr);
    ASSERT_LT(d->slot, 50u);
    EXPECT_NE(PosEngine::StateOf(*a).evolvingNonce, PosEngine::StateOf(*b).evolvingNonce);
    Hash256 nextA = c.engine->ViewFor(*a, 60).nonce;
    EXPECT_EQ(nextA, c.engine->ViewFor(*b, 60).nonce);
    EXPECT_NE(nextA, c.engine->ViewFor(*d, 60).nonce);
    // eta_0(e+1) = eta_c * (the last block before epoch e), not the block before e+1.
    const BlockEntry* lastOfEpoch0 = base;
    while (lastOfEpoch0->slot >= 30)
    {
        lastOfEpoch0 = lastOfEpoch0->parent;
    }
    EXPECT_EQ(nextA, NextEpochNonce(PosEngine::StateOf(*a).candidateNonce, lastOfEpoch0->hash));
}

TEST(ConsensusPosEngine, EpochsWithoutBlocksTickConsistently)
{
    PosChainConfig config;
    config.stakes = {1, 2, 3, 94};
    PosTestChain c(config);
    const BlockEntry* first = c.Extend(*c.genesis, 1, 29, {c.Transfer(3, 0, 0, 50)});
    ASSERT_NE(first, nullptr);
    const PosState& s = PosEngine::StateOf(*first);
    SnapshotSource take = [&]()
    { return TakeStakeSnapshot(c.params.consensus.members, 0.5, *first->state); };
    for (uint64_t epoch = 0; epoch <= 4; ++epoch)
    {
        EpochView view = ViewAt(s, first->hash, epoch, take);
        PosState ticked = TickTo(s, first->hash, epoch, take);
        EXPECT_EQ(view.nonce, ticked.epochNonce) << epoch;
        EXPECT_EQ(view.stake->stake, ticked.active->stake) << epoch;
        EXPECT_EQ(ticked.epoch, epoch);
    }
    // Two epochs or more ahead, the election uses the parent's own balances and a nonce that
    // stays put (no block, nothing to mix in).
    EXPECT_EQ(ViewAt(s, first->hash, 2, take).stake->stake[0], 51 * kUnitsPerCzr);
    EXPECT_EQ(ViewAt(s, first->hash, 3, take).nonce, ViewAt(s, first->hash, 4, take).nonce);
    EXPECT_NE(ViewAt(s, first->hash, 1, take).nonce, ViewAt(s, first->hash, 2, take).nonce);
    // A block that skips epochs 1 and 2 is checked and applied with the same inputs.
    const BlockEntry* late = c.Extend(*first, 90, 1000);
    ASSERT_NE(late, nullptr);
    EXPECT_EQ(PosEngine::StateOf(*late).epochNonce,
              ViewAt(s, first->hash, c.engine->Epochs().EpochOf(late->slot), take).nonce);
    EXPECT_EQ(PosEngine::StateOf(*late).active->stake[0], 51 * kUnitsPerCzr);
}

TEST(ConsensusPosEngine, ForkWeightIsHeightAndFinalityIsKDeep)
{
    PosTestChain c(PosChainConfig{}); // k = 3
    std::vector<const BlockEntry*> chain{c.genesis};
    for (int i = 0; i < 6; ++i)
    {
        chain.push_back(c.Extend(*chain.back(), chain.back()->slot + 1));
        ASSERT_NE(chain.back(), nullptr);
    }
    for (std::size_t h = 0; h < chain.size(); ++h)
    {
        EXPECT_EQ(c.engine->WeightOf(*chain[h]).primary, h);
        EXPECT_EQ(c.engine->LibOf(*chain[h]), chain[h < 3 ? 0 : h - 3]) << h;
    }
    // A fork from height 2: its weight is its own height, its LIB on its own chain.
    const BlockEntry* fork = c.Extend(*chain[2], chain[3]->slot + 1);
    ASSERT_NE(fork, nullptr);
    fork = c.Extend(*fork, fork->slot + 1);
    ASSERT_NE(fork, nullptr);
    EXPECT_EQ(c.engine->WeightOf(*fork).primary, 4u);
    EXPECT_EQ(c.engine->LibOf(*fork), chain[1]);
    EXPECT_TRUE(c.engine->WeightOf(*chain[6]) > c.engine->WeightOf(*fork));
    EXPECT_FALSE(c.engine->DeterministicFinality());
    EXPECT_FALSE(c.engine->FirstSeenWins());
    EXPECT_EQ(c.engine->PruneDepth(), 12u);
    EXPECT_EQ(c.engine->NominalIntervalSlots(), 2u);
    EXPECT_EQ(c.engine->Kind(), Protocol::kPos);
    EXPECT_EQ(c.engine->GenesisProducerSet(c.params), c.params.consensus.members);
    EXPECT_FALSE(c.engine->ScheduledProducerIndex(*chain[6], chain[6]->slot + 1));
}

TEST(ConsensusPosEngine, SameParametersGiveTheSameChain)
{
    auto build = [](const std::string& label)
    {
        PosChainConfig config;
        config.keyLabel = label;
        PosTestChain c(config);
        std::vector<Hash256> out;
        const BlockEntry* tip = BuildUntil(c, c.genesis, 100);
        for (const BlockEntry* e = tip; e != nullptr; e = e->parent)
        {
            out.push_back(e->hash);
            out.push_back(PosEngine::StateOf(*e).evolvingNonce);
        }
        return out;
    };
    std::vector<Hash256> first = build("pos");
    EXPECT_GT(first.size(), 40u);
    EXPECT_EQ(first, build("pos"));
    EXPECT_NE(first, build("other"));
}

TEST(ConsensusPosEngine, GenesisNonceCommitsToTheGenesis)
{
    PosTestChain a(PosChainConfig{});
    PosChainConfig config;
    config.stakes = {1, 2, 3, 5};
    PosTestChain b(config);
    EXPECT_NE(PosEngine::StateOf(*a.genesis).epochNonce, PosEngine::StateOf(*b.genesis).epochNonce);
}

} // namespace
} // namespace canon
