#include "model/ns3/vehicular-topology.h"

#include "ns3/constant-velocity-mobility-model.h"
#include "ns3/double.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4.h"
#include "ns3/mobility-helper.h"
#include "ns3/ns2-mobility-helper.h"
#include "ns3/olsr-helper.h"
#include "ns3/olsr-routing-protocol.h"
#include "ns3/random-variable-stream.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/wave-mac-helper.h"
#include "ns3/wifi-80211p-helper.h"
#include "ns3/yans-wifi-helper.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>

namespace canon
{

using namespace ns3;

namespace
{

constexpr double kLaneWidth = 4.0;
constexpr double kRoadsideOffset = 10.0;

// A highway vehicle leaving the road re-enters at the other end with the same velocity.
void
Wrap(Ptr<ConstantVelocityMobilityModel> m, double length)
{
    Vector p = m->GetPosition();
    const Vector v = m->GetVelocity();
    p.x = v.x > 0 ? 0.0 : length;
    m->SetPosition(p);
    m->SetVelocity(v);
    Simulator::Schedule(Seconds(length / std::abs(v.x)), &Wrap, m, length);
}

// The CZR graph from OLSR's own state; see the header.
class OlsrGraphReader
{
  public:
    explicit OlsrGraphReader(const NodeContainer& nodes)
      : m_nodes(nodes)
    {
        for (uint32_t i = 0; i < nodes.GetN(); ++i)
        {
            m_nodeOf[nodes.Get(i)->GetObject<Ipv4>()->GetAddress(1, 0).GetLocal()] = i;
        }
    }

    LinkList operator()() const
    {
        std::set<std::pair<uint32_t, uint32_t>> links;
        for (uint32_t i = 0; i < m_nodes.GetN(); ++i)
        {
            auto olsr = DynamicCast<olsr::RoutingProtocol>(
                m_nodes.Get(i)->GetObject<Ipv4>()->GetRoutingProtocol());
            NS_ABORT_MSG_UNLESS(olsr, "vehicular node " << i << " does not route with OLSR");
            for (const olsr::NeighborTuple& t : olsr->GetNeighbors())
            {
                auto it = m_nodeOf.find(t.neighborMainAddr);
                if (t.status == olsr::NeighborTuple::STATUS_SYM && it != m_nodeOf.end() &&
                    it->second != i)
                {
                    links.insert(std::minmax(i, it->second));
                }
            }
        }
        return LinkList(links.begin(), links.end());
    }

  private:
    NodeContainer m_nodes;
    std::map<Ipv4Address, uint32_t> m_nodeOf;
};

void
InstallHighway(const NodeContainer& vehicles, const VehicularTopologySpec& spec)
{
    MobilityHelper mobility;
    mobility.SetMobilityModel("ns3::ConstantVelocityMobilityModel");
    mobility.Install(vehicles);
    auto place = CreateObject<UniformRandomVariable>();
    place->SetStream(spec.streamBase);
    auto speed = CreateObject<NormalRandomVariable>();
    speed->SetStream(spec.streamBase + 1);
    for (uint32_t i = 0; i < vehicles.GetN(); ++i)
    {
        const bool east = place->GetValue(0.0, 1.0) < 0.5;
        const auto lane =
            std::min(spec.lanes - 1, static_cast<uint32_t>(place->GetValue(0.0, spec.lanes)));
        const double x = place->GetValue(0.0, spec.length);
        const double y = east ? kLaneWidth * lane : -kLaneWidth * (lane + 1);
        const double v =
            std::clamp(speed->GetValue(spec.speedMean, spec.speedStddev * spec.speedStddev),
                       spec.speedMin, spec.speedMax);
        auto m = vehicles.Get(i)->GetObject<ConstantVelocityMobilityModel>();
        m->SetPosition(Vector(x, y, 0.0));
        m->SetVelocity(Vector(east ? v : -v, 0.0, 0.0));
        const double toEnd = east ? spec.length - x : x;
        Simulator::Schedule(Seconds(toEnd / v), &Wrap, m, spec.length);
    }
}

void
InstallRoadside(const NodeContainer& rsus, const VehicularTopologySpec& spec)
{
    auto alloc = CreateObject<ListPositionAllocator>();
    for (uint32_t k = 0; k < rsus.GetN(); ++k)
    {
        alloc->Add(Vector(spec.length * (k + 0.5) / rsus.GetN(),
                          kLaneWidth * spec.lanes + kRoadsideOffset, 0.0));
    }
    MobilityHelper mobility;
    mobility.SetPositionAllocator(alloc);
    mobility.SetMobilityModel("ns3::ConstantPositionMobilityModel");
    mobility.Install(rsus);
}

} // namespace

Result<uint32_t>
Ns2TraceNodeCount(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
    {
        return Status(StatusCode::kIoError, path + ": cannot read the ns-2 mobility trace");
    }
    // No std::regex here: ns-3's topology-read library compiles regexes in its static
    // initialisers, and our instantiation of the templates would take its place.
    const std::string tag = "$node_(";
    int64_t highest = -1;
    std::string line;
    while (std::getline(in, line))
    {
        for (auto at = line.find(tag); at != std::string::npos; at = line.find(tag, at + 1))
        {
            std::size_t end = at + tag.size();
            int64_t index = 0;
            bool digits = false;
            while (end < line.size() && std::isdigit(static_cast<unsigned char>(line[end])) &&
                   index < (int64_t{1} << 40))
            {
                index = 10 * index + (line[end++] - '0');
                digits = true;
            }
            if (digits && end < line.size() && line[end] == ')')
            {
                highest = std::max(highest, index);
            }
        }
    }
    if (highest < 0)
    {
        return Status::Invalid(path + ": no $node_(i) in the ns-2 mobility trace");
    }
    return static_cast<uint32_t>(highest + 1);
}

std::vector<std::vector<uint32_t>>
RoadsidePeers(const std::vector<Vector>& positions, uint32_t vehicles, uint32_t perVehicle)
{
    const auto n = static_cast<uint32_t>(positions.size());
    std::vector<std::set<uint32_t>> peers(n);
    auto link = [&peers](uint32_t a, uint32_t b)
    {
        peers[a].insert(b);
        peers[b].insert(a);
    };
    for (uint32_t k = vehicles; k + 1 < n; ++k)
    {
        link(k, k + 1);
    }
    std::vector<std::pair<double, uint32_t>> byDistance;
    for (uint32_t v = 0; v < vehicles; ++v)
    {
        byDistance.clear();
        for (uint32_t k = vehicles; k < n; ++k)
        {
            byDistance.emplace_back(CalculateDistance(positions[v], positions[k]), k);
        }
        const auto keep =
            static_cast<std::ptrdiff_t>(std::min<std::size_t>(perVehicle, byDistance.size()));
        std::partial_sort(byDistance.begin(), byDistance.begin() + keep, byDistance.end());
        for (auto it = byDistance.begin(); it != byDistance.begin() + keep; ++it)
        {
            link(v, it->second);
        }
    }
    std::vector<std::vector<uint32_t>> out(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        out[i].assign(peers[i].begin(), peers[i].end());
    }
    return out;
}

Result<RadioTopology>
BuildVehicularTopology(const VehicularTopologySpec& spec)
{
    if (spec.mobility == "ns2")
    {
        auto count = Ns2TraceNodeCount(spec.traceFile);
        if (!count.IsOk())
        {
            return count.GetStatus();
        }
        if (count.Value() != spec.vehicles)
        {
            return Status::Invalid("topology.vehicular.trace_file: " + spec.traceFile + " has " +
                                   std::to_string(count.Value()) +
                                   " nodes, topology.vehicular.vehicles is " +
                                   std::to_string(spec.vehicles));
        }
    }
    const uint32_t n = spec.vehicles + spec.rsus;
    RadioTopology topo;
    topo.nodes.Create(n);
    NodeContainer vehicles, rsus;
    for (uint32_t i = 0; i < n; ++i)
    {
        (i < spec.vehicles ? vehicles : rsus).Add(topo.nodes.Get(i));
    }
    if (spec.mobility == "ns2")
    {
        Ns2MobilityHelper(spec.traceFile).Install(vehicles.Begin(), vehicles.End());
    }
    else
    {
        InstallHighway(vehicles, spec);
    }
    InstallRoadside(rsus, spec);

    YansWifiChannelHelper channel;
    channel.SetPropagationDelay("ns3::ConstantSpeedPropagationDelayModel");
    channel.AddPropagationLoss("ns3::RangePropagationLossModel", "MaxRange",
                               DoubleValue(spec.range));
    YansWifiPhyHelper phy;
    phy.SetChannel(channel.Create());
    NqosWaveMacHelper mac = NqosWaveMacHelper::Default();
    Wifi80211pHelper wifi = Wifi80211pHelper::Default();
    // The channel is a unit disc (no fading, full power in range), so the fastest 802.11p rate
    // always decodes; control frames at the base rate.
    wifi.SetRemoteStationManager("ns3::ConstantRateWifiManager", "DataMode",
                                 StringValue("OfdmRate27MbpsBW10MHz"), "ControlMode",
                                 StringValue("OfdmRate6MbpsBW10MHz"));
    topo.devices = wifi.Install(phy, mac, topo.nodes);
    wifi.AssignStreams(topo.devices, spec.deviceStreamBase + 1000);

    OlsrHelper olsr;
    // Vehicles at 25 m/s cross a 250 m range in seconds: OLSR's defaults (HELLO 2 s, TC 5 s)
    // keep routes through neighbours that have left, so it runs twice as often here.
    olsr.Set("HelloInterval", TimeValue(Seconds(1)));
    olsr.Set("TcInterval", TimeValue(Seconds(2)));
    InternetStackHelper internet;
    internet.SetRoutingHelper(olsr);
    internet.Install(topo.nodes);
    internet.AssignStreams(topo.nodes, spec.deviceStreamBase + 100000);
    olsr.AssignStreams(topo.nodes, spec.deviceStreamBase + 200000);
    Ipv4AddressHelper addresses;
    addresses.SetBase("10.0.0.0", "255.0.0.0");
    addresses.Assign(topo.devices);
    ShortenArpDeadTimeout(topo.nodes, 2.0);

    const std::vector<Vector> positions = PositionsOf(topo.nodes);
    if (spec.peering == "roadside")
    {
        NS_ABORT_MSG_UNLESS(spec.rsus > 0, "roadside peering needs roadside units");
        topo.peers =
            PeerLinksOf(RoadsidePeers(positions, spec.vehicles, spec.roadsidePeers), topo.nodes);
        NodeContainer all = topo.nodes;
        const uint32_t vehicleCount = spec.vehicles, perVehicle = spec.roadsidePeers;
        topo.currentPeers = [all, vehicleCount, perVehicle]()
        { return RoadsidePeers(PositionsOf(all), vehicleCount, perVehicle); };
    }
    else
    {
        auto peers = NearestPeers(positions, spec.peers);
        for (uint32_t k = spec.vehicles; k + 1 < n; ++k)
        {
            for (auto [a, b] : {std::pair{k, k + 1}, std::pair{k + 1, k}})
            {
                if (std::find(peers[a].begin(), peers[a].end(), b) == peers[a].end())
                {
                    peers[a].insert(std::upper_bound(peers[a].begin(), peers[a].end(), b), b);
                }
            }
        }
        topo.peers = PeerLinksOf(peers, topo.nodes);
    }

    auto role = CreateObject<UniformRandomVariable>();
    role->SetStream(spec.streamBase + 2);
    topo.fullNode.assign(n, true);
    for (uint32_t i = 0; i < spec.vehicles; ++i)
    {
        topo.fullNode[i] = role->GetValue(0.0, 1.0) < spec.fullNodeShare;
    }
    topo.currentLinks = OlsrGraphReader(topo.nodes);
    return topo;
}

} // namespace canon
