#include "scenarios/run-scenario.h"

#include "model/ns3/canon-node-helper.h"
#include "model/ns3/transaction-workload.h"
#include "model/ns3/wired-topology.h"
#include "model/trace/trace-writer.h"

#include "canonsim-version.h"

#include "ns3/double.h"
#include "ns3/random-variable-stream.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_set>

namespace canon
{

using namespace ns3;

namespace
{

// ns-3 random stream numbers, one block per purpose (DESIGN.md 4.4).
constexpr int64_t kTopologyStreams = 0;
constexpr int64_t kPlacementStream = 10;
constexpr int64_t kWorkloadStreams = 100; // 3 per node from here

#ifndef CANONSIM_NS3_VERSION
#define CANONSIM_NS3_VERSION "unknown"
#endif

double
NowSeconds()
{
    return Simulator::Now().GetSeconds();
}

// Turns node events into trace records and summary figures.
class RunRecorder
{
  public:
    RunRecorder(TraceWriter& writer, RunSummary& summary, const ChainParams& params,
                const std::vector<Ptr<CanonNodeApplication>>& apps,
                const std::vector<int>& producerOfNode, std::map<Address, uint32_t> accountIndex)
      : m_writer(writer)
      , m_summary(summary)
      , m_params(params)
      , m_apps(apps)
      , m_producerOfNode(producerOfNode)
      , m_accountIndex(std::move(accountIndex))
    {
    }

    void OnProduced(uint32_t node, const NodeEvent& ev)
    {
        Observe(node, ev);
        const BlockEntry* e = Lookup(node, ev.hash);
        BlockProducedRecord r{};
        r.time = NowSeconds();
        r.node = node;
        r.producer = ev.producer;
        r.height = ev.height;
        r.slot = ev.slot;
        r.hash = HashPrefix64(ev.hash);
        r.parent = e ? HashPrefix64(e->block->header.parent) : 0;
        r.tx_count = static_cast<uint32_t>(ev.count);
        r.bytes = static_cast<uint32_t>(ev.bytes);
        m_writer.Add(r);
        if (e)
        {
            AddTransactions(*e, node, TxEvent::kIncluded);
        }
    }

    void OnReceived(uint32_t node, const NodeEvent& ev)
    {
        Observe(node, ev);
        BlockArrivalRecord r{};
        r.time = NowSeconds();
        r.node = node;
        r.from_node = ev.peer;
        r.height = ev.height;
        r.slot = ev.slot;
        r.hash = HashPrefix64(ev.hash);
        r.slot_start = ToSeconds(m_params.SlotStart(ev.slot));
        m_writer.Add(r);
    }

    void OnIrreversible(uint32_t node, const NodeEvent& ev)
    {
        Observe(node, ev);
        IrreversibleRecord r{};
        r.time = NowSeconds();
        r.node = node;
        r.height = ev.height;
        r.slot = ev.slot;
        r.hash = HashPrefix64(ev.hash);
        r.slot_start = ToSeconds(m_params.SlotStart(ev.slot));
        m_writer.Add(r);
        if (m_finalBlocks.insert(ev.hash).second)
        {
            if (const BlockEntry* e = Lookup(node, ev.hash))
            {
                AddTransactions(*e, node, TxEvent::kIrreversible);
            }
        }
    }

    void OnDropped(uint32_t node, const NodeEvent& ev)
    {
        Observe(node, ev);
        DropRecord r{};
        r.time = NowSeconds();
        r.node = node;
        r.peer = ev.peer;
        r.message_type = static_cast<uint8_t>(ev.messageType);
        std::strncpy(r.reason, ev.reason.c_str(), sizeof r.reason - 1);
        m_writer.Add(r);
    }

    void OnOther(uint32_t node, const NodeEvent& ev) { Observe(node, ev); }

    void OnSubmitted(uint32_t node, uint32_t account, const Transaction& tx)
    {
        ++m_summary.txSubmitted;
        TransactionRecord r{};
        r.time = NowSeconds();
        r.tx = HashPrefix64(tx.Id());
        r.event = static_cast<uint8_t>(TxEvent::kSubmitted);
        r.node = node;
        r.account = account;
        r.fee = tx.fee;
        m_writer.Add(r);
    }

  private:
    void Observe(uint32_t node, const NodeEvent& ev)
    {
        m_summary.Observe(Simulator::Now().GetNanoSeconds(), m_producerOfNode[node], ev, m_params);
    }

    const BlockEntry* Lookup(uint32_t node, const Hash256& hash) const
    {
        const Node* n = m_apps[node]->GetCanonNode();
        return n ? n->Chain().Find(hash) : nullptr;
    }

    void AddTransactions(const BlockEntry& e, uint32_t node, TxEvent event)
    {
        for (const Transaction& tx : e.block->txs)
        {
            TransactionRecord r{};
            r.time = NowSeconds();
            r.tx = HashPrefix64(tx.Id());
            r.event = static_cast<uint8_t>(event);
            r.node = node;
            auto it = m_accountIndex.find(tx.SenderAddress());
            r.account = it == m_accountIndex.end() ? UINT32_MAX : it->second;
            r.fee = tx.fee;
            r.height = e.height;
            r.block = HashPrefix64(e.hash);
            m_writer.Add(r);
        }
    }

    TraceWriter& m_writer;
    RunSummary& m_summary;
    const ChainParams& m_params;
    const std::vector<Ptr<CanonNodeApplication>>& m_apps;
    const std::vector<int>& m_producerOfNode;
    std::map<Address, uint32_t> m_accountIndex;
    std::unordered_set<Hash256, Hash256Hasher> m_finalBlocks;
};

// Prints "sim 123.0/600.0 s | wall 12.3 s | 850k events/s | ETA 48 s" on stderr: in place on
// a terminal, every tenth of the run otherwise.
class Progress
{
  public:
    explicit Progress(double durationSeconds)
      : m_duration(durationSeconds)
      , m_interval(std::max(1.0, durationSeconds / 100.0))
      , m_tty(isatty(STDERR_FILENO) != 0)
      , m_start(std::chrono::steady_clock::now())
    {
        Simulator::Schedule(Seconds(m_interval), &Progress::Tick, this);
    }

    void Finish() { Print(true); }

  private:
    void Tick()
    {
        Print(false);
        if (NowSeconds() + m_interval <= m_duration)
        {
            Simulator::Schedule(Seconds(m_interval), &Progress::Tick, this);
        }
    }

    void Print(bool last)
    {
        const double wall =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
        const double sim = NowSeconds();
        const uint64_t events = Simulator::GetEventCount();
        const double rate = wall > 0 ? static_cast<double>(events) / wall : 0.0;
        const double eta = sim > 0 ? wall * (m_duration - sim) / sim : 0.0;
        const int tenth = static_cast<int>(10.0 * sim / m_duration);
        if (!m_tty && !last && tenth == m_lastTenth)
        {
            return;
        }
        m_lastTenth = tenth;
        std::fprintf(stderr, "%ssim %.1f/%.1f s | wall %.1f s | %.0fk events/s | ETA %.0f s%s",
                     m_tty ? "\r" : "", sim, m_duration, wall, rate / 1000.0, eta,
                     (m_tty && !last) ? "   " : "\n");
        std::fflush(stderr);
    }

    double m_duration;
    double m_interval;
    bool m_tty;
    int m_lastTenth = -1;
    std::chrono::steady_clock::time_point m_start;
};

std::shared_ptr<ChainParams>
MakeChainParams(const ScenarioConfig& c, std::vector<KeyPair>& producers,
                std::vector<KeyPair>& accounts)
{
    auto params = std::make_shared<ChainParams>();
    params->slotDuration = static_cast<TimeNs>(std::llround(c.consensus.slotSeconds * 1e9));
    params->blockSizeBytesMax = c.consensus.blockSizeBytesMax;
    params->blockTxMax = c.consensus.blockTxMax;
    params->finalityThresholdOverride = c.consensus.finalityThreshold;
    params->czc.push_back({0, Blake2b256(std::string("CanonChain CZC rules v1"))});
    for (uint32_t p = 0; p < c.consensus.producers; ++p)
    {
        producers.push_back(DeriveKeyPair(c.seed, "producer", p));
        params->producers.push_back(producers.back().Public());
    }
    std::vector<Address> investors;
    for (uint32_t a = 0; a < c.workload.accounts; ++a)
    {
        accounts.push_back(DeriveKeyPair(c.seed, "account", a));
        investors.push_back(accounts.back().GetAddress());
    }
    params->genesis = MakeGenesisAllocation(investors, Blake2b256(std::string("team")),
                                            Blake2b256(std::string("community")));
    return params;
}

WiredTopologySpec
MakeTopologySpec(const TopologyConfig& t)
{
    WiredTopologySpec spec;
    spec.nodes = t.nodes;
    spec.averageDegree = t.averageDegree;
    if (t.kind == "file")
    {
        spec.file = t.file;
        spec.format = t.format;
    }
    spec.latencyMinMs = t.linkLatencyMinMs;
    spec.latencyMaxMs = t.linkLatencyMaxMs;
    spec.linkMbps = t.linkBandwidthMbps;
    spec.access.clear();
    for (const auto& a : t.access)
    {
        spec.access.push_back({a.share, a.bandwidthMbps});
    }
    spec.streamBase = kTopologyStreams;
    return spec;
}

// Producer index per node (-1 for plain nodes): producers sit on nodes drawn at random.
std::vector<int>
PlaceProducers(uint32_t nodes, uint32_t producers)
{
    std::vector<uint32_t> order(nodes);
    for (uint32_t i = 0; i < nodes; ++i)
    {
        order[i] = i;
    }
    auto rv = CreateObject<UniformRandomVariable>();
    rv->SetStream(kPlacementStream);
    for (uint32_t i = nodes; i > 1; --i)
    {
        const auto j = std::min(i - 1, static_cast<uint32_t>(rv->GetValue(0.0, i)));
        std::swap(order[i - 1], order[j]);
    }
    std::vector<int> producerOf(nodes, -1);
    for (uint32_t p = 0; p < producers; ++p)
    {
        producerOf[order[p]] = static_cast<int>(p);
    }
    return producerOf;
}

// Slots without a block on the reference node's best chain, with their scheduled producer.
void
RecordMissedSlots(const PopChain& chain, TraceWriter& writer)
{
    std::vector<const BlockEntry*> path;
    for (const BlockEntry* e = chain.Best(); e; e = e->parent)
    {
        path.push_back(e);
    }
    std::reverse(path.begin(), path.end());
    for (std::size_t k = 0; k + 1 < path.size(); ++k)
    {
        for (uint64_t slot = path[k]->slot + 1; slot < path[k + 1]->slot; ++slot)
        {
            MissedSlotRecord r{};
            r.slot = slot;
            r.producer = chain.ProducerFor(path[k], slot);
            r.slot_start = ToSeconds(chain.Params().SlotStart(slot));
            writer.Add(r);
        }
    }
}

// End-of-run agreement check: every live node's irreversible chain is a prefix of, or extends,
// the reference node's.
void
CheckAgreement(const std::vector<const Node*>& live, const Node& ref, RunSummary& summary)
{
    for (const Node* n : live)
    {
        const uint64_t h = std::min(n->Chain().Lib()->height, ref.Chain().Lib()->height);
        if (n->Chain().MainChainAt(h)->hash != ref.Chain().MainChainAt(h)->hash)
        {
            summary.violations.push_back("agreement: node " + std::to_string(n->Id()) +
                                         " and node " + std::to_string(ref.Id()) +
                                         " hold different irreversible blocks at height " +
                                         std::to_string(h));
        }
    }
}

} // namespace

Result<RunResult>
RunScenario(const ScenarioConfig& config, const RunOptions& options)
{
    Status valid = ValidateScenario(config);
    if (!valid.IsOk())
    {
        return valid;
    }
    const auto wallStart = std::chrono::steady_clock::now();
    RngSeedManager::SetSeed(0x43616e6f); // fixed; the run number carries the seed
    RngSeedManager::SetRun(config.seed);

    std::vector<KeyPair> producerKeys, accountKeys;
    auto params = MakeChainParams(config, producerKeys, accountKeys);
    auto topo = BuildWiredTopology(MakeTopologySpec(config.topology));
    if (!topo.IsOk())
    {
        Simulator::Destroy();
        return topo.GetStatus();
    }
    WiredTopology& t = topo.Value();
    const uint32_t n = t.nodes.GetN();
    if (config.consensus.producers > n)
    {
        Simulator::Destroy();
        return Status::Invalid(
            "consensus.producers: " + std::to_string(config.consensus.producers) +
            " exceeds the topology's " + std::to_string(n) + " nodes");
    }
    const std::vector<int> producerOf = PlaceProducers(n, config.consensus.producers);
    std::vector<bool> offline(n, false);
    std::vector<std::optional<KeyPair>> keys(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        if (producerOf[i] >= 0)
        {
            keys[i] = producerKeys[static_cast<std::size_t>(producerOf[i])];
            const auto& off = config.consensus.offlineProducers;
            offline[i] = std::find(off.begin(), off.end(), static_cast<uint32_t>(producerOf[i])) !=
                         off.end();
        }
    }
    // Offline producers never start; their neighbours do not count them as peers.
    std::vector<std::vector<PeerLink>> peers(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        for (const PeerLink& l : t.peers[i])
        {
            if (!offline[l.peer])
            {
                peers[i].push_back(l);
            }
        }
    }

    CanonNodeHelper helper(params);
    helper.SetAttribute("MempoolTxMax", UintegerValue(config.node.mempoolTxMax));
    helper.SetAttribute("PeerSendQueueBytesMax", UintegerValue(config.node.peerSendQueueBytesMax));
    ApplicationContainer installed = helper.Install(t.nodes, peers, keys);
    std::vector<Ptr<CanonNodeApplication>> apps;
    const Time stop = Seconds(config.durationSeconds);
    for (uint32_t i = 0; i < n; ++i)
    {
        apps.push_back(DynamicCast<CanonNodeApplication>(installed.Get(i)));
        apps[i]->SetStartTime(offline[i] ? stop + Seconds(1) : Seconds(0));
        apps[i]->SetStopTime(stop);
    }

    // Wallets: account a lives on the a-th online node (round robin).
    std::vector<uint32_t> online;
    for (uint32_t i = 0; i < n; ++i)
    {
        if (!offline[i])
        {
            online.push_back(i);
        }
    }
    std::vector<Address> everyone;
    std::map<Address, uint32_t> accountIndex;
    for (uint32_t a = 0; a < accountKeys.size(); ++a)
    {
        everyone.push_back(accountKeys[a].GetAddress());
        accountIndex[everyone.back()] = a;
    }
    std::vector<std::vector<WorkloadAccount>> wallets(n);
    for (uint32_t a = 0; a < accountKeys.size(); ++a)
    {
        wallets[online[a % online.size()]].push_back({a, accountKeys[a]});
    }

    // The trace.
    std::error_code ec;
    const auto parent = std::filesystem::path(options.outPath).parent_path();
    if (!parent.empty())
    {
        std::filesystem::create_directories(parent, ec);
    }
    TraceMetadata meta;
    meta.seed = config.seed;
    meta.scenario = config.sourceText;
    meta.scenarioPath = config.sourcePath;
    meta.codeVersion = CANONSIM_CODE_VERSION;
    meta.ns3Version = CANONSIM_NS3_VERSION;
    meta.durationSeconds = config.durationSeconds;
    meta.nodes = n;
    meta.producers = config.consensus.producers;
    meta.slotSeconds = config.consensus.slotSeconds;
    auto writer = TraceWriter::Create(options.outPath, meta, config.trace.batchRecords);
    if (!writer.IsOk())
    {
        Simulator::Destroy();
        return writer.GetStatus();
    }

    RunResult result;
    result.summary.seed = config.seed;
    RunRecorder recorder(*writer.Value(), result.summary, *params, apps, producerOf, accountIndex);
    for (uint32_t i = 0; i < n; ++i)
    {
        auto& app = apps[i];
        app->TraceConnectWithoutContext("BlockProduced",
                                        MakeCallback(&RunRecorder::OnProduced, &recorder));
        app->TraceConnectWithoutContext("BlockReceived",
                                        MakeCallback(&RunRecorder::OnReceived, &recorder));
        app->TraceConnectWithoutContext("BlockIrreversible",
                                        MakeCallback(&RunRecorder::OnIrreversible, &recorder));
        app->TraceConnectWithoutContext("MessageDropped",
                                        MakeCallback(&RunRecorder::OnDropped, &recorder));
        app->TraceConnectWithoutContext("OtherEvent",
                                        MakeCallback(&RunRecorder::OnOther, &recorder));
        if (offline[i] || wallets[i].empty())
        {
            continue;
        }
        auto w = CreateObject<TransactionWorkload>();
        const double share =
            static_cast<double>(wallets[i].size()) / static_cast<double>(accountKeys.size());
        w->SetAttribute("Rate", DoubleValue(config.workload.txPerSecond * share));
        w->SetTarget(app);
        w->SetAccounts(wallets[i], everyone);
        const FeeConfig& fee = config.workload.fee;
        w->SetFeeDistribution(fee.distribution, fee.min, fee.max, fee.mean, fee.value);
        w->AssignStreams(kWorkloadStreams + 3 * static_cast<int64_t>(i));
        w->TraceConnectWithoutContext("Submitted",
                                      MakeCallback(&RunRecorder::OnSubmitted, &recorder));
        t.nodes.Get(i)->AddApplication(w);
        // Wallets start a moment after their node so the node is up to take transactions.
        w->SetStartTime(MilliSeconds(1));
        w->SetStopTime(stop);
    }

    std::unique_ptr<Progress> progress;
    if (options.progress)
    {
        progress = std::make_unique<Progress>(config.durationSeconds);
    }
    // Stop just before the applications do, so the end state is still readable from them.
    Simulator::Stop(stop - NanoSeconds(1));
    Simulator::Run();
    if (progress)
    {
        progress->Finish();
    }

    // End-of-run figures from the live nodes.
    RunSummary& s = result.summary;
    s.simulatedTime = Simulator::Now().GetNanoSeconds();
    s.nodes = n;
    s.slotsElapsed = params->SlotAt(s.simulatedTime);
    std::vector<const Node*> live;
    const Node* ref = nullptr;
    for (uint32_t i = 0; i < n; ++i)
    {
        s.bytesSent += apps[i]->GetBytesSent();
        const Node* node = apps[i]->GetCanonNode();
        if (!node)
        {
            continue;
        }
        live.push_back(node);
        if (!ref || node->Chain().Lib()->height > ref->Chain().Lib()->height)
        {
            ref = node;
        }
    }
    if (ref)
    {
        s.libHeightMin = ref->Chain().Lib()->height;
        for (const Node* node : live)
        {
            s.libHeightMin = std::min(s.libHeightMin, node->Chain().Lib()->height);
            s.libHeightMax = std::max(s.libHeightMax, node->Chain().Lib()->height);
        }
        s.FillFromChain(ref->Chain());
        RecordMissedSlots(ref->Chain(), *writer.Value());
        CheckAgreement(live, *ref, s);
    }
    result.events = Simulator::GetEventCount();
    Status finished = writer.Value()->Finish();
    Simulator::Destroy();
    if (!finished.IsOk())
    {
        return finished;
    }
    result.tracePath = options.outPath;
    result.wallSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
    return result;
}

std::string
FormatRunSummary(const RunResult& result)
{
    char tail[256];
    std::snprintf(tail, sizeof tail,
                  "wall time                 %.1f s (%.0fk events/s)\n"
                  "trace                     %s\n",
                  result.wallSeconds,
                  result.wallSeconds > 0
                      ? static_cast<double>(result.events) / result.wallSeconds / 1000.0
                      : 0.0,
                  result.tracePath.c_str());
    return FormatSummary(result.summary) + tail;
}

} // namespace canon
