// What the ledger keeps for the fee auctions (issue 15): the EIP-1559 base fee and the running
// total burned, one small value member of LedgerState (copies cost O(1)).
//
// Burns go to FeeBurnAddress(), an account nobody holds a key for (its address hashes a label,
// not a public key, like the PoP pool), so burned value stays in the sum of balances: total
// supply is conserved by the ledger's one invariant and its one check (TotalSupply), and the
// burned total can be read off the chain as that account's balance. `burned` repeats it for the
// trace.
//
// Which transactions the auction prices: transfers and every application type (20 and up). The
// PoP protocol's own transactions (claims, CZR reports, votes, evidence) stay outside it: they pay
// their bid to the producer as before, so that no fee level can price a chain out of electing
// its producers or slashing an equivocator.
#ifndef CANONSIM_FEES_FEE_LEDGER_H
#define CANONSIM_FEES_FEE_LEDGER_H

#include "model/chain/transaction.h"
#include "model/fees/fee-auction.h"

namespace canon
{

Address FeeBurnAddress();

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
