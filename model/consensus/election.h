// PoP producer election (PROTOCOL.md 2.2, paper 3.1.3.1): a pure function of the chain's PoP
// state, so every node that holds the same chain elects the same producers.
//
//   1. Candidates: accounts with a fresh contribution claim. Each is scored by its effective
//      contribution, min(claimed, observed by CZR): a claim above observation is capped, and
//      flagged as an over-claim when it is for the same epoch as the report. Accounts are grouped
//      by (region, application type) and the best `candidatesPerGroup` of each group (ties: lower
//      address) are candidates, so the set is broadly representative. `candidatesPerGroup` is
//      the candidate rule in force on the chain (model/governance/in-force.h).
//      Groups use the region and application CZR observed, and a producer whose missed-slot run
//      reached ElectionParams::missedSlotsMax is left out until it produces again; a key slashed
//      by evidence (PopState::slashed) is left out for good.
//   2. Votes: every account's approvals count with its balance (stake) or with one vote
//      (ElectionParams::stakeWeighted).
//   3. N producers are drawn from the candidates by weighted sampling without replacement,
//      probability proportional to votes, seeded by the hash of the last irreversible block
//      (Efraimidis-Spirakis keys -ln(u)/w, smallest first). Reading fixed here: while nobody
//      has voted for any candidate, the weights are the effective scores; places still open
//      after the sampling (too few candidates with weight) go to the remaining candidates by
//      score, then to members of the current set in their order (those on a missed-slot run
//      after the rest, slashed keys last), so the set always has N.
#ifndef CANONSIM_CONSENSUS_ELECTION_H
#define CANONSIM_CONSENSUS_ELECTION_H

#include "model/chain/ledger-state.h"

#include <string>
#include <vector>

namespace canon
{

struct ElectionCandidate
{
    Address account{};
    PublicKey key{};
    uint32_t region = 0;
    uint8_t application = 0;
    double claimed = 0;   // scores in units of 1.0 (kScoreUnits on chain)
    double observed = 0;  // the CZR report's total
    double effective = 0; // min(claimed, observed)
    bool overclaim = false;
    double votes = 0;
    bool elected = false;
};

struct ElectionOutcome
{
    std::string trigger; // why it ran: "first-election", "contribution-drift 0.40", ...
    uint64_t height = 0; // the block that announced it
    std::vector<ElectionCandidate> candidates; // by address
    std::vector<PublicKey> elected;            // N keys, in draw order
    std::vector<Address> topByObservation;     // the ranking that later drift is measured from
};

// The top `n` accounts by observed total in the latest CZR report (ties: lower address).
std::vector<Address> TopByObservation(const PopState& pop, uint32_t n);
// Accounts with a claim on chain, best observed total first (ties: lower address): what a
// voter who backs the top contributors approves.
std::vector<Address> RankClaimants(const PopState& pop);
// Share of places in `now` whose account is not in `before` (1 when `before` is empty).
double RankingDrift(const std::vector<Address>& before, const std::vector<Address>& now);

ElectionOutcome RunElection(const LedgerState& state, const ChainParams& params, uint32_t n,
                            uint64_t height, const Hash256& seed,
                            const std::vector<PublicKey>& current, std::string trigger);

} // namespace canon

#endif
