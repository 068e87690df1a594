// The topology section's rules (scenario-checks.h): its shape by kind, then its links.
#include "scenarios/scenario-checks.h"

#include "scenarios/yaml-reader.h"

#include <filesystem>
#include <system_error>

namespace canon
{
namespace
{

constexpr uint32_t kNodesMin = 2;
constexpr uint32_t kNodesMax = 200000; // the abstract engine runs 110,000 (issue 13)
constexpr uint32_t kClusterSizeMin = 2;
constexpr uint32_t kClusterSizeMax = 1000;
constexpr double kRadioRangeMaxM = 10000.0;
constexpr uint32_t kLanesMax = 16;

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
    const DeviceClass& d = t.bridgeDevice;
    return FirstOf(
        {Between("topology.cluster_size", Count(t.clusterSize), Count(kClusterSizeMin),
                 Count(kClusterSizeMax), "topology.kind"),
         Between("topology.bridge_links", Count(t.bridgeLinks), Count(1),
                 NamedCount("topology.cluster_size", t.clusterSize), "topology.cluster_size"),
         Positive("topology.bridge_device.cpu", d.cpu, "topology.bridge_device"),
         Positive("topology.bridge_device.memory", d.memory, "topology.bridge_device"),
         Positive("topology.bridge_device.storage", d.storage, "topology.bridge_device")});
}

// Layout bridge: the bridge may leave and come back.
Check
CheckMeshBridge(const MeshConfig& m)
{
    const bool never = m.bridgeAwayS == 0.0 && m.bridgeBackS == 0.0;
    if (!never && !(m.bridgeAwayS >= 0.0 && m.bridgeAwayS < m.bridgeBackS))
    {
        return Violation{"topology.mesh.bridge_away_s",
                         "must be [0, 0] (never) or [away, back] with 0 <= away < back, got [" +
                             FormatReal(m.bridgeAwayS) + ", " + FormatReal(m.bridgeBackS) + "]",
                         ""};
    }
    return std::nullopt;
}

Check
CheckMeshTopology(const MeshConfig& m)
{
    const bool bridge = m.layout == MeshLayout::kBridge;
    const bool clustered = m.layout == MeshLayout::kClustered;
    return FirstOf(
        {bridge ? Between("topology.mesh.cluster_size", Count(m.clusterSize),
                          Count(kClusterSizeMin), Count(kClusterSizeMax), "topology.mesh.layout")
                : Between("topology.mesh.nodes", Count(m.nodes), Count(kNodesMin), Count(kNodesMax),
                          "topology.mesh.layout"),
         bridge ? CheckMeshBridge(m) : std::nullopt,
         Positive("topology.mesh.spacing_m", m.spacingM), Positive("topology.mesh.area_m", m.areaM),
         clustered ? Between("topology.mesh.clusters", Count(m.clusters), Count(1),
                             NamedCount("topology.mesh.nodes", m.nodes), "topology.mesh.layout")
                   : std::nullopt,
         NotNegative("topology.mesh.cluster_radius_m", m.clusterRadiusM),
         NotNegative("topology.mesh.speed_m_s", m.speedMps)});
}

Check
CheckVehicleCounts(const VehicularConfig& v)
{
    if (uint64_t{v.vehicles} + v.rsus < kNodesMin || v.rsus > kNodesMax)
    {
        return Violation{"topology.vehicular.rsus",
                         "must make at least 2 nodes with the vehicles and be at most " +
                             std::to_string(kNodesMax) + ", got " + std::to_string(v.rsus),
                         ""};
    }
    return std::nullopt;
}

Check
CheckVehicleSpeed(const SpeedConfig& s)
{
    if (!(s.min > 0.0 && s.min <= s.mean && s.mean <= s.max && s.stddev >= 0.0))
    {
        return Violation{"topology.vehicular.speed_m_s",
                         "needs 0 < min <= mean <= max and stddev >= 0, got {mean: " +
                             FormatReal(s.mean) + ", stddev: " + FormatReal(s.stddev) +
                             ", min: " + FormatReal(s.min) + ", max: " + FormatReal(s.max) + "}",
                         ""};
    }
    return std::nullopt;
}

// Roadside peering: each vehicle keeps 1..rsus roadside units as peers.
Check
CheckRoadsidePeers(const VehicularConfig& v)
{
    if (v.peering != VehicularPeering::kRoadside)
    {
        return std::nullopt;
    }
    Shown rsus = NamedCount("topology.vehicular.rsus", v.rsus);
    rsus.text += " with peering roadside";
    return Between("topology.vehicular.roadside_peers", Count(v.roadsidePeers), Count(1), rsus);
}

Check
CheckNs2Trace(const VehicularConfig& v)
{
    if (v.mobility != VehicularMobility::kNs2)
    {
        return std::nullopt;
    }
    if (v.traceFile.empty())
    {
        return Violation{"topology.vehicular.trace_file",
                         "required when topology.vehicular.mobility is ns2",
                         "topology.vehicular.mobility"};
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(v.traceFile, ec))
    {
        return Violation{"topology.vehicular.trace_file",
                         "file '" + v.traceFile + "' does not exist or is not a file", ""};
    }
    return std::nullopt;
}

Check
CheckVehicularTopology(const VehicularConfig& v)
{
    return FirstOf(
        {Between("topology.vehicular.vehicles", Count(v.vehicles), Count(1), Count(kNodesMax)),
         CheckVehicleCounts(v),
         Between("topology.vehicular.lanes", Count(v.lanes), Count(1), Count(kLanesMax)),
         Positive("topology.vehicular.length_m", v.lengthM), CheckVehicleSpeed(v.speed),
         Between("topology.vehicular.full_node_share", Real(v.fullNodeShare), Real(0), Real(1)),
         CheckRoadsidePeers(v), CheckNs2Trace(v)});
}

// Kinds mesh and vehicular: the radio, then the layout, then the peers the node count allows.
Check
CheckRadioTopology(const TopologyConfig& t)
{
    const uint64_t nodes = static_cast<uint64_t>(NodeCountOf(t)->bound.value);
    Shown nodeCount = Count(nodes);
    nodeCount.text = "the node count (" + nodeCount.text + ")";
    return FirstOf(
        {PositiveAtMost("topology.radio.range_m", t.radio.rangeM, Real(kRadioRangeMaxM)),
         t.kind == TopologyKind::kMesh ? CheckMeshTopology(t.mesh)
                                       : CheckVehicularTopology(t.vehicular),
         AtLeastBelow("topology.radio.peers", Count(t.radio.peers), Count(1), nodeCount)});
}

Check
CheckRandomTopology(const TopologyConfig& t)
{
    return FirstOf({Between("topology.nodes", Count(t.nodes), Count(kNodesMin), Count(kNodesMax)),
                    AtLeastBelow("topology.average_degree", Real(t.averageDegree), Count(1),
                                 NamedCount("topology.nodes", t.nodes), "topology.nodes")});
}

Check
CheckTopologyShape(const TopologyConfig& t)
{
    switch (t.kind)
    {
        case TopologyKind::kFile:
            return CheckTopologyFile(t);
        case TopologyKind::kBridge:
            return CheckBridgeTopology(t);
        case TopologyKind::kMesh:
        case TopologyKind::kVehicular:
            return CheckRadioTopology(t);
        case TopologyKind::kRandom:
            return CheckRandomTopology(t);
    }
    return std::nullopt;
}

Check
CheckLatency(const TopologyConfig& t)
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
    return std::nullopt;
}

Check
CheckAccessClass(const AccessClass& a, const std::string& item)
{
    return FirstOf({Positive(item + ".share", a.share, item),
                    Positive(item + ".bandwidth_mbps", a.bandwidthMbps, item)});
}

Check
CheckTopologyLinks(const TopologyConfig& t)
{
    if (Check bad = FirstOf(
            {CheckLatency(t), Positive("topology.link_bandwidth_mbps", t.linkBandwidthMbps)}))
    {
        return bad;
    }
    if (t.access.empty())
    {
        return Violation{"topology.access", "must list at least one access class", ""};
    }
    return CheckEach(t.access, "topology.access", CheckAccessClass);
}

// A node count and how an error shows it.
NodeCount
Nodes(uint64_t count, const std::string& shown, const std::string& key)
{
    return NodeCount{Shown{static_cast<double>(count), shown}, key};
}

NodeCount
MeshNodeCount(const MeshConfig& m)
{
    if (m.layout != MeshLayout::kBridge)
    {
        return Nodes(m.nodes, "topology.mesh.nodes (" + std::to_string(m.nodes) + ")",
                     "topology.mesh.nodes");
    }
    const uint64_t count = 2 * uint64_t{m.clusterSize} + 1;
    return Nodes(count,
                 "the mesh bridge's node count (2 * topology.mesh.cluster_size + 1 = " +
                     std::to_string(count) + ")",
                 "topology.mesh.cluster_size");
}

NodeCount
BridgeNodeCount(const TopologyConfig& t)
{
    const uint64_t bridges = t.sybil ? 2 : 1;
    const uint64_t count = 2 * uint64_t{t.clusterSize} + bridges;
    return Nodes(count,
                 "the bridge topology's node count (2 * topology.cluster_size + " +
                     std::to_string(bridges) + " = " + std::to_string(count) + ")",
                 "topology.cluster_size");
}

} // namespace

std::optional<NodeCount>
NodeCountOf(const TopologyConfig& t)
{
    const VehicularConfig& v = t.vehicular;
    switch (t.kind)
    {
        case TopologyKind::kRandom:
            return Nodes(t.nodes, "topology.nodes (" + std::to_string(t.nodes) + ")",
                         "topology.nodes");
        case TopologyKind::kMesh:
            return MeshNodeCount(t.mesh);
        case TopologyKind::kVehicular:
            return Nodes(uint64_t{v.vehicles} + v.rsus,
                         "topology.vehicular.vehicles + topology.vehicular.rsus (" +
                             std::to_string(uint64_t{v.vehicles} + v.rsus) + ")",
                         "topology.vehicular.vehicles");
        case TopologyKind::kBridge:
            return BridgeNodeCount(t);
        case TopologyKind::kFile:
            return std::nullopt;
    }
    return std::nullopt;
}

Check
CheckTopology(const TopologyConfig& t)
{
    return FirstOf({CheckTopologyShape(t), CheckTopologyLinks(t)});
}

} // namespace canon
