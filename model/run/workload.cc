#include "model/run/workload.h"

#include "model/consensus/election.h"

#include <algorithm>
#include <cmath>

namespace canon
{

Workload::Workload(WorkloadSpec spec, RunHost& host, const RunGenesis& genesis,
                   const std::vector<bool>& online, const std::vector<bool>& full,
                   SubmittedFn onSubmitted)
  : m_spec(std::move(spec))
  , m_host(host)
  , m_genesis(genesis)
  , m_onSubmitted(std::move(onSubmitted))
{
    for (uint32_t i = 0; i < online.size(); ++i)
    {
        m_nodes.push_back({{},
                           0.0,
                           Rng::Derive(m_spec.seed, "wallet-arrivals", i),
                           Rng::Derive(m_spec.seed, "wallet-choices", i)});
    }
    Place(online, full);
}

void
Workload::Place(const std::vector<bool>& online, const std::vector<bool>& full)
{
    std::vector<uint32_t> up, upFull;
    for (uint32_t i = 0; i < online.size(); ++i)
    {
        if (online[i])
        {
            up.push_back(i);
            if (full.empty() || full[i])
            {
                upFull.push_back(i);
            }
        }
    }
    const auto accounts = static_cast<uint32_t>(m_genesis.accountKeys.size());
    const auto voters =
        static_cast<uint32_t>(std::floor(m_spec.voterShare * static_cast<double>(accounts)));
    for (uint32_t a = 0; a < accounts && !up.empty(); ++a)
    {
        const bool votes = m_spec.voting && a < voters && !upFull.empty();
        const uint32_t node = votes ? upFull[a % upFull.size()] : up[a % up.size()];
        Wallet w;
        w.account = a;
        w.votes = votes;
        m_nodes[node].wallets.push_back(w);
    }
    for (NodeWallets& n : m_nodes)
    {
        n.rate = accounts == 0 ? 0.0
                               : m_spec.txPerSecond * static_cast<double>(n.wallets.size()) /
                                     static_cast<double>(accounts);
    }
}

void
Workload::Start()
{
    for (uint32_t i = 0; i < m_nodes.size(); ++i)
    {
        const NodeWallets& n = m_nodes[i];
        if (n.rate > 0 && m_genesis.accountKeys.size() >= 2)
        {
            m_host.At(m_spec.start, [this, i] { ScheduleNext(i); });
        }
        const bool voter = std::any_of(n.wallets.begin(), n.wallets.end(),
                                       [](const Wallet& w) { return w.votes; });
        if (voter && m_spec.approvals > 0)
        {
            m_host.At(m_spec.start + kSecond, [this, i] { VoteCheck(i); });
        }
    }
}

void
Workload::ScheduleNext(uint32_t node)
{
    NodeWallets& n = m_nodes[node];
    const double gap = n.arrivals.Exponential(1.0 / n.rate);
    const TimeNs at = m_host.Now() + std::max<TimeNs>(1, FromSeconds(gap));
    m_host.At(at,
              [this, node]
              {
                  ScheduleNext(node);
                  Transfer(node);
              });
}

uint64_t
Workload::DrawFee(Rng& rng) const
{
    const FeeConfig& f = m_spec.fee;
    double fee = f.value;
    if (f.distribution == FeeDistribution::kUniform)
    {
        fee = f.min + rng.Uniform() * (f.max - f.min);
    }
    else if (f.distribution == FeeDistribution::kExponential)
    {
        fee = rng.Exponential(f.mean);
    }
    return static_cast<uint64_t>(std::llround(fee));
}

namespace
{
// The base fee block `e` was cleared at: its parent's state holds it while kept; below the
// irreversible block states are dropped, and it is read back from the base fee after the block
// (`after`) by the update rule (exact up to the rounding PreviousBaseFee describes).
uint64_t
BaseFeeOf(const BlockEntry& e, uint64_t after, const ChainParams& params)
{
    if (e.parent->state)
    {
        return e.parent->state->Fees().baseFee;
    }
    return PreviousBaseFee(after, e.block->txs.size(), params.blockTxMax, params.fees)
        .value_or(after);
}
} // namespace

std::vector<ObservedBlock>
ObserveChain(const BlockEntry* best, const ChainParams& params, FeeMechanism m, uint32_t count)
{
    const bool eip = m == FeeMechanism::kEip1559;
    std::vector<ObservedBlock> out;
    uint64_t after = best && best->state ? best->state->Fees().baseFee : 0;
    for (const BlockEntry* e = best; e && e->parent && out.size() < count; e = e->parent)
    {
        after = e->state ? e->state->Fees().baseFee : after;
        const uint64_t baseFee = eip ? BaseFeeOf(*e, after, params) : 0;
        after = baseFee;
        ObservedBlock o;
        o.full = e->block->txs.size() >= params.blockTxMax;
        o.price = eip ? baseFee : e->block->header.feePrice;
        o.cutoff = UINT64_MAX;
        for (const Transaction& tx : e->block->txs)
        {
            if (InFeeAuction(tx.type))
            {
                const uint64_t key = eip ? EffectiveTip(tx.fee, tx.tip, baseFee) : tx.fee;
                o.cutoff = std::min(o.cutoff, key);
            }
        }
        o.cutoff = o.cutoff == UINT64_MAX ? 0 : o.cutoff;
        out.push_back(o);
    }
    return out;
}

namespace
{
// A full node's wallet signs by its chain's terms (issue 18: the CZC hash governance adopted, at
// least the fee floor in force); a light wallet by its best header's height and the schedule,
// with no floor to read.
SignerTerms
WalletTerms(const Node* full, const LightNode* light)
{
    if (full)
    {
        return TermsOn(full->Chain());
    }
    return {light->Params().CzcHashAt(light->Best()->height + 1), 0};
}
} // namespace

FeeBid
Workload::Bid(NodeWallets& n, const Node* full, double& valuation) const
{
    const FeeBidding& b = m_spec.bidding;
    valuation = DrawValuation(b.values, n.choices);
    std::vector<ObservedBlock> history;
    if (full && b.bidder.strategy == BidStrategy::kLearner)
    {
        history = ObserveChain(full->Chain().Best(), full->Chain().Params(), b.mechanism,
                               b.historyBlocks);
    }
    return PlaceBid(b.mechanism, b.bidder, b.values, valuation, history);
}

void
Workload::Transfer(uint32_t node)
{
    const Node* full = m_host.FullNode(node);
    const LightNode* light = m_host.Light(node);
    NodeWallets& n = m_nodes[node];
    if ((!full && !light) || n.wallets.empty())
    {
        return; // the node is down; its wallets wait
    }
    Wallet& w = n.wallets[n.choices.Below(n.wallets.size())];
    const auto& keys = m_genesis.accountKeys;
    uint64_t to = n.choices.Below(keys.size() - 1);
    to += to >= w.account ? 1 : 0;
    const uint64_t amount = 1 + n.choices.Below(1000) * (kUnitsPerCzr / 1000);
    const KeyPair& key = keys[w.account];
    const SignerTerms terms = WalletTerms(full, light);
    if (!m_spec.bidding.active)
    {
        const uint64_t nonce = NextNonce(w, full, light, terms.czc);
        Submit(node, w.account,
               MakeTransfer(key, nonce, terms.Bid(DrawFee(n.choices)), terms.czc,
                            keys[to].GetAddress(), amount));
        return;
    }
    double valuation = 0;
    const FeeBid bid = Bid(n, full, valuation);
    if (valuation < static_cast<double>(terms.feeFloor))
    {
        return; // worth less than the floor: a rational bidder stays out, and takes no nonce
    }
    const uint64_t nonce = NextNonce(w, full, light, terms.czc);
    Transaction tx =
        MakeTransfer(key, nonce, terms.Bid(bid.bid), terms.czc, keys[to].GetAddress(), amount);
    if (bid.tip != 0)
    {
        tx.tip = bid.tip;
        tx.SignWith(key);
    }
    if (m_onBid)
    {
        m_onBid(node, w.account, tx, valuation);
    }
    Submit(node, w.account, tx);
}

// A light wallet knows its nonces from its own inclusion proofs; a full node's wallet reads them
// from the node's chain.
uint64_t
Workload::NextNonce(Wallet& w, const Node* full, const LightNode* light, const Hash256& czc) const
{
    const Address account = m_genesis.accountKeys[w.account].GetAddress();
    if (full && czc != w.czc)
    {
        w.czc = czc;
        w.nextNonce = 0; // count again from the chain's nonce (NextWalletNonce)
    }
    return full ? NextWalletNonce(w.nextNonce, *full, account)
                : NextWalletNonce(w.nextNonce, *light, account);
}

void
Workload::VoteCheck(uint32_t node)
{
    m_host.At(m_host.Now() + kSecond, [this, node] { VoteCheck(node); });
    const Node* full = m_host.FullNode(node);
    if (!full || full->Chain().BestState().Pop().reportHeight == 0)
    {
        return;
    }
    const std::vector<Address> claimants = RankClaimants(full->Chain().BestState().Pop());
    for (Wallet& w : m_nodes[node].wallets)
    {
        if (w.votes)
        {
            Vote(node, w, *full, claimants);
        }
    }
}

void
Workload::Vote(uint32_t node, Wallet& w, const Node& full, const std::vector<Address>& claimants)
{
    const PopState& pop = full.Chain().BestState().Pop();
    if (w.votedEpoch >= pop.reportEpoch)
    {
        return;
    }
    w.votedEpoch = pop.reportEpoch;
    std::vector<Address> pool = claimants;
    if (!m_spec.voteTop)
    {
        Rng& rng = m_nodes[node].choices;
        for (std::size_t i = pool.size(); i > 1; --i)
        {
            std::swap(pool[i - 1], pool[rng.Below(i)]);
        }
    }
    VotePayload v;
    const uint32_t approvals = std::min(m_spec.approvals, kVoteCandidatesMax);
    for (std::size_t i = 0; i < pool.size() && v.candidates.size() < approvals; ++i)
    {
        v.candidates.push_back(pool[i]);
    }
    std::sort(v.candidates.begin(), v.candidates.end());
    if (v.candidates == w.lastVote)
    {
        return; // the vote on chain already says this
    }
    w.lastVote = v.candidates;
    const KeyPair& key = m_genesis.accountKeys[w.account];
    const SignerTerms terms = TermsOn(full.Chain());
    Submit(node, w.account,
           MakeTransaction(key, TxType::kVote, NextNonce(w, &full, nullptr, terms.czc),
                           terms.Bid(1), terms.czc, v.Encode()));
}

void
Workload::Submit(uint32_t node, uint32_t account, const Transaction& tx)
{
    if (m_onSubmitted)
    {
        m_onSubmitted(node, account, tx);
    }
    m_host.Submit(node, tx);
}

} // namespace canon
