// Transaction fees as auctions (PROTOCOL.md 3, paper 3.3, issue 15): a producer's clearing of one
// block, sans-IO and free of the ledger. The payment rule it settles with (ChargeFor), the
// mechanisms' names, the base fee update and the chain's fee parameters are the chain's own
// (model/chain/fee-rule.h): this file builds on them, never the other way round.
//
// Mechanisms:
// - first-price: each included transaction pays its bid (the chain's rule before issue 15);
// - uniform (the paper's Figure 6): the producer orders the bids, picks a cut n, and every
//   included transaction pays p_m = max(reserve, the highest excluded bid);
// - monopolistic (Lavi, Sattath and Zohar): the producer includes the k highest bids for the k
//   that maximises k * b_k, and all pay b_k;
// - EIP-1559: a base fee per block, burned; each included transaction pays the base fee plus
//   min(tip, cap - base fee) to the producer. The base fee moves by at most 1/8 (the change
//   denominator) towards the target fullness after every block (NextBaseFee).
// A bid is the most a sender pays: the fee cap under EIP-1559. The reserve is the producer's
// minimum fee: the least bid (first-price, uniform, monopolistic) or the least effective tip
// (EIP-1559) it includes.
//
// Order: highest bid first (EIP-1559: highest effective tip), ties by earlier arrival, then by
// lower id. Clear() is a pure function of its arguments; every product is taken in 128 bits, so
// any uint64 bids are safe. Revenue-maximising choices break ties towards more transactions.
#ifndef CANONSIM_FEES_FEE_AUCTION_H
#define CANONSIM_FEES_FEE_AUCTION_H

#include "model/chain/fee-rule.h"
#include "model/core/hash.h"

#include <vector>

namespace canon
{

// How a producer picks the cut under the uniform price. Other mechanisms have one rule: include
// every eligible bid up to capacity (first-price, EIP-1559: revenue grows with every bid) or the
// monopolistic k.
enum class ProducerCut : uint8_t
{
    kHonest = 0,     // the top bids up to capacity (Figure 6 a)
    kRevenueMax = 1, // the n <= capacity maximising n * p_m (Figure 6 b)
};

struct FeeBid
{
    uint64_t bid = 0;     // the most the sender pays (EIP-1559: the fee cap)
    uint64_t tip = 0;     // EIP-1559: the most the producer gets above the base fee
    uint64_t arrival = 0; // ties: earlier first
    Hash256 id{};         // then lower id
};

struct ClearingRule
{
    FeeMechanism mechanism = FeeMechanism::kFirstPrice;
    uint32_t capacity = 0; // transactions a block holds
    uint64_t reserve = 0;
    uint64_t baseFee = 0; // EIP-1559
    ProducerCut cut = ProducerCut::kHonest;
};

struct Clearing
{
    std::vector<std::size_t> included; // indices into the bids, in priority order
    // Uniform and monopolistic: what each included bid pays; EIP-1559: the base fee;
    // first-price: the lowest included bid (0 when nothing is included).
    uint64_t price = 0;
    uint64_t revenue = 0; // to the producer
    uint64_t burned = 0;
};

// Indices of `bids` in priority order (see the header comment).
std::vector<std::size_t> PriorityOrder(const std::vector<FeeBid>& bids, FeeMechanism m,
                                       uint64_t baseFee);

// The producer's clearing of one block from the bids it sees.
Clearing Clear(const std::vector<FeeBid>& bids, const ClearingRule& rule);

} // namespace canon

#endif
