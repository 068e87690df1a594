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
    const double c = std::floor(coordinate / (m_range + m_slack));
    return static_cast<int64_t>(std::clamp(c, -kCellMax, kCellMax));
}

// Whether some listener moved more than slack / 2 since the last rebuild.
bool
HearingGrid::Moved() const
{
    const double limit = m_slack * m_slack / 4;
    for (uint32_t w : m_listeners)
    {
        if (w >= m_now.size() || w >= m_built.size())
        {
            return true;
        }
        const double dx = m_now[w].first - m_built[w].first;
        const double dy = m_now[w].second - m_built[w].second;
        if (dx * dx + dy * dy > limit)
        {
            return true;
        }
    }
    return false;
}

void
HearingGrid::Rebuild()
{
    ++m_rebuilds;
    m_built = m_now;
    m_cells.clear();
    for (uint32_t w : m_listeners)
    {
        const Position& p = m_built.at(w);
        m_cells.emplace_back(Key(Cell(p.first), Cell(p.second)), w);
    }
    std::sort(m_cells.begin(), m_cells.end());
}

void
HearingGrid::Update(std::vector<Position> positions, const std::vector<uint32_t>& listeners)
{
    m_now = std::move(positions);
    if (listeners != m_listeners || Moved())
    {
        m_listeners = listeners;
        Rebuild();
    }
}

std::vector<uint32_t>
HearingGrid::Near(uint32_t from) const
{
    std::vector<uint32_t> out;
    const Position& p = m_now.at(from);
    const int64_t cx = Cell(p.first), cy = Cell(p.second);
    for (int64_t dx = -1; dx <= 1; ++dx)
    {
        for (int64_t dy = -1; dy <= 1; ++dy)
        {
            const uint64_t key = Key(cx + dx, cy + dy);
            auto it = std::lower_bound(m_cells.begin(), m_cells.end(), std::make_pair(key, 0u));
            for (; it != m_cells.end() && it->first == key; ++it)
            {
                const uint32_t w = it->second;
                const Position& q = m_now[w];
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
