// RunDriver: one run, engine-agnostic (DESIGN.md 1). From a RunPlan it derives the genesis
// (genesis.h), decides what runs on each node (a Node, a LightNode, or an Adversary driving a
// keyless Node: MakeParticipant), and, once an engine hosts the nodes (RunHost), drives the
// rest: the wallets (workload.h), the CZR loop (czr-loop.h), scheduled crashes, and the
// recorder that turns node events into trace records and the summary (run-recorder.h).
//
// Engines: the abstract network (model/sim/abstract-network.h) and the ns-3 runner
// (scenarios/). Each builds its network from the same topology, hosts the participants
// MakeParticipant returns, forwards every node event to OnEvent and carries out the plan's
// network faults (links, partitions, bursts); the driver does everything else, so the same plan
// and seed mean the same keys, placement, workload and adversaries on either engine.
//
// Lifetime: the driver outlives the host's run (its callbacks are scheduled on the host).
// It owns the run's NonceBook (nonce-book.h), the one nonce counter per node key that the CZR
// loop and the features that sign with node keys share (FeatureContext::nodeNonces).
// Single-threaded.
#ifndef CANONSIM_RUN_RUN_DRIVER_H
#define CANONSIM_RUN_RUN_DRIVER_H

#include "model/node/participant-factory.h"
#include "model/node/seen-tx-set.h"
#include "model/run/adversary-spec.h"
#include "model/run/czr-loop.h"
#include "model/run/fault-plan.h"
#include "model/run/genesis.h"
#include "model/run/run-feature.h"
#include "model/run/run-recorder.h"
#include "model/run/workload.h"

#include <memory>
#include <optional>

namespace canon
{

struct RunPlan
{
    uint64_t seed = 1;
    TimeNs duration = 60 * kSecond;
    GenesisSpec genesis;
    NodeLimits limits;
    WorkloadSpec workload;
    std::optional<CzrLoopSpec> czr; // the CZR engine in the loop; none: genesis set forever
    FaultPlan faults;               // crashes carried out here; the rest by the engine
    std::vector<AdversarySpec> adversaries;
    FeeProducerPolicy feePolicy;       // how producers fill blocks under the fee auction (issue 15)
    std::vector<uint64_t> feeReserves; // per genesis producer index, overriding feePolicy's
    // Features the run drives on top of the chain (run-feature.h), in the order they attach.
    std::vector<std::shared_ptr<RunFeature>> features;
};

class RunDriver
{
  public:
    explicit RunDriver(RunPlan plan);

    const RunPlan& Plan() const { return m_plan; }
    const RunGenesis& Genesis() const { return m_genesis; }
    uint32_t NodeCount() const { return m_plan.genesis.nodes; }
    bool IsLight(uint32_t i) const;
    // Offline genesis producers never start.
    bool Online(uint32_t i) const { return !m_genesis.offline[i]; }
    // The adversary on node i, or nullptr.
    const AdversarySpec* AdversaryOn(uint32_t i) const;
    // Withholders: they collude, so engines that build their own graph link them directly.
    bool IsWithholder(uint32_t i) const;

    // What runs on the seat's node: a LightNode for light nodes, an Adversary (over a keyless
    // follower) for the node of an adversary's producer, else a Node with the node's key.
    std::unique_ptr<Participant> MakeParticipant(const ParticipantSeat& seat) const;
    ParticipantFactory Factory() const;

    // Faults decided after the driver (the property harness draws them on its graph); before
    // Attach.
    void SetFaults(FaultPlan faults) { m_plan.faults = std::move(faults); }
    // Wires the run into the host and schedules it (wallets, CZR loop, crashes). `writer` may
    // be null (summary only).
    void Attach(RunHost& host, TraceWriter* writer);
    // Engines forward every event of every node here.
    void OnEvent(uint32_t node, const NodeEvent& ev);
    // The run's figures now (any number of times).
    RunSummary Summary() const;
    // The fee auction's figures now; nullptr when the plan has no fee auction (issue 15).
    const FeeTotals* FeeFigures() const
    {
        return m_recorder && m_recorder->Fees() ? &m_recorder->Fees()->Totals() : nullptr;
    }
    // Writes the end-of-run records (once, after the host stopped).
    void Finish();
    double CzrEngineSeconds() const { return m_czr ? m_czr->EngineWallSeconds() : 0.0; }

  private:
    // Attaches every run feature (run-feature.h) to the host.
    void AttachFeatures(RunHost& host, TraceWriter* writer);
    AdversaryConfig AdversaryConfigFor(const AdversarySpec& spec,
                                       const ParticipantSeat& seat) const;
    std::string AdversaryKinds() const;
    // The addresses of the workload accounts `spec` censors.
    std::set<Address> CensoredAddresses(const AdversarySpec& spec) const;

    RunPlan m_plan;
    RunGenesis m_genesis;
    std::vector<int> m_adversaryOf; // per node: index into m_plan.adversaries, or -1
    RunSummary m_summary;           // the recorder's running counts
    std::unique_ptr<RunRecorder> m_recorder;
    std::unique_ptr<Workload> m_workload;
    std::unique_ptr<CzrLoop> m_czr;
    // The node keys' nonces, for every submitter that signs with them (nonce-book.h).
    NonceBook m_nodeNonces;
    // The run's numbering of transaction ids, shared by its nodes' seen sets (seen-tx-set.h).
    std::shared_ptr<TxNumbering> m_txNumbering;
};

} // namespace canon

#endif
