// The access-rule scenario (scenarios/data/access-run.h) at a small size: each grant rule has
// the cost the README's table reports, and a run is deterministic.
#include "scenarios/data/access-run.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

AccessRunSpec
Small(GrantRule rule, bool rotate = false)
{
    AccessRunSpec s;
    s.seed = 3;
    s.rule = rule;
    s.rotate = rotate;
    s.nodes = 12;
    s.producers = 4;
    s.duration = 45 * kSecond;
    s.revokeAt = 25 * kSecond;
    return s;
}

TEST(AccessScenarioTest, BestChainRuleServesSoonerAndStopsOnceTheRevocationIsOnItsChain)
{
    const AccessRunResult r = RunAccessScenario(Small(GrantRule::kBestChain));
    EXPECT_TRUE(r.violations.empty());
    EXPECT_GT(r.served, 0u);
    EXPECT_GE(r.grantToServedMean, 0.0);
    EXPECT_LT(r.grantToServedMean, 2.5); // about a block
    EXPECT_EQ(r.servedAfterRevokeVisible, 0u);
    EXPECT_EQ(r.refusedWhileGrantVisible, 0u);
    EXPECT_GT(r.refused[static_cast<std::size_t>(DataRefusal::kRevoked)], 0u);
}

TEST(AccessScenarioTest, IrreversibleRuleWaitsForFinalityBothWays)
{
    const AccessRunResult best = RunAccessScenario(Small(GrantRule::kBestChain));
    const AccessRunResult irr = RunAccessScenario(Small(GrantRule::kIrreversible));
    EXPECT_TRUE(irr.violations.empty());
    EXPECT_GT(irr.grantToServedMean, best.grantToServedMean + 1.0);
    EXPECT_GT(irr.refusedWhileGrantVisible, 0u);
    EXPECT_GT(irr.servedAfterRevokeVisible, 0u);
    EXPECT_EQ(irr.readableAfterRevokeVisible, irr.servedAfterRevokeVisible);
    EXPECT_GT(irr.revokeToLastServedMean, best.revokeToLastServedMean);
}

TEST(AccessScenarioTest, RotatingTheKeyMakesWhatIsWronglyServedUnreadable)
{
    const AccessRunResult r = RunAccessScenario(Small(GrantRule::kIrreversible, true));
    EXPECT_GT(r.servedAfterRevokeVisible, 0u);
    EXPECT_EQ(r.readableAfterRevokeVisible, 0u);
}

TEST(AccessScenarioTest, SameSpecSameResult)
{
    const AccessRunSpec s = Small(GrantRule::kBestChain, true);
    const AccessRunResult a = RunAccessScenario(s), b = RunAccessScenario(s);
    EXPECT_EQ(a.latencies, b.latencies);
    EXPECT_EQ(a.refused, b.refused);
    EXPECT_EQ(a.served, b.served);
    AccessRunSpec other = s;
    other.seed = 4;
    EXPECT_NE(RunAccessScenario(other).latencies, a.latencies);
}

} // namespace
} // namespace canon
