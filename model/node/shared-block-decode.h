// Decoded blocks shared process-wide (issue 13; DESIGN.md 5): a Block or Blocks message (push
// gossip, sync answers) carries a block's canonical encoding, and every simulated node that
// receives the same bytes gets one immutable decoded Block instead of decoding its own copy, as
// transactions are shared (shared-transaction.h) and blocks rebuilt from compact blocks are
// (SharedBlock, compact-block.h).
//
// The table (model/core/intern-table.h) is keyed by the encoding itself, so a hit needs the very
// bytes that decoded before. Why sharing is safe: Block::Decode is a pure function of its bytes
// and the Block is immutable once shared (BlockPtr is a pointer to const), so a hit returns what
// a miss computes; nothing a node does, and nothing in a trace, depends on the table. Bytes that
// fail to decode are never kept: they fail again with Block::Decode's own error.
//
// Bounds: at most kSharedDecodedBlocksMax blocks and kSharedDecodedBlockBytesMax encoded bytes,
// the oldest out first. Thread-safe; it can be switched off for tests and benchmarks.
#ifndef CANONSIM_NODE_SHARED_BLOCK_DECODE_H
#define CANONSIM_NODE_SHARED_BLOCK_DECODE_H

#include "model/chain/block.h"
#include "model/core/process-memo.h"

#include <memory>

namespace canon
{

// Blocks in flight over a few seconds of gossip and a sync batch or two, with room for forks.
constexpr std::size_t kSharedDecodedBlocksMax = 512;
constexpr std::size_t kSharedDecodedBlockBytesMax = std::size_t{64} << 20;

// Decodes exactly `size` bytes at `data` as one block, as Block::Decode does (same errors).
Result<BlockPtr> DecodeSharedBlock(const uint8_t* data, std::size_t size);

// For tests and benchmarks: off makes every node decode every block itself.
void SetSharedBlockDecodingEnabled(bool enabled);
void ClearSharedBlockDecoding();
MemoStats GetSharedBlockDecodingStats();

} // namespace canon

#endif // CANONSIM_NODE_SHARED_BLOCK_DECODE_H
