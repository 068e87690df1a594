#include "model/consensus/baselines/pow-selfish.h"

#include <algorithm>

namespace canon
{

void
SelfishMiningStrategy::Reset()
{
    m_private = 0;
    m_published = 0;
    m_public = 0;
}

SelfishAction
SelfishMiningStrategy::Publish(uint64_t through)
{
    SelfishAction a;
    a.publishThrough = std::min(through, m_private);
    m_published = std::max(m_published, a.publishThrough);
    return a;
}

SelfishAction
SelfishMiningStrategy::OnOwnBlock()
{
    const bool race = InRace();
    ++m_private;
    if (!race)
    {
        return {};
    }
    // State 0' and the pool found the next block: its branch is now one longer; publishing it
    // wins the race (the pool collects both blocks).
    SelfishAction a = Publish(m_private);
    a.rebase = true;
    Reset();
    return a;
}

SelfishAction
SelfishMiningStrategy::OnHonestBlock()
{
    const uint64_t lead = m_private > m_public ? m_private - m_public : 0;
    ++m_public;
    if (lead == 0)
    {
        // State 0 (nothing private) or 0' (the race is decided by this block): follow the public
        // chain, which holds the pool's block if the honest finder built on it.
        SelfishAction a;
        a.adoptPublic = true;
        Reset();
        return a;
    }
    if (lead == 1)
    {
        return Publish(m_private); // equal lengths: the race, state 0'
    }
    if (lead == 2)
    {
        SelfishAction a = Publish(m_private); // one ahead: the pool's branch wins
        a.rebase = true;
        Reset();
        return a;
    }
    return Publish(m_public); // lead > 2: match the public length, stay ahead
}

double
SelfishRevenue(double alpha, double gamma)
{
    const double a = alpha;
    const double num = a * (1 - a) * (1 - a) * (4 * a + gamma * (1 - 2 * a)) - a * a * a;
    const double den = 1 - a * (1 + (2 - a) * a);
    return num / den;
}

double
SelfishThreshold(double gamma)
{
    return (1 - gamma) / (3 - 2 * gamma);
}

} // namespace canon
