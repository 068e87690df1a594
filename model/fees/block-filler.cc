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

// `count` fake bids from the producer to itself, each bidding as the highest real bid.
std::vector<Transaction>
MakeFakes(uint32_t count, const std::vector<Transaction>& real, const LedgerState& state,
          const FillTerms& terms, const KeyPair& producer)
{
    uint64_t bid = 0, tip = 0;
    for (const Transaction& tx : real)
    {
        bid = std::max(bid, tx.fee);
        tip = std::max(tip, tx.tip);
    }
    std::vector<Transaction> fakes;
    const uint64_t nonce = state.NonceOf(producer.GetAddress());
    for (uint32_t i = 0; i < count && bid > 0; ++i)
    {
        Transaction tx =
            MakeTransfer(producer, nonce + i, bid, terms.czc, producer.GetAddress(), 0);
        tx.tip = terms.mechanism == FeeMechanism::kEip1559 ? tip : 0;
        if (tx.tip != 0)
        {
            tx.SignWith(producer);
        }
        fakes.push_back(std::move(tx));
    }
    return fakes;
}

ClearingRule
RuleOf(const FillTerms& terms, const FeeProducerPolicy& policy)
{
    ClearingRule rule;
    rule.mechanism = terms.mechanism;
    rule.capacity = terms.capacity;
    rule.reserve = policy.reserve;
    rule.baseFee = terms.baseFee;
    rule.cut = policy.cut;
    return rule;
}

// What the producer gains from a clearing of `real` plus `fakes` (the fakes' indices follow the
// real ones): revenue from real bids, less what the fakes burn.
int64_t
Gain(const Clearing& c, std::size_t realCount, const std::vector<FeeBid>& bids,
     const ClearingRule& rule)
{
    int64_t gain = 0;
    for (std::size_t i : c.included)
    {
        const FeeCharge ch =
            *ChargeFor(rule.mechanism, bids[i].bid, bids[i].tip, c.price, rule.baseFee);
        gain +=
            i < realCount ? static_cast<int64_t>(ch.toProducer) : -static_cast<int64_t>(ch.burned);
    }
    return gain;
}

uint32_t
BestFakeCount(const std::vector<Transaction>& real, const LedgerState& state,
              const FillTerms& terms, const FeeProducerPolicy& policy, const KeyPair& producer)
{
    const ClearingRule rule = RuleOf(terms, policy);
    const std::vector<Transaction> most =
        MakeFakes(terms.capacity > 0 ? terms.capacity - 1 : 0, real, state, terms, producer);
    uint32_t best = 0;
    int64_t bestGain = INT64_MIN;
    for (uint32_t k = 0; k <= most.size(); ++k)
    {
        std::vector<Transaction> all = real;
        all.insert(all.end(), most.begin(), most.begin() + k);
        const std::vector<FeeBid> bids = BidsOf(all);
        const int64_t gain = Gain(Clear(bids, rule), real.size(), bids, rule);
        if (gain > bestGain)
        {
            best = k;
            bestGain = gain;
        }
    }
    return best;
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

FilledBlock
FillBlock(const std::vector<Transaction>& candidates, LedgerState& state, TxContext ctx,
          const FillTerms& terms, const FeeProducerPolicy& policy, const KeyPair& producer)
{
    // The PoP protocol's own transactions stay outside the auction (fee-ledger.h): they go first.
    std::vector<Transaction> protocol, auctioned;
    for (const Transaction& tx : candidates)
    {
        (InFeeAuction(tx.type) ? auctioned : protocol).push_back(tx);
    }
    protocol.resize(std::min<std::size_t>(protocol.size(), terms.capacity));
    FillTerms rest = terms;
    rest.capacity = terms.capacity - static_cast<uint32_t>(protocol.size());
    const uint32_t fakeCount = policy.fakeBidsAuto
                                   ? BestFakeCount(auctioned, state, rest, policy, producer)
                                   : std::min(policy.fakeBids, rest.capacity);
    std::vector<Transaction> all = MakeFakes(fakeCount, auctioned, state, rest, producer);
    const std::size_t fakes = all.size();
    all.insert(all.end(), auctioned.begin(), auctioned.end());
    const Clearing c = Clear(BidsOf(all), RuleOf(rest, policy));
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
