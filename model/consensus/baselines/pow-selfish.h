// SelfishMiningStrategy: Eyal and Sirer's selfish mining ("Majority is not enough: Bitcoin mining
// is vulnerable", FC 2014, Algorithm 1; NOTES.md 4.5) as a pure state machine, with no chain, no
// network and no clock, so it can be tested against the paper's revenue formula on its own and
// driven by an adversary node later.
//
// The pool keeps a private branch that forks from the public chain at a fork point. The machine
// knows three lengths above that point: the private branch (`PrivateLength`, every block the
// pool mined there), how many of those the pool has published (`Published`, a prefix), and the
// public branch (`PublicLength`, the best chain the honest miners can see, the pool's published
// blocks aside). Two events move it:
//   OnOwnBlock()    the pool found a block on its private tip;
//   OnHonestBlock() the best public chain grew by one block that is not the pool's (call it once
//                   per height the public chain gained, whichever branch the block extends).
// Each returns an action: publish the private branch's blocks up to `publishThrough` (counted
// from the fork point, 1-based; 0 or a number already published: nothing new), then either
// adopt the public chain (give up the private branch and mine on the public tip), or rebase
// (the pool's published branch is strictly longer, so it wins: the fork point moves to the pool's
// tip), or neither. After adopt or rebase every length is 0 again.
//
// With lead = private - public before the event (the paper's Delta_prev):
//   own block:    lead 0 and a published private branch (the race, state 0'): publish all,
//                 rebase; otherwise keep the new block private.
//   honest block: lead 0: adopt; lead 1: publish all, a race of equal branches (state 0');
//                 lead 2: publish all, rebase; lead > 2: publish up to the public length.
//
// Invariants: published <= private; while no action resets it, private >= public. Small value
// type; not thread-safe.
#ifndef CANONSIM_CONSENSUS_BASELINES_POW_SELFISH_H
#define CANONSIM_CONSENSUS_BASELINES_POW_SELFISH_H

#include <cstdint>

namespace canon
{

struct SelfishAction
{
    uint64_t publishThrough = 0;
    bool adoptPublic = false;
    bool rebase = false;
};

class SelfishMiningStrategy
{
  public:
    SelfishAction OnOwnBlock();
    SelfishAction OnHonestBlock();

    uint64_t PrivateLength() const { return m_private; }
    uint64_t Published() const { return m_published; }
    uint64_t PublicLength() const { return m_public; }
    // State 0': two public branches of equal length, one of them the pool's.
    bool InRace() const
    {
        return m_private > 0 && m_private == m_public && m_published == m_private;
    }

  private:
    SelfishAction Publish(uint64_t through);
    void Reset();

    uint64_t m_private = 0;
    uint64_t m_published = 0;
    uint64_t m_public = 0;
};

// Eyal and Sirer's relative revenue of a selfish pool with hash share alpha in [0, 0.5) and tie
// share gamma in [0, 1]: the pool's share of the main chain's blocks in the long run,
//   R = [alpha (1-alpha)^2 (4 alpha + gamma (1 - 2 alpha)) - alpha^3]
//       / [1 - alpha (1 + (2 - alpha) alpha)].
double SelfishRevenue(double alpha, double gamma);
// The share above which selfish mining beats honest mining: (1 - gamma) / (3 - 2 gamma).
double SelfishThreshold(double gamma);

} // namespace canon

#endif
