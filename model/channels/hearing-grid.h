// Who hears a vehicle's safety message (paper 3.5.3's per-message payments): the listeners
// within radio range of it. Listeners are bucketed by where they were at the last build into
// square cells of range + slack, so a sender's hearers are among the listeners of the nine cells
// around the sender; the exact distance is then taken on the positions of now. That is exact as
// long as no listener has moved more than slack / 2 since the build, and Update rebuilds as soon
// as one has (or the listeners changed).
//
// Costs: Update O(listeners) (a distance per listener; a rebuild adds one sort), Near
// O(log listeners + the listeners of nine cells), where comparing every pair costs
// O(listeners^2) per round of safety messages.
//
// Ownership: the grid copies the positions it is given. Invariants: Near returns listeners in
// increasing index, never the sender, each within `range` (Euclidean, metres) of it now.
// Bounds: one array entry per listener; positions are finite (a cell index is the floor of
// position / cell, clamped to +-2^30: two clamped cells may share a key, and only the exact
// distance decides).
#ifndef CANONSIM_CHANNELS_HEARING_GRID_H
#define CANONSIM_CHANNELS_HEARING_GRID_H

#include <cstdint>
#include <utility>
#include <vector>

namespace canon
{

class HearingGrid
{
  public:
    using Position = std::pair<double, double>;

    // range > 0, slack > 0 (metres).
    HearingGrid(double range, double slack)
      : m_range(range)
      , m_slack(slack)
    {
    }
    // Every node's position now (indexed by node), and the listeners (sorted node indices).
    void Update(std::vector<Position> positions, const std::vector<uint32_t>& listeners);
    // The listeners within range of node `from` now, sorted.
    std::vector<uint32_t> Near(uint32_t from) const;
    uint64_t Rebuilds() const { return m_rebuilds; }

  private:
    static uint64_t Key(int64_t cx, int64_t cy);
    int64_t Cell(double coordinate) const;
    bool Moved() const;
    void Rebuild();

    double m_range;
    double m_slack;
    std::vector<Position> m_now;
    std::vector<Position> m_built;                      // positions at the last rebuild
    std::vector<uint32_t> m_listeners;                  // at the last rebuild
    std::vector<std::pair<uint64_t, uint32_t>> m_cells; // (cell key, listener), sorted
    uint64_t m_rebuilds = 0;
};

} // namespace canon

#endif
