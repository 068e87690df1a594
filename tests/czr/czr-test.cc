// Tests of the CZR measurement engine (PROTOCOL.md 2.1): graph, betweenness (exact against
// networkx and closed forms, source and shortest-path sampling against their stated bounds and
// exact), the bidirectional search, articulation points, and the
// contribution model of paper 3.1.1 including the Figure 4 bridge.
#include "model/core/rng.h"
#include "model/czr/betweenness.h"
#include "model/czr/bidirectional-search.h"
#include "model/czr/contribution.h"
#include "model/czr/csr-graph.h"
#include "model/czr/czr-epoch.h"
#include "model/czr/path-sampling.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace canon
{
namespace
{

using EdgeList = std::vector<std::pair<uint32_t, uint32_t>>;

struct TestGraph
{
    std::string name;
    uint32_t nodes = 0;
    EdgeList edges;
};

// |a - b| <= 1e-9 relative, with an absolute floor so that exact zeros compare.
bool
Close(double a, double b, double rel = 1e-9, double floor = 1e-10)
{
    return std::fabs(a - b) <= rel * std::max(std::fabs(a), std::fabs(b)) + floor;
}

// ---- graph generators (deterministic: every draw comes from a seeded canon::Rng) ----

TestGraph
ErdosRenyi(uint32_t n, double p, uint64_t seed)
{
    TestGraph g{"erdos-renyi n=" + std::to_string(n) + " p=" + std::to_string(p), n, {}};
    Rng rng = Rng::Derive(seed, "test-erdos-renyi", n);
    for (uint32_t u = 0; u < n; ++u)
    {
        for (uint32_t v = u + 1; v < n; ++v)
        {
            if (rng.Chance(p))
            {
                g.edges.emplace_back(u, v);
            }
        }
    }
    // Repeats (both directions) and self-loops, which FromEdges must drop.
    const std::size_t m = g.edges.size();
    for (std::size_t i = 0; i < m; i += 7)
    {
        g.edges.emplace_back(g.edges[i].second, g.edges[i].first);
        g.edges.emplace_back(g.edges[i].first, g.edges[i].first);
    }
    return g;
}

TestGraph
Geometric(uint32_t n, double radius, uint64_t seed)
{
    TestGraph g{"geometric n=" + std::to_string(n), n, {}};
    Rng rng = Rng::Derive(seed, "test-geometric", n);
    std::vector<double> x(n), y(n);
    for (uint32_t v = 0; v < n; ++v)
    {
        x[v] = rng.Uniform();
        y[v] = rng.Uniform();
    }
    for (uint32_t u = 0; u < n; ++u)
    {
        for (uint32_t v = u + 1; v < n; ++v)
        {
            const double dx = x[u] - x[v];
            const double dy = y[u] - y[v];
            if (dx * dx + dy * dy <= radius * radius)
            {
                g.edges.emplace_back(u, v);
            }
        }
    }
    return g;
}

// A random tree plus a few extra edges: many cut vertices and many equal-length paths.
TestGraph
TreeWithChords(uint32_t n, uint32_t chords, uint64_t seed)
{
    TestGraph g{"tree+chords n=" + std::to_string(n), n, {}};
    Rng rng = Rng::Derive(seed, "test-tree", n);
    for (uint32_t v = 1; v < n; ++v)
    {
        g.edges.emplace_back(static_cast<uint32_t>(rng.Below(v)), v);
    }
    for (uint32_t i = 0; i < chords && n > 0; ++i)
    {
        g.edges.emplace_back(static_cast<uint32_t>(rng.Below(n)),
                             static_cast<uint32_t>(rng.Below(n)));
    }
    return g;
}

// Preferential attachment: hubs with large degrees.
TestGraph
PreferentialAttachment(uint32_t n, uint32_t perNode, uint64_t seed)
{
    TestGraph g{"preferential n=" + std::to_string(n), n, {}};
    Rng rng = Rng::Derive(seed, "test-preferential", n);
    std::vector<uint32_t> ends{0};
    for (uint32_t v = 1; v < n; ++v)
    {
        for (uint32_t j = 0; j < perNode; ++j)
        {
            const uint32_t u = ends[rng.Below(ends.size())];
            g.edges.emplace_back(u, v);
            ends.push_back(u);
            ends.push_back(v);
        }
    }
    return g;
}

TestGraph
Path(uint32_t n)
{
    TestGraph g{"path", n, {}};
    for (uint32_t v = 1; v < n; ++v)
    {
        g.edges.emplace_back(v - 1, v);
    }
    return g;
}

// Two K_m cliques (nodes 0..m-1 and m..2m-1) and a bridge node 2m joined to `attach` nodes of
// each clique.
TestGraph
TwoCliquesAndBridge(uint32_t m, uint32_t attach)
{
    TestGraph g{"two cliques", 2 * m + 1, {}};
    for (uint32_t base : {0U, m})
    {
        for (uint32_t u = 0; u < m; ++u)
        {
            for (uint32_t v = u + 1; v < m; ++v)
            {
                g.edges.emplace_back(base + u, base + v);
            }
        }
        for (uint32_t u = 0; u < attach; ++u)
        {
            g.edges.emplace_back(base + u, 2 * m);
        }
    }
    return g;
}

// j_0 - {a_1, b_1} - j_1 - {a_2, b_2} - j_2 ... - j_k: node 3i is j_i, 3i-2 is a_i, 3i-1 is b_i.
// 2^k shortest paths run from j_0 to j_k.
TestGraph
DiamondChain(uint32_t k)
{
    TestGraph g{"diamond chain", 3 * k + 1, {}};
    for (uint32_t i = 1; i <= k; ++i)
    {
        const uint32_t left = 3 * (i - 1);
        const uint32_t right = 3 * i;
        for (uint32_t mid : {3 * i - 2, 3 * i - 1})
        {
            g.edges.emplace_back(left, mid);
            g.edges.emplace_back(mid, right);
        }
    }
    return g;
}

CsrGraph
Build(const TestGraph& g)
{
    return CsrGraph::FromEdges(g.nodes, g.edges);
}

// ---- networkx reference, computed by tests/czr/networkx_reference.py ----

struct Reference
{
    std::vector<double> betweenness;
    std::vector<uint32_t> articulation;
};

class NetworkxReference : public ::testing::Test
{
  protected:
    static void SetUpTestSuite()
    {
        s_graphs = RandomGraphs();
        char dirTemplate[] = "/tmp/czr-test-XXXXXX";
        const char* dir = mkdtemp(dirTemplate);
        ASSERT_NE(dir, nullptr);
        const std::filesystem::path root(dir);
        std::string command = std::string("/usr/bin/python3 ") + CZR_NETWORKX_REFERENCE;
        for (std::size_t i = 0; i < s_graphs.size(); ++i)
        {
            const auto edgePath = root / ("g" + std::to_string(i) + ".edges");
            std::ofstream out(edgePath);
            out << s_graphs[i].nodes << " " << s_graphs[i].edges.size() << "\n";
            for (const auto& [u, v] : s_graphs[i].edges)
            {
                out << u << " " << v << "\n";
            }
            command += " " + edgePath.string() + " " +
                       (root / ("g" + std::to_string(i) + ".ref")).string();
        }
        ASSERT_EQ(std::system(command.c_str()), 0) << command;
        s_refs.clear();
        for (std::size_t i = 0; i < s_graphs.size(); ++i)
        {
            std::ifstream in(root / ("g" + std::to_string(i) + ".ref"));
            Reference ref;
            std::size_t n = 0;
            in >> n;
            ref.betweenness.resize(n);
            for (double& x : ref.betweenness)
            {
                in >> x;
            }
            std::size_t count = 0;
            in >> count;
            ref.articulation.resize(count);
            for (uint32_t& p : ref.articulation)
            {
                in >> p;
            }
            ASSERT_TRUE(in.good()) << "unreadable reference for graph " << i;
            s_refs.push_back(std::move(ref));
        }
        std::filesystem::remove_all(root);
    }

    static std::vector<TestGraph> RandomGraphs()
    {
        std::vector<TestGraph> graphs;
        for (uint32_t n : {0U, 1U, 2U, 3U, 4U})
        {
            graphs.push_back(ErdosRenyi(n, 0.7, n));
        }
        for (uint64_t seed = 1; seed <= 15; ++seed)
        {
            const auto n = static_cast<uint32_t>(10 + 13 * seed);
            graphs.push_back(ErdosRenyi(n, 4.0 / n, seed)); // sparse, often disconnected
            graphs.push_back(Geometric(n, std::sqrt(8.0 / (3.14159 * n)), seed));
            graphs.push_back(TreeWithChords(n, static_cast<uint32_t>(seed % 5), seed));
            graphs.push_back(PreferentialAttachment(n, 1 + static_cast<uint32_t>(seed % 3), seed));
        }
        graphs.push_back(ErdosRenyi(60, 0.5, 99)); // dense
        graphs.push_back(DiamondChain(20));
        graphs.push_back(TwoCliquesAndBridge(8, 3));
        return graphs;
    }

    static std::vector<TestGraph> s_graphs;
    static std::vector<Reference> s_refs;
};

std::vector<TestGraph> NetworkxReference::s_graphs;
std::vector<Reference> NetworkxReference::s_refs;

// ---- CsrGraph ----

TEST(CsrGraph, FromEdgesDropsSelfLoopsAndRepeatsAndSortsEachRow)
{
    const CsrGraph g = CsrGraph::FromEdges(5, {{3, 1}, {1, 3}, {2, 2}, {0, 3}, {3, 1}, {4, 0}});
    EXPECT_EQ(g.NodeCount(), 5U);
    EXPECT_EQ(g.EdgeCount(), 3U);
    EXPECT_EQ(g.Degree(2), 0U);
    EXPECT_EQ(g.Degree(3), 2U);
    const auto row = g.Neighbours(0);
    EXPECT_EQ(std::vector<uint32_t>(row.begin(), row.end()), (std::vector<uint32_t>{3, 4}));
    const auto row3 = g.Neighbours(3);
    EXPECT_EQ(std::vector<uint32_t>(row3.begin(), row3.end()), (std::vector<uint32_t>{0, 1}));
    EXPECT_EQ(CsrGraph().NodeCount(), 0U);
    EXPECT_EQ(CsrGraph().EdgeCount(), 0U);
}

TEST(CsrGraph, AnOutOfRangeEdgeIsABugAndStopsTheRun)
{
    EXPECT_DEATH(CsrGraph::FromEdges(3, {{0, 3}}), "out of range");
}

// ---- exact betweenness ----

TEST_F(NetworkxReference, ExactBetweennessEqualsNetworkxOnManyRandomGraphs)
{
    ASSERT_EQ(s_refs.size(), s_graphs.size());
    for (std::size_t i = 0; i < s_graphs.size(); ++i)
    {
        const std::vector<double> ours = ExactBetweenness(Build(s_graphs[i]));
        ASSERT_EQ(ours.size(), s_refs[i].betweenness.size()) << s_graphs[i].name;
        for (std::size_t v = 0; v < ours.size(); ++v)
        {
            ASSERT_TRUE(Close(ours[v], s_refs[i].betweenness[v]))
                << s_graphs[i].name << " node " << v << ": ours " << ours[v] << " networkx "
                << s_refs[i].betweenness[v];
        }
    }
}

TEST_F(NetworkxReference, ArticulationPointsEqualNetworkxOnManyRandomGraphs)
{
    ASSERT_EQ(s_refs.size(), s_graphs.size());
    for (std::size_t i = 0; i < s_graphs.size(); ++i)
    {
        EXPECT_EQ(ArticulationPoints(Build(s_graphs[i])), s_refs[i].articulation)
            << s_graphs[i].name;
    }
}

TEST(ExactBetweenness, PathGraphGivesEachNodeTheProductOfTheNodeCountsOnItsTwoSides)
{
    const uint32_t n = 50;
    const std::vector<double> bc = ExactBetweenness(Build(Path(n)));
    for (uint32_t v = 0; v < n; ++v)
    {
        EXPECT_DOUBLE_EQ(bc[v], static_cast<double>(v) * (n - 1 - v)) << v;
    }
}

TEST(ExactBetweenness, StarCentreLiesOnTheOnlyPathBetweenEveryPairOfLeaves)
{
    const uint32_t n = 30;
    EdgeList edges;
    for (uint32_t leaf = 1; leaf < n; ++leaf)
    {
        edges.emplace_back(0, leaf);
    }
    const std::vector<double> bc = ExactBetweenness(CsrGraph::FromEdges(n, edges));
    EXPECT_DOUBLE_EQ(bc[0], (n - 1) * (n - 2) / 2.0);
    for (uint32_t leaf = 1; leaf < n; ++leaf)
    {
        EXPECT_EQ(bc[leaf], 0.0);
    }
    EXPECT_DOUBLE_EQ(NormalizeBetweenness(bc)[0], 1.0);
}

TEST(ExactBetweenness, BridgeNodeBetweenTwoCliquesHasTheHighestValue)
{
    // Bridge 2m joined to node 0 of one clique and node m of the other: every pair across goes
    // through it (m^2), node 0 carries the pairs between the other m-1 nodes of its clique and
    // the other clique plus the bridge ((m-1)(m+1)), and inner clique nodes carry nothing.
    const uint32_t m = 12;
    const std::vector<double> bc = ExactBetweenness(Build(TwoCliquesAndBridge(m, 1)));
    EXPECT_DOUBLE_EQ(bc[2 * m], m * m);
    EXPECT_DOUBLE_EQ(bc[0], (m - 1) * (m + 1));
    EXPECT_DOUBLE_EQ(bc[m], (m - 1) * (m + 1));
    EXPECT_EQ(bc[1], 0.0);
    EXPECT_EQ(std::max_element(bc.begin(), bc.end()) - bc.begin(), 2 * m);
}

TEST(ExactBetweenness, DiamondChainOf25000NodesWhosePathCountsOverflowEvenDoublesIsExact)
{
    // 8,333 diamonds: 2^8333 shortest paths end to end, beyond uint64 (2^64) and double
    // (2^1024). Closed forms: join j_i separates 3i nodes from 3(k-i) and splits the pairs
    // {a_i, b_i} and {a_{i+1}, b_{i+1}} with a neighbouring join, so BC(j_i) = 9i(k-i) + 1
    // (0.5 at the ends); a_i carries half of the pairs between the 3i-2 nodes up to j_{i-1}
    // and the 3(k-i)+1 nodes from j_i on.
    const uint32_t k = 8333;
    const TestGraph chain = DiamondChain(k);
    ASSERT_EQ(chain.nodes, 25000U);
    const std::vector<double> bc = ExactBetweenness(Build(chain));
    for (double x : bc)
    {
        ASSERT_TRUE(std::isfinite(x));
    }
    EXPECT_DOUBLE_EQ(bc[0], 0.5);
    EXPECT_DOUBLE_EQ(bc[3 * k], 0.5);
    for (uint32_t i : {1U, 2U, 100U, 1000U, 4166U, 4167U, 7000U, k - 1})
    {
        const double di = i;
        const double dk = k;
        EXPECT_TRUE(Close(bc[3 * i], 9.0 * di * (dk - di) + 1.0)) << "j_" << i << " " << bc[3 * i];
        const double a = (3.0 * di - 2.0) * (3.0 * (dk - di) + 1.0) / 2.0;
        EXPECT_TRUE(Close(bc[3 * i - 2], a)) << "a_" << i << " " << bc[3 * i - 2];
        EXPECT_EQ(bc[3 * i - 2], bc[3 * i - 1]) << "a_i and b_i are symmetric";
    }
}

TEST(ExactBetweenness, ResultIsBitwiseIdenticalForOneTwoAndThreeThreads)
{
    const CsrGraph g = Build(Geometric(700, 0.06, 5));
    const std::vector<double> one = ExactBetweenness(g, 1);
    EXPECT_EQ(one, ExactBetweenness(g, 2));
    EXPECT_EQ(one, ExactBetweenness(g, 3));
    EXPECT_EQ(one, ExactBetweenness(g, 2)) << "thread timing must not matter";
}

TEST(ExactBetweenness, NormalisationIsNetworkxsForUndirectedGraphs)
{
    EXPECT_EQ(NormalizeBetweenness({}), std::vector<double>{});
    EXPECT_EQ(NormalizeBetweenness({3.0, 4.0}), (std::vector<double>{0.0, 0.0}));
    const std::vector<double> norm = NormalizeBetweenness({0.0, 6.0, 3.0, 1.5, 0.0});
    EXPECT_DOUBLE_EQ(norm[1], 6.0 * 2.0 / (4.0 * 3.0));
    EXPECT_DOUBLE_EQ(norm[3], 1.5 * 2.0 / (4.0 * 3.0));
    EXPECT_EQ(norm[4], 0.0);
}

// ---- sampled betweenness ----

double
MaxError(const std::vector<double>& a, const std::vector<double>& b)
{
    double worst = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i)
    {
        worst = std::max(worst, std::fabs(a[i] - b[i]));
    }
    return worst;
}

TEST(SampledBetweenness, SampleCountIsTheHoeffdingUnionBound)
{
    // k = ceil(R^2 ln(2n/delta) / (2 eps^2)), R = n/(n-1).
    const double r = 100000.0 / 99999.0;
    EXPECT_EQ(SampleCountForBound(100000, 0.01, 0.1),
              static_cast<uint64_t>(std::ceil(r * r * std::log(2e6) / 2e-4)));
    EXPECT_NEAR(EpsilonForSampleCount(100000, SampleCountForBound(100000, 0.01, 0.1), 0.1), 0.01,
                1e-6);
    EXPECT_LE(EpsilonForSampleCount(100000, SampleCountForBound(100000, 0.01, 0.1), 0.1), 0.01);
    EXPECT_EQ(SampleCountForBound(1000, 1e-12, 0.1), UINT64_MAX);
}

TEST(SampledBetweenness, StaysWithinItsStatedEpsilonOfExactForAtLeast50SeedsPerGraph)
{
    const double epsilon = 0.15;
    const double delta = 0.2;
    int runs = 0;
    int failures = 0;
    for (const TestGraph& tg : {Geometric(300, 0.09, 11), PreferentialAttachment(300, 2, 12)})
    {
        const CsrGraph g = Build(tg);
        const std::vector<double> exact = NormalizeBetweenness(ExactBetweenness(g));
        for (uint64_t seed = 0; seed < 60; ++seed)
        {
            const ApproxBetweenness approx = SampleBetweenness(g, epsilon, delta, seed);
            ASSERT_FALSE(approx.exact) << "the bound should ask for fewer than n sources here";
            ASSERT_EQ(approx.samples, SampleCountForBound(300, epsilon, delta));
            ASSERT_LE(approx.epsilon, epsilon);
            ++runs;
            failures += MaxError(approx.normalized, exact) >= epsilon ? 1 : 0;
        }
    }
    EXPECT_LE(failures, delta * runs + 3) << failures << " of " << runs << " runs";
}

TEST(SampledBetweenness, SameSeedGivesTheSameBitsForAnyThreadCountAndOtherSeedsDiffer)
{
    const CsrGraph g = Build(Geometric(400, 0.08, 3));
    const ApproxBetweenness a = SampleBetweennessWithSamples(g, 150, 42, 2);
    EXPECT_EQ(a.normalized, SampleBetweennessWithSamples(g, 150, 42, 2).normalized);
    EXPECT_EQ(a.normalized, SampleBetweennessWithSamples(g, 150, 42, 1).normalized);
    EXPECT_EQ(a.normalized, SampleBetweennessWithSamples(g, 150, 42, 3).normalized);
    EXPECT_NE(a.normalized, SampleBetweennessWithSamples(g, 150, 43, 2).normalized);
    EXPECT_EQ(a.samples, 150U);
    EXPECT_DOUBLE_EQ(a.epsilon, EpsilonForSampleCount(400, 150, 0.1));
}

TEST(SampledBetweenness, FallsBackToExactWhenTheBoundAsksForAtLeastOneSourcePerNode)
{
    const CsrGraph g = Build(Geometric(200, 0.1, 8));
    ASSERT_GE(SampleCountForBound(200, 0.01, 0.1), 200U);
    const ApproxBetweenness approx = SampleBetweenness(g, 0.01, 0.1, 1);
    EXPECT_TRUE(approx.exact);
    EXPECT_EQ(approx.samples, 200U);
    EXPECT_EQ(approx.normalized, NormalizeBetweenness(ExactBetweenness(g)));
}

TEST(SampledBetweenness, OneSampleIsItsSourcesDependencyScaledByNOverTwicePairs)
{
    // With k = 1 the estimate is n delta_s(v) / ((n-1)(n-2)) for the one source s drawn: the
    // scaling that makes the estimator unbiased. The source is the first draw of the stream.
    const CsrGraph g = Build(TwoCliquesAndBridge(10, 3));
    const uint32_t n = g.NodeCount();
    const ApproxBetweenness one = SampleBetweennessWithSamples(g, 1, 7, 1);
    Rng rng = Rng::Derive(7, "czr-betweenness-sources");
    const auto source = static_cast<uint32_t>(rng.Below(n));
    // From a source in one clique, all paths to the 10 nodes of the other clique cross the
    // bridge (node 20), so delta_s(bridge) = 10; from the bridge itself it is 0.
    const double scale = n / ((n - 1.0) * (n - 2.0));
    EXPECT_TRUE(Close(one.normalized[20], source == 20 ? 0.0 : 10.0 * scale)) << source;
}

// ---- shortest-path sampling (path-sampling.h) and its bidirectional search ----

TestGraph
Star(uint32_t n)
{
    TestGraph g{"star", n, {}};
    for (uint32_t leaf = 1; leaf < n; ++leaf)
    {
        g.edges.emplace_back(0, leaf);
    }
    return g;
}

TestGraph
Cycle(uint32_t n)
{
    TestGraph g{"cycle", n, {}};
    for (uint32_t v = 0; v < n; ++v)
    {
        g.edges.emplace_back(v, (v + 1) % n);
    }
    return g;
}

// rows x cols lattice; node r * cols + c.
TestGraph
Grid(uint32_t rows, uint32_t cols)
{
    TestGraph g{"grid " + std::to_string(rows) + "x" + std::to_string(cols), rows * cols, {}};
    for (uint32_t r = 0; r < rows; ++r)
    {
        for (uint32_t c = 0; c < cols; ++c)
        {
            const uint32_t v = r * cols + c;
            if (c + 1 < cols)
            {
                g.edges.emplace_back(v, v + 1);
            }
            if (r + 1 < rows)
            {
                g.edges.emplace_back(v, v + cols);
            }
        }
    }
    return g;
}

// The disjoint union of the graphs, renumbered one after the other.
TestGraph
Union(const std::vector<TestGraph>& parts)
{
    TestGraph g{"union", 0, {}};
    for (const TestGraph& p : parts)
    {
        for (const auto& [u, v] : p.edges)
        {
            g.edges.emplace_back(g.nodes + u, g.nodes + v);
        }
        g.nodes += p.nodes;
        g.name += " " + p.name;
    }
    return g;
}

// Single-source BFS distances and path counts: the reference the bidirectional search must meet.
void
BfsCounts(const CsrGraph& g, uint32_t s, std::vector<uint32_t>& dist, std::vector<double>& sigma)
{
    dist.assign(g.NodeCount(), UINT32_MAX);
    sigma.assign(g.NodeCount(), 0.0);
    std::vector<uint32_t> queue{s};
    dist[s] = 0;
    sigma[s] = 1.0;
    for (std::size_t head = 0; head < queue.size(); ++head)
    {
        const uint32_t v = queue[head];
        for (uint32_t w : g.Neighbours(v))
        {
            if (dist[w] == UINT32_MAX)
            {
                dist[w] = dist[v] + 1;
                queue.push_back(w);
            }
            if (dist[w] == dist[v] + 1)
            {
                sigma[w] += sigma[v];
            }
        }
    }
}

TEST(BetweennessBidirectionalSearch, FindsTheDistanceAndPathCountOfHandMadeGraphs)
{
    // Diamond chain: 2^k paths from j_0 to j_k, 2 edges per diamond.
    const CsrGraph chain = Build(DiamondChain(6));
    BidirectionalSearch search(chain);
    ASSERT_TRUE(search.Search(0, 18));
    EXPECT_EQ(search.Distance(), 12U);
    EXPECT_EQ(search.PathCount(), 64.0);
    ASSERT_TRUE(search.Search(1, 17)); // a_1 to b_6: one way into each end diamond
    EXPECT_EQ(search.Distance(), 10U);
    EXPECT_EQ(search.PathCount(), 16.0);
    // Grid: corner to corner of a 4x5 lattice is C(7, 3) = 35 monotone paths of 7 edges.
    const CsrGraph grid = Build(Grid(4, 5));
    BidirectionalSearch gridSearch(grid);
    ASSERT_TRUE(gridSearch.Search(0, 19));
    EXPECT_EQ(gridSearch.Distance(), 7U);
    EXPECT_EQ(gridSearch.PathCount(), 35.0);
    ASSERT_TRUE(gridSearch.Search(19, 0));
    EXPECT_EQ(gridSearch.PathCount(), 35.0);
    // Complete bipartite K_{3,4}: two nodes of the 3-side share all 4 others.
    EdgeList k34;
    for (uint32_t a = 0; a < 3; ++a)
    {
        for (uint32_t b = 3; b < 7; ++b)
        {
            k34.emplace_back(a, b);
        }
    }
    const CsrGraph bip = CsrGraph::FromEdges(7, k34);
    BidirectionalSearch bipSearch(bip);
    ASSERT_TRUE(bipSearch.Search(0, 2));
    EXPECT_EQ(bipSearch.Distance(), 2U);
    EXPECT_EQ(bipSearch.PathCount(), 4.0);
    ASSERT_TRUE(bipSearch.Search(0, 5));
    EXPECT_EQ(bipSearch.Distance(), 1U);
    EXPECT_EQ(bipSearch.PathCount(), 1.0);
    // An even cycle: two ways round to the opposite node.
    const CsrGraph cycle = Build(Cycle(10));
    BidirectionalSearch cycleSearch(cycle);
    ASSERT_TRUE(cycleSearch.Search(2, 7));
    EXPECT_EQ(cycleSearch.Distance(), 5U);
    EXPECT_EQ(cycleSearch.PathCount(), 2.0);
}

TEST(BetweennessBidirectionalSearch, AgreesWithSingleSourceBfsOnEveryPairOfRandomGraphs)
{
    for (const TestGraph& tg :
         {ErdosRenyi(60, 0.05, 3), Geometric(80, 0.2, 4), TreeWithChords(70, 6, 5),
          PreferentialAttachment(60, 2, 6), Union({Grid(5, 6), DiamondChain(5), Path(4)})})
    {
        const CsrGraph g = Build(tg);
        BidirectionalSearch search(g);
        std::vector<uint32_t> dist;
        std::vector<double> sigma;
        for (uint32_t s = 0; s < g.NodeCount(); ++s)
        {
            BfsCounts(g, s, dist, sigma);
            for (uint32_t t = 0; t < g.NodeCount(); ++t)
            {
                if (t == s)
                {
                    continue;
                }
                const bool found = search.Search(s, t);
                ASSERT_EQ(found, dist[t] != UINT32_MAX) << tg.name << " " << s << "-" << t;
                if (found)
                {
                    ASSERT_EQ(search.Distance(), dist[t]) << tg.name << " " << s << "-" << t;
                    ASSERT_EQ(search.PathCount(), sigma[t]) << tg.name << " " << s << "-" << t;
                }
            }
        }
    }
}

TEST(BetweennessBidirectionalSearch, DrawsEachShortestPathEquallyOften)
{
    // A 3x4 grid, corner 0 to corner 11: C(5, 2) = 10 paths; 50,000 draws, about 5,000 each
    // (standard deviation 67). The seed is fixed, so the counts are too.
    const CsrGraph g = Build(Grid(3, 4));
    BidirectionalSearch search(g);
    Rng rng = Rng::Derive(17, "test-draw-paths");
    std::map<std::vector<uint32_t>, int> seen;
    std::vector<uint32_t> path;
    for (int i = 0; i < 50000; ++i)
    {
        ASSERT_TRUE(search.Search(i % 2 == 0 ? 0 : 11, i % 2 == 0 ? 11 : 0));
        path.clear();
        search.DrawPath(rng, path);
        ASSERT_EQ(path.size(), 4U);
        if (i % 2 == 1)
        {
            std::reverse(path.begin(), path.end());
        }
        // A walk of grid steps from 0 to 11.
        std::vector<uint32_t> walk{0};
        walk.insert(walk.end(), path.begin(), path.end());
        walk.push_back(11);
        for (std::size_t k = 1; k < walk.size(); ++k)
        {
            const auto row = g.Neighbours(walk[k - 1]);
            ASSERT_TRUE(std::binary_search(row.begin(), row.end(), walk[k]));
        }
        ++seen[path];
    }
    ASSERT_EQ(seen.size(), 10U);
    for (const auto& [p, count] : seen)
    {
        EXPECT_NEAR(count, 5000, 300);
    }
}

TEST(BetweennessBidirectionalSearch, UnreachableTargetIsReportedAndTheNextSearchStillWorks)
{
    const CsrGraph g = Build(Union({Path(5), Cycle(4), TestGraph{"lone", 1, {}}}));
    BidirectionalSearch search(g);
    EXPECT_FALSE(search.Search(0, 6));
    EXPECT_FALSE(search.Search(9, 2));
    EXPECT_FALSE(search.Search(5, 9));
    ASSERT_TRUE(search.Search(0, 4));
    EXPECT_EQ(search.Distance(), 4U);
    Rng rng(1);
    std::vector<uint32_t> path;
    search.DrawPath(rng, path);
    EXPECT_EQ(path, (std::vector<uint32_t>{1, 2, 3}));
    ASSERT_TRUE(search.Search(5, 7));
    EXPECT_EQ(search.PathCount(), 2.0);
}

TEST(PathSampledBetweenness, SampleCountIsRiondatoKornaropoulosWithCOneHalf)
{
    // r = ceil(0.5 (n / (n - 2))^2 / eps^2 (floor(log2(VD - 2)) + 1 + ln(1 / delta))).
    const double scale = 110000.0 / 109998.0;
    EXPECT_EQ(PathSampleCountForBound(110000, 30, 0.01, 0.1),
              static_cast<uint64_t>(
                  std::ceil(0.5 * scale * scale * (4.0 + 1.0 + std::log(10.0)) / 1e-4)));
    EXPECT_EQ(PathSampleCountForBound(100, 3, 0.1, 0.5),
              static_cast<uint64_t>(
                  std::ceil(0.5 * (100.0 / 98.0) * (100.0 / 98.0) * (1.0 + std::log(2.0)) / 0.01)));
    EXPECT_LE(
        PathEpsilonForSampleCount(110000, 30, PathSampleCountForBound(110000, 30, 0.01, 0.1), 0.1),
        0.01);
    EXPECT_NEAR(PathEpsilonForSampleCount(110000, 30, 36520, 0.1), 0.01, 1e-5);
    EXPECT_EQ(PathSampleCountForBound(1000, 10, 1e-12, 0.1), UINT64_MAX);
}

TEST(PathSampledBetweenness, VertexDiameterBoundIsTheTwoLargestDistancesFromOneNodePlusOne)
{
    EXPECT_EQ(VertexDiameterBound(CsrGraph()), 0U);
    EXPECT_EQ(VertexDiameterBound(CsrGraph::FromEdges(4, {})), 1U);
    EXPECT_EQ(VertexDiameterBound(Build(Path(50))), 50U);   // 49 + 48 + 1, capped by the size
    EXPECT_EQ(VertexDiameterBound(Build(Star(30))), 3U);    // from the centre: 1 + 1 + 1
    EXPECT_EQ(VertexDiameterBound(Build(Cycle(40))), 40U);  // 20 + 19 + 1; the truth is 21
    EXPECT_EQ(VertexDiameterBound(Build(Grid(5, 5))), 16U); // 8 + 7 + 1; the truth is 9
    EXPECT_EQ(VertexDiameterBound(Build(Union({Star(10), Path(6), Grid(2, 2)}))), 6U);
    // Every component counts: a long path behind a small one.
    EXPECT_EQ(VertexDiameterBound(Build(Union({Path(3), Path(12)}))), 12U);
}

TEST(PathSampledBetweenness, StaysWithinEpsilonOfExactOnSmallGraphsForEverySeed)
{
    const double epsilon = 0.05;
    const double delta = 0.01;
    const std::vector<TestGraph> graphs{
        Path(40),
        Star(30),
        Cycle(41),
        Grid(7, 8),
        TwoCliquesAndBridge(10, 3), // Figure 4
        DiamondChain(12),
        ErdosRenyi(150, 2.0 / 150, 21), // sparse: several components and isolated nodes
        Union({Geometric(60, 0.2, 22), TreeWithChords(50, 3, 23), Cycle(12), Star(5)}),
    };
    for (const TestGraph& tg : graphs)
    {
        const CsrGraph g = Build(tg);
        const std::vector<double> exact = NormalizeBetweenness(ExactBetweenness(g));
        const uint32_t vd = VertexDiameterBound(g);
        for (uint64_t seed = 0; seed < 5; ++seed)
        {
            const ApproxBetweenness a = SamplePathBetweenness(g, epsilon, delta, seed);
            ASSERT_FALSE(a.exact) << tg.name;
            ASSERT_EQ(a.samples, PathSampleCountForBound(g.NodeCount(), vd, epsilon, delta));
            ASSERT_LE(a.epsilon, epsilon);
            EXPECT_LT(MaxError(a.normalized, exact), epsilon) << tg.name << " seed " << seed;
        }
    }
}

TEST(PathSampledBetweenness, MeanOverManySeedsConvergesToExact)
{
    // Unbiased: E[b^(v)] = b(v) for any sample count. 4,000 seeds of 100 samples each: 400,000
    // paths, so the mean's standard deviation is below 0.0006 for every node. Two components
    // (pairs across them add nothing) and many equal shortest paths (the grid's).
    const CsrGraph g = Build(Union({TwoCliquesAndBridge(4, 2), Grid(3, 4)}));
    const uint32_t n = g.NodeCount();
    ASSERT_EQ(n, 21U);
    const std::vector<double> exact = NormalizeBetweenness(ExactBetweenness(g));
    // The bridge, node 8: every pair across the two cliques runs through it.
    ASSERT_DOUBLE_EQ(exact[8], 16.0 * 2.0 / (20.0 * 19.0));
    std::vector<double> mean(n, 0.0);
    const int seeds = 4000;
    for (int seed = 0; seed < seeds; ++seed)
    {
        const ApproxBetweenness a =
            SamplePathBetweennessWithSamples(g, 100, static_cast<uint64_t>(seed), 1);
        for (uint32_t v = 0; v < n; ++v)
        {
            mean[v] += a.normalized[v] / seeds;
        }
    }
    for (uint32_t v = 0; v < n; ++v)
    {
        EXPECT_NEAR(mean[v], exact[v], 0.003) << v;
    }
}

TEST(PathSampledBetweenness, OneSampleCreditsThePathsInternalNodesByNOverNMinusTwo)
{
    // With r = 1 the estimate is n / (n - 2) on the internal nodes of the one path drawn, the
    // scaling that makes the estimator unbiased. On a star the centre is internal exactly when
    // both ends are leaves. The pair is the first two draws of chunk 0's stream.
    const uint32_t n = 12;
    const CsrGraph g = Build(Star(n));
    int leafPairs = 0;
    for (uint64_t seed = 0; seed < 40; ++seed)
    {
        const ApproxBetweenness one = SamplePathBetweennessWithSamples(g, 1, seed, 1);
        Rng rng = Rng::Derive(seed, "czr-betweenness-paths", 0);
        const auto s = static_cast<uint32_t>(rng.Below(n));
        auto t = static_cast<uint32_t>(rng.Below(n - 1));
        t += t >= s ? 1 : 0;
        const bool leaves = s != 0 && t != 0;
        leafPairs += leaves ? 1 : 0;
        EXPECT_EQ(one.normalized[0], leaves ? n / (n - 2.0) : 0.0) << seed;
    }
    EXPECT_GT(leafPairs, 0);
    EXPECT_LT(leafPairs, 40);
}

TEST(PathSampledBetweenness, SameSeedGivesTheSameBitsForAnyThreadCountAndOtherSeedsDiffer)
{
    const CsrGraph g = Build(Geometric(400, 0.08, 3));
    // 3,000 samples: 12 chunks, so threads really share the work.
    const ApproxBetweenness a = SamplePathBetweennessWithSamples(g, 3000, 42, 2);
    EXPECT_EQ(a.normalized, SamplePathBetweennessWithSamples(g, 3000, 42, 2).normalized);
    EXPECT_EQ(a.normalized, SamplePathBetweennessWithSamples(g, 3000, 42, 1).normalized);
    EXPECT_EQ(a.normalized, SamplePathBetweennessWithSamples(g, 3000, 42, 3).normalized);
    EXPECT_EQ(a.normalized, SamplePathBetweennessWithSamples(g, 3000, 42, 8).normalized);
    EXPECT_NE(a.normalized, SamplePathBetweennessWithSamples(g, 3000, 43, 2).normalized);
    EXPECT_EQ(a.samples, 3000U);
    EXPECT_DOUBLE_EQ(a.epsilon, PathEpsilonForSampleCount(400, VertexDiameterBound(g), 3000, 0.1));
}

TEST(PathSampledBetweenness, GraphsWithoutInternalNodesGiveExactZerosWithoutSampling)
{
    // Disjoint edges: no shortest path has an internal node (VD~ = 2).
    const CsrGraph pairs = CsrGraph::FromEdges(6, {{0, 1}, {2, 3}, {4, 5}});
    const ApproxBetweenness a = SamplePathBetweenness(pairs, 0.01, 0.1, 1);
    EXPECT_TRUE(a.exact);
    EXPECT_EQ(a.samples, 0U);
    EXPECT_EQ(a.normalized, std::vector<double>(6, 0.0));
    EXPECT_EQ(SamplePathBetweenness(CsrGraph::FromEdges(2, {{0, 1}}), 0.01, 0.1, 1).normalized,
              std::vector<double>(2, 0.0));
    // A clique: VD~ = 3, so it samples, and every path is a single edge.
    EdgeList k5;
    for (uint32_t u = 0; u < 5; ++u)
    {
        for (uint32_t v = u + 1; v < 5; ++v)
        {
            k5.emplace_back(u, v);
        }
    }
    const ApproxBetweenness clique = SamplePathBetweenness(CsrGraph::FromEdges(5, k5), 0.1, 0.1, 1);
    EXPECT_FALSE(clique.exact);
    EXPECT_EQ(clique.normalized, std::vector<double>(5, 0.0));
}

TEST(PathSampledBetweenness, StarCentreIsInternalToEveryPairOfLeaves)
{
    // Every sampled pair of two leaves credits the centre; pairs with the centre credit nobody.
    // The estimate is n / (n - 2) times the share of leaf-leaf pairs, about 1.
    const CsrGraph g = Build(Star(50));
    const ApproxBetweenness a = SamplePathBetweennessWithSamples(g, 20000, 5);
    EXPECT_NEAR(a.normalized[0], 1.0, 0.01);
    for (uint32_t leaf = 1; leaf < 50; ++leaf)
    {
        EXPECT_EQ(a.normalized[leaf], 0.0);
    }
}

TEST(PathSampledBetweenness, AnEpochWithPathCentralityScoresWithItAndReportsItsSamples)
{
    // The Figure 4 bridge graph measured in one epoch, scored with path sampling as the engine
    // does above czr.exact_max_nodes: the same values as SamplePathBetweenness with the
    // settings' seed, and the bridge ranks first.
    const TestGraph tg = TwoCliquesAndBridge(10, 3);
    const CsrGraph g = Build(tg);
    EpochMeasurement m;
    m.nodes.resize(tg.nodes);
    for (NodeMeasurement& node : m.nodes)
    {
        node.applications = {ApplicationType::kMeshNetwork};
    }
    m.activeLinks = tg.edges;
    CentralitySettings c;
    c.exact = false;
    c.sampling = CentralitySampling::kPaths;
    c.epsilon = 0.05;
    c.delta = 0.1;
    c.seed = 9;
    c.samplesMax = 0; // no work budget: the (epsilon, delta) count
    const EpochScores scores = ScoreEpoch(m, ContributionParams{}, c);
    const ApproxBetweenness expected = SamplePathBetweenness(g, 0.05, 0.1, 9);
    EXPECT_EQ(scores.betweenness, expected.normalized);
    EXPECT_EQ(scores.samples, expected.samples);
    EXPECT_EQ(scores.samples, PathSampleCountForBound(21, VertexDiameterBound(g), 0.05, 0.1));
    EXPECT_EQ(RankNodes(scores.scores).front(), 20U);
    c.samplesMax = 256; // a budget of 256 BFS passes binds on these cliques
    const EpochScores budgeted = ScoreEpoch(m, ContributionParams{}, c);
    const ApproxBetweenness expectedBudgeted =
        SamplePathBetweenness(g, 0.05, 0.1, 9, 2, 256 * 2 * g.EdgeCount());
    EXPECT_EQ(budgeted.betweenness, expectedBudgeted.normalized);
    EXPECT_EQ(budgeted.samples, expectedBudgeted.samples);
    EXPECT_LT(budgeted.samples, scores.samples);
    c.sampling = CentralitySampling::kSources; // as before (here exact: the bound asks for n)
    EXPECT_EQ(ScoreEpoch(m, ContributionParams{}, c).betweenness,
              SampleBetweenness(g, 0.05, 0.1, 9).normalized);
}

TEST(PathSampledBetweenness, AWorkBudgetBelowTheBoundsCountKeepsFewerSamplesAndSaysSo)
{
    // A 60x60 grid: each sample scans a good part of the graph, and the bound asks for 12,893
    // samples at epsilon 0.02. A budget of 400 BFS passes affords about a tenth of them; the
    // result says how many it kept and the epsilon those guarantee, and stays deterministic
    // across thread counts.
    const CsrGraph g = Build(Grid(60, 60));
    const uint64_t bfs = 2 * g.EdgeCount();
    const ApproxBetweenness full = SamplePathBetweenness(g, 0.02, 0.1, 3);
    ASSERT_EQ(full.samples, 12893U);
    EXPECT_LE(full.epsilon, 0.02);
    const ApproxBetweenness capped = SamplePathBetweenness(g, 0.02, 0.1, 3, 2, 400 * bfs);
    EXPECT_GT(capped.samples, 600U);
    EXPECT_LT(capped.samples, 3000U);
    EXPECT_GT(capped.epsilon, 0.02);
    EXPECT_DOUBLE_EQ(capped.epsilon,
                     PathEpsilonForSampleCount(3600, VertexDiameterBound(g), capped.samples, 0.1));
    // The 128 pilot searches come on top of the budget; the total stays close to it.
    EXPECT_LT(capped.edgeScans, 600 * bfs);
    EXPECT_GT(capped.edgeScans, 200 * bfs);
    EXPECT_EQ(capped.normalized, SamplePathBetweenness(g, 0.02, 0.1, 3, 1, 400 * bfs).normalized);
    EXPECT_EQ(capped.normalized, SamplePathBetweenness(g, 0.02, 0.1, 3, 3, 400 * bfs).normalized);
    // A budget the bound's count fits in changes nothing.
    EXPECT_EQ(SamplePathBetweenness(g, 0.02, 0.1, 3, 2, 100000 * bfs).normalized, full.normalized);
}

TEST(PathSampledBetweenness, TheCheaperKindIsPathsOnSparseRandomGraphsAndSourcesOnLargeGrids)
{
    // What the engine does above czr.exact_max_nodes when exact is asked for. On a sparse random
    // graph a path sample scans a small share of a BFS; on a 60x60 grid it scans about a third.
    const CsrGraph random = Build(ErdosRenyi(3000, 4.0 / 3000, 31));
    const CsrGraph grid = Build(Grid(60, 60));
    EXPECT_LT(MeanPathSampleScans(random, 5) * kPathCostShareMax,
              2.0 * static_cast<double>(random.EdgeCount()));
    EXPECT_GT(MeanPathSampleScans(grid, 5) * kPathCostShareMax,
              2.0 * static_cast<double>(grid.EdgeCount()));
    CentralitySettings c;
    c.exact = false;
    c.sampling = CentralitySampling::kCheaper;
    c.seed = 5;
    c.samplesMax = 64;
    for (const CsrGraph* g : {&random, &grid})
    {
        EpochMeasurement m;
        m.nodes.resize(g->NodeCount());
        for (uint32_t u = 0; u < g->NodeCount(); ++u)
        {
            for (uint32_t w : g->Neighbours(u))
            {
                if (u < w)
                {
                    m.activeLinks.emplace_back(u, w);
                }
            }
        }
        const EpochScores scores = ScoreEpoch(m, ContributionParams{}, c);
        const std::vector<double> expected =
            g == &random
                ? SamplePathBetweenness(*g, c.epsilon, c.delta, 5, 2, 64 * 2 * g->EdgeCount())
                      .normalized
                : SampleBetweennessWithSamples(*g, 64, 5, 2, c.delta).normalized;
        EXPECT_EQ(scores.betweenness, expected) << (g == &random ? "random" : "grid");
    }
}

// ---- articulation points ----

TEST(ArticulationPoints, A100000NodePathHasEveryInnerNodeAndNoStackOverflow)
{
    const uint32_t n = 100000;
    const std::vector<uint32_t> points = ArticulationPoints(Build(Path(n)));
    ASSERT_EQ(points.size(), n - 2);
    EXPECT_EQ(points.front(), 1U);
    EXPECT_EQ(points.back(), n - 2);
}

TEST(ArticulationPoints, SharedNodesOfCyclesAndTheCliqueBridgeAreFound)
{
    // Two triangles sharing node 2, a tail 4-5, an isolated node 6, and a separate edge 7-8.
    const CsrGraph g =
        CsrGraph::FromEdges(9, {{0, 1}, {1, 2}, {2, 0}, {2, 3}, {3, 4}, {4, 2}, {4, 5}, {7, 8}});
    EXPECT_EQ(ArticulationPoints(g), (std::vector<uint32_t>{2, 4}));
    EXPECT_EQ(ArticulationPoints(Build(TwoCliquesAndBridge(10, 3))), std::vector<uint32_t>{20});
    EXPECT_EQ(ArticulationPoints(CsrGraph()), std::vector<uint32_t>{});
}

// ---- contribution model ----

TEST(Contribution, Table2ProfilesAreThePapersRows)
{
    using L = Level;
    auto row = [](ApplicationType t)
    {
        const ResourceLevels& r = Table2Profile(t);
        return std::vector<Level>{r.cpu, r.memory, r.bandwidth, r.storage, r.importance};
    };
    EXPECT_EQ(row(ApplicationType::kVehicularNetwork),
              (std::vector<Level>{L::kLow, L::kLow, L::kLow, L::kLow, L::kHigh}));
    EXPECT_EQ(row(ApplicationType::kMeshNetwork),
              (std::vector<Level>{L::kLow, L::kLow, L::kMiddle, L::kMiddle, L::kMiddle}));
    EXPECT_EQ(row(ApplicationType::kCdn),
              (std::vector<Level>{L::kLow, L::kMiddle, L::kHigh, L::kHigh, L::kLow}));
    EXPECT_EQ(row(ApplicationType::kDatabaseQuery),
              (std::vector<Level>{L::kMiddle, L::kMiddle, L::kMiddle, L::kHigh, L::kMiddle}));
    EXPECT_EQ(row(ApplicationType::kScientificComputation),
              (std::vector<Level>{L::kHigh, L::kHigh, L::kMiddle, L::kHigh, L::kLow}));
}

TEST(Contribution, ApplicationTypeNamesRoundTripAndUnknownNamesAreErrors)
{
    for (ApplicationType t :
         {ApplicationType::kVehicularNetwork, ApplicationType::kMeshNetwork, ApplicationType::kCdn,
          ApplicationType::kDatabaseQuery, ApplicationType::kScientificComputation})
    {
        const Result<ApplicationType> parsed = ParseApplicationType(ApplicationTypeName(t));
        ASSERT_TRUE(parsed.IsOk());
        EXPECT_EQ(parsed.Value(), t);
    }
    EXPECT_STREQ(ApplicationTypeName(ApplicationType::kDatabaseQuery), "database-query");
    const Result<ApplicationType> bad = ParseApplicationType("CDN");
    ASSERT_FALSE(bad.IsOk());
    EXPECT_EQ(bad.GetStatus().Code(), StatusCode::kInvalid);
    EXPECT_NE(bad.GetStatus().Message().find("'CDN'"), std::string::npos);
    EXPECT_STREQ(LevelName(Level::kMiddle), "middle");
}

TEST(Contribution, ParametersOutsideTheirRangesAreRejected)
{
    EXPECT_TRUE(ContributionParams{}.Validate().IsOk());
    ContributionParams p;
    p.gamma = 0.0;
    EXPECT_FALSE(p.Validate().IsOk());
    p.gamma = 1.0;
    EXPECT_TRUE(p.Validate().IsOk()) << "gamma = 1 means no discount";
    p.gamma = 1.01;
    EXPECT_FALSE(p.Validate().IsOk());
    p = ContributionParams{};
    p.beta = -0.1;
    EXPECT_FALSE(p.Validate().IsOk());
    p = ContributionParams{};
    p.weights[2] = std::nan("");
    EXPECT_FALSE(p.Validate().IsOk());
    p = ContributionParams{};
    p.levelValues = {1.0, 3.0, 2.0};
    EXPECT_FALSE(p.Validate().IsOk());
}

TEST(Contribution, ContributionIsTheWeightedSumOfTheResources)
{
    ContributionParams p;
    EXPECT_DOUBLE_EQ(Contribution(LevelsToVector(Table2Profile(ApplicationType::kCdn), p), p),
                     1 + 2 + 3 + 3 + 1);
    p.weights << 2.0, 0.5, 1.0, 0.0, 4.0;
    p.levelValues = {0.0, 1.0, 5.0};
    const ResourceVector r = LevelsToVector(Table2Profile(ApplicationType::kVehicularNetwork), p);
    EXPECT_EQ(r.importance, 5.0);
    EXPECT_DOUBLE_EQ(Contribution(r, p), 4.0 * 5.0);
    EXPECT_DOUBLE_EQ(Contribution(ResourceVector{1.5, 2.0, 0.25, 9.0, 0.5}, p),
                     2.0 * 1.5 + 0.5 * 2.0 + 0.25 + 0.0 + 4.0 * 0.5);
}

TEST(Contribution, DiscountFollowsGammaToTheAgeInBlocksAndIsZeroBeforeTheStart)
{
    ContributionParams p;
    p.gamma = 0.9;
    const ApplicationRun run{ApplicationType::kMeshNetwork, 100, ResourceVector{1, 1, 2, 2, 2}};
    EXPECT_DOUBLE_EQ(DiscountedContribution(run, 100, p), 8.0);
    EXPECT_DOUBLE_EQ(DiscountedContribution(run, 103, p), 8.0 * 0.9 * 0.9 * 0.9);
    EXPECT_EQ(DiscountedContribution(run, 99, p), 0.0);
    p.gamma = 1.0;
    EXPECT_DOUBLE_EQ(DiscountedContribution(run, 1000000, p), 8.0);
}

TEST(Contribution, ScoreNodesSumsDiscountedApplicationsAndLiftsThemByBetweenness)
{
    ContributionParams p;
    p.gamma = 0.5;
    p.beta = 2.0;
    const ResourceVector vehicular =
        LevelsToVector(Table2Profile(ApplicationType::kVehicularNetwork), p);           // P = 7
    const ResourceVector cdn = LevelsToVector(Table2Profile(ApplicationType::kCdn), p); // P = 10
    const std::vector<std::vector<ApplicationRun>> apps{
        {{ApplicationType::kVehicularNetwork, 10, vehicular}, {ApplicationType::kCdn, 12, cdn}},
        {{ApplicationType::kCdn, 20, cdn}}, // not started yet at block 12
        {},
    };
    const std::vector<NodeScore> scores = ScoreNodes(apps, {0.5, 0.25, 1.0}, 12, p);
    ASSERT_EQ(scores.size(), 3U);
    EXPECT_DOUBLE_EQ(scores[0].resource, 7.0 * 0.25 + 10.0);
    EXPECT_DOUBLE_EQ(scores[0].topology, 1.0);
    EXPECT_DOUBLE_EQ(scores[0].total, (7.0 * 0.25 + 10.0) * 2.0);
    EXPECT_EQ(scores[1].resource, 0.0);
    EXPECT_DOUBLE_EQ(scores[1].topology, 0.5);
    EXPECT_EQ(scores[1].total, 0.0);
    EXPECT_DOUBLE_EQ(scores[2].topology, 2.0);
    EXPECT_EQ(scores[2].total, 0.0);
}

TEST(Contribution, RankingIsByTotalDescendingThenByIndex)
{
    const std::vector<NodeScore> scores{
        {1, 0, 3.0}, {1, 0, 5.0}, {1, 0, 3.0}, {1, 0, 0.0}, {1, 0, 5.0}};
    EXPECT_EQ(RankNodes(scores), (std::vector<uint32_t>{1, 4, 0, 2, 3}));
}

TEST(Contribution, Figure4BridgeBetweenTwoMeshesRanksFirstDespiteTheLowestResources)
{
    // Two 10-node meshes (cliques) joined only through node 20, which links to 3 nodes of
    // each. Every mesh node runs a mesh-network application at its Table 2 levels (P = 8); the
    // bridge's measured resources add up to 7.
    const CsrGraph g = Build(TwoCliquesAndBridge(10, 3));
    const std::vector<double> bc = NormalizeBetweenness(ExactBetweenness(g));
    ContributionParams p;
    const ResourceVector mesh = LevelsToVector(Table2Profile(ApplicationType::kMeshNetwork), p);
    std::vector<std::vector<ApplicationRun>> apps(21);
    for (uint32_t v = 0; v < 20; ++v)
    {
        apps[v] = {{ApplicationType::kMeshNetwork, 0, mesh}};
    }
    apps[20] = {{ApplicationType::kMeshNetwork, 0, ResourceVector{1.0, 1.0, 1.5, 1.5, 2.0}}};
    const std::vector<NodeScore> scores = ScoreNodes(apps, bc, 0, p);
    for (uint32_t v = 0; v < 20; ++v)
    {
        ASSERT_LT(scores[20].resource, scores[v].resource);
        ASSERT_LT(bc[v], bc[20]);
    }
    EXPECT_EQ(RankNodes(scores).front(), 20U);
    p.beta = 0.0; // without the topology term the bridge comes last
    EXPECT_EQ(RankNodes(ScoreNodes(apps, bc, 0, p)).back(), 20U);
}

} // namespace
} // namespace canon
