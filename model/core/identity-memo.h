// IdentityMemo: a process-wide, bounded memo from one shared immutable object (held through
// std::shared_ptr<const T>) to a value computed from it once. Every simulated node of a run holds
// the same ChainParams object, and its genesis hash and parameter digest cost O(genesis
// accounts) each: computing them at every node made start-up quadratic in the node count (110,000
// nodes, each hashing a genesis of 110,000 accounts). Keyed by the object's identity, so a value
// is computed once per object, not per node.
//
// Invariant the caller keeps: the object behind the pointer does not change once it is shared as
// const (ChainParams is built, then shared read-only by every node of a run). A freed object is
// never confused with a new one at the same address: entries hold a weak_ptr, and an expired one
// never matches. Bounded at `bound` entries, FIFO; thread-safe behind one lock (the computation
// runs outside it; two threads may both compute, and both results are equal).
#ifndef CANONSIM_CORE_IDENTITY_MEMO_H
#define CANONSIM_CORE_IDENTITY_MEMO_H

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <utility>

namespace canon
{

template <typename T, typename Value>
class IdentityMemo
{
  public:
    explicit IdentityMemo(std::size_t bound)
      : m_bound(bound)
    {
    }

    // The value `compute(*object)` gives, computed at most once per live object.
    template <typename Compute>
    Value Get(const std::shared_ptr<const T>& object, Compute compute)
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            for (const auto& e : m_entries)
            {
                if (!e.first.expired() && e.first.lock() == object)
                {
                    return e.second;
                }
            }
        }
        Value value = compute(*object);
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_entries.size() >= m_bound)
        {
            m_entries.pop_front();
        }
        m_entries.emplace_back(object, value);
        return value;
    }

  private:
    std::size_t m_bound;
    std::mutex m_mutex;
    std::deque<std::pair<std::weak_ptr<const T>, Value>> m_entries;
};

} // namespace canon

#endif // CANONSIM_CORE_IDENTITY_MEMO_H
