// The selfish-mining strategy (model/consensus/baselines/pow-selfish.h): its transitions on the
// table of NOTES.md 4.5, and its long-run revenue against Eyal and Sirer's formula in a
// block-event Monte Carlo where the chains, not the machine, decide who wins.
#include "model/consensus/baselines/pow-selfish.h"
#include "model/core/rng.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace canon
{
namespace
{

void
ExpectAction(const SelfishAction& a, uint64_t publishThrough, bool adopt, bool rebase)
{
    EXPECT_EQ(a.publishThrough, publishThrough);
    EXPECT_EQ(a.adoptPublic, adopt);
    EXPECT_EQ(a.rebase, rebase);
}

TEST(ConsensusPowSelfish, StateZeroFollowsTheHonestChainAndHidesItsOwnBlock)
{
    SelfishMiningStrategy s;
    ExpectAction(s.OnHonestBlock(), 0, true, false);
    EXPECT_EQ(s.PrivateLength(), 0u);
    ExpectAction(s.OnOwnBlock(), 0, false, false); // 0 -> 1, private
    EXPECT_EQ(s.PrivateLength(), 1u);
    EXPECT_EQ(s.Published(), 0u);
}

TEST(ConsensusPowSelfish, LeadOneMeetsAnHonestBlockWithARace)
{
    SelfishMiningStrategy s;
    s.OnOwnBlock();
    ExpectAction(s.OnHonestBlock(), 1, false, false); // publish: state 0'
    EXPECT_TRUE(s.InRace());
    ExpectAction(s.OnOwnBlock(), 2, false, true); // the pool wins the race with both blocks
    EXPECT_EQ(s.PrivateLength(), 0u);
    EXPECT_FALSE(s.InRace());

    SelfishMiningStrategy t;
    t.OnOwnBlock();
    t.OnHonestBlock();
    ExpectAction(t.OnHonestBlock(), 0, true, false); // the honest side decides the race
    EXPECT_FALSE(t.InRace());
}

TEST(ConsensusPowSelfish, LeadTwoPublishesAllWhenHonestMinersCatchUpByOne)
{
    SelfishMiningStrategy s;
    s.OnOwnBlock();
    ExpectAction(s.OnOwnBlock(), 0, false, false);
    ExpectAction(s.OnHonestBlock(), 2, false, true);
    EXPECT_EQ(s.PrivateLength(), 0u);
}

TEST(ConsensusPowSelfish, ALongLeadRevealsOneBlockPerHonestBlock)
{
    SelfishMiningStrategy s;
    for (int i = 0; i < 5; ++i)
    {
        s.OnOwnBlock();
    }
    ExpectAction(s.OnHonestBlock(), 1, false, false); // lead 5 -> 4
    ExpectAction(s.OnHonestBlock(), 2, false, false); // 4 -> 3
    ExpectAction(s.OnOwnBlock(), 0, false, false);    // 3 -> 4, private 6
    EXPECT_FALSE(s.InRace());
    ExpectAction(s.OnHonestBlock(), 3, false, false); // 4 -> 3
    ExpectAction(s.OnHonestBlock(), 4, false, false); // 3 -> 2
    EXPECT_EQ(s.Published(), 4u);
    ExpectAction(s.OnHonestBlock(), 6, false, true); // lead 2: publish all, win
}

TEST(ConsensusPowSelfish, TheFormulaMatchesThePublishedValuesAndThreshold)
{
    // NOTES.md 4.5 (pow_checks.out).
    EXPECT_NEAR(SelfishRevenue(0.1, 0.0), 0.0356, 5e-5);
    EXPECT_NEAR(SelfishRevenue(0.3, 0.5), 0.3269, 5e-5);
    EXPECT_NEAR(SelfishRevenue(0.45, 1.0), 0.7094, 5e-5);
    EXPECT_NEAR(SelfishThreshold(0.0), 1.0 / 3.0, 1e-12);
    EXPECT_NEAR(SelfishThreshold(0.5), 0.25, 1e-12);
    EXPECT_NEAR(SelfishThreshold(1.0), 0.0, 1e-12);
    for (double g : {0.0, 0.5, 0.9})
    {
        const double t = SelfishThreshold(g);
        EXPECT_NEAR(SelfishRevenue(t, g), t, 1e-12) << g;
    }
}

// Eyal and Sirer's world at the block level: each block is the pool's with probability alpha;
// honest miners mine on the longest public chain, and while two public branches of equal length
// race (one of them the pool's), a share gamma of them mine on the pool's. The chains decide who
// wins: a rebase needs the pool's published branch to be strictly longer than the honest one,
// an adopt the honest branch to be longer than the pool's. Settled blocks are counted.
class PoolWorld
{
  public:
    PoolWorld(double alpha, double gamma, uint64_t seed)
      : m_alpha(alpha)
      , m_gamma(gamma)
      , m_rng(Rng::Derive(seed, "pow-selfish-test"))
    {
    }

    void Step()
    {
        if (m_rng.Chance(m_alpha))
        {
            ++m_private;
            Apply(m_pool.OnOwnBlock());
            return;
        }
        const bool race = m_private > 0 && m_published == m_private && m_honest == m_private;
        if (race && m_rng.Chance(m_gamma))
        {
            // The honest block extends the pool's branch, which becomes the longest chain.
            const SelfishAction a = m_pool.OnHonestBlock();
            m_violations += a.adoptPublic ? 0 : 1;
            pool += m_private;
            honest += 1;
            Reset();
            return;
        }
        ++m_honest;
        Apply(m_pool.OnHonestBlock());
    }

    uint64_t pool = 0;   // the pool's blocks on the settled main chain
    uint64_t honest = 0; // honest blocks there
    uint64_t Violations() const { return m_violations; }

  private:
    void Apply(const SelfishAction& a)
    {
        m_violations += a.publishThrough > m_private ? 1 : 0;
        m_published = std::max(m_published, a.publishThrough);
        if (a.rebase)
        {
            m_violations += m_published == m_private && m_private > m_honest ? 0 : 1;
            pool += m_private;
            Reset();
        }
        else if (a.adoptPublic)
        {
            m_violations += m_honest > m_private ? 0 : 1;
            honest += m_honest;
            Reset();
        }
    }

    void Reset()
    {
        m_private = 0;
        m_published = 0;
        m_honest = 0;
    }

    double m_alpha;
    double m_gamma;
    Rng m_rng;
    SelfishMiningStrategy m_pool;
    uint64_t m_private = 0;   // the pool's branch above the fork point
    uint64_t m_published = 0; // its published prefix
    uint64_t m_honest = 0;    // the honest public branch above the fork point
    uint64_t m_violations = 0;
};

TEST(ConsensusPowSelfish, RevenueMatchesEyalSirerAcrossSharesAndTieShares)
{
    // 20 consecutive batches of 10^5 block events per point; the share's standard error comes
    // from the spread of the batch shares (outcomes are correlated within a batch, not across
    // batches); z <= 4.
    const int batches = 20;
    const int events = 100000;
    for (double gamma : {0.0, 0.5, 1.0})
    {
        for (double alpha : {0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45})
        {
            PoolWorld w(alpha, gamma, static_cast<uint64_t>(alpha * 1000 + gamma * 10));
            std::vector<double> shares;
            uint64_t pool = 0;
            uint64_t honest = 0;
            for (int b = 0; b < batches; ++b)
            {
                for (int i = 0; i < events; ++i)
                {
                    w.Step();
                }
                const double dp = static_cast<double>(w.pool - pool);
                const double dh = static_cast<double>(w.honest - honest);
                shares.push_back(dp / (dp + dh));
                pool = w.pool;
                honest = w.honest;
            }
            double mean = 0;
            for (double s : shares)
            {
                mean += s / batches;
            }
            double var = 0;
            for (double s : shares)
            {
                var += (s - mean) * (s - mean) / (batches - 1);
            }
            const double share = static_cast<double>(pool) / static_cast<double>(pool + honest);
            const double se = std::sqrt(var / batches);
            EXPECT_EQ(w.Violations(), 0u);
            EXPECT_NEAR(share, SelfishRevenue(alpha, gamma), 4 * se)
                << "alpha " << alpha << " gamma " << gamma << " se " << se;
            // Above the threshold selfish mining pays; below it does not (margins of 4 se).
            const double r = SelfishRevenue(alpha, gamma);
            if (std::fabs(r - alpha) > 8 * se)
            {
                EXPECT_EQ(share > alpha, alpha > SelfishThreshold(gamma)) << alpha << " " << gamma;
            }
        }
    }
}

} // namespace
} // namespace canon
