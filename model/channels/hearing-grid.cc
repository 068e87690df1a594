#include "model/channels/hearing-grid.h"

#include <algorithm>
#include <cmath>

namespace canon
{

namespace
{

constexpr double kCellMax = 1073741824.0; // 2^30: cells beyond are clamped

} // namespace

uint64_t
HearingGrid::Key(int64_t cx, int64_t cy)
{
    return (static_cast<uint64_t>(cx) << 32) ^ (static_cast<uint64_t>(cy) & 0xffffffffu);
}

int64_t
HearingGrid::Cell(double coordinate) const
{
    const double c = std::floor(coordinate / m_range);
    return static_cast<int64_t>(std::clamp(c, -kCellMax, kCellMax));
}

void
HearingGrid::Build(std::vector<Position> positions, const std::vector<uint32_t>& listeners)
{
    m_positions = std::move(positions);
    m_cells.clear();
    for (uint32_t w : listeners)
    {
        const Position& p = m_positions.at(w);
        m_cells[Key(Cell(p.first), Cell(p.second))].push_back(w);
    }
}

std::vector<uint32_t>
HearingGrid::Near(uint32_t from) const
{
    std::vector<uint32_t> out;
    const Position& p = m_positions.at(from);
    const int64_t cx = Cell(p.first), cy = Cell(p.second);
    for (int64_t dx = -1; dx <= 1; ++dx)
    {
        for (int64_t dy = -1; dy <= 1; ++dy)
        {
            auto it = m_cells.find(Key(cx + dx, cy + dy));
            if (it == m_cells.end())
            {
                continue;
            }
            for (uint32_t w : it->second)
            {
                const Position& q = m_positions[w];
                if (w != from && std::hypot(p.first - q.first, p.second - q.second) <= m_range)
                {
                    out.push_back(w);
                }
            }
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace canon
