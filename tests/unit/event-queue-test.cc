#include "model/sim/event-queue.h"

#include <gtest/gtest.h>

#include <memory>
#include <queue>
#include <random>
#include <tuple>

namespace canon
{
namespace
{

// Pushes and pops at random, many events at one time, as a simulation does; the order must be
// the one total order (time, then sequence) a reference heap gives.
TEST(EventQueue, PopsByTimeThenSequenceAsAReferenceHeap)
{
    std::mt19937_64 rng(21);
    EventQueue<uint64_t> queue;
    using Entry = std::tuple<TimeNs, uint64_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> reference;
    uint64_t seq = 0;
    TimeNs now = 0;
    for (int step = 0; step < 50000; ++step)
    {
        if (rng() % 3 != 0 || reference.empty())
        {
            const TimeNs at = now + static_cast<TimeNs>(rng() % 8) * 1000;
            queue.Push(at, seq, seq * 7); // the payload names its sequence
            reference.emplace(at, seq);
            ++seq;
        }
        else
        {
            ASSERT_EQ(queue.NextAt(), std::get<0>(reference.top()));
            const uint64_t payload = queue.Pop();
            ASSERT_EQ(payload, std::get<1>(reference.top()) * 7) << "step " << step;
            now = std::get<0>(reference.top());
            reference.pop();
        }
        ASSERT_EQ(queue.Size(), reference.size());
    }
}

TEST(EventQueue, APoppedEventNoLongerHoldsWhatItCarried)
{
    EventQueue<std::shared_ptr<int>> queue;
    auto carried = std::make_shared<int>(1);
    queue.Push(5, 0, carried);
    queue.Push(9, 1, nullptr);
    EXPECT_EQ(carried.use_count(), 2);
    EXPECT_EQ(queue.Pop(), carried);
    EXPECT_EQ(carried.use_count(), 1);
    EXPECT_EQ(queue.NextAt(), 9);
}

} // namespace
} // namespace canon
