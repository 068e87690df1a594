// Account balances and nonces after some block (PROTOCOL.md 1).
//
// A value type: the block tree keeps one immutable LedgerState per block it may still build on
// and copies it to apply the next block. Accounts live in an ordered map so that any iteration
// (supply sums, dumps) is deterministic (DESIGN.md 4.5).
//
// Invariant: the sum of all balances equals kTotalSupply after every operation; transfers, fees
// and pool rewards only move value.
#ifndef CANONSIM_CHAIN_LEDGER_STATE_H
#define CANONSIM_CHAIN_LEDGER_STATE_H

#include "model/chain/chain-params.h"
#include "model/chain/transaction.h"

#include <map>

namespace canon
{

struct Account
{
    uint64_t balance = 0;
    uint64_t nonce = 0;        // the nonce the next transaction from this account must carry
    uint64_t vestingTotal = 0; // team allocation subject to PROTOCOL.md 1 vesting
};

class LedgerState
{
  public:
    static LedgerState FromGenesis(const ChainParams& params);

    // Nullptr when the account has never held value.
    const Account* Find(const Address& a) const;
    uint64_t BalanceOf(const Address& a) const;
    uint64_t NonceOf(const Address& a) const;
    // The balance minus what is still locked by vesting at time `now`.
    uint64_t SpendableOf(const Address& a, TimeNs now) const;
    // The sum of all balances; equals kTotalSupply unless an invariant broke.
    uint64_t TotalSupply() const;
    std::size_t AccountCount() const { return m_accounts.size(); }

    // Checks nonce, CZC hash and balance, then debits amount and fee from the sender, credits
    // the recipient and the fee to `feeRecipient`. Leaves the state untouched on failure.
    // The signature is not checked here: the caller does that once per transaction.
    Status ApplyTransaction(const Transaction& tx, const Hash256& activeCzc,
                            const Address& feeRecipient, TimeNs now);
    // Moves min(amount, pool balance) from the PoP pool to `producer`.
    void PayBlockReward(const Address& producer, uint64_t amount);

  private:
    std::map<Address, Account> m_accounts;
    TimeNs m_genesisTime = 0;
};

} // namespace canon

#endif
