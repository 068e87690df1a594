// One CZR measurement epoch (PROTOCOL.md 2.1): what a simulation measured about its nodes turns
// into contribution scores and into the report the CZR engine publishes on chain.
//
// Per node and application, the resource vector is the application's Table 2 profile in level
// values, with CPU, memory and storage scaled by the node's device profile and bandwidth scaled
// by what the node actually carried this epoch (its bytes relayed plus originated, relative to
// the mean over live nodes). The topology term is the node's normalised betweenness in the graph
// of links that carried traffic this epoch (exact Brandes, or for large graphs shortest-path or
// source sampling with an (epsilon, delta) bound). A node that is down measured nothing and
// scores 0.
//
// No ns-3 in here: the run driver's CZR loop (model/run/czr-loop.h) fills
// an EpochMeasurement.
#ifndef CANONSIM_CZR_CZR_EPOCH_H
#define CANONSIM_CZR_CZR_EPOCH_H

#include "model/chain/transaction.h"
#include "model/czr/contribution.h"

#include <utility>
#include <vector>

namespace canon
{

struct DeviceProfile
{
    double cpu = 1.0;
    double memory = 1.0;
    double storage = 1.0;
};

struct NodeMeasurement
{
    Address account{};
    uint32_t region = 0;
    std::vector<ApplicationType> applications; // the first is the node's primary type
    uint64_t startBlock = 0;                   // when its applications started
    DeviceProfile device;
    uint64_t bytesOriginated = 0; // this epoch
    uint64_t bytesRelayed = 0;    // this epoch
    bool alive = true;
};

struct EpochMeasurement
{
    uint64_t epoch = 0;
    uint64_t nowBlock = 0;
    std::vector<NodeMeasurement> nodes;
    // Links (node indices) that carried traffic this epoch.
    std::vector<std::pair<uint32_t, uint32_t>> activeLinks;
};

// How a CentralitySettings that is not exact samples.
enum class CentralitySampling : uint8_t
{
    kSources, // source (pivot) sampling, betweenness.h
    kPaths,   // shortest-path sampling, path-sampling.h
    // Paths, unless a path sample costs more than 1/kPathCostShareMax of a source sample (a
    // BFS): then sources. A source sample is a BFS over the whole graph (57 ms at 110,000 nodes
    // of degree 4); a path sample is a bidirectional search that on a random graph of average
    // degree 4 scans 1/100 to 1/340 of what a BFS does at 10,000 to 110,000 nodes (1/40 at
    // 1,000), so the same work buys 100 times the samples and a far better estimate
    // (bench/czr/README.md). On a large-diameter geometric graph (degree 10) it scans a third
    // of a BFS, and at the same work source sampling's error is half as large and its top 21
    // nodes far closer to exact. The cost comes from the 128 pilot searches that path
    // sampling's work budget also uses (MeanPathSampleScans, path-sampling.h).
    kCheaper,
};

// CentralitySampling::kCheaper's threshold (see there): between the two kinds of graph measured,
// 1/40 and below for sparse random graphs, 1/3 for geometric ones.
constexpr double kPathCostShareMax = 16.0;

struct CentralitySettings
{
    bool exact = true;
    CentralitySampling sampling = CentralitySampling::kSources; // when not exact
    double epsilon = 0.01; // sampled: bound on the error of each normalised value...
    double delta = 0.1;    // ...holding with probability at least 1 - delta
    uint64_t seed = 0;
    unsigned threads = 2;
    // Sampled: at most this many sources (0: as many as epsilon and delta need). On large graphs
    // the (epsilon, delta) bound asks for about as many sources as there are nodes (72,545 at
    // 100,000 nodes for 0.01, 0.1), while a cap keeps an epoch cheap; the bound that cap still
    // guarantees is EpsilonForSampleCount (betweenness.h). Path sampling takes it as a work
    // budget: about the edges samplesMax full BFS passes scan (path-sampling.h); its
    // (epsilon, delta) count grows only with log2 of the vertex diameter and rarely needs that.
    uint32_t samplesMax = 0;
};

struct EpochScores
{
    std::vector<NodeScore> scores;
    std::vector<double> betweenness; // normalised
    std::vector<bool> articulation;  // cut vertices of the measured graph
    uint32_t samples = 0;            // sampled centrality: sources (or paths) used
    CzrReportPayload report;         // sorted by account
};

EpochScores ScoreEpoch(const EpochMeasurement& m, const ContributionParams& params,
                       const CentralitySettings& centrality);

// A score as the fixed-point integer transactions carry.
uint64_t ToScoreUnits(double score);

} // namespace canon

#endif
