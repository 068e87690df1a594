#include "scenarios/engines.h"

#include "model/consensus/consensus-engine.h"
#include "model/ns3/canon-node-helper.h"
#include "model/ns3/canon-tcp-socket.h"
#include "model/ns3/mesh-topology.h"
#include "model/ns3/network-faults.h"
#include "model/ns3/ns3-run-host.h"
#include "model/ns3/ns3-visual-output.h"
#include "model/ns3/radio-jamming.h"
#include "model/ns3/vehicular-topology.h"
#include "model/ns3/wired-topology.h"
#include "model/run/scenario-plan.h"
#include "model/trace/trace-writer.h"
#include "scenarios/progress-line.h"
#include "scenarios/run-stop.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/object-factory.h"
#include "ns3/random-variable-stream.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

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
constexpr int64_t kRadioDeviceStreams = 1000000;      // ns-3's radio devices, routing and mobility
constexpr int64_t kFaultStreams = int64_t{1} << 24;   // 2 per link from here
constexpr int64_t kJammingStreams = int64_t{1} << 25; // 1 per Wi-Fi device (radio-jamming.h)

double
NowSeconds()
{
    return Simulator::Now().GetSeconds();
}

// The progress line (progress-line.h) at intervals of simulated time.
class Progress
{
  public:
    explicit Progress(double durationSeconds)
      : m_line(durationSeconds)
      , m_duration(durationSeconds)
    {
        Simulator::Schedule(Seconds(m_line.Interval()), &Progress::Tick, this);
    }

    void Finish() { m_line.Print(NowSeconds(), Simulator::GetEventCount(), true); }

  private:
    void Tick()
    {
        m_line.Print(NowSeconds(), Simulator::GetEventCount(), false);
        if (NowSeconds() + m_line.Interval() <= m_duration)
        {
            Simulator::Schedule(Seconds(m_line.Interval()), &Progress::Tick, this);
        }
    }

    ProgressLine m_line;
    double m_duration;
};

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
    void InstallNodes();
    void InstallHost();
    void StartRepeering();
    // Brings every node's peers in line with m_radioPeers now, then again after
    // kRepeerIntervalSeconds.
    void Repeer();
    void Summarize();
    Status FinishVisualOutput();
    // Stops the simulator when a signal asked (scenarios/run-stop.h); else looks again after
    // kStopPollSeconds.
    void PollStop();

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
    std::unique_ptr<RunDriver> m_driver;
    std::vector<Ptr<CanonNodeApplication>> m_apps;
    std::unique_ptr<Ns3RunHost> m_host;
    std::unique_ptr<NetworkFaults> m_faults;
    std::unique_ptr<RadioJamming> m_jamming;   // radio runs: the jammer adversaries
    std::unique_ptr<Ns3VisualOutput> m_visual; // --netanim, --flowmon
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
    m_jamming = RadioJamming::Install(m_config.adversaries, m_topology.nodes, kJammingStreams);
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
    WiredTopologySpec spec = WiredSpecFor(t);
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
    Status valid = CheckFaultPlan(f, m_n, m_topology.edges);
    if (!valid.IsOk())
    {
        return valid;
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

// Every node runs what the run driver decides (a Node, a LightNode or an Adversary); offline
// producers never start, and their neighbours do not count them as peers.
void
ScenarioRun::InstallNodes()
{
    std::vector<std::vector<PeerLink>> peers(m_n);
    for (uint32_t i = 0; i < m_n; ++i)
    {
        for (const PeerLink& l : m_topology.peers[i])
        {
            if (m_driver->Online(l.peer))
            {
                peers[i].push_back(l);
            }
        }
    }
    const RunGenesis& g = m_driver->Genesis();
    std::vector<std::optional<KeyPair>> keys(g.nodeKeys.begin(), g.nodeKeys.end());
    CanonNodeHelper helper(g.params);
    helper.SetAttribute("PeerSendQueueBytesMax",
                        UintegerValue(m_config.node.peerSendQueueBytesMax));
    helper.SetAttribute("TcpDelAckCount", UintegerValue(m_config.node.tcpDelAckCount));
    if (m_radioLinks)
    {
        // Radio: routes break and heal in seconds; the stall watchdog replaces connections that
        // TCP's backoff would leave silent for minutes (canon-node-application.h). TcpMinRto stays
        // at ns-3's 1 s default.
        helper.SetAttribute("StallTimeout", TimeValue(Seconds(10)));
    }
    if (m_config.defences.drainSeconds > 0) // the slow-peer defence (model/ns3/slow-peer.h)
    {
        helper.SetAttribute("DrainTimeout", TimeValue(Seconds(m_config.defences.drainSeconds)));
        helper.SetAttribute("DrainBytesPerSecondMin",
                            DoubleValue(m_config.defences.drainBytesPerSecond));
    }
    ApplicationContainer installed = helper.Install(m_topology.nodes, peers, keys);
    const Time stop = Seconds(m_config.durationSeconds);
    for (uint32_t i = 0; i < m_n; ++i)
    {
        m_apps.push_back(DynamicCast<CanonNodeApplication>(installed.Get(i)));
        m_apps[i]->SetStartTime(m_driver->Online(i) ? Seconds(0) : stop + Seconds(1));
        m_apps[i]->SetStopTime(stop);
        m_apps[i]->SetParticipantFactory(m_driver->Factory());
        if (m_driver->IsLight(i))
        {
            m_apps[i]->SetAttribute("Light", BooleanValue(true)); // a LightNode, light-node.h
        }
    }
    for (const AdversarySpec& a : m_config.adversaries) // slow peers read in their transport
    {
        if (a.kind == AdversaryKind::kSlowPeer && a.node < m_n)
        {
            m_apps[a.node]->SetAttribute("SlowReadBytesPerSecond",
                                         DoubleValue(a.readBytesPerSecond));
            m_apps[a.node]->SetAttribute("SlowReadFrom", TimeValue(Time(a.from)));
            m_apps[a.node]->SetAttribute("SlowReadUntil", TimeValue(Time(a.until)));
        }
    }
}

// The driver's view of the ns-3 network, and every node event into the driver.
void
ScenarioRun::InstallHost()
{
    m_host = std::make_unique<Ns3RunHost>(m_apps);
    m_host->WatchLinks(m_topology.edges, m_topology.edgeDevices);
    if (m_radioLinks)
    {
        m_host->SetRadioGraph(m_radioLinks);
        m_host->ReportPositions();
        m_host->AllowConnect();
    }
    for (const auto& app : m_apps)
    {
        app->TraceConnectWithoutContext("Event", MakeCallback(&RunDriver::OnEvent, m_driver.get()));
    }
}

void
ScenarioRun::StartRepeering()
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

void
ScenarioRun::PollStop()
{
    if (StopRequested())
    {
        Simulator::Stop();
        return;
    }
    Simulator::Schedule(Seconds(kStopPollSeconds), &ScenarioRun::PollStop, this);
}

// End-of-run figures: the driver's, plus what only ns-3 knows (fault drops, TCP guards).
void
ScenarioRun::Summarize()
{
    RunSummary s = m_driver->Summary();
    if (m_faults)
    {
        s.faultDrops = m_faults->Drops();
    }
    if (m_jamming && m_jamming->Devices() > 0)
    {
        s.faultDrops["jammed"] = m_jamming->Jammed();
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
    m_result.summary = std::move(s);
    m_driver->Finish();
}

Status
ScenarioRun::FinishVisualOutput()
{
    Status written = m_visual->Finish();
    m_result.visual = m_options.visual;
    m_result.netanimPacketRecords = m_visual->PacketRecords();
    m_result.netanimPacketsCapped = m_visual->PacketsCapped();
    m_visual.reset();
    return written;
}

Result<RunResult>
ScenarioRun::Execute()
{
    const auto wallStart = std::chrono::steady_clock::now();
    RngSeedManager::SetSeed(0x43616e6f); // fixed; the run number carries the seed
    RngSeedManager::SetRun(m_config.seed);
    // A binary heap instead of ns-3's default std::map of events: inserting was 8% of a
    // 1,000-node run (bench/scale/README.md). Every scheduler orders events by (time, insertion
    // number), so the order, and the trace, do not change.
    ObjectFactory scheduler;
    scheduler.SetTypeId("ns3::HeapScheduler");
    Simulator::SetScheduler(scheduler);
    Status built = BuildNetwork();
    if (!built.IsOk())
    {
        Simulator::Destroy();
        return built;
    }
    m_driver = std::make_unique<RunDriver>(PlanForRun(m_config, m_options, m_n, m_fullNode));
    if (Status s = CheckConsensusParams(*m_driver->Genesis().params); !s.IsOk())
    {
        Simulator::Destroy();
        return s;
    }
    InstallNodes();
    if (m_radioPeers)
    {
        StartRepeering();
    }
    if (m_options.visual.Any())
    {
        auto visual = Ns3VisualOutput::Install(m_options.visual, m_topology.nodes);
        if (!visual.IsOk())
        {
            Simulator::Destroy();
            return visual.GetStatus();
        }
        m_visual = std::move(visual).Value();
    }
    auto writer = OpenRunTrace(m_config, m_options, m_n);
    if (!writer.IsOk())
    {
        Simulator::Destroy();
        return writer.GetStatus();
    }
    InstallHost();
    m_driver->Attach(*m_host, writer.Value().get());
    if (m_faults)
    {
        m_faults->Schedule();
    }
    std::unique_ptr<Progress> progress;
    if (m_options.progress)
    {
        progress = std::make_unique<Progress>(m_config.durationSeconds);
    }
    // Stop just before the applications do, so the end state is still readable from them.
    const Time end = Seconds(m_config.durationSeconds) - NanoSeconds(1);
    Simulator::Stop(end);
    if (m_options.stopOnSignal)
    {
        PollStop();
    }
    Simulator::Run();
    m_result.reachedSeconds = NowSeconds();
    m_result.interrupted = Simulator::Now() < end;
    if (m_result.interrupted)
    {
        writer.Value()->MarkInterrupted(m_result.reachedSeconds);
    }
    if (progress)
    {
        progress->Finish();
    }
    Summarize();
    m_result.events = Simulator::GetEventCount();
    m_result.czrEngineSeconds = m_driver->CzrEngineSeconds();
    Status finished = writer.Value()->Finish();
    Status visualWritten = m_visual ? FinishVisualOutput() : Status::Ok();
    Simulator::Destroy();
    if (!finished.IsOk())
    {
        return finished;
    }
    if (!visualWritten.IsOk())
    {
        return visualWritten;
    }
    m_result.tracePath = m_options.outPath;
    m_result.wallSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
    return m_result;
}

} // namespace

Result<RunResult>
RunOnNs3(const ScenarioConfig& config, const RunOptions& options)
{
    ScenarioRun run(config, options);
    return run.Execute();
}

} // namespace canon
