// The scenario's rules across keys and ranges, on a typed ScenarioConfig: what ParseScenario
// runs after reading and ValidateScenario runs again after command-line overrides. Each section
// has its check, built from the range helpers of config-checks.h; the first broken rule, in
// file layout order, is the one reported.
#ifndef CANONSIM_SCENARIOS_SCENARIO_CHECKS_H
#define CANONSIM_SCENARIOS_SCENARIO_CHECKS_H

#include "model/run/scenario-config.h"
#include "scenarios/config-checks.h"

#include <string>
#include <vector>

namespace canon
{

// How many nodes the topology has, when that is known before it is built (not for kind file):
// the count as an error shows it ("topology.nodes (50)"), and the key whose line to point at.
struct NodeCount
{
    Shown bound;
    std::string key;
};

std::optional<NodeCount> NodeCountOf(const TopologyConfig& t);

// topology.* (topology-checks.cc).
Check CheckTopology(const TopologyConfig& t);

// The first broken rule of the whole config.
Check FindViolation(const ScenarioConfig& c);

// The first violation `check(items[i], "<list>[i]")` finds.
template <typename T, typename F>
Check
CheckEach(const std::vector<T>& items, const std::string& list, F check)
{
    for (size_t i = 0; i < items.size(); ++i)
    {
        if (Check bad = check(items[i], list + "[" + std::to_string(i) + "]"))
        {
            return bad;
        }
    }
    return std::nullopt;
}

} // namespace canon

#endif
