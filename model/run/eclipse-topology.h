// EclipseEdges: the links of a run with eclipse attackers (issue 19). An eclipse takes every
// peer slot of its victim: the victim's links are replaced by one link to each of its attackers
// (adversary-spec.h, kind eclipse), and its former peers are linked in a chain (sorted by index)
// so that the honest graph stays connected without it. The defence is peer selection the attackers
// cannot steer: with `outboundPeers` > 0 the victim also keeps that many peers it picks itself, at
// most one from each address group (wired runs: nodes i with the same i / groupSize), the groups
// and the member of each drawn from Rng::Derive(seed, "peer-selection", victim). The victim does
// not know who attacks it, so an attacker may be drawn; diversity bounds how many (attackers that
// share an address group can fill at most one of those slots).
//
// Pure function of its arguments. Edges keep their order; the links added come after them, each
// once (a < b), never a self-link nor a duplicate of a kept edge.
#ifndef CANONSIM_RUN_ECLIPSE_TOPOLOGY_H
#define CANONSIM_RUN_ECLIPSE_TOPOLOGY_H

#include "model/run/adversary-spec.h"
#include "model/run/run-host.h"

#include <vector>

namespace canon
{

struct EclipseDefence
{
    uint32_t outboundPeers = 0;
    uint32_t groupSize = 8;
    uint64_t seed = 1;
};

// The victim's own picks at the start of the run, oldest first (see the top of this file).
std::vector<uint32_t> OwnPeers(uint32_t victim, uint32_t nodes, const EclipseDefence& defence);

// The k-th rotation's new own peer (k >= 1; model/sim/peer-upkeep.h): a node of an address group
// none of `current` is in (any group when every group holds one), drawn from
// Rng::Derive(seed, "peer-rotation", victim * 1000003 + k); never the victim nor one of
// `current` (the victim itself when no node is left).
uint32_t RotationPick(uint32_t victim, uint32_t nodes, const EclipseDefence& defence, uint64_t k,
                      const std::vector<uint32_t>& current);

std::vector<Edge> EclipseEdges(const std::vector<Edge>& edges, uint32_t nodes,
                               const std::vector<AdversarySpec>& adversaries,
                               const EclipseDefence& defence);

} // namespace canon

#endif
