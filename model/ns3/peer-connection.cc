#include "model/ns3/peer-connection.h"

#include "model/core/hash.h"
#include "model/ns3/canon-tcp-socket.h"

#include "ns3/boolean.h"
#include "ns3/inet-socket-address.h"
#include "ns3/packet.h"
#include "ns3/simple-ref-count.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace canon
{

using namespace ns3;

// What a socket's callbacks are bound to: the connection while it exists, nothing after. The
// sockets hold the relay (not the connection), so a socket that outlives its connection (one
// let go of with unsent data, or one in its closing states) calls into nothing.
class PeerConnection::SocketRelay : public SimpleRefCount<SocketRelay>
{
  public:
    explicit SocketRelay(PeerConnection* target)
      : m_target(target)
    {
    }
    void Disconnect() { m_target = nullptr; }

    void Connected(Ptr<Socket> s)
    {
        if (m_target)
        {
            m_target->OnConnected(s);
        }
    }
    void ConnectFailed(Ptr<Socket> s)
    {
        if (m_target)
        {
            m_target->OnConnectFailed(s);
        }
    }
    void Receive(Ptr<Socket> s)
    {
        if (m_target)
        {
            m_target->OnReceive(s);
        }
    }
    void SendSpace(Ptr<Socket> s, uint32_t available)
    {
        if (m_target)
        {
            m_target->OnSendSpace(s, available);
        }
    }
    void Closed(Ptr<Socket> s)
    {
        if (m_target)
        {
            m_target->OnClosed(s);
        }
    }
    void ErrorClosed(Ptr<Socket> s)
    {
        if (m_target)
        {
            m_target->OnErrorClosed(s);
        }
    }

  private:
    PeerConnection* m_target;
};

PeerConnection::PeerConnection(PeerConnectionOwner& owner, const PeerConnectionConfig& config,
                               PeerId peer, Ipv4Address address, bool light)
  : m_owner(owner)
  , m_config(config)
  , m_peer(peer)
  , m_address(address)
  , m_light(light)
  , m_relay(Create<SocketRelay>(this))
  , m_backoff(config.reconnectBackoffMin)
{
}

PeerConnection::~PeerConnection()
{
    m_relay->Disconnect();
    m_flush.Cancel();
    m_reconnect.Cancel();
    m_slowRead.Cancel();
}

void
PeerConnection::ConfigureSocket(const Ptr<Socket>& socket, const PeerConnectionConfig& config)
{
    socket->SetAttribute("SegmentSize", UintegerValue(config.segmentSize));
    // SACK and timestamp options cost ns-3 an option object per segment; a wired peer link with
    // little loss gains nothing from them, so they are off unless the scenario turns them on.
    socket->SetAttribute("Sack", BooleanValue(config.tcpOptions));
    socket->SetAttribute("Timestamp", BooleanValue(config.tcpOptions));
    socket->SetAttribute("MinRto", TimeValue(config.tcpMinRto));
    socket->SetAttribute("DelAckCount", UintegerValue(config.tcpDelAckCount));
}

void
PeerConnection::Start()
{
    m_backoff = m_config.reconnectBackoffMin;
    if (IsConnectingSide())
    {
        Connect();
    }
}

void
PeerConnection::Stop()
{
    if (m_socket)
    {
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket->Close();
        m_socket = nullptr;
    }
    Forget();
}

void
PeerConnection::Release()
{
    if (m_socket)
    {
        ReleaseSocket();
    }
    m_flush.Cancel();
    m_reconnect.Cancel();
    m_slowRead.Cancel();
}

void
PeerConnection::DetachCallbacks()
{
    m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
    m_socket->SetSendCallback(MakeNullCallback<void, Ptr<Socket>, uint32_t>());
    m_socket->SetCloseCallbacks(MakeNullCallback<void, Ptr<Socket>>(),
                                MakeNullCallback<void, Ptr<Socket>>());
}

void
PeerConnection::ReleaseSocket()
{
    DetachCallbacks();
    // A connect attempt, or a connection with nothing left to send, is closed. An established
    // ns-3 3.37 TCP socket that still holds unsent data is left alone: closing it crashed ns-3
    // when an acknowledgement arrived in its FIN wait states (TcpRateLinux::SkbSent, before
    // canon-tcp-socket.h); it gives up after its own retries and frees itself.
    UintegerValue sndBuf;
    m_socket->GetAttribute("SndBufSize", sndBuf);
    if (!m_connected || m_socket->GetTxAvailable() == sndBuf.Get())
    {
        m_socket->Close();
    }
    m_socket = nullptr;
    m_connected = false;
}

void
PeerConnection::Trace(const std::string& reason)
{
    m_owner.OnPeerDrop(m_peer, kConnectionEvent, reason);
}

void
PeerConnection::CheckStall()
{
    if (!m_socket)
    {
        return;
    }
    if (m_config.drain.Enabled() && m_connected && CheckDrain())
    {
        return;
    }
    if (!m_config.stallTimeout.IsStrictlyPositive())
    {
        return;
    }
    if (!m_connected)
    {
        // A connect attempt: TCP retries its SYN after 3, 6, 12, 24... s, so one attempt made
        // during a partition would outlast the partition by minutes.
        if (Simulator::Now() - m_lastConnectAttempt > m_config.stallTimeout)
        {
            Abandon("connection attempt to peer timed out");
        }
        return;
    }
    UintegerValue sndBuf;
    m_socket->GetAttribute("SndBufSize", sndBuf);
    const bool waiting = m_queuedBytes > 0 || m_socket->GetTxAvailable() < sndBuf.Get();
    if (waiting && Simulator::Now() - m_lastProgress > m_config.stallTimeout)
    {
        Abandon("connection to peer stalled (no progress for " +
                std::to_string(m_config.stallTimeout.GetMilliSeconds()) +
                " ms); bytes in flight lost");
    }
}

uint64_t
PeerConnection::Unacknowledged() const
{
    UintegerValue sndBuf;
    m_socket->GetAttribute("SndBufSize", sndBuf);
    return sndBuf.Get() - m_socket->GetTxAvailable();
}

bool
PeerConnection::CheckDrain()
{
    const uint64_t unacked = Unacknowledged();
    const uint64_t backlogEnd = m_bytesWritten + m_queuedBytes - m_headOffset;
    if (!m_drain.TooSlow(Simulator::Now(), m_bytesWritten - unacked, backlogEnd, m_config.drain))
    {
        return false;
    }
    Trace("peer too slow to read (under " +
          std::to_string(static_cast<uint64_t>(m_config.drain.minBytesPerSecond)) + " B/s for " +
          std::to_string(m_config.drain.timeout.GetMilliSeconds()) + " ms, " +
          std::to_string(m_queuedBytes + unacked) + " bytes waiting); connection reset");
    ResetSocket();
    m_queue.clear(); // what it would not take it can sync later
    m_queuedBytes = 0;
    m_headOffset = 0;
    m_inbound.Reset();
    ScheduleReconnect();
    return true;
}

void
PeerConnection::ResetSocket()
{
    DetachCallbacks(); // first: the reset's own close notification reaches nobody
    if (Ptr<CanonTcpSocket> tcp = DynamicCast<CanonTcpSocket>(m_socket))
    {
        tcp->Abort();
    }
    else
    {
        m_socket->Close();
    }
    m_socket = nullptr;
    m_connected = false;
}

void
PeerConnection::Forget()
{
    m_connected = false;
    m_flush.Cancel();
    m_reconnect.Cancel();
    m_slowRead.Cancel();
    m_queue.clear();
    m_queuedBytes = 0;
    m_headOffset = 0;
    m_inbound.Reset();
}

void
PeerConnection::Shut(Time until, const std::string& reason)
{
    m_shutUntil = until;
    Trace(reason);
    if (m_socket)
    {
        ResetSocket();
    }
    Forget();
    if (IsConnectingSide() && m_owner.IsRunning())
    {
        m_backoff = m_config.reconnectBackoffMin;
        m_reconnect =
            Simulator::Schedule(until - Simulator::Now(), &PeerConnection::Reconnect, this);
    }
}

bool
PeerConnection::IsShut() const
{
    return Simulator::Now() < m_shutUntil;
}

void
PeerConnection::Abandon(const std::string& reason)
{
    Trace(reason);
    ReleaseSocket();
    m_inbound.Reset();
    m_headOffset = 0;
    ScheduleReconnect();
}

void
PeerConnection::Enqueue(MessageType type, const SharedBytes& frame)
{
    if (m_queuedBytes + frame->size() > m_config.sendQueueBytesMax)
    {
        m_owner.OnPeerDrop(m_peer, type,
                           std::string("send queue to peer full (") +
                               std::to_string(m_queuedBytes) +
                               " bytes queued): " + MessageTypeName(type));
        return;
    }
    m_queuedBytes += frame->size();
    m_queue.push_back(frame);
    if (!m_connected)
    {
        if (!m_socket && IsConnectingSide() && !IsShut() &&
            Simulator::Now() - m_lastConnectAttempt >= m_backoff)
        {
            Connect(); // the connection was lost and the backoff has passed: try again
        }
        return;
    }
    if (type != MessageType::kTransaction || m_config.gossipFlushInterval.IsZero())
    {
        m_flush.Cancel();
        Drain();
    }
    else if (!m_flush.IsRunning())
    {
        m_flush = Simulator::Schedule(m_config.gossipFlushInterval, &PeerConnection::Flush, this);
    }
}

void
PeerConnection::Flush()
{
    if (m_connected)
    {
        Drain();
    }
}

void
PeerConnection::Drain()
{
    // As many queued frames as the socket takes, in one write, so they share segments.
    while (!m_queue.empty())
    {
        const uint32_t available = m_socket->GetTxAvailable();
        if (available == 0)
        {
            return; // OnSendSpace resumes
        }
        Bytes chunk;
        std::size_t offset = m_headOffset;
        for (const SharedBytes& frame : m_queue)
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
            m_socket->Send(Create<Packet>(chunk.data(), static_cast<uint32_t>(chunk.size())));
        if (sent <= 0)
        {
            return;
        }
        m_owner.OnBytesSent(static_cast<uint64_t>(sent));
        m_bytesWritten += static_cast<uint64_t>(sent);
        // Retire the frames the write covered.
        std::size_t done = static_cast<std::size_t>(sent);
        while (done > 0)
        {
            const std::size_t left = m_queue.front()->size() - m_headOffset;
            if (done < left)
            {
                m_headOffset += done;
                break;
            }
            done -= left;
            m_queuedBytes -= m_queue.front()->size();
            m_queue.pop_front();
            m_headOffset = 0;
        }
    }
}

void
PeerConnection::Connect()
{
    Ptr<Socket> s = CanonTcpSocket::Create(m_config.node);
    ConfigureSocket(s, m_config);
    m_reconnect.Cancel();
    m_lastConnectAttempt = Simulator::Now();
    s->SetConnectCallback(MakeCallback(&SocketRelay::Connected, m_relay),
                          MakeCallback(&SocketRelay::ConnectFailed, m_relay));
    m_socket = s;
    if (s->Connect(InetSocketAddress(m_address, m_config.port)) != 0)
    {
        // No route yet (on radio, before the routing protocol has found the peer): no callback
        // will come, so count it as a failed attempt here.
        s->Close();
        m_socket = nullptr;
        Trace("connection to peer failed: no route");
        ScheduleReconnect();
    }
}

void
PeerConnection::Accept(Ptr<Socket> socket)
{
    if (IsShut())
    {
        if (Ptr<CanonTcpSocket> tcp = DynamicCast<CanonTcpSocket>(socket))
        {
            tcp->Abort(); // the owner refuses banned peers; this one came in before the ban
        }
        return;
    }
    Attach(socket);
}

void
PeerConnection::Attach(Ptr<Socket> socket)
{
    m_socket = socket;
    m_connected = true;
    m_lastProgress = Simulator::Now();
    m_inbound.Reset();
    m_headOffset = 0; // a partly sent frame on a dead connection is lost with it
    m_bytesWritten = 0;
    m_drain.Reset();
    socket->SetRecvCallback(MakeCallback(&SocketRelay::Receive, m_relay));
    socket->SetSendCallback(MakeCallback(&SocketRelay::SendSpace, m_relay));
    socket->SetCloseCallbacks(MakeCallback(&SocketRelay::Closed, m_relay),
                              MakeCallback(&SocketRelay::ErrorClosed, m_relay));
    Drain();
}

void
PeerConnection::OnConnected(Ptr<Socket> socket)
{
    if (socket == m_socket)
    {
        m_backoff = m_config.reconnectBackoffMin;
        Attach(socket);
    }
}

void
PeerConnection::OnConnectFailed(Ptr<Socket> socket)
{
    if (socket == m_socket)
    {
        m_socket = nullptr;
        Trace("connection to peer failed");
        ScheduleReconnect();
    }
}

void
PeerConnection::ScheduleReconnect()
{
    if (!m_owner.IsRunning() || !IsConnectingSide() || m_reconnect.IsRunning())
    {
        return;
    }
    // Jitter in [0.5, 1.5) of the backoff, from a hash of (node, peer, attempt): nodes that lost
    // their links together (a partition, a radio blackout) must not all retry in the same
    // instant, or their ARP and SYN broadcasts collide again. Deterministic, no RNG state.
    const Hash256 h = Blake2b256("reconnect/" + std::to_string(m_config.self) + "/" +
                                 std::to_string(m_peer) + "/" + std::to_string(++m_attempts));
    const double jitter = 0.5 + static_cast<double>(HashPrefix64(h) >> 11) / 9007199254740992.0;
    m_reconnect = Simulator::Schedule(m_backoff * jitter, &PeerConnection::Reconnect, this);
    m_backoff = std::min(2 * m_backoff, m_config.reconnectBackoffMax);
}

void
PeerConnection::Reconnect()
{
    if (m_owner.IsRunning() && !m_connected && !m_socket && !IsShut())
    {
        Connect();
    }
}

void
PeerConnection::OnSendSpace(Ptr<Socket> socket, uint32_t)
{
    if (socket == m_socket && m_connected)
    {
        m_lastProgress = Simulator::Now();
        Drain();
    }
}

void
PeerConnection::OnClosed(Ptr<Socket> socket)
{
    if (socket == m_socket)
    {
        m_connected = false;
        m_socket = nullptr;
        m_inbound.Reset();
        ScheduleReconnect();
    }
}

void
PeerConnection::OnErrorClosed(Ptr<Socket> socket)
{
    if (socket == m_socket)
    {
        Trace("connection to peer lost (TCP gave up); bytes in flight lost");
        OnClosed(socket);
    }
}

void
PeerConnection::OnReceive(Ptr<Socket> socket)
{
    if (socket != m_socket || !m_owner.IsRunning())
    {
        return;
    }
    m_lastProgress = Simulator::Now();
    if (m_config.slowRead.Active(Simulator::Now()))
    {
        if (!m_slowRead.IsRunning()) // the bytes wait in the socket for the slow reader
        {
            m_slowRead = Simulator::Schedule(Seconds(1), &PeerConnection::SlowReadTick, this);
        }
        return;
    }
    Read(socket, UINT32_MAX);
}

void
PeerConnection::SlowReadTick()
{
    if (!m_socket || !m_connected || !m_owner.IsRunning())
    {
        return;
    }
    const bool slow = m_config.slowRead.Active(Simulator::Now());
    if (slow)
    {
        m_slowRead = Simulator::Schedule(Seconds(1), &PeerConnection::SlowReadTick, this);
    }
    Read(m_socket, slow ? static_cast<uint32_t>(m_config.slowRead.bytesPerSecond) : UINT32_MAX);
}

void
PeerConnection::Read(Ptr<Socket> socket, uint32_t maxBytes)
{
    Ptr<Packet> packet;
    uint32_t left = maxBytes;
    while (left > 0 && (packet = socket->Recv(left, 0)))
    {
        left -= std::min(left, packet->GetSize());
        m_chunk.resize(packet->GetSize());
        packet->CopyData(m_chunk.data(), packet->GetSize());
        m_inbound.Feed(m_chunk); // after a bad header the decoder ignores the rest
    }
    // Hand every whole message to the node, in order; the decoder keeps the partial tail.
    while (SharedBytes message = m_inbound.Next())
    {
        m_owner.OnPeerMessage(m_peer, message);
        if (socket != m_socket || !m_owner.IsRunning())
        {
            return; // the node let go of the connection (or stopped) while handling it
        }
    }
    if (m_inbound.Failed())
    {
        // The stream cannot be resynchronised after a bad length: drop the connection.
        Trace(m_inbound.Error().Message() + "; connection closed");
        m_inbound.Reset();
        socket->Close();
        m_connected = false;
        m_socket = nullptr;
        ScheduleReconnect();
    }
}

} // namespace canon
