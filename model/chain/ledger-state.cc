#include "model/chain/ledger-state.h"

#include "model/contracts/contract-executor.h"
#include "model/governance/in-force.h"

#include <algorithm>

namespace canon
{

LedgerState
LedgerState::FromGenesis(const ChainParams& params)
{
    LedgerState s;
    s.m_genesisTime = params.genesisTime;
    s.m_governance.SetProducers(params.producers); // who may approve freezes (issue 18)
    if (params.fees.mechanism == FeeMechanism::kEip1559)
    {
        s.m_fees.baseFee = params.fees.initialBaseFee;
    }
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
    return m_accounts.Find(a);
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
LedgerState::CheckPayload(const Transaction& tx, const TxContext& ctx, uint64_t& amount,
                          Address& recipient) const
{
    amount = 0;
    switch (tx.type)
    {
        case TxType::kTransfer:
        {
            auto p = TransferPayload::Decode(tx.payload);
            if (!p.IsOk())
            {
                return p.GetStatus();
            }
            amount = p.Value().amount;
            recipient = p.Value().to;
            return Status::Ok();
        }
        case TxType::kContributionClaim:
            return ClaimPayload::Decode(tx.payload).GetStatus();
        case TxType::kCzrReport:
        {
            if (ctx.czrOracle == Address{} || tx.SenderAddress() != ctx.czrOracle)
            {
                return Status::Invalid("CZR report not signed by the CZR engine's key");
            }
            auto p = CzrReportPayload::Decode(tx.payload);
            if (!p.IsOk())
            {
                return p.GetStatus();
            }
            if (m_pop.reportHeight > 0 && p.Value().epoch <= m_pop.reportEpoch)
            {
                return Status::Invalid("CZR report for epoch " + std::to_string(p.Value().epoch) +
                                       " is not newer than epoch " +
                                       std::to_string(m_pop.reportEpoch));
            }
            return Status::Ok();
        }
        case TxType::kVote:
            return VotePayload::Decode(tx.payload).GetStatus();
        case TxType::kEvidence:
            return CheckEvidence(tx).GetStatus();
        case TxType::kContractDeploy:
        case TxType::kContractCall:
        case TxType::kDeviceRegister:
        case TxType::kDeviceEvent:
        case TxType::kCallbackRegister:
            return CheckContractTx(*this, tx, ctx, amount, recipient);
        case TxType::kChannelOpen:
        case TxType::kChannelCoopClose:
        case TxType::kChannelClose:
        case TxType::kChannelChallenge:
        case TxType::kChannelHtlcClaim:
        case TxType::kChannelSettle:
            recipient = ChannelEscrowAddress();
            return CheckChannelTx(
                m_channels, tx, ctx, [&](const Address& a) { return SpendableOf(a, ctx.now); },
                amount);
        case TxType::kGovProposal:
        case TxType::kGovVote:
        case TxType::kGovTestReport:
        case TxType::kGovUpgradeSignal:
        case TxType::kGovFreeze:
            return CheckGovernanceTx(m_governance, tx);
        case TxType::kDataRegister:
        case TxType::kDataGrant:
        case TxType::kDataRevoke:
        case TxType::kKvAudit:
            return CheckDataTx(m_data, tx);
    }
    return Status::Invalid("unknown transaction type");
}

void
LedgerState::RecordPayload(const Transaction& tx, const TxContext& ctx)
{
    const Address sender = tx.SenderAddress();
    switch (tx.type)
    {
        case TxType::kTransfer:
            return;
        case TxType::kContributionClaim:
            m_pop.claims[sender] =
                StoredClaim{tx.sender, ClaimPayload::Decode(tx.payload).Value(), ctx.height};
            return;
        case TxType::kCzrReport:
        {
            auto p = CzrReportPayload::Decode(tx.payload).Value();
            m_pop.reportEpoch = p.epoch;
            m_pop.reportHeight = ctx.height;
            ++m_pop.reports;
            m_pop.observed.clear();
            for (const auto& e : p.entries)
            {
                m_pop.observed[e.account] = e;
            }
            m_pop.unnamedCount = p.unnamedCount;
            m_pop.unnamedTotal = p.unnamedTotal;
            return;
        }
        case TxType::kVote:
            m_pop.votes[sender] = VotePayload::Decode(tx.payload).Value().candidates;
            return;
        case TxType::kEvidence:
            Slash(EquivocationEvidence::Decode(tx.payload).Value().first.producer, sender, ctx);
            return;
        case TxType::kContractDeploy:
        case TxType::kContractCall:
        case TxType::kDeviceRegister:
        case TxType::kDeviceEvent:
        case TxType::kCallbackRegister:
            ApplyContractTx(*this, tx, ctx);
            return;
        case TxType::kChannelOpen:
        case TxType::kChannelCoopClose:
        case TxType::kChannelClose:
        case TxType::kChannelChallenge:
        case TxType::kChannelHtlcClaim:
        case TxType::kChannelSettle:
            for (const ValueMove& m : RecordChannelTx(m_channels, tx, ctx))
            {
                Account& from = m_accounts[m.from];
                CANON_ASSERT(from.balance >= m.amount, "channel move overdraws an account");
                from.balance -= m.amount;
                m_accounts[m.to].balance += m.amount;
            }
            return;
        case TxType::kGovProposal:
        case TxType::kGovVote:
        case TxType::kGovTestReport:
        case TxType::kGovUpgradeSignal:
        case TxType::kGovFreeze:
            RecordGovernanceTx(m_governance, tx, ctx);
            return;
        case TxType::kDataRegister:
        case TxType::kDataGrant:
        case TxType::kDataRevoke:
        case TxType::kKvAudit:
            RecordDataTx(m_data, tx, ctx.height);
            return;
    }
}

Result<EquivocationEvidence>
LedgerState::CheckEvidence(const Transaction& tx) const
{
    auto ev = EquivocationEvidence::Decode(tx.payload);
    if (!ev.IsOk())
    {
        return ev.GetStatus();
    }
    Status s = ev.Value().CheckConflict();
    if (!s.IsOk())
    {
        return s;
    }
    if (m_pop.slashed.count(ev.Value().first.producer))
    {
        return Status::Invalid("producer " + ShortHex(ev.Value().first.producer) +
                               " is already slashed");
    }
    return ev;
}

void
LedgerState::Slash(const PublicKey& offender, const Address& reporter, const TxContext& ctx)
{
    m_pop.slashed[offender] = ctx.height;
    const Address offenderAddress = AddressOf(offender);
    const Account* held = m_accounts.Find(offenderAddress);
    if (!held || held->balance == 0)
    {
        return;
    }
    const uint64_t deposit = held->balance;
    m_accounts[offenderAddress].balance = 0;
    // Split so that no product can overflow (permille <= 1000).
    const uint64_t permille = std::min<uint64_t>(ctx.evidenceRewardPermille, 1000);
    const uint64_t reward = deposit / 1000 * permille + deposit % 1000 * permille / 1000;
    m_accounts[reporter].balance += reward;
    m_accounts[PopPoolAddress()].balance += deposit - reward;
}

Status
LedgerState::ApplyTransaction(const Transaction& tx, const TxContext& ctx)
{
    const Hash256 activeCzc = m_governance.ActiveCzc(ctx.activeCzc);
    if (tx.czcHash != activeCzc)
    {
        const std::string by = m_governance.adoptedBy
                                   ? ", switched by proposal " + ShortHex(*m_governance.adoptedBy)
                                   : "";
        return Status::Invalid("stale CZC hash " + ShortHex(tx.czcHash) + " (active " +
                               ShortHex(activeCzc) + by + ")");
    }
    // Frozen accounts and nodes excluded by an upgrade (model/governance/governance.h).
    if (std::string why = m_governance.RefusalOf(tx.sender); !why.empty())
    {
        return Status::Invalid(why);
    }
    // A fee floor adopted by governance is a validity rule from the next block on (in-force.h).
    // Evidence stays fee-free: the producer that holds it submits it unpaid (Node).
    if (const auto floor = AdoptedFeeFloor(m_governance);
        floor && tx.fee < *floor && tx.type != TxType::kEvidence)
    {
        return Status::Invalid("bid " + std::to_string(tx.fee) + " below the fee floor " +
                               std::to_string(*floor) + " adopted by governance");
    }
    uint64_t amount = 0;
    Address recipient{};
    Status s = CheckPayload(tx, ctx, amount, recipient);
    if (!s.IsOk())
    {
        return s;
    }
    const Address from = tx.SenderAddress();
    const uint64_t expectedNonce = NonceOf(from);
    if (tx.nonce != expectedNonce)
    {
        return Status::Invalid("wrong nonce " + std::to_string(tx.nonce) + " for " +
                               ShortHex(from) + " (expected " + std::to_string(expectedNonce) +
                               ")");
    }
    const uint64_t spendable = SpendableOf(from, ctx.now);
    if (amount > spendable || tx.fee > spendable - amount)
    {
        return Status::Invalid("overspend by " + ShortHex(from) + ": amount " +
                               std::to_string(amount) + " + fee " + std::to_string(tx.fee) +
                               " > spendable " + std::to_string(spendable));
    }
    const auto charge = WithGasFloor(ChargeFor(MechanismFor(tx.type, ctx.feeMechanism), tx.fee,
                                               tx.tip, ctx.feePrice, ctx.baseFee),
                                     GasFloor(tx, ctx));
    if (!charge)
    {
        return Status::Invalid("bid " + std::to_string(tx.fee) + " by " + ShortHex(from) +
                               " below the block's " +
                               (ctx.feeMechanism == FeeMechanism::kEip1559
                                    ? "base fee " + std::to_string(ctx.baseFee)
                                    : "fee price " + std::to_string(ctx.feePrice)));
    }
    Account& sender = m_accounts[from];
    sender.balance -= amount + charge->paid;
    sender.nonce += 1;
    if (amount > 0)
    {
        m_accounts[recipient].balance += amount;
    }
    m_accounts[ctx.feeRecipient].balance += charge->toProducer;
    if (charge->burned > 0)
    {
        m_accounts[FeeBurnAddress()].balance += charge->burned;
        m_fees.burned += charge->burned;
    }
    RecordPayload(tx, ctx);
    return Status::Ok();
}

Status
LedgerState::MoveBalance(const Address& from, const Address& to, uint64_t amount)
{
    if (BalanceOf(from) < amount)
    {
        return Status::Invalid("balance of " + ShortHex(from) + " is " +
                               std::to_string(BalanceOf(from)) + ", below " +
                               std::to_string(amount));
    }
    if (amount > 0 && from != to)
    {
        m_accounts[from].balance -= amount;
        m_accounts[to].balance += amount;
    }
    return Status::Ok();
}

Hash256
LedgerState::StateRoot() const
{
    Bytes out;
    Writer w(out);
    w.U32(static_cast<uint32_t>(m_accounts.size()));
    for (const auto& [address, account] : m_accounts)
    {
        w.Fixed(address);
        w.U64(account.balance);
        w.U64(account.nonce);
        w.U64(account.vestingTotal);
    }
    w.Fixed(m_contracts.Root());
    w.Fixed(ChannelBookRoot(m_channels));
    w.Fixed(m_governance.Root()); // proposals, votes, adopted values, rule epochs, freezes
    return Blake2b256(out);
}

void
LedgerState::EndBlockFees(const FeeRuleParams& rule, uint64_t used, uint64_t capacity)
{
    if (rule.mechanism == FeeMechanism::kEip1559)
    {
        m_fees.baseFee = NextBaseFee(m_fees.baseFee, used, capacity, rule);
    }
}

void
LedgerState::EndBlock(const TxContext& ctx, const GovernanceParams& governance,
                      const RuleEpoch& genesisRules, uint32_t finalityThresholdOverride)
{
    m_governance.EndBlock(
        ctx.now, ctx.height, governance, [this](const Address& a) { return BalanceOf(a); },
        genesisRules, finalityThresholdOverride);
}

void
LedgerState::PayBlockReward(const Address& producer, uint64_t amount)
{
    Account& pool = m_accounts[PopPoolAddress()];
    uint64_t paid = amount < pool.balance ? amount : pool.balance;
    pool.balance -= paid;
    const uint64_t permille =
        std::min<uint64_t>(m_governance.AdoptedValue(GovParam::kRewardSplit).value_or(1000), 1000);
    const uint64_t byContribution = paid - (paid / 1000 * permille + paid % 1000 * permille / 1000);
    m_accounts[producer].balance += paid - PayByContribution(byContribution);
}

namespace
{
__extension__ typedef unsigned __int128 Uint128;
} // namespace

uint64_t
LedgerState::PayByContribution(uint64_t amount)
{
    if (amount == 0)
    {
        return 0; // the default split: no walk over the report
    }
    // Totals are CZR scores: their sum and each product stay within 128 bits. The accounts a
    // cut report summed (model/czr/report-cut.h) count in the sum, and their share stays in the
    // pool, so a named account's share does not depend on how many others were named.
    Uint128 sum = m_pop.unnamedTotal;
    for (const auto& [account, entry] : m_pop.observed)
    {
        sum += entry.total;
    }
    if (sum == 0)
    {
        return 0; // no report yet, or every measured score was 0: the producer keeps it all
    }
    uint64_t paid = 0;
    for (const auto& [account, entry] : m_pop.observed)
    {
        const auto share = static_cast<uint64_t>(Uint128{amount} * entry.total / sum);
        m_accounts[account].balance += share;
        paid += share;
    }
    const auto unnamed = static_cast<uint64_t>(Uint128{amount} * m_pop.unnamedTotal / sum);
    m_accounts[PopPoolAddress()].balance += unnamed;
    return paid + unnamed;
}

} // namespace canon
