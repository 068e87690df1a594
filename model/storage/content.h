// Content-addressed storage (paper 3.5.1, PROTOCOL.md 6): files cut into chunks, the chunks
// linked into a Merkle DAG, every block named by the BLAKE2b-256 of its encoding (its content
// id), and identical blocks stored once.
//
// A block is either a leaf (a chunk of the file's bytes) or a node (links to children: their
// ids and the byte counts below them, at most kDagLinksMax). A file's root is a node over its
// leaves (or over nodes over its leaves, when it has more than kDagLinksMax chunks), or the
// single leaf of a small file. Chunking is a parameter: fixed-size, or content-defined (a gear
// rolling hash cuts where its low bits are zero, between a minimum and a maximum size), so an
// insertion moves only the cuts near it and the rest of the file's chunks stay shared.
//
// BlockStore owns the blocks of one peer, by id; Put of a block it holds changes nothing (the
// dedup the issue asks for), and it counts the bytes it holds and the bytes deduplicated. Bounds:
// a decoded block is at most kDagBlockBytesMax; Assemble refuses a DAG deeper than kDagDepthMax
// or larger than a caller's byte bound. Single-threaded.
#ifndef CANONSIM_STORAGE_CONTENT_H
#define CANONSIM_STORAGE_CONTENT_H

#include "model/core/encoding.h"
#include "model/core/hash.h"

#include <map>
#include <vector>

namespace canon
{

using ContentId = Hash256;

// Links in one node block: 32 + 8 bytes each, so a node stays under 8 KiB.
constexpr uint32_t kDagLinksMax = 192;
// The largest chunk (and so the largest leaf block): 256 KiB, as IPFS's default chunk.
constexpr std::size_t kChunkBytesMax = 256 * 1024;
constexpr std::size_t kDagBlockBytesMax = kChunkBytesMax + 16;
constexpr uint32_t kDagDepthMax = 8;

enum class ChunkingMode : uint8_t
{
    kFixed,
    kContentDefined,
};

struct ChunkingParams
{
    ChunkingMode mode = ChunkingMode::kFixed;
    std::size_t size = 4096; // fixed: every chunk; content-defined: the target mean
    std::size_t min = 1024;  // content-defined only
    std::size_t max = 16384; // content-defined only; at most kChunkBytesMax
};

// Where the chunks of `data` end (ascending; the last is data.size(); empty for empty data).
std::vector<std::size_t> ChunkBoundaries(const Bytes& data, const ChunkingParams& p);

struct DagLink
{
    ContentId id{};
    uint64_t bytes = 0; // file bytes below the link
};

struct DagBlock
{
    bool leaf = true;
    Bytes data;                 // leaf
    std::vector<DagLink> links; // node

    Bytes Encode() const;
    static Result<DagBlock> Decode(const Bytes& encoded);
};

inline ContentId
ContentIdOf(const Bytes& encodedBlock)
{
    return Blake2b256(encodedBlock);
}

class BlockStore
{
  public:
    // Stores an encoded block under its id; false if it was already held (nothing changes).
    bool Put(const Bytes& encodedBlock);
    const Bytes* Get(const ContentId& id) const;
    bool Has(const ContentId& id) const { return m_blocks.count(id) != 0; }
    std::size_t BlockCount() const { return m_blocks.size(); }
    uint64_t BytesHeld() const { return m_bytes; }
    uint64_t BytesDeduplicated() const { return m_dedupBytes; }

  private:
    std::map<ContentId, Bytes> m_blocks;
    uint64_t m_bytes = 0;
    uint64_t m_dedupBytes = 0;
};

// Chunks `data`, builds its DAG and stores every block in `store`; returns the root's id.
ContentId ImportFile(const Bytes& data, const ChunkingParams& p, BlockStore& store);
// The file under `root`, read from `store`: every block's id is checked against its bytes (a
// store filled by peers may hold anything), and a missing block, a bad one, a DAG deeper than
// kDagDepthMax or a file over `bytesMax` is an error naming the block.
Result<Bytes> Assemble(const ContentId& root, const BlockStore& store, uint64_t bytesMax);
// The ids `block` links to (none for a leaf).
std::vector<ContentId> ChildrenOf(const DagBlock& block);

} // namespace canon

#endif
