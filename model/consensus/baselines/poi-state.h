// PoiState: what NEM's proof of importance remembers after a block (NIS account states and the
// block chain's scoring data; model/consensus/baselines/NOTES.md 2), as an immutable
// ConsensusState that is a pure function of the block's chain and the chain parameters.
//
// Per account (a PersistentMap, so a block costs memory in proportion to the accounts it touched):
// - its balance split into vested and unvested parts (poi-vesting.h), kept equal to the ledger
//   balance: the block's transfers and fees are replayed in transaction order (a transfer is a
//   send and a receive, a fee a send and the producer's receive); whatever else moved a balance
//   (the block reward, slashing by evidence) is reconciled against the ledger after the block;
// - its outlinks (NIS OutlinkObserver): one per transfer to another account, weighted by the
//   sender's vested share at the time (amount · vested / (vested + unvested)), kept as a chain of
//   per-block chunks, newest first, shared with the parent state.
// Genesis allocations start fully vested (NIS vests everything its nemesis block hands out).
// The PoP pool is not tracked: it never harvests and never enters the calculation.
//
// Importances are recomputed after every block whose height is a multiple of recomputeBlocks
// (and at genesis) from the vested balances at that height and the outlinks of the last 30 days
// (heights H − 30 days ... H), each weighted by 0.9^(whole days of age); a block at height h is
// harvested with the importances of the last recompute below h, i.e. its parent's table. That is
// NIS's grouped height shifted by one, because CanonSim's genesis is height 0 where NEM's nemesis
// block is height 1. At the same heights outlinks older than 31 days are pruned (NIS prunes at
// 30 days plus one every 360 blocks), which bounds each account's history by age.
//
// Besides: the block's generation hash, its difficulty and the difficulty its children will
// carry, and the chain's cumulative score. The difficulty window is read from the block's
// ancestors (the entries' own states), which the block tree keeps while the entry lives.
#ifndef CANONSIM_CONSENSUS_BASELINES_POI_STATE_H
#define CANONSIM_CONSENSUS_BASELINES_POI_STATE_H

#include "model/chain/block-tree.h"
#include "model/consensus/baselines/poi-importance.h"
#include "model/consensus/baselines/poi-rules.h"
#include "model/consensus/baselines/poi-vesting.h"
#include "model/core/persistent-map.h"

#include <memory>
#include <utility>
#include <vector>

namespace canon
{

// One block's outlinks of one account, linked to the account's older chunks. Immutable once
// shared. The destructor unlinks a long chain iteratively, so dropping the last reference to a
// month of history cannot overflow the stack.
struct PoiOutlinkChunk
{
    uint64_t height = 0;
    std::vector<std::pair<Address, uint64_t>> links; // (recipient, weight in units), tx order
    std::shared_ptr<const PoiOutlinkChunk> older;

    PoiOutlinkChunk() = default;
    PoiOutlinkChunk(const PoiOutlinkChunk&) = delete;
    PoiOutlinkChunk& operator=(const PoiOutlinkChunk&) = delete;
    ~PoiOutlinkChunk();
};
using PoiOutlinks = std::shared_ptr<const PoiOutlinkChunk>;

struct PoiAccount
{
    PoiBalance balance;
    PoiOutlinks outlinks; // newest first
};
using PoiAccounts = PersistentMap<Address, PoiAccount>;

// The importances computed at one height: every eligible account, ascending by address.
struct PoiImportanceTable
{
    uint64_t height = 0;
    std::vector<Address> accounts;
    std::vector<double> importance;  // sums to 1 (0 accounts: empty)
    std::vector<double> pageRank;    // NCDawareRank
    std::vector<uint64_t> effective; // floor(importance · supply in whole CZR)
    std::size_t accountsConsidered = 0;
    uint32_t iterations = 0;

    // 0 for accounts outside the table.
    uint64_t EffectiveOf(const Address& a) const;
    double ImportanceOf(const Address& a) const;
};

// A chain's cumulative score: 128 bits, so that no chain a simulation can build overflows it
// (a block adds up to 2^64).
__extension__ typedef unsigned __int128 PoiScore;

struct PoiState : ConsensusState
{
    PoiAccounts accounts;
    std::shared_ptr<const PoiImportanceTable> importances; // for the children of this block
    Hash256 generationHash{};
    uint64_t difficulty = 0;     // this block's
    uint64_t nextDifficulty = 0; // its children's
    PoiScore score = 0;          // the chain's cumulative score, sum of (D − Δt)
};
using PoiStatePtr = std::shared_ptr<const PoiState>;

// The entry's PoI state; asserts that it has one.
const PoiState& PoiStateOf(const BlockEntry& entry);

// The input of the calculation at `height`, and the accounts it made eligible (ascending).
PoiGraph PoiGraphAt(const PoiAccounts& accounts, uint64_t height, const PoiRules& rules,
                    std::vector<Address>& eligible);
// The calculation at `height`.
std::shared_ptr<const PoiImportanceTable>
ComputePoiImportances(const PoiAccounts& accounts, uint64_t height, const PoiRules& rules);

// Genesis: the allocations fully vested, importances at height 0, the initial difficulty.
PoiStatePtr MakePoiGenesisState(const ChainParams& params, const PoiRules& rules);
// The state after `entry`'s block: `ledger` is the state after its transactions and reward; its
// parent and every ancestor carry PoI states.
PoiStatePtr ApplyPoiBlock(const BlockEntry& entry, const LedgerState& ledger,
                          const PoiRules& rules);

} // namespace canon

#endif
