// The deterministic in-process harness (DESIGN.md 3, after TigerBeetle's VOPR and
// FoundationDB's simulation testing): N Nodes driven by one event queue, a packet model with
// latency, jitter, bandwidth, loss, duplication and partitions, crash/restart, a transaction
// workload, and checkers that run after every step:
//   - agreement: no two nodes ever hold different irreversible blocks at one height;
//   - supply: every node's best state holds exactly the genesis supply;
//   - monotonic finality: a node's irreversible height never goes back (per incarnation: a node
//     restarted without storage starts again from genesis).
// The same config and seed give the same run, event for event; a violation report names the
// seed that reproduces it. Single-threaded; owns its nodes.
//
// Light participants (light-node.h, HarnessConfig::lightNodes) are extra nodes after the full
// ones, each linked to a few random full nodes; the checkers speak for full nodes only. Each
// submits one transfer from its own (genesis-funded) key every lightTxInterval.
#ifndef CANONSIM_SIM_HARNESS_H
#define CANONSIM_SIM_HARNESS_H

#include "model/core/rng.h"
#include "model/czr/czr-epoch.h"
#include "model/node/adversary.h"
#include "model/node/light-node.h"
#include "model/node/node.h"
#include "model/sim/run-summary.h"

#include <map>
#include <memory>
#include <queue>
#include <set>
#include <string>
#include <vector>

namespace canon
{

struct LinkModel
{
    TimeNs latency = 20 * kMillisecond;
    TimeNs jitter = 10 * kMillisecond;       // uniform extra delay in [0, jitter)
    double bandwidthBytesPerSecond = 1.25e6; // 10 Mbit/s; each directed link queues its packets
    double loss = 0.0;
    double duplicate = 0.0;
};

// Between `start` and `end` a message crosses only between nodes with the same side[node].
struct PartitionSpec
{
    TimeNs start = 0;
    TimeNs end = 0;
    std::vector<uint32_t> side;
};

// Between `start` and `end` the link between nodes a and b carries nothing, either way.
struct LinkFailureSpec
{
    uint32_t a = 0;
    uint32_t b = 0;
    TimeNs start = 0;
    TimeNs end = 0;
};

// Between `start` and `end` every message is also lost with `loss` and delayed by up to
// `extraDelay` more (a congested or fading network).
struct BurstSpec
{
    TimeNs start = 0;
    TimeNs end = 0;
    double loss = 0.0;
    TimeNs extraDelay = 0;
};

// The node loses everything but its key and last signed slot at `at`, and starts afresh from
// genesis at `restartAt` (never, when restartAt <= at).
struct CrashSpec
{
    uint32_t node = 0;
    TimeNs at = 0;
    TimeNs restartAt = 0;
};

// A byzantine producer (adversary.h) on the node that holds genesis producer `producer`.
struct AdversarySpec
{
    uint32_t producer = 0;
    AdversaryKind kind = AdversaryKind::kEquivocator;
    TimeNs withholdFrom = 0; // withholder
    TimeNs releaseAt = 0;
    std::vector<uint32_t> censoredAccounts; // censor: workload account indices
    double overclaimFactor = 3.0;           // over-claimer
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
    std::vector<PartitionSpec> partitions;
    std::vector<CrashSpec> crashes;
    std::vector<LinkFailureSpec> linkFailures;
    std::vector<BurstSpec> bursts;
    // Faults drawn from the seed until `randomFaultsUntil` (0: none): loss, duplication, extra
    // jitter, partitions, crashes, link failures and bursts of loss and delay; after it the
    // network is healthy.
    TimeNs randomFaultsUntil = 0;
    // Byzantine producers. Withholders are one coalition, linked directly to each other.
    std::vector<AdversarySpec> adversaries;
    // On top of those, 0..randomAdversariesMax adversaries of kinds drawn from the seed (on
    // distinct producers; withholders then hide their chain within [0, randomFaultsUntil)).
    uint32_t randomAdversariesMax = 0;
    NodeLimits limits;
    // The CZR engine in the loop (PROTOCOL.md 2.1, 2.2): every this many slots it scores the
    // epoch from the harness's own traffic counters, every live node claims, the engine reports
    // on chain two slots later and half the accounts vote for the top claimants. 0: off (the
    // genesis producer set stays in force).
    uint32_t czrEpochSlots = 0;
    // Light participants, numbered nodeCount..nodeCount+lightNodes-1, each linked to
    // lightPeersPerNode distinct random full nodes.
    uint32_t lightNodes = 0;
    uint32_t lightPeersPerNode = 2;
    TimeNs lightTxInterval = 1 * kSecond;
};

using HarnessReport = RunSummary;

class Harness
{
  public:
    explicit Harness(HarnessConfig config);

    // Runs every event up to and including time t.
    void RunUntil(TimeNs t);
    TimeNs Now() const { return m_now; }
    HarnessReport Report() const;

    const HarnessConfig& Config() const { return m_config; }
    const ChainParams& Params() const { return *m_params; }
    // Nullptr while the node is down, and for a light participant.
    const Node* GetNode(uint32_t i) const { return m_nodes[i].node.get(); }
    // Nullptr while it is down, and for a full node.
    const LightNode* GetLightNode(uint32_t i) const { return m_nodes[i].light.get(); }
    uint32_t NodeCount() const { return static_cast<uint32_t>(m_nodes.size()); }
    // Producer index of node i, or -1.
    int ProducerIndexOfNode(uint32_t i) const { return m_nodes[i].producerIndex; }
    // The node's adversary, or nullptr when it is honest or down.
    const Adversary* GetAdversary(uint32_t i) const { return m_nodes[i].adversary.get(); }
    bool IsByzantine(uint32_t i) const { return m_nodes[i].spec.has_value(); }
    // The adversaries in force (configured and drawn), in producer order.
    const std::vector<AdversarySpec>& Adversaries() const { return m_config.adversaries; }

    // Fault injection between runs (tests use these directly).
    void SetPartition(std::vector<uint32_t> side) { m_side = std::move(side); }
    void Heal() { m_side.assign(m_nodes.size(), 0); }
    void Crash(uint32_t node);
    void Restart(uint32_t node);
    void SubmitTransaction(uint32_t node, const Transaction& tx);

  private:
    enum class EventKind : uint8_t
    {
        kDeliver,
        kTimer,
        kStart,
        kWorkload,
        kCrash,
        kRestart,
        kPartitionBegin,
        kPartitionEnd,
        kHeal,
        kCzrEpoch,
        kCzrReport,
        kVotes,
        kLightWorkload,
    };
    struct Event
    {
        TimeNs at = 0;
        uint64_t seq = 0;
        EventKind kind = EventKind::kDeliver;
        uint32_t node = 0;
        uint32_t from = 0;
        uint64_t generation = 0; // timers: stale when it differs from the node's
        uint32_t index = 0;      // partitions: which spec
        SharedBytes bytes;
    };
    struct Later
    {
        bool operator()(const Event& a, const Event& b) const
        {
            return a.at != b.at ? a.at > b.at : a.seq > b.seq;
        }
    };
    struct Link
    {
        uint32_t to = 0;
        TimeNs busyUntil = 0;
        uint64_t bytesThisEpoch = 0;
    };
    struct SimNode
    {
        std::unique_ptr<Node> node; // an adversary's follower when `spec` is set
        std::unique_ptr<Adversary> adversary;
        std::unique_ptr<LightNode> light; // instead of `node` on a light participant
        bool isLight = false;
        uint64_t walletNonce = 0; // a light participant's own wallet
        std::optional<AdversarySpec> spec;
        std::optional<KeyPair> key;
        int producerIndex = -1;
        std::vector<Link> links;
        uint64_t timerGeneration = 0;
        uint64_t incarnation = 0;
        uint64_t lastSignedSlot = 0;
        uint64_t libHeight = 0;
        Hash256 bestHash{};
        uint64_t bytesSent = 0;
        uint64_t bytesOriginated = 0; // this CZR epoch
        uint64_t bytesRelayed = 0;    // this CZR epoch
    };

    void BuildTopology();
    void BuildParams();
    void DrawRandomFaults();
    void DrawAdversaries();
    void PlaceAdversaries();
    void Schedule(Event e);
    void Dispatch(const Event& e);
    void StepNode(uint32_t i, const Input& input);
    void CarryOut(uint32_t i, Actions& actions);
    void Send(uint32_t from, uint32_t to, const SharedBytes& bytes);
    void RunWorkload();
    void RunLightWorkload();
    void BuildLightLinks();
    bool Alive(const SimNode& sn) const { return sn.node || sn.light; }
    void Check(uint32_t i);
    void CzrEpoch();
    void CzrReport();
    void Votes();
    void InclusionDelays(const PopChain& chain, HarnessReport& r) const;
    // The node whose best chain is highest (lowest index on ties), or -1 if all are down.
    int BestLiveNode() const;
    void Violation(const std::string& what);
    bool Connected(uint32_t a, uint32_t b) const { return m_side[a] == m_side[b]; }
    bool LinkDown(uint32_t a, uint32_t b) const;

    HarnessConfig m_config;
    std::shared_ptr<ChainParams> m_params;
    std::vector<SimNode> m_nodes;
    std::vector<KeyPair> m_accounts;
    std::vector<uint64_t> m_walletNonce; // per account: the nonce its wallet uses next
    KeyPair m_oracle = KeyPair::FromSeed(Hash256{});
    uint64_t m_oracleNonce = 0;
    std::vector<uint64_t> m_claimNonce; // per node
    uint64_t m_czrEpoch = 0;
    CzrReportPayload m_pendingReport;
    std::priority_queue<Event, std::vector<Event>, Later> m_queue;
    uint64_t m_seq = 0;
    TimeNs m_now = 0;
    std::vector<uint32_t> m_side;
    LinkModel m_activeLink;
    Rng m_netRng;
    Rng m_workloadRng;
    // Irreversible hash per height as first seen by any node: the agreement checker's record.
    std::vector<Hash256> m_irreversible;
    TimeNs m_lastFinalityAt = 0; // when any honest node's irreversible block last moved up
    uint64_t m_libHeightMax = 0;
    std::map<Hash256, TimeNs> m_submittedAt; // workload transfers, by id: inclusion delays
    std::set<Address> m_censored;
    Actions m_actions;
    HarnessReport m_report;
};

} // namespace canon

#endif
