// AdversarySpec: one byzantine producer a run hosts (scenario key `adversaries:`, the
// harness's --adversary flag), in the vocabulary both engines share. Plain data; the run driver
// turns it into an Adversary (model/node/adversary.h) on the node that holds genesis producer
// `producer`.
//
// The window [from, until) is when it misbehaves (until == 0: from `from` to the end of the run);
// outside it the adversary produces honestly. For a withholder the window is its private chain:
// it builds it from `from` and releases it at `until`. A selfish miner (PoW only) mines selfishly
// inside it and publishes whatever it still holds at `until`; its tie share gamma is no field
// here: it emerges from the network (model/node/adversary.h says how to shape it).
//
// Network attackers (tx-spam, flood, eclipse; issue 19) sit on node `node` instead of a producer
// (a full node; if it holds a producer key it produces honestly, but for the eclipse's
// private-branch variant). `variant` says how it behaves (network-attack.h), `rate` how many
// messages a second it sends each peer (tx-spam, flood), `victim` whom an eclipse surrounds:
// the engine gives the victim the eclipse attackers as its only peers, plus the peers it picks
// itself when the scenario's peer-selection defence is on (model/run/eclipse-topology.h). A
// jammer (radio runs on ns-3) is a disc and a window instead (centre, radius, loss). A slow peer
// (ns-3) is an honest node whose transport reads at readBytesPerSecond in its window.
#ifndef CANONSIM_RUN_ADVERSARY_SPEC_H
#define CANONSIM_RUN_ADVERSARY_SPEC_H

#include "model/core/time.h"
#include "model/node/adversary.h"

#include <cstdint>
#include <vector>

namespace canon
{

// No producer or node given (the scenario checks say which a kind needs).
constexpr uint32_t kNotPlaced = UINT32_MAX;

struct AdversarySpec
{
    AdversaryKind kind = AdversaryKind::kEquivocator;
    uint32_t producer = 0; // genesis producer index (byzantine producer kinds)
    TimeNs from = 0;
    TimeNs until = 0;
    std::vector<uint32_t> censoredAccounts; // censor: workload account indices
    double overclaimFactor = 3.0;           // over-claimer (>= 1)
    uint32_t node = kNotPlaced;             // network attackers: the node it runs on
    AttackVariant variant = AttackVariant::kValid;
    double rate = 10;             // tx-spam, flood: messages a second to each peer (> 0)
    uint32_t victim = kNotPlaced; // eclipse
    // Jammer (radio runs on ns-3, model/ns3/radio-jamming.h): in its window, frames received
    // within `radius` metres of (centreX, centreY) are lost with probability `loss`. It runs on
    // no node.
    double centreX = 0;
    double centreY = 0;
    double radius = 0;
    double loss = 1;
    // Slow peer (ns-3, model/ns3/slow-peer.h): in its window the node reads at most this many
    // bytes a second from each of its connections (0: it never reads).
    double readBytesPerSecond = 0;
};

// The node an adversary runs on: `node` for a network attacker, else the node holding genesis
// producer `producer` (producerOf: the genesis producer index per node, -1 for none).
inline bool
AdversaryRunsOn(const AdversarySpec& a, uint32_t node, const std::vector<int>& producerOf)
{
    return IsNetworkAttack(a.kind) ? a.node == node
                                   : producerOf[node] == static_cast<int>(a.producer);
}

} // namespace canon

#endif
