// ParticipantFactory: how a driver (the abstract network, the ns-3 application) gets the
// participant to run on a node when it starts or restarts: a Node, a LightNode or an Adversary,
// as the run decides (model/run/run-driver.h). The driver supplies the seat: the node's index,
// its peers as the driver knows them now, which of them are light, and the last slot the node's
// key signed (carried across restarts).
#ifndef CANONSIM_NODE_PARTICIPANT_FACTORY_H
#define CANONSIM_NODE_PARTICIPANT_FACTORY_H

#include "model/node/node-io.h"

#include <functional>
#include <memory>
#include <set>
#include <vector>

namespace canon
{

struct ParticipantSeat
{
    uint32_t id = 0;
    std::vector<PeerId> peers;
    std::set<PeerId> lightPeers;
    uint64_t lastSignedSlot = 0;
};

using ParticipantFactory = std::function<std::unique_ptr<Participant>(const ParticipantSeat&)>;

} // namespace canon

#endif
