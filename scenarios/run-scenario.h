// RunScenario: one CanonSim run on ns-3 from a validated ScenarioConfig. It builds the wired
// topology, derives the chain parameters and keys from the seed, installs a
// CanonNodeApplication and a TransactionWorkload on every node, records every typed event into
// the HDF5 trace (model/trace/trace-records.h) and a RunSummary, runs the simulator to the
// configured duration, and finishes the trace (written under a temporary name, renamed when
// whole).
//
// ns-3 keeps one simulator per process: RunScenario must not be called concurrently, and it
// destroys the simulator before returning so that it can be called again in the same process.
// The same config and seed give identical trace datasets.
#ifndef CANONSIM_SCENARIOS_RUN_SCENARIO_H
#define CANONSIM_SCENARIOS_RUN_SCENARIO_H

#include "model/run/run-summary.h"
#include "scenarios/scenario-config.h"

#include <string>

namespace canon
{

struct RunOptions
{
    std::string outPath = "run.h5";
    // A progress line on stderr (simulated time, wall time, events per second, ETA).
    bool progress = true;
};

struct RunResult
{
    RunSummary summary;
    std::string tracePath;
    double wallSeconds = 0;
    uint64_t events = 0;
    double czrEngineSeconds = 0; // wall time spent scoring CZR epochs
};

Result<RunResult> RunScenario(const ScenarioConfig& config, const RunOptions& options);

// The summary as `canonsim run` prints it.
std::string FormatRunSummary(const RunResult& result);

} // namespace canon

#endif
