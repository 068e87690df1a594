// Wired topologies for CanonSim runs: a random connected graph, or an Internet-like graph read
// from a file in one of ns-3's topology-read formats (Inet, Orbis, Rocketfuel). Every graph
// edge becomes a point-to-point link with its own one-way latency; each node has an access
// rate (its own access link's capacity) that caps what its devices send, so a slow node is slow
// on every link it has. Peers are graph neighbours and talk over the link they share: nodes
// have IPv4 with static routing only (connected routes), no IPv6, and each device a FIFO queue
// of 1000 packets with no queue disc in front of it (wired-topology.cc says why).
//
// Randomness (graph, latencies, access classes) comes from ns-3 random variable streams
// numbered from `streamBase` (see WiredTopologySpec::kStreamsUsed), so one run seed (ns-3's run
// number) and one config always give one topology.
#ifndef CANONSIM_NS3_WIRED_TOPOLOGY_H
#define CANONSIM_NS3_WIRED_TOPOLOGY_H

#include "model/core/status.h"
#include "model/ns3/canon-node-helper.h"

#include "ns3/net-device.h"
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
    // A given graph (when non-empty; `nodes` nodes): for topologies a scenario constructs, such
    // as two clusters joined by a bridge.
    std::vector<std::pair<uint32_t, uint32_t>> givenEdges;

    double latencyMinMs = 5.0;
    double latencyMaxMs = 40.0;
    double linkMbps = 100.0;
    std::vector<AccessRateClass> access{{1.0, 100.0}};
    int64_t streamBase = 0;
};

// The graph alone: nodes (ns-3 Node objects, without devices), edges, each edge's latency and
// each node's access rate. Both engines start from it, so one scenario and seed give the same
// nodes and links on ns-3 and on the abstract network.
struct WiredGraph
{
    ns3::NodeContainer nodes;
    std::vector<std::pair<uint32_t, uint32_t>> edges;
    std::vector<double> edgeLatencyMs;
    std::vector<double> accessMbps; // per node
};

struct WiredTopology : WiredGraph
{
    // The device at each end of each edge, in edge order (for per-link traffic traces).
    std::vector<std::pair<ns3::Ptr<ns3::NetDevice>, ns3::Ptr<ns3::NetDevice>>> edgeDevices;
    std::vector<std::vector<PeerLink>> peers; // per node: neighbours and their addresses
};

// Errors (an unreadable or empty topology file, a disconnected graph) name the file and what is
// wrong.
Result<WiredGraph> BuildWiredGraph(const WiredTopologySpec& spec);
// The graph, then devices, the Internet stack and addresses.
Result<WiredTopology> BuildWiredTopology(const WiredTopologySpec& spec);

// Two cliques of `clusterSize` nodes (0..c-1 and c..2c-1) joined through a bridge node 2c that
// links to the first `bridgeLinks` nodes of each; with `sybil`, the bridge is two nodes in series
// (2c on the first cluster's side, 2c+1 on the second's). Edges (a < b), sorted.
std::vector<std::pair<uint32_t, uint32_t>> BridgeGraph(uint32_t clusterSize, uint32_t bridgeLinks,
                                                       bool sybil);

// The random connected graph alone (exposed for tests): edges (a < b), sorted.
std::vector<std::pair<uint32_t, uint32_t>>
RandomConnectedGraph(uint32_t nodes, double averageDegree, int64_t stream);

} // namespace canon

#endif
