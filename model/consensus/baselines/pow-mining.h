// PowSuccessTicks: when one miner finds a block on one parent, under PoW without hashing
// (issue 14, model/consensus/baselines/NOTES.md 4.1).
//
// Miner i mines at rate lambda_i (its share of the hash power over the mean block interval at the
// current difficulty). Time is cut into ticks (ChainParams::slotDuration, short for PoW); the
// miner succeeds in a tick with probability p = 1 - exp(-r), r = lambda_i * tick, independently
// per tick: exactly the chance that its Poisson process has an event in that tick. Its success
// ticks on a parent P form a Bernoulli(p) process that depends only on P's hash, P's slot, the
// miner's key and r:
//
// - Chunks. The ticks after P.slot are cut into chunks of K = ceil(kPowChunkSuccesses / r) ticks
//   (at most kPowChunkTicksMax), so a chunk holds about kPowChunkSuccesses successes. Chunk c
//   covers the ticks (P.slot + cK, P.slot + (c+1)K]. Its successes are start + G1,
//   start + G1 + G2, ... up to the chunk's end, where each gap G = max(1, ceil(E / r)) with
//   E ~ Exp(1) is Geometric(p) on {1, 2, ...}; the draws come from an Rng seeded by
//   BLAKE2b("canonsim/pow/ticks", P.hash, key, c). Chunks are independent and each is a
//   Bernoulli(p) process on its ticks, so the whole is one.
// - Memoryless. The first success after any tick t is geometric from t whatever came before, so
//   a miner that moves to a new parent just takes its first success there after the move; a
//   redraw on every tip change is exact, not an approximation.
// - Verifiable at bounded cost. Whether a tick is a success replays one chunk: about
//   kPowChunkSuccesses draws and never more than K, for any header, honest or forged, however
//   far its slot lies from its parent's. (Replaying from P.slot instead would cost in proportion
//   to the distance, which a late but honest block can make large.)
// - Not grindable. The draws depend on nothing the miner chooses: not the block's contents, not
//   its transactions, only the parent and the miner's own key.
// Two powers real miners lack, which no check can take away (the model's price):
// - Predictable: the seed is public, so anyone can compute any miner's future success ticks on
//   any parent.
// - Parallel: a miner's streams on different parents are independent and each runs at its full
//   rate, so a miner that mined on k parents at once would have k times its hash power (real
//   hash power is split between the parents it works on).
// Honest nodes only ever ask for their own next success on their one tip. An adversary strategy
// must do no more (Eyal and Sirer's selfish miner mines on one tip and looks no further than its
// own next block), or it measures an attack that real PoW does not allow.
//
// A value type; immutable after construction; cheap (a hash per chunk visited, a few draws).
#ifndef CANONSIM_CONSENSUS_BASELINES_POW_MINING_H
#define CANONSIM_CONSENSUS_BASELINES_POW_MINING_H

#include "model/core/hash.h"
#include "model/core/keys.h"
#include "model/core/rng.h"

#include <cstdint>
#include <optional>

namespace canon
{

// Mean successes per chunk: a verification replays about this many draws.
constexpr uint64_t kPowChunkSuccesses = 8;
// The longest chunk (a miner with a vanishing rate); keeps chunk arithmetic far from overflow.
constexpr uint64_t kPowChunkTicksMax = 1ULL << 40;

class PowSuccessTicks
{
  public:
    // `ratePerTick` is r = lambda * tick; r <= 0 (or not finite) means the miner never succeeds.
    PowSuccessTicks(const Hash256& parentHash, uint64_t parentSlot, const PublicKey& miner,
                    double ratePerTick);

    // The first success tick in [from, from + horizon) (the end saturates at 2^64 - 1), or
    // nothing. Ticks at or before the parent's slot never succeed.
    std::optional<uint64_t> FirstIn(uint64_t from, uint64_t horizon) const;
    // Whether `tick` is a success tick.
    bool IsSuccess(uint64_t tick) const;

    // K, the chunk length in ticks (0 when the miner never succeeds).
    uint64_t ChunkTicks() const { return m_chunkTicks; }

  private:
    // The first success at or after `lo` in chunk `chunk` (lo lies in it), or nothing.
    std::optional<uint64_t> FirstInChunk(uint64_t chunk, uint64_t lo) const;
    // One geometric gap, capped at m_chunkTicks + 1 (past any chunk's end).
    uint64_t DrawGap(Rng& rng) const;

    Hash256 m_parentHash;
    uint64_t m_parentSlot;
    PublicKey m_miner;
    double m_rate;
    uint64_t m_chunkTicks;
};

} // namespace canon

#endif
