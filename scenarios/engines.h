// The two engines behind RunScenario (run-scenario.h), and what they share besides the run
// driver (model/run/run-driver.h): the wired graph a topology section describes, the checks of
// trace's metadata.
#ifndef CANONSIM_SCENARIOS_ENGINES_H
#define CANONSIM_SCENARIOS_ENGINES_H

#include "model/ns3/wired-topology.h"
#include "model/run/run-driver.h"
#include "model/trace/trace-writer.h"
#include "scenarios/run-scenario.h"

#include <memory>

namespace canon
{

// ns-3 random stream numbers of the topology (DESIGN.md 4.4): the wired graph uses
// WiredTopologySpec::kStreamsUsed from here, on both engines.
constexpr int64_t kTopologyStreams = 0;

Result<RunResult> RunOnNs3(const ScenarioConfig& config, const RunOptions& options);
Result<RunResult> RunOnAbstract(const ScenarioConfig& config, const RunOptions& options);

// The wired graph (random, file or bridge) of a topology section.
WiredTopologySpec WiredSpecFor(const TopologyConfig& t);
// The run plan of a scenario (PlanFromScenario, model/run/scenario-plan.h), with the extra run
// features of `options` appended.
RunPlan PlanForRun(const ScenarioConfig& config, const RunOptions& options, uint32_t nodes,
                   const std::vector<bool>& fullNode);
// Opens the run's trace (written under a temporary name, renamed by Finish()).
Result<std::unique_ptr<TraceWriter>> OpenRunTrace(const ScenarioConfig& config,
                                                  const RunOptions& options, uint32_t nodes);

} // namespace canon

#endif
