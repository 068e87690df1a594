#include "model/ns3/canon-node-application.h"

#include "model/ns3/canon-tcp-socket.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace canon
{

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("CanonNodeApplication");
NS_OBJECT_ENSURE_REGISTERED(CanonNodeApplication);

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
            .AddAttribute("TcpDelAckCount",
                          "Segments TCP receives before it acknowledges at once (ns-3's "
                          "DelAckCount; otherwise the acknowledgement rides on the next data "
                          "or leaves when the 200 ms delayed-ACK timer fires).",
                          UintegerValue(2),
                          MakeUintegerAccessor(&CanonNodeApplication::m_tcpDelAckCount),
                          MakeUintegerChecker<uint32_t>(1, 64))
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
            .AddAttribute("SlowReadBytesPerSecond",
                          "The slow-peer attack: read at most this many bytes a second from "
                          "each connection between SlowReadFrom and SlowReadUntil (0: never "
                          "read; negative: read as data comes).",
                          DoubleValue(-1),
                          MakeDoubleAccessor(&CanonNodeApplication::m_slowReadBytesPerSecond),
                          MakeDoubleChecker<double>())
            .AddAttribute("SlowReadFrom", "Start of the slow-peer attack.", TimeValue(Seconds(0)),
                          MakeTimeAccessor(&CanonNodeApplication::m_slowReadFrom),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("SlowReadUntil", "End of the slow-peer attack (0: none).",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&CanonNodeApplication::m_slowReadUntil),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("DrainTimeout",
                          "The slow-peer defence: reset a connection on which data waited this "
                          "long while the peer took under DrainBytesPerSecondMin (0: never).",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&CanonNodeApplication::m_drainTimeout),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("DrainBytesPerSecondMin",
                          "The slowest a peer may read while data waits for it (DrainTimeout).",
                          DoubleValue(1024),
                          MakeDoubleAccessor(&CanonNodeApplication::m_drainBytesPerSecondMin),
                          MakeDoubleChecker<double>(0))
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
            .AddTraceSource("MessageDropped",
                            "A message was refused or not sent, or a connection event (message "
                            "type kConnectionEvent), with why.",
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
    PeerConnectionOwner& owner = *this; // a private base: converted here, not in make_unique
    auto connection =
        std::make_unique<PeerConnection>(owner, m_connectionConfig, peer, address, light);
    PeerConnection& added = *(m_peers[peer] = std::move(connection));
    if (m_participant)
    {
        UpdatePeers();
        added.Start();
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
    it->second->Release();
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
        if (peer->IsLight())
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
        if (!peer->IsLight())
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
    PeerConnectionConfig& c = m_connectionConfig;
    c.node = GetNode();
    c.self = m_index;
    c.port = m_port;
    c.segmentSize = m_segmentSize;
    c.tcpOptions = m_tcpOptions;
    c.tcpDelAckCount = m_tcpDelAckCount;
    c.tcpMinRto = m_tcpMinRto;
    c.sendQueueBytesMax = m_peerSendQueueBytesMax;
    c.gossipFlushInterval = m_gossipFlushInterval;
    c.stallTimeout = m_stallTimeout;
    c.reconnectBackoffMin = m_reconnectBackoffMin;
    c.reconnectBackoffMax = m_reconnectBackoffMax;
    c.slowRead = SlowRead{m_slowReadBytesPerSecond, m_slowReadFrom, m_slowReadUntil};
    c.drain = DrainWatchSpec{m_drainTimeout, m_drainBytesPerSecondMin};
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
    // Accepted sockets inherit the listener's settings.
    PeerConnection::ConfigureSocket(m_listener, m_connectionConfig);
    NS_ABORT_MSG_UNLESS(m_listener->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port)) == 0,
                        "CanonNodeApplication could not bind its port");
    m_listener->Listen();
    m_listener->SetAcceptCallback(MakeCallback(&CanonNodeApplication::OnAcceptRequest, this),
                                  MakeCallback(&CanonNodeApplication::OnAccepted, this));
    for (auto& [id, peer] : m_peers)
    {
        peer->Start();
    }
    if (WatchdogInterval().IsStrictlyPositive())
    {
        m_stallCheck =
            Simulator::Schedule(WatchdogInterval(), &CanonNodeApplication::CheckStalls, this);
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
    // One watchdog tick per node, not one timer per connection: the same checks, fewer events.
    m_stallCheck =
        Simulator::Schedule(WatchdogInterval(), &CanonNodeApplication::CheckStalls, this);
    for (auto& [id, peer] : m_peers)
    {
        peer->CheckStall();
    }
}

Time
CanonNodeApplication::WatchdogInterval() const
{
    Time shortest;
    for (const Time& t : {m_stallTimeout, m_drainTimeout})
    {
        if (t.IsStrictlyPositive() && (shortest.IsZero() || t < shortest))
        {
            shortest = t;
        }
    }
    return shortest / 2;
}

void
CanonNodeApplication::ShutIfBanned(const NodeEvent& ev)
{
    const Node* node = m_node ? m_node : (m_adversary ? &m_adversary->Follower() : nullptr);
    if (ev.kind != NodeEventKind::kMessageDropped || ev.messageType != kConnectionEvent || !node ||
        !node->Guard().Banned(ev.peer, Simulator::Now().GetNanoSeconds()))
    {
        return;
    }
    auto peer = m_peers.find(ev.peer);
    if (peer != m_peers.end() && !peer->second->IsShut())
    {
        const Time until = Time(node->Guard().BannedUntil(ev.peer));
        peer->second->Shut(until, "connection to banned peer reset; refused until " +
                                      std::to_string(until.GetSeconds()) + " s");
    }
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
        peer->Stop();
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
CanonNodeApplication::RunLocal(LocalWork work)
{
    if (m_participant)
    {
        Step(LocalInput{std::move(work)});
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
        ShutIfBanned(ev);
    }
    // A broadcast sends one message to several peers: frame it once.
    SharedBytes lastMessage, lastFrame;
    for (const SendAction& s : m_actions.sends)
    {
        if (s.bytes != lastMessage)
        {
            lastMessage = s.bytes;
            lastFrame = std::make_shared<const Bytes>(EncodeFrame(*s.bytes));
        }
        (s.relayed ? m_bytesRelayed : m_bytesOriginated) += lastFrame->size();
        auto peer = m_peers.find(s.to);
        NS_ABORT_MSG_IF(peer == m_peers.end(), "node sent to an unknown peer");
        peer->second->Enqueue(s.type, lastFrame);
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
CanonNodeApplication::OnPeerDrop(PeerId peer, MessageType type, const std::string& reason)
{
    NodeEvent ev;
    ev.kind = NodeEventKind::kMessageDropped;
    ev.peer = peer;
    ev.messageType = type;
    ev.reason = reason;
    Fire(ev);
}

void
CanonNodeApplication::OnPeerMessage(PeerId from, const SharedBytes& message)
{
    Step(MessageInput{from, message});
}

bool
CanonNodeApplication::OnAcceptRequest(Ptr<Socket>, const ns3::Address& from)
{
    const Ipv4Address ip = InetSocketAddress::ConvertFrom(from).GetIpv4();
    return std::any_of(m_peers.begin(), m_peers.end(),
                       [&ip](const auto& kv)
                       { return kv.second->GetAddress() == ip && !kv.second->IsShut(); });
}

void
CanonNodeApplication::OnAccepted(Ptr<Socket> socket, const ns3::Address& from)
{
    const Ipv4Address ip = InetSocketAddress::ConvertFrom(from).GetIpv4();
    for (auto& [id, peer] : m_peers)
    {
        if (peer->GetAddress() == ip)
        {
            peer->Accept(socket);
            return;
        }
    }
}

} // namespace canon
