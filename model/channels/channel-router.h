// Cheapest-path routing over the channel graph (paper 3.5.3, issue 18): a payer finds the route
// with the lowest total forwarding fee among those whose every hop can carry the amount.
//
// The graph is directed: a channel gives one edge each way, each with the balance its tail can
// send (its capacity in that direction) and the tail's fee (base + parts per million of what it
// forwards). Fees are charged by every node but the payer; the amount each hop carries is the
// payment plus the fees of the nodes after it, so capacity is checked against that amount.
// Dijkstra from the payee backwards makes that exact. Ties break on the lower node id, so routes
// are deterministic (DESIGN.md 4.5). Edges at most kRouterEdgesMax. Among routes of equal fee the
// one with fewer hops wins (with free forwarders every route costs the same), and no route is
// longer than kRouteHopsMax, what an HTLC's forwarding instructions can carry; the hop bound is
// applied inside the search, so a cheaper route that needs more hops is not found.
#ifndef CANONSIM_CHANNELS_CHANNEL_ROUTER_H
#define CANONSIM_CHANNELS_CHANNEL_ROUTER_H

#include "model/channels/channel-messages.h"
#include "model/channels/channel-state.h"

#include <optional>
#include <vector>

namespace canon
{

constexpr std::size_t kRouterEdgesMax = 1 << 20;
// The payer's hop and at most kOnionHopsMax onward.
constexpr uint32_t kRouteHopsMax = kOnionHopsMax + 1;

struct ChannelEdge
{
    uint32_t from = 0;
    uint32_t to = 0;
    ChannelId channel{};
    uint64_t sendable = 0; // what `from` can send through it now
};

struct NodeFee
{
    uint64_t base = 0;
    uint64_t ppm = 0;
    uint64_t For(uint64_t amount) const
    {
        return base + amount / 1000000 * ppm + amount % 1000000 * ppm / 1000000;
    }
};

struct RouteHop
{
    uint32_t from = 0;
    uint32_t to = 0;
    ChannelId channel{};
    uint64_t amount = 0; // what this hop's HTLC carries
};

class ChannelRouter
{
  public:
    explicit ChannelRouter(std::vector<NodeFee> fees)
      : m_fees(std::move(fees))
    {
    }
    void AddEdge(const ChannelEdge& e);
    // The cheapest route from `payer` to `payee` for `amount`, payer's hop first; nullopt when
    // no route has the capacity.
    std::optional<std::vector<RouteHop>> Cheapest(uint32_t payer, uint32_t payee,
                                                  uint64_t amount) const;

  private:
    std::vector<NodeFee> m_fees;
    std::vector<std::vector<ChannelEdge>> m_in; // by head node
};

} // namespace canon

#endif
