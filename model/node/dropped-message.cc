#include "model/node/dropped-message.h"

namespace canon
{

void
RecordDrop(const std::string& reason, MessageType type, PeerId peer, uint64_t& dropped,
           Actions& out)
{
    ++dropped;
    NodeEvent ev;
    ev.kind = NodeEventKind::kMessageDropped;
    ev.peer = peer;
    ev.messageType = type;
    ev.reason = reason;
    out.events.push_back(ev);
}

std::optional<DecodedMessage>
DecodeOrDrop(const MessageInput& in, uint64_t& dropped, Actions& out)
{
    auto decoded = DecodeMessage(*in.bytes);
    if (decoded.IsOk())
    {
        return std::move(decoded).Value();
    }
    MessageType claimed = in.bytes->size() >= 2 ? static_cast<MessageType>((*in.bytes)[1])
                                                : MessageType::kTransaction;
    if (claimed == kConnectionEvent)
    {
        claimed = static_cast<MessageType>(0); // a peer cannot pass its bytes off as link trouble
    }
    RecordDrop(decoded.GetStatus().ToString(), claimed, in.from, dropped, out);
    return std::nullopt;
}

} // namespace canon
