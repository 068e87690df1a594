// Workload: the wallets of a run's accounts (PROTOCOL.md 3), one copy for both engines. Account
// a lives on the a-th online node (round robin); the first `voterShare` of the accounts vote and
// live on online full nodes instead, since choosing needs the claims and reports in the ledger
// state. Each node's wallets send transfers as a Poisson process at the node's share of
// `txPerSecond`: from one of its accounts (uniformly) to a random other account of the run,
// with a fee bid from `fee`. A wallet counts its own nonces (resetting to its node's view when
// that falls far behind, after lost transactions) and hands the transaction to its node through
// the host (no network hop). A full node's wallet signs by the terms of its node's best chain
// (TermsOn, model/node/node.h): the CZC hash CZC governance adopted, and a bid of at least the
// fee floor in force there (a drawn fee below it is raised to it). When that CZC hash changes, the
// wallet counts its nonces again from the chain's: what it signed under the old hash can never be
// included (nodes drop it from their mempools, Node). A light participant's wallets
// take nonces and heights from its inclusion proofs and best header (light-node.h); with no
// ledger state they cannot read an adopted CZC hash or floor, and sign as before governance (the
// schedule's CZC hash, the drawn fee or bid).
//
// Voting (PROTOCOL.md 2.2): once a second, voter wallets whose node's chain holds a newer CZR
// report approve candidates: "top" voters the best `approvals` claimants by observed
// contribution, others as many claimants drawn at random. Votes stay on chain until replaced,
// so a wallet only votes again when its choice changed.
//
// Fee auctions (issue 15, `bidding.active`): a transfer's wallet draws a valuation and bids by
// its strategy (model/fees/bidding.h) instead of drawing from `fee`; a learner reads the last
// blocks of its node's best chain (light wallets have none, and bid truthfully), each block priced
// at its own base fee or declared price (ObserveChain). Every such bid is reported to the bid
// observer with its valuation. A wallet does not bid again while its transaction waits, even
// with decaying valuations: the mempool's replace-by-fee takes only a higher bid for a nonce,
// and a decayed valuation bids lower (the network-free market, fee-market.h, does re-bid).
// Under a fee floor (the floor in force on its node's best chain) a full node's bidder bids at
// least the floor; one whose valuation is below it abstains for that draw and takes no nonce
// (paying more than the transaction is worth to it is not what a rational bidder does), and
// no bid is reported. Light bidders see no floor and bid as before.
//
// Randomness: per node, Rng::Derive(seed, "wallet-arrivals", i) and (seed, "wallet-choices", i).
// Owned by the run driver; lives as long as the host's schedule may call it.
#ifndef CANONSIM_RUN_WORKLOAD_H
#define CANONSIM_RUN_WORKLOAD_H

#include "model/core/rng.h"
#include "model/fees/bidding.h"
#include "model/run/genesis.h"
#include "model/run/run-host.h"
#include "model/run/scenario-config.h"

#include <functional>

namespace canon
{

// The wallets as bidders in the chain's fee auction (issue 15).
struct FeeBidding
{
    bool active = false;
    FeeMechanism mechanism = FeeMechanism::kFirstPrice;
    ValuationSpec values;
    BidderSpec bidder;
    uint32_t historyBlocks = 20;
};

struct WorkloadSpec
{
    uint64_t seed = 1;
    double txPerSecond = 0;
    FeeConfig fee;       // scenario-config.h
    bool voting = false; // the CZR loop runs: voters vote
    double voterShare = 0.1;
    bool voteTop = true;
    uint32_t approvals = 0; // candidates a vote approves (N)
    TimeNs start = kMillisecond;
    FeeBidding bidding;
};

// What a learner sees of the last `count` blocks down from `best` (newest first): each block's
// least auctioned bid (EIP-1559: effective tip at that block's own base fee), whether it was
// full, and its price (its declared price; EIP-1559: its own base fee, not today's).
std::vector<ObservedBlock> ObserveChain(const BlockEntry* best, const ChainParams& params,
                                        FeeMechanism m, uint32_t count);

// Called for every transaction a wallet submits: node, account index, the transaction.
using SubmittedFn = std::function<void(uint32_t, uint32_t, const Transaction&)>;
// Called for every bid in the fee auction: node, account, the transaction, its valuation.
using BidFn = std::function<void(uint32_t, uint32_t, const Transaction&, double)>;

class Workload
{
  public:
    // `online[i]`: node i starts at all (offline producers never do); `full[i]`: node i is a
    // full node (empty: all are).
    Workload(WorkloadSpec spec, RunHost& host, const RunGenesis& genesis,
             const std::vector<bool>& online, const std::vector<bool>& full,
             SubmittedFn onSubmitted);

    // Schedules every wallet's first arrival and vote check.
    void Start();
    void OnBid(BidFn f) { m_onBid = std::move(f); }

  private:
    struct Wallet
    {
        uint32_t account = 0;
        bool votes = false;
        uint64_t nextNonce = 0;
        Hash256 czc{}; // the CZC hash its last transaction carried (full nodes' wallets)
        uint64_t votedEpoch = 0;
        std::vector<Address> lastVote;
    };
    struct NodeWallets
    {
        std::vector<Wallet> wallets;
        double rate = 0;
        Rng arrivals;
        Rng choices;
    };

    void Place(const std::vector<bool>& online, const std::vector<bool>& full);
    void ScheduleNext(uint32_t node);
    void Transfer(uint32_t node);
    void VoteCheck(uint32_t node);
    void Vote(uint32_t node, Wallet& w, const Node& full, const std::vector<Address>& claimants);
    uint64_t DrawFee(Rng& rng) const;
    // The transfer's bid (fee, tip) and valuation under the fee auction.
    FeeBid Bid(NodeWallets& n, const Node* full, double& valuation) const;
    void Submit(uint32_t node, uint32_t account, const Transaction& tx);
    // The wallet's next nonce from its full node's chain or its light node's proofs, for a
    // transaction carrying `czc`.
    uint64_t NextNonce(Wallet& w, const Node* full, const LightNode* light,
                       const Hash256& czc) const;

    WorkloadSpec m_spec;
    RunHost& m_host;
    const RunGenesis& m_genesis;
    SubmittedFn m_onSubmitted;
    BidFn m_onBid;
    std::vector<NodeWallets> m_nodes;
};

} // namespace canon

#endif
