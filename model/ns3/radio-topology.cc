#include "model/ns3/radio-topology.h"

#include "ns3/arp-cache.h"
#include "ns3/ipv4-interface.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/mobility-model.h"

#include <algorithm>
#include <limits>
#include <set>

namespace canon
{

using namespace ns3;

std::vector<std::vector<uint32_t>>
NearestPeers(const std::vector<Vector>& positions, uint32_t k)
{
    const auto n = static_cast<uint32_t>(positions.size());
    std::vector<std::set<uint32_t>> sets(n);
    std::vector<std::pair<double, uint32_t>> byDistance;
    for (uint32_t i = 0; i < n; ++i)
    {
        byDistance.clear();
        for (uint32_t j = 0; j < n; ++j)
        {
            if (j != i)
            {
                byDistance.emplace_back(CalculateDistance(positions[i], positions[j]), j);
            }
        }
        const std::size_t take = std::min<std::size_t>(k, byDistance.size());
        std::partial_sort(byDistance.begin(),
                          byDistance.begin() + static_cast<std::ptrdiff_t>(take), byDistance.end());
        for (std::size_t t = 0; t < take; ++t)
        {
            sets[i].insert(byDistance[t].second);
            sets[byDistance[t].second].insert(i);
        }
    }
    // The Euclidean minimum spanning tree (Prim, ties by index): nearest-k alone can leave
    // groups of nodes that only know each other.
    std::vector<bool> inTree(n, false);
    std::vector<double> best(n, std::numeric_limits<double>::infinity());
    std::vector<uint32_t> via(n, 0);
    for (uint32_t step = 0, next = 0; step < n; ++step)
    {
        const uint32_t u = next;
        inTree[u] = true;
        if (step > 0)
        {
            sets[u].insert(via[u]);
            sets[via[u]].insert(u);
        }
        double nearest = std::numeric_limits<double>::infinity();
        for (uint32_t v = 0; v < n; ++v)
        {
            if (inTree[v])
            {
                continue;
            }
            const double d = CalculateDistance(positions[u], positions[v]);
            if (d < best[v])
            {
                best[v] = d;
                via[v] = u;
            }
            if (best[v] < nearest)
            {
                nearest = best[v];
                next = v;
            }
        }
    }
    std::vector<std::vector<uint32_t>> out(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        out[i].assign(sets[i].begin(), sets[i].end());
    }
    return out;
}

std::vector<std::vector<uint32_t>>
LightAwarePeers(const std::vector<std::vector<uint32_t>>& peers,
                const std::vector<Vector>& positions, const std::vector<bool>& fullNode, uint32_t k)
{
    const auto n = static_cast<uint32_t>(peers.size());
    if (fullNode.empty() || std::find(fullNode.begin(), fullNode.end(), false) == fullNode.end())
    {
        return peers;
    }
    std::vector<uint32_t> full;
    std::vector<Vector> fullPositions;
    for (uint32_t i = 0; i < n; ++i)
    {
        if (fullNode[i])
        {
            full.push_back(i);
            fullPositions.push_back(positions[i]);
        }
    }
    std::vector<std::set<uint32_t>> sets(n);
    auto link = [&sets](uint32_t a, uint32_t b)
    {
        sets[a].insert(b);
        sets[b].insert(a);
    };
    for (uint32_t i = 0; i < n; ++i)
    {
        for (uint32_t j : peers[i])
        {
            if (fullNode[i] || fullNode[j])
            {
                link(i, j);
            }
        }
    }
    const auto fullPeers = NearestPeers(fullPositions, k);
    for (std::size_t a = 0; a < full.size(); ++a)
    {
        for (uint32_t b : fullPeers[a])
        {
            link(full[a], full[b]);
        }
    }
    for (uint32_t i = 0; i < n && !full.empty(); ++i)
    {
        if (fullNode[i] || !sets[i].empty())
        {
            continue;
        }
        uint32_t nearest = full[0];
        for (uint32_t f : full)
        {
            if (CalculateDistance(positions[i], positions[f]) <
                CalculateDistance(positions[i], positions[nearest]))
            {
                nearest = f;
            }
        }
        link(i, nearest);
    }
    std::vector<std::vector<uint32_t>> out(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        out[i].assign(sets[i].begin(), sets[i].end());
    }
    return out;
}

LinkList
UnitDiskLinks(const std::vector<Vector>& positions, double range)
{
    LinkList links;
    const auto n = static_cast<uint32_t>(positions.size());
    for (uint32_t a = 0; a < n; ++a)
    {
        for (uint32_t b = a + 1; b < n; ++b)
        {
            if (CalculateDistance(positions[a], positions[b]) <= range)
            {
                links.emplace_back(a, b);
            }
        }
    }
    return links;
}

std::vector<Vector>
PositionsOf(const NodeContainer& nodes)
{
    std::vector<Vector> out;
    out.reserve(nodes.GetN());
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        out.push_back(nodes.Get(i)->GetObject<MobilityModel>()->GetPosition());
    }
    return out;
}

void
ShortenArpDeadTimeout(const NodeContainer& nodes, double deadTimeout)
{
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        Ptr<Ipv4L3Protocol> ip = nodes.Get(i)->GetObject<Ipv4L3Protocol>();
        for (uint32_t k = 0; k < ip->GetNInterfaces(); ++k)
        {
            if (Ptr<ArpCache> arp = ip->GetInterface(k)->GetArpCache())
            {
                arp->SetDeadTimeout(Seconds(deadTimeout));
            }
        }
    }
}

std::vector<std::vector<PeerLink>>
PeerLinksOf(const std::vector<std::vector<uint32_t>>& peers, const NodeContainer& nodes)
{
    std::vector<std::vector<PeerLink>> out(peers.size());
    for (std::size_t i = 0; i < peers.size(); ++i)
    {
        for (uint32_t j : peers[i])
        {
            Ptr<Ipv4> ip = nodes.Get(j)->GetObject<Ipv4>();
            out[i].push_back({j, ip->GetAddress(1, 0).GetLocal()});
        }
    }
    return out;
}

} // namespace canon
