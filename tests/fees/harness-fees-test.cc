// The fee auction on the property harness (issue 15): the scenario file's fees section planned by
// PlanFees, the harness's safety checkers (supply conserved on every node) on, fee figures out.
#include "model/sim/harness.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

HarnessConfig
Congested(FeeMechanism m, FeeProducerKind producers)
{
    HarnessConfig c;
    c.nodeCount = 12;
    c.producerCount = 5;
    c.txPerSecond = 20;
    c.accounts = 200;
    c.blockTxMax = 10;
    c.fees.active = true;
    c.fees.mechanism = m;
    c.fees.producers = producers;
    return c;
}

TEST(HarnessFees, FakeBidsUnderTheUniformPriceRunSafelyAndShow)
{
    Harness h(Congested(FeeMechanism::kUniform, FeeProducerKind::kFakeBids));
    h.RunUntil(20 * kSecond);
    const HarnessReport r = h.Report();
    EXPECT_TRUE(r.Safe()) << FormatSummary(r);
    EXPECT_EQ(h.Params().blockTxMax, 10u);
    EXPECT_EQ(h.Params().fees.mechanism, FeeMechanism::kUniform);
    ASSERT_NE(h.Fees(), nullptr);
    const FeeTotals fees = h.Fees() ? *h.Fees() : FeeTotals{};
    EXPECT_GT(fees.blocks, 5u);
    EXPECT_GT(fees.included, 20u);
    EXPECT_GT(fees.fakes, 0u);
    EXPECT_GT(fees.revenue, 0u);
}

TEST(HarnessFees, Eip1559BurnsAndWithoutFeesThereAreNoFigures)
{
    Harness h(Congested(FeeMechanism::kEip1559, FeeProducerKind::kHonest));
    h.RunUntil(20 * kSecond);
    EXPECT_TRUE(h.Report().Safe()) << FormatSummary(h.Report());
    ASSERT_NE(h.Fees(), nullptr);
    EXPECT_GT(h.Fees() ? h.Fees()->burned : 0u, 0u);
    HarnessConfig plain = Congested(FeeMechanism::kUniform, FeeProducerKind::kHonest);
    plain.fees.active = false;
    Harness p(plain);
    p.RunUntil(5 * kSecond);
    EXPECT_EQ(p.Fees(), nullptr);
}

} // namespace
} // namespace canon
