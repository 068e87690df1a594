// RunScenario: one CanonSim run from a validated ScenarioConfig, on the engine the config names
// (`engine:`, or `canonsim run --engine`): ns-3 (packet-level: TCP over point-to-point, 802.11s
// or 802.11p devices; scenarios/ns3-engine.cc) or the abstract network (whole messages over
// per-link latency and bandwidth queues; scenarios/abstract-engine.cc). Both build the same
// nodes and links from the topology section and hand the rest to the shared run driver
// (model/run/run-driver.h): genesis, wallets, the CZR loop, crashes, adversaries, and the
// recorder that writes the HDF5 trace (model/trace/trace-records.h, the same schema from both)
// and the RunSummary. The trace is written under a temporary name and renamed when whole.
//
// ns-3 keeps one simulator per process: RunScenario must not be called concurrently, and it
// destroys the simulator before returning so that it can be called again in the same process.
// The same config, engine and seed give identical trace datasets.
#ifndef CANONSIM_SCENARIOS_RUN_SCENARIO_H
#define CANONSIM_SCENARIOS_RUN_SCENARIO_H

#include "model/ns3/visual-output-spec.h"
#include "model/run/run-feature.h"
#include "model/run/run-summary.h"
#include "scenarios/scenario-config.h"

#include <memory>
#include <string>
#include <vector>

namespace canon
{

struct RunOptions
{
    std::string outPath = "run.h5";
    // A progress line on stderr (simulated time, wall time, events per second, ETA).
    bool progress = true;
    // NetAnim and FlowMonitor files (ns-3 engine only; model/ns3/ns3-visual-output.h).
    VisualOutputSpec visual;
    // Stop at the simulated time reached when a signal asks (scenarios/run-stop.h); the trace
    // is then complete up to there and marked interrupted.
    bool stopOnSignal = false;
    // Run features a program adds to those the scenario's sections make (run-feature.h),
    // attached after them.
    std::vector<std::shared_ptr<RunFeature>> features;
};

struct RunResult
{
    RunSummary summary;
    std::string tracePath;
    double wallSeconds = 0;
    uint64_t events = 0;
    double czrEngineSeconds = 0;    // wall time spent scoring CZR epochs
    uint64_t peakResidentBytes = 0; // the run's peak resident memory (process-memory.h)
    VisualOutputSpec visual;        // the NetAnim and FlowMonitor files written, if any
    uint64_t netanimPacketRecords = 0;
    bool netanimPacketsCapped = false; // the packet records reached visual.packetsMax
    bool interrupted = false;          // stopped early by a signal (RunOptions::stopOnSignal)
    double reachedSeconds = 0;         // the simulated time it stopped at
};

// What the options ask that this config cannot give: NetAnim and FlowMonitor files need the ns-3
// engine, and a NetAnim packet window must start before the run ends. RunScenario checks it too.
Status CheckRunOptions(const ScenarioConfig& config, const RunOptions& options);

Result<RunResult> RunScenario(const ScenarioConfig& config, const RunOptions& options);

// "canonsim <code version> (ns-3 <version>, trace schema <version>)": `canonsim --version`.
std::string VersionText();

// The summary as `canonsim run` prints it.
std::string FormatRunSummary(const RunResult& result);

} // namespace canon

#endif
