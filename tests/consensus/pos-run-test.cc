// PoS end to end: the deterministic harness (model/sim/harness.h) with every full node a
// stakeholder (equal genesis stakes), on a healthy network whose delays are small against the
// slot. Honest nodes agree on the finalised prefix, a seed reproduces the run, and the chain
// grows by one block per slot that has a leader: P(slot has a leader) = f when all stake is
// online (NOTES.md 3.1), so the height after S slots is close to Binomial(S, f).
#include "model/consensus/baselines/pos-engine.h"
#include "model/sim/harness.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

namespace canon
{
namespace
{

constexpr uint64_t kRunSlots = 400;

HarnessConfig
PosRun(uint64_t seed)
{
    HarnessConfig c;
    c.seed = seed;
    c.nodeCount = 12;
    c.producerCount = 4;
    c.txPerSecond = 5;
    c.slotDuration = 1 * kSecond;
    c.consensus.protocol = Protocol::kPos;
    c.consensus.pos.activeSlotCoefficient = 0.2;
    c.consensus.pos.confirmations = 5;
    c.consensus.pos.epochSlots = 50; // 8 epochs: snapshots and nonces turn over in the run
    return c;
}

std::string
Describe(const HarnessReport& r)
{
    return "reproduce with seed " + std::to_string(r.seed) + "\n" + FormatSummary(r);
}

// The hashes of node `i`'s best chain up to its irreversible block.
std::vector<Hash256>
FinalPrefix(const Harness& h, uint32_t i)
{
    std::vector<Hash256> out;
    const ConsensusChain& c = h.GetNode(i)->Chain();
    for (uint64_t height = 0; height <= c.Lib()->height; ++height)
    {
        out.push_back(c.MainChainAt(height)->hash);
    }
    return out;
}

TEST(ConsensusPosRun, HonestNodesAgreeOnTheFinalisedPrefix)
{
    Harness h(PosRun(1));
    h.RunUntil(static_cast<TimeNs>(kRunSlots) * kSecond);
    HarnessReport r = h.Report();
    ASSERT_TRUE(r.Safe()) << Describe(r);
    EXPECT_EQ(h.Params().consensus.members.size(), 12u);
    EXPECT_GE(r.libHeightMin, 40u) << Describe(r);
    std::vector<Hash256> ref = FinalPrefix(h, 0);
    for (uint32_t i = 1; i < h.NodeCount(); ++i)
    {
        std::vector<Hash256> mine = FinalPrefix(h, i);
        std::size_t common = std::min(mine.size(), ref.size());
        EXPECT_TRUE(std::equal(mine.begin(), mine.begin() + static_cast<long>(common), ref.begin()))
            << "node " << i;
    }
    EXPECT_GT(r.txIrreversible, 100u) << Describe(r);
}

TEST(ConsensusPosRun, ChainGrowsByOneBlockPerSlotWithALeader)
{
    // Delays (about 20 ms) are small against the slot (1 s), so a slot with a leader adds one
    // block to every best chain; several leaders of one slot make siblings of one height.
    // Height after S slots ~ Binomial(S, f): tolerance 4 standard deviations.
    Harness h(PosRun(3));
    h.RunUntil(static_cast<TimeNs>(kRunSlots) * kSecond);
    HarnessReport r = h.Report();
    ASSERT_TRUE(r.Safe()) << Describe(r);
    const double f = 0.2;
    const double s = static_cast<double>(kRunSlots);
    const double z = (static_cast<double>(r.bestHeight) - s * f) / std::sqrt(s * f * (1 - f));
    std::printf("best height %llu after %llu slots, expected %.1f, z %+.2f\n",
                static_cast<unsigned long long>(r.bestHeight),
                static_cast<unsigned long long>(kRunSlots), s * f, z);
    EXPECT_LE(std::fabs(z), 4.0) << Describe(r);
}

// Random faults (loss, partitions, crashes, link failures) for the first 150 s, then a healthy
// network: honest nodes end on one finalised prefix and finality moves again. Under the depth
// rule a partition side may finalise blocks it later reverts: that is counted (finality
// violations), not a safety violation.
TEST(ConsensusPosRun, AgreementReturnsAfterRandomFaults)
{
    for (uint64_t seed : {uint64_t{11}, uint64_t{12}})
    {
        HarnessConfig c = PosRun(seed);
        c.randomFaultsUntil = 150 * kSecond;
        Harness h(c);
        h.RunUntil(150 * kSecond);
        const uint64_t libAtHeal = h.Report().libHeightMin;
        h.RunUntil(static_cast<TimeNs>(kRunSlots) * kSecond);
        HarnessReport r = h.Report();
        ASSERT_TRUE(r.Safe()) << Describe(r);
        EXPECT_GE(r.libHeightMin, libAtHeal + 20) << Describe(r);
        std::printf("seed %llu: irreversible %llu..%llu, finality violations %llu (deepest %llu)\n",
                    static_cast<unsigned long long>(seed),
                    static_cast<unsigned long long>(r.libHeightMin),
                    static_cast<unsigned long long>(r.libHeightMax),
                    static_cast<unsigned long long>(r.finalityViolations),
                    static_cast<unsigned long long>(r.finalityViolationDepthMax));
    }
}

TEST(ConsensusPosRun, SameSeedSameRunOtherSeedOtherRun)
{
    auto run = [](uint64_t seed)
    {
        Harness h(PosRun(seed));
        h.RunUntil(120 * kSecond);
        return std::make_pair(FinalPrefix(h, 0), FormatSummary(h.Report()));
    };
    auto first = run(5);
    EXPECT_GT(first.first.size(), 5u);
    EXPECT_EQ(first, run(5));
    EXPECT_NE(first.first, run(6).first);
}

} // namespace
} // namespace canon
