// CanonNodeApplication: an ns-3 Application that runs one CanonChain participant (model/node)
// on an ns-3 node: a full Node, or with the Light attribute a LightNode (light-node.h). Both sit
// behind Participant::Step, so the adapter treats them alike. It is a thin adapter: it decodes
// nothing itself and decides nothing; it turns socket data and timer expiries into Step inputs
// and carries out the actions Step returns: frames written to TCP sockets, timers scheduled with
// Simulator::Schedule, and events fired through TraceSources. A full node learns which of its
// peers are light from AddPeer (the runner knows every node's role); a light participant only
// talks to its full peers.
//
// Transport: one PeerConnection per peer (peer-connection.h): a TCP connection with its bounded
// send queue (PeerSendQueueBytesMax), the framing of frame-codec.h, reconnects with a jittered
// backoff (ReconnectBackoffMin/Max) and, with StallTimeout > 0 (radio runs), a stall watchdog
// this application ticks every StallTimeout / 2. The application frames each message once (a
// broadcast shares the frame), owns the listener and hands each accepted socket to the
// connection of the peer at that address; the connections report messages, bytes written, and
// drops (frames that did not fit a send queue, and connection events under kConnectionEvent)
// back through PeerConnectionOwner, and the application fires them as events. Transaction gossip
// to a peer is held for up to GossipFlushInterval so small transactions share TCP segments.
// Slow peers (issue 19, slow-peer.h): SlowReadBytesPerSecond/From/Until make this node a slow
// reader (the attack); DrainTimeout > 0 resets connections to peers that read under
// DrainBytesPerSecondMin (the defence), checked on the watchdog tick. A peer the node's peer
// guard bans has its connection reset and refused until the ban ends (PeerConnection::Shut).
// Every byte of every block and transaction is written to a real ns-3 socket and crosses the
// devices and links between the peers, so a large block takes its transfer time on each link
// and queues behind other traffic.
//
// Lifetime: StartApplication creates the participant and the listener and starts the
// connections; StopApplication cancels every timer and stops every connection (sockets closed,
// queues emptied). The connections live from AddPeer to RemovePeer or disposal. Attributes
// configure the node; the chain parameters, the producer key and the peers' addresses are set
// through SetChainParams/SetProducerKey/AddPeer (by CanonNodeHelper) before the application
// starts.
#ifndef CANONSIM_NS3_CANON_NODE_APPLICATION_H
#define CANONSIM_NS3_CANON_NODE_APPLICATION_H

#include "model/node/adversary.h"
#include "model/node/light-node.h"
#include "model/node/node.h"
#include "model/node/participant-factory.h"
#include "model/ns3/peer-connection.h"

#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <map>
#include <memory>
#include <set>

namespace canon
{

class CanonNodeApplication : public ns3::Application, private PeerConnectionOwner
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
    // A run feature's work at this node (RunHost::AtNode); ignored while it is down.
    void RunLocal(LocalWork work);

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
    bool IsRunning() const override { return m_participant != nullptr; }
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

    void Step(const Input& input);
    void CarryOut();
    void OnTimer(TimerKind kind);
    void Fire(const NodeEvent& ev);
    void CheckStalls();
    // The watchdog's tick: half the shorter of the stall timeout and the drain timeout that are
    // on; zero when neither is.
    ns3::Time WatchdogInterval() const;
    // Resets and refuses the connection of a peer the guard has just banned (ev from the node).
    void ShutIfBanned(const NodeEvent& ev);
    bool OnAcceptRequest(ns3::Ptr<ns3::Socket> socket, const ns3::Address& from);
    void OnAccepted(ns3::Ptr<ns3::Socket> socket, const ns3::Address& from);
    std::vector<PeerId> PeerIds() const;
    std::set<PeerId> LightPeerIds() const;
    std::vector<PeerId> FullPeerIds() const;
    // Tells the running participant its peers after AddPeer or RemovePeer.
    void UpdatePeers();

    // PeerConnectionOwner.
    void OnPeerMessage(PeerId from, const SharedBytes& message) override;
    void OnPeerDrop(PeerId peer, MessageType type, const std::string& reason) override;
    void OnBytesSent(uint64_t bytes) override { m_bytesSent += bytes; }

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
    uint32_t m_tcpDelAckCount = 2;
    ns3::Time m_tcpMinRto;
    ns3::Time m_stallTimeout;
    ns3::EventId m_stallCheck;
    double m_slowReadBytesPerSecond = -1;
    ns3::Time m_slowReadFrom;
    ns3::Time m_slowReadUntil;
    ns3::Time m_drainTimeout;
    double m_drainBytesPerSecondMin = 1024;
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
    PeerConnectionConfig m_connectionConfig; // from the attributes at start; outlives m_peers
    std::map<PeerId, std::unique_ptr<PeerConnection>> m_peers;
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
