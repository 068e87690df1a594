// Mesh topologies for CanonSim runs: 802.11s (ns-3's mesh module, the Dot11s stack with HWMP
// routing and peer-link management) on one channel, in one of four layouts:
//   grid       nodes on a square-ish grid, `spacing` apart;
//   random     nodes uniform in an `area` x `area` square;
//   clustered  `clusters` centres uniform in the square, nodes uniform in a disc around theirs;
//   bridge     the paper's Figure 4 on radio: two grids of `clusterSize` nodes (indices 0..c-1
//              and c..2c-1) whose only connection is node 2c, in range of both (3/4 of the range
//              from each, so the two grids are 1.5 ranges apart). Between `bridgeAway` and
//              `bridgeBack` seconds the bridge is moved far out of range, partitioning the mesh.
// Nodes are static or, with speed > 0, random-walk (ns-3's RandomWalk2dMobilityModel) inside
// the layout's bounding box. The channel is range-limited (RangePropagationLossModel): a frame
// reaches exactly `range` metres, so far receivers cost almost nothing (DESIGN.md 5).
//
// IP runs over each node's mesh point device (HWMP finds multi-hop paths); peers as in
// radio-topology.h. The CZR graph is the mesh's own state: at each read, every established
// peer link of every node's peer-management protocol, plus the next hop of each HWMP route a
// node holds towards its TCP peers (normally a peer link too), mapped from MAC addresses to node
// indices.
#ifndef CANONSIM_NS3_MESH_TOPOLOGY_H
#define CANONSIM_NS3_MESH_TOPOLOGY_H

#include "model/core/status.h"
#include "model/ns3/radio-topology.h"

#include <string>

namespace canon
{

struct MeshTopologySpec
{
    static constexpr int64_t kStreamsUsed = 3;

    std::string layout = "grid"; // grid | random | clustered | bridge
    uint32_t nodes = 16;
    double spacing = 60.0;
    double area = 300.0;
    uint32_t clusters = 3;
    double clusterRadius = 50.0;
    double speed = 0.0;
    uint32_t clusterSize = 9;
    double bridgeAway = 0.0; // seconds; bridgeAway == bridgeBack: never
    double bridgeBack = 0.0;
    double range = 100.0;
    uint32_t peers = 4;
    int64_t streamBase = 0;
    int64_t deviceStreamBase = 1000000;
};

// Node positions of a layout (exposed for tests), before any movement.
std::vector<ns3::Vector> MeshLayoutPositions(const MeshTopologySpec& spec);

// Builds nodes, mesh devices, mobility, the Internet stack and addresses (10.0.0.0/8).
Result<RadioTopology> BuildMeshTopology(const MeshTopologySpec& spec);

} // namespace canon

#endif
