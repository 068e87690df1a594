// EventQueue: the abstract engine's pending events, earliest first, ties to the lower sequence
// number, so the order of events is one total order whatever the queue's layout.
//
// Why not std::priority_queue: at 110,000 nodes about a million events are pending, and a binary
// heap of whole events (56 bytes each, a shared pointer among them) moves and compares them over
// 20 levels per pop, most of them cache misses: the queue was 14% of such a run's CPU
// (bench/scale/README.md, session 28). Here the heap holds 24-byte keys (time, sequence, slot)
// with four children per node (half the levels; a node's children share cache lines), and the
// events stay put in a slab until popped.
//
// State: m_heap is a 4-ary min-heap of keys by (at, seq); each key's slot indexes m_slab, whose
// unused slots are listed in m_free (popped events leave T{} behind, releasing what they held).
// Sequence numbers are the caller's and must be distinct. Not thread-safe.
#ifndef CANONSIM_SIM_EVENT_QUEUE_H
#define CANONSIM_SIM_EVENT_QUEUE_H

#include "model/core/time.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace canon
{

template <class T>
class EventQueue
{
  public:
    bool Empty() const { return m_heap.empty(); }
    std::size_t Size() const { return m_heap.size(); }
    // The earliest event's time (the queue must not be empty).
    TimeNs NextAt() const { return m_heap.front().at; }

    void Push(TimeNs at, uint64_t seq, T event)
    {
        uint32_t slot;
        if (m_free.empty())
        {
            slot = static_cast<uint32_t>(m_slab.size());
            m_slab.push_back(std::move(event));
        }
        else
        {
            slot = m_free.back();
            m_free.pop_back();
            m_slab[slot] = std::move(event);
        }
        m_heap.push_back({at, seq, slot});
        SiftUp(m_heap.size() - 1);
    }
    // Removes and returns the earliest event (the queue must not be empty).
    T Pop()
    {
        const uint32_t slot = m_heap.front().slot;
        const Key last = m_heap.back();
        m_heap.pop_back();
        if (!m_heap.empty())
        {
            SiftDown(last);
        }
        T event = std::move(m_slab[slot]);
        m_slab[slot] = T{};
        m_free.push_back(slot);
        return event;
    }

  private:
    static constexpr std::size_t kArity = 4;
    struct Key
    {
        TimeNs at;
        uint64_t seq;
        uint32_t slot;
    };
    static bool Before(const Key& a, const Key& b)
    {
        return a.at != b.at ? a.at < b.at : a.seq < b.seq;
    }
    void SiftUp(std::size_t i)
    {
        const Key key = m_heap[i];
        while (i > 0 && Before(key, m_heap[(i - 1) / kArity]))
        {
            m_heap[i] = m_heap[(i - 1) / kArity];
            i = (i - 1) / kArity;
        }
        m_heap[i] = key;
    }
    // Places `key` (the former last key) from the root down, after the root was taken.
    void SiftDown(const Key& key)
    {
        const std::size_t n = m_heap.size();
        std::size_t i = 0;
        for (std::size_t first = 1; first < n; first = i * kArity + 1)
        {
            std::size_t best = first;
            for (std::size_t c = first + 1; c < first + kArity && c < n; ++c)
            {
                best = Before(m_heap[c], m_heap[best]) ? c : best;
            }
            if (!Before(m_heap[best], key))
            {
                break;
            }
            m_heap[i] = m_heap[best];
            i = best;
        }
        m_heap[i] = key;
    }

    std::vector<Key> m_heap;
    std::vector<T> m_slab;
    std::vector<uint32_t> m_free;
};

} // namespace canon

#endif
