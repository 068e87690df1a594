// Who may harvest a PoI block when (NEM NIS BlockScorer, BlockDifficultyScorer;
// model/consensus/baselines/NOTES.md 2.6-2.7), in ticks (poi-rules.h).
//
// - Generation hash of a block = H(parent's generation hash ‖ harvester key); genesis's is a hash
//   of the genesis block's hash. H is CanonSim's BLAKE2b-256 with a domain tag (NEM: SHA3-256).
//   It depends on neither time nor content, so each harvester holds one ticket per parent.
// - Hit = floor(2^54 · |ln(g / 2^64)|), g the generation hash's first 8 bytes read big-endian
//   (NIS divides the whole 256-bit hash by 2^256 in a double, which keeps about the same 53
//   bits); g = 0 is read as 1. hit / 2^54 is then Exp(1)-distributed.
// - Target after Δt ticks = floor(Δt · E · 2^64 / D), E the effective importance, D the block's
//   difficulty. A block Δt ticks after its parent is valid iff hit < target. The first such Δt
//   is ceil((hit + 1) · D / (E · 2^64)) (target grows linearly in Δt), so harvester k's wait is
//   about Exp(1) · D / (1024 E_k) ticks: an exponential race won with probability E_k / Σ E.
// - Difficulty of a block: from the (difficulty, slot) of the up to 60 blocks ending at its
//   parent: fewer than two, the initial difficulty; else avg(D) · target · (n − 1) / (slot span),
//   then within 5% of the newest difficulty (NIS's integer 19/20 and 21/20), then within the
//   rules' bounds.
// - Block score = D − Δt; a chain's score is the sum (NIS fork choice).
// All integer arithmetic but the hit's logarithm (std::log on a double, deterministic on one
// platform; NIS has the same dependency on Java's Math.log).
#ifndef CANONSIM_CONSENSUS_BASELINES_POI_HARVEST_H
#define CANONSIM_CONSENSUS_BASELINES_POI_HARVEST_H

#include "model/consensus/baselines/poi-rules.h"
#include "model/core/hash.h"
#include "model/core/keys.h"

#include <optional>
#include <vector>

namespace canon
{

Hash256 PoiGenesisGenerationHash(const Hash256& genesisHash);
Hash256 PoiGenerationHash(const Hash256& parentGenerationHash, const PublicKey& harvester);

uint64_t PoiHit(const Hash256& generationHash);
// hit < floor(ticks · effectiveImportance · 2^64 / difficulty); difficulty > 0.
bool PoiHitsTarget(uint64_t hit, uint64_t ticks, uint64_t effectiveImportance, uint64_t difficulty);
// The fewest ticks (>= 1) after the parent at which PoiHitsTarget holds; nothing for an
// effective importance of 0.
std::optional<uint64_t> PoiTicksToHit(uint64_t hit, uint64_t effectiveImportance,
                                      uint64_t difficulty);

// One block of the difficulty window.
struct PoiBlockTime
{
    uint64_t difficulty = 0;
    uint64_t slot = 0;
};
// The difficulty of the next block from `window`, oldest first, at most kPoiDifficultyWindow
// blocks ending at the parent; slots strictly increasing.
uint64_t PoiNextDifficulty(const std::vector<PoiBlockTime>& window, const PoiRules& rules);

// D − Δt, at least 0.
uint64_t PoiBlockScore(uint64_t difficulty, uint64_t ticks);

} // namespace canon

#endif
