// PeerUpkeep: peer selection at run time on the abstract engine (issue 19), two defences, each a
// parameter (DefenceSettings: defences.replace_banned, defences.rotate_s), both off by default.
//
//   - Replacing a banned peer: when an honest full node's peer guard bans a peer (the guard's
//     "peer banned" connection event), the node takes one new peer, so that a ban never leaves
//     it without peers. The new peer is drawn from Rng::Derive(seed, "peer-replacement", node *
//     1000003 + the node's replacement count) among the nodes that are not already its peers,
//     not banned by it, not light and not the node itself, over a new link with `linkTemplate`'s
//     latency and rates. The banned peer stays linked but unheard (the guard discards what it
//     sends) until its ban ends. The node does not know who attacks it: the draw may land on
//     another attacker, which a later ban replaces in turn.
//   - Rotating an own peer: every rotateSeconds each eclipse victim with own peers
//     (defences.outbound_peers > 0, model/run/eclipse-topology.h) drops the oldest of them and
//     takes a new one from an address group none of the others is in (RotationPick), so an
//     attacker that got one of those slots holds it for one rotation period at most, and
//     attackers packed in one address group cannot fill them all.
//
// It acts through the network's own events (AbstractNetwork::At, Peer, Unpeer), so a run stays
// deterministic. Owned by the engine run; it keeps references to the network, which outlives it.
// Bounds: one record of own peers per eclipse victim; counters only otherwise.
#ifndef CANONSIM_SIM_PEER_UPKEEP_H
#define CANONSIM_SIM_PEER_UPKEEP_H

#include "model/run/eclipse-topology.h"
#include "model/sim/abstract-network.h"

#include <deque>
#include <map>

namespace canon
{

struct PeerUpkeepConfig
{
    uint32_t nodes = 0;
    uint64_t seed = 1;
    bool replaceBanned = false;
    double rotateSeconds = 0; // 0: no rotation
    EclipseDefence defence;   // the victims' own peers (outboundPeers, groupSize)
    std::vector<uint32_t> victims;
    AbstractLink linkTemplate; // latency and rates of the links it adds

    bool Enabled() const { return replaceBanned || rotateSeconds > 0; }
};

class PeerUpkeep
{
  public:
    PeerUpkeep(AbstractNetwork& net, PeerUpkeepConfig config);

    // Schedules the rotations (call once, before the run).
    void Start();
    // Every node event of the run (the engine's event sink).
    void OnEvent(uint32_t node, const NodeEvent& ev);

    uint64_t Replacements() const { return m_replacements; }
    uint64_t Rotations() const { return m_rotations; }

  private:
    void Replace(uint32_t node);
    void Rotate(uint64_t k);

    AbstractNetwork& m_net;
    PeerUpkeepConfig m_config;
    std::map<uint32_t, std::deque<uint32_t>> m_ownPeers; // per victim, oldest first
    std::map<uint32_t, uint64_t> m_replacedBy;           // replacements per node so far
    uint64_t m_replacements = 0;
    uint64_t m_rotations = 0;
};

} // namespace canon

#endif
