#include "model/sim/harness.h"

#include "model/consensus/finality.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <sstream>

namespace canon
{

namespace
{

TimeNs
Seconds(double s)
{
    return static_cast<TimeNs>(std::llround(s * static_cast<double>(kSecond)));
}

constexpr std::size_t kViolationsMax = 20;

} // namespace

Harness::Harness(HarnessConfig config)
  : m_config(std::move(config))
  , m_activeLink(m_config.link)
  , m_netRng(Rng::Derive(m_config.seed, "network"))
  , m_workloadRng(Rng::Derive(m_config.seed, "workload"))
{
    CANON_ASSERT(m_config.nodeCount >= m_config.producerCount && m_config.producerCount > 0,
                 "harness needs producerCount in [1, nodeCount]");
    m_report.seed = m_config.seed;
    m_nodes.resize(m_config.nodeCount + m_config.lightNodes);
    m_side.assign(m_nodes.size(), 0);
    for (uint32_t i = m_config.nodeCount; i < m_nodes.size(); ++i)
    {
        m_nodes[i].isLight = true;
    }
    BuildParams();
    if (m_config.randomAdversariesMax > 0)
    {
        DrawAdversaries();
    }
    PlaceAdversaries();
    BuildTopology();
    BuildLightLinks();
    if (m_config.randomFaultsUntil > 0)
    {
        DrawRandomFaults();
    }
    for (uint32_t i = 0; i < m_nodes.size(); ++i)
    {
        int p = m_nodes[i].producerIndex;
        bool offline =
            p >= 0 && std::find(m_config.offlineProducers.begin(), m_config.offlineProducers.end(),
                                static_cast<uint32_t>(p)) != m_config.offlineProducers.end();
        if (!offline)
        {
            Event e;
            e.kind = EventKind::kStart;
            e.node = i;
            Schedule(e);
        }
    }
    for (uint32_t k = 0; k < m_config.partitions.size(); ++k)
    {
        Event b;
        b.kind = EventKind::kPartitionBegin;
        b.at = m_config.partitions[k].start;
        b.index = k;
        Schedule(b);
        Event e = b;
        e.kind = EventKind::kPartitionEnd;
        e.at = m_config.partitions[k].end;
        Schedule(e);
    }
    for (const CrashSpec& c : m_config.crashes)
    {
        Event e;
        e.kind = EventKind::kCrash;
        e.at = c.at;
        e.node = c.node;
        Schedule(e);
        if (c.restartAt > c.at)
        {
            e.kind = EventKind::kRestart;
            e.at = c.restartAt;
            Schedule(e);
        }
    }
    if (m_config.lightNodes > 0)
    {
        Event e;
        e.kind = EventKind::kLightWorkload;
        e.at = m_config.lightTxInterval / 2;
        Schedule(e);
    }
    if (m_config.czrEpochSlots > 0)
    {
        Event e;
        e.kind = EventKind::kCzrEpoch;
        e.at = static_cast<TimeNs>(m_config.czrEpochSlots) * m_config.slotDuration;
        Schedule(e);
    }
    if (m_config.txPerSecond > 0)
    {
        Event w;
        w.kind = EventKind::kWorkload;
        w.at = Seconds(m_workloadRng.Exponential(1.0 / m_config.txPerSecond));
        Schedule(w);
    }
}

void
Harness::BuildParams()
{
    auto params = std::make_shared<ChainParams>();
    params->slotDuration = m_config.slotDuration;
    params->finalityThresholdOverride = m_config.finalityThresholdOverride;
    params->czc.push_back({0, Blake2b256(std::string("CanonChain CZC rules v1"))});
    // Producers sit on nodes chosen by the placement stream.
    std::vector<uint32_t> nodes(m_config.nodeCount);
    std::iota(nodes.begin(), nodes.end(), 0);
    Rng placement = Rng::Derive(m_config.seed, "placement");
    for (uint32_t i = m_config.nodeCount; i > 1; --i)
    {
        std::swap(nodes[i - 1], nodes[placement.Below(i)]);
    }
    for (uint32_t p = 0; p < m_config.producerCount; ++p)
    {
        KeyPair key = DeriveKeyPair(m_config.seed, "producer", p);
        params->producers.push_back(key.Public());
        m_nodes[nodes[p]].key = key;
        m_nodes[nodes[p]].producerIndex = static_cast<int>(p);
    }
    // Every node can be elected, so every node has a key; node accounts and the CZR engine are
    // funded to pay for claims and reports.
    std::vector<Address> investors;
    for (uint32_t i = 0; i < m_nodes.size(); ++i)
    {
        if (!m_nodes[i].key)
        {
            m_nodes[i].key = DeriveKeyPair(m_config.seed, "node", i);
        }
        investors.push_back(m_nodes[i].key->GetAddress());
    }
    m_claimNonce.assign(m_nodes.size(), 0);
    for (uint32_t a = 0; a < m_config.accounts; ++a)
    {
        m_accounts.push_back(DeriveKeyPair(m_config.seed, "account", a));
        m_walletNonce.push_back(0);
        investors.push_back(m_accounts.back().GetAddress());
    }
    m_oracle = DeriveKeyPair(m_config.seed, "czr", 0);
    investors.push_back(m_oracle.GetAddress());
    if (m_config.czrEpochSlots > 0)
    {
        params->czrOracle = m_oracle.Public();
    }
    params->genesis = MakeGenesisAllocation(investors, Blake2b256(std::string("team")),
                                            Blake2b256(std::string("community")));
    m_params = params;
    m_irreversible.push_back(params->GenesisHash());
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
        s.withholdFrom = Seconds(a.Uniform() * until / 2);
        s.releaseAt = std::min(Seconds(until), s.withholdFrom + Seconds(10.0 + a.Uniform() * 20.0));
        if (m_config.accounts > 0)
        {
            s.censoredAccounts.push_back(static_cast<uint32_t>(a.Below(m_config.accounts)));
        }
        s.overclaimFactor = 2.0 + a.Uniform() * 3.0;
        m_config.adversaries.push_back(s);
    }
}

void
Harness::PlaceAdversaries()
{
    for (const AdversarySpec& s : m_config.adversaries)
    {
        CANON_ASSERT(s.producer < m_config.producerCount, "adversary names no producer");
        for (SimNode& sn : m_nodes)
        {
            if (sn.producerIndex == static_cast<int>(s.producer))
            {
                sn.spec = s;
            }
        }
        for (uint32_t a : s.censoredAccounts)
        {
            if (a < m_accounts.size())
            {
                m_censored.insert(m_accounts[a].GetAddress());
            }
        }
    }
}

void
Harness::BuildTopology()
{
    Rng topo = Rng::Derive(m_config.seed, "topology");
    const uint32_t n = m_config.nodeCount;
    auto connect = [this](uint32_t a, uint32_t b)
    {
        if (a == b)
        {
            return;
        }
        for (const Link& l : m_nodes[a].links)
        {
            if (l.to == b)
            {
                return;
            }
        }
        m_nodes[a].links.push_back({b, 0});
        m_nodes[b].links.push_back({a, 0});
    };
    // Withholders collude over direct links (added first, so the random draws stay the same
    // as without them only when there are none).
    for (uint32_t a = 0; a < n; ++a)
    {
        for (uint32_t b = a + 1; b < n; ++b)
        {
            if (m_nodes[a].spec && m_nodes[b].spec &&
                m_nodes[a].spec->kind == AdversaryKind::kWithholder &&
                m_nodes[b].spec->kind == AdversaryKind::kWithholder)
            {
                connect(a, b);
            }
        }
    }
    // A random spanning tree keeps the graph connected; extra edges add redundancy.
    for (uint32_t i = 1; i < n; ++i)
    {
        connect(i, static_cast<uint32_t>(topo.Below(i)));
    }
    for (uint32_t i = 0; i < n; ++i)
    {
        for (uint32_t k = 0; k < m_config.extraEdgesPerNode / 2 + m_config.extraEdgesPerNode % 2;
             ++k)
        {
            connect(i, static_cast<uint32_t>(topo.Below(n)));
        }
    }
}

// Light participants hang off the full overlay; a stream of their own leaves the full nodes'
// topology as it is without them.
void
Harness::BuildLightLinks()
{
    Rng topo = Rng::Derive(m_config.seed, "light-topology");
    const uint32_t full = m_config.nodeCount;
    const uint32_t want = std::min(m_config.lightPeersPerNode, full);
    for (uint32_t i = full; i < m_nodes.size(); ++i)
    {
        while (m_nodes[i].links.size() < want)
        {
            const auto f = static_cast<uint32_t>(topo.Below(full));
            const bool linked = std::any_of(m_nodes[i].links.begin(), m_nodes[i].links.end(),
                                            [f](const Link& l) { return l.to == f; });
            if (!linked)
            {
                m_nodes[i].links.push_back({f, 0});
                m_nodes[f].links.push_back({i, 0});
            }
        }
    }
}

void
Harness::DrawRandomFaults()
{
    Rng f = Rng::Derive(m_config.seed, "faults");
    const TimeNs until = m_config.randomFaultsUntil;
    const uint32_t n = m_config.nodeCount;
    m_activeLink.loss = f.Uniform() * 0.15;
    m_activeLink.duplicate = f.Uniform() * 0.05;
    m_activeLink.jitter = m_config.link.jitter + Seconds(f.Uniform() * 0.2);
    const uint64_t partitions = f.Below(3);
    for (uint64_t k = 0; k < partitions; ++k)
    {
        PartitionSpec p;
        p.start = Seconds(f.Uniform() * ToSeconds(until));
        p.end = std::min(until, p.start + Seconds(5.0 + f.Uniform() * 40.0));
        p.side.resize(n);
        for (auto& s : p.side)
        {
            s = static_cast<uint32_t>(f.Below(2));
        }
        m_config.partitions.push_back(p);
    }
    const uint64_t crashes = f.Below(3);
    for (uint64_t k = 0; k < crashes; ++k)
    {
        CrashSpec c;
        c.node = static_cast<uint32_t>(f.Below(n));
        c.at = Seconds(f.Uniform() * ToSeconds(until));
        c.restartAt = std::min(until, c.at + Seconds(2.0 + f.Uniform() * 20.0));
        if (c.restartAt <= c.at)
        {
            c.restartAt = c.at + kSecond;
        }
        m_config.crashes.push_back(c);
    }
    // Link failures and bursts come last, so the draws above stay those of earlier versions.
    const uint64_t linkFailures = f.Below(4);
    for (uint64_t k = 0; k < linkFailures; ++k)
    {
        const uint32_t a = static_cast<uint32_t>(f.Below(n));
        if (m_nodes[a].links.empty())
        {
            continue;
        }
        LinkFailureSpec l;
        l.a = a;
        l.b = m_nodes[a].links[f.Below(m_nodes[a].links.size())].to;
        l.start = Seconds(f.Uniform() * ToSeconds(until));
        l.end = std::min(until, l.start + Seconds(5.0 + f.Uniform() * 30.0));
        m_config.linkFailures.push_back(l);
    }
    const uint64_t bursts = f.Below(3);
    for (uint64_t k = 0; k < bursts; ++k)
    {
        BurstSpec b;
        b.start = Seconds(f.Uniform() * ToSeconds(until));
        b.end = std::min(until, b.start + Seconds(2.0 + f.Uniform() * 10.0));
        b.loss = 0.2 + f.Uniform() * 0.6;
        b.extraDelay = Seconds(f.Uniform() * 2.0);
        m_config.bursts.push_back(b);
    }
    Event heal;
    heal.kind = EventKind::kHeal;
    heal.at = until;
    Schedule(heal);
}

void
Harness::Schedule(Event e)
{
    e.seq = m_seq++;
    m_queue.push(std::move(e));
}

void
Harness::RunUntil(TimeNs t)
{
    while (!m_queue.empty() && m_queue.top().at <= t)
    {
        Event e = m_queue.top();
        m_queue.pop();
        m_now = e.at;
        Dispatch(e);
    }
    m_now = t;
}

void
Harness::Dispatch(const Event& e)
{
    SimNode& sn = m_nodes[e.node];
    switch (e.kind)
    {
        case EventKind::kStart:
            Restart(e.node);
            break;
        case EventKind::kDeliver:
            if (Alive(sn) && Connected(e.from, e.node))
            {
                StepNode(e.node, MessageInput{e.from, e.bytes});
            }
            break;
        case EventKind::kTimer:
            if (Alive(sn) && e.generation == sn.timerGeneration)
            {
                StepNode(e.node, TimerInput{TimerKind::kSlot});
            }
            break;
        case EventKind::kWorkload:
        {
            RunWorkload();
            Event next;
            next.kind = EventKind::kWorkload;
            next.at =
                m_now +
                std::max<TimeNs>(1, Seconds(m_workloadRng.Exponential(1.0 / m_config.txPerSecond)));
            Schedule(next);
            break;
        }
        case EventKind::kCrash:
            Crash(e.node);
            break;
        case EventKind::kRestart:
            Restart(e.node);
            break;
        case EventKind::kPartitionBegin:
            m_side = m_config.partitions[e.index].side;
            break;
        case EventKind::kPartitionEnd:
            Heal();
            break;
        case EventKind::kHeal:
            m_activeLink = m_config.link;
            Heal();
            break;
        case EventKind::kCzrEpoch:
            CzrEpoch();
            break;
        case EventKind::kCzrReport:
            CzrReport();
            break;
        case EventKind::kVotes:
            Votes();
            break;
        case EventKind::kLightWorkload:
        {
            RunLightWorkload();
            Event next;
            next.kind = EventKind::kLightWorkload;
            next.at = m_now + m_config.lightTxInterval;
            Schedule(next);
            break;
        }
    }
}

void
Harness::Crash(uint32_t i)
{
    SimNode& sn = m_nodes[i];
    if (sn.light)
    {
        sn.light.reset();
        ++sn.timerGeneration;
        return;
    }
    if (!sn.node)
    {
        return;
    }
    sn.lastSignedSlot = sn.adversary ? sn.adversary->LastSignedSlot() : sn.node->LastSignedSlot();
    sn.adversary.reset();
    sn.node.reset();
    ++sn.timerGeneration;
}

void
Harness::Restart(uint32_t i)
{
    SimNode& sn = m_nodes[i];
    if (Alive(sn))
    {
        return;
    }
    if (sn.isLight)
    {
        LightNodeConfig lc;
        lc.id = i;
        lc.params = m_params;
        for (const Link& l : sn.links)
        {
            lc.peers.push_back(l.to);
        }
        sn.light = std::make_unique<LightNode>(std::move(lc));
        ++sn.incarnation;
        ++sn.timerGeneration;
        StepNode(i, StartInput{});
        return;
    }
    NodeConfig c;
    c.id = i;
    c.params = m_params;
    // An adversary's follower holds no key: the adversary signs (adversary.h).
    if (!sn.spec)
    {
        c.producerKey = sn.key;
    }
    std::set<PeerId> coalition;
    for (const Link& l : sn.links)
    {
        c.peers.push_back(l.to);
        if (m_nodes[l.to].isLight)
        {
            c.lightPeers.insert(l.to);
        }
        if (sn.spec && m_nodes[l.to].spec && m_nodes[l.to].spec->kind == sn.spec->kind)
        {
            coalition.insert(l.to);
        }
    }
    c.limits = m_config.limits;
    c.lastSignedSlot = sn.lastSignedSlot;
    sn.node = std::make_unique<Node>(std::move(c));
    if (sn.spec)
    {
        AdversaryConfig a;
        a.kind = sn.spec->kind;
        a.key = *sn.key;
        a.seed = m_config.seed * 1000003 + i;
        a.withholdFrom = sn.spec->withholdFrom;
        a.releaseAt = sn.spec->releaseAt;
        a.coalition = std::move(coalition);
        a.censored = m_censored;
        a.overclaimFactor = sn.spec->overclaimFactor;
        sn.adversary = std::make_unique<Adversary>(std::move(a), *sn.node, sn.lastSignedSlot);
    }
    ++sn.incarnation;
    ++sn.timerGeneration;
    sn.libHeight = 0;
    sn.bestHash = m_params->GenesisHash();
    StepNode(i, StartInput{});
}

void
Harness::SubmitTransaction(uint32_t node, const Transaction& tx)
{
    if (m_nodes[node].node)
    {
        ++m_report.txSubmitted;
        if (tx.type == TxType::kTransfer)
        {
            m_submittedAt.emplace(tx.Id(), m_now);
        }
        StepNode(node, SubmitInput{tx});
    }
}

void
Harness::RunWorkload()
{
    std::vector<uint32_t> live;
    for (uint32_t i = 0; i < m_nodes.size(); ++i)
    {
        if (m_nodes[i].node)
        {
            live.push_back(i);
        }
    }
    if (live.empty() || m_accounts.size() < 2)
    {
        return;
    }
    const uint32_t node = live[m_workloadRng.Below(live.size())];
    const uint64_t from = m_workloadRng.Below(m_accounts.size());
    uint64_t to = m_workloadRng.Below(m_accounts.size() - 1);
    to += to >= from ? 1 : 0;
    const uint64_t amount = 1 + m_workloadRng.Below(1000) * kUnitsPerCzr / 1000;
    const uint64_t fee = 1 + m_workloadRng.Below(1000);
    // The wallet counts its own nonces. When its node's view falls far behind (transactions
    // lost with a crashed node), it starts again from the node's account nonce.
    const Node& n = *m_nodes[node].node;
    const Address addr = m_accounts[from].GetAddress();
    const uint64_t nonce = NextWalletNonce(m_walletNonce[from], n, addr);
    Transaction tx = MakeTransfer(m_accounts[from], nonce, fee,
                                  m_params->CzcHashAt(n.Chain().Best()->height + 1),
                                  m_accounts[to].GetAddress(), amount);
    SubmitTransaction(node, tx);
}

void
Harness::RunLightWorkload()
{
    for (uint32_t i = m_config.nodeCount; i < m_nodes.size(); ++i)
    {
        SimNode& sn = m_nodes[i];
        if (!sn.light || m_accounts.empty())
        {
            continue;
        }
        const uint64_t to = m_workloadRng.Below(m_accounts.size());
        const LightNode& light = *sn.light;
        Transaction tx = MakeTransfer(
            *sn.key, NextWalletNonce(sn.walletNonce, light, sn.key->GetAddress()), 10,
            m_params->CzcHashAt(light.Best()->height + 1), m_accounts[to].GetAddress(), 1000);
        ++m_report.txSubmitted;
        StepNode(i, SubmitInput{tx});
    }
}

void
Harness::StepNode(uint32_t i, const Input& input)
{
    m_actions.Clear();
    if (m_nodes[i].light)
    {
        m_nodes[i].light->Step(m_now, input, m_actions);
    }
    else if (m_nodes[i].adversary)
    {
        m_nodes[i].adversary->Step(m_now, input, m_actions);
    }
    else
    {
        m_nodes[i].node->Step(m_now, input, m_actions);
    }
    CarryOut(i, m_actions);
    Check(i);
}

void
Harness::CarryOut(uint32_t i, Actions& actions)
{
    SimNode& sn = m_nodes[i];
    for (const SendAction& s : actions.sends)
    {
        (s.relayed ? sn.bytesRelayed : sn.bytesOriginated) += s.bytes->size();
        Send(i, s.to, s.bytes);
    }
    for (const TimerAction& t : actions.timers)
    {
        Event e;
        e.kind = EventKind::kTimer;
        e.at = std::max(t.at, m_now);
        e.node = i;
        e.generation = ++sn.timerGeneration;
        Schedule(e);
    }
    for (const NodeEvent& ev : actions.events)
    {
        m_report.Observe(m_now, i, ev, *m_params);
    }
}

void
Harness::Send(uint32_t from, uint32_t to, const SharedBytes& bytes)
{
    SimNode& sn = m_nodes[from];
    sn.bytesSent += bytes->size();
    auto link =
        std::find_if(sn.links.begin(), sn.links.end(), [to](const Link& l) { return l.to == to; });
    CANON_ASSERT(link != sn.links.end(), "node sent to a peer it has no link to");
    if (!Connected(from, to) || LinkDown(from, to) || m_netRng.Chance(m_activeLink.loss))
    {
        return;
    }
    TimeNs burstDelay = 0;
    for (const BurstSpec& b : m_config.bursts)
    {
        if (m_now >= b.start && m_now < b.end)
        {
            if (m_netRng.Chance(b.loss))
            {
                return;
            }
            if (b.extraDelay > 0)
            {
                burstDelay +=
                    static_cast<TimeNs>(m_netRng.Below(static_cast<uint64_t>(b.extraDelay)));
            }
        }
    }
    link->bytesThisEpoch += bytes->size();
    // Each directed link serialises its packets at the link's bandwidth, then they fly.
    const TimeNs start = std::max(m_now, link->busyUntil);
    const TimeNs transfer =
        Seconds(static_cast<double>(bytes->size()) / m_activeLink.bandwidthBytesPerSecond);
    link->busyUntil = start + transfer;
    const TimeNs jitter =
        m_activeLink.jitter > 0
            ? static_cast<TimeNs>(m_netRng.Below(static_cast<uint64_t>(m_activeLink.jitter)))
            : 0;
    Event e;
    e.kind = EventKind::kDeliver;
    e.at = link->busyUntil + m_activeLink.latency + jitter + burstDelay;
    e.node = to;
    e.from = from;
    e.bytes = bytes;
    Schedule(e);
    if (m_netRng.Chance(m_activeLink.duplicate))
    {
        e.at += m_activeLink.latency;
        Schedule(e);
    }
}

bool
Harness::LinkDown(uint32_t a, uint32_t b) const
{
    for (const LinkFailureSpec& l : m_config.linkFailures)
    {
        if (m_now >= l.start && m_now < l.end && ((l.a == a && l.b == b) || (l.a == b && l.b == a)))
        {
            return true;
        }
    }
    return false;
}

void
Harness::Violation(const std::string& what)
{
    if (m_report.violations.size() < kViolationsMax)
    {
        char prefix[96];
        std::snprintf(prefix, sizeof prefix,
                      "seed %llu, t=%.3f s: ", static_cast<unsigned long long>(m_config.seed),
                      ToSeconds(m_now));
        m_report.violations.push_back(prefix + what);
    }
}

void
Harness::Check(uint32_t i)
{
    SimNode& sn = m_nodes[i];
    if (!sn.node || sn.spec)
    {
        return; // the checkers speak for honest nodes
    }
    const PopChain& chain = sn.node->Chain();
    const BlockEntry* lib = chain.Lib();
    if (lib->height > m_libHeightMax)
    {
        m_libHeightMax = lib->height;
        m_lastFinalityAt = m_now;
    }
    if (lib->height < sn.libHeight)
    {
        Violation("node " + std::to_string(i) + " irreversible height went back from " +
                  std::to_string(sn.libHeight) + " to " + std::to_string(lib->height));
    }
    if (lib->height > sn.libHeight)
    {
        for (const BlockEntry* e = lib; e && e->height > sn.libHeight; e = e->parent)
        {
            if (m_irreversible.size() <= e->height)
            {
                m_irreversible.resize(e->height + 1, Hash256{});
            }
            Hash256& recorded = m_irreversible[e->height];
            if (recorded == Hash256{})
            {
                recorded = e->hash;
            }
            else if (recorded != e->hash)
            {
                Violation("agreement: node " + std::to_string(i) + " holds irreversible block " +
                          ShortHex(e->hash) + " at height " + std::to_string(e->height) +
                          " where another node holds " + ShortHex(recorded));
            }
        }
        sn.libHeight = lib->height;
    }
    const BlockEntry* best = chain.Best();
    if (best->hash != sn.bestHash)
    {
        sn.bestHash = best->hash;
        const uint64_t supply = best->state->TotalSupply();
        if (supply != kTotalSupply)
        {
            Violation("supply: node " + std::to_string(i) + " holds " + std::to_string(supply) +
                      " at height " + std::to_string(best->height) + ", genesis minted " +
                      std::to_string(kTotalSupply));
        }
    }
}

int
Harness::BestLiveNode() const
{
    int best = -1;
    for (uint32_t i = 0; i < m_nodes.size(); ++i)
    {
        const Node* n = m_nodes[i].node.get();
        if (n && !m_nodes[i].spec &&
            (best < 0 || n->Chain().Best()->height >
                             m_nodes[static_cast<uint32_t>(best)].node->Chain().Best()->height))
        {
            best = static_cast<int>(i);
        }
    }
    return best;
}

// Scores the epoch from the harness's traffic counters; every live node claims what it measured
// of itself; the report follows two slots later and the votes one slot after it.
void
Harness::CzrEpoch()
{
    Event next;
    next.kind = EventKind::kCzrEpoch;
    next.at = m_now + static_cast<TimeNs>(m_config.czrEpochSlots) * m_config.slotDuration;
    Schedule(next);
    EpochMeasurement m;
    m.epoch = ++m_czrEpoch;
    m.nowBlock = m_params->SlotAt(m_now);
    for (uint32_t i = 0; i < m_nodes.size(); ++i)
    {
        SimNode& sn = m_nodes[i];
        NodeMeasurement nm;
        nm.account = sn.key->GetAddress();
        nm.applications = {ApplicationType::kMeshNetwork};
        nm.bytesOriginated = sn.bytesOriginated;
        nm.bytesRelayed = sn.bytesRelayed;
        nm.alive = Alive(sn);
        m.nodes.push_back(nm);
        sn.bytesOriginated = sn.bytesRelayed = 0;
        for (Link& l : sn.links)
        {
            if (l.bytesThisEpoch > 0 && i < l.to)
            {
                m.activeLinks.emplace_back(i, l.to);
            }
            l.bytesThisEpoch = 0;
        }
    }
    CentralitySettings centrality;
    centrality.threads = 1; // small graphs; keep the harness single-threaded
    EpochScores scores = ScoreEpoch(m, ContributionParams{}, centrality);
    for (uint32_t i = 0; i < m_nodes.size(); ++i)
    {
        const Node* node = m_nodes[i].node.get();
        if (!node)
        {
            continue;
        }
        ClaimPayload c;
        c.epoch = m.epoch;
        const double scale = m_nodes[i].adversary ? m_nodes[i].adversary->ClaimScale() : 1.0;
        c.score = ToScoreUnits(scores.scores[i].total * scale);
        c.application = static_cast<uint8_t>(ApplicationType::kMeshNetwork);
        const KeyPair& key = *m_nodes[i].key;
        Transaction tx =
            MakeTransaction(key, TxType::kContributionClaim,
                            NextWalletNonce(m_claimNonce[i], *node, key.GetAddress()), 1,
                            m_params->CzcHashAt(node->Chain().Best()->height + 1), c.Encode());
        StepNode(i, SubmitInput{tx});
    }
    m_pendingReport = scores.report;
    Event report;
    report.kind = EventKind::kCzrReport;
    report.at = m_now + 2 * m_config.slotDuration;
    Schedule(report);
}

void
Harness::CzrReport()
{
    const int best = BestLiveNode();
    if (best < 0)
    {
        return;
    }
    const auto i = static_cast<uint32_t>(best);
    const Node& node = *m_nodes[i].node;
    Transaction tx = MakeTransaction(
        m_oracle, TxType::kCzrReport, NextWalletNonce(m_oracleNonce, node, m_oracle.GetAddress()),
        1, m_params->CzcHashAt(node.Chain().Best()->height + 1), m_pendingReport.Encode());
    StepNode(i, SubmitInput{tx});
    Event votes;
    votes.kind = EventKind::kVotes;
    votes.at = m_now + m_config.slotDuration;
    Schedule(votes);
}

// The first half of the accounts approve the N best claimants of the report on a live node's
// chain, each through a random live node.
void
Harness::Votes()
{
    const int best = BestLiveNode();
    if (best < 0)
    {
        return;
    }
    const PopState& pop = m_nodes[static_cast<uint32_t>(best)].node->Chain().BestState().Pop();
    const std::vector<Address> claimants = RankClaimants(pop);
    VotePayload v;
    for (std::size_t k = 0; k < claimants.size() && k < m_config.producerCount; ++k)
    {
        v.candidates.push_back(claimants[k]);
    }
    for (std::size_t a = 0; a < m_accounts.size() / 2; ++a)
    {
        std::vector<uint32_t> live;
        for (uint32_t i = 0; i < m_nodes.size(); ++i)
        {
            if (m_nodes[i].node)
            {
                live.push_back(i);
            }
        }
        const uint32_t i = live[m_workloadRng.Below(live.size())];
        const Node& node = *m_nodes[i].node;
        Transaction tx =
            MakeTransaction(m_accounts[a], TxType::kVote,
                            NextWalletNonce(m_walletNonce[a], node, m_accounts[a].GetAddress()), 1,
                            m_params->CzcHashAt(node.Chain().Best()->height + 1), v.Encode());
        StepNode(i, SubmitInput{tx});
    }
}

void
Harness::InclusionDelays(const PopChain& chain, HarnessReport& r) const
{
    double censored = 0, other = 0;
    uint64_t nCensored = 0, nOther = 0;
    for (const BlockEntry* e = chain.Best(); e && e->height > 0; e = e->parent)
    {
        for (const Transaction& tx : e->block->txs)
        {
            auto it = m_submittedAt.find(tx.Id());
            if (it == m_submittedAt.end())
            {
                continue;
            }
            const double d =
                ToSeconds(std::max<TimeNs>(0, e->block->header.timestamp - it->second));
            if (m_censored.count(tx.SenderAddress()))
            {
                censored += d;
                ++nCensored;
            }
            else
            {
                other += d;
                ++nOther;
            }
        }
    }
    r.censoredDelayMeanSeconds = nCensored ? censored / static_cast<double>(nCensored) : -1;
    r.otherDelayMeanSeconds = nOther ? other / static_cast<double>(nOther) : -1;
}

HarnessReport
Harness::Report() const
{
    HarnessReport r = m_report;
    r.simulatedTime = m_now;
    r.nodes = NodeCount();
    r.slotsElapsed = m_params->SlotAt(m_now);
    const Node* ref = nullptr;
    bool first = true;
    for (const SimNode& sn : m_nodes)
    {
        r.bytesSent += sn.bytesSent;
        if (sn.isLight)
        {
            ++r.lightNodes;
            r.bytesSentLight += sn.bytesSent;
        }
        if (!sn.node || sn.spec)
        {
            continue;
        }
        ref = ref ? ref : sn.node.get();
        const uint64_t lib = sn.node->Chain().Lib()->height;
        r.libHeightMin = first ? lib : std::min(r.libHeightMin, lib);
        r.libHeightMax = std::max(r.libHeightMax, lib);
        first = false;
    }
    if (ref)
    {
        r.FillFromChain(ref->Chain());
        r.elections = ref->Chain().BestState().Pop().elections;
        r.slashedKeys = ref->Chain().BestState().Pop().slashed.size();
        if (!m_censored.empty())
        {
            InclusionDelays(ref->Chain(), r);
        }
    }
    r.byzantineProducers = static_cast<uint32_t>(m_config.adversaries.size());
    for (const AdversarySpec& a : m_config.adversaries)
    {
        r.byzantineKinds +=
            (r.byzantineKinds.empty() ? "" : ", ") + std::string(AdversaryKindName(a.kind));
    }
    r.stall.clear(); // the harness knows more than one node's chain: it decides below
    // Three cycles without a new irreversible block anywhere: say so, and how many producers
    // were byzantine against what finality needs.
    const TimeNs quiet = 3 * static_cast<TimeNs>(m_config.producerCount) * m_config.slotDuration;
    if (m_now - m_lastFinalityAt > quiet)
    {
        char buf[256];
        std::snprintf(buf, sizeof buf,
                      "finality stalled: nothing became irreversible after t=%.1f s; %u of %u "
                      "producers byzantine, finality needs %u distinct producers",
                      ToSeconds(m_lastFinalityAt), r.byzantineProducers, m_config.producerCount,
                      m_config.finalityThresholdOverride > 0
                          ? m_config.finalityThresholdOverride
                          : FinalityThreshold(m_config.producerCount));
        r.stall = buf;
    }
    return r;
}

} // namespace canon
