#include "model/data/data-service.h"

#include "model/node/dropped-message.h"

namespace canon
{

const LedgerState&
IrreversibleState(const ConsensusChain& chain)
{
    CANON_ASSERT(chain.Lib() && chain.Lib()->state, "the irreversible block keeps its state");
    return *chain.Lib()->state;
}

void
HandleDataMessage(TimeNs now, const MessageInput& in, DataServer* server,
                  const ConsensusChain& chain, uint64_t& dropped, Actions& out)
{
    auto decoded = DecodeDataMessage(*in.bytes);
    if (!decoded.IsOk())
    {
        RecordDrop(decoded.GetStatus().ToString(), static_cast<MessageType>((*in.bytes)[1]),
                   in.from, dropped, out);
        return;
    }
    const auto* request = std::get_if<DataRequest>(&decoded.Value().body);
    if (!request)
    {
        RecordDrop("a full node takes no data responses", MessageType::kDataResponse, in.from,
                   dropped, out);
        return;
    }
    if (!server)
    {
        RecordDrop("this node serves no data", MessageType::kDataRequest, in.from, dropped, out);
        return;
    }
    const DataResponse r =
        server->Answer(now, *request, chain.BestState(), IrreversibleState(chain));
    out.sends.push_back(
        SendAction{in.from, MessageType::kDataResponse, EncodeDataResponse(r), false});
}

} // namespace canon
