#include "model/chain/ledger-state.h"

namespace canon
{

LedgerState
LedgerState::FromGenesis(const ChainParams& params)
{
    LedgerState s;
    s.m_genesisTime = params.genesisTime;
    for (const auto& g : params.genesis)
    {
        Account& a = s.m_accounts[g.address];
        a.balance += g.amount;
        if (g.teamVesting)
        {
            a.vestingTotal += g.amount;
        }
    }
    return s;
}

const Account*
LedgerState::Find(const Address& a) const
{
    auto it = m_accounts.find(a);
    return it == m_accounts.end() ? nullptr : &it->second;
}

uint64_t
LedgerState::BalanceOf(const Address& a) const
{
    const Account* acc = Find(a);
    return acc ? acc->balance : 0;
}

uint64_t
LedgerState::NonceOf(const Address& a) const
{
    const Account* acc = Find(a);
    return acc ? acc->nonce : 0;
}

uint64_t
LedgerState::SpendableOf(const Address& a, TimeNs now) const
{
    const Account* acc = Find(a);
    if (!acc)
    {
        return 0;
    }
    uint64_t locked = 0;
    if (acc->vestingTotal > 0)
    {
        // 25% at genesis, then 25% per full year: quarters still locked = 3 - years elapsed.
        TimeNs elapsed = now > m_genesisTime ? now - m_genesisTime : 0;
        int64_t years = elapsed / kYear;
        uint64_t lockedQuarters = years >= 3 ? 0 : static_cast<uint64_t>(3 - years);
        locked = acc->vestingTotal / 4 * lockedQuarters;
    }
    return acc->balance > locked ? acc->balance - locked : 0;
}

uint64_t
LedgerState::TotalSupply() const
{
    uint64_t sum = 0;
    for (const auto& [addr, acc] : m_accounts)
    {
        sum += acc.balance;
    }
    return sum;
}

Status
LedgerState::ApplyTransaction(const Transaction& tx, const Hash256& activeCzc,
                              const Address& feeRecipient, TimeNs now)
{
    if (tx.czcHash != activeCzc)
    {
        return Status::Invalid("stale CZC hash " + ShortHex(tx.czcHash) + " (active " +
                               ShortHex(activeCzc) + ")");
    }
    auto payload = TransferPayload::Decode(tx.payload);
    if (!payload.IsOk())
    {
        return payload.GetStatus();
    }
    const Address from = tx.SenderAddress();
    const uint64_t expectedNonce = NonceOf(from);
    if (tx.nonce != expectedNonce)
    {
        return Status::Invalid("wrong nonce " + std::to_string(tx.nonce) + " for " +
                               ShortHex(from) + " (expected " + std::to_string(expectedNonce) +
                               ")");
    }
    const uint64_t amount = payload.Value().amount;
    const uint64_t spendable = SpendableOf(from, now);
    if (amount > spendable || tx.fee > spendable - amount)
    {
        return Status::Invalid("overspend by " + ShortHex(from) + ": amount " +
                               std::to_string(amount) + " + fee " + std::to_string(tx.fee) +
                               " > spendable " + std::to_string(spendable));
    }
    Account& sender = m_accounts[from];
    sender.balance -= amount + tx.fee;
    sender.nonce += 1;
    m_accounts[payload.Value().to].balance += amount;
    m_accounts[feeRecipient].balance += tx.fee;
    return Status::Ok();
}

void
LedgerState::PayBlockReward(const Address& producer, uint64_t amount)
{
    Account& pool = m_accounts[PopPoolAddress()];
    uint64_t paid = amount < pool.balance ? amount : pool.balance;
    pool.balance -= paid;
    m_accounts[producer].balance += paid;
}

} // namespace canon
