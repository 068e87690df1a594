// The deterministic property harness (DESIGN.md 3, after TigerBeetle's VOPR and FoundationDB's
// simulation testing): the abstract engine (abstract-network.h) on a random graph, driven by
// the shared run driver (model/run/run-driver.h: genesis, wallets, CZR loop, adversaries,
// recorder), with the safety checkers (safety-checker.h) after every step and faults drawn from
// the seed. The same config and seed give the same run, event for event; a violation names the
// seed that reproduces it. Single-threaded; owns its network and driver.
//
// The graph: a random spanning tree plus extra random edges, every link with `link`'s latency
// and bandwidth; withholding adversaries are also linked directly to each other (they collude).
// Light participants (lightNodes) are extra nodes after the full ones, each linked to
// lightPeersPerNode random full nodes; their wallets are part of the workload like any node's.
#ifndef CANONSIM_SIM_HARNESS_H
#define CANONSIM_SIM_HARNESS_H

#include "model/run/run-driver.h"
#include "model/sim/abstract-network.h"
#include "model/sim/safety-checker.h"

#include <memory>
#include <string>
#include <vector>

namespace canon
{

struct LinkModel
{
    TimeNs latency = 20 * kMillisecond;
    TimeNs jitter = 10 * kMillisecond;       // uniform extra delay in [0, jitter)
    double bandwidthBytesPerSecond = 1.25e6; // 10 Mbit/s; each direction queues its messages
    double loss = 0.0;
    double duplicate = 0.0;
};

struct HarnessConfig
{
    uint64_t seed = 1;
    uint32_t nodeCount = 30;
    uint32_t producerCount = 21;
    // Extra random edges per node on top of a random spanning tree.
    uint32_t extraEdgesPerNode = 2;
    TimeNs slotDuration = 1 * kSecond;
    uint32_t finalityThresholdOverride = 0; // see ChainParams
    LinkModel link;
    double txPerSecond = 20.0;
    uint32_t accounts = 64;
    // Producers (by index into the producer set) that are never started.
    std::vector<uint32_t> offlineProducers;
    FaultPlan faults;
    // Faults drawn from the seed until `randomFaultsUntil` (0: none): loss, duplication, extra
    // jitter, partitions, crashes, link failures and bursts of loss and delay; after it the
    // network is healthy.
    TimeNs randomFaultsUntil = 0;
    // Byzantine producers. Withholders are one coalition, linked directly to each other.
    std::vector<AdversarySpec> adversaries;
    // On top of those, 0..randomAdversariesMax adversaries of kinds drawn from the seed (on
    // distinct producers; withholders then hide their chain within [0, randomFaultsUntil)).
    uint32_t randomAdversariesMax = 0;
    // And 0..randomAttackersMax network attackers (issue 19): tx-spam or flood of a variant and
    // a rate (2..20 messages a second to each peer: bad signatures cost real checks) drawn from
    // the seed, each on a full node that holds no genesis producer key, attacking all run long
    // (defences: limits.guard).
    uint32_t randomAttackersMax = 0;
    NodeLimits limits;
    // The CZR engine in the loop (PROTOCOL.md 2.1, 2.2): every this many slots it scores the
    // epoch, every live node claims, the engine reports on chain two slots later and half the
    // accounts vote for the top claimants. 0: off (the genesis producer set stays in force).
    uint32_t czrEpochSlots = 0;
    // The claim rule's bound (CzrLoopSpec::claimRankMax; 0: everyone claims, the report names
    // everyone).
    uint32_t czrClaimRankMax = 0;
    // Light participants, numbered nodeCount..nodeCount+lightNodes-1.
    uint32_t lightNodes = 0;
    uint32_t lightPeersPerNode = 2;
    // Transactions a block holds (0: the chain's default), and the fee auction (issue 15; the
    // scenario file's `fees:` section, planned by PlanFees in model/run/scenario-plan.h).
    uint32_t blockTxMax = 0;
    FeesConfig fees;
    // The consensus protocol and the baselines' parameters (issue 14). The members (who may
    // produce) default to every full node's key, in node order, when left empty.
    ConsensusParams consensus;
};

// Sets `c` to run protocol `p` at the harness's timings, which finalise within the healthy
// minute of the property run: PoP as configured; DPoS with N producers of 2 blocks a turn in
// 0.5 s slots; PoS with f = 0.5, k = 5 and 30-slot epochs; PoW with a 2 s mean interval on 50 ms
// ticks, k = 6; PoI with a 4 s target, recomputed every 10 blocks, 8 blocks deep. A protocol this
// build has no engine for leaves PoP.
void UseProtocol(Protocol p, HarnessConfig& c);

using HarnessReport = RunSummary;

class Harness
{
  public:
    explicit Harness(HarnessConfig config);

    // Runs every event up to and including time t.
    void RunUntil(TimeNs t) { m_network->RunUntil(t); }
    TimeNs Now() const { return m_network->Now(); }
    // The figures now, with the checkers' violations.
    HarnessReport Report() const;
    // The fee auction's figures so far (irreversible blocks); nullptr without `fees`.
    const FeeTotals* Fees() const { return m_driver->FeeFigures(); }

    const HarnessConfig& Config() const { return m_config; }
    const ChainParams& Params() const { return *m_driver->Genesis().params; }
    // Nullptr while the node is down, and for a light participant.
    const Node* GetNode(uint32_t i) const { return m_network->FullNode(i); }
    // Nullptr while it is down, and for a full node.
    const LightNode* GetLightNode(uint32_t i) const { return m_network->Light(i); }
    uint32_t NodeCount() const { return m_network->NodeCount(); }
    // Producer index of node i, or -1.
    int ProducerIndexOfNode(uint32_t i) const { return m_driver->Genesis().producerOf[i]; }
    // The node's adversary, or nullptr when it is honest or down.
    const Adversary* GetAdversary(uint32_t i) const { return m_network->AdversaryAt(i); }
    bool IsByzantine(uint32_t i) const { return m_driver->AdversaryOn(i) != nullptr; }
    // The adversaries in force (configured and drawn), in producer order.
    const std::vector<AdversarySpec>& Adversaries() const { return m_driver->Plan().adversaries; }

    // Fault injection between runs (tests use these directly).
    void SetPartition(std::vector<uint32_t> side) { m_network->SetPartition(std::move(side)); }
    void Heal() { m_network->Heal(); }
    void Crash(uint32_t node) { m_network->Crash(node); }
    void Restart(uint32_t node) { m_network->Restart(node); }
    void SubmitTransaction(uint32_t node, const Transaction& tx) { m_network->Submit(node, tx); }

  private:
    RunPlan MakePlan() const;
    void DrawAdversaries();
    void DrawAttackers();
    std::vector<AbstractLink> BuildGraph() const;
    void AddLightLinks(std::vector<AbstractLink>& links) const;
    AbstractLink MakeLink(uint32_t a, uint32_t b) const;
    void DrawRandomFaults(const std::vector<AbstractLink>& links, AbstractNetworkSpec& spec);

    HarnessConfig m_config;
    std::unique_ptr<RunDriver> m_driver;
    std::unique_ptr<AbstractNetwork> m_network;
    std::unique_ptr<SafetyChecker> m_checker;
};

} // namespace canon

#endif
