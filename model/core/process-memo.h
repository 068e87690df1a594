// ProcessMemo: a process-wide, bounded memo from a 256-bit key to a value that depends only on
// what the key commits to, shared by every simulated node (DESIGN.md 5): the signature memo
// (keys.cc) and the block outcome memo (model/consensus/block-outcome-memo.h) are two. Behind one
// lock, so threads may share it; FIFO eviction at `bound` entries (bounded-fifo-map.h); it can
// be switched off (every lookup misses, nothing is kept) for tests and benchmarks that measure
// the uncached work. Hits and misses are counted.
#ifndef CANONSIM_CORE_PROCESS_MEMO_H
#define CANONSIM_CORE_PROCESS_MEMO_H

#include "model/core/bounded-fifo-map.h"
#include "model/core/hash.h"

#include <mutex>
#include <optional>

namespace canon
{

struct MemoStats
{
    uint64_t hits = 0;
    uint64_t misses = 0;
    std::size_t size = 0;
};

template <typename Value>
class ProcessMemo
{
  public:
    explicit ProcessMemo(std::size_t bound)
      : m_table(bound)
    {
    }

    std::optional<Value> Find(const Hash256& key)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        const Value* known = m_enabled ? m_table.Find(key) : nullptr;
        ++(known ? m_stats.hits : m_stats.misses);
        return known ? std::optional<Value>(*known) : std::nullopt;
    }

    void Remember(const Hash256& key, Value value)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_enabled)
        {
            m_table.Insert(key, std::move(value));
        }
    }

    void SetEnabled(bool enabled)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_enabled = enabled;
    }

    void Clear()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_table.Clear();
        m_stats = {};
    }

    MemoStats Stats()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        MemoStats s = m_stats;
        s.size = m_table.Size();
        return s;
    }

  private:
    std::mutex m_mutex;
    bool m_enabled = true;
    BoundedFifoMap<Hash256, Value, Hash256Hasher> m_table;
    MemoStats m_stats;
};

} // namespace canon

#endif
