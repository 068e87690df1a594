// The PoW mining rule (model/consensus/baselines/pow-mining.h): success ticks form a Bernoulli
// process with p = 1 - exp(-r) per tick, the same for everyone who asks, memoryless, and cheap to
// check at any tick. Statistical checks use z <= 4 against the exact geometric moments.
#include "model/consensus/baselines/pow-mining.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace canon
{
namespace
{

Hash256
ParentHash(uint64_t i)
{
    return Blake2b256("pow-mining-test/parent/" + std::to_string(i));
}

PublicKey
MinerKey(uint32_t i)
{
    return KeyPair::FromSeed(Blake2b256("pow-mining-test/miner/" + std::to_string(i))).Public();
}

constexpr uint64_t kFar = std::numeric_limits<uint64_t>::max();

// The first `n` success ticks of a stream, in order.
std::vector<uint64_t>
Successes(const PowSuccessTicks& t, uint64_t after, std::size_t n)
{
    std::vector<uint64_t> out;
    uint64_t from = after + 1;
    while (out.size() < n)
    {
        std::optional<uint64_t> s = t.FirstIn(from, kFar);
        EXPECT_TRUE(s.has_value());
        if (!s)
        {
            break;
        }
        out.push_back(*s);
        from = *s + 1;
    }
    return out;
}

TEST(ConsensusPowMining, SameInputsGiveTheSameTicksAndOtherInputsOthers)
{
    const double r = 0.05;
    const auto a = Successes(PowSuccessTicks(ParentHash(1), 100, MinerKey(0), r), 100, 50);
    EXPECT_EQ(a, Successes(PowSuccessTicks(ParentHash(1), 100, MinerKey(0), r), 100, 50));
    EXPECT_NE(a, Successes(PowSuccessTicks(ParentHash(2), 100, MinerKey(0), r), 100, 50));
    EXPECT_NE(a, Successes(PowSuccessTicks(ParentHash(1), 100, MinerKey(1), r), 100, 50));
}

TEST(ConsensusPowMining, GapsAreGeometricWithTheTickProbability)
{
    const double r = 0.02;
    const double p = 1 - std::exp(-r);
    const std::size_t n = 20000;
    const PowSuccessTicks t(ParentHash(7), 0, MinerKey(0), r);
    ASSERT_EQ(t.ChunkTicks(), 400u); // ceil(8 / 0.02)
    const auto s = Successes(t, 0, n);
    ASSERT_EQ(s.size(), n);
    double sum = 0;
    double ones = 0;
    double beyondMean = 0;
    uint64_t prev = 0;
    for (uint64_t tick : s)
    {
        const double gap = static_cast<double>(tick - prev);
        sum += gap;
        ones += gap == 1 ? 1 : 0;
        beyondMean += gap > 50 ? 1 : 0;
        prev = tick;
    }
    const double nd = static_cast<double>(n);
    // Geometric(p) on {1, 2, ...}: mean 1/p, sd sqrt(1-p)/p; P(G = 1) = p; P(G > 50) = (1-p)^50.
    EXPECT_NEAR(sum / nd, 1 / p, 4 * std::sqrt(1 - p) / p / std::sqrt(nd));
    EXPECT_NEAR(ones, nd * p, 4 * std::sqrt(nd * p * (1 - p)));
    const double q = std::pow(1 - p, 50);
    EXPECT_NEAR(beyondMean, nd * q, 4 * std::sqrt(nd * q * (1 - q)));
}

TEST(ConsensusPowMining, TheFirstSuccessAfterAnyTickIsGeometricFromThere)
{
    // A miner that moves to a parent late takes its first success after the move: that wait must
    // be Geometric(p) whatever the offset (memorylessness, across chunk boundaries too).
    const double r = 0.02;
    const double p = 1 - std::exp(-r);
    const std::size_t n = 5000;
    double sum = 0;
    double immediate = 0;
    for (std::size_t i = 0; i < n; ++i)
    {
        const uint64_t parentSlot = 1000 + i;
        const uint64_t from = parentSlot + 1 + (i * 7919) % 2000;
        const PowSuccessTicks t(ParentHash(100 + i), parentSlot, MinerKey(1), r);
        const std::optional<uint64_t> s = t.FirstIn(from, kFar);
        ASSERT_TRUE(s.has_value());
        sum += static_cast<double>(*s - from + 1);
        immediate += *s == from ? 1 : 0;
    }
    const double nd = static_cast<double>(n);
    EXPECT_NEAR(sum / nd, 1 / p, 4 * std::sqrt(1 - p) / p / std::sqrt(nd));
    EXPECT_NEAR(immediate, nd * p, 4 * std::sqrt(nd * p * (1 - p)));
}

TEST(ConsensusPowMining, IsSuccessAgreesWithTheSuccessSequenceAcrossChunks)
{
    const PowSuccessTicks t(ParentHash(3), 500, MinerKey(2), 0.1); // K = 80 ticks
    const auto s = Successes(t, 500, 400);
    std::size_t next = 0;
    for (uint64_t tick = 400; tick <= s.back(); ++tick)
    {
        const bool expected = next < s.size() && s[next] == tick;
        ASSERT_EQ(t.IsSuccess(tick), expected) << "tick " << tick;
        ASSERT_EQ(t.FirstIn(tick, 1).has_value(), expected) << "tick " << tick;
        next += expected ? 1 : 0;
    }
    EXPECT_EQ(next, s.size());
}

TEST(ConsensusPowMining, NothingSucceedsAtOrBeforeTheParentsSlot)
{
    const PowSuccessTicks t(ParentHash(4), 1000, MinerKey(0), 5.0); // p > 0.99
    EXPECT_FALSE(t.IsSuccess(1000));
    EXPECT_FALSE(t.IsSuccess(0));
    EXPECT_FALSE(t.FirstIn(0, 1001).has_value());
    const std::optional<uint64_t> s = t.FirstIn(0, kFar);
    ASSERT_TRUE(s.has_value());
    EXPECT_GT(*s, 1000u);
}

TEST(ConsensusPowMining, AMinerWithoutRateNeverSucceeds)
{
    for (double r : {0.0, -1.0, std::nan(""), std::numeric_limits<double>::infinity()})
    {
        const PowSuccessTicks t(ParentHash(5), 0, MinerKey(0), r);
        EXPECT_EQ(t.ChunkTicks(), 0u);
        EXPECT_FALSE(t.FirstIn(0, kFar).has_value());
        EXPECT_FALSE(t.IsSuccess(1));
    }
}

TEST(ConsensusPowMining, TheHorizonEndIsExclusive)
{
    const PowSuccessTicks t(ParentHash(6), 0, MinerKey(3), 0.01);
    const uint64_t from = 777;
    const std::optional<uint64_t> s = t.FirstIn(from, kFar);
    ASSERT_TRUE(s.has_value());
    EXPECT_FALSE(t.FirstIn(from, *s - from).has_value());
    EXPECT_EQ(t.FirstIn(from, *s - from + 1), s);
    EXPECT_FALSE(t.FirstIn(from, 0).has_value());
}

TEST(ConsensusPowMining, TicksFarFromTheParentAndNearTheEndOfTimeStayCheap)
{
    // One chunk is replayed whatever the distance from the parent.
    const PowSuccessTicks far(ParentHash(8), 0, MinerKey(0), 0.001);
    const uint64_t tick = 1000000000000ULL;
    const std::optional<uint64_t> s = far.FirstIn(tick, kFar);
    ASSERT_TRUE(s.has_value());
    EXPECT_TRUE(far.IsSuccess(*s));
    EXPECT_EQ(far.IsSuccess(tick), *s == tick);
    // Near 2^64 nothing overflows: the answer is found or not, and the call returns.
    const PowSuccessTicks late(ParentHash(9), kFar - 10, MinerKey(0), 0.5);
    const std::optional<uint64_t> l = late.FirstIn(0, kFar);
    if (l)
    {
        EXPECT_GT(*l, kFar - 10);
        EXPECT_LT(*l, kFar);
    }
    EXPECT_FALSE(late.IsSuccess(kFar - 10));
    const PowSuccessTicks end(ParentHash(9), kFar, MinerKey(0), 0.5);
    EXPECT_FALSE(end.FirstIn(0, kFar).has_value());
    EXPECT_FALSE(end.IsSuccess(kFar));
}

TEST(ConsensusPowMining, AVanishingRateGetsTheLongestChunk)
{
    const PowSuccessTicks t(ParentHash(10), 0, MinerKey(0), 1e-300);
    EXPECT_EQ(t.ChunkTicks(), kPowChunkTicksMax);
    EXPECT_FALSE(t.FirstIn(1, 1000000).has_value());
}

} // namespace
} // namespace canon
