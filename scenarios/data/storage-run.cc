#include "scenarios/data/storage-run.h"

#include "model/core/rng.h"

#include <cmath>
#include <deque>

namespace canon
{

StorageNetwork::StorageNetwork(uint32_t n, StorageConfig config,
                               std::vector<std::vector<uint32_t>> hops, TimeNs hopLatency,
                               double hopBytesPerSecond)
  : m_hops(std::move(hops))
  , m_hopLatency(hopLatency)
  , m_hopBytesPerSecond(hopBytesPerSecond)
  , m_timerAt(n, -1)
{
    CANON_ASSERT(m_hops.size() == n, "hop matrix does not match the peer count");
    for (uint32_t i = 0; i < n; ++i)
    {
        m_peers.push_back(std::make_unique<StoragePeer>(i, config));
    }
}

void
StorageNetwork::At(TimeNs at, uint32_t i, Call call)
{
    m_events.push(Event{at, m_seq++, i, std::move(call)});
}

void
StorageNetwork::Carry(uint32_t i, StorageOutput& out)
{
    for (StorageSend& s : out.sends)
    {
        CANON_ASSERT(s.to < m_peers.size() && s.to != i, "a peer sends to an unknown address");
        const uint32_t hops = m_hops[i][s.to];
        const double perHop = static_cast<double>(s.bytes->size()) / m_hopBytesPerSecond * 1e9;
        const TimeNs delay =
            static_cast<TimeNs>(hops) * (m_hopLatency + static_cast<TimeNs>(perHop));
        ++m_messages;
        m_bytes += s.bytes->size();
        SharedBytes bytes = s.bytes;
        At(m_now + delay, s.to,
           [i, bytes](TimeNs now, StoragePeer& p, StorageOutput& o)
           { p.OnMessage(now, i, *bytes, o); });
    }
    for (StorageOpRecord& r : out.records)
    {
        m_records.push_back(std::move(r));
    }
    ArmTimer(i);
}

void
StorageNetwork::ArmTimer(uint32_t i)
{
    const auto next = m_peers[i]->NextDeadline();
    if (!next || (m_timerAt[i] >= 0 && m_timerAt[i] <= *next))
    {
        return;
    }
    m_timerAt[i] = *next;
    const TimeNs at = *next;
    At(at, i,
       [this, i, at](TimeNs now, StoragePeer& p, StorageOutput& o)
       {
           if (m_timerAt[i] != at)
           {
               return; // superseded by an earlier timer
           }
           m_timerAt[i] = -1;
           p.OnTimer(now, o);
       });
}

void
StorageNetwork::RunUntil(TimeNs t)
{
    while (!m_events.empty() && m_events.top().at <= t)
    {
        Event e = m_events.top();
        m_events.pop();
        m_now = e.at;
        StorageOutput out;
        e.call(m_now, *m_peers[e.node], out);
        Carry(e.node, out);
    }
    m_now = std::max(m_now, t);
}

std::vector<std::vector<uint32_t>>
TopologyHops(StorageTopology t, uint32_t nodes)
{
    const uint32_t side = static_cast<uint32_t>(std::sqrt(static_cast<double>(nodes)));
    const uint32_t n = t == StorageTopology::kGrid ? side * side : nodes;
    std::vector<std::vector<uint32_t>> adj(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        if (t == StorageTopology::kRoad)
        {
            if (i + 1 < n)
            {
                adj[i].push_back(i + 1);
                adj[i + 1].push_back(i);
            }
            continue;
        }
        if ((i + 1) % side != 0)
        {
            adj[i].push_back(i + 1);
            adj[i + 1].push_back(i);
        }
        if (i + side < n)
        {
            adj[i].push_back(i + side);
            adj[i + side].push_back(i);
        }
    }
    std::vector<std::vector<uint32_t>> hops(n, std::vector<uint32_t>(n, UINT32_MAX));
    for (uint32_t s = 0; s < n; ++s)
    {
        std::deque<uint32_t> q{s};
        hops[s][s] = 0;
        while (!q.empty())
        {
            const uint32_t u = q.front();
            q.pop_front();
            for (uint32_t v : adj[u])
            {
                if (hops[s][v] == UINT32_MAX)
                {
                    hops[s][v] = hops[s][u] + 1;
                    q.push_back(v);
                }
            }
        }
    }
    return hops;
}

namespace
{

Bytes
RandomFile(Rng& rng, std::size_t size)
{
    Bytes b(size);
    for (auto& x : b)
    {
        x = static_cast<uint8_t>(rng.Below(256));
    }
    return b;
}

} // namespace

StorageRunResult
RunStorageScenario(const StorageRunSpec& spec)
{
    auto hops = TopologyHops(spec.topology, spec.nodes);
    const auto n = static_cast<uint32_t>(hops.size());
    StorageConfig config;
    config.k = spec.k;
    config.alpha = spec.alpha;
    config.chunking = spec.chunking;
    config.rpcTimeout = spec.rpcTimeout;
    StorageNetwork net(n, config, std::move(hops), spec.hopLatency, spec.hopBytesPerSecond);
    Rng rng = Rng::Derive(spec.seed, "storage");
    for (uint32_t i = 0; i < n; ++i)
    {
        for (uint32_t c = 0; c < spec.contacts; ++c)
        {
            const auto peer = static_cast<uint32_t>(rng.Below(n));
            net.Peer(i).AddContact({DhtIdOf(peer), peer});
        }
        net.At(static_cast<TimeNs>(i) * kSecond / n, i,
               [](TimeNs now, StoragePeer& p, StorageOutput& o) { p.Bootstrap(now, o); });
    }
    std::vector<std::pair<uint32_t, ContentId>> files;
    TimeNs t = 5 * kSecond;
    for (uint32_t f = 0; f < spec.files; ++f, t += 200 * kMillisecond)
    {
        const auto owner = static_cast<uint32_t>(rng.Below(n));
        auto file = std::make_shared<Bytes>(RandomFile(rng, spec.fileBytes));
        BlockStore scratch; // the root's id, known to whoever learns of the file
        files.emplace_back(owner, ImportFile(*file, spec.chunking, scratch));
        net.At(t, owner,
               [file](TimeNs now, StoragePeer& peer, StorageOutput& o)
               { peer.Put(now, *file, o); });
    }
    t += 5 * kSecond;
    for (uint32_t g = 0; g < spec.gets; ++g, t += spec.getInterval)
    {
        const auto& [owner, root] = files[rng.Below(files.size())];
        auto node = static_cast<uint32_t>(rng.Below(n));
        node = node == owner ? (node + 1) % n : node;
        const ContentId id = root;
        net.At(t, node,
               [id](TimeNs now, StoragePeer& peer, StorageOutput& o) { peer.Get(now, id, o); });
    }
    net.RunUntil(t + 30 * kSecond);
    StorageRunResult r;
    r.records = net.Records();
    for (const StorageOpRecord& rec : r.records)
    {
        r.networkHops.push_back(net.Hops(rec.node, rec.source));
    }
    r.messages = net.MessagesSent();
    r.bytes = net.BytesSent();
    return r;
}

} // namespace canon
