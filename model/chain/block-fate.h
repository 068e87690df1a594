// What a stale block is, under any protocol (issue 14: "stale blocks are traced"; NOTES.md 4.4 of
// the baselines): a valid block that is not on the final main chain. "Final" is the main chain a
// run ends with, seen from its best tip, cut at that tip's irreversible block (the engine's
// LibOf): blocks above that point could still be reorganised either way and count neither as
// main nor as stale. The trace's block_fates dataset is written by this rule.
//
// The stale rate of a run is stale / (main + stale) over the decided blocks: under PoW the share
// of mined blocks whose work was wasted, the quantity NOTES.md 4.4's model predicts.
//
// Pure functions over hashes and heights, so a recorder can classify blocks it no longer holds.
#ifndef CANONSIM_CHAIN_BLOCK_FATE_H
#define CANONSIM_CHAIN_BLOCK_FATE_H

#include "model/core/hash.h"

#include <cstdint>

namespace canon
{

enum class BlockFate : uint8_t
{
    kMain = 0,      // on the final main chain, at or below its irreversible block
    kStale = 1,     // valid, at or below that height, not on the final main chain
    kUndecided = 2, // above the final irreversible block
};

// The fate of the valid block (`height`, `hash`) given the final main chain's block at the same
// height (`mainAtHeight`) and the height of the final irreversible block. Genesis is main.
BlockFate FateOf(uint64_t height, const Hash256& hash, const Hash256& mainAtHeight,
                 uint64_t finalLibHeight);

// Counts of decided blocks.
struct StaleCount
{
    uint64_t main = 0;
    uint64_t stale = 0;

    void Add(BlockFate fate);
    // stale / (main + stale); 0 when nothing is decided.
    double Rate() const;
};

} // namespace canon

#endif
