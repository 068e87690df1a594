#include "model/run/consensus-recorder.h"

#include "model/chain/block-fate.h"
#include "model/consensus/baselines/dpos-engine.h"
#include "model/consensus/baselines/poi-state.h"
#include "model/consensus/baselines/pos-engine.h"

#include <algorithm>

namespace canon
{

ConsensusRecorder::ConsensusRecorder(TraceWriter* writer, const RunGenesis& genesis)
  : m_writer(writer)
  , m_genesis(genesis)
{
    for (uint32_t n = 0; n < m_genesis.nodeKeys.size(); ++n)
    {
        m_nodeOfAddress.emplace(AddressOf(m_genesis.nodeKeys[n].Public()), n);
    }
}

uint32_t
ConsensusRecorder::NodeOf(const PublicKey& key) const
{
    auto it = m_genesis.nodeOfKey.find(key);
    return it == m_genesis.nodeOfKey.end() ? UINT32_MAX : it->second;
}

void
ConsensusRecorder::OnBlock(const ConsensusChain& chain, const BlockEntry& entry, double time)
{
    if (!m_writer)
    {
        return;
    }
    auto [it, fresh] = m_index.emplace(entry.hash, m_blocks.size());
    if (!fresh)
    {
        ++m_blocks[it->second].reached;
        return;
    }
    BlockInfo info;
    info.hash = entry.hash;
    info.parent = entry.block->header.parent;
    info.height = entry.height;
    info.slot = entry.slot;
    info.node = NodeOf(entry.block->header.producer);
    info.reached = 1;
    info.firstSeen = time;
    m_blocks.push_back(info);
    if (entry.parent && entry.parent->height == 0)
    {
        Describe(chain, *entry.parent, time);
    }
    Describe(chain, entry, time);
}

void
ConsensusRecorder::Describe(const ConsensusChain& chain, const BlockEntry& entry, double time)
{
    if (!m_described.insert(entry.hash).second)
    {
        return;
    }
    switch (chain.Engine().Kind())
    {
        case Protocol::kDpos:
            return DescribeDpos(entry, time);
        case Protocol::kPos:
            return DescribePos(chain, entry);
        case Protocol::kPoi:
            return DescribePoi(entry, time);
        default:
            return;
    }
}

// The header state of a block, and its schedule when a new version became active with it (the
// genesis schedule with genesis).
void
ConsensusRecorder::DescribeDpos(const BlockEntry& entry, double time)
{
    const DposHeaderState& h = DposStateOf(entry).header;
    if (entry.height > 0)
    {
        DposBlockRecord r{};
        r.time = time;
        r.hash = HashPrefix64(entry.hash);
        r.height = entry.height;
        r.slot = entry.slot;
        r.node = NodeOf(entry.block->header.producer);
        r.schedule_version = h.active->version;
        r.plib = h.plib;
        r.lib = h.lib;
        Add(r);
    }
    if (entry.parent && DposStateOf(*entry.parent).header.active->version == h.active->version)
    {
        return;
    }
    for (uint32_t p = 0; p < h.active->producers.size(); ++p)
    {
        Add(DposScheduleRecord{time, entry.height, HashPrefix64(entry.hash), h.active->version, p,
                               NodeOf(h.active->producers[p])});
    }
}

// The leaders of the slots after `entry`'s parent up to its own slot that no earlier child of
// that parent already judged: on the parent's chain every member's keyed election is settled.
void
ConsensusRecorder::DescribePos(const ConsensusChain& chain, const BlockEntry& entry)
{
    if (!entry.parent)
    {
        return;
    }
    const BlockEntry& parent = *entry.parent;
    const auto& engine = static_cast<const PosEngine&>(chain.Engine());
    uint64_t& judged = m_posJudged.emplace(parent.hash, parent.slot).first->second;
    const uint64_t from = judged + 1;
    if (entry.slot < from)
    {
        return;
    }
    judged = entry.slot;
    const std::vector<PublicKey>& members = chain.Params().consensus.members;
    for (uint32_t i = 0; i < members.size(); ++i)
    {
        const uint32_t node = NodeOf(members[i]);
        if (node == UINT32_MAX || node >= m_genesis.nodeKeys.size())
        {
            continue;
        }
        const KeyPair& key = m_genesis.nodeKeys[node];
        for (uint64_t s = from; s <= entry.slot; ++s)
        {
            const auto lead = engine.NextLeaderSlot(parent, key, s, entry.slot - s + 1);
            if (!lead)
            {
                break;
            }
            s = *lead;
            const EpochView view = engine.ViewFor(parent, s);
            const double stake = static_cast<double>(view.stake->stake[i]) /
                                 static_cast<double>(std::max<uint64_t>(1, view.stake->total));
            Add(PosLeaderRecord{s, view.epoch, HashPrefix64(parent.hash), node, stake});
        }
    }
}

// A block whose state carries a new importance table (genesis: the first one).
void
ConsensusRecorder::DescribePoi(const BlockEntry& entry, double time)
{
    const auto& table = PoiStateOf(entry).importances;
    if (!table || (entry.parent && PoiStateOf(*entry.parent).importances == table))
    {
        return;
    }
    for (std::size_t k = 0; k < table->accounts.size(); ++k)
    {
        const Address& a = table->accounts[k];
        auto n = m_nodeOfAddress.find(a);
        auto w = m_genesis.accountIndex.find(a);
        PoiImportanceRecord r{};
        r.time = time;
        r.height = entry.height;
        r.block = HashPrefix64(entry.hash);
        r.node = n == m_nodeOfAddress.end() ? UINT32_MAX : n->second;
        r.account = w == m_genesis.accountIndex.end() ? UINT32_MAX : w->second;
        r.importance = table->importance[k];
        r.page_rank = table->pageRank[k];
        r.effective = table->effective[k];
        Add(r);
    }
}

std::unordered_map<uint64_t, Hash256>
ConsensusRecorder::MainChain(const Hash256& tip) const
{
    std::unordered_map<uint64_t, Hash256> byHeight;
    for (auto it = m_index.find(tip); it != m_index.end();
         it = m_index.find(m_blocks[it->second].parent))
    {
        const BlockInfo& b = m_blocks[it->second];
        byHeight.emplace(b.height, b.hash);
    }
    return byHeight;
}

void
ConsensusRecorder::RecordEnd(const ConsensusChain& reference)
{
    if (!m_writer)
    {
        return;
    }
    const auto main = MainChain(reference.Best()->hash);
    const uint64_t libHeight = reference.Lib()->height;
    std::unordered_map<Hash256, uint32_t, Hash256Hasher> depth; // stale branch lengths
    for (const BlockInfo& b : m_blocks)
    {
        auto m = main.find(b.height);
        const BlockFate fate =
            FateOf(b.height, b.hash, m == main.end() ? Hash256{} : m->second, libHeight);
        uint32_t d = 0;
        if (fate == BlockFate::kStale)
        {
            auto p = depth.find(b.parent);
            d = (p == depth.end() ? 0 : p->second) + 1;
            depth[b.hash] = d;
        }
        Add(BlockFateRecord{b.firstSeen, HashPrefix64(b.hash), HashPrefix64(b.parent), b.height,
                            b.slot, b.node, b.reached, static_cast<uint8_t>(fate), d});
    }
}

} // namespace canon
