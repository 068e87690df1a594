// PoW difficulty and its retargeting (issue 14, model/consensus/baselines/NOTES.md 4.2).
//
// Difficulty D is the expected work of a block in units fixed by kPowGenesisDifficulty: at that
// difficulty the miners of ConsensusParams::members, with all their hash power, find a block
// every PowParams::meanInterval on average; at difficulty D every miner's rate is scaled by
// kPowGenesisDifficulty / D (as Bitcoin's expected hashes per block grow with its difficulty).
// A block's work is its difficulty (Bitcoin's GetBlockProof up to a constant factor) and fork
// choice compares the cumulative work of chains.
//
// Retargeting, PowParams::retargetBlocks = W (0: never): Bitcoin's rule (src/pow.cpp,
// CalculateNextWorkRequired) on windows of W blocks. The block at a height h that is a positive
// multiple of W gets
//   D_h = D_{h-1} * expected / actual,  expected = (W - 1) * meanInterval,
//   actual = time(h-1) - time(h-W), clamped to [expected / 4, 4 * expected];
// every other block keeps its parent's difficulty. The measured span holds W - 1 intervals and
// `expected` counts W - 1 of them: Bitcoin counts W (its known off-by-one, which lengthens the
// interval by a factor W / (W - 1)); this rule does not. Difficulty stays within
// [kPowDifficultyMin, kPowDifficultyMax], so the cumulative work of 2^23 blocks fits 64 bits.
//
// Pure functions; integer arithmetic only, so every node computes the same difficulty.
#ifndef CANONSIM_CONSENSUS_BASELINES_POW_DIFFICULTY_H
#define CANONSIM_CONSENSUS_BASELINES_POW_DIFFICULTY_H

#include "model/core/time.h"

#include <cstdint>

namespace canon
{

constexpr uint64_t kPowGenesisDifficulty = 1ULL << 24;
constexpr uint64_t kPowDifficultyMin = 1;
constexpr uint64_t kPowDifficultyMax = 1ULL << 40;
// The most a retarget may change the difficulty, either way (Bitcoin: 4).
constexpr uint64_t kPowRetargetClamp = 4;

// Whether the block at `height` retargets under windows of `window` blocks (0: never).
bool IsRetargetHeight(uint64_t height, uint32_t window);

// D * expected / actual with `actual` clamped to [expected / 4, 4 * expected], the result kept
// within [kPowDifficultyMin, kPowDifficultyMax]. Durations in nanoseconds; expected > 0.
uint64_t RetargetDifficulty(uint64_t difficulty, TimeNs actual, TimeNs expected);

} // namespace canon

#endif
