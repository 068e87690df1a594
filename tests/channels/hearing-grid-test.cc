// The hearing grid (model/channels/hearing-grid.h) finds exactly the listeners a comparison of
// every pair finds, while vehicles move and listeners come and go, and rebuilds only on movement.
#include "model/channels/hearing-grid.h"
#include "model/core/rng.h"

#include <gtest/gtest.h>

#include <cmath>

namespace canon
{
namespace
{

std::vector<uint32_t>
BruteForce(const std::vector<HearingGrid::Position>& p, const std::vector<uint32_t>& listeners,
           uint32_t from, double range)
{
    std::vector<uint32_t> out;
    for (uint32_t w : listeners)
    {
        if (w != from &&
            std::hypot(p[from].first - p[w].first, p[from].second - p[w].second) <= range)
        {
            out.push_back(w);
        }
    }
    return out;
}

TEST(HearingGridTest, FindsWhatEveryPairFindsWhileVehiclesMove)
{
    Rng rng(3);
    const uint32_t n = 300;
    std::vector<HearingGrid::Position> pos;
    std::vector<std::pair<double, double>> velocity;
    for (uint32_t v = 0; v < n; ++v)
    {
        pos.emplace_back(rng.Uniform() * 4000 - 2000, rng.Uniform() * 600 - 300);
        velocity.emplace_back(rng.Uniform() * 66 - 33, rng.Uniform() * 10 - 5);
    }
    HearingGrid grid(250, 125);
    uint64_t found = 0;
    for (int step = 0; step < 200; ++step) // 20 s in 0.1 s steps
    {
        std::vector<uint32_t> listeners;
        for (uint32_t v = 0; v < n; ++v)
        {
            pos[v].first += velocity[v].first * 0.1;
            pos[v].second += velocity[v].second * 0.1;
            if ((v + static_cast<uint32_t>(step) / 50) % 7 != 0) // some leave, others come back
            {
                listeners.push_back(v);
            }
        }
        grid.Update(pos, listeners);
        for (uint32_t v = 0; v < n; v += 3)
        {
            const auto want = BruteForce(pos, listeners, v, 250);
            ASSERT_EQ(grid.Near(v), want) << "step " << step << " vehicle " << v;
            found += want.size();
        }
    }
    EXPECT_GT(found, 1000u);
    // Rebuilt when the listeners changed (4 times) or someone moved 62.5 m (33 m/s: every ~2 s).
    EXPECT_LT(grid.Rebuilds(), 40u);
    EXPECT_GT(grid.Rebuilds(), 4u);
}

TEST(HearingGridTest, FarOffPositionsAreClampedButStillExact)
{
    HearingGrid grid(250, 125);
    const std::vector<HearingGrid::Position> pos = {{1e15, 0}, {1e15 + 100, 0}, {-1e15, 0}};
    grid.Update(pos, {0, 1, 2});
    EXPECT_EQ(grid.Near(0), std::vector<uint32_t>({1}));
    EXPECT_TRUE(grid.Near(2).empty());
}

} // namespace
} // namespace canon
