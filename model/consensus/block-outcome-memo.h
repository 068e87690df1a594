// BlockOutcomeMemo: one process-wide, bounded memo of what validating a block and applying the
// consensus protocol's rules after it gives: valid or not (with the reason), the ledger state and
// the consensus state after it, the election it announced and the producer set it put in force. The
// first simulated node to add a block pays for it; every other node of the process (either engine,
// adversaries included) that adds the same block on the same chain shares the immutable result, as
// the signature memo shares verifications (model/core/keys.cc, DESIGN.md 1 and 5).
//
// The key (BlockOutcomeKey) chains BLAKE2b-256 hashes: the genesis key is a digest of every chain
// parameter (ChainParamsDigest); a block's key hashes its parent's key, the block's full
// canonical encoding (header, signature and every transaction: the block hash alone leaves out
// the signature and the body) and the encoded size the node was given. So a key commits to the
// whole chain of blocks from genesis and to the parameters of the run.
//
// Why sharing is safe: ConsensusChain::AddBlock's outcome is a pure function of that key.
// ValidateBlock reads the parent header and state and the parameters; the consensus engine's
// CheckProducer and Apply (consensus-engine.h) read the parent's chain (schedule, active set,
// irreversible blocks, consensus states), the block and the parameters, and nothing else: engines
// are stateless by contract. Every one of those is computed from the ancestor blocks and the
// parameters alone. What depends on the node stays outside the memo and
// runs first in AddBlock: a known block (duplicate), an unknown parent, a parent buried below the
// node's irreversible block, and the from-the-future check against the node's clock, which
// CheckHeader repeats with the same rule and so can never fail inside the memo. Producing ("my
// slot"), the mempool and gossip never go through it. Two runs in one process share entries only
// when their parameters (genesis keys and allocation included) are identical, and then they are
// right to. Nothing here reaches a trace: a hit returns exactly what a miss computes.
//
// Bounds: kBlockOutcomeMemoMax outcomes, FIFO eviction (a late node re-validates, at a cost but
// with the same result); kGenesisStateMemoMax genesis states. Thread-safe behind one lock; the
// work is done outside it (two threads may both compute a block; the first stored wins, and
// both results are equal).
#ifndef CANONSIM_CONSENSUS_BLOCK_OUTCOME_MEMO_H
#define CANONSIM_CONSENSUS_BLOCK_OUTCOME_MEMO_H

#include "model/chain/block-tree.h"
#include "model/chain/ledger-state.h"
#include "model/consensus/election.h"
#include "model/core/process-memo.h"

#include <memory>
#include <vector>

namespace canon
{

struct BlockOutcome
{
    Status status;                            // Ok, or why the block is invalid for every node
    std::shared_ptr<const LedgerState> state; // after the block; null when invalid
    ConsensusStatePtr consensus;              // the protocol's state after it (may be null)
    std::shared_ptr<const ElectionOutcome> election;            // an election the block announced
    std::shared_ptr<const std::vector<PublicKey>> activatedSet; // a set it put in force
};
using BlockOutcomePtr = std::shared_ptr<const BlockOutcome>;

// A state shares all but O(k log n) nodes with its parent (ledger-state.h), so 1,024 outcomes
// hold some tens of MB at 1,000 nodes, and cover minutes of simulated blocks and forks: far
// longer than a block takes to reach every node.
constexpr std::size_t kBlockOutcomeMemoMax = 1024;
// Genesis states: one per distinct parameter set alive in the process (a test runs a few).
constexpr std::size_t kGenesisStateMemoMax = 16;

// The key of genesis: every ChainParams field (GenesisHash covers most; the rest added here).
Hash256 ChainParamsDigest(const ChainParams& params);
// The same, computed once per shared ChainParams object (model/core/identity-memo.h): every node
// of a run holds one object, and the digest costs O(genesis accounts).
Hash256 SharedChainParamsDigest(const std::shared_ptr<const ChainParams>& params);
// The key of `block` on top of the block whose key is `parentKey` (see the file comment).
Hash256 BlockOutcomeKey(const Hash256& parentKey, const Block& block, std::size_t encodedSize);

// Null when unknown (or the memo is off).
BlockOutcomePtr FindBlockOutcome(const Hash256& key);
void RememberBlockOutcome(const Hash256& key, BlockOutcomePtr outcome);

// The genesis state of `params` (whose digest is `digest`): one shared object per process.
std::shared_ptr<const LedgerState> SharedGenesisState(const ChainParams& params,
                                                      const Hash256& digest);

using BlockOutcomeMemoStats = MemoStats; // process-memo.h

// For tests and benchmarks: off makes every node validate every block itself.
void SetBlockOutcomeMemoEnabled(bool enabled);
void ClearBlockOutcomeMemo();
BlockOutcomeMemoStats GetBlockOutcomeMemoStats();

} // namespace canon

#endif
