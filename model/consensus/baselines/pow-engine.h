// PowEngine: Nakamoto proof of work behind the consensus seam (issue 14,
// model/consensus/baselines/NOTES.md 4), without hashing.
//
// Mining: the miners are ConsensusParams::members with relative hash power PowParams::hashPower
// (empty: equal). At difficulty D miner i finds blocks as a Poisson process of rate
//   lambda_i = share_i / meanInterval * kPowGenesisDifficulty / D,
// drawn tick by tick (a tick is ChainParams::slotDuration) by PowSuccessTicks (pow-mining.h says
// why that is exact, verifiable and not grindable). A header's slot must be a success tick of its
// producer on its parent; the header carries no proof (everything the right depends on, parent,
// producer and slot, is already signed in it). The tick should be short against the interval:
// miners that succeed in the same tick cannot see each other's blocks, so even without
// propagation delay about (1 - h) tick / (2 T) of the blocks go stale (0.24% for 50 ms ticks
// and T = 10 s; pow-network-test.cc).
//
// State (PowState): the block's difficulty, the chain's cumulative work and the slot that opened
// the current retarget window (pow-difficulty.h). Fork choice: most cumulative work
// (ForkWeight::primary); among equal work the tip the node saw first (FirstSeenWins), as in
// Bitcoin, which is what gives selfish mining's gamma its meaning (NOTES.md 4.3). Gamma
// (PowParams::gamma) is no rule of the engine: honest nodes keep the first seen, and gamma is
// what the network makes of that in a race (pow-selfish.h gives the revenue it implies).
//
// Finality is probabilistic: the irreversible block of a chain is its block with k =
// PowParams::confirmations confirmations, the tip counting as one (Bitcoin's wallet count, so
// k = 6 leaves 5 blocks on top). A deeper reorg is possible and is a measured event, not a broken
// invariant (DeterministicFinality false). Forks are kept PruneDepth = max(4k, kPowPruneDepthMin)
// blocks deep: a partition that heals, or a selfish miner's private branch, must still find its
// fork point, or the chain would be stuck on a minority branch by construction.
//
// Stale blocks (model/chain/block-fate.h): valid blocks that are not on the final main chain.
//
// Const and stateless like every engine; the parameters are copied in at construction and were
// checked by ValidatePowParams.
#ifndef CANONSIM_CONSENSUS_BASELINES_POW_ENGINE_H
#define CANONSIM_CONSENSUS_BASELINES_POW_ENGINE_H

#include "model/consensus/consensus-engine.h"

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace canon
{

// Bounds checked by ValidatePowParams: (kPowRetargetBlocksMax - 1) * kPowMeanIntervalMax fits
// a TimeNs; the longest interval is the scenario reader's (100 times the longest slot).
constexpr TimeNs kPowMeanIntervalMax = 100 * 3600 * kSecond;
constexpr uint32_t kPowRetargetBlocksMax = 10000;
constexpr uint32_t kPowConfirmationsMax = 10000;
constexpr uint64_t kPowPruneDepthMin = 128;
// A miner plans this many mean intervals ahead (PlanningHorizon).
constexpr uint64_t kPowPlanningIntervals = 1000;

// The consensus state of a block on a PoW chain; immutable.
struct PowState : ConsensusState
{
    uint64_t difficulty = 0;      // this block's (genesis: kPowGenesisDifficulty)
    uint64_t work = 0;            // cumulative difficulty from genesis (genesis: 0)
    uint64_t windowStartSlot = 0; // slot of the block that opened this retarget window
};

// Everything PowEngine relies on; the error names the field. Scenario readers call it to report
// bad input; MakePowEngine asserts it.
Status ValidatePowParams(const ChainParams& params);

class PowEngine final : public ConsensusEngine
{
  public:
    explicit PowEngine(const ChainParams& params);

    Protocol Kind() const override { return Protocol::kPow; }
    // The members: PoW has no producer schedule.
    std::vector<PublicKey> GenesisProducerSet(const ChainParams& params) const override;
    ConsensusStatePtr GenesisState(const ChainParams& params,
                                   const LedgerState& genesis) const override;

    std::optional<uint64_t> NextProductionSlot(const BlockEntry& parent, const PublicKey& key,
                                               uint64_t from, uint64_t horizon) const override;
    uint64_t PlanningHorizon() const override;
    Bytes MakeProof(const BlockEntry& parent, const KeyPair& key, uint64_t slot,
                    const ProducerMemory& memory) const override;

    Status CheckProducer(const BlockEntry& parent, const BlockHeader& header) const override;
    ConsensusStatePtr Apply(const BlockEntry& entry, LedgerState& state,
                            ConsensusEffects& effects) const override;

    ForkWeight WeightOf(const BlockEntry& entry) const override;
    bool FirstSeenWins() const override { return true; }
    const BlockEntry* LibOf(const BlockEntry& entry) const override;
    bool DeterministicFinality() const override { return false; }
    uint64_t PruneDepth() const override;

    // The producer's place in ConsensusParams::members; the member count for a key that is not a
    // member (asked before validation: such a block then fails CheckProducer).
    uint32_t ProducerIndex(const BlockEntry& parent, const BlockHeader& header) const override;
    uint64_t NominalIntervalSlots() const override;
    // The members' hash shares (they sum to 1; the same at every tip).
    std::vector<double> MemberWeights(const BlockEntry& tip) const override;

    // PoW specifics, for tests, the trace and adversaries.
    static const PowState& StateOf(const BlockEntry& entry);
    // The difficulty of a block built on `parent` (retargeting at window ends).
    uint64_t ChildDifficulty(const BlockEntry& parent) const;
    // r = lambda * tick of miner `index` at `difficulty`.
    double RatePerTick(uint32_t index, uint64_t difficulty) const;
    // The place of `key` in ConsensusParams::members, or nothing.
    std::optional<uint32_t> MinerIndex(const PublicKey& key) const;

  private:
    TimeNs m_tick;
    TimeNs m_meanInterval;
    uint32_t m_confirmations;
    uint32_t m_retargetBlocks;
    std::vector<double> m_shares;   // hash power over its sum, per member
    std::vector<double> m_baseRate; // share_i * tick / meanInterval, per member
    std::map<PublicKey, uint32_t> m_index;
};

// The engine of a PoW chain; `params` must pass ValidatePowParams.
std::unique_ptr<ConsensusEngine> MakePowEngine(const ChainParams& params);

} // namespace canon

#endif
