#include "model/channels/watchtower.h"

namespace canon
{

ChannelEvidence
EvidenceOf(const ChannelEndpoint& end)
{
    return ChannelEvidence{end.Self(), end.PeerRevocation(), end.Latest()};
}

std::optional<ChannelChallengePayload>
ChallengeFor(const ChannelId& id, const OnChainChannel& c, const ChannelEvidence& evidence)
{
    const PublicKey& closer = c.closedByA ? c.a : c.b;
    if (c.phase != ChannelPhase::kClosing || closer == evidence.client)
    {
        return std::nullopt;
    }
    ChannelChallengePayload p;
    p.channel = id;
    if (evidence.peerRevocation && evidence.peerRevocation->first >= c.closing.seq)
    {
        p.revocation = evidence.peerRevocation;
    }
    if (evidence.latest.state.seq > c.closing.seq)
    {
        p.newer = evidence.latest;
    }
    if (!p.revocation && !p.newer)
    {
        return std::nullopt;
    }
    return p;
}

bool
Watchtower::Watch(const ChannelId& id, ChannelEvidence evidence)
{
    if (!m_evidence.count(id) && m_evidence.size() >= kWatchtowerChannelsMax)
    {
        return false;
    }
    m_evidence[id] = std::move(evidence);
    return true;
}

std::optional<ChannelChallengePayload>
Watchtower::OnClose(const ChannelId& id, const OnChainChannel& c) const
{
    auto it = m_evidence.find(id);
    if (it == m_evidence.end())
    {
        return std::nullopt;
    }
    return ChallengeFor(id, c, it->second);
}

} // namespace canon
