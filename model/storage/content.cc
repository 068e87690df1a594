#include "model/storage/content.h"

#include <array>

namespace canon
{

namespace
{

constexpr uint8_t kLeaf = 0;
constexpr uint8_t kNode = 1;

// The gear table: 256 fixed pseudo-random words, the same in every run and build.
const std::array<uint64_t, 256>&
GearTable()
{
    static const std::array<uint64_t, 256> table = []
    {
        std::array<uint64_t, 256> t{};
        for (std::size_t i = 0; i < t.size(); ++i)
        {
            t[i] = HashPrefix64(Blake2b256("CanonChain/gear/" + std::to_string(i)));
        }
        return t;
    }();
    return table;
}

unsigned
Log2Floor(std::size_t v)
{
    unsigned bits = 0;
    while (v > 1)
    {
        v >>= 1;
        ++bits;
    }
    return bits;
}

// The end of the content-defined chunk that starts at `start`.
std::size_t
NextCut(const Bytes& data, std::size_t start, const ChunkingParams& p)
{
    const auto& gear = GearTable();
    const std::size_t end = std::min(data.size(), start + p.max);
    // A cut where the hash's top bits are zero: on random data about one in `size - min` bytes
    // past the minimum, so chunks average about `size`.
    const unsigned bits = Log2Floor(p.size > p.min ? p.size - p.min : 1);
    uint64_t h = 0;
    for (std::size_t i = start; i < end; ++i)
    {
        h = (h << 1) + gear[data[i]];
        if (i + 1 - start >= p.min && bits > 0 && (h >> (64 - bits)) == 0)
        {
            return i + 1;
        }
    }
    return end;
}

// Builds a node over `links` (more than one), storing it; returns its link.
DagLink
StoreNode(std::vector<DagLink> links, BlockStore& store)
{
    DagBlock n;
    n.leaf = false;
    uint64_t bytes = 0;
    for (const DagLink& l : links)
    {
        bytes += l.bytes;
    }
    n.links = std::move(links);
    const Bytes enc = n.Encode();
    store.Put(enc);
    return DagLink{ContentIdOf(enc), bytes};
}

Status
AssembleInto(const ContentId& id, const BlockStore& store, uint32_t depth, uint64_t bytesMax,
             Bytes& out)
{
    if (depth > kDagDepthMax)
    {
        return Status::Invalid("DAG under block " + ShortHex(id) + " deeper than " +
                               std::to_string(kDagDepthMax));
    }
    const Bytes* enc = store.Get(id);
    if (!enc)
    {
        return Status(StatusCode::kNotFound, "block " + ShortHex(id) + " is missing");
    }
    if (ContentIdOf(*enc) != id)
    {
        return Status::Invalid("block " + ShortHex(id) + " does not hash to its id");
    }
    auto block = DagBlock::Decode(*enc);
    if (!block.IsOk())
    {
        return Status::Malformed("block " + ShortHex(id) + ": " + block.GetStatus().Message());
    }
    if (block.Value().leaf)
    {
        const Bytes& d = block.Value().data;
        if (out.size() + d.size() > bytesMax)
        {
            return Status(StatusCode::kResourceLimit, "file under " + ShortHex(id) + " exceeds " +
                                                          std::to_string(bytesMax) + " bytes");
        }
        out.insert(out.end(), d.begin(), d.end());
        return Status::Ok();
    }
    for (const DagLink& l : block.Value().links)
    {
        if (Status s = AssembleInto(l.id, store, depth + 1, bytesMax, out); !s.IsOk())
        {
            return s;
        }
    }
    return Status::Ok();
}

} // namespace

std::vector<std::size_t>
ChunkBoundaries(const Bytes& data, const ChunkingParams& p)
{
    CANON_ASSERT(p.size > 0 && p.max <= kChunkBytesMax && p.min <= p.max && p.size <= p.max,
                 "chunking parameters out of range");
    std::vector<std::size_t> cuts;
    for (std::size_t start = 0; start < data.size();)
    {
        start = p.mode == ChunkingMode::kFixed ? std::min(data.size(), start + p.size)
                                               : NextCut(data, start, p);
        cuts.push_back(start);
    }
    return cuts;
}

Bytes
DagBlock::Encode() const
{
    Bytes out;
    Writer w(out);
    w.U8(leaf ? kLeaf : kNode);
    if (leaf)
    {
        w.Var(data);
        return out;
    }
    w.U32(static_cast<uint32_t>(links.size()));
    for (const DagLink& l : links)
    {
        w.Fixed(l.id);
        w.U64(l.bytes);
    }
    return out;
}

Result<DagBlock>
DagBlock::Decode(const Bytes& encoded)
{
    Reader r(encoded, "DAG block");
    DagBlock b;
    const uint8_t kind = r.U8("kind");
    if (r.IsOk() && kind > kNode)
    {
        r.Fail("kind " + std::to_string(kind) + " is not 0 (leaf) or 1 (node)");
    }
    b.leaf = kind == kLeaf;
    if (b.leaf)
    {
        b.data = r.Var("chunk", kChunkBytesMax);
    }
    else
    {
        const uint32_t n = r.Count("link count", kDagLinksMax);
        for (uint32_t i = 0; i < n && r.IsOk(); ++i)
        {
            DagLink l;
            l.id = r.Fixed<32>("link id");
            l.bytes = r.U64("link bytes");
            b.links.push_back(l);
        }
    }
    if (Status s = r.Finish(); !s.IsOk())
    {
        return s;
    }
    return b;
}

bool
BlockStore::Put(const Bytes& encodedBlock)
{
    const ContentId id = ContentIdOf(encodedBlock);
    if (m_blocks.count(id))
    {
        m_dedupBytes += encodedBlock.size();
        return false;
    }
    m_bytes += encodedBlock.size();
    m_blocks.emplace(id, encodedBlock);
    return true;
}

const Bytes*
BlockStore::Get(const ContentId& id) const
{
    auto it = m_blocks.find(id);
    return it == m_blocks.end() ? nullptr : &it->second;
}

ContentId
ImportFile(const Bytes& data, const ChunkingParams& p, BlockStore& store)
{
    std::vector<DagLink> level;
    std::size_t start = 0;
    for (std::size_t cut : ChunkBoundaries(data, p))
    {
        DagBlock leaf;
        leaf.data.assign(data.begin() + static_cast<std::ptrdiff_t>(start),
                         data.begin() + static_cast<std::ptrdiff_t>(cut));
        const Bytes enc = leaf.Encode();
        store.Put(enc);
        level.push_back(DagLink{ContentIdOf(enc), cut - start});
        start = cut;
    }
    if (level.empty()) // the empty file: one empty leaf
    {
        const Bytes enc = DagBlock{}.Encode();
        store.Put(enc);
        return ContentIdOf(enc);
    }
    while (level.size() > 1)
    {
        std::vector<DagLink> up;
        for (std::size_t i = 0; i < level.size(); i += kDagLinksMax)
        {
            const std::size_t end = std::min(level.size(), i + kDagLinksMax);
            up.push_back(StoreNode({level.begin() + static_cast<std::ptrdiff_t>(i),
                                    level.begin() + static_cast<std::ptrdiff_t>(end)},
                                   store));
        }
        level = std::move(up);
    }
    return level.front().id;
}

Result<Bytes>
Assemble(const ContentId& root, const BlockStore& store, uint64_t bytesMax)
{
    Bytes out;
    if (Status s = AssembleInto(root, store, 0, bytesMax, out); !s.IsOk())
    {
        return s;
    }
    return out;
}

std::vector<ContentId>
ChildrenOf(const DagBlock& block)
{
    std::vector<ContentId> ids;
    for (const DagLink& l : block.links)
    {
        ids.push_back(l.id);
    }
    return ids;
}

} // namespace canon
