#include "model/data/data-client.h"

namespace canon
{

DataClient::DataClient(KeyPair key)
  : m_key(std::move(key))
{
}

DataRequest
DataClient::MakeRequest(TimeNs now, const Hash256& stream)
{
    DataRequest q;
    q.requester = m_key.Public();
    q.stream = stream;
    q.requestId = m_nextId++;
    q.sentAt = now;
    q.SignWith(m_key);
    if (m_outstanding.size() >= kDataOutstandingMax)
    {
        m_outstanding.erase(m_outstanding.begin()); // ids ascend: the oldest
        ++m_lost;
    }
    m_outstanding[q.requestId] = q;
    return q;
}

void
DataClient::Remember(const DataRequest& request)
{
    if (m_outstanding.size() >= kDataOutstandingMax)
    {
        m_outstanding.erase(m_outstanding.begin());
        ++m_lost;
    }
    m_outstanding[request.requestId] = request;
}

bool
DataClient::Readable(const DataResponse& response, const LedgerState& state) const
{
    const StreamRecord* stream = state.Access().FindStream(response.stream);
    const GrantRecord* grant = state.Access().FindGrant(response.stream, m_key.GetAddress());
    if (!stream || !grant || grant->keyVersion != response.keyVersion)
    {
        return false;
    }
    auto key = OpenSealedKey(m_key, grant->sealedKey);
    if (!key.IsOk())
    {
        return false;
    }
    auto plain = DecryptData(key.Value(), response.data);
    return plain.IsOk() && Blake2b256(plain.Value()) == stream->digest;
}

std::optional<DataOutcome>
DataClient::OnResponse(TimeNs now, const DataResponse& response, std::size_t size,
                       const LedgerState& state)
{
    auto it = m_outstanding.find(response.requestId);
    if (it == m_outstanding.end() || it->second.stream != response.stream)
    {
        ++m_unmatched;
        return std::nullopt;
    }
    DataOutcome o;
    o.stream = response.stream;
    o.requestId = response.requestId;
    o.decision = response.decision;
    o.reason = response.reason;
    o.sentAt = it->second.sentAt;
    o.latency = now - it->second.sentAt;
    o.bytes = size;
    o.readable = response.decision == DataDecision::kServed && Readable(response, state);
    m_outstanding.erase(it);
    return o;
}

} // namespace canon
