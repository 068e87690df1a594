// PoiRules: every constant of NEM's proof of importance (NIS at NemProject/nem a67b9943,
// model/consensus/baselines/NOTES.md 2) in CanonSim's units, derived once from ChainParams.
//
// Readings (where NIS's constants are tied to NEM's own units, and how they are scaled):
// - Amounts: 1 XEM is read as 1 CZR, as PoiParams::vestedMin's default (NEM's 10,000 XEM) does;
//   the minimum outlink weight is NEM's 1,000 XEM as 1,000 CZR. Internally everything is in units
//   of 1e-9 CZR (chain-params.h), as NIS works in micro-XEM; the importance calculation is
//   invariant under that scale because vested balances, link weights and thresholds share it.
// - Time: NEM's second is CanonSim's tick (ChainParams::slotDuration; a PoI header's timestamp is
//   its tick's start). The target interval in ticks takes the place of NEM's 60 s.
// - Days and months in blocks: NIS's estimatedBlocksPerDay = 86,400 s / target block time, here
//   86,400 s / PoiParams::targetInterval (at least 1); a month is 30 days. They drive the vesting
//   steps, the outlink age decay and the outlink window, as in NIS. With the default 60 s target a
//   day is 1,440 blocks, so short simulations never vest anything received after genesis.
// - Effective importance: importance × total supply in whole CZR (NIS: × the nemesis amount in
//   whole XEM, 8,999,999,999).
// - Difficulty: NIS starts at 10^14 and clamps to [10^13, 10^15]. At 10^14 a network whose
//   harvesters hold all of NEM's importance would find a block every 10^14 / (1024 · 9·10^9) =
//   10.85 s, i.e. the 60 s target needs about 18% of the importance harvesting. The start and
//   the bounds are scaled by (CanonSim supply / NEM supply) · (target ticks / 60) so that the
//   same share of importance meets the target interval: 1.798·10^13 at the defaults (1 s tick,
//   60 s target).
// - NEM's STABILIZE_BLOCK_TIMES multiplier is not applied (m(Δt) = 1, the rule before that fork):
//   it changes how long the race takes, not who wins it.
// - The importance calculation takes every account CanonSim's ledger has ever credited except
//   the PoP pool (keyless, like NEM's nemesis account, which NIS leaves out).
// A value type; MakePoiRules is the one place these numbers are derived.
#ifndef CANONSIM_CONSENSUS_BASELINES_POI_RULES_H
#define CANONSIM_CONSENSUS_BASELINES_POI_RULES_H

#include "model/chain/chain-params.h"
#include "model/consensus/baselines/poi-importance.h"
#include "model/core/status.h"

#include <cstdint>

namespace canon
{

// NEM's nemesis amount in whole XEM (NIS NemesisBlockInfo, mainnet).
constexpr uint64_t kNemSupplyWhole = 8999999999ULL;
// NIS BlockDifficulty.INITIAL_DIFFICULTY; the bounds are a tenth and ten times it.
constexpr uint64_t kNemInitialDifficulty = 100000000000000ULL;
// NIS's target block time in seconds, the unit the difficulty constants were set for.
constexpr uint64_t kNemTargetSeconds = 60;
// NIS: difficulty from the last 60 blocks (BlockScorer.NUM_BLOCKS_FOR_AVERAGE_CALCULATION).
constexpr uint32_t kPoiDifficultyWindow = 60;
// NIS minOutlinkWeight: 1,000 XEM, read as 1,000 CZR.
constexpr uint64_t kPoiOutlinkMinCzr = 1000;
// A day in seconds: NIS derives blocks per day from it.
constexpr TimeNs kDay = 86400 * kSecond;
// The longest target interval: keeps the difficulty arithmetic within 128 bits.
constexpr TimeNs kPoiTargetIntervalMax = 10 * kDay;

struct PoiRules
{
    uint64_t vestedMin = 0;           // units: harvest and enter the calculation at or above it
    uint64_t blocksPerDay = 1440;     // vesting step and outlink age unit
    uint64_t outlinkWindowBlocks = 0; // 30 days: outlinks this old or younger count
    uint64_t recomputeBlocks = 359;   // importances recomputed at multiples of this height
    uint64_t finalityDepth = 360;
    uint64_t supplyWhole = kTotalSupplyCzr; // effective importance = importance × this
    TimeNs tick = kSecond;                  // ChainParams::slotDuration
    TimeNs targetInterval = 60 * kSecond;
    uint64_t initialDifficulty = 0;
    uint64_t difficultyMin = 0;
    uint64_t difficultyMax = 0;
    PoiImportanceOptions importance; // NIS defaults, outlinkMin in units
};

// What makes PoiParams unusable, naming the field; Ok otherwise.
Status CheckPoiParams(const ChainParams& params);
// The rules of `params` (which CheckPoiParams accepts).
PoiRules MakePoiRules(const ChainParams& params);

} // namespace canon

#endif
