#include "model/ns3/transaction-workload.h"

#include "ns3/double.h"
#include "ns3/simulator.h"

#include <cmath>

namespace canon
{

using namespace ns3;

NS_OBJECT_ENSURE_REGISTERED(TransactionWorkload);

TypeId
TransactionWorkload::GetTypeId()
{
    static TypeId tid =
        TypeId("canon::TransactionWorkload")
            .SetParent<Application>()
            .SetGroupName("CanonSim")
            .AddConstructor<TransactionWorkload>()
            .AddAttribute("Rate", "Transactions per second from this node's wallets.",
                          DoubleValue(0.0), MakeDoubleAccessor(&TransactionWorkload::m_rate),
                          MakeDoubleChecker<double>(0.0))
            .AddTraceSource("Submitted", "A wallet handed a transaction to its node.",
                            MakeTraceSourceAccessor(&TransactionWorkload::m_submitted),
                            "canon::TransactionWorkload::SubmittedCallback");
    return tid;
}

TransactionWorkload::TransactionWorkload()
  : m_arrivals(CreateObject<ExponentialRandomVariable>())
  , m_choice(CreateObject<UniformRandomVariable>())
  , m_feeExp(CreateObject<ExponentialRandomVariable>())
{
}

void
TransactionWorkload::SetTarget(Ptr<CanonNodeApplication> node)
{
    m_target = node;
}

void
TransactionWorkload::SetAccounts(std::vector<WorkloadAccount> own, std::vector<Address> everyone)
{
    m_own = std::move(own);
    m_nextNonce.assign(m_own.size(), 0);
    m_everyone = std::move(everyone);
}

void
TransactionWorkload::SetFeeDistribution(const std::string& kind, double min, double max,
                                        double mean, double value)
{
    m_feeKind = kind;
    m_feeMin = min;
    m_feeMax = max;
    m_feeMean = mean;
    m_feeValue = value;
}

int64_t
TransactionWorkload::AssignStreams(int64_t stream)
{
    m_arrivals->SetStream(stream);
    m_choice->SetStream(stream + 1);
    m_feeExp->SetStream(stream + 2);
    return 3;
}

void
TransactionWorkload::StartApplication()
{
    if (m_rate > 0 && !m_own.empty() && m_everyone.size() >= 2)
    {
        ScheduleNext();
    }
}

void
TransactionWorkload::StopApplication()
{
    m_next.Cancel();
}

void
TransactionWorkload::ScheduleNext()
{
    m_next = Simulator::Schedule(Seconds(m_arrivals->GetValue(1.0 / m_rate, 0.0)),
                                 &TransactionWorkload::Submit, this);
}

uint64_t
TransactionWorkload::DrawFee()
{
    double fee = m_feeValue;
    if (m_feeKind == "uniform")
    {
        fee = m_choice->GetValue(m_feeMin, m_feeMax);
    }
    else if (m_feeKind == "exponential")
    {
        fee = m_feeExp->GetValue(m_feeMean, 0.0);
    }
    return static_cast<uint64_t>(std::llround(fee));
}

void
TransactionWorkload::Submit()
{
    ScheduleNext();
    const Node* node = m_target->GetCanonNode();
    if (!node)
    {
        return; // the node is down; its wallets wait
    }
    const auto pick = static_cast<std::size_t>(
        std::min<double>(m_choice->GetValue(0.0, static_cast<double>(m_own.size())),
                         static_cast<double>(m_own.size() - 1)));
    const WorkloadAccount& from = m_own[pick];
    const Address fromAddr = from.key.GetAddress();
    Address to = fromAddr;
    while (to == fromAddr)
    {
        const auto k = static_cast<std::size_t>(
            std::min<double>(m_choice->GetValue(0.0, static_cast<double>(m_everyone.size())),
                             static_cast<double>(m_everyone.size() - 1)));
        to = m_everyone[k];
    }
    const uint64_t amount =
        1 + static_cast<uint64_t>(m_choice->GetValue(0.0, 1000.0)) * (kUnitsPerCzr / 1000);
    const uint64_t confirmed = node->Chain().BestState().NonceOf(fromAddr);
    uint64_t& next = m_nextNonce[pick];
    if (next < confirmed || next >= confirmed + kMempoolNonceAheadMax / 2)
    {
        next = confirmed;
    }
    const ChainParams& params = node->Chain().Params();
    Transaction tx = MakeTransfer(from.key, next++, DrawFee(),
                                  params.CzcHashAt(node->Chain().Best()->height + 1), to, amount);
    m_submitted(m_target->GetNodeIndex(), from.index, tx);
    m_target->SubmitTransaction(tx);
}

} // namespace canon
