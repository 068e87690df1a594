// NumberWindow: a set of positive integers that holds only those within `span` of the highest
// one inserted, one bit each.
//
// Use: a node's record of the transaction ids it has seen, where ids are numbered in the order
// a run first records them (model/node/seen-tx-set.h). Every node hears nearly every
// transaction, so the numbers it holds are dense and a bit per number is the whole cost: about
// 300 bytes for a minute of the default workload, where a hash set of ids holds about 70 KB.
//
// Contents: n is held when it was inserted and n > highest - span (the floor). Inserting a
// number above the highest moves the floor up and forgets what falls below it; inserting one
// below the floor stores nothing (it is forgotten at once), as a first-in first-out set of
// `span` members forgets its oldest.
//
// State: m_words[i] holds the numbers 64 x (m_base + i) to 64 x (m_base + i) + 63. Words wholly
// below the floor are dropped 64 at a time, so a word is moved about once per 64 insertions;
// at most span / 64 + 66 words are kept (about 8 KB at a span of 65,536). Not thread-safe.
#ifndef CANONSIM_CORE_NUMBER_WINDOW_H
#define CANONSIM_CORE_NUMBER_WINDOW_H

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace canon
{

class NumberWindow
{
  public:
    explicit NumberWindow(uint64_t span)
      : m_span(span)
    {
    }

    bool Contains(uint64_t n) const
    {
        if (n <= Floor() || n / 64 < m_base || n / 64 - m_base >= m_words.size())
        {
            return false;
        }
        return (m_words[n / 64 - m_base] >> (n % 64)) & 1;
    }
    // Returns false when n is held already; true otherwise (n is then held, unless it is below
    // the floor).
    bool Insert(uint64_t n)
    {
        if (Contains(n))
        {
            return false;
        }
        if (n > Floor() && m_span > 0)
        {
            Cover(n / 64);
            m_words[n / 64 - m_base] |= uint64_t{1} << (n % 64);
            m_highest = n > m_highest ? n : m_highest;
            DropBelowFloor();
        }
        return true;
    }
    // Words kept (for tests of the bound).
    std::size_t Words() const { return m_words.size(); }

  private:
    static constexpr uint64_t kDropBatch = 64;

    // Numbers at or below this are not held.
    uint64_t Floor() const { return m_highest > m_span ? m_highest - m_span : 0; }
    // Makes word w part of m_words.
    void Cover(uint64_t w)
    {
        if (m_words.empty())
        {
            m_base = w;
        }
        if (w < m_base)
        {
            m_words.insert(m_words.begin(), static_cast<std::size_t>(m_base - w), 0);
            m_base = w;
        }
        if (w - m_base >= m_words.size())
        {
            m_words.resize(static_cast<std::size_t>(w - m_base + 1), 0);
        }
    }
    void DropBelowFloor()
    {
        const uint64_t dead = (Floor() + 1) / 64; // words below this one hold nothing now
        if (dead >= m_base + kDropBatch)
        {
            const uint64_t drop = std::min<uint64_t>(dead - m_base, m_words.size());
            m_words.erase(m_words.begin(), m_words.begin() + static_cast<std::ptrdiff_t>(drop));
            m_base += drop;
        }
    }

    uint64_t m_span;
    uint64_t m_highest = 0;
    uint64_t m_base = 0;
    std::vector<uint64_t> m_words;
};

} // namespace canon

#endif
