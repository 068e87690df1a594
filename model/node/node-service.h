// NodeService: an application a full node runs beside the protocol (a feature's device or
// server: contract callbacks, data access, storage, payment channels). The seam by which every
// feature reaches the network through the node instead of growing the node:
//
// - the node hands a service every message whose type it Owns (the feature's MessageType range,
//   messages.h) and never decodes such a message itself;
// - the node calls OnBestTip after each new best tip, so a service reacts to chain state;
// - the run reaches a service through RunHost::AtNode (LocalWork, node-io.h), whose actions the
//   engine carries out like the node's own.
// A service sends only to the node's peers (ServiceContext::peers): engines carry nothing else.
//
// Ownership: NodeConfig::services holds shared pointers, so the run feature that made a service
// can also read it (its counters, its received data). A node restart builds a new Node from the
// same config and so keeps the services: a service's state is the device's, which survives its
// node's crash. Single-threaded; a service sees only its own node's inputs.
#ifndef CANONSIM_NODE_NODE_SERVICE_H
#define CANONSIM_NODE_NODE_SERVICE_H

#include "model/node/node-io.h"

#include <memory>
#include <optional>
#include <vector>

namespace canon
{

class NodeService
{
  public:
    virtual ~NodeService() = default;

    // Whether messages of `type` belong to this service.
    virtual bool Owns(MessageType type) const = 0;
    // One message of a type it owns, from a peer.
    virtual void OnMessage(const ServiceContext& ctx, const MessageInput& in, Actions& out) = 0;
    // The node's best chain has a new tip.
    virtual void OnBestTip(const ServiceContext&, Actions&) {}
};

using NodeServices = std::vector<std::shared_ptr<NodeService>>;

// The type a framed message declares (its second byte, after the version; MessageEnvelope in
// messages.h), without decoding it; none for a message too short to have one.
inline std::optional<MessageType>
PeekMessageType(const Bytes& framed)
{
    if (framed.size() < 2)
    {
        return std::nullopt;
    }
    return static_cast<MessageType>(framed[1]);
}

} // namespace canon

#endif
