// The claim rule (model/czr/claim-rule.h): the cap holds at a large node count, and groups no
// larger than the cap keep every member (small scenarios claim as before the cap).
#include "model/czr/claim-rule.h"

#include "tests/czr/test-accounts.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

namespace canon
{
namespace
{

using test::AccountOf;

// n nodes spread round robin over `regions` x `apps` groups, scores drawn with many ties.
std::vector<ClaimEntry>
Entries(uint32_t n, uint32_t regions, uint8_t apps, uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::vector<ClaimEntry> out;
    for (uint32_t i = 0; i < n; ++i)
    {
        ClaimEntry e;
        e.region = i % regions;
        e.application = static_cast<uint8_t>(i % apps);
        e.score = rng() % 1000;
        e.account = AccountOf(i);
        out.push_back(e);
    }
    return out;
}

TEST(ClaimRuleTest, CapHoldsAtLargeNodeCount)
{
    const uint32_t rankMax = 84; // 2 x the default candidatesPerGroup
    const std::vector<ClaimEntry> entries = Entries(110000, 3, 2, 7);
    const std::vector<bool> keep = TopWithinGroups(entries, rankMax);
    std::map<std::pair<uint32_t, uint8_t>, uint32_t> kept;
    std::map<std::pair<uint32_t, uint8_t>, uint64_t> lowestKept, highestDropped;
    for (std::size_t i = 0; i < entries.size(); ++i)
    {
        const auto g = std::make_pair(entries[i].region, entries[i].application);
        if (keep[i])
        {
            ++kept[g];
            lowestKept.try_emplace(g, entries[i].score);
            lowestKept[g] = std::min(lowestKept[g], entries[i].score);
        }
        else
        {
            highestDropped[g] = std::max(highestDropped[g], entries[i].score);
        }
    }
    ASSERT_EQ(kept.size(), 6u);
    for (const auto& [g, count] : kept)
    {
        EXPECT_EQ(count, rankMax);                   // exactly the cap: 504 claims, not 110,000
        EXPECT_GE(lowestKept[g], highestDropped[g]); // the best of each group are kept
    }
}

TEST(ClaimRuleTest, TiesGoToLowerAccountAndOrderDoesNotMatter)
{
    std::vector<ClaimEntry> entries = Entries(500, 1, 1, 3);
    for (ClaimEntry& e : entries)
    {
        e.score = 5; // all tied: the 10 lowest accounts are kept
    }
    std::vector<ClaimEntry> reversed(entries.rbegin(), entries.rend());
    const std::vector<bool> keep = TopWithinGroups(entries, 10);
    const std::vector<bool> keepReversed = TopWithinGroups(reversed, 10);
    for (std::size_t i = 0; i < entries.size(); ++i)
    {
        EXPECT_EQ(keep[i], i < 10) << i;
        EXPECT_EQ(keepReversed[entries.size() - 1 - i], keep[i]) << i;
    }
    const std::vector<uint32_t> rank = RankWithinGroups(entries);
    EXPECT_EQ(rank[0], 0u);
    EXPECT_EQ(rank[499], 499u);
}

TEST(ClaimRuleTest, GroupsWithinTheCapKeepEveryone)
{
    // small.yaml (30 nodes) and default.yaml (50 nodes): one group, fewer members than 84.
    for (uint32_t n : {30u, 50u, 84u})
    {
        const std::vector<bool> keep = TopWithinGroups(Entries(n, 1, 1, n), 84);
        EXPECT_EQ(std::count(keep.begin(), keep.end(), true), static_cast<std::ptrdiff_t>(n));
    }
    const std::vector<bool> one = TopWithinGroups(Entries(85, 1, 1, 1), 84);
    EXPECT_EQ(std::count(one.begin(), one.end(), true), 84);
    const std::vector<bool> off = TopWithinGroups(Entries(1000, 1, 1, 1), 0);
    EXPECT_EQ(std::count(off.begin(), off.end(), true), 1000); // 0: no cap
}

} // namespace
} // namespace canon
