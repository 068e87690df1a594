// CanonNodeApplication: an ns-3 Application that runs one CanonChain participant (model/node)
// on an ns-3 node: a full Node, or with the Light attribute a LightNode (light-node.h). Both sit
// behind Participant::Step, so the adapter treats them alike. It is a thin adapter: it decodes
// nothing itself and decides nothing; it turns socket data and timer expiries into Step inputs
// and carries out the actions Step returns: frames written to TCP sockets, timers scheduled with
// Simulator::Schedule, and events fired through TraceSources. A full node learns which of its
// peers are light from AddPeer (the runner knows every node's role); a light participant only
// talks to its full peers.
//
// Transport: one TCP connection per peer (the lower node index connects, the higher accepts),
// messages framed as [u32 length][message bytes]. Transaction gossip to a peer is held for up
// to GossipFlushInterval and written in one go (as Bitcoin trickles transaction inventory), so
// small transactions share TCP segments; every other message goes out at once, together with
// whatever transactions wait ahead of it. Every byte of every block and transaction is
// written to a real ns-3 socket and crosses the devices and links between the peers, so a large
// block takes its transfer time on each link and queues behind other traffic. Per peer, frames
// wait in a send queue bounded by PeerSendQueueBytesMax; a frame that does not fit is dropped
// and traced with the reason. An inbound frame longer than kFrameBytesMax closes the connection
// (traced). A connection that fails or is lost (on radio, a peer out of reach: TCP gives up
// after its retries) is traced and tried again by the connecting side after a backoff that
// starts at ReconnectBackoffMin and doubles up to ReconnectBackoffMax (times a jitter in
// [0.5, 1.5) from a hash of node, peer and attempt), reset once connected;
// frames for the peer wait in its bounded queue meanwhile, and the node resyncs through its
// stale-tip sync (block locators) once blocks flow again. With StallTimeout > 0 (radio runs), a
// connection that has data waiting but has seen nothing acknowledged or received for that long
// is abandoned (traced) and re-established the same way, and so is a connect attempt that has
// not completed in that time: TCP's own retries back off to a minute and more, long after the
// radio path has healed.
//
// Lifetime: StartApplication creates the Node and the sockets; StopApplication cancels every
// timer and closes every socket. Attributes configure the node; the chain parameters, the
// producer key and the peers' addresses are set through SetChainParams/SetProducerKey/AddPeer
// (by CanonNodeHelper) before the application starts.
#ifndef CANONSIM_NS3_CANON_NODE_APPLICATION_H
#define CANONSIM_NS3_CANON_NODE_APPLICATION_H

#include "model/node/adversary.h"
#include "model/node/light-node.h"
#include "model/node/node.h"
#include "model/node/participant-factory.h"

#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <deque>
#include <map>
#include <memory>
#include <set>

namespace canon
{

// Frames longer than this are a protocol violation (the largest legal message is a Blocks batch
// of kSyncBatchBytesMax plus one block).
constexpr uint32_t kFrameBytesMax = 24 * 1024 * 1024;

class CanonNodeApplication : public ns3::Application
{
  public:
    static ns3::TypeId GetTypeId();
    CanonNodeApplication();
    ~CanonNodeApplication() override;

    void SetChainParams(std::shared_ptr<const ChainParams> params);
    // Where the participant comes from at each start (a run driver's, run-driver.h): a Node, a
    // LightNode or an Adversary. Without one the application makes a Node or a LightNode
    // itself from its attributes, chain parameters and key.
    void SetParticipantFactory(ParticipantFactory factory) { m_factory = std::move(factory); }
    void SetProducerKey(const KeyPair& key);
    // A peer: its global node index, its address on the link we share with it, and whether it
    // is a light participant. Before the application starts, or while it runs (then the lower
    // index connects at once, and the node's broadcasts include it from now on). Adding a peer
    // twice does nothing.
    void AddPeer(PeerId peer, ns3::Ipv4Address address, bool light = false);
    // Stops talking to a peer while running (a vehicle handing over between roadside units):
    // its queued frames are discarded and its connection released. Unknown peers are ignored.
    void RemovePeer(PeerId peer);

    // A local wallet hands the node a transaction (no network hop).
    void SubmitTransaction(const Transaction& tx);

    // Fault injection: the node stops as if powered off (sockets close, all state but its key
    // and last signed slot is lost) and, on Restart, starts again from genesis and syncs.
    void Crash();
    void Restart();

    // The running full node (an adversary's follower included); nullptr before start, after
    // stop and for a light participant.
    const Node* GetCanonNode() const
    {
        return m_node ? m_node : m_adversary ? &m_adversary->Follower() : nullptr;
    }
    // The running adversary; nullptr when honest, before start and after stop.
    const Adversary* GetAdversary() const { return m_adversary; }
    // The running light participant; nullptr before start, after stop and for a full node.
    const LightNode* GetLightNode() const { return m_lightNode; }
    bool IsRunning() const { return m_participant != nullptr; }
    bool IsLight() const { return m_light; }
    uint32_t GetNodeIndex() const { return m_index; }
    uint64_t GetBytesSent() const { return m_bytesSent; }
    // Message bytes (framing included) handed to sockets, by whether the node originated them
    // or relayed others' (gossip forwarding and sync answers). Cumulative.
    uint64_t GetBytesOriginated() const { return m_bytesOriginated; }
    uint64_t GetBytesRelayed() const { return m_bytesRelayed; }

    // Signature of every event TraceSource: the node index and the typed event.
    typedef void (*EventTracedCallback)(uint32_t node, const NodeEvent& event);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StartFromFactory();
    void StartFull();
    void StartLight();
    void StopApplication() override;

    struct Peer
    {
        PeerId id = 0;
        ns3::Ipv4Address address;
        bool light = false;
        ns3::Ptr<ns3::Socket> socket;
        bool connected = false;
        std::deque<SharedBytes> queue; // frames (length prefix included) not yet in the socket
        std::size_t headOffset = 0;    // bytes of queue.front() already written
        std::size_t queuedBytes = 0;
        ns3::EventId flush; // pending transaction-gossip flush
        ns3::Time lastConnectAttempt;
        ns3::Time backoff;      // wait before the next reconnect attempt
        ns3::EventId reconnect; // pending reconnect attempt
        uint32_t attempts = 0;  // reconnect attempts so far (for their jitter)
        ns3::Time lastProgress; // last time bytes were acknowledged or received
        Bytes inbound;          // partial frames received
    };

    void Step(const Input& input);
    void CarryOut();
    void OnTimer(TimerKind kind);
    // `frame` is a message with its length prefix.
    void Enqueue(PeerId to, MessageType type, const SharedBytes& frame);
    void Drain(Peer& peer);
    void Flush(PeerId peer);
    void Fire(const NodeEvent& ev);
    void TraceDrop(PeerId peer, MessageType type, const std::string& reason);

    void ConfigureSocket(const ns3::Ptr<ns3::Socket>& socket) const;
    void Connect(Peer& peer);
    void OnConnected(ns3::Ptr<ns3::Socket> socket);
    void OnConnectFailed(ns3::Ptr<ns3::Socket> socket);
    bool OnAcceptRequest(ns3::Ptr<ns3::Socket> socket, const ns3::Address& from);
    void OnAccepted(ns3::Ptr<ns3::Socket> socket, const ns3::Address& from);
    void OnReceive(ns3::Ptr<ns3::Socket> socket);
    void OnSendSpace(ns3::Ptr<ns3::Socket> socket, uint32_t available);
    void OnClosed(ns3::Ptr<ns3::Socket> socket);
    void OnErrorClosed(ns3::Ptr<ns3::Socket> socket);
    // The connecting side of a lost or failed connection tries again after the peer's backoff.
    void ScheduleReconnect(Peer& peer);
    void Reconnect(PeerId id);
    void CheckStalls();
    void Abandon(Peer& peer, const std::string& reason);
    // Detaches the peer's socket from this application and closes it where that is safe.
    void ReleaseSocket(Peer& peer);
    std::vector<PeerId> PeerIds() const;
    std::set<PeerId> LightPeerIds() const;
    std::vector<PeerId> FullPeerIds() const;
    // Tells the running participant its peers after AddPeer or RemovePeer.
    void UpdatePeers();
    Peer* PeerBySocket(const ns3::Ptr<ns3::Socket>& socket);
    void Attach(Peer& peer, ns3::Ptr<ns3::Socket> socket);

    // Attributes.
    uint32_t m_index = 0;
    uint16_t m_port = 9735;
    bool m_producer = true;
    bool m_light = false;
    // The node's own bounds by default (NodeLimits, node.h); set from the attributes.
    uint64_t m_mempoolTxMax = NodeLimits{}.mempoolTxMax;
    uint64_t m_orphanMax = NodeLimits{}.orphanMax;
    uint64_t m_staleTipSlots = NodeLimits{}.staleTipSlots;
    uint64_t m_peerSendQueueBytesMax = 8 * 1024 * 1024;
    uint32_t m_segmentSize = 1448;
    ns3::Time m_gossipFlushInterval;
    bool m_tcpOptions = false;
    ns3::Time m_tcpMinRto;
    ns3::Time m_stallTimeout;
    ns3::EventId m_stallCheck;
    ns3::Time m_reconnectBackoffMin;
    ns3::Time m_reconnectBackoffMax;

    std::shared_ptr<const ChainParams> m_params;
    std::optional<KeyPair> m_key;
    uint64_t m_lastSignedSlot = 0; // survives a stop/start of the application
    std::unique_ptr<Participant> m_participant;
    Node* m_node = nullptr;           // m_participant when it is a full node
    LightNode* m_lightNode = nullptr; // m_participant when it is a light participant
    Adversary* m_adversary = nullptr; // m_participant when it is an adversary
    ParticipantFactory m_factory;
    std::map<PeerId, Peer> m_peers;
    ns3::Ptr<ns3::Socket> m_listener;
    ns3::EventId m_timers[static_cast<int>(TimerKind::kCount)];
    Actions m_actions;
    uint64_t m_bytesSent = 0;
    uint64_t m_bytesOriginated = 0;
    uint64_t m_bytesRelayed = 0;

    ns3::TracedCallback<uint32_t, const NodeEvent&> m_blockProduced;
    ns3::TracedCallback<uint32_t, const NodeEvent&> m_blockAccepted;
    ns3::TracedCallback<uint32_t, const NodeEvent&> m_blockIrreversible;
    ns3::TracedCallback<uint32_t, const NodeEvent&> m_txAccepted;
    ns3::TracedCallback<uint32_t, const NodeEvent&> m_txIncluded;
    ns3::TracedCallback<uint32_t, const NodeEvent&> m_messageDropped;
    ns3::TracedCallback<uint32_t, const NodeEvent&> m_otherEvent;
    ns3::TracedCallback<uint32_t, const NodeEvent&> m_event; // every event
};

} // namespace canon

#endif
