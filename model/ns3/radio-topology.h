// RadioTopology: what a wireless topology builder (mesh-topology.h, vehicular-topology.h) hands
// the runner: the ns-3 nodes with devices, mobility and an IP stack; each node's TCP peers; which
// nodes run full nodes; and a way to read the radio graph the CZR engine scores at each epoch.
//
// Peers on radio (who keeps a TCP connection to whom): each node's k nearest nodes at the
// start of the run, made symmetric (if a picks b, a and b are peers), ties broken by index, plus
// the edges of the Euclidean minimum spanning tree of the start positions, so that the overlay
// is connected even where nearest-k alone would leave separate groups; a builder may add more (the
// vehicular builder chains neighbouring roadside units). Peers talk over IP, routed multi-hop by
// the network (HWMP on the mesh, OLSR on the vehicular channel), so a peer that drives away stays a
// peer, reached over more hops or not at all for a while; the application reconnects with a bounded
// backoff (canon-node-application.h). The choice is deterministic: positions come from the run
// seed, and the rule has no other input.
//
// Randomness comes from ns-3 random variable streams numbered from a spec's `streamBase` (our
// own draws: positions, speeds, roles) and `deviceStreamBase` (ns-3's devices, MACs, routing and
// mobility models), so one run seed and one config always give one topology.
#ifndef CANONSIM_NS3_RADIO_TOPOLOGY_H
#define CANONSIM_NS3_RADIO_TOPOLOGY_H

#include "model/ns3/canon-node-helper.h"

#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/vector.h"

#include <functional>
#include <utility>
#include <vector>

namespace canon
{

using LinkList = std::vector<std::pair<uint32_t, uint32_t>>;

struct RadioTopology
{
    ns3::NodeContainer nodes;
    ns3::NetDeviceContainer devices;          // the IP-carrying device of each node
    std::vector<std::vector<PeerLink>> peers; // per node, by peer index
    // Per node: runs a full node (may produce, claims contribution). Others are light
    // participants (model/node/light-node.h): they follow headers, hold wallets and verify
    // their transactions' inclusion, but relay nothing and never produce or stand for election.
    std::vector<bool> fullNode;
    // The radio graph now: edges (a < b), sorted. Read at each CZR epoch.
    std::function<LinkList()> currentLinks;
    // Peers that change while the run goes on (vehicular roadside peering): when set, the runner
    // reads it every kRepeerInterval seconds and adds and removes peers to match (per node, peer
    // indices, sorted and symmetric). Unset: `peers` hold for the whole run.
    std::function<std::vector<std::vector<uint32_t>>()> currentPeers;
};

// How often dynamic peers (RadioTopology::currentPeers) are re-read: a vehicle at 35 m/s moves
// 35 m in that time, a sixth of the 200 m between roadside units in the shipped scenario.
constexpr double kRepeerIntervalSeconds = 1.0;

// Per node, its peers' indices: the k nearest others (distance, then index) and its minimum
// spanning tree neighbours, made symmetric; sorted.
std::vector<std::vector<uint32_t>> NearestPeers(const std::vector<ns3::Vector>& positions,
                                                uint32_t k);

// The peers of a network with light participants: light participants relay nothing, so the
// full nodes need an overlay of their own and every light participant a full peer. Keeps the
// full-full pairs of `peers`, adds the k nearest full nodes and the minimum spanning tree of the
// full nodes' positions among them (so the full overlay is connected), keeps each light
// participant's full peers and gives one without any its nearest full node; light-light pairs
// are dropped (they would carry nothing). With every node full, `peers` comes back unchanged.
std::vector<std::vector<uint32_t>> LightAwarePeers(const std::vector<std::vector<uint32_t>>& peers,
                                                   const std::vector<ns3::Vector>& positions,
                                                   const std::vector<bool>& fullNode, uint32_t k);

// Pairs (a < b) of the given positions within `range` metres of each other, sorted.
LinkList UnitDiskLinks(const std::vector<ns3::Vector>& positions, double range);

// Positions of the nodes' mobility models now.
std::vector<ns3::Vector> PositionsOf(const ns3::NodeContainer& nodes);

// Radio links fail: an ARP entry that got no reply stays dead for ns-3's default 100 s, which
// would silence a neighbour long after it is back in range. Sets every IP interface's ARP
// dead timeout to `deadTimeout` seconds.
void ShortenArpDeadTimeout(const ns3::NodeContainer& nodes, double deadTimeout);

// PeerLinks from peer indices and the nodes' addresses on `devices` (interface 1 of each node).
std::vector<std::vector<PeerLink>> PeerLinksOf(const std::vector<std::vector<uint32_t>>& peers,
                                               const ns3::NodeContainer& nodes);

} // namespace canon

#endif
