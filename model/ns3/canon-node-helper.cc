#include "model/ns3/canon-node-helper.h"

#include "ns3/uinteger.h"

namespace canon
{

CanonNodeHelper::CanonNodeHelper(std::shared_ptr<const ChainParams> params)
  : m_params(std::move(params))
{
    m_factory.SetTypeId(CanonNodeApplication::GetTypeId());
}

void
CanonNodeHelper::SetAttribute(const std::string& name, const ns3::AttributeValue& value)
{
    m_factory.Set(name, value);
}

ns3::ApplicationContainer
CanonNodeHelper::Install(const ns3::NodeContainer& nodes,
                         const std::vector<std::vector<PeerLink>>& peers,
                         const std::vector<std::optional<KeyPair>>& keys) const
{
    NS_ABORT_MSG_UNLESS(peers.size() == nodes.GetN() && keys.size() == nodes.GetN(),
                        "CanonNodeHelper::Install needs peers and keys for every node");
    ns3::ApplicationContainer apps;
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        auto app = m_factory.Create<CanonNodeApplication>();
        app->SetAttribute("NodeIndex", ns3::UintegerValue(i));
        app->SetChainParams(m_params);
        if (keys[i])
        {
            app->SetProducerKey(*keys[i]);
        }
        for (const PeerLink& link : peers[i])
        {
            app->AddPeer(link.peer, link.address, link.light);
        }
        nodes.Get(i)->AddApplication(app);
        apps.Add(app);
    }
    return apps;
}

} // namespace canon
