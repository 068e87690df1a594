#include "model/ns3/canon-node-application.h"

#include "model/core/hash.h"
#include "model/ns3/canon-tcp-socket.h"

#include "ns3/boolean.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/tcp-socket-base.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace canon
{

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("CanonNodeApplication");
NS_OBJECT_ENSURE_REGISTERED(CanonNodeApplication);

namespace
{

SharedBytes
Frame(const SharedBytes& message)
{
    Bytes framed;
    framed.reserve(message->size() + 4);
    Writer w(framed);
    w.U32(static_cast<uint32_t>(message->size()));
    w.Raw(message->data(), message->size());
    return std::make_shared<const Bytes>(std::move(framed));
}

} // namespace

void
CanonNodeApplication::ConfigureSocket(const Ptr<Socket>& socket) const
{
    socket->SetAttribute("SegmentSize", UintegerValue(m_segmentSize));
    // SACK and timestamp options cost ns-3 an option object per segment; a wired peer link with
    // little loss gains nothing from them, so they are off unless the scenario turns them on.
    socket->SetAttribute("Sack", BooleanValue(m_tcpOptions));
    socket->SetAttribute("Timestamp", BooleanValue(m_tcpOptions));
    socket->SetAttribute("MinRto", TimeValue(m_tcpMinRto));
}

TypeId
CanonNodeApplication::GetTypeId()
{
    static TypeId tid =
        TypeId("canon::CanonNodeApplication")
            .SetParent<Application>()
            .SetGroupName("CanonSim")
            .AddConstructor<CanonNodeApplication>()
            .AddAttribute("NodeIndex", "Global index of this node (its PeerId for others).",
                          UintegerValue(0), MakeUintegerAccessor(&CanonNodeApplication::m_index),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("Port", "TCP port the node listens on.", UintegerValue(9735),
                          MakeUintegerAccessor(&CanonNodeApplication::m_port),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute(
                "Producer", "Whether the node produces blocks in its slots (needs a producer key).",
                BooleanValue(true), MakeBooleanAccessor(&CanonNodeApplication::m_producer),
                MakeBooleanChecker())
            .AddAttribute("Light",
                          "Run a light participant (headers and inclusion proofs, no ledger) "
                          "instead of a full node.",
                          BooleanValue(false), MakeBooleanAccessor(&CanonNodeApplication::m_light),
                          MakeBooleanChecker())
            .AddAttribute("MempoolTxMax", "Bound on pending transactions.",
                          UintegerValue(NodeLimits{}.mempoolTxMax),
                          MakeUintegerAccessor(&CanonNodeApplication::m_mempoolTxMax),
                          MakeUintegerChecker<uint64_t>(1))
            .AddAttribute("OrphanMax", "Bound on blocks waiting for their parent.",
                          UintegerValue(NodeLimits{}.orphanMax),
                          MakeUintegerAccessor(&CanonNodeApplication::m_orphanMax),
                          MakeUintegerChecker<uint64_t>(1))
            .AddAttribute("StaleTipSlots", "Slots without a new block before the node syncs.",
                          UintegerValue(NodeLimits{}.staleTipSlots),
                          MakeUintegerAccessor(&CanonNodeApplication::m_staleTipSlots),
                          MakeUintegerChecker<uint64_t>(1))
            .AddAttribute("PeerSendQueueBytesMax",
                          "Bound on bytes waiting to enter one peer's socket.",
                          UintegerValue(8 * 1024 * 1024),
                          MakeUintegerAccessor(&CanonNodeApplication::m_peerSendQueueBytesMax),
                          MakeUintegerChecker<uint64_t>(65536))
            .AddAttribute("SegmentSize", "TCP maximum segment size of the node's connections.",
                          UintegerValue(1448),
                          MakeUintegerAccessor(&CanonNodeApplication::m_segmentSize),
                          MakeUintegerChecker<uint32_t>(536, 8960))
            .AddAttribute("GossipFlushInterval",
                          "How long transaction gossip to a peer may wait to share segments.",
                          TimeValue(MilliSeconds(50)),
                          MakeTimeAccessor(&CanonNodeApplication::m_gossipFlushInterval),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("TcpOptions", "Use TCP SACK and timestamp options.", BooleanValue(false),
                          MakeBooleanAccessor(&CanonNodeApplication::m_tcpOptions),
                          MakeBooleanChecker())
            .AddAttribute(
                "TcpMinRto", "Lower bound of TCP's retransmission timeout (ns-3's default, 1 s).",
                TimeValue(Seconds(1)), MakeTimeAccessor(&CanonNodeApplication::m_tcpMinRto),
                MakeTimeChecker(MilliSeconds(1)))
            .AddAttribute("StallTimeout",
                          "Abandon and re-establish a connection with data waiting and no "
                          "progress for this long (0: never).",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&CanonNodeApplication::m_stallTimeout),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("ReconnectBackoffMin",
                          "First wait before reconnecting to a peer after a failure.",
                          TimeValue(Seconds(1)),
                          MakeTimeAccessor(&CanonNodeApplication::m_reconnectBackoffMin),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddAttribute("ReconnectBackoffMax",
                          "Bound on the wait before reconnecting (it doubles per failure).",
                          TimeValue(Seconds(16)),
                          MakeTimeAccessor(&CanonNodeApplication::m_reconnectBackoffMax),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddTraceSource("BlockProduced", "The node produced and signed a block.",
                            MakeTraceSourceAccessor(&CanonNodeApplication::m_blockProduced),
                            "canon::CanonNodeApplication::EventTracedCallback")
            .AddTraceSource("BlockReceived", "A valid block entered the node's block tree.",
                            MakeTraceSourceAccessor(&CanonNodeApplication::m_blockAccepted),
                            "canon::CanonNodeApplication::EventTracedCallback")
            .AddTraceSource("BlockIrreversible", "The node's irreversible block passed a block.",
                            MakeTraceSourceAccessor(&CanonNodeApplication::m_blockIrreversible),
                            "canon::CanonNodeApplication::EventTracedCallback")
            .AddTraceSource("TransactionAccepted", "A transaction entered the mempool.",
                            MakeTraceSourceAccessor(&CanonNodeApplication::m_txAccepted),
                            "canon::CanonNodeApplication::EventTracedCallback")
            .AddTraceSource("TransactionIncluded",
                            "The node produced a block carrying the transaction.",
                            MakeTraceSourceAccessor(&CanonNodeApplication::m_txIncluded),
                            "canon::CanonNodeApplication::EventTracedCallback")
            .AddTraceSource("MessageDropped", "A message was refused or not sent, with why.",
                            MakeTraceSourceAccessor(&CanonNodeApplication::m_messageDropped),
                            "canon::CanonNodeApplication::EventTracedCallback")
            .AddTraceSource("Event", "Every event of the node, whatever its kind.",
                            MakeTraceSourceAccessor(&CanonNodeApplication::m_event),
                            "canon::CanonNodeApplication::EventTracedCallback")
            .AddTraceSource("OtherEvent", "Reorgs, equivocation evidence and sync requests.",
                            MakeTraceSourceAccessor(&CanonNodeApplication::m_otherEvent),
                            "canon::CanonNodeApplication::EventTracedCallback");
    return tid;
}

CanonNodeApplication::CanonNodeApplication() = default;
CanonNodeApplication::~CanonNodeApplication() = default;

void
CanonNodeApplication::SetChainParams(std::shared_ptr<const ChainParams> params)
{
    m_params = std::move(params);
}

void
CanonNodeApplication::SetProducerKey(const KeyPair& key)
{
    m_key = key;
}

void
CanonNodeApplication::AddPeer(PeerId peer, Ipv4Address address, bool light)
{
    if (m_peers.count(peer) || peer == m_index)
    {
        return;
    }
    Peer p;
    p.id = peer;
    p.address = address;
    p.light = light;
    p.backoff = m_reconnectBackoffMin;
    Peer& added = m_peers[peer] = std::move(p);
    if (m_participant)
    {
        UpdatePeers();
        if (m_index < peer)
        {
            Connect(added);
        }
    }
}

void
CanonNodeApplication::RemovePeer(PeerId id)
{
    auto it = m_peers.find(id);
    if (it == m_peers.end())
    {
        return;
    }
    Peer& peer = it->second;
    if (peer.socket)
    {
        ReleaseSocket(peer);
    }
    peer.flush.Cancel();
    peer.reconnect.Cancel();
    m_peers.erase(it);
    if (m_participant)
    {
        UpdatePeers();
    }
}

void
CanonNodeApplication::UpdatePeers()
{
    if (m_node)
    {
        m_node->SetPeers(PeerIds(), LightPeerIds());
    }
    else if (m_adversary)
    {
        m_adversary->SetPeers(PeerIds(), LightPeerIds());
    }
    else if (m_lightNode)
    {
        m_lightNode->SetPeers(FullPeerIds());
    }
}

std::vector<PeerId>
CanonNodeApplication::PeerIds() const
{
    std::vector<PeerId> ids;
    for (const auto& [id, peer] : m_peers)
    {
        ids.push_back(id);
    }
    return ids;
}

std::set<PeerId>
CanonNodeApplication::LightPeerIds() const
{
    std::set<PeerId> ids;
    for (const auto& [id, peer] : m_peers)
    {
        if (peer.light)
        {
            ids.insert(id);
        }
    }
    return ids;
}

std::vector<PeerId>
CanonNodeApplication::FullPeerIds() const
{
    std::vector<PeerId> ids;
    for (const auto& [id, peer] : m_peers)
    {
        if (!peer.light)
        {
            ids.push_back(id);
        }
    }
    return ids;
}

void
CanonNodeApplication::DoDispose()
{
    m_participant.reset();
    m_node = nullptr;
    m_lightNode = nullptr;
    m_peers.clear();
    m_listener = nullptr;
    Application::DoDispose();
}

void
CanonNodeApplication::StartApplication()
{
    NS_ABORT_MSG_UNLESS(m_params || m_factory,
                        "CanonNodeApplication started without chain parameters or a factory");
    if (m_factory)
    {
        StartFromFactory();
    }
    else if (m_light)
    {
        StartLight();
    }
    else
    {
        StartFull();
    }

    m_listener = CanonTcpSocket::Create(GetNode());
    ConfigureSocket(m_listener); // accepted sockets inherit the listener's settings
    NS_ABORT_MSG_UNLESS(m_listener->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port)) == 0,
                        "CanonNodeApplication could not bind its port");
    m_listener->Listen();
    m_listener->SetAcceptCallback(MakeCallback(&CanonNodeApplication::OnAcceptRequest, this),
                                  MakeCallback(&CanonNodeApplication::OnAccepted, this));
    for (auto& [id, peer] : m_peers)
    {
        peer.backoff = m_reconnectBackoffMin;
        if (m_index < id)
        {
            Connect(peer);
        }
    }
    if (m_stallTimeout.IsStrictlyPositive())
    {
        m_stallCheck =
            Simulator::Schedule(m_stallTimeout / 2, &CanonNodeApplication::CheckStalls, this);
    }
    Step(StartInput{});
}

void
CanonNodeApplication::StartFull()
{
    NodeConfig c;
    c.id = m_index;
    c.params = m_params;
    if (m_producer && m_key)
    {
        c.producerKey = m_key;
    }
    c.peers = PeerIds();
    c.lightPeers = LightPeerIds();
    c.limits.mempoolTxMax = m_mempoolTxMax;
    c.limits.orphanMax = m_orphanMax;
    c.limits.staleTipSlots = m_staleTipSlots;
    c.lastSignedSlot = m_lastSignedSlot;
    auto node = std::make_unique<Node>(std::move(c));
    m_node = node.get();
    m_participant = std::move(node);
}

void
CanonNodeApplication::StartFromFactory()
{
    ParticipantSeat seat;
    seat.id = m_index;
    seat.peers = m_light ? FullPeerIds() : PeerIds(); // light participants talk to full peers
    seat.lightPeers = LightPeerIds();
    seat.lastSignedSlot = m_lastSignedSlot;
    m_participant = m_factory(seat);
    m_node = dynamic_cast<Node*>(m_participant.get());
    m_lightNode = dynamic_cast<LightNode*>(m_participant.get());
    m_adversary = dynamic_cast<Adversary*>(m_participant.get());
}

void
CanonNodeApplication::StartLight()
{
    LightNodeConfig c;
    c.id = m_index;
    c.params = m_params;
    c.peers = FullPeerIds(); // light participants have nothing to tell each other
    c.limits.staleTipSlots = m_staleTipSlots;
    auto light = std::make_unique<LightNode>(std::move(c));
    m_lightNode = light.get();
    m_participant = std::move(light);
}

void
CanonNodeApplication::CheckStalls()
{
    m_stallCheck =
        Simulator::Schedule(m_stallTimeout / 2, &CanonNodeApplication::CheckStalls, this);
    for (auto& [id, peer] : m_peers)
    {
        if (!peer.socket)
        {
            continue;
        }
        if (!peer.connected)
        {
            // A connect attempt: TCP retries its SYN after 3, 6, 12, 24... s, so one attempt
            // made during a partition would outlast the partition by minutes.
            if (Simulator::Now() - peer.lastConnectAttempt > m_stallTimeout)
            {
                Abandon(peer, "connection attempt to peer timed out");
            }
            continue;
        }
        UintegerValue sndBuf;
        peer.socket->GetAttribute("SndBufSize", sndBuf);
        const bool waiting = peer.queuedBytes > 0 || peer.socket->GetTxAvailable() < sndBuf.Get();
        if (waiting && Simulator::Now() - peer.lastProgress > m_stallTimeout)
        {
            Abandon(peer, "connection to peer stalled (no progress for " +
                              std::to_string(m_stallTimeout.GetMilliSeconds()) +
                              " ms); bytes in flight lost");
        }
    }
}

void
CanonNodeApplication::ReleaseSocket(Peer& peer)
{
    peer.socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
    peer.socket->SetSendCallback(MakeNullCallback<void, Ptr<Socket>, uint32_t>());
    peer.socket->SetCloseCallbacks(MakeNullCallback<void, Ptr<Socket>>(),
                                   MakeNullCallback<void, Ptr<Socket>>());
    // A connect attempt, or a connection with nothing left to send, is closed. An established
    // ns-3 3.37 TCP socket that still holds unsent data is left alone: closing it crashed ns-3
    // when an acknowledgement arrived in its FIN wait states (TcpRateLinux::SkbSent, before
    // canon-tcp-socket.h); it gives up after its own retries and frees itself.
    UintegerValue sndBuf;
    peer.socket->GetAttribute("SndBufSize", sndBuf);
    if (!peer.connected || peer.socket->GetTxAvailable() == sndBuf.Get())
    {
        peer.socket->Close();
    }
    peer.socket = nullptr;
    peer.connected = false;
}

void
CanonNodeApplication::Abandon(Peer& peer, const std::string& reason)
{
    TraceDrop(peer.id, MessageType::kTransaction, reason);
    ReleaseSocket(peer);
    peer.inbound.clear();
    peer.headOffset = 0;
    ScheduleReconnect(peer);
}

void
CanonNodeApplication::StopApplication()
{
    for (auto& t : m_timers)
    {
        t.Cancel();
    }
    m_stallCheck.Cancel();
    if (m_participant)
    {
        m_lastSignedSlot = LastSignedSlotOf(*m_participant);
    }
    for (auto& [id, peer] : m_peers)
    {
        if (peer.socket)
        {
            peer.socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
            peer.socket->Close();
            peer.socket = nullptr;
        }
        peer.connected = false;
        peer.flush.Cancel();
        peer.reconnect.Cancel();
        peer.queue.clear();
        peer.queuedBytes = 0;
        peer.headOffset = 0;
        peer.inbound.clear();
    }
    if (m_listener)
    {
        m_listener->Close();
        m_listener = nullptr;
    }
    m_participant.reset();
    m_node = nullptr;
    m_lightNode = nullptr;
    m_adversary = nullptr;
}

void
CanonNodeApplication::Crash()
{
    if (m_participant)
    {
        StopApplication();
    }
}

void
CanonNodeApplication::Restart()
{
    if (!m_participant)
    {
        StartApplication();
    }
}

void
CanonNodeApplication::SubmitTransaction(const Transaction& tx)
{
    if (m_participant)
    {
        Step(SubmitInput{tx});
    }
}

void
CanonNodeApplication::Step(const Input& input)
{
    m_actions.Clear();
    m_participant->Step(Simulator::Now().GetNanoSeconds(), input, m_actions);
    CarryOut();
}

void
CanonNodeApplication::CarryOut()
{
    // Events first: a block's produced/received events precede the sends they cause.
    for (const NodeEvent& ev : m_actions.events)
    {
        Fire(ev);
    }
    // A broadcast sends one message to several peers: frame it once.
    SharedBytes lastMessage, lastFrame;
    for (const SendAction& s : m_actions.sends)
    {
        if (s.bytes != lastMessage)
        {
            lastMessage = s.bytes;
            lastFrame = Frame(s.bytes);
        }
        (s.relayed ? m_bytesRelayed : m_bytesOriginated) += lastFrame->size();
        Enqueue(s.to, s.type, lastFrame);
    }
    for (const TimerAction& t : m_actions.timers)
    {
        auto& slot = m_timers[static_cast<int>(t.kind)];
        slot.Cancel();
        const TimeNs delay = std::max<TimeNs>(0, t.at - Simulator::Now().GetNanoSeconds());
        slot = Simulator::Schedule(NanoSeconds(static_cast<uint64_t>(delay)),
                                   &CanonNodeApplication::OnTimer, this, t.kind);
    }
}

void
CanonNodeApplication::OnTimer(TimerKind kind)
{
    if (m_participant)
    {
        Step(TimerInput{kind});
    }
}

void
CanonNodeApplication::Fire(const NodeEvent& ev)
{
    m_event(m_index, ev);
    switch (ev.kind)
    {
        case NodeEventKind::kBlockProduced:
            m_blockProduced(m_index, ev);
            break;
        case NodeEventKind::kBlockAccepted:
            m_blockAccepted(m_index, ev);
            break;
        case NodeEventKind::kBlockIrreversible:
            m_blockIrreversible(m_index, ev);
            break;
        case NodeEventKind::kTxAccepted:
            m_txAccepted(m_index, ev);
            break;
        case NodeEventKind::kTxIncluded:
            m_txIncluded(m_index, ev);
            break;
        case NodeEventKind::kMessageDropped:
            m_messageDropped(m_index, ev);
            break;
        default:
            m_otherEvent(m_index, ev);
            break;
    }
}

void
CanonNodeApplication::TraceDrop(PeerId peer, MessageType type, const std::string& reason)
{
    NodeEvent ev;
    ev.kind = NodeEventKind::kMessageDropped;
    ev.peer = peer;
    ev.messageType = type;
    ev.reason = reason;
    Fire(ev);
}

void
CanonNodeApplication::Enqueue(PeerId to, MessageType type, const SharedBytes& frame)
{
    auto it = m_peers.find(to);
    NS_ABORT_MSG_IF(it == m_peers.end(), "node sent to an unknown peer");
    Peer& peer = it->second;
    if (peer.queuedBytes + frame->size() > m_peerSendQueueBytesMax)
    {
        TraceDrop(to, type,
                  std::string("send queue to peer full (") + std::to_string(peer.queuedBytes) +
                      " bytes queued): " + MessageTypeName(type));
        return;
    }
    peer.queuedBytes += frame->size();
    peer.queue.push_back(frame);
    if (!peer.connected)
    {
        if (!peer.socket && m_index < peer.id &&
            Simulator::Now() - peer.lastConnectAttempt >= peer.backoff)
        {
            Connect(peer); // the connection was lost and the backoff has passed: try again
        }
        return;
    }
    if (type != MessageType::kTransaction || m_gossipFlushInterval.IsZero())
    {
        peer.flush.Cancel();
        Drain(peer);
    }
    else if (!peer.flush.IsRunning())
    {
        peer.flush =
            Simulator::Schedule(m_gossipFlushInterval, &CanonNodeApplication::Flush, this, to);
    }
}

void
CanonNodeApplication::Flush(PeerId id)
{
    auto it = m_peers.find(id);
    if (it != m_peers.end() && it->second.connected)
    {
        Drain(it->second);
    }
}

void
CanonNodeApplication::Drain(Peer& peer)
{
    // As many queued frames as the socket takes, in one write, so they share segments.
    while (!peer.queue.empty())
    {
        const uint32_t available = peer.socket->GetTxAvailable();
        if (available == 0)
        {
            return; // OnSendSpace resumes
        }
        Bytes chunk;
        std::size_t offset = peer.headOffset;
        for (const SharedBytes& frame : peer.queue)
        {
            const std::size_t take = std::min(frame->size() - offset, available - chunk.size());
            chunk.insert(chunk.end(), frame->begin() + static_cast<std::ptrdiff_t>(offset),
                         frame->begin() + static_cast<std::ptrdiff_t>(offset + take));
            offset = 0;
            if (chunk.size() == available)
            {
                break;
            }
        }
        const int sent =
            peer.socket->Send(Create<Packet>(chunk.data(), static_cast<uint32_t>(chunk.size())));
        if (sent <= 0)
        {
            return;
        }
        m_bytesSent += static_cast<uint64_t>(sent);
        // Retire the frames the write covered.
        std::size_t done = static_cast<std::size_t>(sent);
        while (done > 0)
        {
            const std::size_t left = peer.queue.front()->size() - peer.headOffset;
            if (done < left)
            {
                peer.headOffset += done;
                break;
            }
            done -= left;
            peer.queuedBytes -= peer.queue.front()->size();
            peer.queue.pop_front();
            peer.headOffset = 0;
        }
    }
}

void
CanonNodeApplication::Connect(Peer& peer)
{
    Ptr<Socket> s = CanonTcpSocket::Create(GetNode());
    ConfigureSocket(s);
    peer.reconnect.Cancel();
    peer.lastConnectAttempt = Simulator::Now();
    s->SetConnectCallback(MakeCallback(&CanonNodeApplication::OnConnected, this),
                          MakeCallback(&CanonNodeApplication::OnConnectFailed, this));
    peer.socket = s;
    if (s->Connect(InetSocketAddress(peer.address, m_port)) != 0)
    {
        // No route yet (on radio, before the routing protocol has found the peer): no callback
        // will come, so count it as a failed attempt here.
        s->Close();
        peer.socket = nullptr;
        TraceDrop(peer.id, MessageType::kTransaction, "connection to peer failed: no route");
        ScheduleReconnect(peer);
    }
}

void
CanonNodeApplication::Attach(Peer& peer, Ptr<Socket> socket)
{
    peer.socket = socket;
    peer.connected = true;
    peer.lastProgress = Simulator::Now();
    peer.inbound.clear();
    peer.headOffset = 0; // a partly sent frame on a dead connection is lost with it
    socket->SetRecvCallback(MakeCallback(&CanonNodeApplication::OnReceive, this));
    socket->SetSendCallback(MakeCallback(&CanonNodeApplication::OnSendSpace, this));
    socket->SetCloseCallbacks(MakeCallback(&CanonNodeApplication::OnClosed, this),
                              MakeCallback(&CanonNodeApplication::OnErrorClosed, this));
    Drain(peer);
}

void
CanonNodeApplication::OnConnected(Ptr<Socket> socket)
{
    if (Peer* peer = PeerBySocket(socket))
    {
        peer->backoff = m_reconnectBackoffMin;
        Attach(*peer, socket);
    }
}

void
CanonNodeApplication::OnConnectFailed(Ptr<Socket> socket)
{
    if (Peer* peer = PeerBySocket(socket))
    {
        peer->socket = nullptr;
        TraceDrop(peer->id, MessageType::kTransaction, "connection to peer failed");
        ScheduleReconnect(*peer);
    }
}

void
CanonNodeApplication::ScheduleReconnect(Peer& peer)
{
    if (!m_participant || m_index >= peer.id || peer.reconnect.IsRunning())
    {
        return;
    }
    // Jitter in [0.5, 1.5) of the backoff, from a hash of (node, peer, attempt): nodes that lost
    // their links together (a partition, a radio blackout) must not all retry in the same
    // instant, or their ARP and SYN broadcasts collide again. Deterministic, no RNG state.
    const Hash256 h = Blake2b256("reconnect/" + std::to_string(m_index) + "/" +
                                 std::to_string(peer.id) + "/" + std::to_string(++peer.attempts));
    const double jitter = 0.5 + static_cast<double>(HashPrefix64(h) >> 11) / 9007199254740992.0;
    peer.reconnect =
        Simulator::Schedule(peer.backoff * jitter, &CanonNodeApplication::Reconnect, this, peer.id);
    peer.backoff = std::min(2 * peer.backoff, m_reconnectBackoffMax);
}

void
CanonNodeApplication::Reconnect(PeerId id)
{
    auto it = m_peers.find(id);
    if (m_participant && it != m_peers.end() && !it->second.connected && !it->second.socket)
    {
        Connect(it->second);
    }
}

bool
CanonNodeApplication::OnAcceptRequest(Ptr<Socket>, const ns3::Address& from)
{
    const Ipv4Address ip = InetSocketAddress::ConvertFrom(from).GetIpv4();
    return std::any_of(m_peers.begin(), m_peers.end(),
                       [&ip](const auto& kv) { return kv.second.address == ip; });
}

void
CanonNodeApplication::OnAccepted(Ptr<Socket> socket, const ns3::Address& from)
{
    const Ipv4Address ip = InetSocketAddress::ConvertFrom(from).GetIpv4();
    for (auto& [id, peer] : m_peers)
    {
        if (peer.address == ip)
        {
            Attach(peer, socket);
            return;
        }
    }
}

CanonNodeApplication::Peer*
CanonNodeApplication::PeerBySocket(const Ptr<Socket>& socket)
{
    for (auto& [id, peer] : m_peers)
    {
        if (peer.socket == socket)
        {
            return &peer;
        }
    }
    return nullptr;
}

void
CanonNodeApplication::OnSendSpace(Ptr<Socket> socket, uint32_t)
{
    Peer* peer = PeerBySocket(socket);
    if (peer && peer->connected)
    {
        peer->lastProgress = Simulator::Now();
        Drain(*peer);
    }
}

void
CanonNodeApplication::OnClosed(Ptr<Socket> socket)
{
    if (Peer* peer = PeerBySocket(socket))
    {
        peer->connected = false;
        peer->socket = nullptr;
        peer->inbound.clear();
        ScheduleReconnect(*peer);
    }
}

void
CanonNodeApplication::OnErrorClosed(Ptr<Socket> socket)
{
    if (Peer* peer = PeerBySocket(socket))
    {
        TraceDrop(peer->id, MessageType::kTransaction,
                  "connection to peer lost (TCP gave up); bytes in flight lost");
        OnClosed(socket);
    }
}

void
CanonNodeApplication::OnReceive(Ptr<Socket> socket)
{
    Peer* peer = PeerBySocket(socket);
    if (!peer || !m_participant)
    {
        return;
    }
    const PeerId from = peer->id;
    peer->lastProgress = Simulator::Now();
    Ptr<Packet> packet;
    while ((packet = socket->Recv()))
    {
        const std::size_t old = peer->inbound.size();
        peer->inbound.resize(old + packet->GetSize());
        packet->CopyData(peer->inbound.data() + old, packet->GetSize());
    }
    // Hand every complete frame to the node; keep the partial tail.
    std::size_t pos = 0;
    while (peer->inbound.size() - pos >= 4)
    {
        Reader header(peer->inbound.data() + pos, 4, "frame");
        const uint32_t len = header.U32("length");
        if (len > kFrameBytesMax)
        {
            TraceDrop(from, MessageType::kTransaction,
                      "frame of " + std::to_string(len) +
                          " bytes exceeds limit; connection closed");
            peer->inbound.clear();
            socket->Close();
            peer->connected = false;
            peer->socket = nullptr;
            ScheduleReconnect(*peer);
            return;
        }
        if (peer->inbound.size() - pos - 4 < len)
        {
            break;
        }
        auto message = std::make_shared<const Bytes>(
            peer->inbound.begin() + static_cast<std::ptrdiff_t>(pos + 4),
            peer->inbound.begin() + static_cast<std::ptrdiff_t>(pos + 4 + len));
        pos += 4 + len;
        Step(MessageInput{from, message});
        peer = PeerBySocket(socket); // Step may not invalidate it, but stay safe
        if (!peer || !m_participant)
        {
            return;
        }
    }
    peer->inbound.erase(peer->inbound.begin(),
                        peer->inbound.begin() + static_cast<std::ptrdiff_t>(pos));
}

} // namespace canon
