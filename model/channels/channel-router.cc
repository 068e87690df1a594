#include "model/channels/channel-router.h"

#include "model/core/status.h"

#include <limits>
#include <queue>
#include <tuple>

namespace canon
{

void
ChannelRouter::AddEdge(const ChannelEdge& e)
{
    const uint32_t top = std::max(e.from, e.to);
    CANON_ASSERT(top < m_fees.size(), "channel edge names a node without a fee");
    if (m_in.size() < m_fees.size())
    {
        m_in.resize(m_fees.size());
    }
    m_in[e.to].push_back(e);
}

std::optional<std::vector<RouteHop>>
ChannelRouter::Cheapest(uint32_t payer, uint32_t payee, uint64_t amount) const
{
    const std::size_t n = m_fees.size();
    if (payer >= n || payee >= n || payer == payee || m_in.empty())
    {
        return std::nullopt;
    }
    constexpr uint64_t kInf = std::numeric_limits<uint64_t>::max();
    // need[v]: what v must receive to get the payment to the payee (payment + later fees).
    std::vector<uint64_t> need(n, kInf);
    std::vector<const ChannelEdge*> next(n, nullptr);
    std::vector<uint32_t> hops(n, 0); // hops from v to the payee on its best route
    // (need, hops, node): lower need, then fewer hops, then lower id.
    using Item = std::tuple<uint64_t, uint32_t, uint32_t>;
    std::priority_queue<Item, std::vector<Item>, std::greater<Item>> queue;
    need[payee] = amount;
    queue.push({amount, 0, payee});
    while (!queue.empty())
    {
        const auto [d, h, v] = queue.top();
        queue.pop();
        if (d != need[v] || h != hops[v] || v == payer || h >= kRouteHopsMax)
        {
            continue;
        }
        for (const ChannelEdge& e : m_in[v])
        {
            // e.from forwards `d` over e; unless it is the payer it must receive d plus its fee.
            if (e.sendable < d)
            {
                continue;
            }
            const uint64_t fee = e.from == payer ? 0 : m_fees[e.from].For(d);
            const uint64_t total = d + fee;
            const uint32_t eh = h + 1;
            const bool same = total == need[e.from];
            if (total < need[e.from] || (same && eh < hops[e.from]) ||
                (same && eh == hops[e.from] && next[e.from] && e.to < next[e.from]->to))
            {
                need[e.from] = total;
                hops[e.from] = eh;
                next[e.from] = &e;
                queue.push({total, eh, e.from});
            }
        }
    }
    if (!next[payer])
    {
        return std::nullopt;
    }
    std::vector<RouteHop> route;
    for (uint32_t v = payer; v != payee && route.size() < n; v = next[v]->to)
    {
        route.push_back(RouteHop{v, next[v]->to, next[v]->channel, need[next[v]->to]});
    }
    return route;
}

} // namespace canon
