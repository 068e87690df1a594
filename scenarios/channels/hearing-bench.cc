// What one simulated second of safety messages costs the channels feature in finding who hears
// whom (model/run/channels-feature.h, model/channels/hearing-grid.h), before and after the grid:
//   all-pairs  each vehicle's message reads every position and compares it with every vehicle
//              (the feature before: O(vehicles^2) a second);
//   grid       messages fall on 100 instants a second; each instant reads every position once,
//              updates the hearing grid, and each sender compares itself with the listeners of
//              the nine cells around it.
// Vehicles drive a two-lane highway at one per 60 m (the vehicular scenario's density) at 18-33
// m/s, range 250 m. Reading positions is a copy here; in ns-3 it asks every mobility model, so
// the all-pairs row understates the old cost there. Run: build/scenarios/channels/hearing-bench
// (scenarios/channels/README.md has numbers).
#include "model/channels/hearing-grid.h"
#include "model/core/rng.h"

#include <benchmark/benchmark.h>

#include <cmath>

namespace canon
{
namespace
{

constexpr double kRange = 250;
constexpr uint32_t kInstants = 100; // a second of 10 ms beacon phases

struct Highway
{
    std::vector<HearingGrid::Position> start;
    std::vector<double> speed;

    explicit Highway(uint32_t vehicles)
    {
        Rng rng(7);
        for (uint32_t v = 0; v < vehicles; ++v)
        {
            start.emplace_back(rng.Uniform() * 60.0 * vehicles, (v % 2) * 4.0);
            speed.push_back(18 + 15 * rng.Uniform());
        }
    }
    // Everyone's position `t` seconds after the start (the roles of Positions()).
    std::vector<HearingGrid::Position> At(double t) const
    {
        std::vector<HearingGrid::Position> p = start;
        for (std::size_t v = 0; v < p.size(); ++v)
        {
            p[v].first += speed[v] * t;
        }
        return p;
    }
};

void
BM_AllPairsSecond(benchmark::State& state)
{
    const auto vehicles = static_cast<uint32_t>(state.range(0));
    const Highway road(vehicles);
    uint64_t heard = 0;
    const double t = 0; // every iteration is the same first second
    for (auto _ : state)
    {
        for (uint32_t v = 0; v < vehicles; ++v)
        {
            const auto pos = road.At(t + static_cast<double>(v % kInstants) / kInstants);
            for (uint32_t w = 0; w < vehicles; ++w)
            {
                const bool near = std::hypot(pos[v].first - pos[w].first,
                                             pos[v].second - pos[w].second) <= kRange;
                heard += w != v && near ? 1 : 0;
            }
        }
    }
    benchmark::DoNotOptimize(heard);
    state.counters["heard_per_s"] =
        static_cast<double>(heard) / static_cast<double>(state.iterations());
}

void
BM_GridSecond(benchmark::State& state)
{
    const auto vehicles = static_cast<uint32_t>(state.range(0));
    const Highway road(vehicles);
    std::vector<uint32_t> all(vehicles);
    for (uint32_t v = 0; v < vehicles; ++v)
    {
        all[v] = v;
    }
    HearingGrid grid(kRange, kRange / 2);
    uint64_t heard = 0;
    const double t = 0; // every iteration is the same first second
    for (auto _ : state)
    {
        const uint32_t instants = std::min(vehicles, kInstants);
        for (uint32_t k = 0; k < instants; ++k)
        {
            grid.Update(road.At(t + static_cast<double>(k) / kInstants), all);
            for (uint32_t v = k; v < vehicles; v += instants)
            {
                heard += grid.Near(v).size();
            }
        }
    }
    benchmark::DoNotOptimize(heard);
    state.counters["heard_per_s"] =
        static_cast<double>(heard) / static_cast<double>(state.iterations());
    state.counters["rebuilds_per_s"] =
        static_cast<double>(grid.Rebuilds()) / static_cast<double>(state.iterations());
}

BENCHMARK(BM_AllPairsSecond)
    ->Arg(24)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GridSecond)->Arg(24)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

} // namespace
} // namespace canon

BENCHMARK_MAIN();
