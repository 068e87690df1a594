// The scenario file's schema: every key a scenario file may write, its section, its type and
// the ScenarioConfig member it reads into, in one table (scenario-schema.cc). Defaults are not
// here: a key the file does not write keeps its member initialiser (model/run/scenario-config.h),
// the one place defaults are written, and scenarios/default.yaml writes them all out (a test
// keeps the two equal).
#ifndef CANONSIM_SCENARIOS_SCENARIO_SCHEMA_H
#define CANONSIM_SCENARIOS_SCENARIO_SCHEMA_H

#include "model/run/scenario-config.h"
#include "scenarios/yaml-reader.h"

#include <vector>

namespace canon
{

// The top-level keys of a scenario file, bound to `config` (which must outlive the reads).
std::vector<Field> ScenarioFields(YamlReader& r, ScenarioConfig& config);

} // namespace canon

#endif
