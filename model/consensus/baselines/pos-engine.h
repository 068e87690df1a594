// PosEngine: chain-based proof of stake in the style of Ouroboros Praos (issue 14,
// model/consensus/baselines/NOTES.md 3) behind the consensus seam.
//
// - Slots of ChainParams::slotDuration. In each slot every stakeholder (ConsensusParams::members)
//   leads with probability 1 - (1 - f)^alpha, decided by its deterministic ed25519 signature of
//   (domain, epoch nonce, slot), hashed (pos-leader.h, which also states the limitation: a
//   signer that does not sign deterministically can grind; honest nodes here never do, and no
//   adversary of this testbed grinds). The 64-byte signature is BlockHeader::proof.
// - Stake and randomness per epoch of `pos.epochSlots` slots: the snapshot two epochs back and
//   the evolving epoch nonce, kept in PosState (pos-state.h, which states the readings).
// - Fork choice: the longest chain (weight = height), ties to the lower hash. Finality: a block
//   is final once `pos.confirmations` (k) blocks are built on it; probabilistic, so a deeper
//   reorg is a measured event (DeterministicFinality false), and forks are kept 4k blocks below
//   the tip (PruneDepth).
//
// The engine is const and holds only what it derives from the parameters: f, k, the epoch
// arithmetic and the members with a key -> index map. Parameters must pass CheckPosParams
// (pos-leader.h), which the constructor asserts: the scenario checks bound f, k and the epoch
// length, and run genesis makes the members distinct, funded full nodes; a driver that builds
// parameters otherwise calls CheckPosParams first.
//
// Whether a stakeholder leads a slot stays private until it signs: NextProductionSlot answers the
// public part (a slot after the parent's in which the key holds stake), MayProduce and
// NextLeaderSlot the exact answer for the holder of the key, which nodes use. MakeProof returns
// an empty proof when the key does not lead the slot (a header with it fails CheckProducer).
#ifndef CANONSIM_CONSENSUS_BASELINES_POS_ENGINE_H
#define CANONSIM_CONSENSUS_BASELINES_POS_ENGINE_H

#include "model/consensus/baselines/pos-state.h"
#include "model/consensus/consensus-engine.h"

#include <functional>
#include <map>

namespace canon
{

class PosEngine : public ConsensusEngine
{
  public:
    explicit PosEngine(const ChainParams& params);

    Protocol Kind() const override { return Protocol::kPos; }
    // No schedule: every stakeholder may produce.
    std::vector<PublicKey> GenesisProducerSet(const ChainParams& params) const override
    {
        return params.consensus.members;
    }
    ConsensusStatePtr GenesisState(const ChainParams& params,
                                   const LedgerState& genesis) const override;

    std::optional<uint64_t> NextProductionSlot(const BlockEntry& parent, const PublicKey& key,
                                               uint64_t from, uint64_t horizon) const override;
    // The first slot in [from, from + horizon) that the holder of `key` leads on `parent`.
    std::optional<uint64_t> NextLeaderSlot(const BlockEntry& parent, const KeyPair& key,
                                           uint64_t from, uint64_t horizon) const;
    // The keyed check: whether the holder of `key` leads `slot` on `parent`.
    bool MayProduce(const BlockEntry& parent, const KeyPair& key, uint64_t slot) const override
    {
        return NextLeaderSlot(parent, key, slot, 1) == slot;
    }
    Bytes MakeProof(const BlockEntry& parent, const KeyPair& key, uint64_t slot,
                    const ProducerMemory& memory) const override;

    Status CheckProducer(const BlockEntry& parent, const BlockHeader& header) const override;
    ConsensusStatePtr Apply(const BlockEntry& entry, LedgerState& state,
                            ConsensusEffects& effects) const override;

    ForkWeight WeightOf(const BlockEntry& entry) const override;
    const BlockEntry* LibOf(const BlockEntry& entry) const override;
    bool DeterministicFinality() const override { return false; }
    uint64_t PruneDepth() const override;

    // The producer's place in ConsensusParams::members; members.size() for a key that is not a
    // member (such a header never passes CheckProducer).
    uint32_t ProducerIndex(const BlockEntry& parent, const BlockHeader& header) const override;
    uint64_t NominalIntervalSlots() const override;
    // Each member's relative stake alpha in the snapshot that draws the leaders of `tip`'s epoch.
    std::vector<double> MemberWeights(const BlockEntry& tip) const override;

    // The election inputs of `slot` for a block built on `parent` (tests, the trace).
    EpochView ViewFor(const BlockEntry& parent, uint64_t slot) const;
    const PosEpochs& Epochs() const { return m_epochs; }
    // The PoS state of an entry of a PoS chain.
    static const PosState& StateOf(const BlockEntry& entry);

  private:
    using SlotTest = std::function<bool(uint64_t slot, const EpochView& view)>;
    // The first slot in [max(from, parent.slot + 1), from + horizon) in which member `index`
    // holds stake and `test` holds; epochs in which it holds none are skipped whole.
    std::optional<uint64_t> FirstSlot(const BlockEntry& parent, uint32_t index, uint64_t from,
                                      uint64_t horizon, const SlotTest& test) const;
    std::optional<uint32_t> MemberIndex(const PublicKey& key) const;
    SnapshotSource SnapshotAt(const BlockEntry& parent) const;
    Status CheckLeader(const EpochView& view, uint32_t index, const BlockHeader& header) const;
    // The proof of the holder of `key` (member `index`) if it leads `slot` under `view`.
    std::optional<Signature> LeaderProof(const EpochView& view, uint32_t index, const KeyPair& key,
                                         uint64_t slot) const;

    PosParams m_pos;
    PosEpochs m_epochs;
    std::vector<PublicKey> m_members;
    std::map<PublicKey, uint32_t> m_index;
};

std::unique_ptr<ConsensusEngine> MakePosEngine(const ChainParams& params);

} // namespace canon

#endif
