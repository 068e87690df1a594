#include "model/czr/report-cut.h"

#include <algorithm>

namespace canon
{

CzrReportPayload
CutReport(const CzrReportPayload& full, uint32_t rankMax, const std::vector<Address>& claimants)
{
    if (rankMax == 0)
    {
        return full;
    }
    std::vector<ClaimEntry> ranked;
    ranked.reserve(full.entries.size());
    for (const CzrReportEntry& e : full.entries)
    {
        ranked.push_back(RankingEntry(e));
    }
    const std::vector<bool> top = TopWithinGroups(ranked, rankMax);
    std::vector<Address> claimed = claimants;
    std::sort(claimed.begin(), claimed.end());
    CzrReportPayload out;
    out.epoch = full.epoch;
    for (std::size_t i = 0; i < full.entries.size(); ++i)
    {
        const CzrReportEntry& e = full.entries[i];
        if (top[i] || std::binary_search(claimed.begin(), claimed.end(), e.account))
        {
            out.entries.push_back(e);
            continue;
        }
        ++out.unnamedCount;
        out.unnamedTotal += e.total;
    }
    return out;
}

} // namespace canon
