// PoiEngine: NEM's proof of importance (NIS at NemProject/nem a67b9943,
// model/consensus/baselines/NOTES.md 2) behind CanonSim's consensus seam.
//
// Harvesters are ConsensusParams::members. A member may harvest a block on a parent when its
// account holds importance in the parent's table (its vested balance reached vestedMin at the
// last recompute); its chance to win each block is its importance over that of the harvesters
// racing it, through NEM's hit/target rule (poi-harvest.h). The slot is a tick; the header's
// timestamp is its start; headers carry no proof (the generation hash lives in the PoI state).
// Fork choice: the higher cumulative score Σ(D − Δt) (128 bits, as ForkWeight's primary and
// secondary words). Finality: finalityDepth blocks deep, probabilistic (NIS never rolls back
// more than 360 blocks); forks are kept 4 finality depths deep so deeper reorgs stay possible
// and measurable.
//
// Stateless and const: all per-chain data is in each block's PoiState (poi-state.h).
#ifndef CANONSIM_CONSENSUS_BASELINES_POI_ENGINE_H
#define CANONSIM_CONSENSUS_BASELINES_POI_ENGINE_H

#include "model/consensus/baselines/poi-rules.h"
#include "model/consensus/baselines/poi-state.h"
#include "model/consensus/consensus-engine.h"

#include <map>
#include <memory>

namespace canon
{

// How far ahead a harvester plans (ticks): about 12 days of 1 s ticks, longer than any wait at
// a difficulty the rules allow for an account with importance worth harvesting.
constexpr uint64_t kPoiPlanningHorizon = uint64_t{1} << 20;
// ProducerIndex of a key outside ConsensusParams::members.
constexpr uint32_t kPoiNotAMember = UINT32_MAX;

class PoiEngine : public ConsensusEngine
{
  public:
    // `params` must pass CheckPoiParams.
    explicit PoiEngine(const ChainParams& params);

    Protocol Kind() const override { return Protocol::kPoi; }
    // The harvesters: ConsensusParams::members.
    std::vector<PublicKey> GenesisProducerSet(const ChainParams& params) const override
    {
        return params.consensus.members;
    }
    ConsensusStatePtr GenesisState(const ChainParams& params,
                                   const LedgerState& genesis) const override;
    std::optional<uint64_t> NextProductionSlot(const BlockEntry& parent, const PublicKey& key,
                                               uint64_t from, uint64_t horizon) const override;
    uint64_t PlanningHorizon() const override { return kPoiPlanningHorizon; }
    Bytes MakeProof(const BlockEntry& parent, const KeyPair& key, uint64_t slot,
                    const ProducerMemory& memory) const override;
    Status CheckProducer(const BlockEntry& parent, const BlockHeader& header) const override;
    ConsensusStatePtr Apply(const BlockEntry& entry, LedgerState& state,
                            ConsensusEffects& effects) const override;
    ForkWeight WeightOf(const BlockEntry& entry) const override;
    const BlockEntry* LibOf(const BlockEntry& entry) const override;
    bool DeterministicFinality() const override { return false; }
    uint64_t PruneDepth() const override { return 4 * m_rules.finalityDepth; }
    uint32_t ProducerIndex(const BlockEntry& parent, const BlockHeader& header) const override;
    uint64_t NominalIntervalSlots() const override;
    // Each member's importance in the table its children harvest with.
    std::vector<double> MemberWeights(const BlockEntry& tip) const override;

    const PoiRules& Rules() const { return m_rules; }
    // The fewest ticks after `parent` at which `key` may harvest on it; nothing when the key is
    // not a member or holds no importance there.
    std::optional<uint64_t> TicksToHarvest(const BlockEntry& parent, const PublicKey& key) const;

  private:
    PoiRules m_rules;
    std::map<PublicKey, uint32_t> m_memberIndex;
};

std::unique_ptr<ConsensusEngine> MakePoiEngine(const ChainParams& params);

} // namespace canon

#endif
