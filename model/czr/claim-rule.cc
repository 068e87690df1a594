#include "model/czr/claim-rule.h"

#include <algorithm>
#include <numeric>
#include <tuple>

namespace canon
{

namespace
{

bool
SameGroup(const ClaimEntry& a, const ClaimEntry& b)
{
    return a.region == b.region && a.application == b.application;
}

// Group first, then score (higher first), then account (lower first).
bool
GroupThenPlace(const ClaimEntry& a, const ClaimEntry& b)
{
    if (!SameGroup(a, b))
    {
        return std::tie(a.region, a.application) < std::tie(b.region, b.application);
    }
    return a.score != b.score ? a.score > b.score : a.account < b.account;
}

} // namespace

std::vector<uint32_t>
RankWithinGroups(const std::vector<ClaimEntry>& entries)
{
    std::vector<std::size_t> order(entries.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&entries](std::size_t a, std::size_t b)
              { return GroupThenPlace(entries[a], entries[b]); });
    std::vector<uint32_t> rank(entries.size(), 0);
    uint32_t place = 0;
    for (std::size_t k = 0; k < order.size(); ++k)
    {
        const bool newGroup = k == 0 || !SameGroup(entries[order[k - 1]], entries[order[k]]);
        place = newGroup ? 0 : place + 1;
        rank[order[k]] = place;
    }
    return rank;
}

std::vector<bool>
TopWithinGroups(const std::vector<ClaimEntry>& entries, uint32_t rankMax)
{
    std::vector<bool> keep(entries.size(), true);
    if (rankMax == 0)
    {
        return keep;
    }
    const std::vector<uint32_t> rank = RankWithinGroups(entries);
    for (std::size_t i = 0; i < entries.size(); ++i)
    {
        keep[i] = rank[i] < rankMax;
    }
    return keep;
}

} // namespace canon
