// The report cut (PROTOCOL.md 2.1): which accounts a CZR report names. The one copy of the rule;
// model/run/czr-loop.cc applies it to the report the engine scored before publishing it.
//
// A report is a transaction every node fetches and every chain holds, so a report that names
// every node costs O(nodes) bytes at each of O(nodes) nodes an epoch (6.7 MB at 110,000 nodes).
// What the chain reads from a report is bounded: the election reads the observed scores of
// claimants (at most rankMax per group by the claim rule, model/czr/claim-rule.h), re-election
// reads the top N overall, and the claim rule's first part reads the top rankMax of each
// (region, application) group. So the report names, in each group, its `rankMax` best by observed
// total (ties to the lower account, as in the claim rule), and every account in `claimants`
// (this epoch's claims, so each is judged against its own observation). The rest is summed: the
// count of unnamed accounts and the sum of their totals, so that the reward split by
// contribution (LedgerState::PayByContribution) pays each named account the same share it would
// under a full report, and the unnamed share stays in the PoP pool.
//
// rankMax 0 names everyone (the claim rule's bound 0: no cap). A group of at most rankMax
// members is named whole, so small scenarios publish the same report as without the cut.
// Stateless; O(n log n) in the report's entries.
#ifndef CANONSIM_CZR_REPORT_CUT_H
#define CANONSIM_CZR_REPORT_CUT_H

#include "model/chain/transaction.h"
#include "model/czr/claim-rule.h"

#include <vector>

namespace canon
{

// A report entry as the claim rule ranks it (by its observed total).
inline ClaimEntry
RankingEntry(const CzrReportEntry& e)
{
    return ClaimEntry{e.region, e.application, e.total, e.account};
}

// `full` sorted by account (as ScoreEpoch makes it); the result is too.
CzrReportPayload CutReport(const CzrReportPayload& full, uint32_t rankMax,
                           const std::vector<Address>& claimants);

} // namespace canon

#endif
