// Betweenness centrality for CZR's topology term (PROTOCOL.md 2.1, paper 3.1.1 and Figure 4): a
// node that many shortest paths run through holds the network together and ranks higher.
//
// Stateless functions over a CsrGraph; the caller owns the graph and the returned vectors.
//
// Always:
// - Raw values are networkx.betweenness_centrality(G, normalized=False) for an undirected G:
//   BC(v) = sum over unordered pairs {s, t}, s != v != t, of sigma_st(v) / sigma_st.
//   Normalised values are networkx's normalized=True: BC(v) * 2 / ((n - 1)(n - 2)), in [0, 1].
// - Results are bitwise identical for a given graph (and seed) whatever the thread count and
//   thread timing: sources are cut into fixed chunks of kSourcesPerChunk, each chunk is summed
//   on its own in source order, and chunk sums are added to the total in chunk order.
// - Shortest-path counts never overflow. They are doubles (a 64-bit integer count, Boost.Graph's
//   default, overflows after 64 doublings, e.g. 64 diamonds in a row) and, once a BFS level's
//   counts could exceed 2^512, that level is rescaled by a power of two, which is exact. The
//   one limit left: within one BFS level the largest count may be at most about 2^1000 times
//   the smallest; beyond that the run stops on an assert rather than return wrong values.
//
// Sampled betweenness (source or pivot sampling, Brandes and Pich 2007): draw k sources
// s_1..s_k uniformly with replacement and estimate
//     B^(v) = (1/k) sum_i X_i(v),   X_i(v) = n * delta_{s_i}(v) / ((n - 1)(n - 2)),
// where delta_s(v) = sum_{t != s, v} sigma_st(v) / sigma_st is Brandes' dependency of s on v.
// Since sum_s delta_s(v) = 2 BC(v), E[X_i(v)] is exactly the normalised BC(v). Each delta_s(v)
// has at most n - 2 terms, each in [0, 1], so X_i(v) lies in [0, R] with R = n / (n - 1), and
// the X_i(v) are independent for a fixed v. Hoeffding's inequality gives, for each node,
//     P(|B^(v) - B(v)| >= epsilon) <= 2 exp(-2 k epsilon^2 / R^2),
// and a union bound over the n nodes (no independence between nodes needed) gives
//     P(max_v |B^(v) - B(v)| >= epsilon) <= 2 n exp(-2 k epsilon^2 / R^2) <= delta
// as soon as k >= R^2 ln(2 n / delta) / (2 epsilon^2). SampleBetweenness uses the smallest such
// k. The bound is worst-case: it does not use the (usually small) variance of X_i(v), so the
// error seen in practice is far below epsilon. When that k is at least n, exact Brandes is both
// cheaper (n sources) and exact, and is used instead. For epsilon = 0.01, delta = 0.1 the
// switch-over lies at n = 70,822 (k = 72,545 at n = 100,000).
#ifndef CANONSIM_CZR_BETWEENNESS_H
#define CANONSIM_CZR_BETWEENNESS_H

#include "model/czr/csr-graph.h"

#include <cstdint>
#include <vector>

namespace canon
{

// Sources per chunk of work. Fixed (never derived from the thread count) so that the summation
// order, and so the bits of the result, do not depend on how many threads ran.
constexpr uint32_t kSourcesPerChunk = 64;

// Raw undirected betweenness by Brandes' algorithm, parallel over sources. threads == 0 counts
// as 1.
std::vector<double> ExactBetweenness(const CsrGraph& g, unsigned threads = 2);

// networkx's normalisation for undirected graphs: raw * 2 / ((n - 1)(n - 2)), n = raw.size();
// all zeros when n <= 2.
std::vector<double> NormalizeBetweenness(const std::vector<double>& raw);

struct ApproxBetweenness
{
    std::vector<double> normalized; // estimates of the normalised values
    uint32_t samples = 0;           // sources used (n when exact)
    // With probability at least 1 - delta, every |estimate - exact normalised| < epsilon.
    double epsilon = 0.0;
    double delta = 0.0;
    bool exact = false; // the bound asked for >= n sources, so every source was used once
    // Shortest-path sampling (path-sampling.h) only: adjacency entries its searches scanned, the
    // measure of its work (one BFS over a connected graph scans 2m).
    uint64_t edgeScans = 0;
};

// The smallest k of the bound above for a graph of `nodes` nodes (nodes >= 3,
// 0 < epsilon, 0 < delta < 1); may exceed any sensible count when epsilon is tiny.
uint64_t SampleCountForBound(uint32_t nodes, double epsilon, double delta);

// The epsilon the bound above guarantees with probability 1 - delta for k samples (k >= 1).
double EpsilonForSampleCount(uint32_t nodes, uint64_t samples, double delta);

// Normalised betweenness within epsilon of the exact values for all nodes at once with
// probability at least 1 - delta. Deterministic for a seed (sources come from
// Rng::Derive(seed, "czr-betweenness-sources")). Preconditions as SampleCountForBound.
ApproxBetweenness SampleBetweenness(const CsrGraph& g, double epsilon, double delta, uint64_t seed,
                                    unsigned threads = 2);

// The same estimator with a fixed number of sources (samples >= 1); `epsilon` in the result is
// what the bound guarantees for that many samples at the given delta.
ApproxBetweenness SampleBetweennessWithSamples(const CsrGraph& g, uint32_t samples, uint64_t seed,
                                               unsigned threads = 2, double delta = 0.1);

// Cut vertices (nodes whose removal disconnects their component), sorted ascending. Iterative
// depth-first search (Hopcroft and Tarjan), so a 100,000-node path cannot overflow the stack.
std::vector<uint32_t> ArticulationPoints(const CsrGraph& g);

} // namespace canon

#endif
