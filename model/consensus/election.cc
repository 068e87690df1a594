#include "model/consensus/election.h"

#include "model/core/rng.h"
#include "model/governance/in-force.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace canon
{

namespace
{

double
Score(uint64_t fixedPoint)
{
    return static_cast<double>(fixedPoint) / kScoreUnits;
}

bool
ByEffective(const ElectionCandidate& a, const ElectionCandidate& b)
{
    return a.effective != b.effective ? a.effective > b.effective : a.account < b.account;
}

// Fresh claims, capped at observation, then the best of each (region, application) group.
std::vector<ElectionCandidate>
Candidates(const LedgerState& state, const ElectionParams& p, uint64_t height)
{
    std::map<std::pair<uint32_t, uint8_t>, std::vector<ElectionCandidate>> groups;
    const PopState& pop = state.Pop();
    for (const auto& [account, stored] : pop.claims)
    {
        if (stored.height + p.claimLifetimeBlocks < height)
        {
            continue;
        }
        ElectionCandidate c;
        c.account = account;
        c.key = stored.key;
        c.region = stored.claim.region;
        c.application = stored.claim.application;
        c.claimed = Score(stored.claim.score);
        auto obs = pop.observed.find(account);
        c.observed = obs == pop.observed.end() ? 0.0 : Score(obs->second.total);
        if (obs != pop.observed.end())
        {
            // Group by what CZR observed, not by what the claimant declared: a declared region
            // or application could shop for an empty group.
            c.region = obs->second.region;
            c.application = obs->second.application;
        }
        c.effective = std::min(c.claimed, c.observed);
        // Only a claim for the report's own epoch can be judged against it; an older claim is
        // capped all the same, but scores move between epochs (the gamma discount, traffic).
        c.overclaim = stored.claim.epoch == pop.reportEpoch &&
                      c.claimed > c.observed * (1.0 + p.overclaimTolerance);
        // A producer that has just missed its slots in a row is not re-elected while the run
        // of misses stands.
        auto missed = pop.missedInRow.find(c.key);
        const bool failing = missed != pop.missedInRow.end() && missed->second >= p.missedSlotsMax;
        if (c.effective > 0 && !failing && pop.slashed.count(c.key) == 0)
        {
            groups[{c.region, c.application}].push_back(c);
        }
    }
    std::vector<ElectionCandidate> out;
    for (auto& [group, members] : groups)
    {
        std::sort(members.begin(), members.end(), ByEffective);
        const std::size_t take = std::min<std::size_t>(members.size(), p.candidatesPerGroup);
        out.insert(out.end(), members.begin(), members.begin() + static_cast<std::ptrdiff_t>(take));
    }
    std::sort(out.begin(), out.end(),
              [](const ElectionCandidate& a, const ElectionCandidate& b)
              { return a.account < b.account; });
    return out;
}

void
Tally(const LedgerState& state, const ElectionParams& p, std::vector<ElectionCandidate>& candidates)
{
    std::map<Address, std::size_t> index;
    for (std::size_t i = 0; i < candidates.size(); ++i)
    {
        index[candidates[i].account] = i;
    }
    for (const auto& [voter, approvals] : state.Pop().votes)
    {
        const double weight =
            p.stakeWeighted ? static_cast<double>(state.BalanceOf(voter)) / kUnitsPerCzr : 1.0;
        for (const Address& a : approvals)
        {
            auto it = index.find(a);
            if (it != index.end())
            {
                candidates[it->second].votes += weight;
            }
        }
    }
}

} // namespace

std::vector<Address>
TopByObservation(const PopState& pop, uint32_t n)
{
    std::vector<std::pair<uint64_t, Address>> ranked;
    for (const auto& [account, e] : pop.observed)
    {
        ranked.emplace_back(e.total, account);
    }
    std::sort(ranked.begin(), ranked.end(),
              [](const auto& a, const auto& b)
              { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    std::vector<Address> out;
    for (std::size_t i = 0; i < ranked.size() && i < n; ++i)
    {
        out.push_back(ranked[i].second);
    }
    return out;
}

std::vector<Address>
RankClaimants(const PopState& pop)
{
    std::vector<std::pair<uint64_t, Address>> ranked;
    for (const auto& [account, claim] : pop.claims)
    {
        auto it = pop.observed.find(account);
        ranked.emplace_back(it == pop.observed.end() ? 0 : it->second.total, account);
    }
    std::sort(ranked.begin(), ranked.end(),
              [](const auto& a, const auto& b)
              { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    std::vector<Address> out;
    for (const auto& r : ranked)
    {
        out.push_back(r.second);
    }
    return out;
}

double
RankingDrift(const std::vector<Address>& before, const std::vector<Address>& now)
{
    if (before.empty() || now.empty())
    {
        return before.empty() && now.empty() ? 0.0 : 1.0;
    }
    const std::set<Address> old(before.begin(), before.end());
    std::size_t changed = 0;
    for (const Address& a : now)
    {
        changed += old.count(a) == 0 ? 1U : 0U;
    }
    return static_cast<double>(changed) / static_cast<double>(now.size());
}

ElectionOutcome
RunElection(const LedgerState& state, const ChainParams& params, uint32_t n, uint64_t height,
            const Hash256& seed, const std::vector<PublicKey>& current, std::string trigger)
{
    ElectionOutcome out;
    out.trigger = std::move(trigger);
    out.height = height;
    out.topByObservation = TopByObservation(state.Pop(), n);
    // The candidate rule in force on this chain (governance may have changed it: in-force.h).
    const ElectionParams rules = ElectionRulesIn(params.election, state.Governance());
    out.candidates = Candidates(state, rules, height);
    Tally(state, rules, out.candidates);

    bool anyVotes = false;
    for (const auto& c : out.candidates)
    {
        anyVotes = anyVotes || c.votes > 0;
    }
    // Weighted sampling without replacement: each candidate draws -ln(u)/w; the n smallest win.
    Rng rng(HashPrefix64(seed));
    std::vector<std::pair<double, std::size_t>> keys;
    for (std::size_t i = 0; i < out.candidates.size(); ++i)
    {
        const double u = rng.Uniform();
        const double w = anyVotes ? out.candidates[i].votes : out.candidates[i].effective;
        if (w > 0)
        {
            keys.emplace_back(-std::log1p(-u) / w, i);
        }
    }
    std::sort(keys.begin(), keys.end());
    std::set<PublicKey> chosen;
    auto take = [&](const PublicKey& k)
    {
        if (out.elected.size() < n && chosen.insert(k).second)
        {
            out.elected.push_back(k);
        }
    };
    for (const auto& [key, i] : keys)
    {
        take(out.candidates[i].key);
    }
    std::vector<ElectionCandidate> byScore = out.candidates;
    std::sort(byScore.begin(), byScore.end(), ByEffective);
    for (const auto& c : byScore)
    {
        take(c.key);
    }
    const PopState& pop = state.Pop();
    for (const auto& k : current)
    {
        auto missed = pop.missedInRow.find(k);
        if (pop.slashed.count(k) == 0 &&
            (missed == pop.missedInRow.end() || missed->second < params.election.missedSlotsMax))
        {
            take(k);
        }
    }
    // Only if nothing else is left does a failing member keep its place (a slashed one last,
    // and its slots stay empty): the set has N.
    for (const auto& k : current)
    {
        if (pop.slashed.count(k) == 0)
        {
            take(k);
        }
    }
    for (const auto& k : current)
    {
        take(k);
    }
    for (auto& c : out.candidates)
    {
        c.elected = chosen.count(c.key) != 0;
    }
    return out;
}

} // namespace canon
