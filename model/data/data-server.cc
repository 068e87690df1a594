#include "model/data/data-server.h"

namespace canon
{

const char*
GrantRuleName(GrantRule r)
{
    return r == GrantRule::kBestChain ? "best-chain" : "irreversible";
}

DataRefusal
GrantStatusIn(const LedgerState& state, const Hash256& stream, const Address& requester)
{
    if (!state.Access().FindStream(stream))
    {
        return DataRefusal::kNotRegistered;
    }
    const GrantRecord* g = state.Access().FindGrant(stream, requester);
    if (!g)
    {
        return DataRefusal::kNoGrant;
    }
    return g->Live() ? DataRefusal::kNone : DataRefusal::kRevoked;
}

DataServer::DataServer(DataServerConfig config)
  : m_config(config)
{
}

void
DataServer::Hold(const Hash256& stream, HeldStream data)
{
    CANON_ASSERT(data.data.ciphertext.size() <= kDataResponseBytesMax,
                 "held stream larger than a data response");
    m_held[stream] = std::move(data);
}

void
DataServer::Forget(TimeNs now)
{
    while (!m_seenOrder.empty() && m_seenOrder.front().first < now - m_config.requestMaxAge)
    {
        m_seen.erase(m_seenOrder.front().second);
        m_seenOrder.pop_front();
    }
}

DataRefusal
DataServer::CheckFresh(TimeNs now, const DataRequest& request)
{
    const TimeNs age = now - request.sentAt;
    if (age > m_config.requestMaxAge || age < -m_config.requestMaxAge)
    {
        return DataRefusal::kStale;
    }
    Forget(now);
    Blake2bHasher h;
    h.Update(request.requester);
    Bytes id;
    Writer(id).U64(request.requestId);
    h.Update(id);
    const Hash256 key = h.Final();
    if (m_seen.count(key))
    {
        return DataRefusal::kReplayed;
    }
    if (m_seen.size() >= m_config.replayMax)
    {
        return DataRefusal::kBusy;
    }
    m_seen.insert(key);
    m_seenOrder.emplace_back(request.sentAt, key);
    return DataRefusal::kNone;
}

DataRefusal
DataServer::Check(TimeNs now, const DataRequest& request, const LedgerState& best,
                  const LedgerState& irreversible)
{
    if (!Holds(request.stream))
    {
        return DataRefusal::kUnknownStream;
    }
    if (!request.HasValidSignature())
    {
        return DataRefusal::kBadSignature;
    }
    if (DataRefusal r = CheckFresh(now, request); r != DataRefusal::kNone)
    {
        return r;
    }
    const LedgerState& view = m_config.rule == GrantRule::kBestChain ? best : irreversible;
    return GrantStatusIn(view, request.stream, AddressOf(request.requester));
}

DataResponse
DataServer::Answer(TimeNs now, const DataRequest& request, const LedgerState& best,
                   const LedgerState& irreversible)
{
    DataResponse r;
    r.requestId = request.requestId;
    r.stream = request.stream;
    r.reason = Check(now, request, best, irreversible);
    if (r.reason != DataRefusal::kNone)
    {
        r.decision = DataDecision::kRefused;
        ++m_counters.refused[static_cast<std::size_t>(r.reason)];
        return r;
    }
    const HeldStream& held = m_held.at(request.stream);
    r.decision = DataDecision::kServed;
    r.keyVersion = held.keyVersion;
    r.data = held.data;
    ++m_counters.served;
    return r;
}

} // namespace canon
