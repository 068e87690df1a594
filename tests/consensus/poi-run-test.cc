// PoI end to end: the deterministic harness (model/sim/harness.h) running NEM's proof of
// importance on every full node: honest nodes agree on the finalised prefix, importances are
// recomputed from the run's own transfers, harvesting is spread over the members, and the same
// seed gives the same run.
#include "model/consensus/baselines/poi-engine.h"
#include "model/sim/harness.h"

#include <gtest/gtest.h>

#include <set>

namespace canon
{
namespace
{

constexpr TimeNs kRunFor = 400 * kSecond;

HarnessConfig
PoiRun(uint64_t seed)
{
    HarnessConfig c;
    c.seed = seed;
    c.nodeCount = 12;
    c.producerCount = 4; // PoP's genesis placement only; every full node harvests under PoI
    c.txPerSecond = 5;
    c.accounts = 16;
    c.consensus.protocol = Protocol::kPoi;
    c.consensus.poi.targetInterval = 4 * kSecond; // short blocks keep the test fast
    c.consensus.poi.recomputeBlocks = 10;
    c.consensus.poi.finalityDepth = 8;
    return c;
}

std::string
Describe(const HarnessReport& r)
{
    return "reproduce with seed " + std::to_string(r.seed) + "\n" + FormatSummary(r);
}

TEST(ConsensusPoiRun, HonestHarvestersAgreeOnTheFinalisedPrefix)
{
    Harness h(PoiRun(1));
    h.RunUntil(kRunFor);
    const HarnessReport r = h.Report();
    ASSERT_TRUE(r.Safe()) << Describe(r);
    // About 100 blocks at a 4 s target; the LIB trails the tip by 8.
    EXPECT_GE(r.libHeightMin, 50u) << Describe(r);
    EXPECT_EQ(r.stall, "") << Describe(r);
    const ConsensusChain& ref = h.GetNode(0)->Chain();
    for (uint32_t i = 1; i < h.NodeCount(); ++i)
    {
        const ConsensusChain& c = h.GetNode(i)->Chain();
        const uint64_t common = std::min(c.Lib()->height, ref.Lib()->height);
        EXPECT_EQ(c.MainChainAt(common)->hash, ref.MainChainAt(common)->hash) << "node " << i;
    }
}

TEST(ConsensusPoiRun, ImportancesFollowTheRunAndHarvestingIsSpread)
{
    Harness h(PoiRun(2));
    h.RunUntil(kRunFor);
    const ConsensusChain& chain = h.GetNode(0)->Chain();
    const BlockEntry* tip = chain.Best();
    const PoiState& s = PoiStateOf(*tip);
    EXPECT_EQ(s.importances->height, tip->height / 10 * 10);
    EXPECT_GT(s.importances->height, 0u);
    std::set<PublicKey> producers;
    uint64_t withTransfers = 0;
    for (const BlockEntry* e = tip; e->parent; e = e->parent)
    {
        producers.insert(e->producer);
        EXPECT_GT(PoiStateOf(*e->parent).importances->EffectiveOf(AddressOf(e->producer)), 0u);
        withTransfers += e->block->txs.empty() ? 0u : 1u;
    }
    EXPECT_GT(withTransfers, 10u);
    // Twelve members of equal stake: most of them harvest in ~100 blocks.
    EXPECT_GE(producers.size(), 8u);
    // Difficulty moved from its start towards the 4 s target.
    const auto& rules = dynamic_cast<const PoiEngine&>(chain.Engine()).Rules();
    EXPECT_NE(s.nextDifficulty, rules.initialDifficulty);
}

TEST(ConsensusPoiRun, SameSeedGivesTheSameRunAndAnotherSeedAnother)
{
    auto run = [](uint64_t seed)
    {
        Harness h(PoiRun(seed));
        h.RunUntil(kRunFor);
        std::vector<Hash256> chain;
        for (const BlockEntry* e = h.GetNode(0)->Chain().Best(); e; e = e->parent)
        {
            chain.push_back(e->hash);
        }
        return std::make_pair(chain, FormatSummary(h.Report()));
    };
    const auto a = run(3);
    const auto b = run(3);
    EXPECT_EQ(a.first, b.first);
    EXPECT_EQ(a.second, b.second);
    EXPECT_NE(run(4).first, a.first);
}

} // namespace
} // namespace canon
