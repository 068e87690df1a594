// The parameters every node of one chain must agree on: genesis allocation, producer set, slot
// length, block limits, reward, and the CZC rules-document hashes with their activation heights.
//
// Genesis (PROTOCOL.md 1, paper 6): a total supply of 1,618,033,988 CZR in units of 10^-9 CZR,
// 40% to investors, 10% to the team (25% spendable at genesis, 25% more each year for three
// years), 20% to a community reserve and 30% to the PoP incentive pool, which pays block
// rewards (paper 6.2-6.4). Defaults live here and only here (DESIGN.md 4.9).
#ifndef CANONSIM_CHAIN_CHAIN_PARAMS_H
#define CANONSIM_CHAIN_CHAIN_PARAMS_H

#include "model/chain/fee-rule.h"
#include "model/consensus/consensus-params.h"
#include "model/contracts/contract-params.h"
#include "model/core/hash.h"
#include "model/core/keys.h"
#include "model/core/time.h"
#include "model/governance/governance.h"

#include <memory>
#include <vector>

namespace canon
{

constexpr uint64_t kUnitsPerCzr = 1000000000ULL;
constexpr uint64_t kTotalSupplyCzr = 1618033988ULL;
constexpr uint64_t kTotalSupply = kTotalSupplyCzr * kUnitsPerCzr;
constexpr TimeNs kYear = 365LL * 24 * 3600 * kSecond;

// The PoP incentive pool is an account nobody holds a key for: its address is a hash of a label,
// not of a public key, so no signature can ever spend from it.
Address PopPoolAddress();

struct GenesisAccount
{
    Address address{};
    uint64_t amount = 0;
    // Team allocation: a quarter unlocks at genesis and one more each year (PROTOCOL.md 1).
    bool teamVesting = false;
};

struct CzcActivation
{
    uint64_t height = 0;
    Hash256 czcHash{};
};

// Election and re-election rules (PROTOCOL.md 2.2). Defaults here and only here.
struct ElectionParams
{
    // Candidates taken per (region, application type) group, best effective score first.
    uint32_t candidatesPerGroup = 42;
    // Vote weight: the voter's balance (stake) or one per account.
    bool stakeWeighted = true;
    // Re-election when the top-N of a new CZR report differs from the top-N at the last
    // election in more than this share of places...
    double driftThreshold = 0.25;
    // ...or when one producer has missed this many of its slots in a row.
    uint32_t missedSlotsMax = 3;
    // A claim counts for this many blocks after the block that carried it.
    uint64_t claimLifetimeBlocks = 63;
    // Claims above observation by more than this share are flagged (they are capped anyway).
    double overclaimTolerance = 0.01;
};

struct ChainParams
{
    TimeNs genesisTime = 0;
    TimeNs slotDuration = 1 * kSecond; // T, paper 3.1.3.2
    // The genesis producer set, in order. Its size is N for the life of the chain: every
    // election fills exactly N places (PROTOCOL.md 2.2).
    std::vector<PublicKey> producers;
    // The CZR measurement engine's key: only it may publish CZR reports. All zero: no reports.
    PublicKey czrOracle{};
    ElectionParams election;
    uint64_t blockSizeBytesMax = 1024 * 1024; // CZC parameter (paper 1.2.4)
    uint32_t blockTxMax = 5000;
    uint64_t blockReward = 10 * kUnitsPerCzr; // paid from the PoP pool while it lasts
    // Mempools refuse bids below this (PROTOCOL.md 3, the producers' reserve; a floor of 1 also
    // keeps accounts that hold nothing from filling pools for free).
    uint64_t feeMin = 1;
    // The fee auction every block settles by (model/fees, issue 15); first-price by default,
    // the chain's rule before issue 15.
    FeeRuleParams fees;
    // 0: the paper's floor(2N/3)+2 (PROTOCOL.md 2.4). Anything else replaces it, for research
    // into weaker or stronger rules; a threshold below 2N/3 is not safe under partitions.
    uint32_t finalityThresholdOverride = 0;
    // Slashing (PROTOCOL.md 2.4). CanonSim has no separate bond: a producer's balance is its
    // deposit. Evidence of equivocation takes all of it; this share (per mille) goes to whoever
    // submitted the evidence, the rest back to the PoP pool, so supply is conserved.
    uint32_t evidenceRewardPermille = 100;
    // A block is rejected when its slot starts later than this past the receiver's clock.
    TimeNs clockDriftMax = 500 * kMillisecond;
    std::vector<GenesisAccount> genesis;
    // Sorted by height, the first at height 0. A transaction in a block at height h must carry
    // the hash active at h: after an upgrade activates, the old hash is stale (paper 1.2.3).
    std::vector<CzcActivation> czc;
    // The durations of CZC governance (model/governance/governance.h, paper 1.2.6.2): the hold
    // of more than 3/4 of the voting stake, the test phase and the upgrade window (GenesisHash
    // commits to them when they differ from the paper's).
    GovernanceParams governance;
    // The consensus protocol and the baselines' parameters (PoP: the fields above).
    ConsensusParams consensus;
    // Smart contracts: the gas table, gas price and sandbox bounds (PROTOCOL.md 4).
    ContractParams contracts;

    Hash256 CzcHashAt(uint64_t height) const;
    // The start of `slot`. Callers bound peer-supplied slots first (IsSlotStarted): a slot near
    // 2^63 / T would overflow.
    TimeNs SlotStart(uint64_t slot) const
    {
        return genesisTime + static_cast<TimeNs>(slot) * slotDuration;
    }
    // Whether `slot` has started by `now`, give or take clockDriftMax; safe for any slot.
    bool IsSlotStarted(uint64_t slot, TimeNs now) const
    {
        return slot <= SlotAt(now + clockDriftMax);
    }
    // The slot in progress at time t (slot 0 before genesis).
    uint64_t SlotAt(TimeNs t) const;
    // T and N at genesis, the first rule epoch (model/governance/rule-epochs.h); N is 0 on a
    // chain that does not run PoP, where adopted T and N open no epochs.
    RuleEpoch GenesisRules() const
    {
        RuleEpoch e;
        e.fromTime = genesisTime;
        e.slotDuration = slotDuration;
        e.producers =
            consensus.protocol == Protocol::kPop ? static_cast<uint32_t>(producers.size()) : 0;
        return e;
    }
    // The genesis block's hash commits to everything above.
    Hash256 GenesisHash() const;
};

// params->GenesisHash(), computed once per shared ChainParams object (identity-memo.h): it costs
// O(genesis accounts), and every node of a run holds the same object.
Hash256 SharedGenesisHash(const std::shared_ptr<const ChainParams>& params);

// The PROTOCOL.md 1 split: investors share 40% equally (the remainder of the division goes to
// the first), then team, community reserve and pool.
std::vector<GenesisAccount> MakeGenesisAllocation(const std::vector<Address>& investors,
                                                  const Address& team, const Address& community);

} // namespace canon

#endif
