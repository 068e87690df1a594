// Transaction fees as auctions (PROTOCOL.md 3, paper 3.3, issue 15): the payment rules and a
// producer's clearing of one block, sans-IO and free of the ledger.
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

#include "model/core/hash.h"

#include <optional>
#include <string>
#include <vector>

namespace canon
{

enum class FeeMechanism : uint8_t
{
    kFirstPrice = 0,
    kUniform = 1,
    kMonopolistic = 2,
    kEip1559 = 3,
};

// The names of the mechanisms in enum order (scenario files write these).
struct FeeMechanismNames
{
    static constexpr const char* kNames[] = {"first-price", "uniform", "monopolistic", "eip1559"};
};
const char* FeeMechanismName(FeeMechanism m);
std::optional<FeeMechanism> ParseFeeMechanism(const std::string& name);

// How a producer picks the cut under the uniform price. Other mechanisms have one rule: include
// every eligible bid up to capacity (first-price, EIP-1559: revenue grows with every bid) or the
// monopolistic k.
enum class ProducerCut : uint8_t
{
    kHonest = 0,     // the top bids up to capacity (Figure 6 a)
    kRevenueMax = 1, // the n <= capacity maximising n * p_m (Figure 6 b)
};

// The chain's fee rule (ChainParams::fees): every node agrees on it. Defaults here and only here.
struct FeeRuleParams
{
    FeeMechanism mechanism = FeeMechanism::kFirstPrice;
    uint64_t initialBaseFee = 1000;        // EIP-1559: the base fee of the first block
    uint32_t targetPermille = 500;         // EIP-1559: target fullness, of blockTxMax
    uint32_t baseFeeChangeDenominator = 8; // EIP-1559: the base fee moves at most 1/8 a block
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

// What one included transaction pays, and to whom.
struct FeeCharge
{
    uint64_t paid = 0;
    uint64_t toProducer = 0;
    uint64_t burned = 0;
};

// The payment of a transaction bidding `bid` (tip `tip`) in a block cleared at `price` with base
// fee `baseFee`; nullopt when the bid does not cover it (uniform and monopolistic: bid < price;
// EIP-1559: cap < base fee). The one copy of the payment rule: the ledger charges with it.
std::optional<FeeCharge> ChargeFor(FeeMechanism m, uint64_t bid, uint64_t tip, uint64_t price,
                                   uint64_t baseFee);

// What a transaction pays that its own rules give a least payment, `floor` (a contract
// transaction: its gas limit x the chain's gas price, model/contracts/contract-executor.h
// GasFloor): the auction's charge for its place (`charge`, from ChargeFor), raised to the floor,
// the raise going to the producer; nullopt when ChargeFor refused the bid. The floor never
// exceeds the bid (the contract rules refuse a bid below it), so neither does the payment.
// Under first-price the charge is the whole bid: the floor changes nothing.
std::optional<FeeCharge> WithGasFloor(std::optional<FeeCharge> charge, uint64_t floor);

// EIP-1559's effective tip: min(tip, cap - base fee), 0 when the cap is below the base fee.
uint64_t EffectiveTip(uint64_t cap, uint64_t tip, uint64_t baseFee);

// Indices of `bids` in priority order (see the header comment).
std::vector<std::size_t> PriorityOrder(const std::vector<FeeBid>& bids, FeeMechanism m,
                                       uint64_t baseFee);

// The producer's clearing of one block from the bids it sees.
Clearing Clear(const std::vector<FeeBid>& bids, const ClearingRule& rule);

// EIP-1559: the base fee after a block holding `used` of `capacity` transactions. Above the
// target it rises by base * (used - target) / target / denominator, at least 1; below, it falls
// by base * (target - used) / target / denominator. Target = capacity * targetPermille / 1000,
// at least 1.
uint64_t NextBaseFee(uint64_t baseFee, uint64_t used, uint64_t capacity,
                     const FeeRuleParams& params);

} // namespace canon

#endif
