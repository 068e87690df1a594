// A producer filling a block under a fee auction (issue 15): which candidate transactions go in,
// at what declared price, and whether the producer adds fake bids of its own.
//
// Strategies (FeeProducerPolicy):
// - honest: the top bids up to capacity (Clear with ProducerCut::kHonest);
// - revenue-maximising cut: under the uniform price, the cut n that maximises n * p_m (the
//   paper's Figure 6 b; other mechanisms have one rule, see fee-auction.h);
// - fake bids: the producer inserts transfers from its own account to itself, bidding the highest
//   real bid (tip too), so they enter first and push real bids out, raising the uniform price.
//   Their payments go to the producer itself, except what EIP-1559 burns. A fixed count per
//   block, or with `fakeBidsAuto` the count in [0, capacity) that maximises the revenue from
//   others minus what the fakes burn, judged on the bids in view. They are ordinary signed
//   transactions on chain: a trace sees them as the producer's own.
//
// Candidates are the mempool's selection (valid in sequence on `state`, next nonce per sender):
// their position is their arrival for ties, since the mempool keeps no arrival times. Included
// transactions are applied in candidate order, fakes first, so nonces stay in sequence; one the
// auction left a nonce gap before is dropped (it pays nothing). Bounded by the candidates plus
// at most capacity fakes.
#ifndef CANONSIM_FEES_BLOCK_FILLER_H
#define CANONSIM_FEES_BLOCK_FILLER_H

#include "model/chain/ledger-state.h"
#include "model/core/keys.h"
#include "model/fees/fee-auction.h"

namespace canon
{

struct FeeProducerPolicy
{
    // False: the block takes the mempool's best bids as before issue 15 (each pays its bid).
    bool active = false;
    uint64_t reserve = 0; // the producer's minimum fee (EIP-1559: minimum effective tip)
    ProducerCut cut = ProducerCut::kHonest;
    uint32_t fakeBids = 0; // own transactions per block
    bool fakeBidsAuto = false;
};

// A producer's clearing of real bids under its policy: the clearing is over the fakes (indices
// 0 to fakes-1, each bidding as the highest real bid and tip, arriving first) followed by the
// real bids (index fakes + i is real bid i).
struct ProducerClearing
{
    Clearing clearing;
    uint32_t fakes = 0;
    std::vector<FeeBid> bids; // fakes then real, as cleared
};
ProducerClearing ClearAsProducer(const std::vector<FeeBid>& real, const ClearingRule& rule,
                                 const FeeProducerPolicy& policy);
// The clearing rule of a producer with `policy` under `mechanism`.
ClearingRule RuleFor(FeeMechanism mechanism, uint32_t capacity, uint64_t baseFee,
                     const FeeProducerPolicy& policy);

struct FilledBlock
{
    std::vector<Transaction> txs;
    uint64_t feePrice = 0; // the header's declared price (uniform, monopolistic)
    uint32_t fakes = 0;    // of txs, the producer's own fake bids
};

struct FillTerms
{
    FeeMechanism mechanism = FeeMechanism::kFirstPrice;
    uint64_t baseFee = 0;
    uint32_t capacity = 0;      // transactions left in the block
    std::size_t byteBudget = 0; // bytes left in the block
    Hash256 czc{};              // the CZC hash the block's transactions carry
};

// Fills a block from `candidates` on `state` (the parent's state with any leading transactions
// applied), under `ctx` (fee price and base fee are set here). `state` ends as after the block's
// transactions.
FilledBlock FillBlock(const std::vector<Transaction>& candidates, LedgerState& state, TxContext ctx,
                      const FillTerms& terms, const FeeProducerPolicy& policy,
                      const KeyPair& producer);

} // namespace canon

#endif
