// TransactionWorkload: an ns-3 Application playing the wallets of some accounts on one node.
// Transactions arrive as a Poisson process at `Rate` per second; each is a transfer from one of
// this node's accounts (chosen uniformly) to a random account of the whole workload, with a fee
// bid drawn from the configured distribution. The wallet counts its own nonces (resetting to the
// node's view when that falls far behind, as after lost transactions) and hands the transaction
// to the node's CanonNodeApplication directly: no network hop between wallet and node.
//
// Voting (PROTOCOL.md 2.2): wallets marked as voters approve candidates once per CZR epoch, as
// soon as their node's chain holds a newer report: "top" voters approve the best `approvals`
// claimants by observed contribution, "random" voters as many claimants drawn at random. Votes
// stay on chain until replaced, so a wallet only sends one when its choice changed. Wallets on a
// light participant do not vote: choosing needs the claims and reports in the ledger state,
// which a light participant does not hold.
//
// Randomness: three ns-3 streams (arrivals, choices and fees, exponential fees) set by
// AssignStreams.
#ifndef CANONSIM_NS3_TRANSACTION_WORKLOAD_H
#define CANONSIM_NS3_TRANSACTION_WORKLOAD_H

#include "model/ns3/canon-node-application.h"

#include "ns3/random-variable-stream.h"

namespace canon
{

struct WorkloadAccount
{
    uint32_t index = 0; // position in the whole workload's account list
    KeyPair key;
};

class TransactionWorkload : public ns3::Application
{
  public:
    static ns3::TypeId GetTypeId();
    TransactionWorkload();

    void SetTarget(ns3::Ptr<CanonNodeApplication> node);
    void SetAccounts(std::vector<WorkloadAccount> own, std::vector<Address> everyone);
    // Fee bids: "uniform" in [min, max], "exponential" with `mean`, or "fixed" at `value`.
    void SetFeeDistribution(const std::string& kind, double min, double max, double mean,
                            double value);
    int64_t AssignStreams(int64_t stream);
    // Which of this node's accounts vote (one flag per SetAccounts entry), and how.
    void SetVoting(std::vector<bool> voters, bool topBehaviour, uint32_t approvals);

    // Signature of the Submitted trace source: node index, account index, the transaction.
    typedef void (*SubmittedCallback)(uint32_t node, uint32_t account, const Transaction& tx);

  private:
    void StartApplication() override;
    void StopApplication() override;
    void ScheduleNext();
    void Submit();
    void Vote();
    uint64_t NextNonce(std::size_t own, const Node& node);
    uint64_t NextNonce(std::size_t own, const LightNode& node);
    uint64_t DrawFee();

    double m_rate = 0;
    ns3::Ptr<CanonNodeApplication> m_target;
    std::vector<WorkloadAccount> m_own;
    std::vector<uint64_t> m_nextNonce;
    std::vector<Address> m_everyone;
    std::string m_feeKind = "uniform";
    double m_feeMin = 1, m_feeMax = 1000, m_feeMean = 100, m_feeValue = 100;
    ns3::Ptr<ns3::ExponentialRandomVariable> m_arrivals;
    ns3::Ptr<ns3::UniformRandomVariable> m_choice;
    ns3::Ptr<ns3::ExponentialRandomVariable> m_feeExp;
    ns3::EventId m_next;
    ns3::EventId m_voteCheck;
    std::vector<bool> m_voters;
    std::vector<uint64_t> m_votedEpoch;
    std::vector<std::vector<Address>> m_lastVote;
    bool m_voteTop = true;
    uint32_t m_approvals = 0;
    ns3::TracedCallback<uint32_t, uint32_t, const Transaction&> m_submitted;
};

} // namespace canon

#endif
