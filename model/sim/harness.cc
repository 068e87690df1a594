#include "model/sim/harness.h"

#include "model/consensus/consensus-engine.h"

#include "model/consensus/finality.h"
#include "model/run/scenario-plan.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

namespace canon
{

namespace
{

// Links added once each, in the order first asked for.
class EdgeList
{
  public:
    void Add(uint32_t a, uint32_t b)
    {
        if (a != b && m_seen.insert({std::min(a, b), std::max(a, b)}).second)
        {
            m_edges.emplace_back(a, b);
        }
    }
    bool Has(uint32_t a, uint32_t b) const
    {
        return m_seen.count({std::min(a, b), std::max(a, b)}) > 0;
    }
    const std::vector<Edge>& Edges() const { return m_edges; }

  private:
    std::set<Edge> m_seen;
    std::vector<Edge> m_edges;
};

} // namespace

Harness::Harness(HarnessConfig config)
  : m_config(std::move(config))
{
    CANON_ASSERT(m_config.nodeCount >= m_config.producerCount && m_config.producerCount > 0,
                 "harness needs producerCount in [1, nodeCount]");
    if (m_config.randomAdversariesMax > 0)
    {
        DrawAdversaries();
    }
    if (m_config.randomAttackersMax > 0)
    {
        DrawAttackers();
    }
    m_driver = std::make_unique<RunDriver>(MakePlan());
    AbstractNetworkSpec spec;
    spec.seed = m_config.seed;
    spec.nodes = m_config.nodeCount + m_config.lightNodes;
    spec.links = BuildGraph();
    AddLightLinks(spec.links);
    spec.noise = {m_config.link.jitter, m_config.link.loss, m_config.link.duplicate};
    spec.faults = m_config.faults;
    if (m_config.randomFaultsUntil > 0)
    {
        DrawRandomFaults(spec.links, spec);
    }
    m_driver->SetFaults(spec.faults);
    for (uint32_t i = 0; i < spec.nodes; ++i)
    {
        spec.light.push_back(m_driver->IsLight(i));
        spec.online.push_back(m_driver->Online(i));
    }
    m_network = std::make_unique<AbstractNetwork>(std::move(spec), m_driver->Factory(),
                                                  [this](uint32_t node, const NodeEvent& ev)
                                                  { m_driver->OnEvent(node, ev); });
    m_checker = std::make_unique<SafetyChecker>(m_config.seed, *m_network,
                                                m_driver->Genesis().params->GenesisHash());
    m_network->SetStepObserver([this](uint32_t i)
                               { m_checker->Check(i, m_network->Incarnation(i)); });
    m_driver->Attach(*m_network, nullptr);
}

RunPlan
Harness::MakePlan() const
{
    RunPlan p;
    p.seed = m_config.seed;
    GenesisSpec& g = p.genesis;
    g.seed = m_config.seed;
    g.nodes = m_config.nodeCount + m_config.lightNodes;
    for (uint32_t i = 0; i < g.nodes; ++i)
    {
        g.fullNode.push_back(i < m_config.nodeCount);
    }
    g.producers = m_config.producerCount;
    g.accounts = m_config.accounts;
    g.offlineProducers = m_config.offlineProducers;
    g.czr = m_config.czrEpochSlots > 0;
    g.base.slotDuration = m_config.slotDuration;
    g.base.finalityThresholdOverride = m_config.finalityThresholdOverride;
    g.base.consensus = m_config.consensus;
    if (m_config.blockTxMax > 0)
    {
        g.base.blockTxMax = m_config.blockTxMax;
    }
    p.limits = m_config.limits;
    p.workload.seed = m_config.seed;
    p.workload.txPerSecond = m_config.txPerSecond;
    p.workload.voting = g.czr;
    p.workload.voterShare = 0.5;
    p.workload.approvals = m_config.producerCount;
    if (g.czr)
    {
        CzrLoopSpec c;
        c.epochSlots = m_config.czrEpochSlots;
        c.claimRankMax = m_config.czrClaimRankMax;
        c.centrality.threads = 1; // small graphs; keep the harness single-threaded
        c.nodes.assign(g.nodes, NodeMeasurement{});
        for (NodeMeasurement& m : c.nodes)
        {
            m.applications = {ApplicationType::kMeshNetwork};
        }
        c.mayClaim = g.fullNode;
        p.czr = c;
    }
    p.adversaries = m_config.adversaries;
    if (m_config.fees.active)
    {
        PlanFees(m_config.fees, m_config.txPerSecond, ToSeconds(m_config.slotDuration),
                 g.base.blockTxMax, p);
    }
    return p;
}

void
Harness::DrawAdversaries()
{
    Rng a = Rng::Derive(m_config.seed, "adversaries");
    std::vector<uint32_t> producers(m_config.producerCount);
    std::iota(producers.begin(), producers.end(), 0);
    for (const AdversarySpec& s : m_config.adversaries)
    {
        producers.erase(std::remove(producers.begin(), producers.end(), s.producer),
                        producers.end());
    }
    const uint64_t count =
        std::min<uint64_t>(a.Below(m_config.randomAdversariesMax + 1), producers.size());
    const double until =
        ToSeconds(m_config.randomFaultsUntil > 0 ? m_config.randomFaultsUntil : 60 * kSecond);
    for (uint64_t k = 0; k < count; ++k)
    {
        const uint64_t pick = k + a.Below(producers.size() - k);
        std::swap(producers[k], producers[pick]);
        AdversarySpec s;
        s.producer = producers[k];
        s.kind = static_cast<AdversaryKind>(a.Below(5));
        const TimeNs from = FromSeconds(a.Uniform() * until / 2);
        const TimeNs until2 =
            std::min(FromSeconds(until), from + FromSeconds(10.0 + a.Uniform() * 20.0));
        // Only a withholder's window ends (its release); the others misbehave from the start.
        if (s.kind == AdversaryKind::kWithholder)
        {
            s.from = from;
            s.until = until2;
        }
        if (m_config.accounts > 0)
        {
            const auto account = static_cast<uint32_t>(a.Below(m_config.accounts));
            if (s.kind == AdversaryKind::kCensor)
            {
                s.censoredAccounts.push_back(account);
            }
        }
        s.overclaimFactor = 2.0 + a.Uniform() * 3.0;
        m_config.adversaries.push_back(s);
    }
}

void
Harness::DrawAttackers()
{
    // Their own stream: the byzantine producers drawn above stay what they were.
    Rng a = Rng::Derive(m_config.seed, "network-attackers");
    const RunGenesis genesis = MakeRunGenesis(MakePlan().genesis);
    std::vector<uint32_t> free; // full nodes without a genesis producer key
    for (uint32_t i = 0; i < m_config.nodeCount; ++i)
    {
        if (genesis.producerOf[i] < 0)
        {
            free.push_back(i);
        }
    }
    constexpr AttackVariant kDrawn[] = {AttackVariant::kValid, AttackVariant::kBadSignature,
                                        AttackVariant::kOversized, AttackVariant::kMalformed,
                                        AttackVariant::kDuplicate};
    const uint64_t count =
        std::min<uint64_t>(a.Below(m_config.randomAttackersMax + 1), free.size());
    for (uint64_t k = 0; k < count; ++k)
    {
        std::swap(free[k], free[k + a.Below(free.size() - k)]);
        AdversarySpec s;
        s.node = free[k];
        s.variant = kDrawn[a.Below(5)];
        s.kind = s.variant == AttackVariant::kValid || s.variant == AttackVariant::kBadSignature
                     ? AdversaryKind::kTxSpam
                     : AdversaryKind::kFlood;
        s.rate = 2.0 + a.Uniform() * 18.0;
        m_config.adversaries.push_back(s);
    }
}

AbstractLink
Harness::MakeLink(uint32_t a, uint32_t b) const
{
    const double bw = m_config.link.bandwidthBytesPerSecond;
    return AbstractLink{a, b, m_config.link.latency, bw, bw};
}

std::vector<AbstractLink>
Harness::BuildGraph() const
{
    Rng topo = Rng::Derive(m_config.seed, "topology");
    const uint32_t n = m_config.nodeCount;
    EdgeList edges;
    // Withholders collude over direct links.
    for (uint32_t a = 0; a < n; ++a)
    {
        for (uint32_t b = a + 1; b < n; ++b)
        {
            if (m_driver->IsWithholder(a) && m_driver->IsWithholder(b))
            {
                edges.Add(a, b);
            }
        }
    }
    // A random spanning tree keeps the graph connected; extra edges add redundancy.
    for (uint32_t i = 1; i < n; ++i)
    {
        edges.Add(i, static_cast<uint32_t>(topo.Below(i)));
    }
    const uint32_t extra = m_config.extraEdgesPerNode / 2 + m_config.extraEdgesPerNode % 2;
    for (uint32_t i = 0; i < n; ++i)
    {
        for (uint32_t k = 0; k < extra; ++k)
        {
            edges.Add(i, static_cast<uint32_t>(topo.Below(n)));
        }
    }
    std::vector<AbstractLink> links;
    for (const auto& [a, b] : edges.Edges())
    {
        links.push_back(MakeLink(a, b));
    }
    return links;
}

// Light participants hang off the full overlay; a stream of their own leaves the full nodes'
// graph as it is without them.
void
Harness::AddLightLinks(std::vector<AbstractLink>& links) const
{
    Rng topo = Rng::Derive(m_config.seed, "light-topology");
    const uint32_t full = m_config.nodeCount;
    const uint32_t want = std::min(m_config.lightPeersPerNode, full);
    for (uint32_t i = full; i < full + m_config.lightNodes; ++i)
    {
        EdgeList mine;
        while (mine.Edges().size() < want)
        {
            const auto f = static_cast<uint32_t>(topo.Below(full));
            if (!mine.Has(i, f))
            {
                mine.Add(i, f);
                links.push_back(MakeLink(f, i));
            }
        }
    }
}

void
Harness::DrawRandomFaults(const std::vector<AbstractLink>& links, AbstractNetworkSpec& spec)
{
    Rng f = Rng::Derive(m_config.seed, "faults");
    const TimeNs until = m_config.randomFaultsUntil;
    const double untilS = ToSeconds(until);
    const uint32_t n = m_config.nodeCount;
    spec.noisyUntil = until;
    spec.noisy.loss = f.Uniform() * 0.15;
    spec.noisy.duplicate = f.Uniform() * 0.05;
    spec.noisy.jitter = m_config.link.jitter + FromSeconds(f.Uniform() * 0.2);
    FaultPlan& plan = spec.faults;
    for (uint64_t k = f.Below(3); k > 0; --k)
    {
        PartitionFault p;
        p.start = FromSeconds(f.Uniform() * untilS);
        p.end = std::min(until, p.start + FromSeconds(5.0 + f.Uniform() * 40.0));
        for (uint32_t i = 0; i < n; ++i)
        {
            if (f.Below(2) == 1)
            {
                p.nodes.push_back(i);
            }
        }
        plan.partitions.push_back(p);
    }
    for (uint64_t k = f.Below(3); k > 0; --k)
    {
        CrashFault c;
        c.node = static_cast<uint32_t>(f.Below(n));
        c.at = FromSeconds(f.Uniform() * untilS);
        c.restartAt =
            std::max(c.at + kSecond, std::min(until, c.at + FromSeconds(2.0 + f.Uniform() * 20.0)));
        plan.crashes.push_back(c);
    }
    for (uint64_t k = f.Below(4); k > 0 && !links.empty(); --k)
    {
        const AbstractLink& l = links[f.Below(links.size())];
        LinkFault lf{l.a, l.b, FromSeconds(f.Uniform() * untilS), 0};
        lf.end = std::min(until, lf.start + FromSeconds(5.0 + f.Uniform() * 30.0));
        plan.links.push_back(lf);
    }
    for (uint64_t k = f.Below(3); k > 0; --k)
    {
        BurstFault b;
        b.start = FromSeconds(f.Uniform() * untilS);
        b.end = std::min(until, b.start + FromSeconds(2.0 + f.Uniform() * 10.0));
        b.loss = 0.2 + f.Uniform() * 0.6;
        b.extraDelay = FromSeconds(f.Uniform() * 2.0);
        plan.bursts.push_back(b);
    }
}

HarnessReport
Harness::Report() const
{
    HarnessReport r = m_driver->Summary();
    // The checkers saw the first violation as it happened: theirs come first.
    std::vector<std::string> violations = m_checker->Violations();
    violations.insert(violations.end(), r.violations.begin(), r.violations.end());
    r.violations = std::move(violations);
    return r;
}

void
UseProtocol(Protocol p, HarnessConfig& c)
{
    ConsensusParams& k = c.consensus;
    k.protocol = HasConsensusEngine(p) ? p : Protocol::kPop;
    switch (k.protocol)
    {
        case Protocol::kPop:
            break;
        case Protocol::kDpos:
            c.slotDuration = 500 * kMillisecond;
            k.dpos.producers = c.producerCount;
            k.dpos.repetitions = 2;
            break;
        case Protocol::kPos:
            k.pos.activeSlotCoefficient = 0.5;
            k.pos.confirmations = 5;
            k.pos.epochSlots = 30;
            break;
        case Protocol::kPow:
            c.slotDuration = 50 * kMillisecond;
            k.pow.meanInterval = 2 * kSecond;
            break;
        case Protocol::kPoi:
            k.poi.targetInterval = 4 * kSecond;
            k.poi.recomputeBlocks = 10;
            k.poi.finalityDepth = 8;
            break;
    }
}

} // namespace canon
