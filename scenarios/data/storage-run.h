// The storage scenario (paper 3.5.1, issue 17): StoragePeers (model/storage/storage-peer.h) on a
// multi-hop radio topology, a mesh grid or a road (a line), exchanging their real messages; a
// message between two peers crosses the shortest path of radio hops, each adding hopLatency and
// the message's serialisation at hopBytesPerSecond (a store-and-forward model of a multi-hop
// path; no contention, no loss). The DHT overlay is independent of the radio graph, as IPFS's is
// of IP routing, so one DHT hop may be many radio hops.
//
// Timeline: every peer bootstraps from `contacts` random peers (staggered over the first
// second); from 5 s, `files` random peers each put a file of fileBytes; then `gets` requests at
// getInterval each fetch a random file at a random peer (not its putter). Deterministic.
//
// StorageNetwork is the event loop alone, for tests that script their own peers.
#ifndef CANONSIM_SCENARIOS_DATA_STORAGE_RUN_H
#define CANONSIM_SCENARIOS_DATA_STORAGE_RUN_H

#include "model/storage/storage-peer.h"

#include <functional>
#include <map>
#include <memory>
#include <queue>

namespace canon
{

enum class StorageTopology : uint8_t
{
    kGrid, // side x side, four neighbours each
    kRoad, // a line
};

class StorageNetwork
{
  public:
    // Peers 0..n-1 with `config`; `hops(a, b)` the radio hops between two of them.
    StorageNetwork(uint32_t n, StorageConfig config, std::vector<std::vector<uint32_t>> hops,
                   TimeNs hopLatency, double hopBytesPerSecond);

    StoragePeer& Peer(uint32_t i) { return *m_peers[i]; }
    uint32_t Size() const { return static_cast<uint32_t>(m_peers.size()); }
    uint32_t Hops(uint32_t a, uint32_t b) const { return m_hops[a][b]; }
    TimeNs Now() const { return m_now; }
    using Call = std::function<void(TimeNs, StoragePeer&, StorageOutput&)>;
    // Runs `call` with the time on peer `i` at `at`, then carries out what it output.
    void At(TimeNs at, uint32_t i, Call call);
    void RunUntil(TimeNs t);
    const std::vector<StorageOpRecord>& Records() const { return m_records; }
    uint64_t MessagesSent() const { return m_messages; }
    uint64_t BytesSent() const { return m_bytes; }

  private:
    struct Event
    {
        TimeNs at = 0;
        uint64_t seq = 0;
        uint32_t node = 0;
        Call call;
        bool operator>(const Event& o) const { return at != o.at ? at > o.at : seq > o.seq; }
    };
    void Carry(uint32_t i, StorageOutput& out);
    void ArmTimer(uint32_t i);

    std::vector<std::unique_ptr<StoragePeer>> m_peers;
    std::vector<std::vector<uint32_t>> m_hops;
    TimeNs m_hopLatency;
    double m_hopBytesPerSecond;
    std::priority_queue<Event, std::vector<Event>, std::greater<Event>> m_events;
    std::vector<TimeNs> m_timerAt; // -1: none
    uint64_t m_seq = 0;
    TimeNs m_now = 0;
    std::vector<StorageOpRecord> m_records;
    uint64_t m_messages = 0;
    uint64_t m_bytes = 0;
};

// Radio hops between every pair of nodes of a topology (BFS on its graph).
std::vector<std::vector<uint32_t>> TopologyHops(StorageTopology t, uint32_t nodes);

struct StorageRunSpec
{
    uint64_t seed = 1;
    StorageTopology topology = StorageTopology::kGrid;
    uint32_t nodes = 100; // a grid takes the largest square that fits
    std::size_t k = 8;
    std::size_t alpha = 3;
    uint32_t contacts = 3;
    uint32_t files = 20;
    std::size_t fileBytes = 64 * 1024;
    uint32_t gets = 200;
    TimeNs getInterval = 100 * kMillisecond;
    // An 802.11 mesh hop: a few ms of channel access and forwarding, some 6 Mbit/s of goodput.
    TimeNs hopLatency = 3 * kMillisecond;
    double hopBytesPerSecond = 750e3;
    // A 32 KiB batch of blocks crosses a hop in some 47 ms here, so the far end of a 100-node
    // road is 4.7 s away: the timeout must exceed the longest path's delay.
    TimeNs rpcTimeout = 6 * kSecond;
    ChunkingParams chunking;
};

struct StorageRunResult
{
    std::vector<StorageOpRecord> records;
    std::vector<uint32_t> networkHops; // per record: radio hops from the node to the source
    uint64_t messages = 0;
    uint64_t bytes = 0;
};

StorageRunResult RunStorageScenario(const StorageRunSpec& spec);

} // namespace canon

#endif
