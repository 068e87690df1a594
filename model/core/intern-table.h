// InternTable: a process-wide, bounded table from a canonical encoding to the one immutable
// object decoded from it, shared by every simulated node (issue 13; DESIGN.md 5). Used for
// transactions (model/node/shared-transaction.h) and for whole decoded blocks
// (model/node/shared-block-decode.h).
//
// `Object` has `const Bytes& Encoding() const`: the bytes it was decoded from. The key is a view of
// that encoding (a fast non-cryptographic hash finds the bucket, then a full byte comparison), so
// a hit needs the very bytes that decoded before. Sharing is safe when the object is a pure
// function of its encoding; then a hit gives what a miss computes.
//
// Bounds: at most `countMax` objects and `bytesMax` encoded bytes; the oldest go first (a node
// that still holds one keeps it alive; a later arrival of the same bytes makes an equal object).
// Thread-safe behind one lock; it can be switched off (every lookup misses, nothing is kept) for
// tests and benchmarks. Hits and misses are counted.
#ifndef CANONSIM_CORE_INTERN_TABLE_H
#define CANONSIM_CORE_INTERN_TABLE_H

#include "model/core/bytes.h"
#include "model/core/process-memo.h"

#include <deque>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>

namespace canon
{

// The table's key: a view of an interned object's own encoding (valid while it is held).
inline std::string_view
EncodingView(const uint8_t* data, std::size_t size)
{
    return {reinterpret_cast<const char*>(data), size};
}

template <typename Object>
class InternTable
{
  public:
    using Ptr = std::shared_ptr<const Object>;

    InternTable(std::size_t countMax, std::size_t bytesMax)
      : m_countMax(countMax)
      , m_bytesMax(bytesMax)
    {
    }

    Ptr Find(std::string_view encoding)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        auto it = m_enabled ? m_byEncoding.find(encoding) : m_byEncoding.end();
        ++(it != m_byEncoding.end() ? m_stats.hits : m_stats.misses);
        return it != m_byEncoding.end() ? it->second : nullptr;
    }

    // The object held for made's encoding, or `made` once held.
    Ptr Remember(Ptr made)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (!m_enabled)
        {
            return made;
        }
        const Bytes& e = made->Encoding();
        auto [it, added] = m_byEncoding.emplace(EncodingView(e.data(), e.size()), made);
        if (!added)
        {
            return it->second; // another thread was first
        }
        m_order.push_back(made);
        m_bytes += e.size();
        while (m_order.size() > m_countMax || m_bytes > m_bytesMax)
        {
            const Bytes& old = m_order.front()->Encoding();
            m_byEncoding.erase(EncodingView(old.data(), old.size()));
            m_bytes -= old.size();
            m_order.pop_front();
        }
        return made;
    }

    void SetEnabled(bool enabled)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_enabled = enabled;
    }

    void Clear()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_byEncoding.clear();
        m_order.clear();
        m_bytes = 0;
        m_stats = {};
    }

    MemoStats Stats()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        MemoStats s = m_stats;
        s.size = m_order.size();
        return s;
    }

  private:
    std::size_t m_countMax;
    std::size_t m_bytesMax;
    std::mutex m_mutex;
    bool m_enabled = true;
    std::unordered_map<std::string_view, Ptr> m_byEncoding;
    std::deque<Ptr> m_order; // oldest first
    std::size_t m_bytes = 0;
    MemoStats m_stats;
};

} // namespace canon

#endif // CANONSIM_CORE_INTERN_TABLE_H
