// Bidders and the fee market without a network (issue 15): the equilibrium and learner bids by
// hand, and the incentive properties the issue asks the testbed to measure.
#include "model/fees/fee-market.h"

#include <gtest/gtest.h>

#include <cmath>

namespace canon
{
namespace
{

ValuationSpec
Uniform(double lo, double hi)
{
    ValuationSpec v;
    v.min = lo;
    v.max = hi;
    return v;
}

TEST(FeeBidding, FirstPriceEquilibriumMatchesTheTextbook)
{
    // One unit, n others, U[0, 1000]: b(v) = v * n / (n + 1).
    EXPECT_NEAR(EquilibriumBid(Uniform(0, 1000), 600, 3, 1), 450, 0.5);
    EXPECT_NEAR(EquilibriumBid(Uniform(0, 1000), 600, 1, 1), 300, 0.5);
    // More places than rivals: no competition, bid the lowest valuation.
    EXPECT_NEAR(EquilibriumBid(Uniform(100, 1000), 600, 3, 5), 100, 1e-9);
    // Two units, two others, U[0, 1]: G(x) = 1 - (1 - x)^2 and b(v) = v - (v^2 - v^3 / 3) / G(v).
    const double v = 0.5;
    const double g = 1 - (1 - v) * (1 - v);
    EXPECT_NEAR(EquilibriumBid(Uniform(0, 1), v, 2, 2), v - (v * v - v * v * v / 3) / g, 1e-4);
}

TEST(FeeBidding, ValuationDistributions)
{
    ValuationSpec ln;
    ln.kind = ValuationKind::kLognormal;
    ln.mu = 0;
    ln.sigma = 1;
    EXPECT_NEAR(ValuationCdf(ln, 1.0), 0.5, 1e-12);
    Rng rng(7);
    int below = 0;
    for (int i = 0; i < 4000; ++i)
    {
        below += DrawValuation(ln, rng) <= 1.0 ? 1 : 0;
    }
    EXPECT_NEAR(below / 4000.0, 0.5, 0.03);
    ValuationSpec file;
    file.kind = ValuationKind::kFile;
    file.values = {5, 10, 20};
    EXPECT_NEAR(ValuationCdf(file, 10), 2.0 / 3, 1e-12);
    const double d = DrawValuation(file, rng);
    EXPECT_TRUE(d == 5 || d == 10 || d == 20);
    file.decayPerSecond = 0.5;
    EXPECT_NEAR(Decayed(file, 10, 2), 10 * std::exp(-1.0), 1e-12);
}

TEST(FeeBidding, LearnerBidsTheObservedCutoff)
{
    const std::vector<ObservedBlock> full = {{300, true, 200}, {300, true, 200}};
    // Valuation 500, grid steps of 10: the least bid above the cutoff 300.
    EXPECT_EQ(LearnerBid(FeeMechanism::kFirstPrice, 500, full, 1), 310u);
    EXPECT_EQ(LearnerBid(FeeMechanism::kUniform, 500, full, 1), 310u);
    // Too dear: bid nothing rather than overpay.
    EXPECT_EQ(LearnerBid(FeeMechanism::kFirstPrice, 250, full, 1), 0u);
    // Blocks with room: bid nothing.
    EXPECT_EQ(LearnerBid(FeeMechanism::kFirstPrice, 500, {{300, false, 0}}, 1), 0u);
    // No history: truthful.
    EXPECT_EQ(LearnerBid(FeeMechanism::kFirstPrice, 500, {}, 1), 500u);
    // A floor the chain sets: bidders who value that much bid at least it.
    BidderSpec spec;
    spec.strategy = BidStrategy::kLearner;
    spec.minBid = 5;
    EXPECT_EQ(PlaceBid(FeeMechanism::kFirstPrice, spec, {}, 500, {{300, false, 0}}).bid, 5u);
    EXPECT_EQ(PlaceBid(FeeMechanism::kFirstPrice, spec, {}, 4, {{300, false, 0}}).bid, 0u);
    spec.minTip = 2;
    const FeeBid eip = PlaceBid(FeeMechanism::kEip1559, spec, {}, 500, {{0, false, 100}});
    EXPECT_EQ(eip.bid, 500u);
    EXPECT_EQ(eip.tip, 2u);
}

MarketSpec
Congested(FeeMechanism m, BidStrategy s)
{
    MarketSpec spec;
    spec.rule.mechanism = m;
    spec.capacity = 10;
    spec.arrivalsPerBlock = 20;
    spec.blocks = 200;
    spec.values = Uniform(0, 1000);
    spec.bidder.strategy = s;
    spec.bidder.others = 19;
    spec.bidder.units = 10;
    return spec;
}

// The incentive claims hold on every one of five seeds, each with its own sampling error: under
// the honest uniform price the gain's upper bound (mean + 4 standard errors) stays under half a
// unit (valuations are up to 1000 and integer bids leave at most half a unit to gain); under
// first-price its lower bound (mean - 4 standard errors) stays above one unit.
TEST(FeeMarket, TruthfulIsABestResponseUnderTheHonestUniformPrice)
{
    for (uint64_t seed = 1; seed <= 5; ++seed)
    {
        MarketSpec spec = Congested(FeeMechanism::kUniform, BidStrategy::kTruthful);
        spec.seed = seed;
        const MarketResult r = RunMarket(spec);
        ASSERT_GT(r.deviationSamples, 150u);
        EXPECT_LT(r.gainOverTruthful + 4 * r.gainOverTruthfulError, 0.5) << "seed " << seed;
        EXPECT_LT(r.beatenShare, 0.01) << "seed " << seed;
        EXPECT_NEAR(r.fullness, 1.0, 0.01) << "seed " << seed;
    }
}

TEST(FeeMarket, ShadingBeatsTruthfulUnderFirstPrice)
{
    for (uint64_t seed = 1; seed <= 5; ++seed)
    {
        MarketSpec spec = Congested(FeeMechanism::kFirstPrice, BidStrategy::kTruthful);
        spec.seed = seed;
        const MarketResult r = RunMarket(spec);
        EXPECT_GT(r.gainOverTruthful - 4 * r.gainOverTruthfulError, 1.0) << "seed " << seed;
        EXPECT_GT(r.beatenShare, 0.05) << "seed " << seed;
        EXPECT_NEAR(r.utilityPerBidder, 0.0, 1.0); // truthful bidders pay their value
    }
}

// Decaying valuations: a waiting bidder bids again each block, for its valuation then. A
// truthful bidder's last bid is its valuation decayed over the blocks it waited.
TEST(FeeMarket, WaitingBiddersRebidAsTheirValuationDecays)
{
    MarketSpec spec = Congested(FeeMechanism::kUniform, BidStrategy::kTruthful);
    spec.values.decayPerSecond = 0.05;
    spec.blocks = 100;
    std::vector<MarketBid> bids;
    RunMarket(spec, &bids);
    std::size_t waited = 0;
    for (const MarketBid& b : bids)
    {
        if (b.included)
        {
            const double now =
                Decayed(spec.values, b.valuation, b.waitedBlocks * spec.blockSeconds);
            EXPECT_EQ(b.bid, static_cast<uint64_t>(std::llround(now)));
            if (b.waitedBlocks > 0 && b.bid < static_cast<uint64_t>(std::llround(b.valuation)))
            {
                ++waited;
            }
        }
    }
    EXPECT_GT(waited, 100u); // under congestion many wait, and their bids fell
    // Without decay nobody re-bids: every bid stays the valuation at arrival.
    spec.values.decayPerSecond = 0;
    RunMarket(spec, &bids);
    for (const MarketBid& b : bids)
    {
        EXPECT_EQ(b.bid, static_cast<uint64_t>(std::llround(b.valuation)));
    }
}

TEST(FeeMarket, RevenueCutAndFakeBidsAreMeasuredNotAssumed)
{
    MarketSpec spec = Congested(FeeMechanism::kUniform, BidStrategy::kTruthful);
    std::vector<MarketBlock> blocks;
    spec.producer.fakeBidsAuto = true;
    const MarketResult fake = RunMarket(spec, nullptr, &blocks);
    uint32_t fakes = 0;
    for (const MarketBlock& b : blocks)
    {
        fakes += b.fakes;
        EXPECT_LE(b.included + b.fakes, spec.capacity);
    }
    EXPECT_GT(fakes, 0u);
    // The same arrivals, the same seed: the run is reproducible.
    EXPECT_EQ(RunMarket(spec).revenuePerBlock, fake.revenuePerBlock);
}

TEST(FeeMarket, Eip1559BaseFeeFollowsTheRuleAndBurns)
{
    MarketSpec spec = Congested(FeeMechanism::kEip1559, BidStrategy::kTruthful);
    spec.rule.initialBaseFee = 100;
    std::vector<MarketBlock> blocks;
    const MarketResult r = RunMarket(spec, nullptr, &blocks);
    EXPECT_GT(r.burnedPerBlock, 0);
    for (std::size_t i = 1; i < blocks.size(); ++i)
    {
        EXPECT_EQ(blocks[i].price,
                  NextBaseFee(blocks[i - 1].price, blocks[i - 1].included + blocks[i - 1].fakes,
                              spec.capacity, spec.rule));
    }
}

} // namespace
} // namespace canon
