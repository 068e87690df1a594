// PoW end to end: full nodes of the deterministic harness (model/sim/harness.h) mining with
// PowEngine through the shared ConsensusChain and Node, over the abstract packet model.
#include "model/consensus/baselines/pow-engine.h"
#include "model/sim/harness.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace canon
{
namespace
{

// 20 miners of equal power (the harness makes every full node a member), 2 s mean interval on
// 50 ms ticks, 6 confirmations; links of 20 ms + up to 10 ms jitter.
HarnessConfig
PowRun(uint64_t seed)
{
    HarnessConfig c;
    c.seed = seed;
    c.nodeCount = 20;
    c.producerCount = 20;
    c.txPerSecond = 10;
    c.slotDuration = 50 * kMillisecond;
    c.consensus.protocol = Protocol::kPow;
    c.consensus.pow.meanInterval = 2 * kSecond;
    c.consensus.pow.confirmations = 6;
    return c;
}

std::string
Describe(const HarnessReport& r)
{
    return "reproduce with seed " + std::to_string(r.seed) + "\n" + FormatSummary(r);
}

// Every live full node's main chain agrees with node 0's up to the lower of their irreversible
// blocks.
void
ExpectAgreementOnFinalisedPrefix(const Harness& h)
{
    const ConsensusChain& ref = h.GetNode(0)->Chain();
    for (uint32_t i = 1; i < h.NodeCount(); ++i)
    {
        if (const Node* n = h.GetNode(i))
        {
            const ConsensusChain& c = n->Chain();
            const uint64_t common = std::min(c.Lib()->height, ref.Lib()->height);
            EXPECT_EQ(c.MainChainAt(common)->hash, ref.MainChainAt(common)->hash) << "node " << i;
        }
    }
}

TEST(ConsensusPowRun, HonestMinersAgreeOnTheFinalisedPrefix)
{
    Harness h(PowRun(1));
    h.RunUntil(120 * kSecond);
    const HarnessReport r = h.Report();
    ASSERT_TRUE(r.Safe()) << Describe(r);
    // About 60 blocks in 120 s at one per 2 s; 6 confirmations keep the LIB 5 below the tip.
    EXPECT_GE(r.bestHeight, 35u) << Describe(r);
    EXPECT_LE(r.bestHeight, 90u) << Describe(r);
    EXPECT_GE(r.libHeightMin + 10, r.bestHeight) << Describe(r);
    EXPECT_GT(r.txIrreversible, 100u) << Describe(r);
    const ConsensusChain& ref = h.GetNode(0)->Chain();
    EXPECT_EQ(ref.Engine().Kind(), Protocol::kPow);
    ExpectAgreementOnFinalisedPrefix(h);
    for (uint32_t i = 0; i < h.NodeCount(); ++i)
    {
        EXPECT_EQ(h.GetNode(i)->Chain().FinalityViolations(), 0u) << "node " << i;
    }
    // Every main-chain block was mined by a member at one of its success ticks.
    const PowEngine& engine = dynamic_cast<const PowEngine&>(ref.Engine());
    for (uint64_t height = 1; height <= ref.Best()->height; ++height)
    {
        const BlockEntry* b = ref.MainChainAt(height);
        ASSERT_TRUE(engine.CheckProducer(*b->parent, b->block->header).IsOk()) << height;
        ASSERT_LT(b->producerIndex, h.Params().consensus.members.size());
    }
}

TEST(ConsensusPowRun, AgreementAndFinalityReturnAfterRandomFaults)
{
    // Partitions, crashes, loss and delay drawn from the seed for 60 s: the sides mine apart, a
    // reorg deeper than the confirmations is counted (not a safety violation), and once the
    // network heals the heaviest chain wins everywhere and finality moves on.
    for (uint64_t seed : {uint64_t{11}, uint64_t{12}})
    {
        HarnessConfig c = PowRun(seed);
        c.randomFaultsUntil = 60 * kSecond;
        Harness h(c);
        h.RunUntil(60 * kSecond);
        const uint64_t libAtHeal = h.Report().libHeightMin;
        h.RunUntil(160 * kSecond);
        const HarnessReport r = h.Report();
        ASSERT_TRUE(r.Safe()) << Describe(r);
        EXPECT_GE(r.libHeightMin, libAtHeal + 20) << Describe(r);
        ASSERT_NE(h.GetNode(0), nullptr);
        ExpectAgreementOnFinalisedPrefix(h);
    }
}

TEST(ConsensusPowRun, TheSameSeedGivesTheSameChainAndAnotherSeedAnother)
{
    auto run = [](uint64_t seed)
    {
        Harness h(PowRun(seed));
        h.RunUntil(40 * kSecond);
        return std::make_pair(h.GetNode(0)->Chain().Best()->hash, h.Report().blocksProduced);
    };
    const auto a = run(3);
    EXPECT_EQ(a, run(3));
    EXPECT_NE(a.first, run(4).first);
}

TEST(ConsensusPowRun, SlowLinksWasteMoreBlocksThanFastOnes)
{
    // Blocks mined but not on the reference best chain (stale, or undecided at the tip): few on
    // fast links, clearly more when a hop takes 400 ms (several hops to reach every miner,
    // against a 2 s interval).
    auto wasted = [](TimeNs latency)
    {
        HarnessConfig c = PowRun(5);
        c.link.latency = latency;
        c.link.jitter = latency / 2 + 1;
        c.link.bandwidthBytesPerSecond = 1e9;
        Harness h(c);
        h.RunUntil(200 * kSecond);
        const HarnessReport r = h.Report();
        EXPECT_TRUE(r.Safe()) << Describe(r);
        return static_cast<double>(r.blocksProduced - r.bestHeight) /
               static_cast<double>(r.blocksProduced);
    };
    const double fast = wasted(1 * kMillisecond);
    const double slow = wasted(400 * kMillisecond);
    EXPECT_LT(fast, 0.05);
    EXPECT_GT(slow, fast + 0.05);
}

} // namespace
} // namespace canon
