// BidirectionalSearch: all shortest paths between two nodes of a CsrGraph by a balanced
// bidirectional breadth-first search, and one of them drawn uniformly at random. The building
// block of shortest-path sampling (path-sampling.h; Riondato and Kornaropoulos 2016, with the
// balanced search of KADABRA, Borassi and Natale 2016/2019).
//
// Owned by one thread: it holds O(n) workspace for its graph (about 20 bytes a node), which it
// reuses for every search. The graph must outlive it and must not change. A search resets only
// the nodes it visited, so a search that meets after touching k nodes costs O(edges of those k
// nodes), not O(n).
//
// How a search works: a ball grows around s and one around t, one complete BFS level at a time,
// always on the side whose frontier has the smaller sum of degrees (the next level costs about
// that many edge visits). Each visited node belongs to one side and holds its level on that side
// and sigma, the number of shortest paths from that side's root to it. Invariant before each
// step, with a and b the frontier levels of the s and t sides: every node within a of s (within
// b of t) is visited by its side with its final sigma, and d(s, t) > a + b. The step that first
// scans an edge {x, y} with x on the s side at level a and y on the t side (necessarily at level
// b) proves d(s, t) = a + b + 1; it finishes scanning its frontier for such edges only. Every
// shortest s-t path crosses exactly one of these meeting edges, so
//     sigma_st = sum over meeting edges {x, y} of sigma_s(x) * sigma_t(y),
// and a path drawn by (1) picking a meeting edge with probability sigma_s(x) sigma_t(y) /
// sigma_st, then (2) walking back from x to s (and from y to t), at each node z choosing a
// predecessor p with probability sigma(p) / sigma(z), is uniform over the sigma_st paths.
//
// Always: results depend on the graph, s, t and the Rng's state only (neighbours are scanned in
// row order). Path counts are doubles without rescaling: a side's count above 2^1023 (more than
// about 1,000 diamonds in a row within half a path) stops the run on an assert rather than give
// a wrong path; counts below it are exact as long as they are below 2^53 and otherwise rounded,
// which biases the draw by at most about 2^-52 relative.
#ifndef CANONSIM_CZR_BIDIRECTIONAL_SEARCH_H
#define CANONSIM_CZR_BIDIRECTIONAL_SEARCH_H

#include "model/core/rng.h"
#include "model/czr/csr-graph.h"

#include <cstdint>
#include <vector>

namespace canon
{

class BidirectionalSearch
{
  public:
    explicit BidirectionalSearch(const CsrGraph& g);

    // Finds every shortest s-t path (s != t, both < n). False when t is not reachable from s;
    // then the accessors below must not be used until a search succeeds.
    bool Search(uint32_t s, uint32_t t);

    // After a successful Search: d(s, t) in edges.
    uint32_t Distance() const { return m_distance; }
    // After a successful Search: sigma_st (may be +inf beyond 2^1024 paths; DrawPath still works).
    double PathCount() const;
    // After a successful Search: appends the internal nodes (s and t excluded) of one shortest
    // s-t path drawn uniformly at random, in order from s's side to t's side.
    void DrawPath(Rng& rng, std::vector<uint32_t>& internal) const;
    // Adjacency entries the last search scanned, successful or not: its cost. A full BFS of a
    // connected graph scans all 2m.
    uint64_t EdgeScans() const { return m_edgeScans; }

  private:
    // Per node, a mark: 0 while unvisited, else Mark(side, level) with sides 0 (s) and 1 (t).
    // Marks are apart from the path counts so that the array every scanned edge reads is 4
    // bytes a node (440 KB at 110,000 nodes: it stays in a core's L2 cache).
    static uint32_t Mark(uint32_t side, uint32_t level) { return (side << 31) | (level + 1); }
    static uint32_t SideOf(uint32_t mark) { return mark >> 31; }
    static uint32_t LevelOf(uint32_t mark) { return (mark & 0x7fffffffU) - 1; }

    struct Side
    {
        std::vector<uint32_t> queue; // visited nodes in BFS order; the frontier is its tail
        std::size_t frontierStart = 0;
        uint32_t level = 0;     // the frontier's level
        uint64_t degreeSum = 0; // of the frontier
    };

    struct Meeting
    {
        uint32_t x; // s side, level m_sides[0].level
        uint32_t y; // t side, level m_sides[1].level
    };

    void Reset();
    void Start(uint32_t side, uint32_t root);
    // Expands side `me` by one level; returns true when it met the other side.
    bool ExpandLevel(uint32_t me);
    // Walks from z (on side `side`) back to that side's root, appending the nodes above level 0.
    void WalkBack(uint32_t side, uint32_t z, Rng& rng, std::vector<uint32_t>& out) const;

    const CsrGraph& m_graph;
    std::vector<uint32_t> m_mark;
    std::vector<double> m_sigma; // shortest paths from the node's side's root; valid if marked
    Side m_sides[2];
    std::vector<Meeting> m_meetings;
    uint32_t m_distance = 0;
    uint64_t m_edgeScans = 0;
};

} // namespace canon

#endif
