#include "model/czr/bidirectional-search.h"

#include "model/core/status.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace canon
{

BidirectionalSearch::BidirectionalSearch(const CsrGraph& g)
  : m_graph(g)
  , m_mark(g.NodeCount(), 0)
  , m_sigma(g.NodeCount(), 0.0)
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
            m_mark[v] = 0;
        }
        side.queue.clear();
    }
    m_meetings.clear();
    m_edgeScans = 0;
}

void
BidirectionalSearch::Start(uint32_t side, uint32_t root)
{
    Side& sd = m_sides[side];
    m_mark[root] = Mark(side, 0);
    m_sigma[root] = 1.0;
    sd.queue.push_back(root);
    sd.frontierStart = 0;
    sd.level = 0;
    sd.degreeSum = m_graph.Degree(root);
}

bool
BidirectionalSearch::ExpandLevel(uint32_t me)
{
    Side& sd = m_sides[me];
    const std::size_t first = sd.frontierStart;
    const std::size_t last = sd.queue.size();
    const uint32_t nextMark = Mark(me, sd.level + 1);
    m_edgeScans += sd.degreeSum; // every frontier row is scanned, met or not
    sd.frontierStart = last;
    sd.degreeSum = 0;
    std::size_t i = first;
    for (; i < last && m_meetings.empty(); ++i)
    {
        const uint32_t u = sd.queue[i];
        const double su = m_sigma[u];
        for (uint32_t w : m_graph.Neighbours(u))
        {
            const uint32_t mw = m_mark[w];
            if (mw == 0)
            {
                m_mark[w] = nextMark;
                m_sigma[w] = su;
                sd.queue.push_back(w);
                sd.degreeSum += m_graph.Degree(w);
            }
            else if (mw == nextMark)
            {
                m_sigma[w] += su;
            }
            else if (SideOf(mw) != me)
            {
                m_meetings.push_back(me == 0 ? Meeting{u, w} : Meeting{w, u});
            }
        }
    }
    if (m_meetings.empty())
    {
        ++sd.level;
        return false;
    }
    // Met: d(s, t) is known, and the rest of the frontier only needs its meeting edges.
    for (; i < last; ++i)
    {
        const uint32_t u = sd.queue[i];
        for (uint32_t w : m_graph.Neighbours(u))
        {
            const uint32_t mw = m_mark[w];
            if (mw != 0 && SideOf(mw) != me)
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
        const uint32_t me = m_sides[1].degreeSum < m_sides[0].degreeSum ? 1 : 0;
        if (ExpandLevel(me))
        {
            break;
        }
    }
    for (const Meeting& e : m_meetings)
    {
        CANON_ASSERT(m_mark[e.x] == Mark(0, m_sides[0].level) &&
                         m_mark[e.y] == Mark(1, m_sides[1].level),
                     "BidirectionalSearch: a meeting edge off the two frontiers");
        CANON_ASSERT(std::isfinite(m_sigma[e.x]) && std::isfinite(m_sigma[e.y]),
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
        sigma += m_sigma[e.x] * m_sigma[e.y];
    }
    return sigma;
}

void
BidirectionalSearch::WalkBack(uint32_t side, uint32_t z, Rng& rng, std::vector<uint32_t>& out) const
{
    while (LevelOf(m_mark[z]) > 0)
    {
        out.push_back(z);
        const uint32_t upMark = Mark(side, LevelOf(m_mark[z]) - 1);
        // sigma(z) is the sum of its predecessors' counts; draw one in proportion to them.
        // Rounding may leave the running sum a hair short of the draw: the last one takes it.
        const double draw = rng.Uniform() * m_sigma[z];
        double sum = 0.0;
        uint32_t chosen = z;
        for (uint32_t p : m_graph.Neighbours(z))
        {
            if (m_mark[p] != upMark)
            {
                continue;
            }
            chosen = p;
            sum += m_sigma[p];
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
        xMax = std::max(xMax, m_sigma[e.x]);
        yMax = std::max(yMax, m_sigma[e.y]);
    }
    int xExp = 0;
    int yExp = 0;
    std::frexp(xMax, &xExp);
    std::frexp(yMax, &yExp);
    auto weight = [&](const Meeting& e)
    { return std::ldexp(m_sigma[e.x], -xExp) * std::ldexp(m_sigma[e.y], -yExp); };
    double total = 0.0;
    for (const Meeting& e : m_meetings)
    {
        total += weight(e);
    }
    const double draw = rng.Uniform() * total;
    double sum = 0.0;
    Meeting chosen = m_meetings.back();
    for (const Meeting& e : m_meetings)
    {
        sum += weight(e);
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
