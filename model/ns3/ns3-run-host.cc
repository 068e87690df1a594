#include "model/ns3/ns3-run-host.h"

#include "ns3/ipv4.h"
#include "ns3/mobility-model.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"

namespace canon
{

using namespace ns3;

namespace
{

void
RunCallback(std::function<void()> fn)
{
    fn();
}

} // namespace

Ns3RunHost::Ns3RunHost(std::vector<Ptr<CanonNodeApplication>> apps)
  : m_apps(std::move(apps))
{
}

// Both ends add the other as a peer, as the engine's re-peering of a radio topology does.
bool
Ns3RunHost::Connect(uint32_t a, uint32_t b)
{
    if (!m_connect || a == b || !FullNode(a) || !FullNode(b))
    {
        return false;
    }
    auto address = [this](uint32_t i)
    { return m_apps[i]->GetNode()->GetObject<Ipv4>()->GetAddress(1, 0).GetLocal(); };
    m_apps[a]->AddPeer(b, address(b));
    m_apps[b]->AddPeer(a, address(a));
    return true;
}

void
Ns3RunHost::WatchLinks(const std::vector<Edge>& edges,
                       const std::vector<std::pair<Ptr<NetDevice>, Ptr<NetDevice>>>& devices)
{
    m_edges = edges;
    m_edgeBytes.assign(edges.size(), 0);
    for (std::size_t k = 0; k < devices.size(); ++k)
    {
        auto count = [this, k](Ptr<const Packet> p) { m_edgeBytes[k] += p->GetSize(); };
        devices[k].first->TraceConnectWithoutContext("PhyTxEnd",
                                                     Callback<void, Ptr<const Packet>>(count));
        devices[k].second->TraceConnectWithoutContext("PhyTxEnd",
                                                      Callback<void, Ptr<const Packet>>(count));
    }
}

TimeNs
Ns3RunHost::Now() const
{
    return Simulator::Now().GetNanoSeconds();
}

void
Ns3RunHost::At(TimeNs at, std::function<void()> fn)
{
    const TimeNs delay = std::max<TimeNs>(0, at - Now());
    Simulator::Schedule(NanoSeconds(static_cast<uint64_t>(delay)), &RunCallback, std::move(fn));
}

NodeTraffic
Ns3RunHost::Traffic(uint32_t i) const
{
    const auto& app = m_apps[i];
    return NodeTraffic{app->GetBytesSent(), app->GetBytesOriginated(), app->GetBytesRelayed()};
}

std::vector<Edge>
Ns3RunHost::TakeEpochGraph()
{
    std::vector<Edge> out;
    for (std::size_t k = 0; k < m_edges.size(); ++k)
    {
        if (m_edgeBytes[k] > 0)
        {
            out.push_back(m_edges[k]);
        }
        m_edgeBytes[k] = 0;
    }
    if (m_radio)
    {
        for (const Edge& e : m_radio())
        {
            out.push_back(e);
        }
    }
    return out;
}

std::vector<std::pair<double, double>>
Ns3RunHost::Positions() const
{
    std::vector<std::pair<double, double>> out;
    for (std::size_t i = 0; m_positions && i < m_apps.size(); ++i)
    {
        Ptr<MobilityModel> m = m_apps[i]->GetNode()->GetObject<MobilityModel>();
        const Vector v = m ? m->GetPosition() : Vector();
        out.emplace_back(v.x, v.y);
    }
    return out;
}

} // namespace canon
