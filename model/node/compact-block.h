// Compact blocks (issue 13, after Bitcoin's BIP 152): a block sent as its header plus a short id
// per transaction, which the receiver rebuilds from its mempool, fetching only what it lacks.
//
// Short ids: SipHash-2-4 (libsodium's crypto_shorthash, the function BIP 152 uses) of the
// transaction id, keyed with the first 16 bytes of BLAKE2b-256(block hash || salt), and cut to
// the low 48 bits (6 bytes on the wire). The salt is the relaying node's choice (its node id), so
// a collision at one hop does not repeat at the next, and nobody can grind transactions that
// collide for every relay. With m transactions in the mempool and n in the block, a false match
// happens with probability about n*m / 2^48 (1e-7 at n = m = 5,000). Collisions are handled,
// never trusted:
//   - two transactions of the block with one short id: MakeCompactBlock returns nothing and the
//     sender sends the full block instead;
//   - two mempool transactions match one slot: the slot counts as missing and is fetched;
//   - a wrong match nobody could see: the rebuilt block fails the Merkle root of its (signed)
//     header, and the receiver fetches the full block.
// Prefilled: what a receiver cannot hold travels in full with its index. Evidence transactions
// are made by the producer and never gossiped, so they are always prefilled.
//
// Rebuilt blocks are shared process-wide (issue 13, as transactions are, shared-transaction.h):
// every node that rebuilds the same block from a compact block gets one SharedBlock (the block,
// its Block message, the hash of that encoding and its transaction ids) instead of assembling,
// encoding and hashing its own copy. The memo's key is BLAKE2b-256 of the header's encoding and
// the transaction ids in order: ids are hashes of the transactions' encodings, so the key fixes
// the block's whole encoding, and everything in a SharedBlock is a pure function of it. A hit
// gives what a miss computes. At most kSharedBlockMemoMax blocks, oldest out first; thread-safe.
//
// Plain values; a PartialBlock is owned by the node rebuilding it and holds the shared
// transactions (shared-transaction.h) until it assembles the block.
#ifndef CANONSIM_NODE_COMPACT_BLOCK_H
#define CANONSIM_NODE_COMPACT_BLOCK_H

#include "model/node/mempool.h"
#include "model/node/messages.h"

#include <array>
#include <optional>

namespace canon
{

using ShortIdKey = std::array<uint8_t, 16>;

// Blocks being relayed in one run's few seconds of propagation, with room for forks.
constexpr std::size_t kSharedBlockMemoMax = 256;

struct SharedBlock
{
    BlockPtr block;
    SharedBytes wire;           // EncodeBlockMessage(*block)
    Hash256 copy{};             // BLAKE2b-256 of the block's encoding (wire without envelope)
    std::vector<Hash256> txIds; // of block->txs, in order
    Hash256 txRoot{};           // MerkleRoot(txIds): the header's, if the block is whole
};
using SharedBlockPtr = std::shared_ptr<const SharedBlock>;

// The ids of block.txs: those the memo keeps when this block object came from it, else computed.
std::vector<Hash256> TxIdsOf(const Block& block);

ShortIdKey MakeShortIdKey(const Hash256& blockHash, uint64_t salt);
// The low 48 bits of SipHash-2-4(key, txId).
uint64_t ShortTxIdOf(const ShortIdKey& key, const Hash256& txId);

// Nullopt when two of the block's transactions share a short id under this salt.
std::optional<CompactBlockMessage> MakeCompactBlock(const Block& block, uint64_t salt);

// A compact block being rebuilt: every slot is filled from the prefilled transactions or the
// mempool, or listed as missing.
class PartialBlock
{
  public:
    PartialBlock(const CompactBlockMessage& m, const Mempool& pool);

    // False when the compact block itself repeats a short id: it cannot be rebuilt.
    bool Rebuildable() const { return m_rebuildable; }
    const BlockHeader& Header() const { return m_header; }
    // Indexes still empty, ascending.
    const std::vector<uint32_t>& Missing() const { return m_missing; }
    std::size_t FromMempool() const { return m_fromMempool; }
    // Fills the missing slots in order; false (and nothing filled) unless there is exactly
    // one transaction per missing slot.
    bool Fill(std::vector<TxPtr> txs);
    // The block; only when nothing is missing. Its Merkle root is the caller's to check.
    Block Assemble() const;
    // The same block, shared (see the top of this file); only when nothing is missing.
    SharedBlockPtr Share() const;

  private:
    BlockHeader m_header;
    std::vector<TxPtr> m_txs; // null: not filled yet
    std::vector<uint32_t> m_missing;
    std::size_t m_fromMempool = 0;
    bool m_rebuildable = true;
};

} // namespace canon

#endif
