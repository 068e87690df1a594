// ConsensusChain: one node's view of the chain under its consensus protocol (PoP, PROTOCOL.md
// 2.2-2.4, or a Table 3 baseline, issue 14). It owns the block tree and the protocol's engine
// (consensus-engine.h), validates and inserts blocks, follows the engine's fork choice and tracks
// the node's last irreversible block (LIB). What differs between protocols is the engine's:
// who may produce, the protocol's rules after a block, fork weight and finality.
//
// Invariants: the LIB only moves forward along the best chain and fork choice never leaves it
// (branches without it are pruned, and blocks forking below the pruning point are rejected) —
// for protocols with deterministic finality (PoP, DPoS). For depth-rule finality (PoW, PoS, PoI)
// a reorg deeper than the rule is possible: it is counted and reported (finalityViolations), the
// LIB follows the best chain, and forks are kept PruneDepth blocks deep below the best tip.
// Single-threaded; owned by one Node.
//
// What a block gives (valid or not, the state after it, its consensus state, an election) is
// shared with every other chain of the process through the block outcome memo
// (block-outcome-memo.h says why that is safe); the checks that depend on this node run before it.
#ifndef CANONSIM_CONSENSUS_CONSENSUS_CHAIN_H
#define CANONSIM_CONSENSUS_CONSENSUS_CHAIN_H

#include "model/chain/block-tree.h"
#include "model/chain/chain-params.h"
#include "model/consensus/block-outcome-memo.h"
#include "model/consensus/consensus-engine.h"
#include "model/consensus/election.h"

#include <memory>
#include <vector>

namespace canon
{

struct AddBlockResult
{
    Status status;
    const BlockEntry* entry = nullptr;
    bool bestChanged = false;
    // Blocks that left the best chain (a reorg), tip first; their transactions may need the
    // mempool again.
    std::vector<BlockPtr> disconnected;
    // Blocks that became irreversible with this one, lowest first.
    std::vector<const BlockEntry*> newlyIrreversible;
    // An election this block announced, and whether it put a new producer set in force.
    std::shared_ptr<const ElectionOutcome> election;
    bool producerSetActivated = false;
    // Depth-rule finality only: how far below the old LIB the chain had to go back (0: none).
    uint64_t finalityViolationDepth = 0;
};

class ConsensusChain
{
  public:
    explicit ConsensusChain(std::shared_ptr<const ChainParams> params);
    // With a given engine (tests of the chain's protocol-neutral rules).
    ConsensusChain(std::shared_ptr<const ChainParams> params,
                   std::unique_ptr<ConsensusEngine> engine);

    const ChainParams& Params() const { return *m_params; }
    const ConsensusEngine& Engine() const { return *m_engine; }

    const BlockEntry* Best() const { return m_tree.Best(); }
    const BlockEntry* Lib() const { return m_lib; }
    const BlockEntry* Find(const Hash256& h) const { return m_tree.Find(h); }
    const BlockEntry* MainChainAt(uint64_t height) const { return m_tree.MainChainAt(height); }
    const LedgerState& BestState() const { return *m_tree.Best()->state; }
    std::size_t TreeSize() const { return m_tree.Size(); }
    // Reorgs that reverted a block this node had taken as irreversible (depth-rule finality).
    uint64_t FinalityViolations() const { return m_finalityViolations; }

    // The place, in the protocol's producer list, of the producer of `header` on `parent`.
    uint32_t ProducerFor(const BlockEntry* parent, const BlockHeader& header) const
    {
        return m_engine->ProducerIndex(*parent, header);
    }
    // Protocols with a schedule: the place of whoever must produce `slot` on top of `parent`.
    uint32_t ProducerFor(const BlockEntry* parent, uint64_t slot) const
    {
        const auto scheduled = m_engine->ScheduledProducerIndex(*parent, slot);
        CANON_ASSERT(scheduled.has_value(), "the protocol has no producer schedule");
        return *scheduled;
    }
    // Whether `key` may produce `slot` on top of `parent`.
    bool MayProduce(const BlockEntry* parent, const KeyPair& key, uint64_t slot) const
    {
        return m_engine->MayProduce(*parent, key, slot);
    }

    // The slot clock of the chain ending at `e` (T adopted by governance, rule-epochs.h); the
    // node times its slots by its best tip's.
    SlotClock ClockOn(const BlockEntry& e) const { return SlotClock(m_genesisRules, e.epochs); }
    SlotClock BestClock() const { return ClockOn(*m_tree.Best()); }
    // The CZC hash a transaction for the next block must carry: the one governance adopted on
    // the best chain, else the chain's schedule's (issue 18).
    Hash256 NextCzc() const
    {
        return BestState().Governance().ActiveCzc(m_params->CzcHashAt(Best()->height + 1));
    }
    // Cheap timing checks on a header before its parent is known: its slot has started and its
    // timestamp is that slot's start under the best tip's clock; or, since the parent's chain
    // may run other rules (a T adopted on one branch only, or not yet seen here), its timestamp
    // is not in the future and its slot not beyond what the shortest T governance allows could
    // reach. CheckHeader checks exactly, on the parent's chain.
    bool PlausibleTiming(const BlockHeader& h, TimeNs now) const;

    // Validates a block whose parent is known and inserts it. A kUnknownParent status means the
    // caller should fetch ancestors; kDuplicate that the block is already known.
    AddBlockResult AddBlock(BlockPtr block, std::size_t encodedSize, TimeNs now);

    // A block locator for sync: best-chain hashes at the tip, then at exponentially growing
    // distances back, ending with genesis. At most kLocatorMax entries.
    std::vector<Hash256> Locator() const;
    // What a peer behind us is missing: best-chain blocks after the highest locator hash we have
    // on our best chain, at most `maxBlocks` and about `maxBytes`.
    std::vector<BlockPtr> BlocksAfter(const std::vector<Hash256>& locator, uint32_t maxBlocks,
                                      std::size_t maxBytes) const;

  private:
    // The checks that depend on this node (its tree, its irreversible block, its clock), before
    // the shared outcome is looked up: on success `parent` is the block's parent.
    Status CheckPlace(const Block& block, const Hash256& hash, TimeNs now,
                      const BlockEntry*& parent) const;
    // Validation and the protocol's rules: a pure function of the entry's chain and the
    // parameters.
    BlockOutcomePtr ComputeOutcome(const BlockEntry& entry, TimeNs now) const;
    // The entry for a block whose place CheckPlace accepted, before its outcome is known.
    std::unique_ptr<BlockEntry> MakeEntry(BlockPtr block, const Hash256& hash,
                                          std::size_t encodedSize, const BlockEntry* parent) const;
    void AdvanceLib(AddBlockResult& result);
    // Depth-rule finality: the best chain's LIB is on another branch than this node's.
    void RevertLib(const BlockEntry* candidate, AddBlockResult& result);
    // Where forks are cut: the LIB, or PruneDepth below the best tip (depth-rule finality).
    const BlockEntry* PruneRoot() const;

    std::shared_ptr<const ChainParams> m_params;
    std::unique_ptr<ConsensusEngine> m_engine;
    Hash256 m_paramsDigest; // the genesis outcome key (ChainParamsDigest)
    RuleEpoch m_genesisRules;
    BlockTree m_tree;
    const BlockEntry* m_lib;
    uint64_t m_finalityViolations = 0;
};

constexpr std::size_t kLocatorMax = 64;

// The heights a block locator names, from `best` down: eight steps of one, then doubling, and
// always ending at 0 (genesis); at most kLocatorMax of them. Full and light nodes share it.
std::vector<uint64_t> LocatorHeights(uint64_t best);

} // namespace canon

#endif
