// CsrGraph: an undirected, unweighted, simple graph in compressed sparse row form, the input of
// the CZR topology measures (PROTOCOL.md 2.1, paper 3.1.1 and Figure 4).
//
// Owned by whoever measured the communication graph. It is immutable once built, so any number
// of threads may read one graph at once.
//
// Always: nodes are 0..NodeCount()-1; every edge {u, v} appears as v in u's row and as u in v's
// row; each row is sorted ascending with no duplicates and no self-loops. Iteration order, and
// with it every floating-point sum taken over neighbours, therefore depends on the edge set
// alone, never on the order the edges were listed in.
#ifndef CANONSIM_CZR_CSR_GRAPH_H
#define CANONSIM_CZR_CSR_GRAPH_H

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace canon
{

class CsrGraph
{
  public:
    // One node's neighbours, sorted ascending; valid while the graph lives.
    class NeighbourRange
    {
      public:
        NeighbourRange(const uint32_t* first, const uint32_t* last)
          : m_first(first)
          , m_last(last)
        {
        }
        const uint32_t* begin() const { return m_first; }
        const uint32_t* end() const { return m_last; }
        std::size_t size() const { return static_cast<std::size_t>(m_last - m_first); }

      private:
        const uint32_t* m_first;
        const uint32_t* m_last;
    };

    // The graph with no nodes.
    CsrGraph();

    // Self-loops and repeated edges (in either direction) are dropped. The edges come from our
    // own measurement code, so an index >= nodes is a bug and fails an assert.
    static CsrGraph FromEdges(uint32_t nodes,
                              const std::vector<std::pair<uint32_t, uint32_t>>& edges);

    uint32_t NodeCount() const { return m_nodes; }
    // Undirected edges, each counted once.
    uint64_t EdgeCount() const { return m_targets.size() / 2; }
    uint32_t Degree(uint32_t v) const;
    NeighbourRange Neighbours(uint32_t v) const;

  private:
    uint32_t m_nodes = 0;
    std::vector<uint64_t> m_offsets; // row v is m_targets[m_offsets[v] .. m_offsets[v + 1])
    std::vector<uint32_t> m_targets;
};

} // namespace canon

#endif
