// A set of hashes with a fixed capacity that forgets its oldest member when full: the
// de-duplication cache of gossip (DESIGN.md 4.7, every cache has a named bound).
#ifndef CANONSIM_CORE_BOUNDED_SET_H
#define CANONSIM_CORE_BOUNDED_SET_H

#include "model/core/hash.h"

#include <deque>
#include <unordered_set>

namespace canon
{

class BoundedHashSet
{
  public:
    explicit BoundedHashSet(std::size_t capacity)
      : m_capacity(capacity)
    {
    }

    bool Contains(const Hash256& h) const { return m_set.count(h) != 0; }
    // Returns false when already present.
    bool Insert(const Hash256& h)
    {
        if (!m_set.insert(h).second)
        {
            return false;
        }
        m_order.push_back(h);
        if (m_order.size() > m_capacity)
        {
            m_set.erase(m_order.front());
            m_order.pop_front();
        }
        return true;
    }
    std::size_t Size() const { return m_set.size(); }

  private:
    std::size_t m_capacity;
    std::unordered_set<Hash256, Hash256Hasher> m_set;
    std::deque<Hash256> m_order;
};

} // namespace canon

#endif
