// RadioJamming: the jammer adversaries of a radio run (issue 19; scenario `adversaries:` of kind
// jammer, model/run/adversary-spec.h). A jammer is a disc on the map and a window: while it is
// on, every frame a node inside the disc receives is lost with the jammer's probability, in
// whatever form the channel carries it (802.11s mesh frames, 802.11p OCB frames, management and
// routing frames alike), as a jammer raising the noise floor there would do. A node's position is
// read when the frame arrives, so vehicles drive into and out of the disc.
//
// Each Wi-Fi device of every node gets a JammingErrorModel as its PHY's post-reception error
// model; jammed frames are counted per device and summed by Jammed(). Randomness: one ns-3 stream
// per device from `streamBase`, so the same seed loses the same frames. Owned by the run; the
// models live until the simulator is destroyed.
#ifndef CANONSIM_NS3_RADIO_JAMMING_H
#define CANONSIM_NS3_RADIO_JAMMING_H

#include "model/run/adversary-spec.h"

#include "ns3/error-model.h"
#include "ns3/mobility-model.h"
#include "ns3/node-container.h"
#include "ns3/random-variable-stream.h"

#include <memory>
#include <vector>

namespace canon
{

class JammingErrorModel : public ns3::ErrorModel
{
  public:
    static ns3::TypeId GetTypeId();

    // The jammers (kind jammer of `adversaries`) and where the receiving node is.
    void Configure(std::vector<AdversarySpec> jammers, ns3::Ptr<ns3::MobilityModel> position,
                   int64_t stream);
    uint64_t Jammed() const { return m_jammed; }

  private:
    bool DoCorrupt(ns3::Ptr<ns3::Packet> p) override;
    void DoReset() override {}
    // The loss probability at the receiver now: the highest of the jammers that cover it.
    double LossNow() const;

    std::vector<AdversarySpec> m_jammers;
    ns3::Ptr<ns3::MobilityModel> m_position;
    uint64_t m_jammed = 0;
    ns3::Ptr<ns3::UniformRandomVariable> m_uniform =
        ns3::CreateObject<ns3::UniformRandomVariable>();
};

class RadioJamming
{
  public:
    // Installs the models on every Wi-Fi device of `nodes` (none when `adversaries` holds no
    // jammer: nothing is installed and Jammed() stays 0).
    static std::unique_ptr<RadioJamming> Install(const std::vector<AdversarySpec>& adversaries,
                                                 const ns3::NodeContainer& nodes,
                                                 int64_t streamBase);
    uint64_t Jammed() const;
    std::size_t Devices() const { return m_models.size(); }

  private:
    std::vector<ns3::Ptr<JammingErrorModel>> m_models;
};

} // namespace canon

#endif
