#include "model/czr/path-sampling.h"

#include "model/core/rng.h"
#include "model/core/status.h"
#include "model/czr/bidirectional-search.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <thread>

namespace canon
{

namespace
{

constexpr uint32_t kNoComponent = std::numeric_limits<uint32_t>::max();

// Searches whose mean cost sets the sample count under a work budget: two chunks.
constexpr uint32_t kPilotSamples = 2 * kPathsPerChunk;

// Connected components (numbered from 0 in order of their lowest node) and VD~, in one pass of
// BFS per component from its lowest node.
struct ComponentScan
{
    std::vector<uint32_t> component; // per node
    uint32_t vertexDiameter = 0;
};

ComponentScan
ScanComponents(const CsrGraph& g)
{
    const uint32_t n = g.NodeCount();
    ComponentScan scan;
    scan.component.assign(n, kNoComponent);
    std::vector<uint32_t> queue;
    std::vector<uint32_t> dist(n, 0);
    queue.reserve(n);
    uint32_t next = 0;
    for (uint32_t root = 0; root < n; ++root)
    {
        if (scan.component[root] != kNoComponent)
        {
            continue;
        }
        queue.clear();
        queue.push_back(root);
        scan.component[root] = next;
        uint32_t d1 = 0; // the two largest distances from root, d1 >= d2 (root's 0 included)
        uint32_t d2 = 0;
        for (std::size_t head = 0; head < queue.size(); ++head)
        {
            const uint32_t v = queue[head];
            if (head > 0)
            {
                // BFS order: distances never decrease, so v's is the largest so far.
                d2 = d1;
                d1 = dist[v];
            }
            for (uint32_t w : g.Neighbours(v))
            {
                if (scan.component[w] == kNoComponent)
                {
                    scan.component[w] = next;
                    dist[w] = dist[v] + 1;
                    queue.push_back(w);
                }
            }
        }
        const auto size = static_cast<uint32_t>(queue.size());
        scan.vertexDiameter = std::max(scan.vertexDiameter, std::min(d1 + d2 + 1, size));
        ++next;
    }
    return scan;
}

// log2 floor of x >= 1.
uint32_t
FloorLog2(uint32_t x)
{
    uint32_t k = 0;
    while (x > 1)
    {
        x >>= 1;
        ++k;
    }
    return k;
}

// (floor(log2(VD - 2)) + 1 + ln(1 / delta)) * c * (n / (n - 2))^2: r * epsilon^2.
double
BoundNumerator(uint32_t nodes, uint32_t vertexDiameter, double delta)
{
    CANON_ASSERT(nodes >= 3 && vertexDiameter >= 3, "path sampling bound: n >= 3 and VD >= 3");
    CANON_ASSERT(delta > 0.0 && delta < 1.0, "path sampling bound: delta in (0, 1)");
    const double scale = static_cast<double>(nodes) / (static_cast<double>(nodes) - 2.0);
    const double vc = static_cast<double>(FloorLog2(vertexDiameter - 2) + 1);
    return kPathSampleConstant * scale * scale * (vc + std::log(1.0 / delta));
}

// How often each node was internal to a sampled path.
struct Tally
{
    std::vector<uint64_t> counts;
    uint64_t edgeScans = 0;
};

// Draws `samples` pairs and one shortest path for each. Chunk c draws samples
// [c * kPathsPerChunk, ...) from Rng::Derive(seed, purpose, c), whichever thread runs it; each
// thread counts into its own integers, and integer sums do not depend on the order they are
// taken in, so the tally depends on the graph, seed and purpose alone.
Tally
CountInternalNodes(const CsrGraph& g, const std::vector<uint32_t>& component, uint32_t samples,
                   uint64_t seed, const char* purpose, unsigned threads)
{
    const uint32_t n = g.NodeCount();
    const std::size_t chunks = (samples + std::size_t{kPathsPerChunk} - 1) / kPathsPerChunk;
    const std::size_t workers = std::min<std::size_t>(std::max(threads, 1U), chunks);
    std::atomic<std::size_t> nextChunk{0};
    std::vector<std::vector<uint32_t>> counts(workers);
    std::vector<uint64_t> scans(workers, 0);

    auto work = [&](std::size_t worker)
    {
        BidirectionalSearch search(g);
        std::vector<uint32_t>& mine = counts[worker];
        mine.assign(n, 0);
        std::vector<uint32_t> path;
        for (;;)
        {
            const std::size_t c = nextChunk.fetch_add(1);
            if (c >= chunks)
            {
                return;
            }
            Rng rng = Rng::Derive(seed, purpose, c);
            const std::size_t first = c * kPathsPerChunk;
            const std::size_t last = std::min<std::size_t>(samples, first + kPathsPerChunk);
            for (std::size_t i = first; i < last; ++i)
            {
                const auto s = static_cast<uint32_t>(rng.Below(n));
                auto t = static_cast<uint32_t>(rng.Below(n - 1));
                t += t >= s ? 1 : 0; // uniform over the n - 1 nodes other than s
                if (component[s] != component[t])
                {
                    continue; // no path: X_i = 0 everywhere
                }
                const bool found = search.Search(s, t);
                CANON_ASSERT(found, "path sampling: a component split in two");
                scans[worker] += search.EdgeScans();
                path.clear();
                search.DrawPath(rng, path);
                for (uint32_t v : path)
                {
                    ++mine[v];
                }
            }
        }
    };

    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < workers; ++t)
    {
        pool.emplace_back(work, t);
    }
    work(0);
    for (auto& th : pool)
    {
        th.join();
    }
    Tally tally;
    tally.counts.assign(n, 0);
    for (std::size_t w = 0; w < workers; ++w)
    {
        tally.edgeScans += scans[w];
        for (uint32_t v = 0; v < n; ++v)
        {
            tally.counts[v] += counts[w][v];
        }
    }
    return tally;
}

// The samples a budget of edgeScansMax affords (1..samples), from the mean cost of
// kPilotSamples searches on a stream of their own, so that the count is independent of the
// samples the estimate then uses. pilotScans receives the pilot's own cost.
uint32_t
AffordableSamples(const CsrGraph& g, const std::vector<uint32_t>& component, uint32_t samples,
                  uint64_t seed, unsigned threads, uint64_t edgeScansMax, uint64_t& pilotScans)
{
    pilotScans = 0;
    if (edgeScansMax == 0 || samples <= kPilotSamples)
    {
        return samples;
    }
    const Tally pilot = CountInternalNodes(g, component, kPilotSamples, seed,
                                           "czr-betweenness-paths-pilot", threads);
    pilotScans = pilot.edgeScans;
    const double mean = std::max(1.0, static_cast<double>(pilot.edgeScans) / kPilotSamples);
    const double affordable = std::floor(static_cast<double>(edgeScansMax) / mean);
    return static_cast<uint32_t>(std::clamp(affordable, 1.0, static_cast<double>(samples)));
}

ApproxBetweenness
ExactZeros(uint32_t n, double delta)
{
    ApproxBetweenness result;
    result.normalized.assign(n, 0.0);
    result.delta = delta;
    result.exact = true;
    return result;
}

ApproxBetweenness
Estimate(const CsrGraph& g, const ComponentScan& scan, uint32_t samples, uint64_t seed,
         unsigned threads, double delta, uint64_t edgeScansMax)
{
    const uint32_t n = g.NodeCount();
    uint64_t pilotScans = 0;
    const uint32_t kept =
        AffordableSamples(g, scan.component, samples, seed, threads, edgeScansMax, pilotScans);
    const Tally tally =
        CountInternalNodes(g, scan.component, kept, seed, "czr-betweenness-paths", threads);
    ApproxBetweenness result;
    result.samples = kept;
    result.edgeScans = pilotScans + tally.edgeScans;
    result.delta = delta;
    result.epsilon = PathEpsilonForSampleCount(n, scan.vertexDiameter, kept, delta);
    // b^(v) = n / (n - 2) * count(v) / r.
    const double scale =
        static_cast<double>(n) / ((static_cast<double>(n) - 2.0) * static_cast<double>(kept));
    result.normalized.resize(n);
    for (uint32_t v = 0; v < n; ++v)
    {
        result.normalized[v] = static_cast<double>(tally.counts[v]) * scale;
    }
    return result;
}

} // namespace

uint32_t
VertexDiameterBound(const CsrGraph& g)
{
    return ScanComponents(g).vertexDiameter;
}

double
MeanPathSampleScans(const CsrGraph& g, uint64_t seed, unsigned threads)
{
    if (g.NodeCount() <= 2)
    {
        return 0.0;
    }
    const ComponentScan scan = ScanComponents(g);
    const Tally pilot = CountInternalNodes(g, scan.component, kPilotSamples, seed,
                                           "czr-betweenness-paths-pilot", threads);
    return static_cast<double>(pilot.edgeScans) / kPilotSamples;
}

uint64_t
PathSampleCountForBound(uint32_t nodes, uint32_t vertexDiameter, double epsilon, double delta)
{
    CANON_ASSERT(epsilon > 0.0 && std::isfinite(epsilon), "path sampling bound: epsilon > 0");
    const double r = std::ceil(BoundNumerator(nodes, vertexDiameter, delta) / (epsilon * epsilon));
    // 2^64 as a double; anything at or above it is "more than can ever be run".
    return r >= 0x1p64 ? std::numeric_limits<uint64_t>::max() : static_cast<uint64_t>(r);
}

double
PathEpsilonForSampleCount(uint32_t nodes, uint32_t vertexDiameter, uint64_t samples, double delta)
{
    CANON_ASSERT(samples >= 1, "PathEpsilonForSampleCount: at least one sample");
    return std::sqrt(BoundNumerator(nodes, vertexDiameter, delta) / static_cast<double>(samples));
}

ApproxBetweenness
SamplePathBetweenness(const CsrGraph& g, double epsilon, double delta, uint64_t seed,
                      unsigned threads, uint64_t edgeScansMax)
{
    CANON_ASSERT(epsilon > 0.0 && std::isfinite(epsilon) && delta > 0.0 && delta < 1.0,
                 "SamplePathBetweenness: epsilon > 0 and delta in (0, 1)");
    const uint32_t n = g.NodeCount();
    if (n <= 2)
    {
        return ExactZeros(n, delta);
    }
    const ComponentScan scan = ScanComponents(g);
    if (scan.vertexDiameter <= 2)
    {
        return ExactZeros(n, delta);
    }
    // epsilon comes from a scenario file, where a tiny value is a mistake to survive, not a
    // bug: the count is capped, and the result's epsilon says what the cap still guarantees.
    const uint64_t r =
        std::min<uint64_t>(PathSampleCountForBound(n, scan.vertexDiameter, epsilon, delta),
                           std::numeric_limits<uint32_t>::max());
    return Estimate(g, scan, static_cast<uint32_t>(std::max<uint64_t>(r, 1)), seed, threads, delta,
                    edgeScansMax);
}

ApproxBetweenness
SamplePathBetweennessWithSamples(const CsrGraph& g, uint32_t samples, uint64_t seed,
                                 unsigned threads, double delta)
{
    CANON_ASSERT(samples >= 1, "SamplePathBetweennessWithSamples: at least one sample");
    CANON_ASSERT(delta > 0.0 && delta < 1.0, "SamplePathBetweennessWithSamples: delta in (0, 1)");
    const uint32_t n = g.NodeCount();
    if (n <= 2)
    {
        return ExactZeros(n, delta);
    }
    const ComponentScan scan = ScanComponents(g);
    if (scan.vertexDiameter <= 2)
    {
        return ExactZeros(n, delta);
    }
    return Estimate(g, scan, samples, seed, threads, delta, 0);
}

} // namespace canon
