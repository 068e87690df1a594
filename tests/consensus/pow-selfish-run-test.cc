// Selfish mining end to end (issue 14): Eyal and Sirer's selfish miner (the kSelfishMiner
// adversary, model/node/adversary.h) among honest PoW miners of the deterministic harness
// (model/sim/harness.h), its share of the main chain's blocks measured against its hash share.
//
// Expectations (pow-selfish.h, SelfishRevenue): the pool's share R(alpha, gamma) exceeds alpha
// above the threshold (1 - gamma) / (3 - 2 gamma): 1/3 at gamma 0, 1/4 at gamma 0.5; below it,
// it falls short. Gamma is not set: it is what the network makes of a race (first seen wins).
#include "model/consensus/baselines/pow-engine.h"
#include "model/consensus/baselines/pow-selfish.h"
#include "model/sim/harness.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <tuple>

namespace canon
{
namespace
{

constexpr uint32_t kMiners = 10;

// 10 miners, 1 s mean interval on 20 ms ticks, links of 20 ms + up to 10 ms jitter, few
// transactions (they only cost time here).
HarnessConfig
SelfishRun(uint64_t seed)
{
    HarnessConfig c;
    c.seed = seed;
    c.nodeCount = kMiners;
    c.producerCount = kMiners;
    c.txPerSecond = 1;
    c.accounts = 8;
    c.slotDuration = 20 * kMillisecond;
    c.consensus.protocol = Protocol::kPow;
    c.consensus.pow.meanInterval = 1 * kSecond;
    c.consensus.pow.confirmations = 6;
    return c;
}

// The node that hosts genesis producer 0 (the harness places producers by the seed).
uint32_t
NodeOfProducer0(const HarnessConfig& c)
{
    const Harness probe(c);
    for (uint32_t i = 0; i < probe.NodeCount(); ++i)
    {
        if (probe.ProducerIndexOfNode(i) == 0)
        {
            return i;
        }
    }
    return 0;
}

struct Share
{
    Share& operator+=(const Share& o)
    {
        pool += o.pool;
        total += o.total;
        return *this;
    }

    uint64_t pool = 0;  // the pool's blocks on the main chain
    uint64_t total = 0; // main-chain blocks counted
    double Value() const
    {
        return total ? static_cast<double>(pool) / static_cast<double>(total) : 0;
    }
};

// The pool (producer 0) with hash share alpha, the others equal; selfish or honest. The share is
// counted on an honest node's main chain up to its irreversible block.
// SelfishRun with the pool (producer 0, on node `pool`) at hash share alpha, the others equal.
HarnessConfig
PoolRun(uint64_t seed, double alpha, uint32_t& pool)
{
    HarnessConfig c = SelfishRun(seed);
    pool = NodeOfProducer0(c);
    // Members are every full node in node order (model/run/genesis.cc), hash power aligned.
    c.consensus.pow.hashPower.assign(kMiners, (1 - alpha) / (kMiners - 1));
    c.consensus.pow.hashPower[pool] = alpha;
    return c;
}

AdversarySpec
SelfishMiner(TimeNs from = 0, TimeNs until = 0)
{
    AdversarySpec a;
    a.kind = AdversaryKind::kSelfishMiner;
    a.producer = 0;
    a.from = from;
    a.until = until;
    return a;
}

Share
RunPool(uint64_t seed, double alpha, bool selfish, TimeNs duration)
{
    uint32_t pool = 0;
    HarnessConfig c = PoolRun(seed, alpha, pool);
    if (selfish)
    {
        c.adversaries.push_back(SelfishMiner());
    }
    Harness h(c);
    h.RunUntil(duration);
    const HarnessReport r = h.Report();
    EXPECT_TRUE(r.Safe()) << FormatSummary(r);
    const PublicKey poolKey = h.Params().consensus.members[pool];
    const Node* ref = h.GetNode(pool == 0 ? 1 : 0);
    Share s;
    for (uint64_t height = 1; height <= ref->Chain().Lib()->height; ++height)
    {
        ++s.total;
        if (ref->Chain().MainChainAt(height)->block->header.producer == poolKey)
        {
            ++s.pool;
        }
    }
    if (selfish)
    {
        // Every block it kept private went out in the end, but for what is private now (a few
        // at most): a pool that stopped seeing the honest chain would keep them forever.
        const AdversaryCounters& k = h.GetAdversary(pool)->Counters();
        EXPECT_EQ(k.blocksWithheld, k.blocksProduced);
        EXPECT_LE(k.blocksWithheld, k.blocksReleased + 20) << "seed " << seed;
    }
    std::printf("seed %llu alpha %.2f %s: share %.4f of %llu main-chain blocks\n",
                static_cast<unsigned long long>(seed), alpha, selfish ? "selfish" : "honest",
                s.Value(), static_cast<unsigned long long>(s.total));
    return s;
}

// The share over four seeds of 4000 s each (about 4000 blocks mined per run).
Share
Pooled(double alpha, bool selfish)
{
    Share all;
    for (uint64_t seed = 21; seed <= 24; ++seed)
    {
        all += RunPool(seed, alpha, selfish, 4000 * kSecond);
    }
    std::printf("alpha %.2f %s pooled: %.4f of %llu; R(alpha, 0) %.4f, R(alpha, 0.5) %.4f\n", alpha,
                selfish ? "selfish" : "honest", all.Value(),
                static_cast<unsigned long long>(all.total), SelfishRevenue(alpha, 0),
                SelfishRevenue(alpha, 0.5));
    return all;
}

// Gamma here: the pool learns of an honest block one hop after its neighbours and only then
// sends its own, so nearly every honest miner has seen the honest block first: gamma is near 0,
// and the threshold near 1/3. Sampling error: selfish mining makes the pool's blocks come in
// runs, so one run's share over ~2800 main-chain blocks varies by about 0.025 between seeds
// (measured: 0.43 to 0.54 at alpha 0.4); pooled over four runs, about 0.013.

TEST(ConsensusPowSelfishRun, AboveTheThresholdThePoolEarnsMoreThanItsHashShare)
{
    // alpha 0.4, clearly above 1/3: R(0.4, 0) = 0.484 (measured pooled: 0.506 of 10771).
    const double alpha = 0.4;
    const Share selfish = Pooled(alpha, true);
    EXPECT_GT(selfish.Value(), alpha + 0.04);
    EXPECT_NEAR(selfish.Value(), SelfishRevenue(alpha, 0), 0.04);
}

TEST(ConsensusPowSelfishRun, NearTheThresholdTheShareFollowsEyalAndSirer)
{
    // alpha 0.35 at gamma near 0: R = 0.367, within 0.04 (three pooled standard errors).
    // Measured pooled: 0.373 of 11799, above the hash share, but R - alpha is only about one
    // pooled standard error here, so the gain is asserted with a clear margin at alpha 0.4
    // above, and here only that the share is not below alpha.
    const double alpha = 0.35;
    const Share selfish = Pooled(alpha, true);
    EXPECT_NEAR(selfish.Value(), SelfishRevenue(alpha, 0), 0.04);
    EXPECT_GT(selfish.Value(), alpha);
}

TEST(ConsensusPowSelfishRun, BelowTheThresholdThePoolEarnsLessThanItsHashShare)
{
    // alpha 0.1: R(0.1, 0) = 0.036, R(0.1, 0.5) = 0.072; the same pool mining honestly gets
    // about 0.1 (checked, so the measurement itself is sound).
    const double alpha = 0.1;
    const Share honest = RunPool(21, alpha, false, 4000 * kSecond);
    EXPECT_NEAR(honest.Value(), alpha, 0.02);
    const Share selfish = RunPool(21, alpha, true, 4000 * kSecond);
    EXPECT_LT(selfish.Value(), alpha - 0.02);
    EXPECT_LT(selfish.Value(), honest.Value() - 0.02);
}

TEST(ConsensusPowSelfishRun, TheSameSeedGivesTheSameRun)
{
    auto run = [](uint64_t seed)
    {
        uint32_t pool = 0;
        HarnessConfig c = PoolRun(seed, 0.35, pool);
        c.adversaries.push_back(SelfishMiner());
        Harness h(c);
        h.RunUntil(300 * kSecond);
        const AdversaryCounters& k = h.GetAdversary(pool)->Counters();
        return std::make_tuple(h.GetNode(pool == 0 ? 1 : 0)->Chain().Best()->hash, k.blocksProduced,
                               k.blocksReleased);
    };
    const auto a = run(5);
    EXPECT_EQ(a, run(5));
    EXPECT_NE(std::get<0>(a), std::get<0>(run(6)));
}

TEST(ConsensusPowSelfishRun, AtTheEndOfItsWindowThePoolPublishesAllAndMinesHonestly)
{
    uint32_t pool = 0;
    HarnessConfig c = PoolRun(7, 0.35, pool);
    c.adversaries.push_back(SelfishMiner(0, 300 * kSecond));
    Harness h(c);
    h.RunUntil(300 * kSecond - 1);
    const AdversaryCounters before = h.GetAdversary(pool)->Counters();
    h.RunUntil(400 * kSecond);
    const HarnessReport r = h.Report();
    ASSERT_TRUE(r.Safe()) << FormatSummary(r);
    const AdversaryCounters& k = h.GetAdversary(pool)->Counters();
    EXPECT_GT(before.blocksWithheld, 50u);
    EXPECT_EQ(k.blocksWithheld, before.blocksWithheld); // nothing kept private after `until`
    EXPECT_EQ(k.blocksReleased, k.blocksWithheld);      // and what was private went out
    EXPECT_GT(k.blocksProduced, before.blocksProduced + 10);
    // The honest nodes and the pool's follower agree on the finalised prefix.
    const ConsensusChain& pub = h.GetNode(pool == 0 ? 1 : 0)->Chain();
    const ConsensusChain& own = h.GetAdversary(pool)->Follower().Chain();
    const uint64_t common = std::min(pub.Lib()->height, own.Lib()->height);
    EXPECT_GT(common, 250u);
    EXPECT_EQ(pub.MainChainAt(common)->hash, own.MainChainAt(common)->hash);
}

TEST(ConsensusPowSelfishRun, UnderAnotherProtocolTheKindProducesHonestly)
{
    // The scenario check rejects this (selfish-miner is PoW only); a driver that skips it gets
    // an honest producer, not a broken one.
    HarnessConfig c;
    c.seed = 3;
    c.adversaries.push_back(SelfishMiner());
    Harness h(c);
    h.RunUntil(40 * kSecond);
    const HarnessReport r = h.Report();
    ASSERT_TRUE(r.Safe()) << FormatSummary(r);
    EXPECT_EQ(h.Params().consensus.protocol, Protocol::kPop);
    for (uint32_t i = 0; i < h.NodeCount(); ++i)
    {
        if (const Adversary* a = h.GetAdversary(i))
        {
            EXPECT_GT(a->Counters().blocksProduced, 0u);
            EXPECT_EQ(a->Counters().blocksWithheld, 0u);
        }
    }
}

} // namespace
} // namespace canon
