#include "model/ns3/radio-jamming.h"

#include "ns3/simulator.h"
#include "ns3/wifi-net-device.h"
#include "ns3/wifi-phy.h"

#include <algorithm>

namespace canon
{

NS_OBJECT_ENSURE_REGISTERED(JammingErrorModel);

ns3::TypeId
JammingErrorModel::GetTypeId()
{
    static ns3::TypeId tid = ns3::TypeId("canon::JammingErrorModel")
                                 .SetParent<ns3::ErrorModel>()
                                 .AddConstructor<JammingErrorModel>();
    return tid;
}

void
JammingErrorModel::Configure(std::vector<AdversarySpec> jammers,
                             ns3::Ptr<ns3::MobilityModel> position, int64_t stream)
{
    m_jammers = std::move(jammers);
    m_position = position;
    m_uniform->SetStream(stream);
}

double
JammingErrorModel::LossNow() const
{
    const TimeNs now = ns3::Simulator::Now().GetNanoSeconds();
    const ns3::Vector at = m_position->GetPosition();
    double loss = 0;
    for (const AdversarySpec& j : m_jammers)
    {
        const bool on = now >= j.from && (j.until <= 0 || now < j.until);
        const double dx = at.x - j.centreX, dy = at.y - j.centreY;
        if (on && dx * dx + dy * dy <= j.radius * j.radius)
        {
            loss = std::max(loss, j.loss);
        }
    }
    return loss;
}

bool
JammingErrorModel::DoCorrupt(ns3::Ptr<ns3::Packet> p)
{
    (void) p;
    const double loss = LossNow();
    if (loss > 0 && m_uniform->GetValue() < loss)
    {
        ++m_jammed;
        return true;
    }
    return false;
}

std::unique_ptr<RadioJamming>
RadioJamming::Install(const std::vector<AdversarySpec>& adversaries,
                      const ns3::NodeContainer& nodes, int64_t streamBase)
{
    std::vector<AdversarySpec> jammers;
    std::copy_if(adversaries.begin(), adversaries.end(), std::back_inserter(jammers),
                 [](const AdversarySpec& a) { return a.kind == AdversaryKind::kJammer; });
    auto out = std::make_unique<RadioJamming>();
    if (jammers.empty())
    {
        return out;
    }
    int64_t stream = streamBase;
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        ns3::Ptr<ns3::Node> node = nodes.Get(i);
        auto position = node->GetObject<ns3::MobilityModel>();
        for (uint32_t d = 0; position && d < node->GetNDevices(); ++d)
        {
            auto wifi = ns3::DynamicCast<ns3::WifiNetDevice>(node->GetDevice(d));
            if (!wifi || !wifi->GetPhy())
            {
                continue;
            }
            auto model = ns3::CreateObject<JammingErrorModel>();
            model->Configure(jammers, position, stream++);
            wifi->GetPhy()->SetPostReceptionErrorModel(model);
            out->m_models.push_back(model);
        }
    }
    return out;
}

uint64_t
RadioJamming::Jammed() const
{
    uint64_t total = 0;
    for (const auto& m : m_models)
    {
        total += m->Jammed();
    }
    return total;
}

} // namespace canon
