// DataNodeService: issue 17's part of a full node (paper 3.4, 3.5.1), on the feature seam
// (model/node/node-service.h). It owns the data and storage message types (kDataRequest ..
// kOverlayRelay) and plays, on one node, whichever roles the run gave it:
//   - device: a DataServer that answers requests from this node's chain (best chain and last
//     irreversible state; the server's GrantRule picks), replacing the node's former ad hoc
//     data branch: a node without the device role refuses nothing and serves nothing, it drops
//     the request (traced like any dropped message);
//   - requester: a DataClient that signs requests, sends them to a device and opens the served
//     data with its grant from this node's best chain; every answer becomes a
//     DataRequestTraceRecord in the shared log;
//   - storage: a StoragePeer (DHT and want-list exchange); its finished operations become
//     StorageOpTraceRecords.
// Every node relays (overlay-relay.h): a message for another node goes to the next hop of a
// shortest overlay path; a message for this node is unwrapped and handled as if its origin had
// sent it directly.
//
// Ownership: the run feature makes one service per node and keeps it across restarts (the
// device's state is the device's); the shared log and routes belong to the feature. Bounds: the
// DataServer's and DataClient's own; the last request kept for a replay. Single-threaded.
#ifndef CANONSIM_DATA_DATA_NODE_SERVICE_H
#define CANONSIM_DATA_DATA_NODE_SERVICE_H

#include "model/data/data-client.h"
#include "model/data/data-server.h"
#include "model/data/overlay-relay.h"
#include "model/node/node-service.h"
#include "model/storage/storage-peer.h"
#include "model/trace/trace-records.h"

#include <functional>
#include <memory>

namespace canon
{

// What every node's service reports, and the routes they share; owned by the run feature.
struct DataServiceShared
{
    OverlayRoutes routes;
    std::vector<DataRequestTraceRecord> requests;
    std::vector<StorageOpTraceRecord> storageOps;
    uint64_t relayed = 0;   // relay hops carried by nodes that were neither origin nor target
    uint64_t noRoute = 0;   // messages with no overlay path (or a next hop that is not a peer)
    uint64_t malformed = 0; // data, storage or relay messages that did not decode
    // Whether `requester`'s grant of `stream` is revoked in `state` (set by the feature).
    std::function<bool(const LedgerState& state, const Hash256& stream, const Address& who)>
        revokedIn;
    // Asked when node `from` sends a storage message to `to`, not its peer (set by the feature
    // when direct connections are on; the message itself is still relayed).
    std::function<void(uint32_t from, uint32_t to)> wantDirect;
};

// How a requester's request is made: honest, with a broken signature, or a resend of its last.
enum class RequestKind : uint8_t
{
    kHonest,
    kForged,
    kReplay,
};

class DataNodeService : public NodeService
{
  public:
    DataNodeService(uint32_t self, std::shared_ptr<DataServiceShared> shared);

    void MakeDevice(DataServerConfig config);
    DataServer* Device() { return m_device.get(); }
    void MakeRequester(KeyPair key);
    const DataClient* Requester() const { return m_client.get(); }
    void MakeStorage(StorageConfig config);
    StoragePeer* Storage() { return m_storage.get(); }

    bool Owns(MessageType type) const override;
    void OnMessage(const ServiceContext& ctx, const MessageInput& in, Actions& out) override;

    // Local work (RunHost::AtNode): a request for `stream` to `device`.
    void Request(const ServiceContext& ctx, uint32_t device, const Hash256& stream,
                 RequestKind kind, Actions& out);
    // Local work: `op` on this node's storage peer, then its sends and records.
    void WithStorage(const ServiceContext& ctx,
                     const std::function<void(StoragePeer&, StorageOutput&)>& op, Actions& out);

  private:
    void Deliver(const ServiceContext& ctx, uint32_t origin, uint32_t hops, const Bytes& msg,
                 Actions& out);
    void OnDataMessage(const ServiceContext& ctx, uint32_t origin, uint32_t hops, const Bytes& msg,
                       Actions& out);
    void SendTo(const ServiceContext& ctx, uint32_t to, const SharedBytes& msg, bool relayed,
                Actions& out);
    void Forward(const ServiceContext& ctx, OverlayRelayMessage m, Actions& out);
    void Flush(const ServiceContext& ctx, StorageOutput& sout, Actions& out);

    uint32_t m_self;
    std::shared_ptr<DataServiceShared> m_shared;
    std::unique_ptr<DataServer> m_device;
    std::unique_ptr<DataClient> m_client;
    std::unique_ptr<StoragePeer> m_storage;
    std::optional<std::pair<uint32_t, DataRequest>> m_last; // (device, request): for a replay
};

} // namespace canon

#endif
