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
#include "model/core/linear-probing.h"
#include "model/core/ring-queue.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

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
            std::size_t k = 0;
            while (!(m_order[k] == key))
            {
                ++k;
            }
            m_order.erase_at(k);
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
    RingQueue<Key> m_order;
};

// The set form: the de-duplication cache of gossip (blocks, evidence; transactions have their
// own, model/node/seen-tx-set.h), the same FIFO rule as BoundedFifoMap. At scale every node holds
// several (issue 13), so it is flat: the members in a ring queue, oldest first, and an
// open-addressing index (linear probing, at most 3/4 full) of 8-byte slots, each the member's
// insertion number plus 24 bits of its hash to skip most mismatches without touching the member.
// Lookup is by hash; nothing iterates in hash order.
//
// A member is kept as its hash's first 16 bytes (its fingerprint), not all 32: members are
// BLAKE2b-256 outputs, so two different ones share a fingerprint with probability 2^-128 (and
// finding such a pair takes about 2^64 hashing), and then the second reads as already seen. That
// halves what a member holds: about 29 bytes instead of 45 with its index slot (110,000 nodes
// that each heard 2,400 transactions hold 4 GB less), against a hash node, a bucket and a queue
// slot (about 100).
class BoundedHashSet
{
  public:
    explicit BoundedHashSet(std::size_t capacity)
      : m_capacity(capacity)
    {
    }

    bool Contains(const Hash256& h) const { return Find(h) != kNotFound; }
    // Returns false when already present.
    bool Insert(const Hash256& h)
    {
        if (Contains(h))
        {
            return false;
        }
        if ((m_members.size() + 1) * 4 > m_slots.size() * 3)
        {
            Grow();
        }
        m_members.push_back(PrintOf(h));
        Place(m_members.back(), m_first + m_members.size() - 1);
        while (m_members.size() > m_capacity)
        {
            EvictOldest();
        }
        return true;
    }
    std::size_t Size() const { return m_members.size(); }

  private:
    static constexpr std::size_t kNotFound = SIZE_MAX;
    static constexpr uint64_t kNumberBits = 40; // 10^12 insertions per set
    static constexpr uint64_t kNumberMask = (uint64_t{1} << kNumberBits) - 1;

    using Fingerprint = std::array<uint8_t, 16>;

    static Fingerprint PrintOf(const Hash256& h)
    {
        Fingerprint f;
        std::memcpy(f.data(), h.data(), f.size());
        return f;
    }
    // The first 8 bytes, as HashPrefix64 reads them from the whole hash.
    static uint64_t Prefix(const Fingerprint& f)
    {
        uint64_t v;
        std::memcpy(&v, f.data(), sizeof v);
        return v;
    }
    static uint64_t Tag(const Fingerprint& f) { return (Prefix(f) >> 40) << kNumberBits; }
    std::size_t Home(const Fingerprint& f) const
    {
        return static_cast<std::size_t>(Prefix(f)) & (m_slots.size() - 1);
    }
    // The member a used slot names (its stored number is the insertion number plus one).
    const Fingerprint& MemberOf(uint64_t slot) const
    {
        return m_members[static_cast<std::size_t>((slot & kNumberMask) - 1 - m_first)];
    }
    std::size_t Find(const Hash256& h) const { return FindPrint(PrintOf(h)); }
    std::size_t FindPrint(const Fingerprint& h) const
    {
        if (m_slots.empty())
        {
            return kNotFound;
        }
        const uint64_t tag = Tag(h);
        for (std::size_t i = Home(h);; i = (i + 1) & (m_slots.size() - 1))
        {
            const uint64_t slot = m_slots[i];
            if (slot == 0)
            {
                return kNotFound;
            }
            if ((slot & ~kNumberMask) == tag && MemberOf(slot) == h)
            {
                return i;
            }
        }
    }
    void Place(const Fingerprint& h, uint64_t number)
    {
        std::size_t i = Home(h);
        while (m_slots[i] != 0)
        {
            i = (i + 1) & (m_slots.size() - 1);
        }
        m_slots[i] = Tag(h) | ((number + 1) & kNumberMask);
    }
    void Grow()
    {
        m_slots.assign(std::max<std::size_t>(16, m_slots.size() * 2), 0);
        for (std::size_t k = 0; k < m_members.size(); ++k)
        {
            Place(m_members[k], m_first + k);
        }
    }
    // Removes the front member and closes the gap its slot leaves (backward shift), so every
    // probe sequence stays unbroken.
    void EvictOldest()
    {
        EraseByBackwardShift(m_slots, FindPrint(m_members.front()),
                             [this](uint64_t slot) { return Home(MemberOf(slot)); });
        m_members.pop_front();
        ++m_first;
    }

    std::size_t m_capacity;
    RingQueue<Fingerprint> m_members; // oldest first
    uint64_t m_first = 0;             // the insertion number of m_members.front()
    std::vector<uint64_t> m_slots;    // 0: empty; a power of two in size once used
};

} // namespace canon

#endif
