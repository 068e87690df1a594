// Ns3RunHost: the ns-3 engine's side of RunHost (model/run/run-host.h), a thin adapter. Time is
// ns-3's clock, callbacks are Simulator events, nodes are the CanonNodeApplications, local
// submissions go straight to an application, and the CZR epoch graph is the set of
// point-to-point links whose devices finished sending a frame this epoch (PhyTxEnd) or, on
// radio, the network's own neighbour state (radio-topology.h).
//
// Owned by the runner; lives until the simulator is destroyed.
#ifndef CANONSIM_NS3_NS3_RUN_HOST_H
#define CANONSIM_NS3_NS3_RUN_HOST_H

#include "model/ns3/canon-node-application.h"
#include "model/run/run-host.h"

#include "ns3/net-device.h"

namespace canon
{

class Ns3RunHost : public RunHost
{
  public:
    explicit Ns3RunHost(std::vector<ns3::Ptr<CanonNodeApplication>> apps);

    // Counts frames on these links (edges a, b and the device at each end) for the epoch graph.
    void WatchLinks(
        const std::vector<Edge>& edges,
        const std::vector<std::pair<ns3::Ptr<ns3::NetDevice>, ns3::Ptr<ns3::NetDevice>>>& devices);
    // Radio: the epoch graph is what this returns.
    void SetRadioGraph(std::function<std::vector<Edge>()> graph) { m_radio = std::move(graph); }
    // Radio: Positions() reads the nodes' mobility models (wired nodes have no position; one
    // placed there for an animation is not the network's).
    void ReportPositions() { m_positions = true; }
    // Radio: every node has one address (its radio interface), so Connect can reach any node.
    void AllowConnect() { m_connect = true; }

    TimeNs Now() const override;
    void At(TimeNs at, std::function<void()> fn) override;
    uint32_t NodeCount() const override { return static_cast<uint32_t>(m_apps.size()); }
    bool IsLightNode(uint32_t i) const override { return m_apps[i]->IsLight(); }
    const Node* FullNode(uint32_t i) const override { return m_apps[i]->GetCanonNode(); }
    const LightNode* Light(uint32_t i) const override { return m_apps[i]->GetLightNode(); }
    const Adversary* AdversaryAt(uint32_t i) const override { return m_apps[i]->GetAdversary(); }
    void Submit(uint32_t i, const Transaction& tx) override { m_apps[i]->SubmitTransaction(tx); }
    void AtNode(uint32_t i, LocalWork work) override { m_apps[i]->RunLocal(std::move(work)); }
    NodeTraffic Traffic(uint32_t i) const override;
    std::vector<Edge> TakeEpochGraph() override;
    std::vector<std::pair<double, double>> Positions() const override;
    void Crash(uint32_t i) override { m_apps[i]->Crash(); }
    void Restart(uint32_t i) override { m_apps[i]->Restart(); }
    bool Connect(uint32_t a, uint32_t b) override;

  private:
    std::vector<ns3::Ptr<CanonNodeApplication>> m_apps;
    std::vector<Edge> m_edges;
    std::vector<uint64_t> m_edgeBytes; // this epoch, both directions
    std::function<std::vector<Edge>()> m_radio;
    bool m_positions = false;
    bool m_connect = false;
};

} // namespace canon

#endif
