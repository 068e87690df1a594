#include "model/core/ring-queue.h"

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <random>

namespace canon
{
namespace
{

TEST(RingQueue, BehavesAsADequeThroughPushesPopsErasesAndWraps)
{
    std::mt19937_64 rng(4);
    RingQueue<int> ring;
    std::deque<int> reference;
    for (int step = 0; step < 20000; ++step)
    {
        const uint64_t op = rng() % 10;
        if (op < 5 || reference.empty())
        {
            ring.push_back(step);
            reference.push_back(step);
        }
        else if (op < 9)
        {
            ring.pop_front();
            reference.pop_front();
        }
        else
        {
            const std::size_t k = rng() % reference.size();
            ring.erase_at(k);
            reference.erase(reference.begin() + static_cast<std::ptrdiff_t>(k));
        }
        ASSERT_EQ(ring.size(), reference.size());
        ASSERT_TRUE(std::equal(ring.begin(), ring.end(), reference.begin(), reference.end()))
            << "step " << step;
        if (!reference.empty())
        {
            ASSERT_EQ(ring.front(), reference.front());
            ASSERT_EQ(ring.back(), reference.back());
        }
    }
}

TEST(RingQueue, AllocatesNothingUntilUsedAndReleasesWhatItPops)
{
    RingQueue<std::shared_ptr<int>> ring;
    EXPECT_EQ(ring.capacity(), 0u);
    auto held = std::make_shared<int>(7);
    ring.push_back(held);
    EXPECT_EQ(held.use_count(), 2);
    ring.pop_front();
    EXPECT_EQ(held.use_count(), 1); // the popped slot no longer keeps it
    ring.push_back(held);
    ring.clear();
    EXPECT_EQ(ring.capacity(), 0u);
    EXPECT_EQ(held.use_count(), 1);
}

} // namespace
} // namespace canon
