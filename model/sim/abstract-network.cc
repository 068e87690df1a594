#include "model/sim/abstract-network.h"

#include <algorithm>
#include <cmath>

namespace canon
{

AbstractNetwork::AbstractNetwork(AbstractNetworkSpec spec, ParticipantFactory factory,
                                 EventSink onEvent)
  : m_spec(std::move(spec))
  , m_factory(std::move(factory))
  , m_onEvent(std::move(onEvent))
  , m_rng(Rng::Derive(m_spec.seed, "network"))
{
    m_nodes.resize(m_spec.nodes);
    m_side.assign(m_spec.nodes, 0);
    m_linkBytes.assign(m_spec.links.size(), 0);
    for (uint32_t k = 0; k < m_spec.links.size(); ++k)
    {
        const AbstractLink& l = m_spec.links[k];
        CANON_ASSERT(l.a < m_spec.nodes && l.b < m_spec.nodes && l.a != l.b, "bad abstract link");
        m_nodes[l.a].ports.push_back({l.b, k, l.bytesPerSecondAb, 0});
        m_nodes[l.b].ports.push_back({l.a, k, l.bytesPerSecondBa, 0});
    }
    for (uint32_t i = 0; i < m_spec.nodes; ++i)
    {
        SimNode& sn = m_nodes[i];
        sn.light = !m_spec.light.empty() && m_spec.light[i];
        for (const Port& p : sn.ports)
        {
            sn.peers.push_back(p.to);
        }
        sn.peers = NormalizedPeers(sn.peers, i);
        if (m_spec.online.empty() || m_spec.online[i])
        {
            At(0, [this, i] { Restart(i); });
        }
    }
    for (uint32_t k = 0; k < m_spec.faults.partitions.size(); ++k)
    {
        const PartitionFault& p = m_spec.faults.partitions[k];
        Event b;
        b.kind = EventKind::kPartitionBegin;
        b.at = p.start;
        b.from = k;
        Schedule(b);
        b.kind = EventKind::kPartitionEnd;
        b.at = p.end;
        Schedule(b);
    }
}

void
AbstractNetwork::Schedule(Event e)
{
    e.seq = m_seq++;
    const TimeNs at = e.at;
    const uint64_t seq = e.seq;
    m_queue.Push(at, seq, std::move(e));
}

void
AbstractNetwork::At(TimeNs at, std::function<void()> fn)
{
    Event e;
    e.kind = EventKind::kCall;
    e.at = std::max(at, m_now);
    m_calls.emplace(m_seq, std::move(fn));
    Schedule(std::move(e));
}

void
AbstractNetwork::RunUntil(TimeNs t)
{
    while (!m_queue.Empty() && m_queue.NextAt() <= t)
    {
        const Event e = m_queue.Pop();
        m_now = e.at;
        Dispatch(e);
    }
    m_now = std::max(m_now, t);
}

void
AbstractNetwork::Dispatch(const Event& e)
{
    SimNode& sn = m_nodes[e.node];
    switch (e.kind)
    {
        case EventKind::kDeliver:
            if (sn.participant && m_side[e.from] == m_side[e.node])
            {
                Step(e.node, MessageInput{e.from, e.bytes});
            }
            return;
        case EventKind::kTimer:
            if (sn.participant && e.generation == sn.timerGeneration)
            {
                Step(e.node, TimerInput{TimerKind::kSlot});
            }
            return;
        case EventKind::kCall:
        {
            auto it = m_calls.find(e.seq);
            std::function<void()> fn = std::move(it->second);
            m_calls.erase(it);
            fn();
            return;
        }
        case EventKind::kPartitionBegin:
            m_side.assign(m_nodes.size(), 0);
            for (uint32_t n : m_spec.faults.partitions[e.from].nodes)
            {
                m_side[n] = 1;
            }
            return;
        case EventKind::kPartitionEnd:
            Heal();
            return;
    }
}

ParticipantSeat
AbstractNetwork::Seat(uint32_t i) const
{
    const SimNode& sn = m_nodes[i];
    ParticipantSeat seat;
    seat.id = i;
    seat.lastSignedSlot = sn.lastSignedSlot;
    for (PeerId p : sn.peers)
    {
        if (m_nodes[p].light)
        {
            seat.lightPeers.insert(p);
        }
        // A light participant talks to its full peers only.
        if (!sn.light || !m_nodes[p].light)
        {
            seat.peers.push_back(p);
        }
    }
    return seat;
}

void
AbstractNetwork::Restart(uint32_t i)
{
    SimNode& sn = m_nodes[i];
    if (sn.participant)
    {
        return;
    }
    sn.participant = m_factory(Seat(i));
    sn.adversary = dynamic_cast<const Adversary*>(sn.participant.get());
    sn.full =
        sn.adversary ? &sn.adversary->Follower() : dynamic_cast<const Node*>(sn.participant.get());
    sn.lightNode = dynamic_cast<const LightNode*>(sn.participant.get());
    ++sn.incarnation;
    ++sn.timerGeneration;
    Step(i, StartInput{});
}

void
AbstractNetwork::Peer(uint32_t a, uint32_t b, const AbstractLink& like)
{
    CANON_ASSERT(a < m_nodes.size() && b < m_nodes.size() && a != b, "bad peering");
    auto linked = [&](uint32_t from, uint32_t to)
    {
        const auto& ports = m_nodes[from].ports;
        return std::any_of(ports.begin(), ports.end(), [to](const Port& p) { return p.to == to; });
    };
    if (!linked(a, b))
    {
        AbstractLink l = like;
        l.a = a;
        l.b = b;
        const auto k = static_cast<uint32_t>(m_spec.links.size());
        m_spec.links.push_back(l);
        m_linkBytes.push_back(0);
        m_nodes[a].ports.push_back({b, k, l.bytesPerSecondAb, 0});
        m_nodes[b].ports.push_back({a, k, l.bytesPerSecondBa, 0});
    }
    for (auto [i, j] : {std::pair{a, b}, std::pair{b, a}})
    {
        m_nodes[i].peers.push_back(j);
        m_nodes[i].peers = NormalizedPeers(m_nodes[i].peers, i);
        UpdatePeers(i);
    }
}

bool
AbstractNetwork::Connect(uint32_t a, uint32_t b)
{
    if (!m_connectLink || a == b || a >= m_nodes.size() || b >= m_nodes.size() ||
        !m_nodes[a].full || !m_nodes[b].full)
    {
        return false;
    }
    Peer(a, b, *m_connectLink);
    return true;
}

void
AbstractNetwork::Unpeer(uint32_t a, uint32_t b)
{
    for (auto [i, j] : {std::pair{a, b}, std::pair{b, a}})
    {
        auto& peers = m_nodes[i].peers;
        peers.erase(std::remove(peers.begin(), peers.end(), j), peers.end());
        UpdatePeers(i);
    }
}

void
AbstractNetwork::UpdatePeers(uint32_t i)
{
    SimNode& sn = m_nodes[i];
    if (!sn.participant)
    {
        return; // a restart takes its peers from Seat()
    }
    ParticipantSeat seat = Seat(i);
    if (auto* adversary = dynamic_cast<Adversary*>(sn.participant.get()))
    {
        adversary->SetPeers(seat.peers, seat.lightPeers);
    }
    else if (auto* node = dynamic_cast<Node*>(sn.participant.get()))
    {
        node->SetPeers(seat.peers, seat.lightPeers);
    }
    else if (auto* light = dynamic_cast<LightNode*>(sn.participant.get()))
    {
        light->SetPeers(seat.peers);
    }
}

void
AbstractNetwork::Crash(uint32_t i)
{
    SimNode& sn = m_nodes[i];
    if (!sn.participant)
    {
        return;
    }
    sn.lastSignedSlot = LastSignedSlotOf(*sn.participant);
    sn.participant.reset();
    sn.full = nullptr;
    sn.lightNode = nullptr;
    sn.adversary = nullptr;
    ++sn.timerGeneration;
}

void
AbstractNetwork::Submit(uint32_t i, const Transaction& tx)
{
    if (m_nodes[i].participant)
    {
        Step(i, SubmitInput{tx});
    }
}

void
AbstractNetwork::AtNode(uint32_t i, LocalWork work)
{
    if (m_nodes[i].participant)
    {
        Step(i, LocalInput{std::move(work)});
    }
}

void
AbstractNetwork::Step(uint32_t i, const Input& input)
{
    m_actions.Clear();
    m_nodes[i].participant->Step(m_now, input, m_actions);
    CarryOut(i);
    if (m_afterStep)
    {
        m_afterStep(i);
    }
}

void
AbstractNetwork::CarryOut(uint32_t i)
{
    SimNode& sn = m_nodes[i];
    for (const SendAction& s : m_actions.sends)
    {
        Send(i, s);
    }
    for (const TimerAction& t : m_actions.timers)
    {
        Event e;
        e.kind = EventKind::kTimer;
        e.at = std::max(t.at, m_now);
        e.node = i;
        e.generation = ++sn.timerGeneration;
        Schedule(e);
    }
    for (const NodeEvent& ev : m_actions.events)
    {
        m_onEvent(i, ev);
    }
}

bool
AbstractNetwork::Blocked(uint32_t from, uint32_t to, uint32_t link) const
{
    if (m_side[from] != m_side[to])
    {
        return true;
    }
    for (const LinkFault& l : m_spec.faults.links)
    {
        const AbstractLink& k = m_spec.links[link];
        const bool same = (l.a == k.a && l.b == k.b) || (l.a == k.b && l.b == k.a);
        if (same && m_now >= l.start && m_now < l.end)
        {
            return true;
        }
    }
    return false;
}

void
AbstractNetwork::Send(uint32_t from, const SendAction& s)
{
    SimNode& sn = m_nodes[from];
    const uint64_t size = s.bytes->size();
    sn.traffic.sent += size;
    (s.relayed ? sn.traffic.relayed : sn.traffic.originated) += size;
    auto port = std::find_if(sn.ports.begin(), sn.ports.end(),
                             [&s](const Port& p) { return p.to == s.to; });
    CANON_ASSERT(port != sn.ports.end(), "a participant sent to a node it has no link to");
    const LinkNoise& noise = Noise();
    if (Blocked(from, s.to, port->link) || m_rng.Chance(noise.loss))
    {
        return;
    }
    TimeNs burstDelay = 0;
    for (const BurstFault& b : m_spec.faults.bursts)
    {
        if (m_now >= b.start && m_now < b.end)
        {
            if (m_rng.Chance(b.loss))
            {
                return;
            }
            burstDelay += b.extraDelay;
        }
    }
    m_linkBytes[port->link] += size;
    // Each direction of a link serialises its messages at its bandwidth, then they fly.
    const TimeNs start = std::max(m_now, port->busyUntil);
    port->busyUntil = start + FromSeconds(static_cast<double>(size) / port->bytesPerSecond);
    const TimeNs jitter =
        noise.jitter > 0 ? static_cast<TimeNs>(m_rng.Below(static_cast<uint64_t>(noise.jitter)))
                         : 0;
    const TimeNs latency = m_spec.links[port->link].latency;
    Event e;
    e.kind = EventKind::kDeliver;
    e.at = port->busyUntil + latency + jitter + burstDelay;
    e.node = s.to;
    e.from = from;
    e.bytes = s.bytes;
    Schedule(e);
    if (m_rng.Chance(noise.duplicate))
    {
        e.at += latency;
        Schedule(e);
    }
}

std::vector<Edge>
AbstractNetwork::TakeEpochGraph()
{
    std::vector<Edge> out;
    for (uint32_t k = 0; k < m_linkBytes.size(); ++k)
    {
        if (m_linkBytes[k] > 0)
        {
            const AbstractLink& l = m_spec.links[k];
            out.emplace_back(std::min(l.a, l.b), std::max(l.a, l.b));
        }
        m_linkBytes[k] = 0;
    }
    return out;
}

} // namespace canon
