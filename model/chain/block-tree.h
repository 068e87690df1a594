// The tree of valid blocks a node knows, rooted at genesis, with fork choice (the rule itself in
// fork-choice.h): the best tip has the highest fork weight, which the consensus engine computes
// (PoP: the height, PROTOCOL.md 2.4); among equal weights the lower hash wins, or, for protocols
// that say so (PoW), the tip seen first.
//
// Ownership: the tree owns its entries; pointers to entries stay valid until the entry is
// pruned, and an entry is only pruned when it cannot be on any chain the node will follow (it
// does not descend from the irreversible block). Ancestors of a live entry are never pruned.
//
// Each entry carries the ledger state after it while the node may still build on it; once a
// block is buried below the irreversible block its state is dropped (only the irreversible block
// keeps one). States are immutable and shared, with other entries (structurally, see
// ledger-state.h) and with other nodes of the process (the block outcome memo). The consensus
// annotations (producer index, the chain's last irreversible block) are filled in by the consensus
// layer before insertion.
#ifndef CANONSIM_CHAIN_BLOCK_TREE_H
#define CANONSIM_CHAIN_BLOCK_TREE_H

#include "model/chain/block.h"
#include "model/chain/fork-choice.h"
#include "model/chain/ledger-state.h"

#include <memory>
#include <unordered_map>
#include <vector>

namespace canon
{

// A protocol's immutable per-block consensus state (model/consensus/consensus-engine.h): one
// subclass per protocol, a pure function of the block's chain and the chain parameters.
struct ConsensusState
{
    virtual ~ConsensusState() = default;
};
using ConsensusStatePtr = std::shared_ptr<const ConsensusState>;

struct BlockEntry
{
    BlockPtr block;
    Hash256 hash{};
    uint64_t height = 0;
    uint64_t slot = 0;
    std::size_t encodedSize = 0;
    const BlockEntry* parent = nullptr;
    // Shared with every node that holds the block (consensus/block-outcome-memo.h); immutable.
    std::shared_ptr<const LedgerState> state; // null once buried below the irreversible block
    // What `state` is a function of: the chain of blocks from genesis and the chain parameters
    // (BlockOutcomeKey). Filled in by the consensus layer.
    Hash256 outcomeKey{};
    // Consensus annotations, filled in by the consensus layer before insertion.
    ConsensusStatePtr consensus; // shared like `state`; kept while the entry lives
    ForkWeight weight;
    PublicKey producer{};
    uint32_t producerIndex = 0; // the producer's place in the active set of its cycle
    // The producer set in force on the chain ending here (genesis: ChainParams::producers). A
    // new set replaces it once the block that announced it is irreversible on this chain.
    std::shared_ptr<const std::vector<PublicKey>> activeSet;
    // The last irreversible block as seen from the chain ending here (itself for genesis).
    const BlockEntry* lib = nullptr;
    // T and N adopted by governance on the chain ending here (model/governance/rule-epochs.h):
    // the state's, kept when the state is buried, so the chain's clock is known at every entry.
    RuleEpochs epochs;
};

class BlockTree
{
  public:
    // `firstSeenWins`: the tie rule among equal fork weights (fork-choice.h).
    explicit BlockTree(std::unique_ptr<BlockEntry> genesis, bool firstSeenWins = false);

    const BlockEntry* Find(const Hash256& hash) const;
    const BlockEntry* Genesis() const { return m_genesis; }
    const BlockEntry* Best() const { return m_best; }
    // The block at `height` on the best chain, or nullptr.
    const BlockEntry* MainChainAt(uint64_t height) const;
    // Walks from `e` to its ancestor at `height` (e itself when equal); nullptr if above e.
    static const BlockEntry* AncestorAt(const BlockEntry* e, uint64_t height);
    // Fork choice: true when a is preferred to b (IsBetterTip, fork-choice.h).
    bool IsBetter(const BlockEntry& a, const BlockEntry& b) const
    {
        return IsBetterTip(a, b, m_firstSeenWins);
    }

    // Inserts an entry whose parent is in the tree. Returns the stored entry. Updates the best
    // tip; `disconnected` receives the blocks that left the best chain, tip first.
    const BlockEntry* Insert(std::unique_ptr<BlockEntry> entry,
                             std::vector<const BlockEntry*>* disconnected);

    // After the irreversible block moved to `lib` (on the best chain): removes every entry that
    // does not descend from it and drops states buried below it.
    void PruneTo(const BlockEntry* lib);

    std::size_t Size() const { return m_entries.size(); }

  private:
    void SetBest(const BlockEntry* best, std::vector<const BlockEntry*>* disconnected);

    std::unordered_map<Hash256, std::unique_ptr<BlockEntry>, Hash256Hasher> m_entries;
    // Entries above the pruning point, in insertion order; the only ones pruning looks at.
    std::vector<BlockEntry*> m_unpruned;
    std::vector<const BlockEntry*> m_mainChain; // by height
    const BlockEntry* m_genesis = nullptr;
    const BlockEntry* m_best = nullptr;
    const BlockEntry* m_pruneRoot = nullptr;
    bool m_firstSeenWins = false;
};

} // namespace canon

#endif
