// The chain's fee rule (PROTOCOL.md 3, paper 3.3, issue 15): what every node agrees on about
// fees, and the one copy of the payment rule the ledger charges with and the producers' auctions
// (model/fees/) clear with. Pure functions and plain values: no ledger, no auction.
//
// Mechanisms (the auctions themselves are in model/fees/fee-auction.h):
// - first-price: each included transaction pays its bid;
// - uniform and monopolistic: each included transaction pays the price the block declares;
// - EIP-1559: each pays the block's base fee, burned, plus min(tip, cap - base fee) to the
//   producer; the base fee moves by at most 1/denominator a block towards the target fullness
//   (NextBaseFee).
// Burns go to FeeBurnAddress(), an account nobody holds a key for (its address hashes a label,
// not a public key, like the PoP pool), so burned value stays in the sum of balances: total
// supply is conserved by the ledger's one invariant and its one check, and the burned total can
// be read off the chain as that account's balance.
//
// Which transactions the auction prices (InFeeAuction): transfers and every application type
// (20 and up). The PoP protocol's own transactions (claims, CZR reports, votes, evidence) stay
// outside it: they pay their bid to the producer, so that no fee level can price a chain out of
// electing its producers or slashing an equivocator.
//
// Every product is taken in 128 bits, so any uint64 amounts are safe.
#ifndef CANONSIM_CHAIN_FEE_RULE_H
#define CANONSIM_CHAIN_FEE_RULE_H

#include "model/chain/transaction.h"

#include <optional>
#include <string>

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

// The chain's fee rule (ChainParams::fees). Defaults here and only here.
struct FeeRuleParams
{
    FeeMechanism mechanism = FeeMechanism::kFirstPrice;
    uint64_t initialBaseFee = 1000;        // EIP-1559: the base fee of the first block
    uint32_t targetPermille = 500;         // EIP-1559: target fullness, of blockTxMax
    uint32_t baseFeeChangeDenominator = 8; // EIP-1559: the base fee moves at most 1/8 a block
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
// EIP-1559: cap < base fee). The one copy of the payment rule.
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

// EIP-1559: the base fee after a block holding `used` of `capacity` transactions. Above the
// target it rises by base * (used - target) / target / denominator, at least 1; below, it falls
// by base * (target - used) / target / denominator. Target = capacity * targetPermille / 1000,
// at least 1.
uint64_t NextBaseFee(uint64_t baseFee, uint64_t used, uint64_t capacity,
                     const FeeRuleParams& params);

// The least base fee b with NextBaseFee(b, used, capacity) == after, or nullopt when none has
// it: the base fee of a block read back from the state after it. Below the target two base fees
// can lead to the same next one (the fall is rounded down); with a denominator of at least 2
// they differ by one unit, and the least is returned (with a denominator of 1 an empty block
// takes any base fee to 0, and 0 is returned).
std::optional<uint64_t> PreviousBaseFee(uint64_t after, uint64_t used, uint64_t capacity,
                                        const FeeRuleParams& params);

Address FeeBurnAddress();

// What the ledger keeps for the fees: one small value member of LedgerState (copies cost O(1)).
struct FeeState
{
    uint64_t baseFee = 0; // EIP-1559: the base fee of the next block; 0 under other mechanisms
    uint64_t burned = 0;  // everything burned so far on this chain
};

// Whether the fee auction prices `type` (see the header comment).
bool InFeeAuction(TxType type);

// The mechanism a transaction of `type` pays under when the chain's is `chain`.
inline FeeMechanism
MechanismFor(TxType type, FeeMechanism chain)
{
    return InFeeAuction(type) ? chain : FeeMechanism::kFirstPrice;
}

} // namespace canon

#endif
