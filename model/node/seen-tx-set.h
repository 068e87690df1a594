// SeenTxSet: the transaction ids a node has seen (gossip de-duplication), as bits over a run's
// numbering of ids.
//
// TxNumbering gives each transaction id a number, 1, 2, ..., in the order the run's nodes first
// record ids, and remembers the last `capacity` ids it numbered. One numbering is shared by
// every node of a run (RunDriver makes it; NodeConfig::txNumbering); a node given none makes its
// own. Each node keeps a NumberWindow (model/core/number-window.h) of the numbers it recorded.
// Why: every node of a run hears nearly every transaction, so a node's record is a dense set of
// numbers: about 300 bytes per node for a minute of the default workload, where 16-byte
// fingerprints in a hash set held about 70 KB (7.7 GB at 110,000 nodes; bench/scale/README.md).
//
// What a node sees is the same as with a first-in first-out set of `window` ids of its own
// while the run has numbered at most `capacity` ids (with a numbering of its own, always: its
// numbers are then its own insertion order). Beyond that, a node forgets an id once the run has
// numbered `window` newer ones (not once it has itself recorded `window` newer ones), and an id
// the numbering forgot is numbered again when it comes back, so every node takes it for new,
// as a node whose set had evicted it would. Either way a forgotten transaction is refused by
// its nonce if it was applied.
//
// Ownership: TxNumbering is shared (std::shared_ptr) by the nodes of one run and owned by none
// of them; it is not thread-safe, and a run's nodes step on one thread. Nothing a node does
// depends on the numbers themselves while they fit, so runs stay deterministic on either engine.
#ifndef CANONSIM_NODE_SEEN_TX_SET_H
#define CANONSIM_NODE_SEEN_TX_SET_H

#include "model/core/bounded-fifo-map.h"
#include "model/core/hash.h"
#include "model/core/number-window.h"

#include <memory>

namespace canon
{

class TxNumbering
{
  public:
    explicit TxNumbering(std::size_t capacity)
      : m_numbers(capacity)
    {
    }
    // The id's number, or 0 when it has none (never numbered, or forgotten).
    uint64_t Find(const Hash256& id) const
    {
        const uint64_t* n = m_numbers.Find(id);
        return n ? *n : 0;
    }
    // The id's number, numbering it next if it has none.
    uint64_t Number(const Hash256& id)
    {
        if (const uint64_t n = Find(id))
        {
            return n;
        }
        m_numbers.Insert(id, m_next);
        return m_next++;
    }
    std::size_t Capacity() const { return m_numbers.Capacity(); }

  private:
    BoundedFifoMap<Hash256, uint64_t, Hash256Hasher> m_numbers;
    uint64_t m_next = 1;
};

class SeenTxSet
{
  public:
    // `numbering` null: the set numbers ids itself, holding `window` of them.
    SeenTxSet(std::shared_ptr<TxNumbering> numbering, std::size_t window)
      : m_numbering(numbering ? std::move(numbering) : std::make_shared<TxNumbering>(window))
      , m_window(window)
    {
    }
    bool Contains(const Hash256& id) const { return m_window.Contains(m_numbering->Find(id)); }
    // Returns false when the id is held already.
    bool Insert(const Hash256& id) { return m_window.Insert(m_numbering->Number(id)); }

  private:
    std::shared_ptr<TxNumbering> m_numbering;
    NumberWindow m_window;
};

} // namespace canon

#endif
