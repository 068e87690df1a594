// NetworkFaults: the harness's link failures, partitions and bursts of loss and delay, on the
// point-to-point links of a wired ns-3 topology (scenario keys faults.links, faults.partitions
// and faults.bursts; model/run/fault-plan.h).
//
// Every link device gets one FaultErrorModel as its receive error model. A frame is dropped while
// its link is down (a link fault, or a partition the link crosses) and, during a burst, with the
// burst's probability; drops are counted by reason. A burst's delay is added to the latency of
// every link's channel and taken off again when it ends. Routing does not change: a failed link
// loses what is sent over it, and TCP and the nodes' reconnects and sync must cope, as they
// would with a dead cable behind static routes.
//
// Randomness: one ns-3 stream per link device, from `streamBase` (AssignStreams-style), so the
// same seed drops the same frames. Owned by the run; lives until the simulator is destroyed.
#ifndef CANONSIM_NS3_NETWORK_FAULTS_H
#define CANONSIM_NS3_NETWORK_FAULTS_H

#include "model/core/status.h"
#include "model/ns3/wired-topology.h"
#include "model/run/fault-plan.h"

#include "ns3/error-model.h"
#include "ns3/random-variable-stream.h"

#include <map>
#include <memory>
#include <string>

namespace canon
{

class FaultErrorModel : public ns3::ErrorModel
{
  public:
    static ns3::TypeId GetTypeId();

    // Link faults and partitions nest: the link is down while any of them holds it.
    void AddDown(int delta) { m_down += delta; }
    void SetBurstLoss(double loss) { m_burstLoss = loss; }
    void SetStream(int64_t stream) { m_uniform->SetStream(stream); }
    uint64_t DroppedDown() const { return m_droppedDown; }
    uint64_t DroppedBurst() const { return m_droppedBurst; }

  private:
    bool DoCorrupt(ns3::Ptr<ns3::Packet> p) override;
    void DoReset() override {}

    int m_down = 0;
    double m_burstLoss = 0.0;
    uint64_t m_droppedDown = 0;
    uint64_t m_droppedBurst = 0;
    ns3::Ptr<ns3::UniformRandomVariable> m_uniform =
        ns3::CreateObject<ns3::UniformRandomVariable>();
};

class NetworkFaults
{
  public:
    static constexpr int64_t kStreamsPerLink = 2;

    // Checks `faults` against the built topology (a link fault must name two linked nodes) and
    // installs the error models. Errors name the scenario key.
    static Result<std::unique_ptr<NetworkFaults>>
    Install(const FaultPlan& faults, const WiredTopology& topology, int64_t streamBase);
    // Schedules every window on the ns-3 simulator.
    void Schedule();
    // Frames dropped, by reason ("link down", "loss burst").
    std::map<std::string, uint64_t> Drops() const;

  private:
    NetworkFaults(const FaultPlan& faults, const WiredTopology& topology);
    void SetDown(std::size_t edge, int delta);
    void SetBurst(double loss, TimeNs extraDelay, bool on);

    const FaultPlan& m_faults;
    const WiredTopology& m_topology;
    std::vector<std::pair<ns3::Ptr<FaultErrorModel>, ns3::Ptr<FaultErrorModel>>> m_models;
    std::map<std::pair<uint32_t, uint32_t>, std::size_t> m_edgeOf; // (low, high) -> edge
    std::vector<std::size_t> m_linkEdges;                          // per faults.links entry
};

} // namespace canon

#endif
