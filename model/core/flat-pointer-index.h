// FlatPointerIndex: a hash index of objects by a key each object carries (a pending transaction
// by its id), holding only pointers to them.
//
// Why: a node-based hash map from a 32-byte key holds, per entry, a heap node with a copy of the
// key and a bucket pointer (about 80 bytes); this holds one 8-byte slot at a load between 1/8
// and 3/4. Every simulated node keeps such indexes, so at 110,000 nodes the difference is
// gigabytes (bench/scale/README.md).
//
// How: open addressing with linear probing from the key's hash. Erasure shifts the later entries
// of the probe run back into the hole (no tombstones), so lookups never slow down with churn.
// The table doubles past 3/4 full and halves at 1/8 full (never below kSlotsMin), so an index
// that drained gives its memory back.
//
// Ownership: it owns nothing. The caller keeps every indexed object alive, at the same address
// and with the same key, while it is indexed. Keys are unique. Not thread-safe. It is never
// iterated, so hash order reaches nothing a run records.
#ifndef CANONSIM_CORE_FLAT_POINTER_INDEX_H
#define CANONSIM_CORE_FLAT_POINTER_INDEX_H

#include "model/core/linear-probing.h"

#include <cstddef>
#include <type_traits>
#include <vector>

namespace canon
{

template <class T, class KeyOf, class Hasher>
class FlatPointerIndex
{
  public:
    using Key = std::decay_t<std::invoke_result_t<KeyOf, const T&>>;
    static constexpr std::size_t kSlotsMin = 8;

    std::size_t Size() const { return m_size; }
    // Slots allocated (0 or a power of two, at least kSlotsMin).
    std::size_t Slots() const { return m_slots.size(); }

    // The indexed object with this key, or nullptr.
    const T* Find(const Key& key) const
    {
        const std::size_t i = SlotOf(key);
        return i == kNotFound ? nullptr : m_slots[i];
    }
    // Returns false, changing nothing, when an object with the same key is indexed.
    bool Insert(const T* object)
    {
        if (SlotOf(KeyOf()(*object)) != kNotFound)
        {
            return false;
        }
        if ((m_size + 1) * 4 > m_slots.size() * 3)
        {
            Resize(m_slots.empty() ? kSlotsMin : m_slots.size() * 2);
        }
        Place(object);
        ++m_size;
        return true;
    }
    // Returns false when no object with this key is indexed.
    bool Erase(const Key& key)
    {
        const std::size_t hole = SlotOf(key);
        if (hole == kNotFound)
        {
            return false;
        }
        EraseByBackwardShift(m_slots, hole, [this](const T* o) { return Home(KeyOf()(*o)); });
        --m_size;
        if (m_slots.size() > kSlotsMin && m_size * 8 <= m_slots.size())
        {
            Resize(m_slots.size() / 2);
        }
        return true;
    }

  private:
    static constexpr std::size_t kNotFound = static_cast<std::size_t>(-1);

    std::size_t Home(const Key& key) const
    {
        return static_cast<std::size_t>(Hasher()(key)) & (m_slots.size() - 1);
    }
    std::size_t SlotOf(const Key& key) const
    {
        if (m_slots.empty())
        {
            return kNotFound;
        }
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t i = Home(key); m_slots[i]; i = (i + 1) & mask)
        {
            if (KeyOf()(*m_slots[i]) == key)
            {
                return i;
            }
        }
        return kNotFound;
    }
    void Place(const T* object)
    {
        const std::size_t mask = m_slots.size() - 1;
        std::size_t i = Home(KeyOf()(*object));
        while (m_slots[i])
        {
            i = (i + 1) & mask;
        }
        m_slots[i] = object;
    }
    void Resize(std::size_t slots)
    {
        std::vector<const T*> old(slots, nullptr);
        old.swap(m_slots);
        for (const T* object : old)
        {
            if (object)
            {
                Place(object);
            }
        }
    }

    std::vector<const T*> m_slots; // nullptr: empty
    std::size_t m_size = 0;
};

} // namespace canon

#endif
