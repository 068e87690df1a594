#include "model/ns3/mesh-topology.h"

#include "ns3/double.h"
#include "ns3/hwmp-protocol.h"
#include "ns3/hwmp-rtable.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/mesh-helper.h"
#include "ns3/mesh-point-device.h"
#include "ns3/mobility-helper.h"
#include "ns3/mobility-model.h"
#include "ns3/peer-management-protocol.h"
#include "ns3/pointer.h"
#include "ns3/random-variable-stream.h"
#include "ns3/rectangle.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/wifi-mac-queue.h"
#include "ns3/wifi-mac.h"
#include "ns3/wifi-net-device.h"
#include "ns3/yans-wifi-helper.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace canon
{

using namespace ns3;

namespace
{

Ptr<UniformRandomVariable>
Uniform(int64_t stream)
{
    auto rv = CreateObject<UniformRandomVariable>();
    rv->SetStream(stream);
    return rv;
}

// `count` nodes on a grid of ceil(sqrt(count)) columns, from (x0, 0).
void
AddGrid(std::vector<Vector>& out, uint32_t count, double spacing, double x0)
{
    const auto cols = static_cast<uint32_t>(std::ceil(std::sqrt(static_cast<double>(count))));
    for (uint32_t i = 0; i < count; ++i)
    {
        out.emplace_back(x0 + spacing * (i % cols), spacing * (i / cols), 0.0);
    }
}

// The CZR graph from the mesh's peer links and HWMP routes; see the header.
class MeshGraphReader
{
  public:
    MeshGraphReader(const NetDeviceContainer& meshPoints,
                    const std::vector<std::vector<uint32_t>>& peers)
      : m_meshPoints(meshPoints)
      , m_peers(peers)
    {
        for (uint32_t i = 0; i < meshPoints.GetN(); ++i)
        {
            Ptr<MeshPointDevice> mp = DynamicCast<MeshPointDevice>(meshPoints.Get(i));
            m_nodeOf[Mac48Address::ConvertFrom(mp->GetAddress())] = i;
            for (const Ptr<NetDevice>& iface : mp->GetInterfaces())
            {
                m_nodeOf[Mac48Address::ConvertFrom(iface->GetAddress())] = i;
            }
        }
    }

    LinkList operator()() const
    {
        std::set<std::pair<uint32_t, uint32_t>> links;
        auto add = [&links, this](uint32_t i, Mac48Address mac)
        {
            auto it = m_nodeOf.find(mac);
            if (it != m_nodeOf.end() && it->second != i)
            {
                links.insert(std::minmax(i, it->second));
            }
        };
        for (uint32_t i = 0; i < m_meshPoints.GetN(); ++i)
        {
            Ptr<MeshPointDevice> mp = DynamicCast<MeshPointDevice>(m_meshPoints.Get(i));
            if (auto pmp = mp->GetObject<dot11s::PeerManagementProtocol>())
            {
                for (const Ptr<NetDevice>& iface : mp->GetInterfaces())
                {
                    for (const Mac48Address& peer : pmp->GetPeers(iface->GetIfIndex()))
                    {
                        add(i, peer); // established peer links only
                    }
                }
            }
            auto hwmp = DynamicCast<dot11s::HwmpProtocol>(mp->GetRoutingProtocol());
            if (!hwmp)
            {
                continue;
            }
            Ptr<dot11s::HwmpRtable> table = hwmp->GetRoutingTable();
            for (uint32_t j : m_peers[i])
            {
                const auto dest = Mac48Address::ConvertFrom(m_meshPoints.Get(j)->GetAddress());
                const auto route = table->LookupReactive(dest);
                if (route.retransmitter != Mac48Address::GetBroadcast())
                {
                    add(i, route.retransmitter);
                }
            }
        }
        return LinkList(links.begin(), links.end());
    }

  private:
    NetDeviceContainer m_meshPoints;
    std::vector<std::vector<uint32_t>> m_peers;
    std::map<Mac48Address, uint32_t> m_nodeOf;
};

void
InstallMobility(const NodeContainer& nodes, const std::vector<Vector>& positions,
                const MeshTopologySpec& spec)
{
    auto alloc = CreateObject<ListPositionAllocator>();
    double xMin = 0, xMax = 0, yMin = 0, yMax = 0;
    for (const Vector& p : positions)
    {
        alloc->Add(p);
        xMin = std::min(xMin, p.x);
        xMax = std::max(xMax, p.x);
        yMin = std::min(yMin, p.y);
        yMax = std::max(yMax, p.y);
    }
    MobilityHelper mobility;
    mobility.SetPositionAllocator(alloc);
    if (spec.speed > 0.0 && spec.layout != "bridge")
    {
        // Slowly moving: a random walk that changes direction every 10 s inside the layout's
        // bounding box (with a margin, so nodes on the edge can still move).
        const double m = 1.0;
        mobility.SetMobilityModel(
            "ns3::RandomWalk2dMobilityModel", "Bounds",
            RectangleValue(Rectangle(xMin - m, xMax + m, yMin - m, yMax + m)), "Mode",
            StringValue("Time"), "Time", TimeValue(Seconds(10)), "Speed",
            StringValue("ns3::ConstantRandomVariable[Constant=" + std::to_string(spec.speed) +
                        "]"));
    }
    else
    {
        mobility.SetMobilityModel("ns3::ConstantPositionMobilityModel");
    }
    mobility.Install(nodes);
    mobility.AssignStreams(nodes, spec.deviceStreamBase);
}

// ns-3 3.37's mesh can spin without advancing time when frames expire in a MAC queue (500 ms
// by default) while peer links fail: the expiry reports a transmission failure, which queues a
// peer-link close frame, whose queueing looks for expired frames again. Seen when the bridge
// returns after a partition. Frames are left to the MAC's retry limit instead.
void
KeepQueuedFramesLonger(const NetDeviceContainer& meshPoints)
{
    for (uint32_t i = 0; i < meshPoints.GetN(); ++i)
    {
        Ptr<MeshPointDevice> mp = DynamicCast<MeshPointDevice>(meshPoints.Get(i));
        for (const Ptr<NetDevice>& iface : mp->GetInterfaces())
        {
            Ptr<WifiMac> mac = DynamicCast<WifiNetDevice>(iface)->GetMac();
            for (AcIndex ac : {AC_BE, AC_BK, AC_VI, AC_VO, AC_BE_NQOS})
            {
                if (Ptr<WifiMacQueue> queue = mac->GetTxopQueue(ac))
                {
                    queue->SetMaxDelay(Seconds(30));
                }
            }
        }
    }
}

void
SetPosition(Ptr<ns3::Node> node, Vector where)
{
    node->GetObject<MobilityModel>()->SetPosition(where);
}

} // namespace

std::vector<Vector>
MeshLayoutPositions(const MeshTopologySpec& spec)
{
    std::vector<Vector> out;
    if (spec.layout == "grid")
    {
        AddGrid(out, spec.nodes, spec.spacing, 0.0);
    }
    else if (spec.layout == "random")
    {
        auto rv = Uniform(spec.streamBase);
        for (uint32_t i = 0; i < spec.nodes; ++i)
        {
            const double x = rv->GetValue(0.0, spec.area);
            out.emplace_back(x, rv->GetValue(0.0, spec.area), 0.0);
        }
    }
    else if (spec.layout == "clustered")
    {
        auto centres = Uniform(spec.streamBase + 1);
        std::vector<Vector> c;
        for (uint32_t k = 0; k < spec.clusters; ++k)
        {
            const double x = centres->GetValue(0.0, spec.area);
            c.emplace_back(x, centres->GetValue(0.0, spec.area), 0.0);
        }
        auto rv = Uniform(spec.streamBase + 2);
        for (uint32_t i = 0; i < spec.nodes; ++i)
        {
            const Vector& centre = c[i % spec.clusters];
            const double r = spec.clusterRadius * std::sqrt(rv->GetValue(0.0, 1.0));
            const double a = rv->GetValue(0.0, 2.0 * M_PI);
            out.emplace_back(centre.x + r * std::cos(a), centre.y + r * std::sin(a), 0.0);
        }
    }
    else // bridge
    {
        const auto cols =
            static_cast<uint32_t>(std::ceil(std::sqrt(static_cast<double>(spec.clusterSize))));
        const double edge = spec.spacing * (cols - 1);
        const double d = 0.75 * spec.range;
        AddGrid(out, spec.clusterSize, spec.spacing, 0.0);
        AddGrid(out, spec.clusterSize, spec.spacing, edge + 2.0 * d);
        out.emplace_back(edge + d, 0.0, 0.0);
    }
    return out;
}

Result<RadioTopology>
BuildMeshTopology(const MeshTopologySpec& spec)
{
    const std::vector<Vector> positions = MeshLayoutPositions(spec);
    const auto n = static_cast<uint32_t>(positions.size());
    if (n < 2)
    {
        return Status::Invalid("topology.mesh: a mesh needs at least 2 nodes");
    }
    RadioTopology topo;
    topo.nodes.Create(n);
    InstallMobility(topo.nodes, positions, spec);

    YansWifiChannelHelper channel;
    channel.SetPropagationDelay("ns3::ConstantSpeedPropagationDelayModel");
    channel.AddPropagationLoss("ns3::RangePropagationLossModel", "MaxRange",
                               DoubleValue(spec.range));
    YansWifiPhyHelper phy;
    phy.SetChannel(channel.Create());

    MeshHelper mesh = MeshHelper::Default();
    mesh.SetStackInstaller("ns3::Dot11sStack");
    mesh.SetSpreadInterfaceChannels(MeshHelper::ZERO_CHANNEL);
    mesh.SetMacType("RandomStart", TimeValue(Seconds(0.1)));
    mesh.SetNumberOfInterfaces(1);
    topo.devices = mesh.Install(phy, topo.nodes);
    mesh.AssignStreams(topo.devices, spec.deviceStreamBase + 1000);
    KeepQueuedFramesLonger(topo.devices);

    InternetStackHelper internet;
    internet.Install(topo.nodes);
    internet.AssignStreams(topo.nodes, spec.deviceStreamBase + 100000);
    Ipv4AddressHelper addresses;
    addresses.SetBase("10.0.0.0", "255.0.0.0");
    addresses.Assign(topo.devices);
    ShortenArpDeadTimeout(topo.nodes, 2.0);

    const auto peers = NearestPeers(positions, spec.peers);
    topo.peers = PeerLinksOf(peers, topo.nodes);
    topo.fullNode.assign(n, true);
    topo.currentLinks = MeshGraphReader(topo.devices, peers);

    if (spec.layout == "bridge" && spec.bridgeBack > spec.bridgeAway)
    {
        Ptr<ns3::Node> bridge = topo.nodes.Get(n - 1);
        const Vector home = positions.back();
        const Vector away(home.x, home.y - 10.0 * spec.range - 1000.0, 0.0);
        Simulator::Schedule(Seconds(spec.bridgeAway), &SetPosition, bridge, away);
        Simulator::Schedule(Seconds(spec.bridgeBack), &SetPosition, bridge, home);
    }
    return topo;
}

} // namespace canon
