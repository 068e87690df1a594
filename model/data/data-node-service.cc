#include "model/data/data-node-service.h"

#include "model/data/data-service.h"
#include "model/node/dropped-message.h"

#include <algorithm>

namespace canon
{

namespace
{

uint64_t
First8(const Hash256& h)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
    {
        v = (v << 8) | h[static_cast<std::size_t>(i)];
    }
    return v;
}

StorageOpTraceRecord
ToTrace(const StorageOpRecord& r)
{
    StorageOpTraceRecord t{};
    t.time = ToSeconds(r.time);
    t.node = r.node;
    t.op = static_cast<uint8_t>(r.op);
    t.ok = r.ok ? 1 : 0;
    t.root = First8(r.root);
    t.lookup_hops = r.lookupHops;
    t.blocks = r.blocks;
    t.bytes = r.bytes;
    t.latency = ToSeconds(r.latency);
    t.source = r.source;
    return t;
}

} // namespace

DataNodeService::DataNodeService(uint32_t self, std::shared_ptr<DataServiceShared> shared)
  : m_self(self)
  , m_shared(std::move(shared))
{
}

void
DataNodeService::MakeDevice(DataServerConfig config)
{
    m_device = std::make_unique<DataServer>(config);
}

void
DataNodeService::MakeRequester(KeyPair key)
{
    m_client = std::make_unique<DataClient>(std::move(key));
}

void
DataNodeService::MakeStorage(StorageConfig config)
{
    m_storage = std::make_unique<StoragePeer>(m_self, config);
}

bool
DataNodeService::Owns(MessageType type) const
{
    const auto t = static_cast<uint8_t>(type);
    return t >= static_cast<uint8_t>(MessageType::kDataRequest) &&
           t <= static_cast<uint8_t>(MessageType::kOverlayRelay);
}

void
DataNodeService::OnMessage(const ServiceContext& ctx, const MessageInput& in, Actions& out)
{
    const Bytes& bytes = *in.bytes;
    if (PeekMessageType(bytes) != MessageType::kOverlayRelay)
    {
        Deliver(ctx, in.from, 1, bytes, out);
        return;
    }
    auto m = DecodeOverlayRelay(bytes);
    if (!m.IsOk())
    {
        RecordDrop(m.GetStatus().ToString(), MessageType::kOverlayRelay, in.from,
                   m_shared->malformed, out);
        return;
    }
    OverlayRelayMessage relay = std::move(m).Value();
    relay.hops = static_cast<uint8_t>(relay.hops + 1);
    if (relay.target == m_self)
    {
        Deliver(ctx, relay.origin, relay.hops, relay.inner, out);
        return;
    }
    ++m_shared->relayed;
    Forward(ctx, std::move(relay), out);
}

void
DataNodeService::Forward(const ServiceContext& ctx, OverlayRelayMessage m, Actions& out)
{
    const auto next = m_shared->routes.NextHop(m_self, m.target);
    const bool peer =
        next && std::find(ctx.peers.begin(), ctx.peers.end(), *next) != ctx.peers.end();
    if (!peer || m.hops >= kRelayHopsMax)
    {
        ++m_shared->noRoute;
        return;
    }
    out.sends.push_back(
        SendAction{*next, MessageType::kOverlayRelay, EncodeOverlayRelay(m), m.origin != m_self});
}

void
DataNodeService::SendTo(const ServiceContext& ctx, uint32_t to, const SharedBytes& msg,
                        bool relayed, Actions& out)
{
    if (std::find(ctx.peers.begin(), ctx.peers.end(), to) != ctx.peers.end())
    {
        out.sends.push_back(SendAction{to, *PeekMessageType(*msg), msg, relayed});
        return;
    }
    if (m_shared->wantDirect && IsStorageMessage(*msg))
    {
        m_shared->wantDirect(m_self, to);
    }
    Forward(ctx, OverlayRelayMessage{m_self, to, 0, *msg}, out);
}

void
DataNodeService::Deliver(const ServiceContext& ctx, uint32_t origin, uint32_t hops,
                         const Bytes& msg, Actions& out)
{
    if (IsDataMessage(msg))
    {
        OnDataMessage(ctx, origin, hops, msg, out);
        return;
    }
    if (IsStorageMessage(msg) && m_storage)
    {
        StorageOutput sout;
        m_storage->OnMessage(ctx.now, origin, msg, sout);
        Flush(ctx, sout, out);
        return;
    }
    RecordDrop("this node runs no storage peer", *PeekMessageType(msg), origin, m_shared->malformed,
               out);
}

void
DataNodeService::OnDataMessage(const ServiceContext& ctx, uint32_t origin, uint32_t hops,
                               const Bytes& msg, Actions& out)
{
    auto decoded = DecodeDataMessage(msg);
    if (!decoded.IsOk())
    {
        RecordDrop(decoded.GetStatus().ToString(), *PeekMessageType(msg), origin,
                   m_shared->malformed, out);
        return;
    }
    if (const auto* request = std::get_if<DataRequest>(&decoded.Value().body))
    {
        if (!m_device)
        {
            RecordDrop("this node serves no data", MessageType::kDataRequest, origin,
                       m_shared->malformed, out);
            return;
        }
        const DataResponse r = m_device->Answer(ctx.now, *request, ctx.chain.BestState(),
                                                IrreversibleState(ctx.chain));
        SendTo(ctx, origin, EncodeDataResponse(r), true, out);
        return;
    }
    const auto& response = std::get<DataResponse>(decoded.Value().body);
    if (!m_client)
    {
        RecordDrop("this node makes no data requests", MessageType::kDataResponse, origin,
                   m_shared->malformed, out);
        return;
    }
    const LedgerState& best = ctx.chain.BestState();
    auto outcome = m_client->OnResponse(ctx.now, response, msg.size(), best);
    if (!outcome)
    {
        return;
    }
    DataRequestTraceRecord t{};
    t.time = ToSeconds(ctx.now);
    t.requester = m_self;
    t.device = origin;
    t.stream = First8(outcome->stream);
    t.decision = static_cast<uint8_t>(outcome->decision);
    t.reason = static_cast<uint8_t>(outcome->reason);
    t.rule = m_device ? static_cast<uint8_t>(m_device->Config().rule) : 0;
    t.readable = outcome->readable ? 1 : 0;
    const bool revoked = m_shared->revokedIn &&
                         m_shared->revokedIn(best, outcome->stream, m_client->Key().GetAddress());
    t.wrongly_served = outcome->decision == DataDecision::kServed && revoked ? 1 : 0;
    t.latency = ToSeconds(outcome->latency);
    t.bytes = outcome->bytes;
    t.hops = hops;
    m_shared->requests.push_back(t);
}

void
DataNodeService::Request(const ServiceContext& ctx, uint32_t device, const Hash256& stream,
                         RequestKind kind, Actions& out)
{
    if (!m_client)
    {
        return;
    }
    DataRequest q;
    if (kind == RequestKind::kReplay && m_last && m_last->first == device)
    {
        q = m_last->second;
        m_client->Remember(q);
    }
    else
    {
        q = m_client->MakeRequest(ctx.now, stream);
        if (kind == RequestKind::kForged)
        {
            q.signature[0] ^= 0x01; // outstanding under its id: the refusal is matched
        }
        else
        {
            m_last = std::make_pair(device, q);
        }
    }
    SendTo(ctx, device, EncodeDataRequest(q), false, out);
}

void
DataNodeService::WithStorage(const ServiceContext& ctx,
                             const std::function<void(StoragePeer&, StorageOutput&)>& op,
                             Actions& out)
{
    if (!m_storage)
    {
        return;
    }
    StorageOutput sout;
    op(*m_storage, sout);
    Flush(ctx, sout, out);
}

void
DataNodeService::Flush(const ServiceContext& ctx, StorageOutput& sout, Actions& out)
{
    for (const StorageSend& s : sout.sends)
    {
        SendTo(ctx, s.to, s.bytes, false, out);
    }
    for (const StorageOpRecord& r : sout.records)
    {
        m_shared->storageOps.push_back(ToTrace(r));
    }
}

} // namespace canon
