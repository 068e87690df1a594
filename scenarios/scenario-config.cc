// Reading a scenario file into a ScenarioConfig (model/run/scenario-config.h).
//
// Two passes. The reader walks the YAML tree in document order, checks every value's type,
// turns names into enums and seconds into nanoseconds, and remembers the line of every key it
// saw; it writes only the keys present, so everything else keeps the header's member
// initialisers (the one place defaults are written). The range
// checks then run on the typed config (the same checks ValidateScenario runs after command-line
// overrides) and the reader's key lines turn "<key>: <what>" into "<path>:<line>: <key>: <what>".
//
// yaml-cpp reports problems by throwing; every call into it happens inside one try block in
// ParseScenario, so no exception leaves this file.
#include "scenarios/scenario-config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <system_error>
#include <type_traits>

namespace canon
{
namespace
{

// Whole numbers written as doubles (1e6) are accepted up to here: beyond it a double no longer
// holds every integer exactly.
constexpr double kExactIntegerMax = 9007199254740992.0; // 2^53

constexpr uint32_t kRandomNodesMin = 2;
constexpr uint32_t kRandomNodesMax = 100000;
constexpr double kSlotSecondsMin = 0.05;
constexpr double kSlotSecondsMax = 3600.0;
constexpr uint64_t kBlockSizeBytesMin = 1024;
constexpr uint64_t kPeerSendQueueBytesMin = 64 * 1024;
constexpr uint32_t kClusterSizeMin = 2;
constexpr uint32_t kClusterSizeMax = 1000;
constexpr double kRadioRangeMaxM = 10000.0;
constexpr uint32_t kLanesMax = 16;
constexpr size_t kCzrWeightCount = 5;     // w_C, w_M, w_B, w_D, w_I
constexpr size_t kCzrLevelValueCount = 3; // low, middle, high
constexpr TimeNs kBurstDelayMax = 60 * kSecond;
// Times the file writes in seconds (or milliseconds) become nanoseconds; beyond this many
// nanoseconds (about 291 years) they would not fit the 64-bit clock.
constexpr double kTimeNsMax = 9.2e18;

std::string
FormatReal(double value)
{
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof(buf), value);
    return std::string(buf, res.ptr);
}

std::string
FormatCount(uint64_t value)
{
    return std::to_string(value);
}

// "[1, 2, 3]" for error messages.
std::string
FormatReals(const std::vector<double>& values)
{
    std::string out;
    for (double value : values)
    {
        out += (out.empty() ? "" : ", ") + FormatReal(value);
    }
    return "[" + out + "]";
}

// "random, file" for error messages.
std::string
JoinNames(const std::vector<std::string>& names, const char* separator = ", ")
{
    std::string out;
    for (const auto& name : names)
    {
        out += (out.empty() ? "" : separator) + name;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Range checks on a typed config.

// One broken rule: the key it is about, what is wrong, and a related key whose line to point at
// when the key itself was not written in the file (producers left at 21 when nodes says 10).
struct Violation
{
    std::string key;
    std::string what;
    std::string relatedKey;
};

using Check = std::optional<Violation>;

Check
CheckTopologyFile(const TopologyConfig& t)
{
    if (t.file.empty())
    {
        return Violation{"topology.file", "required when topology.kind is file", "topology.kind"};
    }
    std::error_code ec;
    auto st = std::filesystem::status(t.file, ec);
    if (!std::filesystem::exists(st))
    {
        return Violation{"topology.file", "file '" + t.file + "' does not exist", ""};
    }
    if (std::filesystem::is_directory(st))
    {
        return Violation{"topology.file", "'" + t.file + "' is a directory, not a file", ""};
    }
    return std::nullopt;
}

Check
CheckBridgeTopology(const TopologyConfig& t)
{
    if (t.clusterSize < kClusterSizeMin || t.clusterSize > kClusterSizeMax)
    {
        return Violation{"topology.cluster_size",
                         "must be between " + FormatCount(kClusterSizeMin) + " and " +
                             FormatCount(kClusterSizeMax) + ", got " + FormatCount(t.clusterSize),
                         "topology.kind"};
    }
    if (t.bridgeLinks < 1 || t.bridgeLinks > t.clusterSize)
    {
        return Violation{"topology.bridge_links",
                         "must be between 1 and topology.cluster_size (" +
                             FormatCount(t.clusterSize) + "), got " + FormatCount(t.bridgeLinks),
                         "topology.cluster_size"};
    }
    const std::pair<const char*, double> capacities[] = {{"cpu", t.bridgeDevice.cpu},
                                                         {"memory", t.bridgeDevice.memory},
                                                         {"storage", t.bridgeDevice.storage}};
    for (const auto& [name, value] : capacities)
    {
        if (!(value > 0.0))
        {
            return Violation{std::string("topology.bridge_device.") + name,
                             "must be greater than 0, got " + FormatReal(value),
                             "topology.bridge_device"};
        }
    }
    return std::nullopt;
}

// How many nodes the topology has, when that is known before it is built (not for kind file):
// the count, how an error shows it, and the key whose line to point at.
struct NodeCount
{
    uint64_t count;
    std::string shown;
    std::string key;
};

std::optional<NodeCount>
NodeCountOf(const TopologyConfig& t)
{
    if (t.kind == TopologyKind::kRandom)
    {
        return NodeCount{t.nodes, "topology.nodes (" + FormatCount(t.nodes) + ")",
                         "topology.nodes"};
    }
    if (t.kind == TopologyKind::kMesh && t.mesh.layout == MeshLayout::kBridge)
    {
        const uint64_t count = 2 * uint64_t{t.mesh.clusterSize} + 1;
        return NodeCount{count,
                         "the mesh bridge's node count (2 * topology.mesh.cluster_size + 1 = " +
                             FormatCount(count) + ")",
                         "topology.mesh.cluster_size"};
    }
    if (t.kind == TopologyKind::kMesh)
    {
        return NodeCount{t.mesh.nodes, "topology.mesh.nodes (" + FormatCount(t.mesh.nodes) + ")",
                         "topology.mesh.nodes"};
    }
    if (t.kind == TopologyKind::kVehicular)
    {
        const uint64_t count = uint64_t{t.vehicular.vehicles} + t.vehicular.rsus;
        return NodeCount{count,
                         "topology.vehicular.vehicles + topology.vehicular.rsus (" +
                             FormatCount(count) + ")",
                         "topology.vehicular.vehicles"};
    }
    if (t.kind == TopologyKind::kBridge)
    {
        const uint64_t bridges = t.sybil ? 2 : 1;
        const uint64_t count = 2 * uint64_t{t.clusterSize} + bridges;
        return NodeCount{count,
                         "the bridge topology's node count (2 * topology.cluster_size + " +
                             FormatCount(bridges) + " = " + FormatCount(count) + ")",
                         "topology.cluster_size"};
    }
    return std::nullopt;
}

Check
CheckMeshTopology(const MeshConfig& m)
{
    if (m.layout == MeshLayout::kBridge)
    {
        if (m.clusterSize < kClusterSizeMin || m.clusterSize > kClusterSizeMax)
        {
            return Violation{"topology.mesh.cluster_size",
                             "must be between " + FormatCount(kClusterSizeMin) + " and " +
                                 FormatCount(kClusterSizeMax) + ", got " +
                                 FormatCount(m.clusterSize),
                             "topology.mesh.layout"};
        }
        const bool never = m.bridgeAwayS == 0.0 && m.bridgeBackS == 0.0;
        if (!never && !(m.bridgeAwayS >= 0.0 && m.bridgeAwayS < m.bridgeBackS))
        {
            return Violation{"topology.mesh.bridge_away_s",
                             "must be [0, 0] (never) or [away, back] with 0 <= away < back, got [" +
                                 FormatReal(m.bridgeAwayS) + ", " + FormatReal(m.bridgeBackS) + "]",
                             ""};
        }
    }
    else if (m.nodes < kRandomNodesMin || m.nodes > kRandomNodesMax)
    {
        return Violation{"topology.mesh.nodes",
                         "must be between " + FormatCount(kRandomNodesMin) + " and " +
                             FormatCount(kRandomNodesMax) + ", got " + FormatCount(m.nodes),
                         "topology.mesh.layout"};
    }
    const std::pair<const char*, double> positive[] = {{"spacing_m", m.spacingM},
                                                       {"area_m", m.areaM}};
    for (const auto& [name, value] : positive)
    {
        if (!(value > 0.0))
        {
            return Violation{std::string("topology.mesh.") + name,
                             "must be greater than 0, got " + FormatReal(value), ""};
        }
    }
    if (m.layout == MeshLayout::kClustered && (m.clusters < 1 || m.clusters > m.nodes))
    {
        return Violation{"topology.mesh.clusters",
                         "must be between 1 and topology.mesh.nodes (" + FormatCount(m.nodes) +
                             "), got " + FormatCount(m.clusters),
                         "topology.mesh.layout"};
    }
    const std::pair<const char*, double> nonNegative[] = {{"cluster_radius_m", m.clusterRadiusM},
                                                          {"speed_m_s", m.speedMps}};
    for (const auto& [name, value] : nonNegative)
    {
        if (!(value >= 0.0))
        {
            return Violation{std::string("topology.mesh.") + name,
                             "must not be negative, got " + FormatReal(value), ""};
        }
    }
    return std::nullopt;
}

Check
CheckVehicularTopology(const VehicularConfig& v)
{
    if (v.vehicles < 1 || v.vehicles > kRandomNodesMax)
    {
        return Violation{"topology.vehicular.vehicles",
                         "must be between 1 and " + FormatCount(kRandomNodesMax) + ", got " +
                             FormatCount(v.vehicles),
                         ""};
    }
    if (uint64_t{v.vehicles} + v.rsus < kRandomNodesMin || v.rsus > kRandomNodesMax)
    {
        return Violation{"topology.vehicular.rsus",
                         "must make at least 2 nodes with the vehicles and be at most " +
                             FormatCount(kRandomNodesMax) + ", got " + FormatCount(v.rsus),
                         ""};
    }
    if (v.lanes < 1 || v.lanes > kLanesMax)
    {
        return Violation{"topology.vehicular.lanes",
                         "must be between 1 and " + FormatCount(kLanesMax) + ", got " +
                             FormatCount(v.lanes),
                         ""};
    }
    if (!(v.lengthM > 0.0))
    {
        return Violation{"topology.vehicular.length_m",
                         "must be greater than 0, got " + FormatReal(v.lengthM), ""};
    }
    const SpeedConfig& s = v.speed;
    if (!(s.min > 0.0 && s.min <= s.mean && s.mean <= s.max && s.stddev >= 0.0))
    {
        return Violation{"topology.vehicular.speed_m_s",
                         "needs 0 < min <= mean <= max and stddev >= 0, got {mean: " +
                             FormatReal(s.mean) + ", stddev: " + FormatReal(s.stddev) +
                             ", min: " + FormatReal(s.min) + ", max: " + FormatReal(s.max) + "}",
                         ""};
    }
    if (!(v.fullNodeShare >= 0.0 && v.fullNodeShare <= 1.0))
    {
        return Violation{"topology.vehicular.full_node_share",
                         "must be between 0 and 1, got " + FormatReal(v.fullNodeShare), ""};
    }
    if (v.peering == VehicularPeering::kRoadside &&
        !(v.roadsidePeers >= 1 && v.roadsidePeers <= v.rsus))
    {
        return Violation{"topology.vehicular.roadside_peers",
                         "must be between 1 and topology.vehicular.rsus (" + FormatCount(v.rsus) +
                             ") with peering roadside, got " + FormatCount(v.roadsidePeers),
                         ""};
    }
    if (v.mobility == VehicularMobility::kNs2)
    {
        std::error_code ec;
        if (v.traceFile.empty())
        {
            return Violation{"topology.vehicular.trace_file",
                             "required when topology.vehicular.mobility is ns2",
                             "topology.vehicular.mobility"};
        }
        if (!std::filesystem::is_regular_file(v.traceFile, ec))
        {
            return Violation{"topology.vehicular.trace_file",
                             "file '" + v.traceFile + "' does not exist or is not a file", ""};
        }
    }
    return std::nullopt;
}

// Kinds mesh and vehicular: the radio, then the layout.
Check
CheckRadioTopology(const TopologyConfig& t)
{
    if (!(t.radio.rangeM > 0.0 && t.radio.rangeM <= kRadioRangeMaxM))
    {
        return Violation{"topology.radio.range_m",
                         "must be greater than 0 and at most " + FormatReal(kRadioRangeMaxM) +
                             ", got " + FormatReal(t.radio.rangeM),
                         ""};
    }
    Check layout = t.kind == TopologyKind::kMesh ? CheckMeshTopology(t.mesh)
                                                 : CheckVehicularTopology(t.vehicular);
    if (layout)
    {
        return layout;
    }
    const uint64_t nodes = NodeCountOf(t)->count;
    if (t.radio.peers < 1 || t.radio.peers >= nodes)
    {
        return Violation{"topology.radio.peers",
                         "must be at least 1 and less than the node count (" + FormatCount(nodes) +
                             "), got " + FormatCount(t.radio.peers),
                         ""};
    }
    return std::nullopt;
}

Check
CheckTopologyShape(const TopologyConfig& t)
{
    if (t.kind == TopologyKind::kFile)
    {
        return CheckTopologyFile(t);
    }
    if (t.kind == TopologyKind::kBridge)
    {
        return CheckBridgeTopology(t);
    }
    if (IsRadio(t.kind))
    {
        return CheckRadioTopology(t);
    }
    if (t.nodes < kRandomNodesMin || t.nodes > kRandomNodesMax)
    {
        return Violation{"topology.nodes",
                         "must be between " + FormatCount(kRandomNodesMin) + " and " +
                             FormatCount(kRandomNodesMax) + ", got " + FormatCount(t.nodes),
                         ""};
    }
    if (!(t.averageDegree >= 1.0 && t.averageDegree < t.nodes))
    {
        return Violation{"topology.average_degree",
                         "must be at least 1 and less than topology.nodes (" +
                             FormatCount(t.nodes) + "), got " + FormatReal(t.averageDegree),
                         "topology.nodes"};
    }
    return std::nullopt;
}

Check
CheckTopologyLinks(const TopologyConfig& t)
{
    const std::string latency =
        "[" + FormatReal(t.linkLatencyMinMs) + ", " + FormatReal(t.linkLatencyMaxMs) + "]";
    if (!(t.linkLatencyMinMs >= 0.0 && t.linkLatencyMaxMs >= 0.0))
    {
        return Violation{"topology.link_latency_ms", "must not be negative, got " + latency, ""};
    }
    if (!(t.linkLatencyMinMs <= t.linkLatencyMaxMs))
    {
        return Violation{"topology.link_latency_ms", "min must not exceed max, got " + latency, ""};
    }
    if (!(t.linkBandwidthMbps > 0.0))
    {
        return Violation{"topology.link_bandwidth_mbps",
                         "must be greater than 0, got " + FormatReal(t.linkBandwidthMbps), ""};
    }
    if (t.access.empty())
    {
        return Violation{"topology.access", "must list at least one access class", ""};
    }
    for (size_t i = 0; i < t.access.size(); ++i)
    {
        const std::string item = "topology.access[" + std::to_string(i) + "]";
        if (!(t.access[i].share > 0.0))
        {
            return Violation{item + ".share",
                             "must be greater than 0, got " + FormatReal(t.access[i].share), item};
        }
        if (!(t.access[i].bandwidthMbps > 0.0))
        {
            return Violation{item + ".bandwidth_mbps",
                             "must be greater than 0, got " + FormatReal(t.access[i].bandwidthMbps),
                             item};
        }
    }
    return std::nullopt;
}

Check
CheckProducers(const ScenarioConfig& c)
{
    const ConsensusConfig& k = c.consensus;
    const auto nodes = NodeCountOf(c.topology);
    if (nodes && (k.producers < 1 || k.producers > nodes->count))
    {
        return Violation{"consensus.producers",
                         "must be between 1 and " + nodes->shown + ", got " +
                             FormatCount(k.producers),
                         nodes->key};
    }
    if (k.producers < 1)
    {
        return Violation{"consensus.producers", "must be at least 1, got 0", ""};
    }
    return std::nullopt;
}

Check
CheckConsensus(const ScenarioConfig& c)
{
    const ConsensusConfig& k = c.consensus;
    if (auto v = CheckProducers(c))
    {
        return v;
    }
    if (!(k.slotSeconds >= kSlotSecondsMin && k.slotSeconds <= kSlotSecondsMax))
    {
        return Violation{"consensus.slot_s",
                         "must be between " + FormatReal(kSlotSecondsMin) + " and " +
                             FormatReal(kSlotSecondsMax) + ", got " + FormatReal(k.slotSeconds),
                         ""};
    }
    if (k.blockSizeBytesMax < kBlockSizeBytesMin)
    {
        return Violation{"consensus.block_size_bytes_max",
                         "must be at least " + FormatCount(kBlockSizeBytesMin) + ", got " +
                             FormatCount(k.blockSizeBytesMax),
                         ""};
    }
    if (k.blockTxMax < 1)
    {
        return Violation{"consensus.block_tx_max", "must be at least 1, got 0", ""};
    }
    if (k.finalityThreshold > k.producers)
    {
        return Violation{"consensus.finality_threshold",
                         "must be 0 (automatic) or between 1 and consensus.producers (" +
                             FormatCount(k.producers) + "), got " +
                             FormatCount(k.finalityThreshold),
                         "consensus.producers"};
    }
    std::set<uint32_t> seen;
    for (size_t i = 0; i < k.offlineProducers.size(); ++i)
    {
        const uint32_t index = k.offlineProducers[i];
        const std::string item = "consensus.offline_producers[" + std::to_string(i) + "]";
        if (index >= k.producers)
        {
            return Violation{item,
                             "must be a producer index below consensus.producers (" +
                                 FormatCount(k.producers) + "), got " + FormatCount(index),
                             "consensus.offline_producers"};
        }
        if (!seen.insert(index).second)
        {
            return Violation{item, "producer " + FormatCount(index) + " is listed twice",
                             "consensus.offline_producers"};
        }
    }
    return std::nullopt;
}

Check
CheckFee(const FeeConfig& f)
{
    const std::pair<const char*, double> nonNegative[] = {
        {"min", f.min}, {"max", f.max}, {"value", f.value}};
    for (const auto& [name, value] : nonNegative)
    {
        if (!(value >= 0.0))
        {
            return Violation{std::string("workload.fee.") + name,
                             "must not be negative, got " + FormatReal(value), "workload.fee"};
        }
    }
    if (!(f.min <= f.max))
    {
        return Violation{"workload.fee.max",
                         "must be at least workload.fee.min (" + FormatReal(f.min) + "), got " +
                             FormatReal(f.max),
                         "workload.fee"};
    }
    if (!(f.mean > 0.0))
    {
        return Violation{"workload.fee.mean", "must be greater than 0, got " + FormatReal(f.mean),
                         "workload.fee"};
    }
    return std::nullopt;
}

Check
CheckWorkload(const WorkloadConfig& w)
{
    if (!(w.txPerSecond >= 0.0))
    {
        return Violation{"workload.tx_per_s",
                         "must not be negative, got " + FormatReal(w.txPerSecond), ""};
    }
    if (w.accounts < 2)
    {
        return Violation{"workload.accounts", "must be at least 2, got " + FormatCount(w.accounts),
                         ""};
    }
    return CheckFee(w.fee);
}

Check
CheckCzrScoring(const CzrConfig& z)
{
    if (!(z.gamma > 0.0 && z.gamma <= 1.0))
    {
        return Violation{"czr.gamma",
                         "must be greater than 0 and at most 1, got " + FormatReal(z.gamma), ""};
    }
    if (!(z.beta >= 0.0))
    {
        return Violation{"czr.beta", "must not be negative, got " + FormatReal(z.beta), ""};
    }
    if (z.weights.size() != kCzrWeightCount)
    {
        return Violation{"czr.weights",
                         "must list exactly " + FormatCount(kCzrWeightCount) +
                             " weights [w_C, w_M, w_B, w_D, w_I], got " +
                             FormatCount(z.weights.size()),
                         ""};
    }
    bool anyPositive = false;
    for (size_t i = 0; i < z.weights.size(); ++i)
    {
        if (!(z.weights[i] >= 0.0))
        {
            return Violation{"czr.weights[" + std::to_string(i) + "]",
                             "must not be negative, got " + FormatReal(z.weights[i]),
                             "czr.weights"};
        }
        anyPositive = anyPositive || z.weights[i] > 0.0;
    }
    if (!anyPositive)
    {
        return Violation{
            "czr.weights",
            "at least one weight must be greater than 0, got " + FormatReals(z.weights), ""};
    }
    if (z.levelValues.size() != kCzrLevelValueCount)
    {
        return Violation{"czr.level_values",
                         "must list exactly " + FormatCount(kCzrLevelValueCount) +
                             " values [low, middle, high], got " +
                             FormatCount(z.levelValues.size()),
                         ""};
    }
    for (size_t i = 0; i < z.levelValues.size(); ++i)
    {
        if (!(z.levelValues[i] > 0.0))
        {
            return Violation{"czr.level_values[" + std::to_string(i) + "]",
                             "must be greater than 0, got " + FormatReal(z.levelValues[i]),
                             "czr.level_values"};
        }
        if (i > 0 && !(z.levelValues[i - 1] < z.levelValues[i]))
        {
            return Violation{"czr.level_values",
                             "must be strictly ascending (low < middle < high), got " +
                                 FormatReals(z.levelValues),
                             ""};
        }
    }
    return std::nullopt;
}

Check
CheckCzrApplications(const CzrConfig& z)
{
    if (z.applications.empty())
    {
        return Violation{"czr.applications", "must list at least one application", ""};
    }
    if (z.regions < 1)
    {
        return Violation{"czr.regions", "must be at least 1, got 0", ""};
    }
    return std::nullopt;
}

Check
CheckCzrElection(const CzrConfig& z)
{
    const std::pair<const char*, double> openUnit[] = {{"epsilon", z.epsilon}, {"delta", z.delta}};
    for (const auto& [name, value] : openUnit)
    {
        if (!(value > 0.0 && value < 1.0))
        {
            return Violation{std::string("czr.") + name,
                             "must be greater than 0 and less than 1, got " + FormatReal(value),
                             ""};
        }
    }
    if (z.candidatesPerGroup < 1)
    {
        return Violation{"czr.candidates_per_group", "must be at least 1, got 0", ""};
    }
    if (!(z.driftThreshold >= 0.0 && z.driftThreshold <= 1.0))
    {
        return Violation{"czr.drift_threshold",
                         "must be between 0 and 1, got " + FormatReal(z.driftThreshold), ""};
    }
    if (z.missedSlotsMax < 1)
    {
        return Violation{"czr.missed_slots_max", "must be at least 1, got 0", ""};
    }
    if (!(z.voters.share >= 0.0 && z.voters.share <= 1.0))
    {
        return Violation{"czr.voters.share",
                         "must be between 0 and 1, got " + FormatReal(z.voters.share),
                         "czr.voters"};
    }
    return std::nullopt;
}

Check
CheckCzrDevices(const CzrConfig& z)
{
    if (z.deviceClasses.empty())
    {
        return Violation{"czr.device_classes", "must list at least one device class", ""};
    }
    for (size_t i = 0; i < z.deviceClasses.size(); ++i)
    {
        const std::string item = "czr.device_classes[" + std::to_string(i) + "]";
        const DeviceClass& d = z.deviceClasses[i];
        const std::pair<const char*, double> positive[] = {
            {"share", d.share}, {"cpu", d.cpu}, {"memory", d.memory}, {"storage", d.storage}};
        for (const auto& [name, value] : positive)
        {
            if (!(value > 0.0))
            {
                return Violation{item + "." + name,
                                 "must be greater than 0, got " + FormatReal(value), item};
            }
        }
    }
    if (!(z.overclaimFactor >= 1.0))
    {
        return Violation{"czr.overclaim_factor",
                         "must be at least 1, got " + FormatReal(z.overclaimFactor), ""};
    }
    return std::nullopt;
}

Check
CheckCzr(const CzrConfig& z)
{
    for (const auto& check :
         {CheckCzrScoring(z), CheckCzrApplications(z), CheckCzrElection(z), CheckCzrDevices(z)})
    {
        if (check)
        {
            return check;
        }
    }
    return std::nullopt;
}

// A time in nanoseconds as the file wrote it, in seconds.
std::string
FormatSeconds(TimeNs t)
{
    return FormatReal(ToSeconds(t));
}

// `at` lies within the run: at least 0 and before duration_s.
Check
CheckStart(const ScenarioConfig& c, const std::string& key, const std::string& item, TimeNs at)
{
    if (!(at >= 0 && ToSeconds(at) < c.durationSeconds))
    {
        return Violation{key,
                         "must be at least 0 and less than duration_s (" +
                             FormatReal(c.durationSeconds) + "), got " + FormatSeconds(at),
                         item};
    }
    return std::nullopt;
}

// The window [at_s, until_s) of `item` lies within the run and is not empty.
Check
CheckWindow(const ScenarioConfig& c, const std::string& item, TimeNs at, TimeNs until)
{
    if (Check bad = CheckStart(c, item + ".at_s", item, at))
    {
        return bad;
    }
    if (!(until > at))
    {
        return Violation{
            item + ".until_s",
            "must be after at_s (" + FormatSeconds(at) + "), got " + FormatSeconds(until), item};
    }
    return std::nullopt;
}

Check
CheckNodeIndex(const std::optional<NodeCount>& nodes, const std::string& key, uint32_t node)
{
    if (nodes && node >= nodes->count)
    {
        return Violation{
            key, "must be a node index below " + nodes->shown + ", got " + FormatCount(node), key};
    }
    return std::nullopt;
}

// Links, partitions and bursts act on point-to-point links: wired topologies only.
Check
CheckNetworkFaults(const ScenarioConfig& c)
{
    const auto nodes = NodeCountOf(c.topology);
    const FaultPlan& f = c.faults;
    if (!f.NetworkEmpty() && IsRadio(c.topology.kind))
    {
        const char* which = !f.links.empty()        ? "faults.links"
                            : !f.partitions.empty() ? "faults.partitions"
                                                    : "faults.bursts";
        return Violation{which,
                         std::string("acts on wired links; topology.kind '") +
                             Name(c.topology.kind) + "' has none (use faults.crashes there)",
                         which};
    }
    for (size_t i = 0; i < f.links.size(); ++i)
    {
        const std::string item = "faults.links[" + std::to_string(i) + "]";
        const LinkFault& l = f.links[i];
        Check bad = CheckNodeIndex(nodes, item + ".a", l.a);
        bad = bad ? bad : CheckNodeIndex(nodes, item + ".b", l.b);
        if (!bad && l.a == l.b)
        {
            bad = Violation{item + ".b", "must differ from a (" + FormatCount(l.a) + ")", item};
        }
        bad = bad ? bad : CheckWindow(c, item, l.start, l.end);
        if (bad)
        {
            return bad;
        }
    }
    for (size_t i = 0; i < f.partitions.size(); ++i)
    {
        const std::string item = "faults.partitions[" + std::to_string(i) + "]";
        const PartitionFault& p = f.partitions[i];
        if (p.nodes.empty())
        {
            return Violation{item + ".nodes", "must name at least one node", item};
        }
        for (size_t k = 0; k < p.nodes.size(); ++k)
        {
            if (Check bad =
                    CheckNodeIndex(nodes, item + ".nodes[" + std::to_string(k) + "]", p.nodes[k]))
            {
                return bad;
            }
        }
        if (Check bad = CheckWindow(c, item, p.start, p.end))
        {
            return bad;
        }
    }
    for (size_t i = 0; i < f.bursts.size(); ++i)
    {
        const std::string item = "faults.bursts[" + std::to_string(i) + "]";
        const BurstFault& b = f.bursts[i];
        if (!(b.loss >= 0.0 && b.loss <= 1.0))
        {
            return Violation{item + ".loss", "must be in [0, 1], got " + FormatReal(b.loss), item};
        }
        if (!(b.extraDelay >= 0 && b.extraDelay <= kBurstDelayMax))
        {
            return Violation{item + ".delay_ms",
                             "must be in [0, 60000], got " +
                                 FormatReal(static_cast<double>(b.extraDelay) /
                                            static_cast<double>(kMillisecond)),
                             item};
        }
        if (Check bad = CheckWindow(c, item, b.start, b.end))
        {
            return bad;
        }
    }
    return std::nullopt;
}

Check
CheckFaults(const ScenarioConfig& c)
{
    const auto nodes = NodeCountOf(c.topology);
    const auto& crashes = c.faults.crashes;
    for (size_t i = 0; i < crashes.size(); ++i)
    {
        const std::string item = "faults.crashes[" + std::to_string(i) + "]";
        if (nodes && crashes[i].node >= nodes->count)
        {
            return Violation{item + ".node",
                             "must be a node index below " + nodes->shown + ", got " +
                                 FormatCount(crashes[i].node),
                             item};
        }
        if (Check bad = CheckStart(c, item + ".at_s", item, crashes[i].at))
        {
            return bad;
        }
        if (!(crashes[i].restartAt >= 0))
        {
            return Violation{item + ".restart_s",
                             "must not be negative, got " + FormatSeconds(crashes[i].restartAt),
                             item};
        }
    }
    return CheckNetworkFaults(c);
}

// The abstract engine models wired links only.
Check
CheckEngine(const ScenarioConfig& c)
{
    if (c.engine == EngineKind::kAbstract && IsRadio(c.topology.kind))
    {
        return Violation{"engine",
                         std::string("abstract does not model radio (topology.kind ") +
                             Name(c.topology.kind) + "); use engine: ns3",
                         "topology.kind"};
    }
    return std::nullopt;
}

// Which producer an adversary sits on: a genesis producer that starts, and only one adversary.
Check
CheckAdversaryProducer(const ScenarioConfig& c, size_t i, const std::string& item)
{
    const uint32_t producer = c.adversaries[i].producer;
    const ConsensusConfig& k = c.consensus;
    if (producer >= k.producers)
    {
        return Violation{item + ".producer",
                         "must be a producer index below consensus.producers (" +
                             FormatCount(k.producers) + "), got " + FormatCount(producer),
                         item};
    }
    for (size_t j = 0; j < i; ++j)
    {
        if (c.adversaries[j].producer == producer)
        {
            return Violation{item + ".producer",
                             "producer " + FormatCount(producer) + " already hosts adversaries[" +
                                 std::to_string(j) + "]",
                             item};
        }
    }
    const auto& offline = k.offlineProducers;
    if (std::find(offline.begin(), offline.end(), producer) != offline.end())
    {
        return Violation{item + ".producer",
                         "producer " + FormatCount(producer) +
                             " is offline (consensus.offline_producers) and never produces",
                         item};
    }
    return std::nullopt;
}

// The window [from_s, until_s): until_s 0 means to the end, except for a withholder, which
// releases its private chain at until_s.
Check
CheckAdversaryWindow(const ScenarioConfig& c, const AdversarySpec& a, const std::string& item)
{
    if (Check bad = CheckStart(c, item + ".from_s", item, a.from))
    {
        return bad;
    }
    if (a.kind == AdversaryKind::kWithholder && !(a.until > a.from))
    {
        return Violation{
            item + ".until_s",
            "a withholder releases its chain at until_s, which must be after from_s (" +
                FormatSeconds(a.from) + "), got " + FormatSeconds(a.until),
            item};
    }
    if (!(a.until == 0 || a.until > a.from))
    {
        return Violation{item + ".until_s",
                         "must be 0 (to the end of the run) or after from_s (" +
                             FormatSeconds(a.from) + "), got " + FormatSeconds(a.until),
                         item};
    }
    return std::nullopt;
}

// What only one kind uses: censored accounts (censor) and the claim factor (over-claimer).
Check
CheckAdversaryExtras(const ScenarioConfig& c, const AdversarySpec& a, const std::string& item)
{
    const auto& censored = a.censoredAccounts;
    if (a.kind != AdversaryKind::kCensor && !censored.empty())
    {
        return Violation{item + ".censored_accounts",
                         std::string("only a censor censors; kind is ") + AdversaryKindName(a.kind),
                         item};
    }
    if (a.kind == AdversaryKind::kCensor && censored.empty())
    {
        return Violation{item + ".censored_accounts", "a censor must name at least one account",
                         item};
    }
    for (size_t k = 0; k < censored.size(); ++k)
    {
        if (censored[k] >= c.workload.accounts)
        {
            return Violation{item + ".censored_accounts[" + std::to_string(k) + "]",
                             "must be an account index below workload.accounts (" +
                                 FormatCount(c.workload.accounts) + "), got " +
                                 FormatCount(censored[k]),
                             item + ".censored_accounts"};
        }
    }
    if (!(a.overclaimFactor >= 1.0))
    {
        return Violation{item + ".overclaim_factor",
                         "must be at least 1, got " + FormatReal(a.overclaimFactor), item};
    }
    return std::nullopt;
}

Check
CheckAdversaries(const ScenarioConfig& c)
{
    for (size_t i = 0; i < c.adversaries.size(); ++i)
    {
        const std::string item = "adversaries[" + std::to_string(i) + "]";
        const AdversarySpec& a = c.adversaries[i];
        for (const auto& check :
             {CheckAdversaryProducer(c, i, item), CheckAdversaryWindow(c, a, item),
              CheckAdversaryExtras(c, a, item)})
        {
            if (check)
            {
                return check;
            }
        }
    }
    return std::nullopt;
}

Check
CheckSettings(const ScenarioConfig& c)
{
    if (c.node.mempoolTxMax < 1)
    {
        return Violation{"node.mempool_tx_max", "must be at least 1, got 0", ""};
    }
    if (c.node.peerSendQueueBytesMax < kPeerSendQueueBytesMin)
    {
        return Violation{"node.peer_send_queue_bytes_max",
                         "must be at least " + FormatCount(kPeerSendQueueBytesMin) + ", got " +
                             FormatCount(c.node.peerSendQueueBytesMax),
                         ""};
    }
    if (c.trace.batchRecords < 1)
    {
        return Violation{"trace.batch_records", "must be at least 1, got 0", ""};
    }
    return std::nullopt;
}

// The first broken rule, in file layout order.
Check
FindViolation(const ScenarioConfig& c)
{
    if (!(c.durationSeconds > 0.0))
    {
        return Violation{"duration_s",
                         "must be greater than 0, got " + FormatReal(c.durationSeconds), ""};
    }
    for (const auto& check :
         {CheckTopologyShape(c.topology), CheckEngine(c), CheckTopologyLinks(c.topology),
          CheckConsensus(c), CheckWorkload(c.workload), CheckCzr(c.czr), CheckFaults(c),
          CheckAdversaries(c), CheckSettings(c)})
    {
        if (check)
        {
            return check;
        }
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// The reader: YAML tree to typed fields.

// Reads one value into its field; `key` is the dotted name, `line` the key's 1-based line.
using FieldReader =
    std::function<Status(const YAML::Node& value, const std::string& key, int line)>;

struct Field
{
    std::string name;
    FieldReader read;
};

int
LineOf(const YAML::Node& node)
{
    return node.Mark().is_null() ? 0 : node.Mark().line + 1;
}

// How a value that is not the wanted kind is shown: "'fast'", "a list", "nothing".
std::string
Describe(const YAML::Node& node)
{
    switch (node.Type())
    {
        case YAML::NodeType::Scalar:
            return "'" + node.Scalar() + "'";
        case YAML::NodeType::Sequence:
            return "a list";
        case YAML::NodeType::Map:
            return "a mapping";
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined:
            return "nothing";
    }
    return "nothing";
}

// The names of an enum's values, in the order an error lists them.
template <typename E>
using Choices = std::vector<std::pair<std::string, E>>;

// The names a scenario file writes for a config enum (ConfigNames, model/run/scenario-config.h).
template <typename E>
Choices<E>
NamedChoices()
{
    Choices<E> choices;
    for (const char* name : ConfigNames<E>::kNames)
    {
        choices.emplace_back(name, *ParseName<E>(name));
    }
    return choices;
}

// The application types of the paper's Table 2 (model/czr/contribution.h).
Choices<ApplicationType>
ApplicationChoices()
{
    Choices<ApplicationType> choices;
    for (ApplicationType t :
         {ApplicationType::kVehicularNetwork, ApplicationType::kMeshNetwork, ApplicationType::kCdn,
          ApplicationType::kDatabaseQuery, ApplicationType::kScientificComputation})
    {
        choices.emplace_back(ApplicationTypeName(t), t);
    }
    return choices;
}

// The adversary kinds of model/node/adversary.h.
Choices<AdversaryKind>
AdversaryChoices()
{
    Choices<AdversaryKind> choices;
    for (AdversaryKind k :
         {AdversaryKind::kEquivocator, AdversaryKind::kWithholder, AdversaryKind::kInvalidBlocks,
          AdversaryKind::kCensor, AdversaryKind::kOverClaimer})
    {
        choices.emplace_back(AdversaryKindName(k), k);
    }
    return choices;
}

class Reader
{
  public:
    explicit Reader(std::string path)
      : m_path(std::move(path))
    {
    }

    Status Error(int line, const std::string& key, const std::string& what) const
    {
        return Status::Malformed(Prefix(line) + key + ": " + what);
    }

    // A value of the right type that is not one of the allowed ones (an unknown name).
    Status Invalid(int line, const std::string& key, const std::string& what) const
    {
        return Status::Invalid(Prefix(line) + key + ": " + what);
    }

    // Whether the file wrote `key` (dotted).
    bool Wrote(const std::string& key) const { return m_lines.count(key) > 0; }

    // "<path>:<line>: " (or "<path>: " when the line is unknown).
    std::string Prefix(int line) const
    {
        return m_path + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": ";
    }

    // The line to point at for a violation: the key's own, else the related key's, else the
    // nearest enclosing section written in the file; 0 when none of them was written.
    int LineFor(const Violation& v) const
    {
        for (const auto& key : {v.key, v.relatedKey})
        {
            auto it = m_lines.find(key);
            if (it != m_lines.end())
            {
                return it->second;
            }
        }
        std::string key = v.key;
        for (auto cut = key.find_last_of(".["); cut != std::string::npos;
             cut = key.find_last_of(".["))
        {
            key.resize(cut);
            auto it = m_lines.find(key);
            if (it != m_lines.end())
            {
                return it->second;
            }
        }
        return 0;
    }

    // Walks a mapping in document order, rejecting unknown and repeated keys. A section written
    // with nothing under it ("trace:") keeps all its defaults.
    Status ReadMapping(const YAML::Node& node, const std::string& prefix, int line,
                       const std::vector<Field>& fields)
    {
        if (node.IsNull())
        {
            return Status::Ok();
        }
        if (!node.IsMap())
        {
            return Error(line, prefix, "expected a mapping of keys, got " + Describe(node));
        }
        for (auto it = node.begin(); it != node.end(); ++it)
        {
            auto status = ReadEntry(it->first, it->second, prefix, fields);
            if (!status.IsOk())
            {
                return status;
            }
        }
        return Status::Ok();
    }

    template <typename T>
    FieldReader Integer(T& out)
    {
        return [&out, this](const YAML::Node& v, const std::string& key, int line)
        { return ReadInteger(v, key, line, out); };
    }

    FieldReader Number(double& out)
    {
        return [&out, this](const YAML::Node& v, const std::string& key, int line)
        { return ReadNumber(v, key, line, out); };
    }

    // YAML's true and false, nothing else (not yes/no/on/off, not 1/0).
    FieldReader Bool(bool& out)
    {
        return [&out, this](const YAML::Node& v, const std::string& key, int line)
        {
            if (!v.IsScalar() || (v.Scalar() != "true" && v.Scalar() != "false"))
            {
                return Error(line, key, "expected true or false, got " + Describe(v));
            }
            out = v.Scalar() == "true";
            return Status::Ok();
        };
    }

    // One of `choices` by its name; an unknown name is an error listing them all.
    template <typename E>
    FieldReader Choice(E& out, Choices<E> choices)
    {
        return [&out, choices = std::move(choices), this](const YAML::Node& v,
                                                          const std::string& key, int line)
        { return ReadChoice(v, key, line, choices, out); };
    }

    template <typename E>
    Status ReadChoice(const YAML::Node& v, const std::string& key, int line,
                      const Choices<E>& choices, E& out)
    {
        std::string name;
        auto status = String(name)(v, key, line);
        if (!status.IsOk())
        {
            return status;
        }
        std::vector<std::string> names;
        for (const auto& [choice, value] : choices)
        {
            if (choice == name)
            {
                out = value;
                return Status::Ok();
            }
            names.push_back(choice);
        }
        return Invalid(line, key, "must be one of " + JoinNames(names) + "; got '" + name + "'");
    }

    // A time the file writes in `unit`s (seconds, milliseconds), kept in nanoseconds.
    FieldReader Time(TimeNs& out, TimeNs unit)
    {
        return [&out, unit, this](const YAML::Node& v, const std::string& key, int line)
        {
            double value = 0.0;
            auto status = ReadNumber(v, key, line, value);
            if (!status.IsOk())
            {
                return status;
            }
            const double limit = kTimeNsMax / static_cast<double>(unit);
            if (!(std::fabs(value) <= limit))
            {
                return Error(line, key,
                             "must be between -" + FormatReal(limit) + " and " + FormatReal(limit) +
                                 ", got " + v.Scalar());
            }
            out = std::llround(value * static_cast<double>(unit));
            return status;
        };
    }

    FieldReader String(std::string& out)
    {
        return [&out, this](const YAML::Node& v, const std::string& key, int line)
        {
            if (!v.IsScalar())
            {
                return Error(line, key, "expected a string, got " + Describe(v));
            }
            out = v.Scalar();
            return Status::Ok();
        };
    }

    Status ReadNumber(const YAML::Node& v, const std::string& key, int line, double& out) const
    {
        if (!v.IsScalar())
        {
            return Error(line, key, "expected a number, got " + Describe(v));
        }
        auto parsed = ParseDouble(v.Scalar());
        if (!parsed)
        {
            return Error(line, key, "expected a number, got " + Describe(v));
        }
        if (!std::isfinite(*parsed))
        {
            return Error(line, key, "expected a finite number, got " + Describe(v));
        }
        out = *parsed;
        return Status::Ok();
    }

    template <typename T>
    Status ReadInteger(const YAML::Node& v, const std::string& key, int line, T& out) const
    {
        static_assert(std::is_unsigned_v<T>, "scenario counts are unsigned");
        const std::string whole = "expected a whole number, got " + Describe(v);
        if (!v.IsScalar())
        {
            return Error(line, key, whole);
        }
        const std::string& text = v.Scalar();
        const std::string tooBig =
            "must be at most " + FormatCount(std::numeric_limits<T>::max()) + ", got " + text;
        uint64_t value = 0;
        const char* first = text.data() + (text.size() > 1 && text[0] == '+' ? 1 : 0);
        const char* last = text.data() + text.size();
        auto res = std::from_chars(first, last, value);
        if (res.ec == std::errc::result_out_of_range && res.ptr == last)
        {
            return Error(line, key, tooBig);
        }
        if (res.ec != std::errc() || res.ptr != last)
        {
            // Not plain digits: a negative, a fraction, 1e6, or not a number at all.
            auto parsed = ParseDouble(text);
            if (!parsed || !std::isfinite(*parsed))
            {
                return Error(line, key, whole);
            }
            if (*parsed < 0.0)
            {
                return Error(line, key, "must not be negative, got " + text);
            }
            if (std::floor(*parsed) != *parsed)
            {
                return Error(line, key, whole);
            }
            if (*parsed > kExactIntegerMax)
            {
                return Error(line, key, tooBig);
            }
            value = static_cast<uint64_t>(*parsed);
        }
        if (value > std::numeric_limits<T>::max())
        {
            return Error(line, key, tooBig);
        }
        out = static_cast<T>(value);
        return Status::Ok();
    }

    // Locale-independent; accepts a leading '+' as YAML does.
    static std::optional<double> ParseDouble(const std::string& text)
    {
        const char* first = text.data() + (text.size() > 1 && text[0] == '+' ? 1 : 0);
        const char* last = text.data() + text.size();
        double value = 0.0;
        auto res = std::from_chars(first, last, value);
        if (res.ec != std::errc() || res.ptr != last || first == last)
        {
            return std::nullopt;
        }
        return value;
    }

    // One element of a list: its index, dotted key "k[i]" and 1-based line.
    using ElementReader =
        std::function<Status(const YAML::Node&, size_t index, const std::string&, int)>;

    // Checks a list value and hands each element to `element`.
    Status ForEachElement(const YAML::Node& v, const std::string& key, int line,
                          const ElementReader& element)
    {
        if (!v.IsSequence())
        {
            return Error(line, key, "expected a list, got " + Describe(v));
        }
        for (size_t i = 0; i < v.size(); ++i)
        {
            const std::string itemKey = key + "[" + std::to_string(i) + "]";
            const int itemLine = LineOf(v[i]) > 0 ? LineOf(v[i]) : line;
            m_lines[itemKey] = itemLine;
            auto status = element(v[i], i, itemKey, itemLine);
            if (!status.IsOk())
            {
                return status;
            }
        }
        return Status::Ok();
    }

  private:
    Status ReadEntry(const YAML::Node& keyNode, const YAML::Node& value, const std::string& prefix,
                     const std::vector<Field>& fields)
    {
        const int line = LineOf(keyNode);
        const std::string dot = prefix.empty() ? "" : prefix + ".";
        if (!keyNode.IsScalar())
        {
            return Error(line, prefix.empty() ? "(top level)" : prefix,
                         "keys must be plain names, got " + Describe(keyNode));
        }
        const std::string key = dot + keyNode.Scalar();
        const Field* field = nullptr;
        std::vector<std::string> known;
        for (const auto& f : fields)
        {
            known.push_back(f.name);
            field = f.name == keyNode.Scalar() ? &f : field;
        }
        if (field == nullptr)
        {
            return Error(line, key, "unknown key (known: " + JoinNames(known) + ")");
        }
        auto seen = m_lines.find(key);
        if (seen != m_lines.end())
        {
            return Error(line, key,
                         "repeated key (first given at line " + std::to_string(seen->second) + ")");
        }
        m_lines[key] = line;
        return field->read(value, key, line);
    }

    std::string m_path;
    std::map<std::string, int> m_lines; // dotted key -> 1-based line of the key
};

Status
ReadAccessClass(Reader& r, const YAML::Node& v, const std::string& key, int line, AccessClass& a)
{
    if (!v.IsMap())
    {
        return r.Error(line, key, "expected a mapping {share, bandwidth_mbps}, got " + Describe(v));
    }
    return r.ReadMapping(
        v, key, line,
        {{"share", r.Number(a.share)}, {"bandwidth_mbps", r.Number(a.bandwidthMbps)}});
}

FieldReader
AccessList(Reader& r, std::vector<AccessClass>& out)
{
    return [&r, &out](const YAML::Node& v, const std::string& key, int line)
    {
        std::vector<AccessClass> classes;
        auto status = r.ForEachElement(
            v, key, line,
            [&](const YAML::Node& item, size_t, const std::string& itemKey, int itemLine)
            {
                classes.emplace_back();
                return ReadAccessClass(r, item, itemKey, itemLine, classes.back());
            });
        if (status.IsOk())
        {
            out = std::move(classes);
        }
        return status;
    };
}

FieldReader
LatencyRange(Reader& r, TopologyConfig& t)
{
    return [&r, &t](const YAML::Node& v, const std::string& key, int line)
    {
        if (!v.IsSequence() || v.size() != 2)
        {
            const std::string got =
                v.IsSequence() ? std::to_string(v.size()) + " elements" : Describe(v);
            return r.Error(line, key, "expected a list of two numbers [min, max], got " + got);
        }
        double* bounds[2] = {&t.linkLatencyMinMs, &t.linkLatencyMaxMs};
        return r.ForEachElement(
            v, key, line,
            [&](const YAML::Node& item, size_t i, const std::string& itemKey, int itemLine)
            { return r.ReadNumber(item, itemKey, itemLine, *bounds[i]); });
    };
}

FieldReader
ProducerList(Reader& r, std::vector<uint32_t>& out)
{
    return [&r, &out](const YAML::Node& v, const std::string& key, int line)
    {
        std::vector<uint32_t> indices;
        auto status = r.ForEachElement(
            v, key, line,
            [&](const YAML::Node& item, size_t, const std::string& itemKey, int itemLine)
            {
                indices.push_back(0);
                return r.ReadInteger(item, itemKey, itemLine, indices.back());
            });
        if (status.IsOk())
        {
            out = std::move(indices);
        }
        return status;
    };
}

// A list of exactly `count` numbers; `shape` names them in errors ("three numbers [a, b, c]").
FieldReader
FixedNumberList(Reader& r, std::vector<double>& out, size_t count, std::string shape)
{
    return [&r, &out, count, shape](const YAML::Node& v, const std::string& key, int line)
    {
        if (!v.IsSequence() || v.size() != count)
        {
            const std::string got = !v.IsSequence() ? Describe(v)
                                    : v.size() == 1 ? std::string("1 element")
                                                    : std::to_string(v.size()) + " elements";
            return r.Error(line, key, "expected a list of " + shape + ", got " + got);
        }
        std::vector<double> values(count);
        auto status = r.ForEachElement(
            v, key, line,
            [&](const YAML::Node& item, size_t i, const std::string& itemKey, int itemLine)
            { return r.ReadNumber(item, itemKey, itemLine, values[i]); });
        if (status.IsOk())
        {
            out = std::move(values);
        }
        return status;
    };
}

FieldReader
ApplicationList(Reader& r, std::vector<ApplicationType>& out)
{
    return [&r, &out](const YAML::Node& v, const std::string& key, int line)
    {
        std::vector<ApplicationType> names;
        const Choices<ApplicationType> choices = ApplicationChoices();
        auto status = r.ForEachElement(
            v, key, line,
            [&](const YAML::Node& item, size_t, const std::string& itemKey, int itemLine)
            {
                names.emplace_back();
                return r.ReadChoice(item, itemKey, itemLine, choices, names.back());
            });
        if (status.IsOk())
        {
            out = std::move(names);
        }
        return status;
    };
}

Status
ReadDeviceClass(Reader& r, const YAML::Node& v, const std::string& key, int line, DeviceClass& d)
{
    if (!v.IsMap())
    {
        return r.Error(line, key,
                       "expected a mapping {share, cpu, memory, storage}, got " + Describe(v));
    }
    return r.ReadMapping(v, key, line,
                         {{"share", r.Number(d.share)},
                          {"cpu", r.Number(d.cpu)},
                          {"memory", r.Number(d.memory)},
                          {"storage", r.Number(d.storage)}});
}

FieldReader
DeviceClassList(Reader& r, std::vector<DeviceClass>& out)
{
    return [&r, &out](const YAML::Node& v, const std::string& key, int line)
    {
        std::vector<DeviceClass> classes;
        auto status = r.ForEachElement(
            v, key, line,
            [&](const YAML::Node& item, size_t, const std::string& itemKey, int itemLine)
            {
                classes.emplace_back();
                return ReadDeviceClass(r, item, itemKey, itemLine, classes.back());
            });
        if (status.IsOk())
        {
            out = std::move(classes);
        }
        return status;
    };
}

Status
ReadCrash(Reader& r, const YAML::Node& v, const std::string& key, int line, CrashFault& c)
{
    if (!v.IsMap())
    {
        return r.Error(line, key, "expected a mapping {node, at_s, restart_s}, got " + Describe(v));
    }
    return r.ReadMapping(v, key, line,
                         {{"node", r.Integer(c.node)},
                          {"at_s", r.Time(c.at, kSecond)},
                          {"restart_s", r.Time(c.restartAt, kSecond)}});
}

// A nested section whose keys come from `fields` (TopologyFields, ...).
template <typename Config>
FieldReader
Section(Reader& r, Config& config, std::vector<Field> (*fields)(Reader&, Config&))
{
    return [&r, &config, fields](const YAML::Node& v, const std::string& key, int line)
    { return r.ReadMapping(v, key, line, fields(r, config)); };
}

// The bridge node's capacity multipliers; its share is not drawn, so not a key.
std::vector<Field>
BridgeDeviceFields(Reader& r, DeviceClass& d)
{
    return {
        {"cpu", r.Number(d.cpu)}, {"memory", r.Number(d.memory)}, {"storage", r.Number(d.storage)}};
}

std::vector<Field>
RadioFields(Reader& r, RadioConfig& c)
{
    return {{"range_m", r.Number(c.rangeM)}, {"peers", r.Integer(c.peers)}};
}

// [away, back] for the mesh bridge.
FieldReader
BridgeAwayRange(Reader& r, MeshConfig& m)
{
    return [&r, &m](const YAML::Node& v, const std::string& key, int line)
    {
        if (!v.IsSequence() || v.size() != 2)
        {
            const std::string got =
                v.IsSequence() ? std::to_string(v.size()) + " elements" : Describe(v);
            return r.Error(line, key, "expected a list of two numbers [away, back], got " + got);
        }
        double* bounds[2] = {&m.bridgeAwayS, &m.bridgeBackS};
        return r.ForEachElement(
            v, key, line,
            [&](const YAML::Node& item, size_t i, const std::string& itemKey, int itemLine)
            { return r.ReadNumber(item, itemKey, itemLine, *bounds[i]); });
    };
}

std::vector<Field>
MeshFields(Reader& r, MeshConfig& m)
{
    return {{"layout", r.Choice(m.layout, NamedChoices<MeshLayout>())},
            {"nodes", r.Integer(m.nodes)},
            {"spacing_m", r.Number(m.spacingM)},
            {"area_m", r.Number(m.areaM)},
            {"clusters", r.Integer(m.clusters)},
            {"cluster_radius_m", r.Number(m.clusterRadiusM)},
            {"speed_m_s", r.Number(m.speedMps)},
            {"cluster_size", r.Integer(m.clusterSize)},
            {"bridge_away_s", BridgeAwayRange(r, m)}};
}

std::vector<Field>
SpeedFields(Reader& r, SpeedConfig& s)
{
    return {{"mean", r.Number(s.mean)},
            {"stddev", r.Number(s.stddev)},
            {"min", r.Number(s.min)},
            {"max", r.Number(s.max)}};
}

std::vector<Field>
VehicularFields(Reader& r, VehicularConfig& v)
{
    return {{"vehicles", r.Integer(v.vehicles)},
            {"rsus", r.Integer(v.rsus)},
            {"lanes", r.Integer(v.lanes)},
            {"length_m", r.Number(v.lengthM)},
            {"speed_m_s", Section(r, v.speed, SpeedFields)},
            {"full_node_share", r.Number(v.fullNodeShare)},
            {"mobility", r.Choice(v.mobility, NamedChoices<VehicularMobility>())},
            {"trace_file", r.String(v.traceFile)},
            {"peering", r.Choice(v.peering, NamedChoices<VehicularPeering>())},
            {"roadside_peers", r.Integer(v.roadsidePeers)}};
}

std::vector<Field>
TopologyFields(Reader& r, TopologyConfig& t)
{
    return {{"kind", r.Choice(t.kind, NamedChoices<TopologyKind>())},
            {"cluster_size", r.Integer(t.clusterSize)},
            {"bridge_links", r.Integer(t.bridgeLinks)},
            {"sybil", r.Bool(t.sybil)},
            {"bridge_device", Section(r, t.bridgeDevice, BridgeDeviceFields)},
            {"nodes", r.Integer(t.nodes)},
            {"average_degree", r.Number(t.averageDegree)},
            {"file", r.String(t.file)},
            {"format", r.Choice(t.format, NamedChoices<TopologyFormat>())},
            {"link_latency_ms", LatencyRange(r, t)},
            {"link_bandwidth_mbps", r.Number(t.linkBandwidthMbps)},
            {"access", AccessList(r, t.access)},
            {"radio", Section(r, t.radio, RadioFields)},
            {"mesh", Section(r, t.mesh, MeshFields)},
            {"vehicular", Section(r, t.vehicular, VehicularFields)}};
}

std::vector<Field>
ConsensusFields(Reader& r, ConsensusConfig& k)
{
    return {{"producers", r.Integer(k.producers)},
            {"slot_s", r.Number(k.slotSeconds)},
            {"block_size_bytes_max", r.Integer(k.blockSizeBytesMax)},
            {"block_tx_max", r.Integer(k.blockTxMax)},
            {"finality_threshold", r.Integer(k.finalityThreshold)},
            {"offline_producers", ProducerList(r, k.offlineProducers)}};
}

std::vector<Field>
FeeFields(Reader& r, FeeConfig& f)
{
    return {{"distribution", r.Choice(f.distribution, NamedChoices<FeeDistribution>())},
            {"min", r.Number(f.min)},
            {"max", r.Number(f.max)},
            {"mean", r.Number(f.mean)},
            {"value", r.Number(f.value)}};
}

std::vector<Field>
WorkloadFields(Reader& r, WorkloadConfig& w)
{
    return {{"tx_per_s", r.Number(w.txPerSecond)},
            {"accounts", r.Integer(w.accounts)},
            {"fee", Section(r, w.fee, FeeFields)}};
}

std::vector<Field>
VoterFields(Reader& r, VoterConfig& v)
{
    return {{"share", r.Number(v.share)},
            {"behaviour", r.Choice(v.behaviour, NamedChoices<VoterBehaviour>())}};
}

std::vector<Field>
CzrFields(Reader& r, CzrConfig& z)
{
    return {{"enabled", r.Bool(z.enabled)},
            {"epoch_slots", r.Integer(z.epochSlots)},
            {"gamma", r.Number(z.gamma)},
            {"beta", r.Number(z.beta)},
            {"weights", FixedNumberList(r, z.weights, kCzrWeightCount,
                                        "five numbers [w_C, w_M, w_B, w_D, w_I]")},
            {"level_values", FixedNumberList(r, z.levelValues, kCzrLevelValueCount,
                                             "three numbers [low, middle, high]")},
            {"applications", ApplicationList(r, z.applications)},
            {"regions", r.Integer(z.regions)},
            {"centrality", r.Choice(z.centrality, NamedChoices<CentralityMode>())},
            {"epsilon", r.Number(z.epsilon)},
            {"delta", r.Number(z.delta)},
            {"candidates_per_group", r.Integer(z.candidatesPerGroup)},
            {"drift_threshold", r.Number(z.driftThreshold)},
            {"missed_slots_max", r.Integer(z.missedSlotsMax)},
            {"vote_weight", r.Choice(z.voteWeight, NamedChoices<VoteWeight>())},
            {"voters", Section(r, z.voters, VoterFields)},
            {"device_classes", DeviceClassList(r, z.deviceClasses)},
            {"overclaim_factor", r.Number(z.overclaimFactor)}};
}

Status
ReadLinkFault(Reader& r, const YAML::Node& v, const std::string& key, int line, LinkFault& l)
{
    if (!v.IsMap())
    {
        return r.Error(line, key, "expected a mapping {a, b, at_s, until_s}, got " + Describe(v));
    }
    return r.ReadMapping(v, key, line,
                         {{"a", r.Integer(l.a)},
                          {"b", r.Integer(l.b)},
                          {"at_s", r.Time(l.start, kSecond)},
                          {"until_s", r.Time(l.end, kSecond)}});
}

Status
ReadPartition(Reader& r, const YAML::Node& v, const std::string& key, int line, PartitionFault& p)
{
    if (!v.IsMap())
    {
        return r.Error(line, key, "expected a mapping {nodes, at_s, until_s}, got " + Describe(v));
    }
    return r.ReadMapping(v, key, line,
                         {{"nodes", ProducerList(r, p.nodes)},
                          {"at_s", r.Time(p.start, kSecond)},
                          {"until_s", r.Time(p.end, kSecond)}});
}

Status
ReadBurst(Reader& r, const YAML::Node& v, const std::string& key, int line, BurstFault& b)
{
    if (!v.IsMap())
    {
        return r.Error(line, key,
                       "expected a mapping {at_s, until_s, loss, delay_ms}, got " + Describe(v));
    }
    return r.ReadMapping(v, key, line,
                         {{"at_s", r.Time(b.start, kSecond)},
                          {"until_s", r.Time(b.end, kSecond)},
                          {"loss", r.Number(b.loss)},
                          {"delay_ms", r.Time(b.extraDelay, kMillisecond)}});
}

// A list of mappings, each read by `read` into a fresh T; `out` changes only if all are good.
template <typename T>
FieldReader
MappingList(Reader& r, std::vector<T>& out,
            Status (*read)(Reader&, const YAML::Node&, const std::string&, int, T&))
{
    return [&r, &out, read](const YAML::Node& v, const std::string& key, int line)
    {
        std::vector<T> items;
        auto status = r.ForEachElement(
            v, key, line,
            [&](const YAML::Node& item, size_t, const std::string& itemKey, int itemLine)
            {
                items.emplace_back();
                return read(r, item, itemKey, itemLine, items.back());
            });
        if (status.IsOk())
        {
            out = std::move(items);
        }
        return status;
    };
}

std::vector<Field>
FaultsFields(Reader& r, FaultPlan& f)
{
    return {{"crashes", MappingList(r, f.crashes, ReadCrash)},
            {"links", MappingList(r, f.links, ReadLinkFault)},
            {"partitions", MappingList(r, f.partitions, ReadPartition)},
            {"bursts", MappingList(r, f.bursts, ReadBurst)}};
}

// kind and producer must be written: an adversary on a default producer is a mistake waiting.
Status
ReadAdversary(Reader& r, const YAML::Node& v, const std::string& key, int line, AdversarySpec& a)
{
    if (!v.IsMap())
    {
        return r.Error(line, key,
                       "expected a mapping {kind, producer, from_s, until_s, censored_accounts, "
                       "overclaim_factor}, got " +
                           Describe(v));
    }
    auto status = r.ReadMapping(v, key, line,
                                {{"kind", r.Choice(a.kind, AdversaryChoices())},
                                 {"producer", r.Integer(a.producer)},
                                 {"from_s", r.Time(a.from, kSecond)},
                                 {"until_s", r.Time(a.until, kSecond)},
                                 {"censored_accounts", ProducerList(r, a.censoredAccounts)},
                                 {"overclaim_factor", r.Number(a.overclaimFactor)}});
    for (const char* required : {"kind", "producer"})
    {
        if (status.IsOk() && !r.Wrote(key + "." + required))
        {
            status = r.Error(line, key + "." + required, "required");
        }
    }
    return status;
}

std::vector<Field>
NodeFields(Reader& r, NodeSettings& n)
{
    return {{"mempool_tx_max", r.Integer(n.mempoolTxMax)},
            {"peer_send_queue_bytes_max", r.Integer(n.peerSendQueueBytesMax)}};
}

std::vector<Field>
TraceFields(Reader& r, TraceSettings& t)
{
    return {{"batch_records", r.Integer(t.batchRecords)}};
}

std::vector<Field>
TopLevelFields(Reader& r, ScenarioConfig& c)
{
    return {{"name", r.String(c.name)},
            {"seed", r.Integer(c.seed)},
            {"duration_s", r.Number(c.durationSeconds)},
            {"engine", r.Choice(c.engine, NamedChoices<EngineKind>())},
            {"topology", Section(r, c.topology, TopologyFields)},
            {"consensus", Section(r, c.consensus, ConsensusFields)},
            {"workload", Section(r, c.workload, WorkloadFields)},
            {"czr", Section(r, c.czr, CzrFields)},
            {"faults", Section(r, c.faults, FaultsFields)},
            {"adversaries", MappingList(r, c.adversaries, ReadAdversary)},
            {"node", Section(r, c.node, NodeFields)},
            {"trace", Section(r, c.trace, TraceFields)}};
}

// The 1-based line of a "---" that starts a second document (after content, or after a first
// "---" that itself followed content or another "---"), or 0 when the text holds one document.
int
SecondDocumentLine(const std::string& text)
{
    bool content = false;
    int line = 0;
    std::size_t start = 0;
    while (start <= text.size())
    {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos)
        {
            end = text.size();
        }
        ++line;
        const std::string l = text.substr(start, end - start);
        const bool separator = l.rfind("---", 0) == 0 &&
                               (l.size() == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\r');
        if (separator && content)
        {
            return line;
        }
        const std::size_t first = l.find_first_not_of(" \t\r");
        if (!separator && first != std::string::npos && l[first] != '#')
        {
            content = true;
        }
        start = end + 1;
    }
    return 0;
}

// A topology file is written relative to the scenario file's folder.
std::string
ResolveAgainst(const std::string& scenarioPath, const std::string& file)
{
    std::filesystem::path p(file);
    if (file.empty() || p.is_absolute())
    {
        return file;
    }
    return (std::filesystem::path(scenarioPath).parent_path() / p).lexically_normal().string();
}

// Everything that touches yaml-cpp; may throw.
Result<ScenarioConfig>
ParseDocument(const std::string& text, const std::string& path)
{
    Reader reader(path);
    // yaml-cpp 0.7's LoadAll never returns on some inputs (a lone "," is one, found by
    // fuzzing); Load does. A second document is found from its "---" separator instead.
    if (int line = SecondDocumentLine(text); line > 0)
    {
        return Status::Malformed(reader.Prefix(line) + "expected one YAML document, found more");
    }
    std::vector<YAML::Node> docs{YAML::Load(text)};
    if (docs[0].IsNull())
    {
        return Status::Malformed(path + ": empty scenario file (write {} to take every default)");
    }
    if (!docs[0].IsMap())
    {
        return Status::Malformed(reader.Prefix(LineOf(docs[0])) +
                                 "top level must be a mapping of keys, got " + Describe(docs[0]));
    }
    ScenarioConfig config;
    auto status = reader.ReadMapping(docs[0], "", LineOf(docs[0]), TopLevelFields(reader, config));
    if (!status.IsOk())
    {
        return status;
    }
    config.topology.file = ResolveAgainst(path, config.topology.file);
    config.topology.vehicular.traceFile = ResolveAgainst(path, config.topology.vehicular.traceFile);
    if (auto v = FindViolation(config))
    {
        return Status::Invalid(reader.Prefix(reader.LineFor(*v)) + v->key + ": " + v->what);
    }
    config.sourcePath = path;
    config.sourceText = text;
    return config;
}

} // namespace

Result<ScenarioConfig>
LoadScenario(const std::string& path)
{
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr)
    {
        return Status(StatusCode::kIoError, path + ": cannot read: " + std::strerror(errno));
    }
    std::string text;
    char buf[64 * 1024];
    size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof(buf), file)) > 0)
    {
        text.append(buf, n);
    }
    const int readError = std::ferror(file) ? errno : 0;
    std::fclose(file);
    if (readError != 0)
    {
        return Status(StatusCode::kIoError, path + ": cannot read: " + std::strerror(readError));
    }
    return ParseScenario(text, path);
}

Result<ScenarioConfig>
ParseScenario(const std::string& text, const std::string& path)
{
    try
    {
        return ParseDocument(text, path);
    }
    catch (const YAML::ParserException& e)
    {
        const int line = e.mark.is_null() ? 0 : e.mark.line + 1;
        return Status::Malformed(path + (line > 0 ? ":" + std::to_string(line) : "") + ": " +
                                 e.msg);
    }
    catch (const std::exception& e)
    {
        return Status::Malformed(path + ": cannot parse: " + e.what());
    }
}

Status
ValidateScenario(const ScenarioConfig& config)
{
    if (auto v = FindViolation(config))
    {
        return Status::Invalid(v->key + ": " + v->what);
    }
    return Status::Ok();
}

} // namespace canon
