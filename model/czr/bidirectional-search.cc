#include "model/czr/bidirectional-search.h"

#include "model/core/status.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace canon
{

BidirectionalSearch::BidirectionalSearch(const CsrGraph& g)
  : m_graph(g)
  , m_state(g.NodeCount())
{
    // Both queues together never hold more than n nodes; reserving n each keeps every search
    // free of allocations.
    for (Side& side : m_sides)
    {
        side.queue.reserve(g.NodeCount());
    }
}

void
BidirectionalSearch::Reset()
{
    for (Side& side : m_sides)
    {
        for (uint32_t v : side.queue)
        {
            m_state[v] = NodeState{};
        }
        side.queue.clear();
    }
    m_meetings.clear();
}

void
BidirectionalSearch::Start(uint8_t side, uint32_t root)
{
    Side& sd = m_sides[side];
    m_state[root] = NodeState{0, side, 1.0};
    sd.queue.push_back(root);
    sd.frontierStart = 0;
    sd.level = 0;
    sd.degreeSum = m_graph.Degree(root);
}

bool
BidirectionalSearch::ExpandLevel(uint8_t me)
{
    Side& sd = m_sides[me];
    const uint8_t other = me ^ 1U;
    const std::size_t first = sd.frontierStart;
    const std::size_t last = sd.queue.size();
    const uint32_t next = sd.level + 1;
    sd.frontierStart = last;
    sd.degreeSum = 0;
    std::size_t i = first;
    for (; i < last && m_meetings.empty(); ++i)
    {
        const uint32_t u = sd.queue[i];
        const double su = m_state[u].sigma;
        for (uint32_t w : m_graph.Neighbours(u))
        {
            NodeState& nw = m_state[w];
            if (nw.side == kNone)
            {
                nw = NodeState{next, me, su};
                sd.queue.push_back(w);
                sd.degreeSum += m_graph.Degree(w);
            }
            else if (nw.side == me)
            {
                nw.sigma += nw.level == next ? su : 0.0;
            }
            else
            {
                m_meetings.push_back(me == 0 ? Meeting{u, w} : Meeting{w, u});
            }
        }
    }
    if (m_meetings.empty())
    {
        sd.level = next;
        return false;
    }
    // Met: d(s, t) is known, and the rest of the frontier only needs its meeting edges.
    for (; i < last; ++i)
    {
        const uint32_t u = sd.queue[i];
        for (uint32_t w : m_graph.Neighbours(u))
        {
            if (m_state[w].side == other)
            {
                m_meetings.push_back(me == 0 ? Meeting{u, w} : Meeting{w, u});
            }
        }
    }
    // The new level stays unfinished: the frontier (and its level) is still the one expanded.
    sd.frontierStart = first;
    m_distance = m_sides[0].level + m_sides[1].level + 1;
    return true;
}

bool
BidirectionalSearch::Search(uint32_t s, uint32_t t)
{
    CANON_ASSERT(s != t && s < m_graph.NodeCount() && t < m_graph.NodeCount(),
                 "BidirectionalSearch: s != t, both nodes of the graph");
    Reset();
    Start(0, s);
    Start(1, t);
    for (;;)
    {
        for (const Side& side : m_sides)
        {
            if (side.frontierStart == side.queue.size())
            {
                return false; // one ball is a whole component without the other root
            }
        }
        // Balanced: the cheaper next level first; ties go to s's side.
        const uint8_t me = m_sides[1].degreeSum < m_sides[0].degreeSum ? 1 : 0;
        if (ExpandLevel(me))
        {
            break;
        }
    }
    for (const Meeting& e : m_meetings)
    {
        CANON_ASSERT(m_state[e.x].level == m_sides[0].level &&
                         m_state[e.y].level == m_sides[1].level,
                     "BidirectionalSearch: a meeting edge off the two frontiers");
        CANON_ASSERT(std::isfinite(m_state[e.x].sigma) && std::isfinite(m_state[e.y].sigma),
                     "BidirectionalSearch: more than 2^1023 shortest paths on one side");
    }
    return true;
}

double
BidirectionalSearch::PathCount() const
{
    double sigma = 0.0;
    for (const Meeting& e : m_meetings)
    {
        sigma += m_state[e.x].sigma * m_state[e.y].sigma;
    }
    return sigma;
}

void
BidirectionalSearch::WalkBack(uint8_t side, uint32_t z, Rng& rng, std::vector<uint32_t>& out) const
{
    while (m_state[z].level > 0)
    {
        out.push_back(z);
        const uint32_t up = m_state[z].level - 1;
        // sigma(z) is the sum of its predecessors' counts; draw one in proportion to them.
        // Rounding may leave the running sum a hair short of the draw: the last one takes it.
        const double draw = rng.Uniform() * m_state[z].sigma;
        double sum = 0.0;
        uint32_t chosen = z;
        for (uint32_t p : m_graph.Neighbours(z))
        {
            const NodeState& sp = m_state[p];
            if (sp.side != side || sp.level != up)
            {
                continue;
            }
            chosen = p;
            sum += sp.sigma;
            if (draw < sum)
            {
                break;
            }
        }
        CANON_ASSERT(chosen != z, "BidirectionalSearch: a visited node without a predecessor");
        z = chosen;
    }
}

void
BidirectionalSearch::DrawPath(Rng& rng, std::vector<uint32_t>& internal) const
{
    CANON_ASSERT(!m_meetings.empty(), "BidirectionalSearch::DrawPath: no successful search");
    // Weights sigma_s(x) sigma_t(y), each factor divided by the largest of its side (a power of
    // two, exact) so that the product cannot overflow.
    double xMax = 0.0;
    double yMax = 0.0;
    for (const Meeting& e : m_meetings)
    {
        xMax = std::max(xMax, m_state[e.x].sigma);
        yMax = std::max(yMax, m_state[e.y].sigma);
    }
    int xExp = 0;
    int yExp = 0;
    std::frexp(xMax, &xExp);
    std::frexp(yMax, &yExp);
    double total = 0.0;
    for (const Meeting& e : m_meetings)
    {
        total += std::ldexp(m_state[e.x].sigma, -xExp) * std::ldexp(m_state[e.y].sigma, -yExp);
    }
    const double draw = rng.Uniform() * total;
    double sum = 0.0;
    Meeting chosen = m_meetings.back();
    for (const Meeting& e : m_meetings)
    {
        sum += std::ldexp(m_state[e.x].sigma, -xExp) * std::ldexp(m_state[e.y].sigma, -yExp);
        if (draw < sum)
        {
            chosen = e;
            break;
        }
    }
    const std::size_t first = internal.size();
    WalkBack(0, chosen.x, rng, internal);
    // WalkBack appended x first and the node next to s last: put s's half in path order.
    std::reverse(internal.begin() + static_cast<std::ptrdiff_t>(first), internal.end());
    WalkBack(1, chosen.y, rng, internal);
}

} // namespace canon
