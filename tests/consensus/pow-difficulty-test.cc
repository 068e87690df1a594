// PoW difficulty retargeting (model/consensus/baselines/pow-difficulty.h, NOTES.md 4.2): the rule
// on hand-made numbers, the engine's windows on a hand-built chain, and the feedback loop
// bringing the block interval back to the target when hash power is missing.
#include "model/consensus/baselines/pow-difficulty.h"
#include "pow-test-chain.h"

#include <gtest/gtest.h>

#include <cmath>

namespace canon
{
namespace
{

TEST(ConsensusPowDifficulty, RetargetHeightsAreThePositiveMultiplesOfTheWindow)
{
    EXPECT_FALSE(IsRetargetHeight(0, 10));
    EXPECT_FALSE(IsRetargetHeight(5, 10));
    EXPECT_TRUE(IsRetargetHeight(10, 10));
    EXPECT_TRUE(IsRetargetHeight(20, 10));
    EXPECT_FALSE(IsRetargetHeight(10, 0)); // retargeting off
}

TEST(ConsensusPowDifficulty, DifficultyScalesByExpectedOverActualClampedToFour)
{
    const TimeNs t = 90 * kSecond;
    EXPECT_EQ(RetargetDifficulty(1000, t, t), 1000u);
    EXPECT_EQ(RetargetDifficulty(1000, 2 * t, t), 500u);    // blocks came twice as slowly
    EXPECT_EQ(RetargetDifficulty(1000, t / 2, t), 2000u);   // twice as fast
    EXPECT_EQ(RetargetDifficulty(1000, 100 * t, t), 250u);  // at most / 4
    EXPECT_EQ(RetargetDifficulty(1000, t / 100, t), 4000u); // at most * 4
    EXPECT_EQ(RetargetDifficulty(1000, 0, t), 4000u);
    EXPECT_EQ(RetargetDifficulty(1000, -5, t), 4000u);
}

TEST(ConsensusPowDifficulty, DifficultyStaysWithinItsBoundsWithoutOverflow)
{
    const TimeNs longest = static_cast<TimeNs>(kPowRetargetBlocksMax - 1) * kPowMeanIntervalMax;
    EXPECT_EQ(RetargetDifficulty(kPowDifficultyMax, 1, longest), kPowDifficultyMax);
    EXPECT_EQ(RetargetDifficulty(kPowDifficultyMax / 2, longest / 3, longest), kPowDifficultyMax);
    EXPECT_EQ(RetargetDifficulty(kPowDifficultyMin, longest, longest / 8), kPowDifficultyMin);
    EXPECT_EQ(RetargetDifficulty(3, 4 * kSecond, kSecond), 1u);
}

TEST(ConsensusPowDifficulty, TheEngineRetargetsAtWindowEndsFromTheWindowsSpan)
{
    // 100 ticks per mean interval; W = 5: the block at height 5 measures the span from genesis
    // (slot 0) to height 4 (slot 800), 4 intervals of 200 ticks where 100 were expected.
    test::PowChainConfig c;
    c.meanInterval = 10 * kSecond;
    c.tick = 100 * kMillisecond;
    c.retargetBlocks = 5;
    test::PowTestChain chain(c);
    const PowEngine& e = chain.Engine();
    const BlockEntry* b = chain.Genesis();
    for (uint64_t h = 1; h <= 4; ++h)
    {
        b = chain.Add(b, 0, 200 * h, false);
        EXPECT_EQ(PowEngine::StateOf(*b).difficulty, kPowGenesisDifficulty) << h;
        EXPECT_EQ(PowEngine::StateOf(*b).windowStartSlot, 0u);
    }
    const uint64_t d0 = kPowGenesisDifficulty;
    EXPECT_EQ(e.ChildDifficulty(*b), d0 / 2);
    b = chain.Add(b, 1, 850, false); // height 5 opens the next window
    EXPECT_EQ(PowEngine::StateOf(*b).difficulty, d0 / 2);
    EXPECT_EQ(PowEngine::StateOf(*b).windowStartSlot, 850u);
    EXPECT_EQ(PowEngine::StateOf(*b).work, 4 * d0 + d0 / 2);
    // Heights 6-9 keep it; height 10 measures slot(9) - slot(5) = 4 * 25 ticks against 4 * 100:
    // four times too fast, the clamp's limit.
    for (uint64_t h = 6; h <= 9; ++h)
    {
        b = chain.Add(b, 2, 850 + 25 * (h - 5), false);
        EXPECT_EQ(PowEngine::StateOf(*b).difficulty, d0 / 2);
    }
    EXPECT_EQ(e.ChildDifficulty(*b), 2 * d0);
}

TEST(ConsensusPowDifficulty, RetargetingRestoresTheMeanIntervalWhenHashPowerIsMissing)
{
    // Four equal miners, but only miner 0 mines: at the genesis difficulty blocks come every
    // 4 * T. With W = 50 the difficulty falls (by at most 4 per window) until blocks come every
    // T again. After a window of warm-up each retarget sets D / D* = 49 / Gamma(49): the mean
    // interval is about 49/48 T with a relative s.d. near 0.05 over 20 windows; 4 s.d. = 0.2.
    test::PowChainConfig c;
    c.meanInterval = 10 * kSecond;
    c.tick = 100 * kMillisecond;
    c.retargetBlocks = 50;
    test::PowTestChain chain(c);
    const BlockEntry* b = chain.Genesis();
    for (int i = 0; i < 50; ++i)
    {
        b = chain.Mine(b, 0, false);
    }
    const double slowStart = static_cast<double>(b->slot) / 50.0 / 100.0;
    EXPECT_GT(slowStart, 2.0);    // about 4 intervals per block before the first retarget
    for (int i = 0; i < 100; ++i) // two windows settle
    {
        b = chain.Mine(b, 0, false);
    }
    const uint64_t startSlot = b->slot;
    const int blocks = 1000;
    for (int i = 0; i < blocks; ++i)
    {
        b = chain.Mine(b, 0, false);
    }
    const double meanIntervals = static_cast<double>(b->slot - startSlot) / blocks / 100.0;
    EXPECT_NEAR(meanIntervals, 49.0 / 48.0, 0.2);
}

TEST(ConsensusPowDifficulty, WithoutRetargetingTheDifficultyNeverMoves)
{
    test::PowTestChain chain;
    const BlockEntry* b = chain.Genesis();
    for (int i = 0; i < 30; ++i)
    {
        b = chain.Mine(b, static_cast<uint32_t>(i % 4), false);
        EXPECT_EQ(PowEngine::StateOf(*b).difficulty, kPowGenesisDifficulty);
    }
    EXPECT_EQ(PowEngine::StateOf(*b).work, 30 * kPowGenesisDifficulty);
}

} // namespace
} // namespace canon
