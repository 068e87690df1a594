// NEM's time-based vesting (NIS WeightedBalance): what an account receives vests a tenth of its
// unvested remainder per day boundary; sends take from both parts in proportion.
#include "model/consensus/baselines/poi-vesting.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

constexpr uint64_t kDay = 10; // blocks per day in these tests

TEST(ConsensusPoiVesting, ReceivedValueVestsATenthOfTheRemainderPerDayBoundary)
{
    PoiBalance b;
    b.Receive(5, 1000, kDay);
    EXPECT_EQ(b.At(10, kDay).unvested, 1000u); // the boundary at 10 counts from height 11 on
    EXPECT_EQ(b.At(11, kDay).vested, 100u);
    const PoiBalance later = b.At(31, kDay); // boundaries 10, 20, 30
    EXPECT_EQ(later.unvested, 729u);
    EXPECT_EQ(later.vested, 271u);
    EXPECT_EQ(later.Total(), 1000u);
}

TEST(ConsensusPoiVesting, VestingRoundsTheUnvestedPartDown)
{
    PoiBalance b;
    b.Receive(1, 15, kDay);
    const PoiBalance next = b.At(11, kDay);
    EXPECT_EQ(next.unvested, 13u); // floor(15 · 9 / 10)
    EXPECT_EQ(next.vested, 2u);
}

TEST(ConsensusPoiVesting, AVeryLongIdleSpanVestsEverything)
{
    PoiBalance b;
    b.Receive(1, 1000000000000000000ULL, kDay);
    const PoiBalance later = b.At(UINT64_MAX, kDay);
    EXPECT_EQ(later.unvested, 0u);
    EXPECT_EQ(later.vested, 1000000000000000000ULL);
}

TEST(ConsensusPoiVesting, SendsTakeFromBothPartsInProportion)
{
    PoiBalance b = PoiBalance::Vested(300, 0);
    b.Receive(1, 100, kDay);
    b.Send(2, 200, kDay); // a quarter unvested
    EXPECT_EQ(b.unvested, 50u);
    EXPECT_EQ(b.vested, 150u);
    b.Send(3, 200, kDay);
    EXPECT_EQ(b.Total(), 0u);
}

TEST(ConsensusPoiVesting, GenesisValueIsFullyVested)
{
    const PoiBalance b = PoiBalance::Vested(7, 0);
    EXPECT_EQ(b.At(100, kDay).vested, 7u);
    EXPECT_EQ(b.At(100, kDay).unvested, 0u);
}

TEST(ConsensusPoiVesting, MoveToReceivesOrSendsTheDifference)
{
    PoiBalance b = PoiBalance::Vested(100, 0);
    b.MoveTo(1, 150, kDay);
    EXPECT_EQ(b.vested, 100u);
    EXPECT_EQ(b.unvested, 50u);
    b.MoveTo(2, 75, kDay);
    EXPECT_EQ(b.Total(), 75u);
    EXPECT_EQ(b.vested, 50u);
}

} // namespace
} // namespace canon
