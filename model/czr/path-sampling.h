// Shortest-path sampling of betweenness (Riondato and Kornaropoulos 2016, "Fast approximation of
// betweenness centrality through sampling"; balanced bidirectional search as in KADABRA, Borassi
// and Natale 2016/2019): CZR's topology term on graphs too large for exact Brandes
// (PROTOCOL.md 2.1, paper 3.1.1). Each sample costs one bidirectional search, which on a random
// graph of average degree 4 and 110,000 nodes scans about 1,300 adjacency entries instead of the
// 440,000 of the full BFS that a source (pivot) sample of betweenness.h needs.
//
// Stateless functions over a CsrGraph; the caller owns the graph and the returned vectors.
//
// The estimator. Draw r ordered pairs (s_i, t_i) uniformly from the n(n - 1) pairs with s != t.
// If t_i is reachable from s_i, draw one shortest s_i-t_i path P_i uniformly from the
// sigma_{s_i t_i} of them (bidirectional-search.h) and set X_i(v) = 1 when v is an internal node
// of P_i (s_i and t_i excluded), else 0; a disconnected pair gives X_i = 0 everywhere, as it adds
// nothing to betweenness. For a fixed v,
//     E[X_i(v)] = 1 / (n (n - 1)) * sum over ordered (s, t), s != t, of sigma_st(v) / sigma_st
//               = 2 BC(v) / (n (n - 1)),
// since every unordered pair {s, t} appears twice and pairs with v as an end add 0. With
// networkx's normalisation b(v) = 2 BC(v) / ((n - 1)(n - 2)) (betweenness.h),
//     b^(v) = n / (n - 2) * (1/r) sum_i X_i(v)
// is unbiased: E[b^(v)] = b(v) exactly, for any r >= 1 and any graph, connected or not.
//
// The bound. RK's Theorem (the epsilon-sample bound of Li, Long and Srinivasan 2001 for a range
// space of VC dimension at most floor(log2(VD - 2)) + 1, VD the vertex diameter: the most nodes
// on any shortest path) says that with
//     r >= (c / e^2) (floor(log2(VD - 2)) + 1 + ln(1 / delta))
// samples, with probability at least 1 - delta, |(1/r) sum_i X_i(v) - E[X_i(v)]| <= e for all v
// at once. That is RK's scale; ours is n / (n - 2) times it, so e = epsilon (n - 2) / n gives
// |b^(v) - b(v)| <= epsilon for all v. We implement exactly
//     r = ceil( c n^2 / (epsilon^2 (n - 2)^2) * (floor(log2(VD~ - 2)) + 1 + ln(1 / delta)) ),
// c = 0.5, the value RK use (Loffler and Phillips' 2009 estimate of the universal constant: it is
// an empirical estimate, not a proven one). VD~ >= VD is VertexDiameterBound below: per
// component, one BFS from its lowest node v, and for any two nodes u, w of the component
// d(u, w) <= d(u, v) + d(v, w) <= d1 + d2 with d1 >= d2 the two largest BFS distances from v,
// so VD <= min(d1 + d2 + 1, component size). This is at least as tight as RK's 2 ecc(v) + 1.
// On a random graph of average degree 4 and 110,000 nodes VD~ is about 25-30, so
// r = 0.5 (4 + 1 + 2.30) / epsilon^2 = 3.65 / epsilon^2 at delta = 0.1 (36,500 at epsilon 0.01).
// For comparison, the fully proven Hoeffding plus union bound over the nodes (each X_i(v) is in
// [0, 1]) would need R^2 ln(2 n / delta) / (2 epsilon^2) = 7.3 / epsilon^2 there, R = n / (n - 2).
// When VD~ <= 2 no shortest path has an internal node: every value is exactly 0, and no
// sample is drawn.
//
// The work budget. A sample's cost varies with the graph: about 1,300 adjacency entries on a
// random graph of average degree 4 (its balls meet after a few levels), but a good part of the
// graph on a large-diameter geometric one, where a ball of radius d/2 around each end holds
// about half the nodes a ball of radius d does. SamplePathBetweenness therefore takes an
// optional budget of adjacency entries to scan (edgeScansMax; the CZR engine passes samplesMax
// full BFS passes' worth, 2m each, so that an epoch costs about what source sampling with
// samplesMax sources does). Under a budget, kPilotSamples (128) searches on a stream of their own
// ("czr-betweenness-paths-pilot") estimate the mean cost per sample, and
//     r' = min(r, max(1, floor(edgeScansMax / mean pilot cost)))
// samples are drawn instead of r; the result's epsilon is then the one the bound guarantees for
// r' (PathEpsilonForSampleCount). The pilot's samples are independent of the r' used for the
// estimate, so r' is a fixed count for them: the estimate stays unbiased and the bound holds as
// stated. The budget is a target, not a hard cap: the pilot's cost (at most 128 BFS passes'
// worth, since a search never scans more than 2m entries) comes on top, and its mean is an
// estimate.
//
// Always:
// - Deterministic for a seed and independent of the thread count and timing: samples are cut
//   into fixed chunks of kPathsPerChunk, chunk c draws its pairs and paths from
//   Rng::Derive(seed, "czr-betweenness-paths", c) whichever thread runs it, and the per-node
//   counts are integers, whose sum does not depend on the order they are added in.
// - Memory is O(n) per thread (a BidirectionalSearch and a count per node), whatever r is.
#ifndef CANONSIM_CZR_PATH_SAMPLING_H
#define CANONSIM_CZR_PATH_SAMPLING_H

#include "model/czr/betweenness.h"
#include "model/czr/csr-graph.h"

#include <cstdint>

namespace canon
{

// Path samples per chunk of work. Fixed (never derived from the thread count) so that which
// random stream draws which sample does not depend on how many threads ran.
constexpr uint32_t kPathsPerChunk = 64;

// RK's constant c in the sample count above.
constexpr double kPathSampleConstant = 0.5;

// An upper bound on the vertex diameter (most nodes on one shortest path, over all components):
// min(d1 + d2 + 1, component size) per component as above; 1 for a graph without edges, 0 for
// an empty one. O(n + m).
uint32_t VertexDiameterBound(const CsrGraph& g);

// The mean adjacency entries one path sample scans on g, over the kPilotSamples pilot searches
// the work budget uses (the same stream, so the same value); 0 when n <= 2. For choosing between
// path and source sampling: a source sample scans 2m entries of a connected graph.
double MeanPathSampleScans(const CsrGraph& g, uint64_t seed, unsigned threads = 2);

// The r above for a graph of `nodes` nodes (>= 3) whose vertex diameter is at most
// `vertexDiameter` (>= 3), 0 < epsilon, 0 < delta < 1; UINT64_MAX if it does not fit.
uint64_t PathSampleCountForBound(uint32_t nodes, uint32_t vertexDiameter, double epsilon,
                                 double delta);

// The epsilon the bound guarantees with probability 1 - delta for `samples` (>= 1) samples.
double PathEpsilonForSampleCount(uint32_t nodes, uint32_t vertexDiameter, uint64_t samples,
                                 double delta);

// Normalised betweenness within epsilon of the exact values for all nodes at once with
// probability at least 1 - delta (c = 0.5 as above). `samples` in the result counts the pairs
// kept (0 when exact); `exact` is set only when the values are exactly 0 (n <= 2 or VD~ <= 2).
// edgeScansMax > 0 sets a work budget as described above; then `samples` may be below the r
// the bound asks for and `epsilon` in the result above the one asked for. A bound asking for more
// than 2^32 - 1 samples gets that many (and says so in `epsilon`).
ApproxBetweenness SamplePathBetweenness(const CsrGraph& g, double epsilon, double delta,
                                        uint64_t seed, unsigned threads = 2,
                                        uint64_t edgeScansMax = 0);

// The same estimator with a fixed number of pairs (samples >= 1); `epsilon` in the result is what
// the bound guarantees for that many at the given delta (0 when the values are exactly 0).
ApproxBetweenness SamplePathBetweennessWithSamples(const CsrGraph& g, uint32_t samples,
                                                   uint64_t seed, unsigned threads = 2,
                                                   double delta = 0.1);

} // namespace canon

#endif
