// PoP finality (PROTOCOL.md 2.4, paper 3.1.3.3): a block is irreversible once blocks by at least
// floor(2N/3)+2 distinct producers, its own producer included, lie on the chain from it, the
// paper's "(2/3*N+1)+1". For N = 21 that is 16.
//
// Reading fixed here: for N <= 3 the formula exceeds N and no block could ever become
// irreversible, so the threshold is capped at N (every producer must have built on it).
#ifndef CANONSIM_CONSENSUS_FINALITY_H
#define CANONSIM_CONSENSUS_FINALITY_H

#include "model/chain/block-tree.h"

namespace canon
{

uint32_t FinalityThreshold(uint32_t n);
// The threshold a chain uses under N = n: FinalityThreshold(n), or the chain's override
// (ChainParams::finalityThresholdOverride, when not 0) capped at n.
uint32_t FinalityThresholdOf(uint32_t n, uint32_t thresholdOverride);

// The last irreversible block of the chain ending at `tip`, whose parent's chain has
// `tip->parent->lib`. Walks back from the tip counting distinct producer keys (so the count
// stays right across a change of producer set) and stops at the first block where the count
// reaches `threshold`, or at the parent's irreversible block.
const BlockEntry* ComputeLib(const BlockEntry* tip, uint32_t threshold);

} // namespace canon

#endif
