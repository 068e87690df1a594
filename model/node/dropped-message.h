// A dropped message: input from a peer (or a local client) that a participant refuses. Bad,
// unwanted and over-limit input is counted and traced with its reason, never a crash
// (DESIGN.md 4.6). Node and LightNode both record drops, and decode messages, through these.
//
// Stateless: the caller owns its counter and its actions.
#ifndef CANONSIM_NODE_DROPPED_MESSAGE_H
#define CANONSIM_NODE_DROPPED_MESSAGE_H

#include "model/node/node-io.h"

#include <optional>
#include <string>

namespace canon
{

// Counts a dropped message in `dropped` and records it in `out` (kMessageDropped). `peer`: the
// sender, or the participant's own id for local input.
void RecordDrop(const std::string& reason, MessageType type, PeerId peer, uint64_t& dropped,
                Actions& out);

// Decodes a message from a peer. One that does not decode is dropped as by RecordDrop, under
// the type it claims (its second byte; 0 if that is kConnectionEvent, which only the transport's
// own events carry), and the result is empty.
std::optional<DecodedMessage> DecodeOrDrop(const MessageInput& in, uint64_t& dropped, Actions& out);

} // namespace canon

#endif
