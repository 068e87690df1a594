// OrphanPool: what arrived before its parent, waiting for it (Node: blocks, LightNode: headers).
//
// An orphan is held under its `id` and linked by block hashes: `hash` is its own, `parent` its
// parent's. A full node holds a block under the hash of its exact encoding (the block hash
// leaves the signature and the body out, so a forged copy of a header cannot stand in for the
// real block); a light node holds a header under its hash. When a block (or header) joins the
// tree, Connect hands its orphans to the node, parents before children.
//
// Bounds (DESIGN.md 4.7): at most `countMax` arrivals and `bytesMax` bytes; the oldest arrivals
// go first. An orphan that has been connected or rejected leaves the pool but its place in the
// arrival queue stays until it reaches the front (BoundedFifoMap::Take), so an orphan waits for
// at most the next `countMax` arrivals.
//
// Invariants: Bytes() is the sum of the held orphans' bytes; every held orphan is indexed under
// its parent until that parent is connected (one that then waits, OrphanFate::kWaits, stays
// held but unindexed until evicted). The pool owns copies of its values; single owner.
#ifndef CANONSIM_NODE_ORPHAN_POOL_H
#define CANONSIM_NODE_ORPHAN_POOL_H

#include "model/core/bounded-fifo-map.h"
#include "model/core/status.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace canon
{

// What became of an orphan whose parent arrived (OrphanPool::Connect).
enum class OrphanFate : uint8_t
{
    kWaits,    // it stays in the pool (its parent cannot take it now)
    kRejected, // it left the pool without joining the tree
    kJoined,   // it joined the tree: its own orphans are next
};

template <class Value>
class OrphanPool
{
  public:
    struct Orphan
    {
        Hash256 hash{};
        Hash256 parent{};
        std::size_t bytes = 0;
        Value value{};
    };

    explicit OrphanPool(std::size_t countMax, std::size_t bytesMax = SIZE_MAX)
      : m_orphans(std::max<std::size_t>(countMax, 1)) // Add makes room first; 0 still holds one
      , m_countMax(countMax)
      , m_bytesMax(bytesMax)
    {
    }

    bool Contains(const Hash256& id) const { return m_orphans.Contains(id); }
    std::size_t Size() const { return m_orphans.Size(); }
    std::size_t Bytes() const { return m_bytes; }

    // Adds an orphan whose id is not held, evicting the oldest arrivals to make room.
    void Add(const Hash256& id, Orphan orphan)
    {
        while (m_orphans.Slots() != 0 &&
               (m_orphans.Slots() >= m_countMax || m_bytes + orphan.bytes > m_bytesMax))
        {
            EvictOldest();
        }
        m_bytes += orphan.bytes;
        m_byParent.emplace(orphan.parent, id);
        const bool added = m_orphans.Insert(id, std::move(orphan));
        CANON_ASSERT(added, "orphan pool: an orphan added twice");
    }

    // `root` joined the tree: offers each orphan that descends from it to
    // adopt(id, const Orphan&) -> OrphanFate, parents before children and siblings in id order.
    // `adopt` must not change the pool.
    template <class Adopt>
    void Connect(const Hash256& root, Adopt adopt)
    {
        std::vector<Hash256> ready{root};
        while (!ready.empty())
        {
            const Hash256 parent = ready.back();
            ready.pop_back();
            for (const Hash256& id : DetachChildren(parent))
            {
                if (auto joined = Offer(id, adopt))
                {
                    ready.push_back(*joined);
                }
            }
        }
    }

  private:
    // Offers one orphan, if still held; returns its hash if it joined.
    template <class Adopt>
    std::optional<Hash256> Offer(const Hash256& id, Adopt& adopt)
    {
        const Orphan* orphan = m_orphans.Find(id);
        if (!orphan)
        {
            return std::nullopt;
        }
        const OrphanFate fate = adopt(id, *orphan);
        if (fate == OrphanFate::kWaits)
        {
            return std::nullopt;
        }
        const Orphan taken = *m_orphans.Take(id);
        m_bytes -= taken.bytes;
        return fate == OrphanFate::kJoined ? std::optional<Hash256>(taken.hash) : std::nullopt;
    }

    // The ids of `parent`'s orphans, sorted, no longer indexed under it.
    std::vector<Hash256> DetachChildren(const Hash256& parent)
    {
        auto range = m_byParent.equal_range(parent);
        std::vector<Hash256> children;
        for (auto it = range.first; it != range.second; ++it)
        {
            children.push_back(it->second);
        }
        m_byParent.erase(range.first, range.second);
        std::sort(children.begin(), children.end());
        return children;
    }

    void EvictOldest()
    {
        auto evicted = m_orphans.PopOldest();
        if (!evicted)
        {
            return; // connected or rejected since
        }
        const auto& [id, orphan] = *evicted;
        auto range = m_byParent.equal_range(orphan.parent);
        for (auto it = range.first; it != range.second; ++it)
        {
            if (it->second == id)
            {
                m_byParent.erase(it);
                break;
            }
        }
        m_bytes -= orphan.bytes;
    }

    BoundedFifoMap<Hash256, Orphan, Hash256Hasher> m_orphans;
    std::multimap<Hash256, Hash256> m_byParent; // parent hash -> ids of its orphans
    std::size_t m_countMax;
    std::size_t m_bytesMax;
    std::size_t m_bytes = 0;
};

} // namespace canon

#endif
