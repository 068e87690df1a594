// DPoS end to end: full nodes of the deterministic harness (model/sim/harness.h) producing with
// DposEngine through the shared ConsensusChain and Node, over the abstract packet model, with
// EOSIO's 0.5 s slots and 12-block turns.
#include "model/consensus/baselines/dpos-engine.h"
#include "model/sim/harness.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <tuple>

namespace canon
{
namespace
{

// `producers` genesis producers among `nodes` full nodes (all members), 12 blocks per turn,
// 0.5 s slots; links of 20 ms + up to 10 ms jitter.
HarnessConfig
DposRun(uint64_t seed, uint32_t nodes, uint32_t producers)
{
    HarnessConfig c;
    c.seed = seed;
    c.nodeCount = nodes;
    c.producerCount = producers;
    c.txPerSecond = 10;
    c.slotDuration = 500 * kMillisecond;
    c.consensus.protocol = Protocol::kDpos;
    c.consensus.dpos.producers = producers;
    return c;
}

std::string
Describe(const HarnessReport& r)
{
    return "reproduce with seed " + std::to_string(r.seed) + "\n" + FormatSummary(r);
}

// The main chain of `chain`, genesis first.
std::vector<const BlockEntry*>
MainChain(const ConsensusChain& chain)
{
    std::vector<const BlockEntry*> out;
    for (uint64_t h = 0; h <= chain.Best()->height; ++h)
    {
        out.push_back(chain.MainChainAt(h));
    }
    return out;
}

TEST(ConsensusDposRun, HonestProducersAgreeOnTheFinalisedPrefixInTwelveBlockTurns)
{
    Harness h(DposRun(1, 10, 7));
    h.RunUntil(120 * kSecond);
    const HarnessReport r = h.Report();
    ASSERT_TRUE(r.Safe()) << Describe(r);
    const ConsensusChain& ref = h.GetNode(0)->Chain();
    ASSERT_EQ(ref.Engine().Kind(), Protocol::kDpos);
    EXPECT_GT(r.libHeightMin, 0u) << Describe(r);
    for (uint32_t i = 1; i < h.NodeCount(); ++i)
    {
        const ConsensusChain& c = h.GetNode(i)->Chain();
        const uint64_t common = std::min(c.Lib()->height, ref.Lib()->height);
        EXPECT_EQ(c.MainChainAt(common)->hash, ref.MainChainAt(common)->hash) << "node " << i;
    }
    // Every block by the producer its parent's schedule names; turns of 12 consecutive slots.
    const DposEngine& engine = dynamic_cast<const DposEngine&>(ref.Engine());
    const std::vector<const BlockEntry*> chain = MainChain(ref);
    for (std::size_t i = 1; i < chain.size(); ++i)
    {
        const BlockEntry& b = *chain[i];
        ASSERT_TRUE(engine.CheckProducer(*b.parent, b.block->header).IsOk()) << b.height;
        EXPECT_EQ(b.producerIndex, *engine.ScheduledProducerIndex(*b.parent, b.slot));
        const uint64_t turn = b.slot / 12;
        const bool sameTurnAsParent = b.parent->height > 0 && b.parent->slot / 12 == turn;
        EXPECT_EQ(b.producer == b.parent->producer, sameTurnAsParent) << "height " << b.height;
    }
    // No slot missed: the LIB of every block is the one EOSIO's rules give a chain with every
    // slot filled and every producer confirming back to its watermark (as in NOTES 1.7 V4).
    ASSERT_EQ(r.missedSlots, 0u) << Describe(r);
    DposHeaderState model = DposStartState(engine.GenesisSchedule(), 0, 0);
    std::map<PublicKey, uint64_t> watermark;
    for (std::size_t i = 1; i < chain.size(); ++i)
    {
        const PublicKey& p = chain[i]->producer;
        const uint64_t c = DposHonestConfirmations(model.blockNum, model.lib, watermark[p]);
        model = DposNextHeaderState(model, chain[i]->slot, c, engine.Params());
        watermark[p] = model.blockNum;
        const DposHeaderState& got = DposStateOf(*chain[i]).header;
        ASSERT_EQ(got.plib, model.plib) << "height " << i;
        ASSERT_EQ(got.lib, model.lib) << "height " << i;
    }
    EXPECT_EQ(ref.Lib()->height, model.lib);
}

TEST(ConsensusDposRun, TheSameSeedGivesTheSameChainAndAnotherSeedAnother)
{
    auto run = [](uint64_t seed)
    {
        Harness h(DposRun(seed, 8, 4));
        h.RunUntil(30 * kSecond);
        const ConsensusChain& c = h.GetNode(0)->Chain();
        return std::make_tuple(c.Best()->hash, c.Lib()->hash, h.Report().blocksProduced);
    };
    const auto a = run(3);
    EXPECT_EQ(a, run(3));
    EXPECT_NE(std::get<0>(a), std::get<0>(run(4)));
}

TEST(ConsensusDposRun, FaultsNeverBreakAgreementAndFinalityResumesAfterThem)
{
    // Loss, partitions, crashes and restarts (a restarted producer has no watermark and
    // confirms nothing at first) drawn from the seed for 100 s; then a healthy network.
    for (uint64_t seed : {1u, 4u})
    {
        HarnessConfig c = DposRun(seed, 12, 7);
        c.randomFaultsUntil = 100 * kSecond;
        Harness h(c);
        h.RunUntil(100 * kSecond);
        const uint64_t heightAtHealing = h.Report().bestHeight;
        h.RunUntil(220 * kSecond);
        const HarnessReport r = h.Report();
        ASSERT_TRUE(r.Safe()) << Describe(r);
        EXPECT_GT(r.libHeightMin, heightAtHealing) << Describe(r);
    }
}

// The first main-chain block satisfying `pred`, or nullptr.
template <class Pred>
const BlockEntry*
First(const std::vector<const BlockEntry*>& chain, Pred pred)
{
    auto it = std::find_if(chain.begin(), chain.end(), pred);
    return it == chain.end() ? nullptr : *it;
}

TEST(ConsensusDposRun, VotesChangeTheScheduleOnlyOnceTheProposingBlockIsIrreversible)
{
    // 4 of 10 nodes produce at genesis; from the first CZR report on, accounts vote for the top
    // claimants, and the tally at slot 121 elects the 4 with the most stake behind them.
    HarnessConfig config = DposRun(2, 10, 4);
    config.czrEpochSlots = 20;
    Harness h(config);
    h.RunUntil(200 * kSecond);
    const HarnessReport r = h.Report();
    ASSERT_TRUE(r.Safe()) << Describe(r);
    const ConsensusChain& ref = h.GetNode(0)->Chain();
    const std::vector<const BlockEntry*> chain = MainChain(ref);
    auto lib = [](const BlockEntry* b) { return DposStateOf(*b).header.lib; };
    const BlockEntry* proposing =
        First(chain, [](const BlockEntry* b)
              { return DposStateOf(*b).proposedBlockNum == b->height && b->height > 0; });
    ASSERT_NE(proposing, nullptr) << Describe(r);
    EXPECT_GT(proposing->slot, kDposTallyIntervalSlots);
    EXPECT_LE(proposing->parent->slot, kDposTallyIntervalSlots);
    EXPECT_EQ(r.elections, 1u) << Describe(r);
    // Pending: the first block whose LIB reaches the proposing block.
    const BlockEntry* pending =
        First(chain, [](const BlockEntry* b) { return DposStateOf(*b).header.pending != nullptr; });
    ASSERT_NE(pending, nullptr);
    EXPECT_GE(lib(pending), proposing->height);
    EXPECT_LT(lib(pending->parent), proposing->height);
    // Active: the first block whose LIB reaches the pending block.
    const BlockEntry* active = First(chain, [](const BlockEntry* b)
                                     { return DposStateOf(*b).header.active->version == 1; });
    ASSERT_NE(active, nullptr) << Describe(r);
    EXPECT_GE(lib(active), pending->height);
    EXPECT_LT(lib(active->parent), pending->height);
    EXPECT_GT(active->height, pending->height);
    const DposSchedule& genesis = *dynamic_cast<const DposEngine&>(ref.Engine()).GenesisSchedule();
    const std::vector<PublicKey>& next = DposStateOf(*active).header.active->producers;
    EXPECT_NE(next, genesis.producers);
    EXPECT_EQ(*chain.front()->activeSet, genesis.producers) << "the genesis set, by name";
    EXPECT_EQ(*active->parent->activeSet, genesis.producers);
    EXPECT_EQ(*active->activeSet, next) << "the node sees the producer set change here";
    // Blocks up to the activating one come from the genesis schedule, later ones from the new.
    for (const BlockEntry* b : chain)
    {
        if (b->height == 0)
        {
            continue;
        }
        const auto& set = b->height <= active->height ? genesis.producers : next;
        EXPECT_TRUE(std::binary_search(set.begin(), set.end(), b->producer))
            << "height " << b->height;
    }
    // Every node that got that far agrees.
    for (uint32_t i = 1; i < h.NodeCount(); ++i)
    {
        const ConsensusChain& c = h.GetNode(i)->Chain();
        const uint64_t common = std::min(c.Lib()->height, ref.Lib()->height);
        EXPECT_EQ(c.MainChainAt(common)->hash, ref.MainChainAt(common)->hash) << "node " << i;
    }
}

} // namespace
} // namespace canon
