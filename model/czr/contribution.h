// The CZR contribution model (PROTOCOL.md 2.1, paper 3.1.1): what a node's applications are
// worth, discounted for marginal value, lifted by the node's place in the topology.
//
// Value types and pure functions; the caller owns every input and output. Always:
// - P(r) = w_C C + w_M M + w_B B + w_D D + w_I I (the linear form of PROTOCOL.md 2.1); a
//   Table 2 level counts as its level value (low 1, middle 2, high 3 by default), measured
//   resources may be fractional.
// - An application started at block t0 is worth gamma^(t - t0) P at block t, and nothing before
//   t0 (paper 3.1.1, "marginal effect").
// - A node's score is P_total * (1 + beta * normalised betweenness), so with beta > 0 a bridge
//   with fewer resources can outrank the nodes it connects (Figure 4). Ranking breaks ties by
//   node index, never by container order (DESIGN.md 4.5).
#ifndef CANONSIM_CZR_CONTRIBUTION_H
#define CANONSIM_CZR_CONTRIBUTION_H

#include "model/core/status.h"
#include "model/czr/application-type.h"

#include <Eigen/Core>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace canon
{

enum class Level
{
    kLow,
    kMiddle,
    kHigh,
};

// "low", "middle", "high".
const char* LevelName(Level level);

struct ResourceLevels
{
    Level cpu;
    Level memory;
    Level bandwidth;
    Level storage;
    Level importance;
};

// The paper's Table 2, row by row.
const ResourceLevels& Table2Profile(ApplicationType type);

struct ContributionParams
{
    // The value of low, middle and high (PROTOCOL.md 2.1 defaults).
    std::array<double, 3> levelValues{1.0, 2.0, 3.0};
    // w_C, w_M, w_B, w_D, w_I.
    Eigen::Matrix<double, 5, 1> weights = Eigen::Matrix<double, 5, 1>::Ones();
    double gamma = 0.99; // marginal discount per block, in (0, 1]
    double beta = 1.0;   // weight of normalised betweenness, >= 0

    // Every value finite; level values and weights non-negative and low <= middle <= high (a
    // higher level never counts less); gamma in (0, 1]; beta >= 0.
    Status Validate() const;
};

// Measured resource use of one application; a level maps to its level value.
struct ResourceVector
{
    double cpu = 0.0;
    double memory = 0.0;
    double bandwidth = 0.0;
    double storage = 0.0;
    double importance = 0.0;
};

double LevelValue(Level level, const ContributionParams& params);
ResourceVector LevelsToVector(const ResourceLevels& levels, const ContributionParams& params);

// P = w . r.
double Contribution(const ResourceVector& resources, const ContributionParams& params);

struct ApplicationRun
{
    ApplicationType type;
    uint64_t startBlock; // t0, in block times
    ResourceVector resources;
};

// gamma^(nowBlock - startBlock) * P; 0 when nowBlock < startBlock.
double DiscountedContribution(const ApplicationRun& run, uint64_t nowBlock,
                              const ContributionParams& params);

struct NodeScore
{
    double resource; // sum of the node's discounted contributions
    double topology; // beta * normalised betweenness, the multiplier's increment
    double total;    // resource * (1 + topology)
};

// One score per node; appsPerNode and betweennessNormalized have one entry per node (asserted:
// both come from the engine). params must be valid.
std::vector<NodeScore> ScoreNodes(const std::vector<std::vector<ApplicationRun>>& appsPerNode,
                                  const std::vector<double>& betweennessNormalized,
                                  uint64_t nowBlock, const ContributionParams& params);

// Node indices by total descending, ties by index ascending.
std::vector<uint32_t> RankNodes(const std::vector<NodeScore>& scores);

} // namespace canon

#endif
