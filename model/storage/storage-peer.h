// StoragePeer: one node's part of the content-addressed storage network (paper 3.5.1), sans-IO
// like Node: it takes messages, calls and timer firings with the time, and returns messages to
// send and typed records; the driver moves the bytes and keeps the clock.
//
// Put imports a file into the peer's BlockStore (chunks, Merkle DAG, dedup: content.h) and
// announces the root: a DHT lookup for the root's key finds the k closest peers, each of which
// is sent AddProvider. Get looks the root up: held locally, known locally as provided, or found
// by an iterative lookup (kademlia.h) that stops at the first answer naming a provider. Then
// the want-list exchange fetches the DAG from a provider in batches of kWantIdsMax ids, each
// block checked against its id: a block that does not hash to its id is rejected and its
// provider marked bad (never asked again); a DontHave or rpcTimeout without a block from the
// provider asked moves on to the next provider. Malformed messages are dropped and counted.
//
// Names: PublishName and ResolveName carry a signed version record (named-object.h) through the
// same DHT and exchange, under the name's key; at most providerKeysMax names are held.
//
// Bounds: lookupsMax lookups and fetchesMax fetches at once (more are refused with a record);
// providersPerKeyMax providers per key and providerKeysMax keys (new ones are refused when
// full); every query and want has a deadline (rpcTimeout). Single-threaded; owns its store,
// routing table and state; deterministic (ids in order, ordered containers).
#ifndef CANONSIM_STORAGE_STORAGE_PEER_H
#define CANONSIM_STORAGE_STORAGE_PEER_H

#include "model/core/time.h"
#include "model/storage/named-object.h"
#include "model/storage/storage-messages.h"

#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace canon
{

struct StorageConfig
{
    std::size_t k = 8;     // bucket size and lookup width
    std::size_t alpha = 3; // lookup parallelism
    // A query or a want unanswered this long has failed: a few round trips of a multi-hop
    // radio path carrying a batch of chunks.
    TimeNs rpcTimeout = 2 * kSecond;
    std::size_t lookupsMax = 64;
    std::size_t fetchesMax = 64;
    std::size_t providersPerKeyMax = 20;
    std::size_t providerKeysMax = 65536;
    uint64_t fileBytesMax = 16 * 1024 * 1024;
    ChunkingParams chunking;
};

enum class StorageOp : uint8_t
{
    kPut = 0,         // announced: the root's provider record sent to the k closest peers
    kGet = 1,         // fetched and assembled (or failed)
    kPublishName = 2, // a name's version record held and announced under the name's key
    kResolveName = 3, // a name's newest record fetched from a provider and checked
};

struct StorageOpRecord
{
    TimeNs time = 0;
    DhtPeer node = 0;
    StorageOp op = StorageOp::kGet;
    ContentId root{};
    bool ok = false;
    uint32_t lookupHops = 0; // round trips of the DHT lookup (0: no lookup needed)
    uint32_t blocks = 0;     // blocks received (get) or stored new (put)
    uint64_t bytes = 0;      // block bytes received (get) or the file's size (put)
    TimeNs latency = 0;
    DhtPeer source = 0; // get: the provider that delivered; put: this node
    std::string reason; // failures only
};

struct StorageSend
{
    DhtPeer to = 0;
    MessageType type = MessageType::kDhtFindProviders;
    SharedBytes bytes;
};

struct StorageOutput
{
    std::vector<StorageSend> sends;
    std::vector<StorageOpRecord> records;
};

struct StorageCounters
{
    uint64_t malformed = 0;      // messages that did not decode
    uint64_t badBlocks = 0;      // blocks that did not hash to their id
    uint64_t unwantedBlocks = 0; // blocks nobody asked for
    uint64_t unsolicited = 0;    // answers to no query of ours
    uint64_t rpcTimeouts = 0;
    uint64_t refused = 0; // gets or puts over lookupsMax or fetchesMax
};

class StoragePeer
{
  public:
    StoragePeer(DhtPeer self, StorageConfig config);

    DhtPeer Self() const { return m_self; }
    const DhtKey& Id() const { return m_table.Self(); }
    const BlockStore& Store() const { return m_store; }
    const RoutingTable& Table() const { return m_table; }
    const StorageCounters& Counters() const { return m_counters; }
    bool IsBadProvider(DhtPeer p) const { return m_bad.count(p) != 0; }

    void AddContact(const Contact& c) { m_table.Add(c); }
    // A lookup of our own id: fills the routing table from the contacts added.
    void Bootstrap(TimeNs now, StorageOutput& out);
    ContentId Put(TimeNs now, const Bytes& file, StorageOutput& out);
    void Get(TimeNs now, const ContentId& root, StorageOutput& out);
    // Names (named-object.h): holds `version` (signed by its owner, newer than any held) and
    // announces itself as the provider of its name key, as Put does for a root. ResolveName
    // finds a provider of `key` and fetches its record through the want-list exchange, where a
    // record is checked by CheckNameRecord instead of by its hash (a bad one marks its
    // provider, as a bad block does).
    Status PublishName(TimeNs now, const ObjectVersion& version, StorageOutput& out);
    void ResolveName(TimeNs now, const Hash256& key, StorageOutput& out);
    // The newest record held for a name key; nullptr if none.
    const ObjectVersion* NameRecord(const Hash256& key) const;
    void OnMessage(TimeNs now, DhtPeer from, const Bytes& bytes, StorageOutput& out);
    void OnTimer(TimeNs now, StorageOutput& out);
    // The earliest deadline, if anything waits.
    std::optional<TimeNs> NextDeadline() const;
    // For tests: store an encoded block as is (a lying provider may hold anything under any id).
    void HoldRaw(const ContentId& id, Bytes block) { m_raw[id] = std::move(block); }

  private:
    enum class Purpose : uint8_t
    {
        kBootstrap,
        kAnnounce,
        kGet,
    };
    struct LookupState
    {
        Lookup lookup;
        Purpose purpose;
        TimeNs startedAt = 0;
        uint32_t depth = 0; // deepest answer so far
        uint64_t fileBytes = 0;
        uint32_t newBlocks = 0;
        StorageOp op = StorageOp::kPut; // announce: what its record says it was
    };
    struct Rpc
    {
        uint64_t lookup = 0;
        Contact contact;
        TimeNs deadline = 0;
    };
    struct Fetch
    {
        TimeNs startedAt = 0;
        uint32_t hops = 0;
        std::vector<Contact> providers;
        std::size_t next = 0;
        DhtPeer asked = 0;
        std::set<ContentId> wanted;  // asked of `asked`, not yet received
        std::deque<ContentId> queue; // still to ask
        TimeNs deadline = 0;
        uint32_t blocks = 0;
        uint64_t bytes = 0;
    };

    uint64_t StartLookup(TimeNs now, const DhtKey& key, Purpose purpose, StorageOutput& out);
    void Advance(TimeNs now, uint64_t id, StorageOutput& out);
    void FinishLookup(TimeNs now, uint64_t id, std::vector<Contact> providers, StorageOutput& out);
    void StartFetch(TimeNs now, const ContentId& root, TimeNs startedAt, uint32_t hops,
                    std::vector<Contact> providers, StorageOutput& out);
    void AskNextProvider(TimeNs now, const ContentId& root, StorageOutput& out);
    void SendWants(TimeNs now, const ContentId& root, StorageOutput& out);
    void CompleteFetch(TimeNs now, const ContentId& root, StorageOutput& out);
    void FailGet(TimeNs now, const ContentId& root, TimeNs startedAt, uint32_t hops,
                 std::string reason, StorageOutput& out);
    // Stores a block received for `root`'s fetch; false if it does not hash to its id.
    bool TakeBlock(const ContentId& root, const ContentId& id, const Bytes& block);
    bool TakeNameRecord(const Hash256& key, const Bytes& block);
    std::vector<Contact> ProvidersOf(const ContentId& key) const;
    void RememberProvider(const ContentId& key, const Contact& c);

    void OnFindProviders(DhtPeer from, const FindProvidersMessage& m, StorageOutput& out);
    void OnProviders(TimeNs now, DhtPeer from, const ProvidersMessage& m, StorageOutput& out);
    void OnWant(DhtPeer from, const ContentIdsMessage& m, StorageOutput& out);
    void OnBlocks(TimeNs now, DhtPeer from, const ContentBlocksMessage& m, StorageOutput& out);
    void OnDontHave(TimeNs now, DhtPeer from, StorageOutput& out);

    DhtPeer m_self;
    StorageConfig m_config;
    RoutingTable m_table;
    BlockStore m_store;
    std::map<ContentId, Bytes> m_raw;         // HoldRaw
    std::map<Hash256, ObjectVersion> m_names; // newest record per name key
    std::set<Hash256> m_resolving;            // name keys whose fetch is a resolve
    std::map<ContentId, std::vector<Contact>> m_providers;
    std::set<DhtPeer> m_bad;
    uint64_t m_nextId = 1;
    std::map<uint64_t, LookupState> m_lookups;
    std::map<uint64_t, ContentId> m_lookupKeys;
    std::map<uint64_t, Rpc> m_rpcs;
    std::map<ContentId, Fetch> m_fetches;
    StorageCounters m_counters;
    TimeNs m_now = 0; // the time of the message being handled
};

} // namespace canon

#endif
