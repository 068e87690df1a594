#include "model/czr/contribution.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace canon
{

namespace
{

struct NamedType
{
    ApplicationType type;
    const char* name;
};

constexpr std::array<NamedType, 5> kTypeNames{{
    {ApplicationType::kVehicularNetwork, "vehicular-network"},
    {ApplicationType::kMeshNetwork, "mesh-network"},
    {ApplicationType::kCdn, "cdn"},
    {ApplicationType::kDatabaseQuery, "database-query"},
    {ApplicationType::kScientificComputation, "scientific-computation"},
}};

Eigen::Matrix<double, 5, 1>
AsEigen(const ResourceVector& r)
{
    Eigen::Matrix<double, 5, 1> v;
    v << r.cpu, r.memory, r.bandwidth, r.storage, r.importance;
    return v;
}

} // namespace

const char*
ApplicationTypeName(ApplicationType type)
{
    for (const NamedType& t : kTypeNames)
    {
        if (t.type == type)
        {
            return t.name;
        }
    }
    return "unknown";
}

Result<ApplicationType>
ParseApplicationType(const std::string& name)
{
    for (const NamedType& t : kTypeNames)
    {
        if (name == t.name)
        {
            return t.type;
        }
    }
    std::string known;
    for (const NamedType& t : kTypeNames)
    {
        known += known.empty() ? "" : ", ";
        known += t.name;
    }
    return Status::Invalid("unknown application type '" + name + "' (known: " + known + ")");
}

const char*
LevelName(Level level)
{
    switch (level)
    {
        case Level::kLow:
            return "low";
        case Level::kMiddle:
            return "middle";
        case Level::kHigh:
            return "high";
    }
    return "unknown";
}

const ResourceLevels&
Table2Profile(ApplicationType type)
{
    constexpr Level L = Level::kLow;
    constexpr Level M = Level::kMiddle;
    constexpr Level H = Level::kHigh;
    // Paper Table 2: CPU, memory, bandwidth, storage, importance.
    static const ResourceLevels kVehicular{L, L, L, L, H};
    static const ResourceLevels kMesh{L, L, M, M, M};
    static const ResourceLevels kCdn{L, M, H, H, L};
    static const ResourceLevels kDatabase{M, M, M, H, M};
    static const ResourceLevels kScientific{H, H, M, H, L};
    switch (type)
    {
        case ApplicationType::kVehicularNetwork:
            return kVehicular;
        case ApplicationType::kMeshNetwork:
            return kMesh;
        case ApplicationType::kCdn:
            return kCdn;
        case ApplicationType::kDatabaseQuery:
            return kDatabase;
        case ApplicationType::kScientificComputation:
            return kScientific;
    }
    CANON_ASSERT(false, "Table2Profile: not an ApplicationType");
}

Status
ContributionParams::Validate() const
{
    for (std::size_t i = 0; i < levelValues.size(); ++i)
    {
        if (!std::isfinite(levelValues[i]) || levelValues[i] < 0.0)
        {
            return Status::Invalid("levelValues[" + std::to_string(i) +
                                   "] must be finite and >= 0");
        }
    }
    if (levelValues[0] > levelValues[1] || levelValues[1] > levelValues[2])
    {
        return Status::Invalid("levelValues must satisfy low <= middle <= high");
    }
    for (Eigen::Index i = 0; i < weights.size(); ++i)
    {
        if (!std::isfinite(weights[i]) || weights[i] < 0.0)
        {
            return Status::Invalid("weights[" + std::to_string(i) + "] must be finite and >= 0");
        }
    }
    if (!(gamma > 0.0 && gamma <= 1.0))
    {
        return Status::Invalid("gamma must lie in (0, 1]");
    }
    if (!(beta >= 0.0 && std::isfinite(beta)))
    {
        return Status::Invalid("beta must be finite and >= 0");
    }
    return Status::Ok();
}

double
LevelValue(Level level, const ContributionParams& params)
{
    return params.levelValues[static_cast<std::size_t>(level)];
}

ResourceVector
LevelsToVector(const ResourceLevels& levels, const ContributionParams& params)
{
    return ResourceVector{LevelValue(levels.cpu, params), LevelValue(levels.memory, params),
                          LevelValue(levels.bandwidth, params), LevelValue(levels.storage, params),
                          LevelValue(levels.importance, params)};
}

double
Contribution(const ResourceVector& resources, const ContributionParams& params)
{
    return params.weights.dot(AsEigen(resources));
}

double
DiscountedContribution(const ApplicationRun& run, uint64_t nowBlock,
                       const ContributionParams& params)
{
    if (nowBlock < run.startBlock)
    {
        return 0.0;
    }
    const double age = static_cast<double>(nowBlock - run.startBlock);
    return std::pow(params.gamma, age) * Contribution(run.resources, params);
}

std::vector<NodeScore>
ScoreNodes(const std::vector<std::vector<ApplicationRun>>& appsPerNode,
           const std::vector<double>& betweennessNormalized, uint64_t nowBlock,
           const ContributionParams& params)
{
    CANON_ASSERT(appsPerNode.size() == betweennessNormalized.size(),
                 "ScoreNodes: one application list and one betweenness value per node");
    CANON_ASSERT(params.Validate().IsOk(), "ScoreNodes: parameters must be validated first");
    const auto n = static_cast<Eigen::Index>(appsPerNode.size());
    Eigen::VectorXd resource(n);
    for (Eigen::Index v = 0; v < n; ++v)
    {
        double sum = 0.0; // in application order: the caller's list order is part of the input
        for (const ApplicationRun& run : appsPerNode[static_cast<std::size_t>(v)])
        {
            sum += DiscountedContribution(run, nowBlock, params);
        }
        resource[v] = sum;
    }
    const Eigen::VectorXd topology =
        params.beta * Eigen::Map<const Eigen::VectorXd>(betweennessNormalized.data(), n);
    const Eigen::VectorXd total = resource.cwiseProduct((topology.array() + 1.0).matrix());
    std::vector<NodeScore> scores(static_cast<std::size_t>(n));
    for (Eigen::Index v = 0; v < n; ++v)
    {
        // A NaN would make the ranking's order meaningless; inputs come from the engine.
        CANON_ASSERT(std::isfinite(total[v]), "ScoreNodes: non-finite resources or betweenness");
        scores[static_cast<std::size_t>(v)] = NodeScore{resource[v], topology[v], total[v]};
    }
    return scores;
}

std::vector<uint32_t>
RankNodes(const std::vector<NodeScore>& scores)
{
    std::vector<uint32_t> order(scores.size());
    std::iota(order.begin(), order.end(), 0U);
    std::sort(order.begin(), order.end(),
              [&](uint32_t a, uint32_t b)
              {
                  if (scores[a].total != scores[b].total)
                  {
                      return scores[a].total > scores[b].total;
                  }
                  return a < b;
              });
    return order;
}

} // namespace canon
