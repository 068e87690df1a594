#include "model/fees/fee-auction.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

// Six bids, A to F; B and C tie on the bid and B arrived first.
std::vector<FeeBid>
SixBids()
{
    const uint64_t amounts[] = {10, 8, 8, 5, 3, 1};
    std::vector<FeeBid> bids;
    for (uint64_t i = 0; i < 6; ++i)
    {
        FeeBid b;
        b.bid = amounts[i];
        b.arrival = i;
        b.id[0] = static_cast<uint8_t>(100 - i);
        bids.push_back(b);
    }
    return bids;
}

ClearingRule
Rule(FeeMechanism m, uint32_t capacity, uint64_t reserve, ProducerCut cut = ProducerCut::kHonest)
{
    ClearingRule r;
    r.mechanism = m;
    r.capacity = capacity;
    r.reserve = reserve;
    r.cut = cut;
    return r;
}

using Indices = std::vector<std::size_t>;

TEST(FeeAuction, FirstPriceEachPaysItsBid)
{
    const Clearing c = Clear(SixBids(), Rule(FeeMechanism::kFirstPrice, 3, 2));
    EXPECT_EQ(c.included, (Indices{0, 1, 2}));
    EXPECT_EQ(c.revenue, 10u + 8 + 8);
    EXPECT_EQ(c.price, 8u);
    EXPECT_EQ(c.burned, 0u);
}

TEST(FeeAuction, UniformHonestAllPayTheHighestExcludedBid)
{
    const Clearing c = Clear(SixBids(), Rule(FeeMechanism::kUniform, 3, 2));
    EXPECT_EQ(c.included, (Indices{0, 1, 2}));
    EXPECT_EQ(c.price, 5u); // D's bid
    EXPECT_EQ(c.revenue, 15u);
}

TEST(FeeAuction, UniformPaysTheReserveWhenTheExcludedBidIsBelowIt)
{
    // Capacity 6, reserve 2: F (1) is below the reserve, so A to E enter and pay the reserve.
    const Clearing c = Clear(SixBids(), Rule(FeeMechanism::kUniform, 6, 2));
    EXPECT_EQ(c.included, (Indices{0, 1, 2, 3, 4}));
    EXPECT_EQ(c.price, 2u);
    EXPECT_EQ(c.revenue, 10u);
    // Nothing excluded at all: the reserve.
    EXPECT_EQ(Clear(SixBids(), Rule(FeeMechanism::kUniform, 9, 0)).price, 0u);
}

TEST(FeeAuction, UniformRevenueMaximisingCutLeavesRoomUnused)
{
    // n=1: 1*8, n=2: 2*8 (C excluded), n=3: 3*5. The producer takes two at 8 (Figure 6 b).
    const Clearing c =
        Clear(SixBids(), Rule(FeeMechanism::kUniform, 3, 2, ProducerCut::kRevenueMax));
    EXPECT_EQ(c.included, (Indices{0, 1}));
    EXPECT_EQ(c.price, 8u);
    EXPECT_EQ(c.revenue, 16u);
}

TEST(FeeAuction, MonopolisticPicksTheRevenueMaximisingK)
{
    // Capacity 6, reserve 2: k*b_k is 10, 16, 24, 20, 15: k = 3, all pay 8.
    const Clearing c = Clear(SixBids(), Rule(FeeMechanism::kMonopolistic, 6, 2));
    EXPECT_EQ(c.included, (Indices{0, 1, 2}));
    EXPECT_EQ(c.price, 8u);
    EXPECT_EQ(c.revenue, 24u);
    // Capacity 2: k = 2 at 8.
    EXPECT_EQ(Clear(SixBids(), Rule(FeeMechanism::kMonopolistic, 2, 2)).revenue, 16u);
}

TEST(FeeAuction, TiesGoToEarlierArrivalThenLowerId)
{
    std::vector<FeeBid> bids = SixBids();
    EXPECT_EQ(Clear(bids, Rule(FeeMechanism::kFirstPrice, 2, 0)).included, (Indices{0, 1}));
    bids[2].arrival = 0; // C now arrived with A, before B
    EXPECT_EQ(Clear(bids, Rule(FeeMechanism::kFirstPrice, 2, 0)).included, (Indices{0, 2}));
    bids[1].arrival = 0; // all three arrived together: C has the lower id (98 < 99)
    EXPECT_EQ(Clear(bids, Rule(FeeMechanism::kFirstPrice, 2, 0)).included, (Indices{0, 2}));
    bids[1].id[0] = 1; // now B's id is lower
    EXPECT_EQ(Clear(bids, Rule(FeeMechanism::kFirstPrice, 2, 0)).included, (Indices{0, 1}));
}

TEST(FeeAuction, Eip1559OrdersByEffectiveTipBurnsTheBaseFee)
{
    // Base fee 4, reserve (least tip) 1. (cap, tip): A (10,1) tip 1; B (6,5) tip 2; C (4,3) tip
    // 0, below the reserve; D (3,3) cap below the base fee; E (20,3) tip 3.
    const uint64_t caps[] = {10, 6, 4, 3, 20};
    const uint64_t tips[] = {1, 5, 3, 3, 3};
    std::vector<FeeBid> bids;
    for (uint64_t i = 0; i < 5; ++i)
    {
        FeeBid b;
        b.bid = caps[i];
        b.tip = tips[i];
        b.arrival = i;
        bids.push_back(b);
    }
    ClearingRule r = Rule(FeeMechanism::kEip1559, 2, 1);
    r.baseFee = 4;
    const Clearing c = Clear(bids, r);
    EXPECT_EQ(c.included, (Indices{4, 1}));
    EXPECT_EQ(c.price, 4u);
    EXPECT_EQ(c.burned, 8u);
    EXPECT_EQ(c.revenue, 3u + 2);
    r.capacity = 9;
    EXPECT_EQ(Clear(bids, r).included, (Indices{4, 1, 0}));
}

TEST(FeeAuction, ChargeRules)
{
    EXPECT_EQ(ChargeFor(FeeMechanism::kFirstPrice, 7, 0, 3, 0)->paid, 7u);
    EXPECT_EQ(ChargeFor(FeeMechanism::kUniform, 7, 0, 3, 0)->paid, 3u);
    EXPECT_FALSE(ChargeFor(FeeMechanism::kUniform, 2, 0, 3, 0).has_value());
    EXPECT_FALSE(ChargeFor(FeeMechanism::kMonopolistic, 2, 0, 3, 0).has_value());
    const FeeCharge e = *ChargeFor(FeeMechanism::kEip1559, 10, 4, 0, 8);
    EXPECT_EQ(e.paid, 10u); // the tip is cut to cap - base = 2
    EXPECT_EQ(e.toProducer, 2u);
    EXPECT_EQ(e.burned, 8u);
    EXPECT_FALSE(ChargeFor(FeeMechanism::kEip1559, 7, 4, 0, 8).has_value());
}

TEST(FeeAuction, BaseFeeMovesAtMostOneEighthTowardsTarget)
{
    FeeRuleParams p; // target half of capacity, denominator 8
    EXPECT_EQ(NextBaseFee(1000, 10, 10, p), 1125u);
    EXPECT_EQ(NextBaseFee(1000, 0, 10, p), 875u);
    EXPECT_EQ(NextBaseFee(1000, 5, 10, p), 1000u);
    EXPECT_EQ(NextBaseFee(1000, 6, 10, p), 1025u);
    EXPECT_EQ(NextBaseFee(1, 6, 10, p), 2u); // a rise is at least 1
    EXPECT_EQ(NextBaseFee(0, 0, 10, p), 0u);
    p.targetPermille = 100; // target 1: a full block still moves only 1/8
    EXPECT_EQ(NextBaseFee(800, 10, 10, p), 900u);
}

TEST(FeeAuction, MechanismNamesRoundTrip)
{
    for (uint8_t i = 0; i < 4; ++i)
    {
        const auto m = static_cast<FeeMechanism>(i);
        EXPECT_EQ(ParseFeeMechanism(FeeMechanismName(m)), m);
    }
    EXPECT_FALSE(ParseFeeMechanism("second-price").has_value());
}

} // namespace
} // namespace canon
