#include "model/ns3/transaction-workload.h"

#include "ns3/double.h"
#include "ns3/simulator.h"

#include <algorithm>
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
TransactionWorkload::SetVoting(std::vector<bool> voters, bool topBehaviour, uint32_t approvals)
{
    m_voters = std::move(voters);
    m_voters.resize(m_own.size(), false);
    m_votedEpoch.assign(m_own.size(), 0);
    m_lastVote.assign(m_own.size(), {});
    m_voteTop = topBehaviour;
    m_approvals = std::min(approvals, kVoteCandidatesMax);
}

void
TransactionWorkload::StartApplication()
{
    if (m_rate > 0 && !m_own.empty() && m_everyone.size() >= 2)
    {
        ScheduleNext();
    }
    if (m_approvals > 0 && std::find(m_voters.begin(), m_voters.end(), true) != m_voters.end())
    {
        m_voteCheck = Simulator::Schedule(Seconds(1), &TransactionWorkload::Vote, this);
    }
}

void
TransactionWorkload::StopApplication()
{
    m_next.Cancel();
    m_voteCheck.Cancel();
}

uint64_t
TransactionWorkload::NextNonce(std::size_t own, const Node& node)
{
    return NextWalletNonce(m_nextNonce[own], node, m_own[own].key.GetAddress());
}

uint64_t
TransactionWorkload::NextNonce(std::size_t own, const LightNode& node)
{
    return NextWalletNonce(m_nextNonce[own], node, m_own[own].key.GetAddress());
}

void
TransactionWorkload::Vote()
{
    m_voteCheck = Simulator::Schedule(Seconds(1), &TransactionWorkload::Vote, this);
    const Node* node = m_target->GetCanonNode();
    if (!node)
    {
        return;
    }
    const PopState& pop = node->Chain().BestState().Pop();
    if (pop.reportHeight == 0)
    {
        return;
    }
    const std::vector<Address> claimants = RankClaimants(pop);
    for (std::size_t k = 0; k < m_own.size(); ++k)
    {
        if (!m_voters[k] || m_votedEpoch[k] >= pop.reportEpoch)
        {
            continue;
        }
        m_votedEpoch[k] = pop.reportEpoch;
        VotePayload v;
        std::vector<Address> pool = claimants;
        if (!m_voteTop)
        {
            for (std::size_t i = pool.size(); i > 1; --i)
            {
                const auto j = static_cast<std::size_t>(std::min<double>(
                    m_choice->GetValue(0.0, static_cast<double>(i)), static_cast<double>(i - 1)));
                std::swap(pool[i - 1], pool[j]);
            }
        }
        for (std::size_t i = 0; i < pool.size() && v.candidates.size() < m_approvals; ++i)
        {
            v.candidates.push_back(pool[i]);
        }
        std::sort(v.candidates.begin(), v.candidates.end());
        if (v.candidates == m_lastVote[k])
        {
            continue; // the vote on chain already says this
        }
        m_lastVote[k] = v.candidates;
        Transaction tx = MakeTransaction(
            m_own[k].key, TxType::kVote, NextNonce(k, *node), 1,
            node->Chain().Params().CzcHashAt(node->Chain().Best()->height + 1), v.Encode());
        m_submitted(m_target->GetNodeIndex(), m_own[k].index, tx);
        m_target->SubmitTransaction(tx);
    }
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
    const LightNode* light = m_target->GetLightNode();
    if (!node && !light)
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
    // A light wallet knows its nonces from its own inclusion proofs and the height from its
    // best header (light-node.h); a full node's wallet reads both from the node's chain.
    const ChainParams& params = node ? node->Chain().Params() : light->Params();
    const uint64_t nonce = node ? NextNonce(pick, *node) : NextNonce(pick, *light);
    const uint64_t height = node ? node->Chain().Best()->height : light->Best()->height;
    Transaction tx =
        MakeTransfer(from.key, nonce, DrawFee(), params.CzcHashAt(height + 1), to, amount);
    m_submitted(m_target->GetNodeIndex(), from.index, tx);
    m_target->SubmitTransaction(tx);
}

} // namespace canon
