// ConsensusEngine: the seam between what every protocol shares (the block tree, validation of
// transactions, the node, mempool, gossip, sync, both engines, the trace) and what differs
// between PoP and the Table 3 baselines (issue 14): who may produce in which slot on which chain
// and how the header proves it, the protocol's rules after a block, fork choice, and finality.
//
// One engine object serves every chain of a run: engines are stateless and const; whatever a
// protocol remembers per block lives in that block's ConsensusState, which is immutable and a
// pure function of the block's chain and the parameters. That is what lets the block outcome
// memo share it between nodes (block-outcome-memo.h) and what makes fork choice and finality
// functions of a BlockEntry alone.
//
// Call order in the chain (consensus-chain.cc): duplicate, unknown parent, below the
// irreversible block and from-the-future (node-specific, first) → CheckProducer → transactions
// (ValidateBlock) → Apply → WeightOf, LibOf → insert → finality. A producer calls
// NextProductionSlot to learn when it may produce and MakeProof to fill the header.
#ifndef CANONSIM_CONSENSUS_CONSENSUS_ENGINE_H
#define CANONSIM_CONSENSUS_CONSENSUS_ENGINE_H

#include "model/chain/block-tree.h"
#include "model/chain/chain-params.h"
#include "model/consensus/election.h"

#include <memory>
#include <optional>

namespace canon
{

// What a block's production changed in consensus terms, for the node's events and the trace.
struct ConsensusEffects
{
    std::shared_ptr<const ElectionOutcome> election;            // an election it announced
    std::shared_ptr<const std::vector<PublicKey>> activatedSet; // a producer set it put in force
};

// What the producer itself knows and the chain does not: the last slot and height it signed
// (DPoS confirmations count back to the producer's own last block).
struct ProducerMemory
{
    uint64_t lastSignedSlot = 0;
    uint64_t lastSignedHeight = 0;
};

class ConsensusEngine
{
  public:
    virtual ~ConsensusEngine() = default;

    virtual Protocol Kind() const = 0;

    // The producer set in force at genesis (BlockEntry::activeSet): PoP's and DPoS's genesis
    // producers; the members for protocols without a schedule.
    virtual std::vector<PublicKey> GenesisProducerSet(const ChainParams& params) const
    {
        return params.producers;
    }
    // The consensus state of genesis.
    virtual ConsensusStatePtr GenesisState(const ChainParams& params,
                                           const LedgerState& genesis) const = 0;

    // The first slot in [from, from + horizon) in which `key` may produce on top of `parent`,
    // or nothing. Slot protocols answer for one slot at a time (horizon 1); PoW plans ahead.
    virtual std::optional<uint64_t> NextProductionSlot(const BlockEntry& parent,
                                                       const PublicKey& key, uint64_t from,
                                                       uint64_t horizon) const = 0;
    // Whether the holder of `key` may produce `slot` on top of `parent`. By default the public
    // answer of NextProductionSlot; a protocol whose right stays private until its holder signs
    // (PoS: a keyed leader election) overrides it.
    virtual bool MayProduce(const BlockEntry& parent, const KeyPair& key, uint64_t slot) const
    {
        return NextProductionSlot(parent, key.Public(), slot, 1) == slot;
    }
    // How far ahead a producer asks (1: it asks every tick).
    virtual uint64_t PlanningHorizon() const { return 1; }
    // The protocol bytes of a header the holder of `key` produces in `slot` on `parent`
    // (BlockHeader::proof; empty for protocols whose right follows from the chain).
    virtual Bytes MakeProof(const BlockEntry& parent, const KeyPair& key, uint64_t slot,
                            const ProducerMemory& memory) const = 0;

    // The header's producer may produce its slot on `parent`, and its proof holds. A pure
    // function of the parent's chain, the parameters and the header.
    virtual Status CheckProducer(const BlockEntry& parent, const BlockHeader& header) const = 0;
    // After the block's transactions applied to `state`: the protocol's rules on the ledger
    // state, and the block's consensus state. `entry` has its block, parent and height set.
    virtual ConsensusStatePtr Apply(const BlockEntry& entry, LedgerState& state,
                                    ConsensusEffects& effects) const = 0;

    // Fork choice weight of the chain ending at `entry` (its consensus state is set).
    virtual ForkWeight WeightOf(const BlockEntry& entry) const = 0;
    // Among equal weights: the lower hash (false), or the tip seen first (true, PoW).
    virtual bool FirstSeenWins() const { return false; }
    // The last irreversible block seen from the chain ending at `entry` (state and parent set).
    virtual const BlockEntry* LibOf(const BlockEntry& entry) const = 0;
    // True when a block once irreversible can never be reverted by honest nodes (PoP, DPoS);
    // false when irreversibility is a depth rule (PoW, PoS, PoI): a deeper reorg is then a
    // measured event, not a broken invariant.
    virtual bool DeterministicFinality() const = 0;
    // How deep below the best tip a probabilistic chain keeps forks (DeterministicFinality:
    // unused, the chain prunes at its irreversible block).
    virtual uint64_t PruneDepth() const { return 0; }

    // The place of `header`'s producer in the protocol's producer list, for the trace (PoP: the
    // active set of the slot's cycle; the baselines: ConsensusParams::members).
    virtual uint32_t ProducerIndex(const BlockEntry& parent, const BlockHeader& header) const = 0;
    // Protocols with a schedule (PoP, DPoS): the place of whoever must produce `slot` on top of
    // `parent`, so that an empty slot is a missed slot of someone. Others: nothing.
    virtual std::optional<uint32_t> ScheduledProducerIndex(const BlockEntry& /*parent*/,
                                                           uint64_t /*slot*/) const
    {
        return std::nullopt;
    }
    // The mean number of slots between blocks: a node whose tip is older than a few of these
    // asks its peers for blocks.
    virtual uint64_t NominalIntervalSlots() const { return 1; }
    // Each member's weight in the protocol at `tip` (ConsensusParams::members order: hash share,
    // stake, votes, importance), for the trace's producer_weights and the fairness measures;
    // empty for PoP, whose weight is the CZR score the trace holds anyway.
    virtual std::vector<double> MemberWeights(const BlockEntry& /*tip*/) const { return {}; }
};

// The engine of `params.consensus.protocol`; null when this build has none for it.
std::unique_ptr<ConsensusEngine> MakeConsensusEngine(const ChainParams& params);
// Whether this build has an engine for `protocol` (scenario checks ask before a run).
bool HasConsensusEngine(Protocol protocol);

} // namespace canon

#endif
