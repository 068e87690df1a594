// The abstract engine's run (engines.h): the scenario's wired graph (the same nodes, links,
// latencies and access rates as on ns-3, from the same ns-3 random streams) becomes an
// AbstractNetwork (model/sim/abstract-network.h); each direction of a link carries
// min(link capacity, sender's access rate). The run driver does the rest, and the safety
// checkers run after every step.
#include "model/consensus/consensus-engine.h"
#include "model/run/eclipse-topology.h"
#include "model/run/scenario-plan.h"
#include "model/sim/abstract-network.h"
#include "model/sim/peer-upkeep.h"
#include "model/sim/safety-checker.h"
#include "scenarios/engines.h"
#include "scenarios/progress-line.h"
#include "scenarios/run-stop.h"

#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

namespace canon
{

namespace
{

Edge
Ordered(Edge e)
{
    return {std::min(e.first, e.second), std::max(e.first, e.second)};
}

AbstractNetworkSpec
NetworkSpec(const ScenarioConfig& config, const WiredGraph& graph, const RunDriver& driver)
{
    AbstractNetworkSpec spec;
    spec.seed = config.seed;
    spec.nodes = graph.nodes.GetN();
    const double linkMbps = config.topology.linkBandwidthMbps;
    // Eclipse attackers take their victims' links (model/run/eclipse-topology.h); a link the
    // graph lacks gets the mean of the topology's latency range.
    std::map<Edge, double> latencyMs;
    for (std::size_t k = 0; k < graph.edges.size(); ++k)
    {
        latencyMs[Ordered(graph.edges[k])] = graph.edgeLatencyMs[k];
    }
    const TopologyConfig& t = config.topology;
    const EclipseDefence defence{config.defences.outboundPeers, config.defences.addressGroupSize,
                                 config.seed};
    for (const auto& [a, b] : EclipseEdges(graph.edges, spec.nodes, config.adversaries, defence))
    {
        auto known = latencyMs.find(Ordered({a, b}));
        AbstractLink l;
        l.a = a;
        l.b = b;
        l.latency =
            FromSeconds((known != latencyMs.end() ? known->second
                                                  : (t.linkLatencyMinMs + t.linkLatencyMaxMs) / 2) /
                        1000.0);
        l.bytesPerSecondAb = std::min(linkMbps, graph.accessMbps[a]) * 1e6 / 8.0;
        l.bytesPerSecondBa = std::min(linkMbps, graph.accessMbps[b]) * 1e6 / 8.0;
        spec.links.push_back(l);
    }
    for (uint32_t i = 0; i < spec.nodes; ++i)
    {
        spec.online.push_back(driver.Online(i));
    }
    spec.faults = config.faults;
    return spec;
}

// The run-time peer selection defences (model/sim/peer-upkeep.h), or null when both are off.
// A link added at run time (a replacement peer, a feature's direct connection): the middle of
// the topology's latency range, at the slowest access rate.
AbstractLink
NewLinkLike(const ScenarioConfig& config, const WiredGraph& graph)
{
    const TopologyConfig& t = config.topology;
    const double mbps = std::min(
        t.linkBandwidthMbps, *std::min_element(graph.accessMbps.begin(), graph.accessMbps.end()));
    AbstractLink l;
    l.latency = FromSeconds((t.linkLatencyMinMs + t.linkLatencyMaxMs) / 2 / 1000.0);
    l.bytesPerSecondAb = l.bytesPerSecondBa = mbps * 1e6 / 8.0;
    return l;
}

std::unique_ptr<PeerUpkeep>
MakeUpkeep(const ScenarioConfig& config, const WiredGraph& graph, AbstractNetwork& net)
{
    PeerUpkeepConfig u;
    u.nodes = graph.nodes.GetN();
    u.seed = config.seed;
    u.replaceBanned = config.defences.replaceBanned;
    u.rotateSeconds = config.defences.rotateSeconds;
    u.defence = {config.defences.outboundPeers, config.defences.addressGroupSize, config.seed};
    for (const AdversarySpec& a : config.adversaries)
    {
        if (a.kind == AdversaryKind::kEclipse && a.victim < u.nodes)
        {
            u.victims.push_back(a.victim);
        }
    }
    std::sort(u.victims.begin(), u.victims.end());
    u.victims.erase(std::unique(u.victims.begin(), u.victims.end()), u.victims.end());
    u.linkTemplate = NewLinkLike(config, graph);
    return u.Enabled() ? std::make_unique<PeerUpkeep>(net, std::move(u)) : nullptr;
}

Result<WiredGraph>
BuildGraph(const ScenarioConfig& config)
{
    ns3::RngSeedManager::SetSeed(0x43616e6f); // as the ns-3 engine: the same graph
    ns3::RngSeedManager::SetRun(config.seed);
    auto graph = BuildWiredGraph(WiredSpecFor(config.topology));
    if (!graph.IsOk())
    {
        return graph;
    }
    const uint32_t n = graph.Value().nodes.GetN();
    if (config.consensus.producers > n)
    {
        return Status::Invalid(
            "consensus.producers: " + std::to_string(config.consensus.producers) +
            " exceeds the topology's " + std::to_string(n) + " nodes");
    }
    Status faults = CheckFaultPlan(config.faults, n, graph.Value().edges);
    if (!faults.IsOk())
    {
        return faults;
    }
    return graph;
}

// Runs to the end (just before `duration`, as the ns-3 engine stops), printing progress; with
// `stopOnSignal`, in slices of kStopPollSeconds, stopping early when a signal asks. Returns the
// time reached.
TimeNs
RunToEnd(AbstractNetwork& net, double durationSeconds, bool progress, bool stopOnSignal)
{
    const TimeNs end = FromSeconds(durationSeconds) - 1;
    ProgressLine line(durationSeconds);
    const TimeNs printEvery = progress ? FromSeconds(line.Interval()) : end;
    const TimeNs step =
        stopOnSignal ? std::min(printEvery, FromSeconds(kStopPollSeconds)) : printEvery;
    TimeNs t = 0;
    TimeNs nextPrint = printEvery;
    while (t < end && !(stopOnSignal && StopRequested()))
    {
        t = std::min(t + step, end);
        net.RunUntil(t);
        if (progress && (t >= nextPrint || t == end))
        {
            line.Print(ToSeconds(t), net.EventCount(), t == end);
            nextPrint += printEvery;
        }
    }
    return t;
}

} // namespace

Result<RunResult>
RunOnAbstract(const ScenarioConfig& config, const RunOptions& options)
{
    const auto wallStart = std::chrono::steady_clock::now();
    auto graph = BuildGraph(config);
    if (!graph.IsOk())
    {
        ns3::Simulator::Destroy();
        return graph.GetStatus();
    }
    const uint32_t n = graph.Value().nodes.GetN();
    RunDriver driver(PlanForRun(config, options, n, {}));
    if (Status s = CheckConsensusParams(*driver.Genesis().params); !s.IsOk())
    {
        return s;
    }
    std::unique_ptr<PeerUpkeep> upkeep;
    AbstractNetwork net(NetworkSpec(config, graph.Value(), driver), driver.Factory(),
                        [&driver, &upkeep](uint32_t node, const NodeEvent& ev)
                        {
                            driver.OnEvent(node, ev);
                            if (upkeep)
                            {
                                upkeep->OnEvent(node, ev);
                            }
                        });
    upkeep = MakeUpkeep(config, graph.Value(), net);
    net.SetConnectLink(NewLinkLike(config, graph.Value()));
    ns3::Simulator::Destroy(); // the graph's ns-3 nodes are not needed any more
    if (upkeep)
    {
        upkeep->Start();
    }
    SafetyChecker checker(config.seed, net, driver.Genesis().params->GenesisHash());
    net.SetStepObserver([&](uint32_t i) { checker.Check(i, net.Incarnation(i)); });
    auto writer = OpenRunTrace(config, options, n);
    if (!writer.IsOk())
    {
        return writer.GetStatus();
    }
    driver.Attach(net, writer.Value().get());
    const TimeNs reached =
        RunToEnd(net, config.durationSeconds, options.progress, options.stopOnSignal);
    RunResult result;
    result.interrupted = reached < FromSeconds(config.durationSeconds) - 1;
    result.reachedSeconds = ToSeconds(reached);
    if (result.interrupted)
    {
        writer.Value()->MarkInterrupted(result.reachedSeconds);
    }
    result.summary = driver.Summary();
    auto& v = result.summary.violations;
    v.insert(v.begin(), checker.Violations().begin(), checker.Violations().end());
    driver.Finish();
    Status finished = writer.Value()->Finish();
    if (!finished.IsOk())
    {
        return finished;
    }
    result.events = net.EventCount();
    result.czrEngineSeconds = driver.CzrEngineSeconds();
    result.tracePath = options.outPath;
    result.wallSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
    return result;
}

} // namespace canon
