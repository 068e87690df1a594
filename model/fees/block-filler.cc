#include "model/fees/block-filler.h"

#include <algorithm>

namespace canon
{

namespace
{

std::vector<FeeBid>
BidsOf(const std::vector<Transaction>& txs)
{
    std::vector<FeeBid> bids;
    for (std::size_t i = 0; i < txs.size(); ++i)
    {
        bids.push_back({txs[i].fee, txs[i].tip, i, txs[i].Id()});
    }
    return bids;
}

// `count` fake bids (fakes then `real`, arrivals in that order), each as the highest real bid.
std::vector<FeeBid>
WithFakes(uint32_t count, const std::vector<FeeBid>& real)
{
    FeeBid fake;
    for (const FeeBid& b : real)
    {
        fake.bid = std::max(fake.bid, b.bid);
        fake.tip = std::max(fake.tip, b.tip);
    }
    std::vector<FeeBid> all(fake.bid == 0 ? 0 : count, fake);
    all.insert(all.end(), real.begin(), real.end());
    for (std::size_t i = 0; i < all.size(); ++i)
    {
        all[i].arrival = i;
    }
    return all;
}

// What the producer gains from a clearing with `fakes` fake bids first: revenue from real bids,
// less what the fakes burn.
int64_t
Gain(const Clearing& c, std::size_t fakes, const std::vector<FeeBid>& bids,
     const ClearingRule& rule)
{
    int64_t gain = 0;
    for (std::size_t i : c.included)
    {
        const FeeCharge ch =
            *ChargeFor(rule.mechanism, bids[i].bid, bids[i].tip, c.price, rule.baseFee);
        gain += i >= fakes ? static_cast<int64_t>(ch.toProducer) : -static_cast<int64_t>(ch.burned);
    }
    return gain;
}

uint32_t
BestFakeCount(const std::vector<FeeBid>& real, const ClearingRule& rule)
{
    uint32_t best = 0;
    int64_t bestGain = INT64_MIN;
    for (uint32_t k = 0; k < std::max<uint32_t>(rule.capacity, 1); ++k)
    {
        const std::vector<FeeBid> all = WithFakes(k, real);
        const int64_t gain = Gain(Clear(all, rule), all.size() - real.size(), all, rule);
        if (gain > bestGain)
        {
            best = k;
            bestGain = gain;
        }
    }
    return best;
}

// `count` fake transactions from the producer to itself, bidding as the highest real bid.
std::vector<Transaction>
MakeFakes(uint32_t count, const std::vector<FeeBid>& fakeBids, const LedgerState& state,
          const FillTerms& terms, const KeyPair& producer)
{
    std::vector<Transaction> fakes;
    const uint64_t nonce = state.NonceOf(producer.GetAddress());
    for (uint32_t i = 0; i < count && i < fakeBids.size(); ++i)
    {
        Transaction tx =
            MakeTransfer(producer, nonce + i, fakeBids[i].bid, terms.czc, producer.GetAddress(), 0);
        tx.tip = fakeBids[i].tip;
        if (tx.tip != 0)
        {
            tx.SignWith(producer);
        }
        fakes.push_back(std::move(tx));
    }
    return fakes;
}

// Applies `tx` to the block if it fits the byte budget and the ledger takes it.
void
Take(const Transaction& tx, bool fake, LedgerState& state, const TxContext& ctx,
     std::size_t byteBudget, std::size_t& bytes, FilledBlock& out)
{
    if (bytes + tx.EncodedSize() > byteBudget || !state.ApplyTransaction(tx, ctx).IsOk())
    {
        return;
    }
    bytes += tx.EncodedSize();
    out.txs.push_back(tx);
    out.fakes += fake ? 1 : 0;
}

} // namespace

ClearingRule
RuleFor(FeeMechanism mechanism, uint32_t capacity, uint64_t baseFee,
        const FeeProducerPolicy& policy)
{
    ClearingRule rule;
    rule.mechanism = mechanism;
    rule.capacity = capacity;
    rule.reserve = policy.reserve;
    rule.baseFee = baseFee;
    rule.cut = policy.cut;
    return rule;
}

ProducerClearing
ClearAsProducer(const std::vector<FeeBid>& real, const ClearingRule& rule,
                const FeeProducerPolicy& policy)
{
    const uint32_t count =
        policy.fakeBidsAuto ? BestFakeCount(real, rule) : std::min(policy.fakeBids, rule.capacity);
    ProducerClearing pc;
    pc.bids = WithFakes(count, real);
    pc.fakes = static_cast<uint32_t>(pc.bids.size() - real.size());
    pc.clearing = Clear(pc.bids, rule);
    return pc;
}

FilledBlock
FillBlock(const std::vector<Transaction>& candidates, LedgerState& state, TxContext ctx,
          const FillTerms& terms, const FeeProducerPolicy& policy, const KeyPair& producer)
{
    // The PoP protocol's own transactions stay outside the auction (fee-rule.h): they go first.
    std::vector<Transaction> protocol, auctioned;
    for (const Transaction& tx : candidates)
    {
        (InFeeAuction(tx.type) ? auctioned : protocol).push_back(tx);
    }
    protocol.resize(std::min<std::size_t>(protocol.size(), terms.capacity));
    const uint32_t room = terms.capacity - static_cast<uint32_t>(protocol.size());
    const ClearingRule rule = RuleFor(terms.mechanism, room, terms.baseFee, policy);
    const ProducerClearing pc = ClearAsProducer(BidsOf(auctioned), rule, policy);
    const Clearing& c = pc.clearing;
    std::vector<Transaction> all = MakeFakes(pc.fakes, pc.bids, state, terms, producer);
    const std::size_t fakes = all.size();
    all.insert(all.end(), auctioned.begin(), auctioned.end());
    std::vector<bool> in(all.size(), false);
    for (std::size_t i : c.included)
    {
        in[i] = true;
    }
    FilledBlock out;
    const bool declares =
        terms.mechanism == FeeMechanism::kUniform || terms.mechanism == FeeMechanism::kMonopolistic;
    out.feePrice = declares ? c.price : 0;
    ctx.feePrice = out.feePrice;
    ctx.baseFee = terms.baseFee;
    std::size_t bytes = 0;
    for (const Transaction& tx : protocol)
    {
        Take(tx, false, state, ctx, terms.byteBudget, bytes, out);
    }
    for (std::size_t i = 0; i < all.size(); ++i)
    {
        if (in[i])
        {
            Take(all[i], i < fakes, state, ctx, terms.byteBudget, bytes, out);
        }
    }
    return out;
}

} // namespace canon
