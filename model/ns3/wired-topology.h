// Wired topologies for CanonSim runs: a random connected graph, or an Internet-like graph read
// from a file in one of ns-3's topology-read formats (Inet, Orbis, Rocketfuel). Every graph
// edge becomes a point-to-point link with its own one-way latency; each node has an access
// rate (its own access link's capacity) that caps what its devices send, so a slow node is slow
// on every link it has. Peers are graph neighbours and talk over the link they share.
//
// Randomness (graph, latencies, access classes) comes from ns-3 random variable streams
// numbered from `streamBase` (see WiredTopologySpec::kStreamsUsed), so one run seed (ns-3's run
// number) and one config always give one topology.
#ifndef CANONSIM_NS3_WIRED_TOPOLOGY_H
#define CANONSIM_NS3_WIRED_TOPOLOGY_H

#include "model/core/status.h"
#include "model/ns3/canon-node-helper.h"

#include "ns3/node-container.h"

#include <string>
#include <utility>
#include <vector>

namespace canon
{

struct AccessRateClass
{
    double share = 1.0; // relative weight; classes need not sum to 1
    double mbps = 100.0;
};

struct WiredTopologySpec
{
    static constexpr int64_t kStreamsUsed = 3;

    // Random graph: `nodes` nodes, a random spanning tree plus random extra edges up to
    // nodes * averageDegree / 2 edges in all.
    uint32_t nodes = 50;
    double averageDegree = 4.0;
    // File graph (when non-empty): path and format ("Inet", "Orbis", "Rocketfuel").
    std::string file;
    std::string format = "Inet";

    double latencyMinMs = 5.0;
    double latencyMaxMs = 40.0;
    double linkMbps = 100.0;
    std::vector<AccessRateClass> access{{1.0, 100.0}};
    int64_t streamBase = 0;
};

struct WiredTopology
{
    ns3::NodeContainer nodes;
    std::vector<std::pair<uint32_t, uint32_t>> edges;
    std::vector<double> edgeLatencyMs;
    std::vector<double> accessMbps;           // per node
    std::vector<std::vector<PeerLink>> peers; // per node: neighbours and their addresses
};

// Builds nodes, devices, the Internet stack and addresses. Errors (an unreadable or empty
// topology file, a disconnected graph) name the file and what is wrong.
Result<WiredTopology> BuildWiredTopology(const WiredTopologySpec& spec);

// The random connected graph alone (exposed for tests): edges (a < b), sorted.
std::vector<std::pair<uint32_t, uint32_t>>
RandomConnectedGraph(uint32_t nodes, double averageDegree, int64_t stream);

} // namespace canon

#endif
