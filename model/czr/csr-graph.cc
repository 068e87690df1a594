#include "model/czr/csr-graph.h"

#include "model/core/status.h"

#include <algorithm>

namespace canon
{

CsrGraph::CsrGraph()
  : m_offsets(1, 0)
{
}

CsrGraph
CsrGraph::FromEdges(uint32_t nodes, const std::vector<std::pair<uint32_t, uint32_t>>& edges)
{
    CsrGraph g;
    g.m_nodes = nodes;
    // Counting sort into rows (both directions), then sort and deduplicate each row in place:
    // linear memory and no global sort of all 2m half-edges.
    std::vector<uint64_t> degree(static_cast<std::size_t>(nodes) + 1, 0);
    for (const auto& [u, v] : edges)
    {
        CANON_ASSERT(u < nodes && v < nodes, "CsrGraph::FromEdges: node index out of range");
        if (u != v)
        {
            ++degree[u];
            ++degree[v];
        }
    }
    std::vector<uint64_t> start(static_cast<std::size_t>(nodes) + 1, 0);
    for (uint32_t v = 0; v < nodes; ++v)
    {
        start[v + 1] = start[v] + degree[v];
    }
    std::vector<uint32_t> raw(start[nodes]);
    std::vector<uint64_t> fill(start.begin(), start.end() - 1);
    for (const auto& [u, v] : edges)
    {
        if (u != v)
        {
            raw[fill[u]++] = v;
            raw[fill[v]++] = u;
        }
    }
    g.m_offsets.assign(static_cast<std::size_t>(nodes) + 1, 0);
    g.m_targets.reserve(raw.size());
    for (uint32_t v = 0; v < nodes; ++v)
    {
        auto first = raw.begin() + static_cast<std::ptrdiff_t>(start[v]);
        auto last = raw.begin() + static_cast<std::ptrdiff_t>(start[v + 1]);
        std::sort(first, last);
        last = std::unique(first, last);
        g.m_targets.insert(g.m_targets.end(), first, last);
        g.m_offsets[v + 1] = g.m_targets.size();
    }
    g.m_targets.shrink_to_fit();
    return g;
}

uint32_t
CsrGraph::Degree(uint32_t v) const
{
    CANON_ASSERT(v < m_nodes, "CsrGraph::Degree: node index out of range");
    // A simple graph's degree is below its node count, which fits in 32 bits.
    return static_cast<uint32_t>(m_offsets[v + 1] - m_offsets[v]);
}

CsrGraph::NeighbourRange
CsrGraph::Neighbours(uint32_t v) const
{
    CANON_ASSERT(v < m_nodes, "CsrGraph::Neighbours: node index out of range");
    const uint32_t* base = m_targets.data();
    return NeighbourRange(base + m_offsets[v], base + m_offsets[v + 1]);
}

} // namespace canon
