// Reading a scenario file into a ScenarioConfig (model/run/scenario-config.h, where the keys,
// their meaning and their defaults are documented) and validating it once (DESIGN.md 4.9).
//
// Errors name the file, the line and the key: "scenarios/x.yaml:7: consensus.producers: must be
// between 1 and topology.nodes (50), got 80".
#ifndef CANONSIM_SCENARIOS_SCENARIO_CONFIG_H
#define CANONSIM_SCENARIOS_SCENARIO_CONFIG_H

#include "model/core/status.h"
#include "model/run/scenario-config.h"

#include <string>

namespace canon
{

// Reads and validates a scenario file. Errors: "<path>:<line>: <key>: <what is wrong>", or
// "<path>: <why it cannot be read>".
Result<ScenarioConfig> LoadScenario(const std::string& path);
// The same from text; `path` is used in errors and to resolve relative topology files.
Result<ScenarioConfig> ParseScenario(const std::string& text, const std::string& path);
// Checks cross-field constraints (also run by ParseScenario, and again after command-line
// overrides are applied). Errors name the key.
Status ValidateScenario(const ScenarioConfig& config);

} // namespace canon

#endif
