#include "model/ns3/canon-tcp-socket.h"

#include "ns3/object-factory.h"
#include "ns3/rtt-estimator.h"
#include "ns3/simulator.h"
#include "ns3/tcp-congestion-ops.h"
#include "ns3/tcp-l4-protocol.h"
#include "ns3/tcp-recovery-ops.h"
#include "ns3/tcp-tx-buffer.h"
#include "ns3/type-id.h"

namespace canon
{

using namespace ns3;

NS_OBJECT_ENSURE_REGISTERED(CanonTcpSocket);

namespace
{

uint64_t g_zeroLengthSends = 0;
uint64_t g_emptyPersistProbes = 0;

template <typename T>
Ptr<T>
CreateFromAttribute(const Ptr<TcpL4Protocol>& tcp, const char* attribute)
{
    TypeIdValue type;
    tcp->GetAttribute(attribute, type);
    ObjectFactory factory;
    factory.SetTypeId(type.Get());
    return factory.Create<T>();
}

} // namespace

TypeId
CanonTcpSocket::GetTypeId()
{
    static TypeId tid = TypeId("canon::CanonTcpSocket")
                            .SetParent<TcpSocketBase>()
                            .SetGroupName("CanonSim")
                            .AddConstructor<CanonTcpSocket>();
    return tid;
}

Ptr<Socket>
CanonTcpSocket::Create(const Ptr<Node>& node)
{
    Ptr<TcpL4Protocol> tcp = node->GetObject<TcpL4Protocol>();
    NS_ABORT_MSG_UNLESS(tcp, "CanonTcpSocket needs the Internet stack on node " << node->GetId());
    Ptr<CanonTcpSocket> socket = CreateObject<CanonTcpSocket>();
    socket->SetNode(node);
    socket->SetTcp(tcp);
    socket->SetRtt(CreateFromAttribute<RttEstimator>(tcp, "RttEstimatorType"));
    socket->SetCongestionControlAlgorithm(CreateFromAttribute<TcpCongestionOps>(tcp, "SocketType"));
    socket->SetRecoveryAlgorithm(CreateFromAttribute<TcpRecoveryOps>(tcp, "RecoveryType"));
    tcp->AddSocket(socket);
    return socket;
}

uint64_t
CanonTcpSocket::ZeroLengthSends()
{
    return g_zeroLengthSends;
}

uint64_t
CanonTcpSocket::EmptyPersistProbes()
{
    return g_emptyPersistProbes;
}

uint32_t
CanonTcpSocket::SendDataPacket(SequenceNumber32 seq, uint32_t maxSize, bool withAck)
{
    if (maxSize == 0 || m_txBuffer->SizeFromSequence(seq) == 0)
    {
        ++g_zeroLengthSends;
        // Close the window just below the sent data, as NextSeg's fixed test (m_sentSize < rWnd)
        // would have found it; the peer's next ACK restores the real value.
        const int32_t gap = m_tcb->m_highTxMark.Get() - m_txBuffer->HeadSequence();
        const uint32_t sent = gap > 0 ? static_cast<uint32_t>(gap) : 0;
        if (m_rWnd.Get() >= sent)
        {
            m_rWnd = sent > 0 ? sent - 1 : 0;
        }
        return 0;
    }
    return TcpSocketBase::SendDataPacket(seq, maxSize, withAck);
}

void
CanonTcpSocket::PersistTimeout()
{
    if (m_txBuffer->SizeFromSequence(m_tcb->m_nextTxSequence) == 0)
    {
        ++g_emptyPersistProbes;
        m_persistTimeout = std::min(Seconds(60), Time(2 * m_persistTimeout));
        m_persistEvent =
            Simulator::Schedule(m_persistTimeout, &CanonTcpSocket::PersistTimeout, this);
        return;
    }
    TcpSocketBase::PersistTimeout();
}

Ptr<TcpSocketBase>
CanonTcpSocket::Fork()
{
    return CopyObject<CanonTcpSocket>(this);
}

} // namespace canon
