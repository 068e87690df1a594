// The claim rule (PROTOCOL.md 2.2): which nodes submit a contribution claim at the end of a CZR
// epoch. The one copy of the rule; model/run/czr-loop.cc applies it.
//
// A claim is a transaction that every node receives, so claims cost O(claimers x nodes) messages
// an epoch. The election (model/consensus/election.h) takes at most `candidatesPerGroup` claimants
// of each (region, application) group, so a claimant that cannot place near the top of its group
// cannot become a candidate, and its claim is only load. The rule ranks within each group and
// keeps the first `rankMax` places (ClaimRankMaxFor: 2 x candidatesPerGroup, room for the ranking
// to move between epochs; the candidate rule in force on the chain, which governance may change).
// It is applied twice:
//   1. by the last CZR report on chain: a node the report ranks at or beyond rankMax in its group
//      does not claim (a node a full report does not list may: it is new to CZR; a node a cut
//      report, model/czr/report-cut.h, does not name ranked beyond the bound, and does not);
//   2. by this epoch's own estimates, also at the first epoch when no report exists yet: among
//      the nodes still eligible, each group keeps its rankMax best by the score each node would
//      claim (its own local measurement times its claim scale).
// Bound: at most rankMax x (number of groups) claims an epoch, whatever the node count; 110,000
// nodes in one group give 84 claims at the default candidatesPerGroup of 42, not 110,000. A group
// with at most rankMax eligible members keeps all of them, so small scenarios (every group under
// rankMax) claim exactly as without the cap. rankMax 0 keeps everyone.
//
// Order: score, higher first; equal scores by lower account (the election's own tie-break), so
// the result is a pure function of the entries: deterministic, independent of their order.
// Stateless; O(n log n) in the number of entries.
#ifndef CANONSIM_CZR_CLAIM_RULE_H
#define CANONSIM_CZR_CLAIM_RULE_H

#include "model/core/keys.h"

#include <cstdint>
#include <vector>

namespace canon
{

struct ClaimEntry
{
    uint32_t region = 0;
    uint8_t application = 0;
    uint64_t score = 0; // in kScoreUnits, as claimed or reported on chain
    Address account{};
};

// The bound for a candidate rule of `candidatesPerGroup` candidates per group.
constexpr uint32_t
ClaimRankMaxFor(uint32_t candidatesPerGroup)
{
    return 2 * candidatesPerGroup;
}

// Per entry: its place within its (region, application) group, 0 the best.
std::vector<uint32_t> RankWithinGroups(const std::vector<ClaimEntry>& entries);

// Per entry: whether its place within its group is below rankMax (rankMax 0: every entry).
std::vector<bool> TopWithinGroups(const std::vector<ClaimEntry>& entries, uint32_t rankMax);

} // namespace canon

#endif
