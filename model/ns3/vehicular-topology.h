// Vehicular topologies for CanonSim runs: 802.11p (ns-3's wave module: Wifi80211pHelper with
// the OCB MAC, 10 MHz channel) on one range-limited channel
// (RangePropagationLossModel) at 27 Mbit/s, OLSR routing over it, vehicles on a highway and fixed
// roadside units (the paper's street lights).
//
// Nodes 0..vehicles-1 are vehicles, vehicles..vehicles+rsus-1 roadside units, evenly spaced
// along the road 10 m beside it. Roadside units run full nodes; each vehicle runs a full node
// with probability `fullNodeShare` (drawn from the seed), otherwise a light participant
// (radio-topology.h).
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
// Peers as in radio-topology.h, plus each roadside unit peers with the next one along the road
// (a backbone of street lights). The CZR graph is OLSR's own state: at each read, every node's
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
    double range = 250.0;
    uint32_t peers = 4;
    int64_t streamBase = 0;
    int64_t deviceStreamBase = 1000000;
};

// Nodes in an ns-2 movement trace (one more than its highest $node_(i) index), or an error
// naming the file.
Result<uint32_t> Ns2TraceNodeCount(const std::string& path);

// Builds nodes, 802.11p devices, mobility, the Internet stack with OLSR and addresses
// (10.0.0.0/8).
Result<RadioTopology> BuildVehicularTopology(const VehicularTopologySpec& spec);

} // namespace canon

#endif
