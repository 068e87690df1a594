// PosState: the Praos-style consensus state after a block (model/consensus/baselines/NOTES.md
// 3.2): the epoch of its slot, the nonces that decide the next epoch's randomness, and the stake
// snapshots its epoch and the next draw leaders from.
//
// Nonces (after the Shelley/Praos rules UPDN and TICKN; x * y below is BLAKE2b-256(x || y)):
// - every block mixes its leader output y into the evolving nonce: eta_v <- eta_v * eta_b with
//   eta_b = BLAKE2b-256(domain || y);
// - the candidate nonce follows, eta_c <- eta_v, while the block's slot is more than the
//   stability window before the next epoch, and is frozen after that;
// - when a chain enters epoch e (its first block with a slot in e, or a producer looking at a
//   slot in e), the epoch nonce becomes eta_0 <- eta_c * eta_h, where eta_h is the hash of the
//   last block before epoch e-1 began; eta_h then becomes the hash of the last block before e.
// Genesis: eta_0 = eta_v = eta_c = BLAKE2b-256(domain || genesis hash), eta_h = genesis hash.
//
// Reading for the stability window (NOTES.md 3.2): Praos takes 3k/f slots (Shelley), which only
// fits epochs of 10k/f slots. CanonSim's epochs are often shorter (the default is 600 slots
// against 10k/f = 4,000), so the window is min(ceil(3k/f), floor(epochSlots / 3)): the candidate
// nonce always takes in at least the first two thirds of an epoch, as in the hash-chain option
// of the notes. With epochs shorter than 10k/f Praos's security argument does not hold; the
// simulator reproduces the mechanism, not the bound.
//
// Stake snapshots (reading of NOTES.md 3.2, Cardano's two-epoch lag): leaders of epoch e use
// the balances at the last block before epoch e-1 began. This matches Cardano's snapshot
// rotation as the ledger team describes it (input-output-hk/acropolis docs/epoch-timing.md:
// at each boundary the current state becomes "mark", mark becomes "set", and "set" drives the
// leader schedule of the epoch). When a chain enters epoch e, the snapshot taken when it entered
// e-1 becomes active and a new one is taken from the ledger state of the last block before e
// (the parent), to become active in e+1. Genesis: the genesis balances serve epochs 0 and 1.
//
// Epochs without a block: entering e from a parent in epoch p < e applies the tick e - p times;
// after two ticks the state is a fixed point (both snapshots and eta_h are the parent's, eta_0 =
// eta_c * parent hash), so at most two are computed.
//
// Ownership: a PosState is immutable once built and shared (ConsensusStatePtr); its snapshots are
// shared by every block of the epoch, so a block costs under 200 bytes and nothing per member.
#ifndef CANONSIM_CONSENSUS_BASELINES_POS_STATE_H
#define CANONSIM_CONSENSUS_BASELINES_POS_STATE_H

#include "model/chain/block-tree.h"
#include "model/consensus/baselines/pos-leader.h"

#include <functional>

namespace canon
{

struct PosState : ConsensusState
{
    uint64_t epoch = 0;
    Hash256 epochNonce{};          // eta_0 of `epoch`
    Hash256 evolvingNonce{};       // eta_v
    Hash256 candidateNonce{};      // eta_c
    Hash256 lastHashBeforeEpoch{}; // eta_h for the next tick: the last block before `epoch`
    StakeSnapshotPtr active;       // the stakes leaders of `epoch` are drawn from
    StakeSnapshotPtr next;         // the stakes of `epoch + 1`
};

// What a slot's leader election depends on, besides the stakeholder's key.
struct EpochView
{
    uint64_t epoch = 0;
    Hash256 nonce{};
    StakeSnapshotPtr stake;
};

// Epoch arithmetic of one chain's parameters.
struct PosEpochs
{
    uint64_t epochSlots = 1;
    uint64_t stabilityWindow = 0; // < epochSlots

    static PosEpochs From(const PosParams& pos);
    uint64_t EpochOf(uint64_t slot) const { return slot / epochSlots; }
    // The first slot of the epoch after `slot`'s (the largest slot if that overflows).
    uint64_t NextEpochStart(uint64_t slot) const
    {
        uint64_t start = slot - slot % epochSlots;
        uint64_t max = ~uint64_t{0};
        return start > max - epochSlots ? max : start + epochSlots;
    }
    // The candidate nonce takes in a block of `slot` (rule Update-Both).
    bool UpdatesCandidate(uint64_t slot) const
    {
        return slot % epochSlots + stabilityWindow < epochSlots;
    }
};

// The snapshot taken when a chain enters a new epoch, asked for only when needed.
using SnapshotSource = std::function<StakeSnapshotPtr()>;

PosState PosGenesisState(const Hash256& genesisHash, const StakeSnapshotPtr& genesisStake);
// eta_0 of an epoch from the candidate nonce and eta_h.
Hash256 NextEpochNonce(const Hash256& candidate, const Hash256& lastHashBeforeEpoch);
// The election inputs of `epoch` (>= s.epoch) for a block built on the block with state `s` and
// hash `hash`. Takes a snapshot only when `epoch` is two or more past s.epoch.
EpochView ViewAt(const PosState& s, const Hash256& hash, uint64_t epoch,
                 const SnapshotSource& take);
// `s` carried into `epoch` (>= s.epoch): what the next block starts from.
PosState TickTo(const PosState& s, const Hash256& hash, uint64_t epoch, const SnapshotSource& take);
// A block with leader output `output` in a slot for which `updateCandidate` holds.
void EvolveNonce(PosState& s, const Hash256& output, bool updateCandidate);

} // namespace canon

#endif
