#include "model/ns3/network-faults.h"

#include "ns3/point-to-point-channel.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/simulator.h"

#include <set>

namespace canon
{
namespace
{

// A fault plan's time (nanoseconds, validated >= 0 by the scenario reader) on the ns-3 clock.
ns3::Time
AsNs3Time(TimeNs t)
{
    return ns3::NanoSeconds(static_cast<uint64_t>(t));
}

} // namespace

NS_OBJECT_ENSURE_REGISTERED(FaultErrorModel);

ns3::TypeId
FaultErrorModel::GetTypeId()
{
    static ns3::TypeId tid = ns3::TypeId("canon::FaultErrorModel")
                                 .SetParent<ns3::ErrorModel>()
                                 .AddConstructor<FaultErrorModel>();
    return tid;
}

bool
FaultErrorModel::DoCorrupt(ns3::Ptr<ns3::Packet> p)
{
    (void) p;
    if (m_down > 0)
    {
        ++m_droppedDown;
        return true;
    }
    if (m_burstLoss > 0 && m_uniform->GetValue() < m_burstLoss)
    {
        ++m_droppedBurst;
        return true;
    }
    return false;
}

NetworkFaults::NetworkFaults(const FaultPlan& faults, const WiredTopology& topology)
  : m_faults(faults)
  , m_topology(topology)
{
}

Result<std::unique_ptr<NetworkFaults>>
NetworkFaults::Install(const FaultPlan& faults, const WiredTopology& topology, int64_t streamBase)
{
    std::unique_ptr<NetworkFaults> nf(new NetworkFaults(faults, topology));
    for (std::size_t e = 0; e < topology.edges.size(); ++e)
    {
        auto [a, b] = topology.edges[e];
        nf->m_edgeOf[{std::min(a, b), std::max(a, b)}] = e;
    }
    Status valid = CheckFaultPlan(faults, topology.nodes.GetN(), topology.edges);
    if (!valid.IsOk())
    {
        return valid;
    }
    for (const LinkFault& l : faults.links)
    {
        nf->m_linkEdges.push_back(nf->m_edgeOf.at({std::min(l.a, l.b), std::max(l.a, l.b)}));
    }
    for (std::size_t e = 0; e < topology.edgeDevices.size(); ++e)
    {
        auto install = [&](const ns3::Ptr<ns3::NetDevice>& dev, int64_t stream)
        {
            auto model = ns3::CreateObject<FaultErrorModel>();
            model->SetStream(stream);
            ns3::DynamicCast<ns3::PointToPointNetDevice>(dev)->SetReceiveErrorModel(model);
            return model;
        };
        const int64_t stream = streamBase + static_cast<int64_t>(e) * kStreamsPerLink;
        nf->m_models.emplace_back(install(topology.edgeDevices[e].first, stream),
                                  install(topology.edgeDevices[e].second, stream + 1));
    }
    return nf;
}

void
NetworkFaults::SetDown(std::size_t edge, int delta)
{
    m_models[edge].first->AddDown(delta);
    m_models[edge].second->AddDown(delta);
}

void
NetworkFaults::SetBurst(double loss, TimeNs extraDelay, bool on)
{
    const ns3::Time extra = AsNs3Time(extraDelay) * (on ? 1 : -1);
    for (std::size_t e = 0; e < m_models.size(); ++e)
    {
        m_models[e].first->SetBurstLoss(on ? loss : 0.0);
        m_models[e].second->SetBurstLoss(on ? loss : 0.0);
        auto channel = ns3::DynamicCast<ns3::PointToPointChannel>(
            m_topology.edgeDevices[e].first->GetChannel());
        if (channel && extraDelay > 0)
        {
            ns3::TimeValue delay;
            channel->GetAttribute("Delay", delay);
            channel->SetAttribute("Delay", ns3::TimeValue(delay.Get() + extra));
        }
    }
}

void
NetworkFaults::Schedule()
{
    using ns3::Simulator;
    for (std::size_t i = 0; i < m_faults.links.size(); ++i)
    {
        const LinkFault& l = m_faults.links[i];
        Simulator::Schedule(AsNs3Time(l.start), &NetworkFaults::SetDown, this, m_linkEdges[i], 1);
        Simulator::Schedule(AsNs3Time(l.end), &NetworkFaults::SetDown, this, m_linkEdges[i], -1);
    }
    for (const PartitionFault& p : m_faults.partitions)
    {
        const std::set<uint32_t> side(p.nodes.begin(), p.nodes.end());
        for (std::size_t e = 0; e < m_topology.edges.size(); ++e)
        {
            auto [a, b] = m_topology.edges[e];
            if (side.count(a) != side.count(b))
            {
                Simulator::Schedule(AsNs3Time(p.start), &NetworkFaults::SetDown, this, e, 1);
                Simulator::Schedule(AsNs3Time(p.end), &NetworkFaults::SetDown, this, e, -1);
            }
        }
    }
    for (const BurstFault& b : m_faults.bursts)
    {
        Simulator::Schedule(AsNs3Time(b.start), &NetworkFaults::SetBurst, this, b.loss,
                            b.extraDelay, true);
        Simulator::Schedule(AsNs3Time(b.end), &NetworkFaults::SetBurst, this, b.loss, b.extraDelay,
                            false);
    }
}

std::map<std::string, uint64_t>
NetworkFaults::Drops() const
{
    std::map<std::string, uint64_t> out;
    for (const auto& [a, b] : m_models)
    {
        out["link down"] += a->DroppedDown() + b->DroppedDown();
        out["loss burst"] += a->DroppedBurst() + b->DroppedBurst();
    }
    return out;
}

} // namespace canon
