// RingQueue: a first-in first-out queue in one ring buffer that allocates nothing while it has
// never held anything.
//
// Why: libstdc++'s std::deque allocates a 512-byte block and its map when constructed, empty or
// not. Every simulated node keeps about 16 queues (its de-duplication sets' orders, fetch
// deadlines, orphan pools, callback arrivals), most of them empty for a whole run: 4.5 KB per
// node by heaptrack at 3,000 nodes, 0.5 GB at 110,000 (bench/scale/README.md).
//
// State: m_slots has 0 or a power-of-two number of elements; the queue's k-th element (0 the
// oldest) is m_slots[(m_head + k) & mask]. The buffer doubles when full and never shrinks
// (callers bound their queues); Clear releases it. Popped slots are reset to T{}, so a queue of
// shared pointers does not keep what it popped alive. T must be default-constructible and
// movable. Not thread-safe.
#ifndef CANONSIM_CORE_RING_QUEUE_H
#define CANONSIM_CORE_RING_QUEUE_H

#include <cstddef>
#include <iterator>
#include <utility>
#include <vector>

namespace canon
{

template <class T>
class RingQueue
{
  public:
    class ConstIterator
    {
      public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = T;
        using difference_type = std::ptrdiff_t;
        using pointer = const T*;
        using reference = const T&;

        ConstIterator(const RingQueue* queue, std::size_t index)
          : m_queue(queue)
          , m_index(index)
        {
        }
        const T& operator*() const { return (*m_queue)[m_index]; }
        const T* operator->() const { return &(*m_queue)[m_index]; }
        ConstIterator& operator++()
        {
            ++m_index;
            return *this;
        }
        bool operator==(const ConstIterator& o) const { return m_index == o.m_index; }
        bool operator!=(const ConstIterator& o) const { return m_index != o.m_index; }

      private:
        const RingQueue* m_queue;
        std::size_t m_index;
    };

    bool empty() const { return m_size == 0; }
    std::size_t size() const { return m_size; }
    // Slots allocated (0 until the first push).
    std::size_t capacity() const { return m_slots.size(); }
    // The k-th element, 0 the oldest (k < size()).
    const T& operator[](std::size_t k) const { return m_slots[Slot(k)]; }
    T& operator[](std::size_t k) { return m_slots[Slot(k)]; }
    const T& front() const { return (*this)[0]; }
    const T& back() const { return (*this)[m_size - 1]; }
    ConstIterator begin() const { return {this, 0}; }
    ConstIterator end() const { return {this, m_size}; }

    template <class... Args>
    void emplace_back(Args&&... args)
    {
        if (m_size == m_slots.size())
        {
            Grow();
        }
        m_slots[Slot(m_size)] = T(std::forward<Args>(args)...);
        ++m_size;
    }
    void push_back(T value) { emplace_back(std::move(value)); }
    // The queue must not be empty.
    void pop_front()
    {
        m_slots[m_head] = T{};
        m_head = (m_head + 1) & (m_slots.size() - 1);
        --m_size;
    }
    // Removes the k-th element, moving the later ones forward (linear).
    void erase_at(std::size_t k)
    {
        for (std::size_t i = k; i + 1 < m_size; ++i)
        {
            (*this)[i] = std::move((*this)[i + 1]);
        }
        (*this)[m_size - 1] = T{};
        --m_size;
    }
    void clear()
    {
        std::vector<T>().swap(m_slots);
        m_head = 0;
        m_size = 0;
    }

  private:
    std::size_t Slot(std::size_t k) const { return (m_head + k) & (m_slots.size() - 1); }
    void Grow()
    {
        std::vector<T> bigger(m_slots.empty() ? 4 : m_slots.size() * 2);
        for (std::size_t k = 0; k < m_size; ++k)
        {
            bigger[k] = std::move((*this)[k]);
        }
        m_slots.swap(bigger);
        m_head = 0;
    }

    std::vector<T> m_slots;
    std::size_t m_head = 0;
    std::size_t m_size = 0;
};

} // namespace canon

#endif
