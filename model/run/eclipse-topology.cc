#include "model/run/eclipse-topology.h"

#include "model/core/rng.h"

#include <algorithm>
#include <map>
#include <set>

namespace canon
{

namespace
{

Edge
Ordered(uint32_t a, uint32_t b)
{
    return {std::min(a, b), std::max(a, b)};
}

} // namespace

std::vector<uint32_t>
OwnPeers(uint32_t victim, uint32_t nodes, const EclipseDefence& d)
{
    Rng rng = Rng::Derive(d.seed, "peer-selection", victim);
    const uint32_t groups = (nodes + d.groupSize - 1) / d.groupSize;
    std::vector<uint32_t> order(groups);
    for (uint32_t g = 0; g < groups; ++g)
    {
        order[g] = g;
    }
    for (uint32_t k = groups; k > 1; --k) // Fisher-Yates
    {
        std::swap(order[k - 1], order[rng.Below(k)]);
    }
    std::vector<uint32_t> picks;
    for (uint32_t g : order)
    {
        if (picks.size() >= d.outboundPeers)
        {
            break;
        }
        const uint32_t first = g * d.groupSize;
        const uint32_t size = std::min(d.groupSize, nodes - first);
        const uint32_t pick = first + static_cast<uint32_t>(rng.Below(size));
        if (pick != victim)
        {
            picks.push_back(pick);
        }
    }
    return picks;
}

uint32_t
RotationPick(uint32_t victim, uint32_t nodes, const EclipseDefence& d, uint64_t k,
             const std::vector<uint32_t>& current)
{
    Rng rng = Rng::Derive(d.seed, "peer-rotation", victim * 1000003 + k);
    std::set<uint32_t> heldGroups;
    for (uint32_t p : current)
    {
        heldGroups.insert(p / d.groupSize);
    }
    std::vector<uint32_t> fresh, any; // candidates in a group not held, and in any group
    for (uint32_t n = 0; n < nodes; ++n)
    {
        if (n != victim && std::find(current.begin(), current.end(), n) == current.end())
        {
            any.push_back(n);
            if (heldGroups.count(n / d.groupSize) == 0)
            {
                fresh.push_back(n);
            }
        }
    }
    const std::vector<uint32_t>& from = fresh.empty() ? any : fresh;
    return from.empty() ? victim : from[rng.Below(from.size())];
}

std::vector<Edge>
EclipseEdges(const std::vector<Edge>& edges, uint32_t nodes,
             const std::vector<AdversarySpec>& adversaries, const EclipseDefence& defence)
{
    std::map<uint32_t, std::set<uint32_t>> attackersOf; // victim -> its attackers
    for (const AdversarySpec& a : adversaries)
    {
        if (a.kind == AdversaryKind::kEclipse && a.victim < nodes && a.node < nodes)
        {
            attackersOf[a.victim].insert(a.node);
        }
    }
    std::vector<Edge> out;
    std::set<Edge> held;
    std::map<uint32_t, std::vector<uint32_t>> formerPeers; // victim -> its peers in `edges`
    for (const Edge& e : edges)
    {
        const bool first = attackersOf.count(e.first) != 0;
        const bool second = attackersOf.count(e.second) != 0;
        if (first != second)
        {
            formerPeers[first ? e.first : e.second].push_back(first ? e.second : e.first);
        }
        if (!first && !second && held.insert(Ordered(e.first, e.second)).second)
        {
            out.push_back(e);
        }
    }
    // The victim's former peers link up in a chain, so that the honest graph stays connected
    // without it (a leaf hanging off the victim is not cut off by the attack).
    for (auto& [victim, former] : formerPeers)
    {
        std::sort(former.begin(), former.end());
        for (std::size_t k = 1; k < former.size(); ++k)
        {
            if (held.insert(Ordered(former[k - 1], former[k])).second)
            {
                out.push_back(Ordered(former[k - 1], former[k]));
            }
        }
    }
    for (const auto& [victim, attackers] : attackersOf)
    {
        std::vector<uint32_t> peers(attackers.begin(), attackers.end());
        if (defence.outboundPeers > 0)
        {
            const std::vector<uint32_t> own = OwnPeers(victim, nodes, defence);
            peers.insert(peers.end(), own.begin(), own.end());
        }
        for (uint32_t p : peers)
        {
            if (p != victim && held.insert(Ordered(victim, p)).second)
            {
                out.push_back(Ordered(victim, p));
            }
        }
    }
    return out;
}

} // namespace canon
