// PopChain: one node's view of the chain under PoP (PROTOCOL.md 2.2-2.4). It owns the block
// tree, decides which producer each slot belongs to on each chain, validates and inserts blocks,
// follows fork choice and tracks the node's last irreversible block (LIB). After each valid
// block it applies the PoP rules that live in chain state: it counts missed slots per producer,
// runs an election when a trigger fires (the first report that voters have voted on, a
// contribution ranking that drifted, a producer that missed too many slots in a row) and puts the
// elected set in force once the block that announced it is irreversible on that chain.
//
// Invariants: the LIB only moves forward and always lies on the best chain; fork choice never
// leaves it (branches that do not contain it are pruned, and blocks forking below it are
// rejected). Single-threaded; owned by one Node.
//
// What a block gives (valid or not, the state after it, an election) is shared with every other
// PopChain of the process through the block outcome memo (block-outcome-memo.h says why that is
// safe); the checks that depend on this node run before it.
#ifndef CANONSIM_CONSENSUS_POP_CHAIN_H
#define CANONSIM_CONSENSUS_POP_CHAIN_H

#include "model/chain/block-tree.h"
#include "model/chain/chain-params.h"
#include "model/consensus/block-outcome-memo.h"
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
};

class PopChain
{
  public:
    explicit PopChain(std::shared_ptr<const ChainParams> params);

    const ChainParams& Params() const { return *m_params; }
    // N: the size of every producer set of this chain.
    uint32_t ProducerCount() const { return static_cast<uint32_t>(m_params->producers.size()); }
    uint32_t Threshold() const { return m_threshold; }

    const BlockEntry* Best() const { return m_tree.Best(); }
    const BlockEntry* Lib() const { return m_lib; }
    const BlockEntry* Find(const Hash256& h) const { return m_tree.Find(h); }
    const BlockEntry* MainChainAt(uint64_t height) const { return m_tree.MainChainAt(height); }
    const LedgerState& BestState() const { return *m_tree.Best()->state; }
    std::size_t TreeSize() const { return m_tree.Size(); }

    // The place in the cycle's producer set of whoever must produce `slot` on top of `parent`.
    uint32_t ProducerFor(const BlockEntry* parent, uint64_t slot) const;
    // The key of that producer.
    const PublicKey& ProducerKeyFor(const BlockEntry* parent, uint64_t slot) const;

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
    // Validation and the PoP rules: a pure function of the entry's chain and the parameters.
    BlockOutcomePtr ComputeOutcome(const BlockEntry& entry, TimeNs now) const;
    void AdvanceLib(AddBlockResult& result);
    // The PoP rules after a valid block: missed slots, triggers, election, activation.
    void ApplyPopRules(const BlockEntry& entry, LedgerState& state, BlockOutcome& out) const;

    std::shared_ptr<const ChainParams> m_params;
    Hash256 m_paramsDigest; // the genesis outcome key (ChainParamsDigest)
    uint32_t m_threshold;
    BlockTree m_tree;
    const BlockEntry* m_lib;
};

constexpr std::size_t kLocatorMax = 64;

// The heights a block locator names, from `best` down: eight steps of one, then doubling, and
// always ending at 0 (genesis); at most kLocatorMax of them. Full and light nodes share it.
std::vector<uint64_t> LocatorHeights(uint64_t best);

} // namespace canon

#endif
