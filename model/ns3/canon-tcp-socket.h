// CanonTcpSocket: ns-3 3.37's TcpSocketBase with two guards against null dereferences inside it,
// used for every CanonNodeApplication connection. Nothing else differs: a run that never reaches
// either case produces exactly the packets TcpSocketBase would (the wired regression baseline
// and the determinism tests check this).
//
// Why (ns-3 issue #991, fixed upstream in 3.41 in TcpTxBuffer::NextSeg, not in the 3.37 that
// Debian ships): when the peer's advertised window ends exactly where the sender's sent data
// ends (m_sentSize == rWnd) while some of that data counts as lost (so bytes in flight are
// below the window and SendPendingData runs) and unsent data waits, NextSeg returns a
// zero-length range. SendDataPacket then asks the tx buffer for 0 bytes, gets nullptr, and
// TcpRateLinux::SkbSent dereferences it. Radio runs reach this within minutes (the
// vehicular-highway scenario died between 110 and 150 simulated seconds).
//   - SendDataPacket with nothing to copy at `seq` does what the upstream fix does: it sends
//     nothing and treats the window as full (the peer's window is lowered by one byte below the
//     sent data, so NextSeg reports "no window" and SendPendingData's loop ends). The next ACK
//     from the peer sets the window again. Counted in ZeroLengthSends().
//   - PersistTimeout with no byte at the next sequence to probe with (the same null) skips the
//     probe and re-arms the persist timer. Counted in EmptyPersistProbes().
//
// Abort() resets the connection at once (an RST, the endpoint freed), whatever the socket still
// holds: for a connection the node gives up on deliberately (a peer too slow to read, a banned
// peer; slow-peer.h), which a polite Close would keep open until its unsent data drained.
//
// Create() replaces Socket::CreateSocket(node, TcpSocketFactory): it builds the socket exactly
// as ns-3 3.37's TcpL4Protocol::CreateSocket does (RTT estimator, congestion control and
// recovery algorithm from the node's TcpL4Protocol attributes) and registers it there. Sockets a
// listener accepts are forked from it, so they are CanonTcpSockets too.
//
// The counters are process-wide (ns-3 runs one simulation per process) and only ever grow.
#ifndef CANONSIM_NS3_CANON_TCP_SOCKET_H
#define CANONSIM_NS3_CANON_TCP_SOCKET_H

#include "ns3/node.h"
#include "ns3/tcp-socket-base.h"

#include <cstdint>

namespace canon
{

class CanonTcpSocket : public ns3::TcpSocketBase
{
  public:
    static ns3::TypeId GetTypeId();

    CanonTcpSocket() = default;
    CanonTcpSocket(const CanonTcpSocket& other) = default;

    // A new socket on `node`, which must have ns-3's Internet stack installed.
    static ns3::Ptr<ns3::Socket> Create(const ns3::Ptr<ns3::Node>& node);

    // A reset now (see the top of this file). The socket is unusable afterwards.
    void Abort() { SendRST(); }

    static uint64_t ZeroLengthSends();
    static uint64_t EmptyPersistProbes();

  protected:
    uint32_t SendDataPacket(ns3::SequenceNumber32 seq, uint32_t maxSize, bool withAck) override;
    void PersistTimeout() override;
    ns3::Ptr<ns3::TcpSocketBase> Fork() override;
};

} // namespace canon

#endif
