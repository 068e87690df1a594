#include "model/sim/safety-checker.h"

#include <cstdio>

namespace canon
{

SafetyChecker::SafetyChecker(uint64_t seed, const RunHost& host, const Hash256& genesis)
  : m_seed(seed)
  , m_host(host)
  , m_seen(host.NodeCount())
  , m_irreversible{genesis}
{
}

void
SafetyChecker::Violation(const std::string& what)
{
    if (m_violations.size() < kViolationsMax)
    {
        char prefix[96];
        std::snprintf(prefix, sizeof prefix,
                      "seed %llu, t=%.3f s: ", static_cast<unsigned long long>(m_seed),
                      ToSeconds(m_host.Now()));
        m_violations.push_back(prefix + what);
    }
}

void
SafetyChecker::Check(uint32_t i, uint64_t incarnation)
{
    const Node* node = m_host.FullNode(i);
    if (!node || m_host.AdversaryAt(i))
    {
        return; // the checkers speak for honest full nodes
    }
    Seen& seen = m_seen[i];
    if (seen.incarnation != incarnation)
    {
        seen = Seen{incarnation, 0, Hash256{}};
    }
    CheckIrreversible(i, node->Chain(), seen);
    const BlockEntry* best = node->Chain().Best();
    if (best->hash != seen.bestHash)
    {
        seen.bestHash = best->hash;
        CheckSupply(i, *best);
    }
}

bool
SafetyChecker::SupplyChecked(const std::shared_ptr<const LedgerState>& state)
{
    for (const Checked& c : m_supplyChecked)
    {
        if (c.raw == state.get() && !c.alive.expired())
        {
            return true;
        }
    }
    m_supplyChecked[m_supplyNext] = Checked{state.get(), state};
    m_supplyNext = (m_supplyNext + 1) % kSupplyCheckedMax;
    return false;
}

void
SafetyChecker::CheckSupply(uint32_t i, const BlockEntry& best)
{
    if (SupplyChecked(best.state))
    {
        return;
    }
    const uint64_t supply = best.state->TotalSupply();
    if (supply != kTotalSupply)
    {
        Violation("supply: node " + std::to_string(i) + " holds " + std::to_string(supply) +
                  " at height " + std::to_string(best.height) + ", genesis minted " +
                  std::to_string(kTotalSupply));
    }
}

void
SafetyChecker::CheckIrreversible(uint32_t i, const ConsensusChain& chain, Seen& seen)
{
    if (!chain.Engine().DeterministicFinality())
    {
        return; // a depth rule may be overturned: counted as a finality violation, not checked
    }
    const BlockEntry* lib = chain.Lib();
    if (lib->height < seen.libHeight)
    {
        Violation("node " + std::to_string(i) + " irreversible height went back from " +
                  std::to_string(seen.libHeight) + " to " + std::to_string(lib->height));
    }
    if (lib->height <= seen.libHeight)
    {
        return;
    }
    for (const BlockEntry* e = lib; e && e->height > seen.libHeight; e = e->parent)
    {
        if (m_irreversible.size() <= e->height)
        {
            m_irreversible.resize(e->height + 1, Hash256{});
        }
        Hash256& recorded = m_irreversible[e->height];
        if (recorded == Hash256{})
        {
            recorded = e->hash;
        }
        else if (recorded != e->hash)
        {
            Violation("agreement: node " + std::to_string(i) + " holds irreversible block " +
                      ShortHex(e->hash) + " at height " + std::to_string(e->height) +
                      " where another node holds " + ShortHex(recorded));
        }
    }
    seen.libHeight = lib->height;
}

} // namespace canon
