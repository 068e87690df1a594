// Who hears a vehicle's safety message (paper 3.5.3's per-message payments): the listeners
// within radio range of it. Positions are bucketed into square cells one range wide, so a
// sender's hearers are among the listeners of its own cell and the eight around it: building the
// grid costs O(listeners), a query O(listeners in those nine cells), where comparing every pair
// costs O(listeners^2) per round of safety messages.
//
// Ownership: the grid copies the positions it is built from; a query for a sender takes its
// position from the same snapshot. Invariants: Near returns listeners in increasing index, never
// the sender, each within `range` (Euclidean, metres) of it. Bounds: one cell list per occupied
// cell; positions are finite (a cell index is the floor of position / range, clamped to +-2^30).
#ifndef CANONSIM_CHANNELS_HEARING_GRID_H
#define CANONSIM_CHANNELS_HEARING_GRID_H

#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

namespace canon
{

class HearingGrid
{
  public:
    using Position = std::pair<double, double>;

    explicit HearingGrid(double range)
      : m_range(range)
    {
    }
    // Buckets `listeners` (indices into `positions`) by cell.
    void Build(std::vector<Position> positions, const std::vector<uint32_t>& listeners);
    // The listeners within range of node `from` (an index into the positions), sorted.
    std::vector<uint32_t> Near(uint32_t from) const;

  private:
    static uint64_t Key(int64_t cx, int64_t cy);
    int64_t Cell(double coordinate) const;

    double m_range;
    std::vector<Position> m_positions;
    std::unordered_map<uint64_t, std::vector<uint32_t>> m_cells;
};

} // namespace canon

#endif
