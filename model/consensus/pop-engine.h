// PopEngine: PoP (PROTOCOL.md 2.2-2.4, paper 3.1.3) behind the consensus seam. The schedule is
// producer-schedule.h's (a shuffled cycle of the active set per N slots), finality is
// finality.h's (floor(2N/3)+2 distinct producers), fork choice is the highest chain with the lower
// hash among equals, and after each valid block the PoP rules that live in chain state run:
// missed slots per producer, an election when a trigger fires (the first report voters have
// voted on, a contribution ranking that drifted, a producer that missed too many slots in a row,
// a slashed member) and the elected set in force once the block that announced it is
// irreversible on that chain.
//
// T and N adopted by governance (model/governance/rule-epochs.h) are read from the parent's
// chain: the schedule, missed slots and elections use the N of the block's slot, finality the
// threshold of that N, and the set elected for a new N is elected by the block that adopted it
// and takes over at the epoch's first block (a pending election of the old N is dropped then).
//
// PoP keeps its per-block annotations in BlockEntry itself (producerIndex, activeSet, lib), so
// its ConsensusState is null. Stateless and const; one per chain.
#ifndef CANONSIM_CONSENSUS_POP_ENGINE_H
#define CANONSIM_CONSENSUS_POP_ENGINE_H

#include "model/consensus/consensus-engine.h"

namespace canon
{

class PopEngine : public ConsensusEngine
{
  public:
    explicit PopEngine(const ChainParams& params);

    Protocol Kind() const override { return Protocol::kPop; }
    ConsensusStatePtr GenesisState(const ChainParams& params,
                                   const LedgerState& genesis) const override;
    std::optional<uint64_t> NextProductionSlot(const BlockEntry& parent, const PublicKey& key,
                                               uint64_t from, uint64_t horizon) const override;
    Bytes MakeProof(const BlockEntry& parent, const KeyPair& key, uint64_t slot,
                    const ProducerMemory& memory) const override;
    Status CheckProducer(const BlockEntry& parent, const BlockHeader& header) const override;
    ConsensusStatePtr Apply(const BlockEntry& entry, LedgerState& state,
                            ConsensusEffects& effects) const override;
    ForkWeight WeightOf(const BlockEntry& entry) const override;
    const BlockEntry* LibOf(const BlockEntry& entry) const override;
    bool DeterministicFinality() const override { return true; }
    uint32_t ProducerIndex(const BlockEntry& parent, const BlockHeader& header) const override;
    std::optional<uint32_t> ScheduledProducerIndex(const BlockEntry& parent,
                                                   uint64_t slot) const override;

    // N at genesis (governance may change it: RulesAt).
    uint32_t ProducerCount() const { return m_n; }
    // Distinct producers that make a block irreversible under the genesis N.
    uint32_t Threshold() const { return m_threshold; }
    // The slot clock of the chain ending at `e`, and the finality threshold under N = n.
    SlotClock ClockOn(const BlockEntry& e) const;
    uint32_t ThresholdFor(uint32_t n) const;

  private:
    // Every slot skipped since the parent was someone's: count it against them.
    void CountMissedSlots(const BlockEntry& entry, PopState& pop) const;
    // The election trigger this block fires, if any; `missedRun` names a producer whose run of
    // missed slots fired it.
    std::string ElectionTrigger(const BlockEntry& entry, const PopState& pop,
                                const PublicKey*& missedRun) const;

    // The adopting block elects the set of a new N; the epoch's first block puts it in force.
    void ElectForEpoch(const BlockEntry& entry, LedgerState& state,
                       ConsensusEffects& effects) const;
    void SwitchEpoch(const BlockEntry& entry, const SlotClock& clock, PopState& pop,
                     ConsensusEffects& effects) const;

    const ChainParams& m_params;
    RuleEpoch m_genesisRules;
    uint32_t m_n;
    uint32_t m_threshold;
};

} // namespace canon

#endif
