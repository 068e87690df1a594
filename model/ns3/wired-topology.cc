#include "model/ns3/wired-topology.h"

#include "ns3/data-rate.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/random-variable-stream.h"
#include "ns3/string.h"
#include "ns3/topology-reader-helper.h"
#include "ns3/traffic-control-helper.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

namespace canon
{

using namespace ns3;

namespace
{

Ptr<UniformRandomVariable>
Stream(int64_t stream)
{
    auto rv = CreateObject<UniformRandomVariable>();
    rv->SetStream(stream);
    return rv;
}

uint32_t
Draw(const Ptr<UniformRandomVariable>& rv, uint32_t bound)
{
    return std::min(bound - 1, static_cast<uint32_t>(rv->GetValue(0.0, bound)));
}

bool
IsConnected(uint32_t n, const std::vector<std::pair<uint32_t, uint32_t>>& edges)
{
    std::vector<std::vector<uint32_t>> adj(n);
    for (const auto& [a, b] : edges)
    {
        adj[a].push_back(b);
        adj[b].push_back(a);
    }
    std::vector<bool> seen(n, false);
    std::vector<uint32_t> stack{0};
    seen[0] = true;
    uint32_t count = 1;
    while (!stack.empty())
    {
        uint32_t v = stack.back();
        stack.pop_back();
        for (uint32_t w : adj[v])
        {
            if (!seen[w])
            {
                seen[w] = true;
                ++count;
                stack.push_back(w);
            }
        }
    }
    return count == n;
}

struct FileGraph
{
    NodeContainer nodes;
    std::vector<std::pair<uint32_t, uint32_t>> edges;
};

Result<FileGraph>
ReadTopologyFile(const std::string& path, const std::string& format)
{
    if (!std::ifstream(path).good())
    {
        return Status(StatusCode::kIoError, path + ": cannot read topology file");
    }
    TopologyReaderHelper reader;
    reader.SetFileName(path);
    reader.SetFileType(format);
    Ptr<TopologyReader> r = reader.GetTopologyReader();
    if (!r)
    {
        return Status::Invalid(path + ": unknown topology format '" + format + "'");
    }
    FileGraph g;
    g.nodes = r->Read();
    if (g.nodes.GetN() < 2 || r->LinksSize() == 0)
    {
        return Status::Malformed(path + ": no links could be read as " + format +
                                 " (is it the right format?)");
    }
    std::map<uint32_t, uint32_t> index; // ns-3 node id -> position
    for (uint32_t i = 0; i < g.nodes.GetN(); ++i)
    {
        index[g.nodes.Get(i)->GetId()] = i;
    }
    std::set<std::pair<uint32_t, uint32_t>> unique;
    for (auto it = r->LinksBegin(); it != r->LinksEnd(); ++it)
    {
        uint32_t a = index.at(it->GetFromNode()->GetId());
        uint32_t b = index.at(it->GetToNode()->GetId());
        if (a != b)
        {
            unique.insert({std::min(a, b), std::max(a, b)});
        }
    }
    g.edges.assign(unique.begin(), unique.end());
    return g;
}

} // namespace

std::vector<std::pair<uint32_t, uint32_t>>
RandomConnectedGraph(uint32_t nodes, double averageDegree, int64_t stream)
{
    auto rv = Stream(stream);
    std::set<std::pair<uint32_t, uint32_t>> edges;
    // A random spanning tree (each node attaches to an earlier one) keeps the graph connected.
    for (uint32_t i = 1; i < nodes; ++i)
    {
        uint32_t j = Draw(rv, i);
        edges.insert({j, i});
    }
    const auto target = static_cast<std::size_t>(std::min<double>(
        averageDegree * nodes / 2.0, static_cast<double>(nodes) * (nodes - 1) / 2));
    // Extra edges between random pairs; bounded attempts so a dense request cannot spin.
    for (std::size_t attempt = 0; edges.size() < target && attempt < 20 * target; ++attempt)
    {
        uint32_t a = Draw(rv, nodes), b = Draw(rv, nodes);
        if (a != b)
        {
            edges.insert({std::min(a, b), std::max(a, b)});
        }
    }
    return {edges.begin(), edges.end()};
}

std::vector<std::pair<uint32_t, uint32_t>>
BridgeGraph(uint32_t clusterSize, uint32_t bridgeLinks, bool sybil)
{
    std::set<std::pair<uint32_t, uint32_t>> edges;
    for (uint32_t base : {0U, clusterSize})
    {
        for (uint32_t a = 0; a < clusterSize; ++a)
        {
            for (uint32_t b = a + 1; b < clusterSize; ++b)
            {
                edges.insert({base + a, base + b});
            }
        }
    }
    const uint32_t left = 2 * clusterSize;
    const uint32_t right = sybil ? left + 1 : left;
    for (uint32_t k = 0; k < bridgeLinks && k < clusterSize; ++k)
    {
        edges.insert({k, left});
        edges.insert({clusterSize + k, right});
    }
    if (sybil)
    {
        edges.insert({left, right});
    }
    return {edges.begin(), edges.end()};
}

Result<WiredGraph>
BuildWiredGraph(const WiredTopologySpec& spec)
{
    WiredGraph t;
    if (!spec.givenEdges.empty())
    {
        t.nodes.Create(spec.nodes);
        t.edges = spec.givenEdges;
    }
    else if (spec.file.empty())
    {
        t.nodes.Create(spec.nodes);
        t.edges = RandomConnectedGraph(spec.nodes, spec.averageDegree, spec.streamBase);
    }
    else
    {
        auto g = ReadTopologyFile(spec.file, spec.format);
        if (!g.IsOk())
        {
            return g.GetStatus();
        }
        t.nodes = g.Value().nodes;
        t.edges = std::move(g.Value().edges);
        if (!IsConnected(t.nodes.GetN(), t.edges))
        {
            return Status::Invalid(spec.file + ": the topology is not connected");
        }
    }
    const uint32_t n = t.nodes.GetN();

    // Access classes drawn by share.
    auto accessRv = Stream(spec.streamBase + 1);
    double totalShare = 0;
    for (const auto& c : spec.access)
    {
        totalShare += c.share;
    }
    t.accessMbps.resize(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        double x = accessRv->GetValue(0.0, totalShare);
        const AccessRateClass* chosen = &spec.access.back();
        for (const auto& c : spec.access)
        {
            if (x < c.share)
            {
                chosen = &c;
                break;
            }
            x -= c.share;
        }
        t.accessMbps[i] = chosen->mbps;
    }
    auto latencyRv = Stream(spec.streamBase + 2);
    for (std::size_t k = 0; k < t.edges.size(); ++k)
    {
        t.edgeLatencyMs.push_back(latencyRv->GetValue(spec.latencyMinMs, spec.latencyMaxMs));
    }
    return t;
}

Result<WiredTopology>
BuildWiredTopology(const WiredTopologySpec& spec)
{
    auto graph = BuildWiredGraph(spec);
    if (!graph.IsOk())
    {
        return graph.GetStatus();
    }
    WiredTopology t;
    static_cast<WiredGraph&>(t) = std::move(graph).Value();
    const uint32_t n = t.nodes.GetN();
    // Peers talk only over the link they share, so a node needs its connected routes and nothing
    // more: static routing alone (ns-3's default adds a global-routing pass to every lookup,
    // with no routes in it) and no IPv6 stack (its neighbour discovery on every link).
    InternetStackHelper internet;
    internet.SetIpv6StackInstall(false);
    internet.SetRoutingHelper(Ipv4StaticRoutingHelper());
    internet.Install(t.nodes);
    // Each link carries one TCP connection (one per peer pair), so ns-3's default queue disc
    // (FqCoDel, installed by Ipv4AddressHelper::Assign) has one flow to schedule; it is removed
    // and the device's own FIFO queue takes the packets. 1000 packets is above what one
    // connection can have in flight (its 128 KiB receive window, about 90 segments), so that
    // queue never drops. Uncongested runs give the same traces as with FqCoDel; a link with a
    // standing queue no longer sees CoDel's drops. ns-3 spent about 7% of a run's CPU in the
    // traffic-control layer (bench/scale/README.md).
    PointToPointHelper p2p;
    p2p.SetQueue("ns3::DropTailQueue<Packet>", "MaxSize", StringValue("1000p"));
    Ipv4AddressHelper addresses("10.0.0.0", "255.255.255.252");
    t.peers.resize(n);
    for (std::size_t k = 0; k < t.edges.size(); ++k)
    {
        const auto [a, b] = t.edges[k];
        const double latencyMs = t.edgeLatencyMs[k];
        p2p.SetChannelAttribute("Delay",
                                TimeValue(NanoSeconds(static_cast<uint64_t>(latencyMs * 1e6))));
        NetDeviceContainer devices = p2p.Install(t.nodes.Get(a), t.nodes.Get(b));
        // Each end sends at the lower of the link's capacity and its own access rate.
        const uint32_t ends[2] = {a, b};
        for (uint32_t end = 0; end < 2; ++end)
        {
            const double mbps = std::min(spec.linkMbps, t.accessMbps[ends[end]]);
            devices.Get(end)->SetAttribute(
                "DataRate", DataRateValue(DataRate(static_cast<uint64_t>(mbps * 1e6))));
        }
        t.edgeDevices.emplace_back(devices.Get(0), devices.Get(1));
        Ipv4InterfaceContainer ifs = addresses.Assign(devices);
        TrafficControlHelper().Uninstall(devices);
        addresses.NewNetwork();
        t.peers[a].push_back({b, ifs.GetAddress(1)});
        t.peers[b].push_back({a, ifs.GetAddress(0)});
    }
    return t;
}

} // namespace canon
