#include "model/consensus/finality.h"
#include "model/consensus/producer-schedule.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace canon
{
namespace
{

TEST(Schedule, CycleOrderIsAPermutationAndDeterministicForASeed)
{
    Hash256 seed = Blake2b256(std::string("lib"));
    auto a = CycleOrder(21, seed), b = CycleOrder(21, seed);
    EXPECT_EQ(a, b);
    auto sorted = a;
    std::sort(sorted.begin(), sorted.end());
    for (uint32_t i = 0; i < 21; ++i)
    {
        EXPECT_EQ(sorted[i], i);
    }
    EXPECT_NE(a, CycleOrder(21, Blake2b256(std::string("other lib"))));
}

TEST(Schedule, EveryProducerGetsExactlyOneSlotPerCycle)
{
    test::TestChain tc(21);
    ConsensusChain chain(tc.params);
    std::set<uint32_t> seen;
    for (uint64_t slot = 21; slot < 42; ++slot)
    {
        seen.insert(chain.ProducerFor(chain.Best(), slot));
    }
    EXPECT_EQ(seen.size(), 21u);
}

TEST(Schedule, FinalityThresholdIsFloorTwoThirdsPlusTwo)
{
    EXPECT_EQ(FinalityThreshold(21), 16u);
    EXPECT_EQ(FinalityThreshold(7), 6u);
    EXPECT_EQ(FinalityThreshold(4), 4u);
    EXPECT_EQ(FinalityThreshold(3), 3u) << "capped at N where the formula exceeds it";
    EXPECT_EQ(FinalityThreshold(1), 1u);
}

TEST(Schedule, MissedSlotGivesATwoSlotGapBetweenBlocks)
{
    test::TestChain tc(4);
    tc.params->slotDuration = 1 * kSecond;
    ConsensusChain chain(tc.params);
    auto b1 = tc.MakeBlock(chain, chain.Best(), 1);
    ASSERT_TRUE(chain.AddBlock(b1, test::TestChain::Size(b1), kSecond).status.IsOk());
    // Slot 2's producer is offline; slot 3's producer builds on block 1.
    auto b3 = tc.MakeBlock(chain, chain.Best(), 3);
    auto r = chain.AddBlock(b3, test::TestChain::Size(b3), 3 * kSecond);
    ASSERT_TRUE(r.status.IsOk()) << r.status.ToString();
    EXPECT_EQ(b3->header.timestamp - b1->header.timestamp, 2 * tc.params->slotDuration);
    EXPECT_EQ(chain.Best()->height, 2u);
}

TEST(Schedule, CycleSeedComesFromTheIrreversibleBlockBeforeTheCycle)
{
    test::TestChain tc(4);
    ConsensusChain chain(tc.params);
    // Fill cycles 0 and 1 (slots 1..7) so that some block is irreversible.
    for (uint64_t slot = 1; slot < 8; ++slot)
    {
        auto b = tc.MakeBlock(chain, chain.Best(), slot);
        ASSERT_TRUE(chain.AddBlock(b, test::TestChain::Size(b), 10 * kSecond).status.IsOk());
    }
    const BlockEntry* tip = chain.Best();
    ASSERT_GT(tip->lib->height, 0u);
    EXPECT_EQ(CycleSeed(tip, 8, 4), tip->lib->hash);
    // Slot 9 is in the same cycle: the seed is fixed by the blocks before slot 8, not by the
    // newest irreversible block.
    auto b8 = tc.MakeBlock(chain, chain.Best(), 8);
    ASSERT_TRUE(chain.AddBlock(b8, test::TestChain::Size(b8), 10 * kSecond).status.IsOk());
    EXPECT_EQ(CycleSeed(chain.Best(), 9, 4), tip->lib->hash);
}

} // namespace
} // namespace canon
