#include "model/node/peer-guard.h"

#include "model/node/dropped-message.h"

#include <algorithm>
#include <cstdio>

namespace canon
{

namespace
{

// Drop reasons the guard itself writes: Observe scores them as over-limit.
constexpr const char* kRateLimitReason = "rate limit: ";
constexpr const char* kSignatureReason = "signature budget: ";

bool
StartsWith(const std::string& text, const char* prefix)
{
    return text.rfind(prefix, 0) == 0;
}

std::string
Rate(double perSecond)
{
    char text[32];
    std::snprintf(text, sizeof text, "%g/s", perSecond);
    return text;
}

} // namespace

std::size_t
SignatureChecksOf(const DecodedMessage& m)
{
    if (m.type == MessageType::kTransaction)
    {
        return 1;
    }
    if (const auto* txs = std::get_if<TxsMessage>(&m.body))
    {
        return txs->txs.size();
    }
    return 0;
}

PeerGuard::PeerGuard(PeerGuardConfig config)
  : m_config(config)
{
    CANON_ASSERT(m_config.peersMax > 0, "the peer guard needs room for one peer");
}

std::optional<DecodedMessage>
PeerGuard::Admit(TimeNs now, const MessageInput& in, uint64_t& dropped, Actions& out)
{
    if (!m_config.Enabled())
    {
        return DecodeOrDrop(in, dropped, out);
    }
    PeerRecord& r = Record(in.from);
    if (r.bannedUntil != 0 && r.bannedUntil <= now)
    {
        r.bannedUntil = 0; // served: it starts again from score 0
    }
    if (r.bannedUntil > now)
    {
        ++m_counters.bannedDiscarded;
        return std::nullopt;
    }
    const uint8_t claimed = in.bytes->size() >= 2 ? (*in.bytes)[1] : 0;
    if (m_config.messagesPerSecond > 0 &&
        !Take(r.byType[claimed], m_config.messagesPerSecond, 1, now))
    {
        ++m_counters.rateLimited;
        LimitDrop(kRateLimitReason + Rate(m_config.messagesPerSecond) + " per type", in, dropped,
                  out);
        return std::nullopt;
    }
    auto decoded = DecodeOrDrop(in, dropped, out);
    if (!decoded || m_config.signaturesPerSecond <= 0)
    {
        return decoded;
    }
    const std::size_t checks = SignatureChecksOf(*decoded);
    if (checks > 0 &&
        !Take(r.signatures, m_config.signaturesPerSecond, static_cast<double>(checks), now))
    {
        ++m_counters.signatureLimited;
        LimitDrop(kSignatureReason + Rate(m_config.signaturesPerSecond) + " checks", in, dropped,
                  out);
        return std::nullopt;
    }
    return decoded;
}

void
PeerGuard::LimitDrop(const std::string& reason, const MessageInput& in, uint64_t& dropped,
                     Actions& out) const
{
    const auto type = static_cast<MessageType>(in.bytes->size() >= 2 ? (*in.bytes)[1] : 0);
    RecordDrop(reason, type == kConnectionEvent ? static_cast<MessageType>(0) : type, in.from,
               dropped, out);
}

void
PeerGuard::Observe(TimeNs now, PeerId from, std::size_t firstEvent, Actions& out)
{
    if (!m_config.scores)
    {
        return;
    }
    double points = 0;
    for (std::size_t i = firstEvent; i < out.events.size(); ++i)
    {
        const NodeEvent& ev = out.events[i];
        if (ev.kind == NodeEventKind::kMessageDropped && ev.peer == from)
        {
            const double p = PointsFor(ev);
            m_counters.scoredDrops += p > 0 ? 1 : 0;
            points += p;
        }
    }
    if (points > 0)
    {
        AddPoints(from, Record(from), points, now, out);
    }
}

double
PeerGuard::PointsFor(const NodeEvent& ev) const
{
    const std::string& why = ev.reason;
    if (StartsWith(why, kRateLimitReason) || StartsWith(why, kSignatureReason))
    {
        return m_config.overLimitPoints;
    }
    if (StartsWith(why, StatusCodeName(StatusCode::kMalformed)))
    {
        return m_config.undecodablePoints;
    }
    // A block forking below this node's irreversible block is invalid here only: an honest
    // peer may hold a different irreversible block (it may be the victim of an eclipse).
    if (ev.messageType == MessageType::kBlock && why.find(": invalid: ") != std::string::npos &&
        why.find("below the irreversible") == std::string::npos)
    {
        return m_config.invalidBlockPoints;
    }
    if (ev.messageType == MessageType::kTransaction &&
        why.find(": bad signature") != std::string::npos)
    {
        return m_config.invalidTxPoints;
    }
    return 0;
}

void
PeerGuard::AddPoints(PeerId peer, PeerRecord& r, double points, TimeNs now, Actions& out)
{
    if (r.bannedUntil > now)
    {
        return;
    }
    r.score = Decayed(r, now) + points;
    r.scoredAt = now;
    if (r.score < m_config.banScore)
    {
        return;
    }
    char reason[96];
    std::snprintf(reason, sizeof reason, "peer banned: score %.0f reached %.0f, for %.0f s",
                  r.score, m_config.banScore, ToSeconds(m_config.banDuration));
    r.bannedUntil = now + m_config.banDuration;
    r.score = 0;
    r.byType.clear();
    ++m_counters.bans;
    uint64_t unused = 0;
    RecordDrop(reason, kConnectionEvent, peer, unused, out);
}

double
PeerGuard::Decayed(const PeerRecord& r, TimeNs now) const
{
    const double elapsed = ToSeconds(std::max<TimeNs>(0, now - r.scoredAt));
    return std::max(0.0, r.score - elapsed * m_config.decayPerSecond);
}

bool
PeerGuard::Take(Bucket& b, double rate, double cost, TimeNs now) const
{
    const double depth = std::max(1.0, rate * m_config.burstSeconds);
    if (!b.started)
    {
        b = Bucket{depth, now, true};
    }
    b.tokens = std::min(depth, b.tokens + ToSeconds(std::max<TimeNs>(0, now - b.at)) * rate);
    b.at = now;
    if (b.tokens < cost)
    {
        return false;
    }
    b.tokens -= cost;
    return true;
}

bool
PeerGuard::Banned(PeerId peer, TimeNs now) const
{
    auto it = m_peers.find(peer);
    return it != m_peers.end() && it->second.bannedUntil > now;
}

TimeNs
PeerGuard::BannedUntil(PeerId peer) const
{
    auto it = m_peers.find(peer);
    return it == m_peers.end() ? 0 : it->second.bannedUntil;
}

double
PeerGuard::Score(PeerId peer, TimeNs now) const
{
    auto it = m_peers.find(peer);
    return it == m_peers.end() ? 0.0 : Decayed(it->second, now);
}

PeerGuard::PeerRecord&
PeerGuard::Record(PeerId peer)
{
    auto it = m_peers.find(peer);
    if (it != m_peers.end())
    {
        return it->second;
    }
    if (m_peers.size() >= m_config.peersMax)
    {
        EvictOne();
    }
    return m_peers[peer];
}

void
PeerGuard::EvictOne()
{
    // The lowest score not banned (ties: the lowest id, map order); if all are banned, the ban
    // that ends first.
    auto victim = m_peers.end();
    for (auto it = m_peers.begin(); it != m_peers.end(); ++it)
    {
        const bool banned = it->second.bannedUntil > 0;
        const bool victimBanned = victim != m_peers.end() && victim->second.bannedUntil > 0;
        if (victim == m_peers.end() || (victimBanned && !banned) ||
            (banned == victimBanned && (banned ? it->second.bannedUntil < victim->second.bannedUntil
                                               : it->second.score < victim->second.score)))
        {
            victim = it;
        }
    }
    m_peers.erase(victim);
}

} // namespace canon
