#include "model/consensus/baselines/dpos-election.h"

#include <algorithm>

namespace canon
{

DposCandidates::DposCandidates(std::vector<PublicKey> keys)
  : m_keys(std::move(keys))
{
    for (uint32_t i = 0; i < m_keys.size(); ++i)
    {
        m_addresses.push_back(AddressOf(m_keys[i]));
        m_byAddress.emplace_back(m_addresses.back(), i);
    }
    std::sort(m_byAddress.begin(), m_byAddress.end());
    auto sameAddress = [](const auto& a, const auto& b) { return a.first == b.first; };
    CANON_ASSERT(std::adjacent_find(m_byAddress.begin(), m_byAddress.end(), sameAddress) ==
                     m_byAddress.end(),
                 "dpos: a member key is listed twice in ConsensusParams::members");
}

std::optional<uint32_t>
DposCandidates::IndexOf(const Address& account) const
{
    auto it = std::lower_bound(m_byAddress.begin(), m_byAddress.end(), account,
                               [](const auto& e, const Address& a) { return e.first < a; });
    if (it == m_byAddress.end() || it->first != account)
    {
        return std::nullopt;
    }
    return it->second;
}

std::vector<uint64_t>
DposTallyVotes(const LedgerState& state, const DposCandidates& candidates, uint32_t votesMax)
{
    std::vector<uint64_t> votes(candidates.Keys().size(), 0);
    for (const auto& [voter, approvals] : state.Pop().votes)
    {
        const uint64_t stake = state.BalanceOf(voter);
        const std::size_t counted = std::min<std::size_t>(approvals.size(), votesMax);
        for (std::size_t i = 0; i < counted; ++i)
        {
            if (auto index = candidates.IndexOf(approvals[i]))
            {
                votes[*index] += stake;
            }
        }
    }
    return votes;
}

std::vector<PublicKey>
DposTopProducers(const DposCandidates& candidates, const std::vector<uint64_t>& votes, uint32_t n)
{
    const std::vector<PublicKey>& keys = candidates.Keys();
    std::vector<uint32_t> order;
    for (uint32_t i = 0; i < keys.size(); ++i)
    {
        if (votes[i] > 0)
        {
            order.push_back(i);
        }
    }
    auto better = [&](uint32_t a, uint32_t b)
    { return votes[a] != votes[b] ? votes[a] > votes[b] : keys[a] < keys[b]; };
    const std::size_t top = std::min<std::size_t>(n, order.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(top), order.end(),
                      better);
    std::vector<PublicKey> elected;
    for (std::size_t i = 0; i < top; ++i)
    {
        elected.push_back(keys[order[i]]);
    }
    std::sort(elected.begin(), elected.end());
    return elected;
}

} // namespace canon
