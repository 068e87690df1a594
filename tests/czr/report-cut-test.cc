// The report cut (model/czr/report-cut.h) and the cut report's encoding: at 110,000 nodes a
// report names each group's best and the claimants and sums the rest; groups within the bound
// are named whole, so small scenarios publish the report they published before the cut.
#include "model/czr/claim-rule.h"
#include "model/czr/report-cut.h"

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

// n accounts over `groups` (region) groups, totals drawn with ties, sorted by account.
CzrReportPayload
FullReport(uint32_t n, uint32_t groups, uint64_t seed)
{
    std::mt19937_64 rng(seed);
    CzrReportPayload r;
    r.epoch = 3;
    for (uint32_t i = 0; i < n; ++i)
    {
        CzrReportEntry e;
        e.account = AccountOf(i);
        e.total = rng() % 5000;
        e.resource = e.total / 2;
        e.region = i % groups;
        r.entries.push_back(e);
    }
    return r;
}

TEST(ReportCutTest, NamesEachGroupsBestAndTheClaimantsAndSumsTheRest)
{
    const uint32_t rankMax = 84;
    const CzrReportPayload full = FullReport(110000, 6, 11);
    const std::vector<Address> claimants = {AccountOf(17), AccountOf(50001), AccountOf(109999)};
    const CzrReportPayload cut = CutReport(full, rankMax, claimants);

    std::vector<ClaimEntry> ranked;
    for (const auto& e : full.entries)
    {
        ranked.push_back(ClaimEntry{e.region, e.application, e.total, e.account});
    }
    const std::vector<bool> top = TopWithinGroups(ranked, rankMax);
    std::vector<Address> expected;
    uint64_t unnamedTotal = 0;
    for (std::size_t i = 0; i < full.entries.size(); ++i)
    {
        const Address& a = full.entries[i].account;
        if (top[i] || std::count(claimants.begin(), claimants.end(), a) > 0)
        {
            expected.push_back(a);
        }
        else
        {
            unnamedTotal += full.entries[i].total;
        }
    }
    ASSERT_EQ(cut.entries.size(), expected.size());
    EXPECT_LE(cut.entries.size(), 6u * rankMax + claimants.size());
    for (std::size_t k = 0; k < expected.size(); ++k)
    {
        EXPECT_EQ(cut.entries[k].account, expected[k]) << "named in account order";
    }
    for (const Address& c : claimants)
    {
        EXPECT_TRUE(std::any_of(cut.entries.begin(), cut.entries.end(),
                                [&](const CzrReportEntry& e) { return e.account == c; }));
    }
    EXPECT_EQ(cut.unnamedCount, full.entries.size() - expected.size());
    EXPECT_EQ(cut.unnamedTotal, unnamedTotal);
    EXPECT_EQ(cut.epoch, full.epoch);
    // 6.7 MB to every node becomes a few tens of kB.
    EXPECT_GT(full.Encode().size(), 6'000'000u);
    EXPECT_LT(cut.Encode().size(), 40'000u);
}

TEST(ReportCutTest, GroupsWithinTheBoundAreNamedWholeAndEncodeAsBefore)
{
    const CzrReportPayload full = FullReport(50, 1, 5);
    for (uint32_t rankMax : {0u, 50u, 84u})
    {
        const CzrReportPayload cut = CutReport(full, rankMax, {AccountOf(3)});
        EXPECT_EQ(cut.entries.size(), full.entries.size()) << rankMax;
        EXPECT_EQ(cut.unnamedCount, 0u);
        EXPECT_EQ(cut.Encode(), full.Encode()) << "no trailer when everyone is named";
    }
    const CzrReportPayload cut = CutReport(full, 49, {});
    EXPECT_EQ(cut.entries.size(), 49u);
    EXPECT_EQ(cut.unnamedCount, 1u);
}

TEST(ReportCutTest, CutReportRoundTripsAndBadTrailersAreRefusedByName)
{
    const CzrReportPayload cut = CutReport(FullReport(300, 2, 9), 21, {});
    ASSERT_GT(cut.unnamedCount, 0u);
    const Bytes bytes = cut.Encode();
    auto back = CzrReportPayload::Decode(bytes);
    ASSERT_TRUE(back.IsOk()) << back.GetStatus().ToString();
    EXPECT_EQ(back.Value().unnamedCount, cut.unnamedCount);
    EXPECT_EQ(back.Value().unnamedTotal, cut.unnamedTotal);
    EXPECT_EQ(back.Value().Encode(), bytes);

    Bytes zeroCount = CzrReportPayload{cut.epoch, cut.entries, 0, 0}.Encode();
    zeroCount.insert(zeroCount.end(), 12, 0); // a trailer saying nobody was left out
    auto s = CzrReportPayload::Decode(zeroCount).GetStatus();
    EXPECT_NE(s.Message().find("unnamed count 0"), std::string::npos) << s.ToString();

    const Bytes truncated(bytes.begin(), bytes.end() - 3);
    s = CzrReportPayload::Decode(truncated).GetStatus();
    EXPECT_NE(s.Message().find("unnamed total"), std::string::npos) << s.ToString();

    Bytes extra = bytes;
    extra.push_back(1);
    EXPECT_FALSE(CzrReportPayload::Decode(extra).IsOk()) << "bytes after the trailer";
}

} // namespace
} // namespace canon
