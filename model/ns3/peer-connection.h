// PeerConnection: the TCP transport between a node (CanonNodeApplication) and one of its peers.
// It decides nothing about the protocol: it moves frames ([u32 length][message], frame-codec.h)
// between the node and one ns-3 socket, hands every whole message from the peer to its owner,
// and reports every frame it could not queue and every connection event to the owner as a drop
// (connection events under kConnectionEvent, messages.h, so traces tell them from bad messages).
//
// Connecting: one TCP connection per pair of peers. The side with the lower node index connects;
// the other accepts through its application's listener, which hands the socket over (Accept).
// A connect attempt that fails (no route, or TCP gives up), a connection TCP gives up on, and an
// inbound frame over kFrameBytesMax are traced; the connecting side then tries again after a
// backoff that starts at ReconnectBackoffMin and doubles up to ReconnectBackoffMax, times a
// jitter in [0.5, 1.5) from a hash of (node, peer, attempt), and is reset once connected.
// Frames for the peer wait in its queue meanwhile. With a StallTimeout (radio runs) the owner
// calls CheckStall every StallTimeout / 2: a connection with data waiting and nothing
// acknowledged or received for that long, or a connect attempt not completed in that time, is
// abandoned (traced) and re-established the same way, because TCP's own retries back off to a
// minute and more, long after the radio path has healed.
//
// Sending: frames wait in a FIFO queue and are written in order, as many as the socket takes in
// one write so that small frames share segments. Transaction gossip waits up to
// GossipFlushInterval first (as Bitcoin trickles transaction inventory); any other frame is
// written at once, together with whatever waits ahead of it.
//
// Bounds (DESIGN.md 4.7): the queue holds at most SendQueueBytesMax bytes (PeerSendQueueBytesMax;
// a frame that does not fit is dropped and traced with its type); the partial inbound frame at
// most kFrameHeaderBytes + kFrameBytesMax (FrameDecoder); one reconnect event and one flush event
// at a time; the backoff stays in [ReconnectBackoffMin, ReconnectBackoffMax].
//
// Ownership and lifetime: the application owns its connections (one per peer: made by AddPeer,
// destroyed by RemovePeer and on disposal) and outlives them; a connection keeps references to
// its owner and to the owner's PeerConnectionConfig, which the owner fills in before Start. A
// connection outlives the node's crashes and restarts (Stop, Start) and keeps its queue
// across reconnects, never across a Stop. Sockets call back through a relay they hold a
// reference to (not the connection itself), which the connection disconnects when destroyed;
// it cancels its scheduled events then too, so nothing calls into a destroyed connection, and a
// socket's late callbacks (one the connection has let go of) are ignored. A socket let go of
// while established with unsent data is not closed (Release): ns-3 3.37 crashed when an
// acknowledgement reached such a socket in its FIN wait states; TCP gives up on it after its
// retries and frees it.
//
// Slow peers and bans (issue 19): `slowRead` makes this node a slow reader (the attack) and
// `drain` resets connections to peers that read too slowly (the defence), both as slow-peer.h
// says; the owner calls CheckStall on the watchdog tick when either the stall timeout or the
// drain watch is on. Shut() is a ban made real on the wire: the connection is reset, its queue
// and partial frame forgotten, and nobody connects or is accepted until the ban ends (then the
// connecting side connects again).
//
// Invariants: at most one socket (connected implies a socket); QueuedBytes() is the size of the
// queued frames and at most SendQueueBytesMax; a frame leaves the queue only when all of it has
// been written, so frames reach the socket whole and in order; only the connecting side
// connects and reconnects, and never while the owner is not running.
//
// Threads: none (the ns-3 simulator's).
#ifndef CANONSIM_NS3_PEER_CONNECTION_H
#define CANONSIM_NS3_PEER_CONNECTION_H

#include "model/node/frame-codec.h"
#include "model/node/node-io.h"
#include "model/ns3/slow-peer.h"

#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/socket.h"

#include <deque>
#include <string>

namespace canon
{

// What all connections of one node share: the application's attributes, set when it starts.
struct PeerConnectionConfig
{
    ns3::Ptr<ns3::Node> node; // where sockets are made
    uint32_t self = 0;        // the node's index (the lower index of a pair connects)
    uint16_t port = 9735;     // every node listens on the same port
    uint32_t segmentSize = 1448;
    bool tcpOptions = false;     // SACK and timestamps
    uint32_t tcpDelAckCount = 2; // segments received before an immediate ACK (ns-3 DelAckCount)
    ns3::Time tcpMinRto;
    uint64_t sendQueueBytesMax = 8 * 1024 * 1024;
    ns3::Time gossipFlushInterval;
    ns3::Time stallTimeout; // zero: no stall watchdog
    ns3::Time reconnectBackoffMin;
    ns3::Time reconnectBackoffMax;
    SlowRead slowRead;    // the slow-peer attack (slow-peer.h); off by default
    DrainWatchSpec drain; // the slow-peer defence (slow-peer.h); off by default
};

// What a connection reports to the node it belongs to.
class PeerConnectionOwner
{
  public:
    virtual ~PeerConnectionOwner() = default;
    // Whether the node runs: nothing is delivered and nobody reconnects while it is down.
    virtual bool IsRunning() const = 0;
    // A whole message from the peer. The owner may send (Enqueue) from here.
    virtual void OnPeerMessage(PeerId from, const SharedBytes& message) = 0;
    // A frame not queued (its message type), or a connection event (kConnectionEvent), and why.
    virtual void OnPeerDrop(PeerId peer, MessageType type, const std::string& reason) = 0;
    // Bytes written into the socket.
    virtual void OnBytesSent(uint64_t bytes) = 0;
};

class PeerConnection
{
  public:
    PeerConnection(PeerConnectionOwner& owner, const PeerConnectionConfig& config, PeerId peer,
                   ns3::Ipv4Address address, bool light);
    ~PeerConnection();
    PeerConnection(const PeerConnection&) = delete;
    PeerConnection& operator=(const PeerConnection&) = delete;

    // The TCP settings of every connection, applied to a new socket (and to the listener, whose
    // accepted sockets inherit them).
    static void ConfigureSocket(const ns3::Ptr<ns3::Socket>& socket,
                                const PeerConnectionConfig& config);

    PeerId GetPeer() const { return m_peer; }
    ns3::Ipv4Address GetAddress() const { return m_address; }
    bool IsLight() const { return m_light; }
    bool IsConnected() const { return m_connected; }
    std::size_t QueuedBytes() const { return m_queuedBytes; }

    // The node started (or restarted): resets the backoff; the connecting side connects.
    void Start();
    // The node stopped or crashed: closes the socket, cancels the timers and forgets the queued
    // frames and the partial inbound frame.
    void Stop();
    // The peer is being removed: lets go of the socket (see Release above) and cancels the
    // timers. The connection is destroyed next.
    void Release();

    // Queues `frame` (a message with its length prefix, EncodeFrame) of message type `type`.
    void Enqueue(MessageType type, const SharedBytes& frame);
    // A socket the node's listener accepted from this peer's address; replaces any other.
    void Accept(ns3::Ptr<ns3::Socket> socket);
    // The watchdog's periodic check (StallTimeout > 0 or the drain watch on).
    void CheckStall();
    // The node banned the peer until `until`: see the top of this file. `reason` is traced.
    void Shut(ns3::Time until, const std::string& reason);
    bool IsShut() const;

  private:
    class SocketRelay; // what sockets' callbacks are bound to (peer-connection.cc)

    bool IsConnectingSide() const { return m_config.self < m_peer; }
    void Connect();
    void Attach(ns3::Ptr<ns3::Socket> socket);
    void ReleaseSocket();
    void Abandon(const std::string& reason);
    void ScheduleReconnect();
    void Reconnect();
    void Flush();
    void Drain();
    void Trace(const std::string& reason);
    // Reads at most maxBytes from the socket and hands the peer's whole messages to the owner.
    void Read(ns3::Ptr<ns3::Socket> socket, uint32_t maxBytes);
    void SlowReadTick();
    // The drain watch's tick: true when it reset the connection.
    bool CheckDrain();
    uint64_t Unacknowledged() const;
    void ResetSocket(); // Abort, and let go of the socket
    // Disconnected: timers cancelled, queued and half-read bytes dropped.
    void Forget();
    void DetachCallbacks();

    void OnConnected(ns3::Ptr<ns3::Socket> socket);
    void OnConnectFailed(ns3::Ptr<ns3::Socket> socket);
    void OnReceive(ns3::Ptr<ns3::Socket> socket);
    void OnSendSpace(ns3::Ptr<ns3::Socket> socket, uint32_t available);
    void OnClosed(ns3::Ptr<ns3::Socket> socket);
    void OnErrorClosed(ns3::Ptr<ns3::Socket> socket);

    PeerConnectionOwner& m_owner;
    const PeerConnectionConfig& m_config;
    const PeerId m_peer;
    const ns3::Ipv4Address m_address; // the peer's address on the link it shares with the node
    const bool m_light;
    const ns3::Ptr<SocketRelay> m_relay;

    ns3::Ptr<ns3::Socket> m_socket;
    bool m_connected = false;
    std::deque<SharedBytes> m_queue; // frames not yet wholly in the socket
    std::size_t m_headOffset = 0;    // bytes of m_queue.front() already written
    std::size_t m_queuedBytes = 0;
    ns3::EventId m_flush; // pending transaction-gossip flush
    FrameDecoder m_inbound;
    Bytes m_chunk; // scratch: one received packet's bytes
    ns3::Time m_lastConnectAttempt;
    ns3::Time m_backoff;      // wait before the next reconnect attempt
    ns3::EventId m_reconnect; // pending reconnect attempt
    uint32_t m_attempts = 0;  // reconnect attempts so far (for their jitter)
    ns3::Time m_lastProgress; // last time bytes were acknowledged or received
    ns3::EventId m_slowRead;  // the slow reader's next read (slowRead on only)
    DrainWatch m_drain;
    uint64_t m_bytesWritten = 0; // into the current socket
    ns3::Time m_shutUntil;       // banned until then (Shut)
};

} // namespace canon

#endif
