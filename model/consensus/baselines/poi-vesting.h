// NEM's time-based vesting of one account's balance (NIS WeightedBalance and
// TimeBasedVestingWeightedBalances; model/consensus/baselines/NOTES.md 2.1).
//
// A balance is split into a vested and an unvested part. Whatever an account receives starts
// unvested; at every day boundary (every positive multiple of blocksPerDay heights) a tenth of the
// unvested part, rounded down, becomes vested (unvested' = floor(unvested · 9 / 10)). A send takes
// from both parts in proportion, with NIS's rounding (the unvested share is truncated from a
// double ratio; should the vested part go negative, the shortfall comes from the unvested part).
//
// The steps are applied lazily: a PoiBalance records the height its parts hold at, and moving it
// to a later height applies one step per day boundary m with height <= m < later height. A value
// type of three integers; Total() always equals the ledger balance it tracks (the owner keeps
// them equal, see poi-state.h).
#ifndef CANONSIM_CONSENSUS_BASELINES_POI_VESTING_H
#define CANONSIM_CONSENSUS_BASELINES_POI_VESTING_H

#include <cstdint>

namespace canon
{

struct PoiBalance
{
    uint64_t vested = 0;
    uint64_t unvested = 0;
    uint64_t height = 0; // the parts hold as of this height

    uint64_t Total() const { return vested + unvested; }

    // A fully vested balance (NIS vests everything the nemesis block hands out).
    static PoiBalance Vested(uint64_t amount, uint64_t height);

    // The parts as of `at` (not before `height`).
    PoiBalance At(uint64_t at, uint64_t blocksPerDay) const;
    // Adds `amount` to the unvested part at height `at`.
    void Receive(uint64_t at, uint64_t amount, uint64_t blocksPerDay);
    // Takes `amount` (at most Total()) from both parts in proportion at height `at`.
    void Send(uint64_t at, uint64_t amount, uint64_t blocksPerDay);
    // Receives or sends the difference so that Total() becomes `total`.
    void MoveTo(uint64_t at, uint64_t total, uint64_t blocksPerDay);
};

} // namespace canon

#endif
