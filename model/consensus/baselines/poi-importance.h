// NEM's importance calculation (NIS PoiImportanceCalculator, PoiContext and PoiScorer;
// model/consensus/baselines/NOTES.md 2.2-2.5): from the eligible accounts' vested balances and
// their decayed outlinks to a score per account that sums to 1.
//
//   1. Net flows: each eligible account's outlinks per partner minus what it received from
//      eligible partners. Its outlink score is the sum over all partners, negative sums scaled by
//      negativeOutlinkWeight.
//   2. Outlink matrix M[r][s] = net flow s -> r where it is at least outlinkMin, each column
//      divided by its sum; columns that end empty are dangling accounts.
//   3. SCAN clustering of M's undirected graph (poi-clustering.h); outliers get graph weight
//      outlierWeight, everyone else 1.
//   4. NCDawareRank by power iteration from the uniform vector:
//      x' = t M x + (t Σ_dangling x / n + (1 - t - l) / n) + l A R x, normalised to L1 = 1, with t
//      the teleportation (outlink-following) and l the inter-level probability; R moves a node's
//      mass evenly to the blocks (clusters, hubs, outliers) holding it or one of its outlink
//      targets, A spreads a block's mass evenly over its members. It stops when successive
//      iterates are within tolerance / accountsConsidered in L1 (NIS divides by every account it
//      was given, eligible or not) after at most iterationsMax steps.
//   5. importance = normalise((normalise(max(0, vested + outlinkWeight · outlinkScore)) +
//      importanceWeight · rank) ⊙ graphWeight).
//
// Plain std::vector sparse arithmetic; the result is a pure function of the input (every sum runs
// in index order). Reading (NOTES.md 2.8): with clustering off NIS leaves the graph weights at 0
// and every importance 0; here they are 1, the evident intent, so the plain PageRank part can be
// tested on its own.
#ifndef CANONSIM_CONSENSUS_BASELINES_POI_IMPORTANCE_H
#define CANONSIM_CONSENSUS_BASELINES_POI_IMPORTANCE_H

#include "model/consensus/baselines/poi-clustering.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace canon
{

// NIS's defaults (PoiOptionsBuilder, PoiScorer, PoiImportanceCalculator). Amounts are in the
// units of the input (vested balances and link weights alike).
struct PoiImportanceOptions
{
    double outlinkMin = 0;              // NIS minOutlinkWeight: 1,000 XEM in micro-XEM
    double negativeOutlinkWeight = 0.6; // a net sender's outlink score counts at 60%
    double outlierWeight = 0.9;         // graph weight of an outlier
    double teleportation = 0.7;         // probability of following an outlink
    double interLevel = 0.1;            // probability of an inter-level (block) jump
    uint32_t mu = 4;                    // SCAN: similar nodes a core needs, itself included
    double epsilon = 0.3;               // SCAN: similarity above which nodes are similar
    double outlinkWeight = 1.25;        // weight of the outlink score beside the vested balance
    double importanceWeight = 0.1337;   // weight of the NCDawareRank
    bool clustering = true;             // off: no inter-level term, all graph weights 1
    uint32_t iterationsMax = 3000;      // NIS fails the calculation beyond this
    double tolerance = 1e-3;            // divided by PoiGraph::accountsConsidered
};

// A link's recipient outside the eligible accounts.
constexpr uint32_t kPoiOutside = UINT32_MAX;

struct PoiLink
{
    uint32_t from = 0;         // eligible sender's index
    uint32_t to = kPoiOutside; // eligible recipient's index, or kPoiOutside
    double weight = 0;         // amount, already decayed by age
};

struct PoiGraph
{
    std::vector<double> vested; // per eligible account, in calculation order
    std::vector<PoiLink> links; // outlinks of eligible senders; self-links are ignored
    // Every account the calculation was given (eligible or not): NIS's stop rule divides by it.
    // At least vested.size().
    std::size_t accountsConsidered = 0;
};

struct PoiImportanceResult
{
    std::vector<double> importance;   // sums to 1 (empty when no account is eligible)
    std::vector<double> pageRank;     // the NCDawareRank, sums to 1
    std::vector<double> outlinkScore; // after the negative weight
    std::vector<double> graphWeight;  // outlierWeight for outliers, else 1
    std::vector<uint32_t> dangling;   // accounts whose matrix column is empty
    PoiClusters clusters;             // empty when clustering is off
    uint32_t iterations = 0;          // power-iteration steps after the first
};

PoiImportanceResult ComputePoiImportance(const PoiGraph& graph,
                                         const PoiImportanceOptions& options);

} // namespace canon

#endif
