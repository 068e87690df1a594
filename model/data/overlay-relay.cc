#include "model/data/overlay-relay.h"

#include "model/core/encoding.h"

#include <algorithm>
#include <deque>

namespace canon
{

SharedBytes
EncodeOverlayRelay(const OverlayRelayMessage& m)
{
    CANON_ASSERT(m.inner.size() <= kRelayInnerMax, "relayed message too large");
    Bytes out = MessageEnvelope(MessageType::kOverlayRelay);
    Writer w(out);
    w.U32(m.origin);
    w.U32(m.target);
    w.U8(m.hops);
    w.Var(m.inner);
    return ShareBytes(std::move(out));
}

Result<OverlayRelayMessage>
DecodeOverlayRelay(const Bytes& bytes)
{
    Reader r(bytes, "overlay relay");
    r.Version(kMessageVersion);
    const uint8_t type = r.U8("type");
    if (r.IsOk() && type != static_cast<uint8_t>(MessageType::kOverlayRelay))
    {
        r.Fail("type " + std::to_string(type) + " is not overlay-relay");
    }
    OverlayRelayMessage m;
    m.origin = r.U32("origin");
    m.target = r.U32("target");
    m.hops = r.U8("hops");
    if (r.IsOk() && m.hops > kRelayHopsMax)
    {
        r.Fail("hops " + std::to_string(m.hops) + " over " + std::to_string(kRelayHopsMax));
    }
    m.inner = r.Var("inner message", kRelayInnerMax);
    if (r.IsOk() &&
        (m.inner.size() < 2 || m.inner[1] == static_cast<uint8_t>(MessageType::kOverlayRelay)))
    {
        r.Fail("inner message is too short or is itself a relay");
    }
    Status s = r.Finish();
    if (!s.IsOk())
    {
        return s;
    }
    return m;
}

void
OverlayRoutes::SetPeers(uint32_t node, const std::vector<uint32_t>& peers)
{
    std::vector<uint32_t> sorted = peers;
    std::sort(sorted.begin(), sorted.end());
    auto& slot = m_peers[node];
    if (slot != sorted)
    {
        slot = std::move(sorted);
        m_distTo.clear();
    }
    m_size = std::max(m_size, node + 1);
    for (uint32_t p : slot)
    {
        m_size = std::max(m_size, p + 1);
    }
}

const std::vector<uint32_t>&
OverlayRoutes::DistancesTo(uint32_t to)
{
    auto it = m_distTo.find(to);
    if (it != m_distTo.end())
    {
        return it->second;
    }
    // Peer links are used in both directions: a TCP connection carries both ways.
    std::vector<std::vector<uint32_t>> adj(m_size);
    for (const auto& [n, ps] : m_peers)
    {
        for (uint32_t p : ps)
        {
            adj[n].push_back(p);
            adj[p].push_back(n);
        }
    }
    std::vector<uint32_t> dist(m_size, UINT32_MAX);
    std::deque<uint32_t> queue;
    if (to < m_size)
    {
        dist[to] = 0;
        queue.push_back(to);
    }
    while (!queue.empty())
    {
        const uint32_t n = queue.front();
        queue.pop_front();
        for (uint32_t p : adj[n])
        {
            if (dist[p] == UINT32_MAX)
            {
                dist[p] = dist[n] + 1;
                queue.push_back(p);
            }
        }
    }
    return m_distTo.emplace(to, std::move(dist)).first->second;
}

std::optional<uint32_t>
OverlayRoutes::Distance(uint32_t from, uint32_t to)
{
    const auto& dist = DistancesTo(to);
    if (from >= dist.size() || dist[from] == UINT32_MAX)
    {
        return std::nullopt;
    }
    return dist[from];
}

std::optional<uint32_t>
OverlayRoutes::NextHop(uint32_t from, uint32_t to)
{
    const auto d = Distance(from, to);
    if (!d || *d == 0)
    {
        return std::nullopt;
    }
    const auto& dist = DistancesTo(to);
    // The lowest-numbered neighbour one hop closer: a peer of `from`, or a node that has `from`
    // as a peer (connections carry both ways).
    std::optional<uint32_t> best;
    auto consider = [&](uint32_t p)
    {
        if (p < dist.size() && dist[p] + 1 == *d && (!best || p < *best))
        {
            best = p;
        }
    };
    for (const auto& [n, ps] : m_peers)
    {
        if (n == from)
        {
            std::for_each(ps.begin(), ps.end(), consider);
        }
        else if (std::binary_search(ps.begin(), ps.end(), from))
        {
            consider(n);
        }
    }
    return best;
}

} // namespace canon
