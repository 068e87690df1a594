// DposHeaderState: what EOSIO 1.x DPoS remembers per block about producers and finality, and the
// rule that derives a block's state from its parent's. Followed version: EOSIO v1.8.14
// (`block_header_state::next` and `_finish_next`, libraries/chain/block_header_state.cpp, commit
// b28fed36); the reading is model/consensus/baselines/NOTES.md 1.1-1.4 and 1.6, written anew here.
//
// For a block in slot t by producer P with header field `confirmed` = c on a parent state:
//   0. P is active[(t mod 12n) div 12] of the parent's active schedule (n producers, 12 the
//      repetitions parameter); t is later than the parent's slot.
//   1. Double-confirm check: if P produced on this chain, its last block is below b - c (b the
//      new block number): a producer never votes again for blocks it already voted for here.
//   2. A counter floor(2n/3)+1 for the new block joins the list of blocks not yet proposed
//      irreversible (oldest first; at most kDposConfirmationsTracked, the oldest is dropped).
//   3. The block votes for itself and c ancestors: from the newest counter back, each is
//      decremented; the first to reach 0 makes its block the proposed LIB (PLIB) and is removed
//      with every older counter.
//   4. LIB, two-stage (EOSIO 1.8, issue 3088): the producers' last implied PLIBs, P's replaced
//      by the parent's PLIB, sorted ascending; the value at index floor((m-1)/3), m entries. So
//      at least floor(2n/3)+1 producers' latest blocks were built on a state whose PLIB reached
//      it. Single-stage option ("15 of 21"): the same index over the producers' last produced
//      blocks, P's replaced by b: the highest block that floor(2n/3)+1 distinct producers have
//      built on or produced.
//   5. A pending schedule becomes active in the state of the first block whose LIB reaches the
//      block that carried it; producers kept from the old schedule keep their entries, new ones
//      start at the LIB, and P's own entries are set as for any block.
//   6. Otherwise P's last produced block becomes b and its last implied PLIB the parent's PLIB.
// The header state keeps EOSIO's LIB value as it is; a node's irreversible block only moves
// forward (the chain takes the higher of the two, as EOSIO's controller does).
//
// Deviation: a `confirmed` range reaching genesis or before (c >= b) is rejected. EOSIO's
// unsigned arithmetic lets c > b pass the double-confirm check; an honest producer never sends
// it (it confirms at most down to its LIB, DposHonestConfirmations).
//
// Ownership: a value type; schedules are immutable and shared between states (and with the
// trace, as the activated producer set).
// Bounds: confirmCount holds at most kDposConfirmationsTracked counters; each producer map at
// most a schedule (kDposProducersMax) plus the producer that promoted it.
// Invariants: counter i belongs to block blockNum - (size - 1 - i), every block after the PLIB;
// each counter lies in [1, floor(2n/3)+1]; the PLIB never decreases along a chain; every
// producer of the active schedule has an entry in both maps.
#ifndef CANONSIM_CONSENSUS_BASELINES_DPOS_HEADER_STATE_H
#define CANONSIM_CONSENSUS_BASELINES_DPOS_HEADER_STATE_H

#include "model/consensus/consensus-params.h"
#include "model/core/keys.h"
#include "model/core/status.h"

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace canon
{

constexpr uint32_t kDposProducersMax = 125;             // EOSIO config::max_producers
constexpr std::size_t kDposConfirmationsTracked = 1024; // maximum_tracked_dpos_confirmations
constexpr uint64_t kDposConfirmedMax = 65535;           // the header field is a u16

// A producer schedule: its version (0 at genesis, +1 per change) and its producers in schedule
// order, which is by name; a producer's name is its key's bytes.
struct DposSchedule
{
    uint32_t version = 0;
    std::vector<PublicKey> producers;
};
using DposSchedulePtr = std::shared_ptr<const DposSchedule>;

// `producers` sorted by name. Asserts 1..kDposProducersMax distinct keys.
DposSchedulePtr MakeDposSchedule(uint32_t version, std::vector<PublicKey> producers);

// The place in `schedule` of the producer of `slot`.
uint32_t DposScheduledIndex(const DposSchedule& schedule, uint64_t slot, uint32_t repetitions);

// Producer -> block number, sorted by producer.
using DposProducerMap = std::vector<std::pair<PublicKey, uint64_t>>;
// Nullptr when absent.
const uint64_t* DposFind(const DposProducerMap& map, const PublicKey& key);
void DposSet(DposProducerMap& map, const PublicKey& key, uint64_t value);

struct DposHeaderState
{
    uint64_t blockNum = 0; // the block's height
    uint64_t slot = 0;
    PublicKey producer{}; // zero for the starting state
    DposSchedulePtr active;
    DposSchedulePtr pending;      // null: none
    uint64_t pendingBlockNum = 0; // the block that carried `pending`
    DposProducerMap lastProduced;
    DposProducerMap lastImplied;
    std::vector<uint8_t> confirmCount;
    uint64_t plib = 0; // dpos_proposed_irreversible_blocknum
    uint64_t lib = 0;  // dpos_irreversible_blocknum
};

// A state in which `schedule` is active and every producer last produced, and last implied,
// block `blockNum` (the NOTES 1.7 starting state; genesis is block 0).
DposHeaderState DposStartState(DposSchedulePtr schedule, uint64_t blockNum, uint64_t slot);

// floor(2n/3)+1: the votes a block needs to become the PLIB.
uint32_t DposRequiredConfirmations(std::size_t n);

// Step 1: Invalid, naming the producer and the blocks, when `producer` may not confirm
// `confirmed` blocks on top of `parent`.
Status DposCheckConfirmed(const DposHeaderState& parent, const PublicKey& producer,
                          uint64_t confirmed);

// Steps 0-6 for a block in `slot` with `confirmed` on `parent`. Asserts that the slot is later
// and the confirmed range passed DposCheckConfirmed. `promoted` (if given) tells whether the
// pending schedule became active in this block.
DposHeaderState DposNextHeaderState(const DposHeaderState& parent, uint64_t slot,
                                    uint64_t confirmed, const DposParams& params,
                                    bool* promoted = nullptr);

// The block whose state is `state` (on `parent`) carries `schedule` as the new pending schedule
// (EOSIO's header field `new_producers`). Asserts EOSIO's conditions: nothing pending in the
// parent (so nothing was promoted in this block either) and version = active + 1.
void DposSetPending(const DposHeaderState& parent, DposHeaderState& state,
                    DposSchedulePtr schedule);

// The value at index floor((m-1)/3) of `values` sorted ascending; 0 when empty.
uint64_t DposLibIndexValue(std::vector<uint64_t> values);

// How many blocks an honest producer confirms (EOSIO's producer plugin): back to its watermark,
// the height of the last block it signed on any branch (0: never signed, counted as genesis),
// none if that is at or above the head, never below the head's LIB, at most kDposConfirmedMax.
uint64_t DposHonestConfirmations(uint64_t headNum, uint64_t headLib, uint64_t watermark);

} // namespace canon

#endif
