// BoundedFifoMap: a map with a fixed capacity that forgets its oldest entries first, and
// BoundedHashSet, its set form. Every cache and pool that must not grow without bound
// (DESIGN.md 4.7) and has no better eviction order than arrival uses it: the gossip
// de-duplication caches, the signature memo, the orphan pools, the light-proof indexes.
//
// Ownership: the map owns copies of its keys and values. Not thread-safe: one owner, or the
// owner's lock (the signature memo).
//
// Order: every insertion of a key that is not held takes a slot at the back of a queue;
// eviction pops slots from the front. Erase gives up the entry and its slot. Take gives up the
// entry but leaves the slot queued until it reaches the front, so the bound counts it: an
// orphan pool uses this to keep an entry for at most the next `capacity` arrivals. A key taken
// and then inserted again holds two slots, and popping the older one evicts it.
//
// Invariants: every held key has a slot (Slots() >= Size()); after Insert, Slots() <= capacity.
// Lookup is by hash (never iterated in hash order); ForEach visits in queue order, so nothing
// that reaches a trace depends on the hash function.
#ifndef CANONSIM_CORE_BOUNDED_FIFO_MAP_H
#define CANONSIM_CORE_BOUNDED_FIFO_MAP_H

#include "model/core/hash.h"

#include <algorithm>
#include <deque>
#include <optional>
#include <unordered_map>
#include <utility>

namespace canon
{

template <class Key, class Value, class Hasher = std::hash<Key>>
class BoundedFifoMap
{
  public:
    explicit BoundedFifoMap(std::size_t capacity)
      : m_capacity(capacity)
    {
    }

    std::size_t Capacity() const { return m_capacity; }
    // Entries held.
    std::size_t Size() const { return m_map.size(); }
    // Queued slots: the entries held and those taken whose slot has not reached the front.
    std::size_t Slots() const { return m_order.size(); }
    bool Contains(const Key& key) const { return m_map.count(key) != 0; }
    const Value* Find(const Key& key) const
    {
        auto it = m_map.find(key);
        return it == m_map.end() ? nullptr : &it->second;
    }

    // Inserts `key` at the back and evicts from the front while over capacity. Returns false,
    // changing nothing, when the key is held already.
    bool Insert(const Key& key, Value value)
    {
        if (!m_map.emplace(key, std::move(value)).second)
        {
            return false;
        }
        m_order.push_back(key);
        while (m_order.size() > m_capacity)
        {
            PopOldest();
        }
        return true;
    }
    // Sets the value of `key`: a held key keeps its place, a new one is inserted as by Insert.
    // Returns whether the key is new.
    bool InsertOrAssign(const Key& key, Value value)
    {
        auto it = m_map.find(key);
        if (it == m_map.end())
        {
            return Insert(key, std::move(value));
        }
        it->second = std::move(value);
        return false;
    }
    // Removes the entry and the oldest slot holding its key (linear in Slots()); returns the
    // value it held.
    std::optional<Value> Erase(const Key& key)
    {
        std::optional<Value> value = Take(key);
        if (value)
        {
            m_order.erase(std::find(m_order.begin(), m_order.end(), key));
        }
        return value;
    }
    // Removes the entry and returns its value; its slot stays queued (see the top of the file).
    std::optional<Value> Take(const Key& key)
    {
        auto it = m_map.find(key);
        if (it == m_map.end())
        {
            return std::nullopt;
        }
        std::optional<Value> value(std::move(it->second));
        m_map.erase(it);
        return value;
    }
    // Pops the front slot (there must be one) and evicts the entry of its key, if held: that
    // entry is returned.
    std::optional<std::pair<Key, Value>> PopOldest()
    {
        const Key key = m_order.front();
        m_order.pop_front();
        auto it = m_map.find(key);
        if (it == m_map.end())
        {
            return std::nullopt;
        }
        std::optional<std::pair<Key, Value>> evicted(std::in_place, key, std::move(it->second));
        m_map.erase(it);
        return evicted;
    }
    void Clear()
    {
        m_map.clear();
        m_order.clear();
    }
    // Calls f(key, value) for each slot whose key is held, oldest first.
    template <class F>
    void ForEach(F f) const
    {
        for (const Key& key : m_order)
        {
            if (const Value* value = Find(key))
            {
                f(key, *value);
            }
        }
    }

  private:
    std::size_t m_capacity;
    std::unordered_map<Key, Value, Hasher> m_map;
    std::deque<Key> m_order;
};

// The set form: the de-duplication cache of gossip.
class BoundedHashSet
{
  public:
    explicit BoundedHashSet(std::size_t capacity)
      : m_map(capacity)
    {
    }

    bool Contains(const Hash256& h) const { return m_map.Contains(h); }
    // Returns false when already present.
    bool Insert(const Hash256& h) { return m_map.Insert(h, Empty{}); }
    std::size_t Size() const { return m_map.Size(); }

  private:
    struct Empty
    {
    };
    BoundedFifoMap<Hash256, Empty, Hash256Hasher> m_map;
};

} // namespace canon

#endif
