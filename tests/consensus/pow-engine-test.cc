// PowEngine on hand-built chains (model/consensus/baselines/pow-engine.h): who may produce when,
// what CheckProducer says when they may not, fork choice by work, k-confirmation finality,
// parameter validation and determinism.
#include "model/consensus/baselines/pow-difficulty.h"
#include "pow-test-chain.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

namespace canon
{
namespace
{

using test::PowChainConfig;
using test::PowTestChain;

bool
Contains(const Status& s, const std::string& text)
{
    return s.Message().find(text) != std::string::npos;
}

// The first tick after `parent`'s slot that is not a success of miner i.
uint64_t
NonSuccessTick(const PowTestChain& chain, const BlockEntry* parent, uint32_t i)
{
    uint64_t t = parent->slot + 1;
    while (chain.NextSuccess(parent, i, t) == t)
    {
        ++t;
    }
    return t;
}

TEST(ConsensusPowEngine, CheckProducerAcceptsABlockAtItsMinersSuccessTick)
{
    PowTestChain chain;
    const BlockEntry* g = chain.Genesis();
    for (uint32_t i = 0; i < 4; ++i)
    {
        const uint64_t s = chain.NextSuccess(g, i, 1);
        const Status st = chain.Engine().CheckProducer(*g, chain.Header(g, i, s));
        EXPECT_TRUE(st.IsOk()) << st.ToString();
    }
}

TEST(ConsensusPowEngine, CheckProducerRejectsABlockAtANonSuccessTick)
{
    PowTestChain chain;
    const BlockEntry* g = chain.Genesis();
    const uint64_t t = NonSuccessTick(chain, g, 0);
    const Status st = chain.Engine().CheckProducer(*g, chain.Header(g, 0, t));
    EXPECT_EQ(st.Code(), StatusCode::kInvalid);
    EXPECT_TRUE(Contains(st, "slot " + std::to_string(t) + " is not a success tick of miner 0"))
        << st.ToString();
    // One tick before a real success is not one either.
    const uint64_t s = chain.NextSuccess(g, 0, t);
    if (s - 1 > g->slot && chain.NextSuccess(g, 0, s - 1) != s - 1)
    {
        EXPECT_FALSE(chain.Engine().CheckProducer(*g, chain.Header(g, 0, s - 1)).IsOk());
    }
}

TEST(ConsensusPowEngine, CheckProducerRejectsAnotherMinersSuccessTick)
{
    PowTestChain chain;
    const BlockEntry* g = chain.Genesis();
    const uint64_t s = chain.NextSuccess(g, 0, 1);
    ASSERT_NE(chain.NextSuccess(g, 1, s), s); // miner 1 has no success at the same tick
    const Status st = chain.Engine().CheckProducer(*g, chain.Header(g, 1, s));
    EXPECT_TRUE(Contains(st, "is not a success tick of miner 1")) << st.ToString();
}

TEST(ConsensusPowEngine, CheckProducerRejectsStrangersProofsAndMinersWithoutPower)
{
    PowChainConfig c;
    c.hashPower = {1, 0};
    PowTestChain chain(c);
    const BlockEntry* g = chain.Genesis();
    const PowEngine& e = chain.Engine();

    BlockHeader stranger = chain.Header(g, 0, 5);
    stranger.producer = DeriveKeyPair(99, "stranger", 0).Public();
    EXPECT_TRUE(Contains(e.CheckProducer(*g, stranger), "is not a miner"));

    const uint64_t s = chain.NextSuccess(g, 0, 1);
    BlockHeader proof = chain.Header(g, 0, s);
    proof.proof = Bytes{1, 2, 3};
    EXPECT_TRUE(Contains(e.CheckProducer(*g, proof), "proof must be empty, has 3 bytes"));
    EXPECT_TRUE(e.MakeProof(*g, chain.Miner(0), s, ProducerMemory()).empty());

    EXPECT_FALSE(e.NextProductionSlot(*g, chain.Miner(1).Public(), 1, e.PlanningHorizon()));
    EXPECT_TRUE(Contains(e.CheckProducer(*g, chain.Header(g, 1, s)), "has no hash power"));
}

TEST(ConsensusPowEngine, CheckProducerRejectsASlotNotAfterTheParents)
{
    PowTestChain chain;
    const BlockEntry* b = chain.Mine(chain.Genesis(), 0);
    const Status st = chain.Engine().CheckProducer(*b, chain.Header(b, 1, b->slot));
    EXPECT_TRUE(Contains(st, "is not after the parent's slot")) << st.ToString();
}

TEST(ConsensusPowEngine, TheSameRuleChecksBlocksDeepInAChain)
{
    PowTestChain chain;
    const BlockEntry* b = chain.Genesis();
    for (uint32_t h = 0; h < 40; ++h)
    {
        const BlockEntry* parent = b;
        b = chain.Mine(parent, h % 4);
        const Status st = chain.Engine().CheckProducer(*parent, b->block->header);
        ASSERT_TRUE(st.IsOk()) << "height " << b->height << ": " << st.ToString();
        EXPECT_EQ(b->producerIndex, h % 4);
    }
}

TEST(ConsensusPowEngine, ForkChoiceFollowsWorkAndEqualWorkIsATie)
{
    PowTestChain chain;
    const PowEngine& e = chain.Engine();
    const BlockEntry* g = chain.Genesis();
    const BlockEntry* a1 = chain.Mine(g, 0);
    const BlockEntry* a2 = chain.Mine(a1, 0);
    const BlockEntry* b1 = chain.Mine(g, 1);
    const BlockEntry* b2 = chain.Mine(b1, 2);
    const BlockEntry* b3 = chain.Mine(b2, 3);
    EXPECT_TRUE(e.WeightOf(*b3) > e.WeightOf(*a2));
    EXPECT_TRUE(e.WeightOf(*a2) == e.WeightOf(*b2)); // equal work: the first seen stays
    EXPECT_EQ(e.WeightOf(*a2).primary, 2 * kPowGenesisDifficulty);
    EXPECT_TRUE(e.FirstSeenWins());
}

TEST(ConsensusPowEngine, AShorterChainWithMoreWorkWins)
{
    // W = 2: the block at every even height retargets from one interval. Branch B's blocks come
    // 4 times too fast (difficulty * 4), branch A's 4 times too slowly (/ 4).
    PowChainConfig c;
    c.meanInterval = 10 * kSecond;
    c.tick = 100 * kMillisecond; // 100 ticks per interval
    c.retargetBlocks = 2;
    PowTestChain chain(c);
    const PowEngine& e = chain.Engine();
    const BlockEntry* g = chain.Genesis();
    const BlockEntry* b1 = chain.Add(g, 0, 25);
    const BlockEntry* b2 = chain.Add(b1, 0, 50);
    const BlockEntry* a1 = chain.Add(g, 1, 400);
    const BlockEntry* a2 = chain.Add(a1, 1, 800);
    const BlockEntry* a3 = chain.Add(a2, 1, 1200);
    const uint64_t d0 = kPowGenesisDifficulty;
    EXPECT_EQ(PowEngine::StateOf(*b2).difficulty, 4 * d0);
    EXPECT_EQ(PowEngine::StateOf(*a2).difficulty, d0 / 4);
    EXPECT_EQ(e.WeightOf(*b2).primary, 5 * d0);
    EXPECT_EQ(e.WeightOf(*a3).primary, d0 + d0 / 4 + d0 / 4);
    EXPECT_TRUE(e.WeightOf(*b2) > e.WeightOf(*a3));
}

TEST(ConsensusPowEngine, TheIrreversibleBlockHasKConfirmations)
{
    PowChainConfig c;
    c.confirmations = 3;
    PowTestChain chain(c);
    const PowEngine& e = chain.Engine();
    const BlockEntry* g = chain.Genesis();
    std::vector<const BlockEntry*> main{g};
    for (int i = 0; i < 5; ++i)
    {
        main.push_back(chain.Mine(main.back(), 0));
    }
    EXPECT_EQ(e.LibOf(*g), g);
    EXPECT_EQ(e.LibOf(*main[1]), g);
    EXPECT_EQ(e.LibOf(*main[2]), g);
    EXPECT_EQ(e.LibOf(*main[3]), main[1]); // 3 confirmations: itself and two on top
    EXPECT_EQ(e.LibOf(*main[5]), main[3]);
    // On a fork the irreversible block is the fork's own.
    const BlockEntry* f4 = chain.Mine(main[3], 1);
    const BlockEntry* f5 = chain.Mine(f4, 1);
    const BlockEntry* f6 = chain.Mine(f5, 1);
    EXPECT_EQ(e.LibOf(*f6), f4);
    EXPECT_FALSE(e.DeterministicFinality());
    EXPECT_EQ(e.PruneDepth(), kPowPruneDepthMin);
}

TEST(ConsensusPowEngine, PruneDepthIsFourKWhenThatIsDeeper)
{
    PowChainConfig c;
    c.confirmations = 100;
    EXPECT_EQ(PowTestChain(c).Engine().PruneDepth(), 400u);
}

TEST(ConsensusPowEngine, IntervalsAndHorizonFollowTheParameters)
{
    PowTestChain chain; // 10 s over 50 ms ticks
    EXPECT_EQ(chain.Engine().NominalIntervalSlots(), 200u);
    EXPECT_EQ(chain.Engine().PlanningHorizon(), 200u * kPowPlanningIntervals);
    EXPECT_EQ(chain.Engine().Kind(), Protocol::kPow);
    EXPECT_EQ(chain.Engine().ScheduledProducerIndex(*chain.Genesis(), 5), std::nullopt);
}

TEST(ConsensusPowEngine, MemberWeightsAreTheHashShares)
{
    PowChainConfig c;
    c.hashPower = {1, 3, 0, 4};
    const PowTestChain chain(c);
    const std::vector<double> w = chain.Engine().MemberWeights(*chain.Genesis());
    ASSERT_EQ(w.size(), 4u);
    EXPECT_DOUBLE_EQ(w[0], 0.125);
    EXPECT_DOUBLE_EQ(w[1], 0.375);
    EXPECT_DOUBLE_EQ(w[2], 0.0);
    EXPECT_DOUBLE_EQ(w[3], 0.5);
    EXPECT_EQ(chain.Engine().GenesisProducerSet(chain.Params()), chain.Params().consensus.members);
}

// A parent that differs from genesis only by its hash: fresh draws, genesis difficulty.
BlockEntry
FreshParent(const BlockEntry& genesis, uint64_t i)
{
    BlockEntry p;
    p.hash = Blake2b256("pow-engine-test/parent/" + std::to_string(i));
    p.slot = 1000;
    p.consensus = genesis.consensus;
    return p;
}

TEST(ConsensusPowEngine, MinersWinInProportionToTheirHashPower)
{
    // Shares 0.1, 0.2, 0.3, 0.4; T = 10 s, 50 ms ticks: network rate 0.005 per tick. Over N
    // parents the first to succeed is miner i with probability share_i (ties in one tick, about
    // 0.2%, counted apart), and the network's first success comes after 1 / (1 - e^-0.005)
    // ticks on average. z <= 4.
    PowChainConfig c;
    c.hashPower = {1, 2, 3, 4};
    PowTestChain chain(c);
    const PowEngine& e = chain.Engine();
    const int n = 20000;
    std::vector<double> wins(4, 0);
    double ties = 0;
    double waitSum = 0;
    for (int k = 0; k < n; ++k)
    {
        const BlockEntry parent = FreshParent(*chain.Genesis(), static_cast<uint64_t>(k));
        uint64_t best = UINT64_MAX;
        int winner = -1;
        for (uint32_t i = 0; i < 4; ++i)
        {
            const auto s = e.NextProductionSlot(parent, chain.Miner(i).Public(), 1001, 1u << 30);
            ASSERT_TRUE(s.has_value());
            winner = *s < best ? static_cast<int>(i) : (*s == best ? -1 : winner);
            best = std::min(best, *s);
        }
        waitSum += static_cast<double>(best - 1000);
        if (winner < 0)
        {
            ties += 1;
        }
        else
        {
            wins[static_cast<std::size_t>(winner)] += 1;
        }
    }
    for (std::size_t i = 0; i < 4; ++i)
    {
        const double share = static_cast<double>(i + 1) / 10.0;
        EXPECT_NEAR(wins[i] / n, share, 4 * std::sqrt(share * (1 - share) / n)) << i;
    }
    EXPECT_LT(ties / n, 0.006);
    const double p = 1 - std::exp(-0.005);
    EXPECT_NEAR(waitSum / n, 1 / p, 4 * std::sqrt(1 - p) / p / std::sqrt(n));
}

TEST(ConsensusPowEngine, TheSameParametersGiveTheSameDrawsAndAnotherSeedOthers)
{
    PowTestChain a;
    PowTestChain b;
    PowChainConfig other;
    other.seed = 2;
    PowTestChain c(other);
    int differ = 0;
    const BlockEntry* pa = a.Genesis();
    const BlockEntry* pb = b.Genesis();
    const BlockEntry* pc = c.Genesis();
    for (uint32_t h = 0; h < 20; ++h)
    {
        pa = a.Mine(pa, h % 4);
        pb = b.Mine(pb, h % 4);
        pc = c.Mine(pc, h % 4);
        EXPECT_EQ(pa->hash, pb->hash);
        EXPECT_EQ(pa->slot, pb->slot);
        differ += pa->slot != pc->slot ? 1 : 0;
    }
    EXPECT_GT(differ, 10);
}

TEST(ConsensusPowEngine, ValidationNamesTheBadField)
{
    struct Case
    {
        std::function<void(ChainParams&)> edit;
        std::string message;
    };
    const std::vector<Case> cases = {
        {[](ChainParams& p) { p.consensus.members.clear(); }, "consensus.members must name"},
        {[](ChainParams& p) { p.consensus.members[2] = p.consensus.members[0]; },
         "consensus.members[2] repeats"},
        {[](ChainParams& p) { p.consensus.pow.hashPower.pop_back(); },
         "consensus.pow.hashPower has 3 entries for 4 members"},
        {[](ChainParams& p) { p.consensus.pow.hashPower[1] = -1; },
         "consensus.pow.hashPower[1] must be finite and >= 0"},
        {[](ChainParams& p) { p.consensus.pow.hashPower[3] = std::nan(""); },
         "consensus.pow.hashPower[3] must be finite"},
        {[](ChainParams& p) { p.consensus.pow.hashPower.assign(4, 0.0); },
         "consensus.pow.hashPower must have a positive, finite sum"},
        {[](ChainParams& p) { p.consensus.pow.meanInterval = 0; }, "consensus.pow.meanInterval"},
        {[](ChainParams& p) { p.consensus.pow.meanInterval = kPowMeanIntervalMax + 1; },
         "consensus.pow.meanInterval must be in (0, 100 h]"},
        {[](ChainParams& p) { p.consensus.pow.retargetBlocks = kPowRetargetBlocksMax + 1; },
         "consensus.pow.retargetBlocks"},
        {[](ChainParams& p) { p.consensus.pow.confirmations = kPowConfirmationsMax + 1; },
         "consensus.pow.confirmations"},
        {[](ChainParams& p) { p.slotDuration = 11 * kSecond; }, "slot duration (the PoW tick)"},
        {[](ChainParams& p) { p.consensus.pow.confirmations = 0; },
         "consensus.pow.confirmations must be in [1, 10000]"},
        {[](ChainParams& p) { p.consensus.pow.retargetBlocks = 1; },
         "consensus.pow.retargetBlocks must be 0 (off) or in [2, 10000]"},
        {[](ChainParams& p) { p.consensus.pow.gamma = 1.5; }, "consensus.pow.gamma"},
    };
    std::vector<KeyPair> miners;
    const ChainParams good = test::MakePowParams(PowChainConfig(), miners);
    EXPECT_TRUE(ValidatePowParams(good).IsOk());
    ChainParams equal = good;
    equal.consensus.pow.hashPower.clear(); // empty: equal shares
    EXPECT_TRUE(ValidatePowParams(equal).IsOk());
    for (const Case& c : cases)
    {
        ChainParams p = good;
        c.edit(p);
        const Status s = ValidatePowParams(p);
        EXPECT_EQ(s.Code(), StatusCode::kInvalid) << c.message;
        EXPECT_TRUE(Contains(s, c.message)) << s.ToString();
    }
}

} // namespace
} // namespace canon
