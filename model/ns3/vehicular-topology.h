// Vehicular topologies for CanonSim runs: 802.11p (ns-3's wave module: Wifi80211pHelper with
// the OCB MAC, 10 MHz channel) on one range-limited channel
// (RangePropagationLossModel) at 27 Mbit/s, OLSR routing over it, vehicles on a highway and fixed
// roadside units (the paper's street lights).
//
// Nodes 0..vehicles-1 are vehicles, vehicles..vehicles+rsus-1 roadside units, evenly spaced
// along the road 10 m beside it. Roadside units run full nodes; each vehicle runs a full node
// with probability `fullNodeShare` (drawn from the seed), otherwise a light participant
// (model/node/light-node.h): it holds no ledger and relays nothing, follows the block headers its
// full peers push to it, submits its wallets' transactions to them and verifies their inclusion
// by Merkle proofs. With roadside peering its peers are roadside units, which are full; with
// nearest peering the runner gives the full nodes an overlay of their own and every light
// participant a full peer (LightAwarePeers, radio-topology.h).
//
// Mobility, one of:
//   highway  `lanes` lanes per direction, 4 m apart; each vehicle starts at a uniform place on
//            a random lane and direction and drives at a constant speed drawn from a normal
//            distribution clipped to [min, max] (ns-3's ConstantVelocityMobilityModel). A vehicle
//            that reaches the end of the road leaves it and re-enters at the other end, so the
//            road keeps its density while vehicles enter and leave each other's range.
//   ns2      an ns-2 movement trace (ns-3's Ns2MobilityHelper; the format SUMO's traceExporter
//            writes with --ns2mobility-output), whose nodes 0..vehicles-1 are the vehicles; the
//            trace must have exactly `vehicles` nodes. scripts/make-highway-ns2.py writes one.
//
// Peers, by `peering`:
//   roadside  (the default) infrastructure-assisted: roadside units peer with their neighbours
//             along the road (a backbone of street lights), and each vehicle with the
//             `roadsidePeers` units nearest to it now (distance, then index); re-read every
//             second (RadioTopology::currentPeers), so a vehicle hands over from unit to unit as
//             it drives, connecting to the new one before it lets go of the old one whenever
//             roadsidePeers >= 2. Vehicles do not peer with each other; their radios still relay
//             for others (OLSR).
//   nearest   as in radio-topology.h (each node's nearest peers at the start plus the minimum
//             spanning tree), plus the roadside backbone, fixed for the whole run: once vehicles
//             have driven apart, most peer connections run over many radio hops. The CZR graph is
//             OLSR's own state: at each read, every node's
// symmetric one-hop neighbours in its OLSR neighbour set (learnt from HELLO messages, 1 s apart
// here), mapped from main addresses to node indices; an edge either side holds counts. It
// follows the radio with OLSR's lag: a neighbour that drives out of range stays in the set
// until its link tuple expires (3 HELLO intervals), and one that enters appears after a HELLO
// exchange in both directions.
#ifndef CANONSIM_NS3_VEHICULAR_TOPOLOGY_H
#define CANONSIM_NS3_VEHICULAR_TOPOLOGY_H

#include "model/core/status.h"
#include "model/ns3/radio-topology.h"

#include <string>

namespace canon
{

struct VehicularTopologySpec
{
    static constexpr int64_t kStreamsUsed = 3;

    uint32_t vehicles = 100;
    uint32_t rsus = 20;
    uint32_t lanes = 3;
    double length = 4000.0;
    double speedMean = 25.0;
    double speedStddev = 4.0;
    double speedMin = 15.0;
    double speedMax = 35.0;
    double fullNodeShare = 0.2;
    std::string mobility = "highway"; // highway | ns2
    std::string traceFile;
    std::string peering = "roadside"; // roadside | nearest
    uint32_t roadsidePeers = 2;
    double range = 250.0;
    uint32_t peers = 4;
    int64_t streamBase = 0;
    int64_t deviceStreamBase = 1000000;
};

// Nodes in an ns-2 movement trace (one more than its highest $node_(i) index), or an error
// naming the file.
Result<uint32_t> Ns2TraceNodeCount(const std::string& path);

// Roadside peering for nodes at `positions`, of which 0..vehicles-1 are vehicles and the rest
// roadside units in order along the road: unit k peers with units k-1 and k+1, each vehicle with
// its `perVehicle` nearest units (distance, then index), made symmetric; sorted.
std::vector<std::vector<uint32_t>> RoadsidePeers(const std::vector<ns3::Vector>& positions,
                                                 uint32_t vehicles, uint32_t perVehicle);

// Builds nodes, 802.11p devices, mobility, the Internet stack with OLSR and addresses
// (10.0.0.0/8).
Result<RadioTopology> BuildVehicularTopology(const VehicularTopologySpec& spec);

} // namespace canon

#endif
