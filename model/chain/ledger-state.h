// Account balances and nonces after some block (PROTOCOL.md 1).
//
// A value type: the block tree keeps one immutable LedgerState per block it may still build on
// and copies it to apply the next block. Accounts and the PoP maps live in persistent ordered
// maps (model/core/persistent-map.h): a copy costs O(1) and shares every node with its source, a
// write copies only the path to the key it changes, so the state after a block holds new nodes
// in proportion to what the block changed (O(k log n) for k changed accounts among n), not to
// the number of accounts, and the genesis state is shared by every node of a run. Iteration is in
// key order, as with std::map, so supply sums, elections and dumps stay deterministic
// (DESIGN.md 4.5).
//
// Invariant: the sum of all balances equals kTotalSupply after every operation; transfers, fees
// and pool rewards only move value. Burned fees move to FeeBurnAddress() (model/chain/fee-rule.h),
// so they stay in the sum.
#ifndef CANONSIM_CHAIN_LEDGER_STATE_H
#define CANONSIM_CHAIN_LEDGER_STATE_H

#include "model/chain/chain-params.h"
#include "model/chain/evidence.h"
#include "model/chain/fee-rule.h"
#include "model/chain/transaction.h"
#include "model/channels/channel-ledger.h"
#include "model/contracts/contract-state.h"
#include "model/core/persistent-map.h"
#include "model/data/data-state.h"
#include "model/governance/governance.h"

namespace canon
{

struct Account
{
    uint64_t balance = 0;
    uint64_t nonce = 0;        // the nonce the next transaction from this account must carry
    uint64_t vestingTotal = 0; // team allocation subject to PROTOCOL.md 1 vesting
};

// What one transaction is applied in: the rules active at its block, who collects its fee.
struct TxContext
{
    Hash256 activeCzc{};
    Address feeRecipient{};
    TimeNs now = 0;
    uint64_t height = 0;
    Address czrOracle{};                 // the address of ChainParams::czrOracle
    uint32_t evidenceRewardPermille = 0; // ChainParams::evidenceRewardPermille
    // The fee auction (model/fees): the chain's mechanism, the block's declared price (uniform,
    // monopolistic) and the base fee it is built on (EIP-1559).
    FeeMechanism feeMechanism = FeeMechanism::kFirstPrice;
    uint64_t feePrice = 0;
    uint64_t baseFee = 0;
    const ContractParams* contracts = nullptr; // &ChainParams::contracts; nullptr: the defaults
};

struct StoredClaim
{
    PublicKey key{}; // the claimant's key: what a producer set is made of
    ClaimPayload claim;
    uint64_t height = 0; // the block that carried it
};

// The on-chain state of PoP elections (PROTOCOL.md 2.1, 2.2). Transactions fill claims, the
// latest CZR report and votes; the consensus layer (ConsensusChain) runs elections and keeps the
// pending producer set and the missed-slot counters.
// The maps grow with the node count (a claim, an observation, a vote per account), so they are
// persistent maps: a block that records one claim copies O(log n) nodes, not the map.
struct PopState
{
    PersistentMap<Address, StoredClaim> claims;
    uint64_t reportEpoch = 0;
    uint64_t reportHeight = 0;                       // 0: no report yet
    uint64_t reports = 0;                            // reports recorded so far
    PersistentMap<Address, CzrReportEntry> observed; // the accounts the last report named
    uint32_t unnamedCount = 0; // the last report's accounts summed, not named (report-cut.h)
    uint64_t unnamedTotal = 0; // the sum of their totals
    PersistentMap<Address, std::vector<Address>> votes;

    // Written by consensus.
    std::vector<PublicKey> pending; // elected, not yet in force
    uint64_t pendingHeight = 0;     // the block that announced it; 0: nothing pending
    PersistentMap<PublicKey, uint32_t> missedInRow;
    std::vector<Address> lastElectionTop; // the ranking's top N at the last election
    uint64_t elections = 0;
    uint64_t lastElectionHeight = 0; // the block that announced the last election
    // Keys slashed by evidence, with the height of the block that carried it. A slashed key
    // never produces again on this chain and is never elected (PROTOCOL.md 2.4). Bounded by
    // the keys that ever equivocated: each needs its own valid evidence.
    PersistentMap<PublicKey, uint64_t> slashed;
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
    // For tests and benches: the account-map nodes this state holds that `base` does not share.
    std::size_t AccountNodesNotIn(const LedgerState& base) const
    {
        return m_accounts.NodesNotIn(base.m_accounts);
    }

    // Checks nonce, CZC hash, balance and the type's own rules, then applies it: the sender pays
    // the fee auction's charge (ChargeFor: its bid under first-price, the block's price under
    // uniform and monopolistic, base fee plus tip under EIP-1559), raised to a contract
    // transaction's gas (WithGasFloor, GasFloor); the producer's part goes to
    // `ctx.feeRecipient`, a burned part to FeeBurnAddress(). The balance must cover the whole
    // bid; the difference between bid and payment is never taken. A transfer moves its amount; a
    // claim, report or vote is recorded in the PoP state. Leaves the state untouched on failure.
    // The signature is not checked here: the caller does that once per transaction.
    Status ApplyTransaction(const Transaction& tx, const TxContext& ctx);
    // The type's own rules for `tx` on this state (payload decodes; a report comes from the
    // CZR engine and is newer than the last), without applying it. `amount` is what a transfer
    // moves (0 for other types).
    Status CheckPayloadFor(const Transaction& tx, const TxContext& ctx, uint64_t& amount) const
    {
        Address ignored{};
        return CheckPayload(tx, ctx, amount, ignored);
    }
    // Evidence `tx` in this state: decodes, proves a conflict, names a key not yet slashed.
    Result<EquivocationEvidence> CheckEvidence(const Transaction& tx) const;
    // Moves min(amount, pool balance) from the PoP pool: the share the reward split adopted by
    // governance gives the producer (per mille; all of it until one is adopted) to `producer`,
    // the rest to the accounts of the latest CZR report in proportion to their observed totals
    // (the producer takes rounding and everything when there is no report). Supply is conserved.
    void PayBlockReward(const Address& producer, uint64_t amount);
    // Pays up to `amount` to the latest CZR report's accounts by observed total, and returns the
    // share of the accounts the report summed without naming to the pool; returns both together
    // (rounding down per account). 0 when there is no report or every total is 0.
    uint64_t PayByContribution(uint64_t amount);

    // The fee auction's state: the base fee the next block pays, the total burned.
    const FeeState& Fees() const { return m_fees; }
    // After a block of `used` transactions of `capacity`: the EIP-1559 base fee moves.
    void EndBlockFees(const FeeRuleParams& rule, uint64_t used, uint64_t capacity);

    const PopState& Pop() const { return m_pop; }
    PopState& MutablePop() { return m_pop; }
    // Contracts (model/contracts): code, storage, devices, callbacks, receipts.
    const ContractsState& Contracts() const { return m_contracts; }
    ContractsState& MutableContracts() { return m_contracts; }
    // Moves `amount` between two accounts (a contract paying out); refuses more than `from`
    // holds, changing nothing then.
    Status MoveBalance(const Address& from, const Address& to, uint64_t amount);
    // Commits to every account (balance, nonce, vesting) and the contracts' root.
    Hash256 StateRoot() const;
    // Payment channels (model/channels/channel-ledger.h); their deposits sit in the escrow account.
    const ChannelBook& Channels() const { return m_channels; }
    // CZC governance (model/governance/governance.h): proposals, votes, the adopted CZC hash.
    const GovernanceBook& Governance() const { return m_governance; }
    // The consensus engine records the set it elects for an adopted N (PopEngine).
    GovernanceBook& MutableGovernance() { return m_governance; }
    // End of a block: tallies the open proposals (a passed one switches the CZC hash).
    void EndBlock(const TxContext& ctx, const GovernanceParams& governance,
                  const RuleEpoch& genesisRules, uint32_t finalityThresholdOverride = 0);
    // Data streams and access grants (paper 3.4) and key-value audits (3.5.2): model/data/.
    const DataState& Data() const { return m_data; }
    const AccessState& Access() const { return m_data.access; }

  private:
    // The payload's own rules; on success `commit` applies it once fees and nonce are settled.
    Status CheckPayload(const Transaction& tx, const TxContext& ctx, uint64_t& amount,
                        Address& recipient) const;
    void RecordPayload(const Transaction& tx, const TxContext& ctx);
    void Slash(const PublicKey& offender, const Address& reporter, const TxContext& ctx);

    PersistentMap<Address, Account> m_accounts;
    TimeNs m_genesisTime = 0;
    PopState m_pop;
    FeeState m_fees;
    ContractsState m_contracts;
    ChannelBook m_channels;
    GovernanceBook m_governance;
    DataState m_data;
};

} // namespace canon

#endif
