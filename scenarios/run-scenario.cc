#include "scenarios/run-scenario.h"

#include "model/ns3/canon-node-helper.h"
#include "model/ns3/canon-tcp-socket.h"
#include "model/ns3/czr-probe.h"
#include "model/ns3/mesh-topology.h"
#include "model/ns3/network-faults.h"
#include "model/ns3/transaction-workload.h"
#include "model/ns3/vehicular-topology.h"
#include "model/ns3/wired-topology.h"
#include "model/trace/trace-writer.h"
#include "scenarios/run-recorder.h"

#include "canonsim-version.h"

#include "ns3/boolean.h"
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
#include <filesystem>
#include <map>

namespace canon
{

using namespace ns3;

namespace
{

// ns-3 random stream numbers, one block per purpose (DESIGN.md 4.4).
constexpr int64_t kTopologyStreams = 0;
constexpr int64_t kPlacementStream = 10;
constexpr int64_t kDeviceStream = 11;
constexpr int64_t kWorkloadStreams = 100;           // 3 per node from here
constexpr int64_t kRadioDeviceStreams = 1000000;    // ns-3's radio devices, routing and mobility
constexpr int64_t kFaultStreams = int64_t{1} << 24; // 2 per link from here

#ifndef CANONSIM_NS3_VERSION
#define CANONSIM_NS3_VERSION "unknown"
#endif

double
NowSeconds()
{
    return Simulator::Now().GetSeconds();
}

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

// Producer index per node (-1 for plain nodes): producers sit on nodes drawn at random among
// the full nodes (every node unless `fullNode` says otherwise).
std::vector<int>
PlaceProducers(uint32_t nodes, uint32_t producers, const std::vector<bool>& fullNode)
{
    std::vector<uint32_t> order;
    for (uint32_t i = 0; i < nodes; ++i)
    {
        if (fullNode.empty() || fullNode[i])
        {
            order.push_back(i);
        }
    }
    auto rv = CreateObject<UniformRandomVariable>();
    rv->SetStream(kPlacementStream);
    for (auto i = static_cast<uint32_t>(order.size()); i > 1; --i)
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

// Draws one of the classes by share from a uniform stream.
template <typename Class>
const Class&
DrawClass(const std::vector<Class>& classes, const Ptr<UniformRandomVariable>& rv)
{
    double total = 0;
    for (const auto& c : classes)
    {
        total += c.share;
    }
    double x = rv->GetValue(0.0, total);
    for (const auto& c : classes)
    {
        if (x < c.share)
        {
            return c;
        }
        x -= c.share;
    }
    return classes.back();
}

// One run, stage by stage. Everything it builds lives until the simulator is destroyed at the
// end of Execute().
class ScenarioRun
{
  public:
    ScenarioRun(const ScenarioConfig& config, const RunOptions& options)
      : m_config(config)
      , m_options(options)
    {
    }

    Result<RunResult> Execute();

  private:
    Status BuildNetwork();
    Status InstallNetworkFaults();
    Status BuildRadioNetwork();
    void UseLightParticipants(uint32_t k);
    void MakeKeysAndParams();
    void InstallNodes();
    // Brings every node's peers in line with m_radioPeers now, then again after
    // kRepeerIntervalSeconds.
    void Repeer();
    void InstallWorkload(RunRecorder& recorder);
    void InstallCzr(RunRecorder& recorder);
    void InstallFaults();
    Result<std::unique_ptr<TraceWriter>> OpenTrace() const;
    void Summarize(TraceWriter& writer);

    const ScenarioConfig& m_config;
    const RunOptions& m_options;
    WiredTopology m_topology;
    uint32_t m_n = 0;
    // Radio topologies only: full nodes (empty: all) and the graph the CZR probe reads.
    std::vector<bool> m_fullNode;
    std::function<LinkList()> m_radioLinks;
    // Radio topologies with dynamic peers (vehicular roadside peering): the plan and the peers
    // each node has now.
    std::function<std::vector<std::vector<uint32_t>>()> m_radioPeers;
    std::vector<std::vector<uint32_t>> m_currentPeers;
    std::vector<int> m_producerOf; // genesis producer index per node, -1 for others
    std::vector<bool> m_offline;
    std::vector<KeyPair> m_nodeKeys;
    std::vector<KeyPair> m_accountKeys;
    KeyPair m_oracle = KeyPair::FromSeed(Hash256{});
    std::shared_ptr<ChainParams> m_params;
    std::vector<Ptr<CanonNodeApplication>> m_apps;
    std::unique_ptr<CzrProbe> m_probe;
    std::unique_ptr<NetworkFaults> m_faults;
    // The process-wide TCP guard counters when this run started (canon-tcp-socket.h).
    uint64_t m_tcpZeroLengthSendsAtStart = CanonTcpSocket::ZeroLengthSends();
    uint64_t m_tcpEmptyPersistProbesAtStart = CanonTcpSocket::EmptyPersistProbes();
    RunResult m_result;
};

// Kinds mesh and vehicular (model/ns3/mesh-topology.h, vehicular-topology.h).
Status
ScenarioRun::BuildRadioNetwork()
{
    const TopologyConfig& t = m_config.topology;
    Result<RadioTopology> built = Status::Ok();
    if (t.kind == TopologyKind::kMesh)
    {
        MeshTopologySpec spec;
        const MeshConfig& m = t.mesh;
        spec.layout = Name(m.layout);
        spec.nodes = m.nodes;
        spec.spacing = m.spacingM;
        spec.area = m.areaM;
        spec.clusters = m.clusters;
        spec.clusterRadius = m.clusterRadiusM;
        spec.speed = m.speedMps;
        spec.clusterSize = m.clusterSize;
        spec.bridgeAway = m.bridgeAwayS;
        spec.bridgeBack = m.bridgeBackS;
        spec.range = t.radio.rangeM;
        spec.peers = t.radio.peers;
        spec.streamBase = kTopologyStreams;
        spec.deviceStreamBase = kRadioDeviceStreams;
        built = BuildMeshTopology(spec);
    }
    else
    {
        VehicularTopologySpec spec;
        const VehicularConfig& v = t.vehicular;
        spec.vehicles = v.vehicles;
        spec.rsus = v.rsus;
        spec.lanes = v.lanes;
        spec.length = v.lengthM;
        spec.speedMean = v.speed.mean;
        spec.speedStddev = v.speed.stddev;
        spec.speedMin = v.speed.min;
        spec.speedMax = v.speed.max;
        spec.fullNodeShare = v.fullNodeShare;
        spec.mobility = Name(v.mobility);
        spec.traceFile = v.traceFile;
        spec.peering = Name(v.peering);
        spec.roadsidePeers = v.roadsidePeers;
        spec.range = t.radio.rangeM;
        spec.peers = t.radio.peers;
        spec.streamBase = kTopologyStreams;
        spec.deviceStreamBase = kRadioDeviceStreams;
        built = BuildVehicularTopology(spec);
    }
    if (!built.IsOk())
    {
        return built.GetStatus();
    }
    RadioTopology radio = std::move(built).Value();
    m_topology.nodes = radio.nodes;
    m_topology.peers = std::move(radio.peers);
    m_fullNode = std::move(radio.fullNode);
    m_radioLinks = std::move(radio.currentLinks);
    m_radioPeers = std::move(radio.currentPeers);
    UseLightParticipants(t.radio.peers);
    m_n = m_topology.nodes.GetN();
    const auto full = static_cast<uint32_t>(std::count(m_fullNode.begin(), m_fullNode.end(), true));
    if (m_config.consensus.producers > full)
    {
        return Status::Invalid(
            "consensus.producers: " + std::to_string(m_config.consensus.producers) +
            " exceeds the " + std::to_string(full) + " full nodes of the topology");
    }
    return Status::Ok();
}

// Nodes that are not full run light participants (light-node.h). They relay nothing, so a
// static overlay is rebuilt for them (LightAwarePeers, radio-topology.h): the full nodes get one
// of their own, every light participant a full peer. Each link says whether its far end is
// light.
void
ScenarioRun::UseLightParticipants(uint32_t k)
{
    if (std::find(m_fullNode.begin(), m_fullNode.end(), false) == m_fullNode.end())
    {
        return;
    }
    // Dynamic (roadside) peering already links vehicles to roadside units only.
    if (!m_radioPeers)
    {
        std::vector<std::vector<uint32_t>> indices(m_topology.peers.size());
        for (std::size_t i = 0; i < indices.size(); ++i)
        {
            for (const PeerLink& l : m_topology.peers[i])
            {
                indices[i].push_back(l.peer);
            }
        }
        const auto peers = LightAwarePeers(indices, PositionsOf(m_topology.nodes), m_fullNode, k);
        m_topology.peers = PeerLinksOf(peers, m_topology.nodes);
    }
    for (auto& links : m_topology.peers)
    {
        for (PeerLink& l : links)
        {
            l.light = !m_fullNode[l.peer];
        }
    }
}

void
ScenarioRun::Repeer()
{
    std::vector<std::vector<uint32_t>> plan = m_radioPeers();
    const std::vector<std::vector<PeerLink>> links = PeerLinksOf(plan, m_topology.nodes);
    for (uint32_t i = 0; i < m_n; ++i)
    {
        const std::vector<uint32_t>& was = m_currentPeers[i];
        for (const PeerLink& l : links[i])
        {
            if (!std::binary_search(was.begin(), was.end(), l.peer))
            {
                m_apps[i]->AddPeer(l.peer, l.address, !m_fullNode.empty() && !m_fullNode[l.peer]);
            }
        }
        for (uint32_t old : was)
        {
            if (!std::binary_search(plan[i].begin(), plan[i].end(), old))
            {
                m_apps[i]->RemovePeer(old);
            }
        }
    }
    m_currentPeers = std::move(plan);
    Simulator::Schedule(Seconds(kRepeerIntervalSeconds), &ScenarioRun::Repeer, this);
}

Status
ScenarioRun::BuildNetwork()
{
    const TopologyConfig& t = m_config.topology;
    if (IsRadio(t.kind))
    {
        return BuildRadioNetwork();
    }
    WiredTopologySpec spec;
    spec.nodes = t.nodes;
    spec.averageDegree = t.averageDegree;
    if (t.kind == TopologyKind::kFile)
    {
        spec.file = t.file;
        spec.format = Name(t.format);
    }
    else if (t.kind == TopologyKind::kBridge)
    {
        spec.nodes = 2 * t.clusterSize + (t.sybil ? 2 : 1);
        spec.givenEdges = BridgeGraph(t.clusterSize, t.bridgeLinks, t.sybil);
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
    auto built = BuildWiredTopology(spec);
    if (!built.IsOk())
    {
        return built.GetStatus();
    }
    m_topology = std::move(built).Value();
    m_n = m_topology.nodes.GetN();
    if (m_config.consensus.producers > m_n)
    {
        return Status::Invalid(
            "consensus.producers: " + std::to_string(m_config.consensus.producers) +
            " exceeds the topology's " + std::to_string(m_n) + " nodes");
    }
    return InstallNetworkFaults();
}

// Crash and partition nodes of a file topology are checked here: only now is its size known.
Status
ScenarioRun::InstallNetworkFaults()
{
    const FaultPlan& f = m_config.faults;
    for (std::size_t i = 0; i < f.crashes.size(); ++i)
    {
        if (f.crashes[i].node >= m_n)
        {
            return Status::Invalid("faults.crashes[" + std::to_string(i) +
                                   "].node: the topology has " + std::to_string(m_n) +
                                   " nodes, got " + std::to_string(f.crashes[i].node));
        }
    }
    for (std::size_t i = 0; i < f.partitions.size(); ++i)
    {
        for (uint32_t node : f.partitions[i].nodes)
        {
            if (node >= m_n)
            {
                return Status::Invalid("faults.partitions[" + std::to_string(i) +
                                       "].nodes: the topology has " + std::to_string(m_n) +
                                       " nodes, got " + std::to_string(node));
            }
        }
    }
    if (f.NetworkEmpty())
    {
        return Status::Ok();
    }
    auto faults = NetworkFaults::Install(f, m_topology, kFaultStreams);
    if (!faults.IsOk())
    {
        return faults.GetStatus();
    }
    m_faults = std::move(faults).Value();
    return Status::Ok();
}

// Every node has a key (any node may be elected); the genesis producers sit on nodes drawn at
// random. Node accounts, workload accounts and the CZR engine are funded at genesis: they pay
// fees for claims, votes and reports.
void
ScenarioRun::MakeKeysAndParams()
{
    const ConsensusConfig& k = m_config.consensus;
    m_producerOf = PlaceProducers(m_n, k.producers, m_fullNode);
    m_offline.assign(m_n, false);
    std::vector<PublicKey> genesisSet(k.producers);
    std::vector<Address> investors;
    for (uint32_t i = 0; i < m_n; ++i)
    {
        const int p = m_producerOf[i];
        m_nodeKeys.push_back(
            p >= 0 ? DeriveKeyPair(m_config.seed, "producer", static_cast<uint32_t>(p))
                   : DeriveKeyPair(m_config.seed, "node", i));
        investors.push_back(m_nodeKeys.back().GetAddress());
        if (p >= 0)
        {
            genesisSet[static_cast<std::size_t>(p)] = m_nodeKeys.back().Public();
            m_offline[i] = std::find(k.offlineProducers.begin(), k.offlineProducers.end(),
                                     static_cast<uint32_t>(p)) != k.offlineProducers.end();
        }
    }
    for (uint32_t a = 0; a < m_config.workload.accounts; ++a)
    {
        m_accountKeys.push_back(DeriveKeyPair(m_config.seed, "account", a));
        investors.push_back(m_accountKeys.back().GetAddress());
    }
    m_oracle = DeriveKeyPair(m_config.seed, "czr", 0);
    investors.push_back(m_oracle.GetAddress());

    m_params = std::make_shared<ChainParams>();
    m_params->slotDuration = static_cast<TimeNs>(std::llround(k.slotSeconds * 1e9));
    m_params->blockSizeBytesMax = k.blockSizeBytesMax;
    m_params->blockTxMax = k.blockTxMax;
    m_params->finalityThresholdOverride = k.finalityThreshold;
    m_params->czc.push_back({0, Blake2b256(std::string("CanonChain CZC rules v1"))});
    m_params->producers = genesisSet;
    m_params->genesis = MakeGenesisAllocation(investors, Blake2b256(std::string("team")),
                                              Blake2b256(std::string("community")));
    const CzrConfig& c = m_config.czr;
    if (c.enabled)
    {
        m_params->czrOracle = m_oracle.Public();
    }
    m_params->election.candidatesPerGroup = c.candidatesPerGroup;
    m_params->election.stakeWeighted = c.voteWeight == VoteWeight::kStake;
    m_params->election.driftThreshold = c.driftThreshold;
    m_params->election.missedSlotsMax = c.missedSlotsMax;
}

void
ScenarioRun::InstallNodes()
{
    // Offline producers never start; their neighbours do not count them as peers.
    std::vector<std::vector<PeerLink>> peers(m_n);
    for (uint32_t i = 0; i < m_n; ++i)
    {
        for (const PeerLink& l : m_topology.peers[i])
        {
            if (!m_offline[l.peer])
            {
                peers[i].push_back(l);
            }
        }
    }
    std::vector<std::optional<KeyPair>> keys(m_nodeKeys.begin(), m_nodeKeys.end());
    CanonNodeHelper helper(m_params);
    helper.SetAttribute("MempoolTxMax", UintegerValue(m_config.node.mempoolTxMax));
    helper.SetAttribute("PeerSendQueueBytesMax",
                        UintegerValue(m_config.node.peerSendQueueBytesMax));
    if (m_radioLinks)
    {
        // Radio: routes break and heal in seconds; the stall watchdog replaces connections that
        // TCP's backoff would leave silent for minutes (canon-node-application.h). TcpMinRto stays
        // at ns-3's 1 s default.
        helper.SetAttribute("StallTimeout", TimeValue(Seconds(10)));
    }
    ApplicationContainer installed = helper.Install(m_topology.nodes, peers, keys);
    const Time stop = Seconds(m_config.durationSeconds);
    for (uint32_t i = 0; i < m_n; ++i)
    {
        m_apps.push_back(DynamicCast<CanonNodeApplication>(installed.Get(i)));
        m_apps[i]->SetStartTime(m_offline[i] ? stop + Seconds(1) : Seconds(0));
        m_apps[i]->SetStopTime(stop);
        if (!m_fullNode.empty() && !m_fullNode[i])
        {
            m_apps[i]->SetAttribute("Producer", BooleanValue(false));
            m_apps[i]->SetAttribute("Light", BooleanValue(true)); // a LightNode, light-node.h
        }
    }
}

// Wallets: account a lives on the a-th online node (round robin); the first share of the
// accounts vote, from the a-th online full node.
void
ScenarioRun::InstallWorkload(RunRecorder& recorder)
{
    std::vector<uint32_t> online;
    for (uint32_t i = 0; i < m_n; ++i)
    {
        if (!m_offline[i])
        {
            online.push_back(i);
        }
    }
    std::vector<Address> everyone;
    for (const auto& k : m_accountKeys)
    {
        everyone.push_back(k.GetAddress());
    }
    const auto voters = static_cast<uint32_t>(
        std::floor(m_config.czr.voters.share * static_cast<double>(m_accountKeys.size())));
    std::vector<std::vector<WorkloadAccount>> wallets(m_n);
    std::vector<std::vector<bool>> voting(m_n);
    // Voting needs the claims and reports in the ledger state: voters live on full nodes.
    std::vector<uint32_t> onlineFull;
    for (uint32_t i : online)
    {
        if (m_fullNode.empty() || m_fullNode[i])
        {
            onlineFull.push_back(i);
        }
    }
    for (uint32_t a = 0; a < m_accountKeys.size(); ++a)
    {
        const bool votes = m_config.czr.enabled && a < voters;
        const uint32_t node = votes ? onlineFull[a % onlineFull.size()] : online[a % online.size()];
        wallets[node].push_back({a, m_accountKeys[a]});
        voting[node].push_back(votes);
    }
    const Time stop = Seconds(m_config.durationSeconds);
    for (uint32_t i = 0; i < m_n; ++i)
    {
        if (m_offline[i] || wallets[i].empty())
        {
            continue;
        }
        auto w = CreateObject<TransactionWorkload>();
        const double share =
            static_cast<double>(wallets[i].size()) / static_cast<double>(m_accountKeys.size());
        w->SetAttribute("Rate", DoubleValue(m_config.workload.txPerSecond * share));
        w->SetTarget(m_apps[i]);
        w->SetAccounts(wallets[i], everyone);
        w->SetVoting(voting[i], m_config.czr.voters.behaviour == VoterBehaviour::kTop,
                     m_config.consensus.producers);
        const FeeConfig& fee = m_config.workload.fee;
        w->SetFeeDistribution(Name(fee.distribution), fee.min, fee.max, fee.mean, fee.value);
        w->AssignStreams(kWorkloadStreams + 3 * static_cast<int64_t>(i));
        w->TraceConnectWithoutContext("Submitted",
                                      MakeCallback(&RunRecorder::OnSubmitted, &recorder));
        m_topology.nodes.Get(i)->AddApplication(w);
        // Wallets start a moment after their node so the node is up to take transactions.
        w->SetStartTime(MilliSeconds(1));
        w->SetStopTime(stop);
    }
}

void
ScenarioRun::InstallCzr(RunRecorder& recorder)
{
    const CzrConfig& c = m_config.czr;
    if (!c.enabled)
    {
        return;
    }
    CzrProbeConfig pc;
    pc.epochSlots = c.epochSlots > 0 ? c.epochSlots : m_config.consensus.producers;
    pc.contribution.levelValues = {c.levelValues[0], c.levelValues[1], c.levelValues[2]};
    for (int k = 0; k < 5; ++k)
    {
        pc.contribution.weights(k) = c.weights[static_cast<std::size_t>(k)];
    }
    pc.contribution.gamma = c.gamma;
    pc.contribution.beta = c.beta;
    pc.centrality.exact = c.centrality == CentralityMode::kExact;
    pc.centrality.epsilon = c.epsilon;
    pc.centrality.delta = c.delta;
    pc.centrality.seed = m_config.seed;
    pc.oracle = m_oracle;
    auto rv = CreateObject<UniformRandomVariable>();
    rv->SetStream(kDeviceStream);
    const uint32_t bridgeFirst = 2 * m_config.topology.clusterSize;
    for (uint32_t i = 0; i < m_n; ++i)
    {
        NodeMeasurement nm;
        nm.account = m_nodeKeys[i].GetAddress();
        nm.region = i % c.regions;
        nm.applications = {c.applications[i % c.applications.size()]};
        const DeviceClass& d = DrawClass(c.deviceClasses, rv);
        // The bridge's own device; a sybil bridge is one device behind two identities, so each
        // identity has half of it.
        const bool bridge = (m_config.topology.kind == TopologyKind::kBridge && i >= bridgeFirst) ||
                            (m_config.topology.kind == TopologyKind::kMesh &&
                             m_config.topology.mesh.layout == MeshLayout::kBridge &&
                             i == 2 * m_config.topology.mesh.clusterSize);
        const DeviceClass& device = bridge ? m_config.topology.bridgeDevice : d;
        const double split = bridge && m_config.topology.sybil ? 0.5 : 1.0;
        nm.device = {device.cpu * split, device.memory * split, device.storage * split};
        pc.nodes.push_back(nm);
        pc.nodeKeys.push_back(m_nodeKeys[i]);
        pc.overclaimFactor.push_back(c.overclaimFactor);
    }
    // Twice the candidates a group can field: room for the ranking to move between epochs.
    pc.claimRankMax = 2 * c.candidatesPerGroup;
    pc.links = m_topology.edges;
    pc.linkDevices = m_topology.edgeDevices;
    pc.linkSource = m_radioLinks;
    pc.mayClaim = m_fullNode;
    m_probe = std::make_unique<CzrProbe>(std::move(pc), m_apps, m_params,
                                         [&recorder](const CzrEpochReport& e)
                                         { recorder.OnCzrEpoch(e); });
    m_probe->Start();
}

void
ScenarioRun::InstallFaults()
{
    if (m_faults)
    {
        m_faults->Schedule();
    }
    for (const CrashFault& c : m_config.faults.crashes)
    {
        Ptr<CanonNodeApplication> app = m_apps[c.node];
        Simulator::Schedule(NanoSeconds(static_cast<uint64_t>(c.at)), &CanonNodeApplication::Crash,
                            app);
        if (c.restartAt > c.at)
        {
            Simulator::Schedule(NanoSeconds(static_cast<uint64_t>(c.restartAt)),
                                &CanonNodeApplication::Restart, app);
        }
    }
}

Result<std::unique_ptr<TraceWriter>>
ScenarioRun::OpenTrace() const
{
    std::error_code ec;
    const auto parent = std::filesystem::path(m_options.outPath).parent_path();
    if (!parent.empty())
    {
        std::filesystem::create_directories(parent, ec);
    }
    TraceMetadata meta;
    meta.seed = m_config.seed;
    meta.scenario = m_config.sourceText;
    meta.scenarioPath = m_config.sourcePath;
    meta.codeVersion = CANONSIM_CODE_VERSION;
    meta.ns3Version = CANONSIM_NS3_VERSION;
    meta.durationSeconds = m_config.durationSeconds;
    meta.nodes = m_n;
    meta.producers = m_config.consensus.producers;
    meta.slotSeconds = m_config.consensus.slotSeconds;
    return TraceWriter::Create(m_options.outPath, meta, m_config.trace.batchRecords);
}

// End-of-run figures from the live nodes.
void
ScenarioRun::Summarize(TraceWriter& writer)
{
    RunSummary& s = m_result.summary;
    s.simulatedTime = Simulator::Now().GetNanoSeconds();
    s.nodes = m_n;
    s.slotsElapsed = m_params->SlotAt(s.simulatedTime);
    if (m_faults)
    {
        s.faultDrops = m_faults->Drops();
    }
    const uint64_t zeroLength = CanonTcpSocket::ZeroLengthSends() - m_tcpZeroLengthSendsAtStart;
    const uint64_t emptyProbes =
        CanonTcpSocket::EmptyPersistProbes() - m_tcpEmptyPersistProbesAtStart;
    if (zeroLength > 0)
    {
        s.tcpGuards["zero-length sends"] = zeroLength;
    }
    if (emptyProbes > 0)
    {
        s.tcpGuards["empty persist probes"] = emptyProbes;
    }
    std::vector<const Node*> live;
    const Node* ref = nullptr;
    for (uint32_t i = 0; i < m_n; ++i)
    {
        s.bytesSent += m_apps[i]->GetBytesSent();
        if (m_apps[i]->IsLight())
        {
            ++s.lightNodes;
            s.bytesSentLight += m_apps[i]->GetBytesSent();
        }
        const Node* node = m_apps[i]->GetCanonNode();
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
    if (!ref)
    {
        return;
    }
    s.libHeightMin = ref->Chain().Lib()->height;
    for (const Node* node : live)
    {
        s.libHeightMin = std::min(s.libHeightMin, node->Chain().Lib()->height);
        s.libHeightMax = std::max(s.libHeightMax, node->Chain().Lib()->height);
    }
    s.FillFromChain(ref->Chain());
    s.elections = ref->Chain().BestState().Pop().elections;
    RecordMissedSlots(ref->Chain(), writer);
    CheckAgreement(live, *ref, s);
}

Result<RunResult>
ScenarioRun::Execute()
{
    const auto wallStart = std::chrono::steady_clock::now();
    RngSeedManager::SetSeed(0x43616e6f); // fixed; the run number carries the seed
    RngSeedManager::SetRun(m_config.seed);
    Status built = BuildNetwork();
    if (!built.IsOk())
    {
        Simulator::Destroy();
        return built;
    }
    MakeKeysAndParams();
    InstallNodes();
    if (m_radioPeers)
    {
        for (const auto& links : m_topology.peers)
        {
            m_currentPeers.emplace_back();
            for (const PeerLink& l : links)
            {
                m_currentPeers.back().push_back(l.peer);
            }
        }
        Simulator::Schedule(Seconds(kRepeerIntervalSeconds), &ScenarioRun::Repeer, this);
    }
    auto writer = OpenTrace();
    if (!writer.IsOk())
    {
        Simulator::Destroy();
        return writer.GetStatus();
    }
    std::map<PublicKey, uint32_t> nodeOfKey;
    for (uint32_t i = 0; i < m_n; ++i)
    {
        nodeOfKey[m_nodeKeys[i].Public()] = i;
    }
    std::map<Address, uint32_t> accountIndex;
    for (uint32_t a = 0; a < m_accountKeys.size(); ++a)
    {
        accountIndex[m_accountKeys[a].GetAddress()] = a;
    }
    m_result.summary.seed = m_config.seed;
    RunRecorder recorder(*writer.Value(), m_result.summary, *m_params, m_apps, std::move(nodeOfKey),
                         std::move(accountIndex));
    recorder.Connect();
    recorder.RecordProducerSet(0.0, 0, m_params->producers);
    InstallWorkload(recorder);
    InstallCzr(recorder);
    InstallFaults();

    std::unique_ptr<Progress> progress;
    if (m_options.progress)
    {
        progress = std::make_unique<Progress>(m_config.durationSeconds);
    }
    // Stop just before the applications do, so the end state is still readable from them.
    Simulator::Stop(Seconds(m_config.durationSeconds) - NanoSeconds(1));
    Simulator::Run();
    if (progress)
    {
        progress->Finish();
    }
    Summarize(*writer.Value());
    m_result.events = Simulator::GetEventCount();
    m_result.czrEngineSeconds = m_probe ? m_probe->EngineWallSeconds() : 0.0;
    Status finished = writer.Value()->Finish();
    m_probe.reset();
    Simulator::Destroy();
    if (!finished.IsOk())
    {
        return finished;
    }
    m_result.tracePath = m_options.outPath;
    m_result.wallSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
    return m_result;
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
    ScenarioRun run(config, options);
    return run.Execute();
}

std::string
FormatRunSummary(const RunResult& result)
{
    char tail[256];
    std::snprintf(
        tail, sizeof tail,
        "wall time                 %.1f s (%.0fk events/s), CZR engine %.2f s (%.1f%%)\n"
        "trace                     %s\n",
        result.wallSeconds,
        result.wallSeconds > 0 ? static_cast<double>(result.events) / result.wallSeconds / 1000.0
                               : 0.0,
        result.czrEngineSeconds,
        result.wallSeconds > 0 ? 100.0 * result.czrEngineSeconds / result.wallSeconds : 0.0,
        result.tracePath.c_str());
    return FormatSummary(result.summary) + tail;
}

} // namespace canon
