#include "scenarios/run-scenario.h"

#include "model/run/data-feature.h"
#include "model/run/scenario-plan.h"
#include "model/trace/trace-records.h"
#include "scenarios/engines.h"
#include "scenarios/process-memory.h"
#include "scenarios/yaml-reader.h"

#include "canonsim-version.h"

#include <cstdio>
#include <filesystem>

#ifndef CANONSIM_NS3_VERSION
#define CANONSIM_NS3_VERSION "unknown"
#endif

namespace canon
{

WiredTopologySpec
WiredSpecFor(const TopologyConfig& t)
{
    WiredTopologySpec spec;
    spec.nodes = t.nodes;
    spec.averageDegree = t.averageDegree;
    if (t.kind == TopologyKind::kFile)
    {
        spec.file = t.file;
        spec.format = Name(t.format);
    }
    else if (t.kind == TopologyKind::kBridge)
    {
        spec.nodes = 2 * t.clusterSize + (t.sybil ? 2 : 1);
        spec.givenEdges = BridgeGraph(t.clusterSize, t.bridgeLinks, t.sybil);
    }
    spec.latencyMinMs = t.linkLatencyMinMs;
    spec.latencyMaxMs = t.linkLatencyMaxMs;
    spec.linkMbps = t.linkBandwidthMbps;
    spec.access.clear();
    for (const auto& a : t.access)
    {
        spec.access.push_back({a.share, a.bandwidthMbps});
    }
    spec.streamBase = kTopologyStreams;
    return spec;
}

namespace
{

// The trace's consensus attributes: the protocol, and the baseline's parameters under their
// scenario keys (PoP's own are the scenario's consensus keys, in the scenario text).
std::vector<std::pair<std::string, std::string>>
ConsensusAttributes(const ConsensusConfig& k)
{
    std::vector<std::pair<std::string, std::string>> out{{"consensus.protocol", Name(k.protocol)}};
    auto add = [&](const std::string& key, double value)
    { out.emplace_back("consensus." + key, FormatReal(value)); };
    switch (k.protocol)
    {
        case Protocol::kPop:
            break;
        case Protocol::kPow:
            add("pow.mean_interval_s", ToSeconds(k.pow.meanInterval));
            add("pow.confirmations", k.pow.confirmations);
            add("pow.retarget_blocks", k.pow.retargetBlocks);
            add("pow.gamma", k.pow.gamma);
            out.emplace_back("consensus.hash_power", Name(k.hashPower));
            break;
        case Protocol::kPos:
            add("pos.active_slot_coefficient", k.pos.activeSlotCoefficient);
            add("pos.confirmations", k.pos.confirmations);
            add("pos.epoch_slots", static_cast<double>(k.pos.epochSlots));
            break;
        case Protocol::kDpos:
            add("dpos.producers", k.dpos.producers);
            add("dpos.repetitions", k.dpos.repetitions);
            add("dpos.votes_max", k.dpos.votesMax);
            out.emplace_back("consensus.dpos.single_stage_lib",
                             k.dpos.singleStageLib ? "true" : "false");
            break;
        case Protocol::kPoi:
            add("poi.target_interval_s", ToSeconds(k.poi.targetInterval));
            add("poi.recompute_blocks", static_cast<double>(k.poi.recomputeBlocks));
            add("poi.vested_min_czr", static_cast<double>(k.poi.vestedMin));
            add("poi.finality_depth", k.poi.finalityDepth);
            break;
    }
    return out;
}

} // namespace

RunPlan
PlanForRun(const ScenarioConfig& config, const RunOptions& options, uint32_t nodes,
           const std::vector<bool>& fullNode)
{
    RunPlan plan;
    if (config.data.active && config.data.kv.stores > 0 && config.data.kv.dir.empty())
    {
        ScenarioConfig c = config; // the audited stores go beside the trace
        c.data.kv.dir = DataFeature::KvDirFor(options.outPath);
        plan = PlanFromScenario(c, nodes, fullNode);
    }
    else
    {
        plan = PlanFromScenario(config, nodes, fullNode);
    }
    plan.features.insert(plan.features.end(), options.features.begin(), options.features.end());
    return plan;
}

Result<std::unique_ptr<TraceWriter>>
OpenRunTrace(const ScenarioConfig& config, const RunOptions& options, uint32_t nodes)
{
    std::error_code ec;
    const auto parent = std::filesystem::path(options.outPath).parent_path();
    if (!parent.empty())
    {
        std::filesystem::create_directories(parent, ec);
    }
    TraceMetadata meta;
    meta.seed = config.seed;
    meta.scenario = config.sourceText;
    meta.scenarioPath = config.sourcePath;
    meta.codeVersion = CANONSIM_CODE_VERSION;
    meta.ns3Version = config.engine == EngineKind::kNs3 ? CANONSIM_NS3_VERSION : "none";
    meta.durationSeconds = config.durationSeconds;
    meta.nodes = nodes;
    meta.producers = config.consensus.producers;
    meta.slotSeconds = config.consensus.slotSeconds;
    meta.engine = Name(config.engine);
    meta.consensus = ConsensusAttributes(config.consensus);
    return TraceWriter::Create(options.outPath, meta, config.trace.batchRecords);
}

Status
CheckRunOptions(const ScenarioConfig& config, const RunOptions& options)
{
    const VisualOutputSpec& v = options.visual;
    if (v.Any() && config.engine != EngineKind::kNs3)
    {
        return Status::Invalid(std::string("--netanim and --flowmon need engine ns3; this run's "
                                           "engine is ") +
                               Name(config.engine));
    }
    if (v.packetsTo > v.packetsFrom && v.packetsFrom >= config.durationSeconds)
    {
        return Status::Invalid("--netanim-packets starts at " + std::to_string(v.packetsFrom) +
                               " s, not before the run ends (" +
                               std::to_string(config.durationSeconds) + " s)");
    }
    return Status::Ok();
}

Result<RunResult>
RunScenario(const ScenarioConfig& config, const RunOptions& options)
{
    Status valid = ValidateScenario(config);
    if (!valid.IsOk())
    {
        return valid;
    }
    Status fits = CheckRunOptions(config, options);
    if (!fits.IsOk())
    {
        return fits;
    }
    ResetPeakResident();
    auto result = config.engine == EngineKind::kAbstract ? RunOnAbstract(config, options)
                                                         : RunOnNs3(config, options);
    if (result.IsOk())
    {
        result.Value().peakResidentBytes = PeakResidentBytes();
    }
    return result;
}

std::string
VersionText()
{
    return std::string("canonsim ") + CANONSIM_CODE_VERSION + " (ns-3 " + CANONSIM_NS3_VERSION +
           ", trace schema " + std::to_string(kTraceSchemaVersion) + ")";
}

namespace
{

// The NetAnim and FlowMonitor lines of the summary: where each file went, and the packet bound.
std::string
FormatVisualOutput(const RunResult& result)
{
    const VisualOutputSpec& v = result.visual;
    std::string out;
    if (!v.netanimPath.empty())
    {
        char line[512];
        if (v.packetsTo > v.packetsFrom)
        {
            std::snprintf(line, sizeof line,
                          "netanim                   %s (from %.1f s; %llu packet records to "
                          "%.1f s%s, at most %llu)\n",
                          v.netanimPath.c_str(), v.packetsFrom,
                          static_cast<unsigned long long>(result.netanimPacketRecords), v.packetsTo,
                          result.netanimPacketsCapped ? ", stopped at the bound" : "",
                          static_cast<unsigned long long>(v.packetsMax));
        }
        else
        {
            std::snprintf(line, sizeof line,
                          "netanim                   %s (positions and mobility, no packets)\n",
                          v.netanimPath.c_str());
        }
        out += line;
    }
    if (!v.flowmonPath.empty())
    {
        out += "flowmon                   " + v.flowmonPath + "\n";
    }
    return out;
}

} // namespace

std::string
FormatRunSummary(const RunResult& result)
{
    const double mib = static_cast<double>(result.peakResidentBytes) / (1024.0 * 1024.0);
    const uint32_t nodes = result.summary.nodes;
    char tail[512];
    std::snprintf(
        tail, sizeof tail,
        "wall time                 %.1f s (%.0fk events/s), CZR engine %.2f s (%.1f%%)\n"
        "memory                    peak RSS %.0f MiB (%.0f KiB per node)\n"
        "trace                     %s\n",
        result.wallSeconds,
        result.wallSeconds > 0 ? static_cast<double>(result.events) / result.wallSeconds / 1000.0
                               : 0.0,
        result.czrEngineSeconds,
        result.wallSeconds > 0 ? 100.0 * result.czrEngineSeconds / result.wallSeconds : 0.0, mib,
        nodes ? mib * 1024.0 / nodes : 0.0, result.tracePath.c_str());
    return FormatSummary(result.summary) + tail + FormatVisualOutput(result);
}

} // namespace canon
