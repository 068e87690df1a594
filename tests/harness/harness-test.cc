// Harness tests: the protocol core running on many nodes under the deterministic packet model.
#include "model/consensus/consensus-engine.h"
#include "model/consensus/finality.h"
#include "model/run/scenario-config.h"
#include "model/sim/harness.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>

namespace canon
{
namespace
{

HarnessConfig
Small(uint64_t seed)
{
    HarnessConfig c;
    c.seed = seed;
    c.nodeCount = 30;
    c.producerCount = 21;
    c.txPerSecond = 10;
    return c;
}

std::string
Describe(const HarnessReport& r)
{
    return "reproduce with: canonsim-harness --seed " + std::to_string(r.seed) + "\n" +
           FormatSummary(r);
}

TEST(Harness, HealthyNetworkFinalisesAndEveryNodeAgrees)
{
    Harness h(Small(1));
    h.RunUntil(60 * kSecond);
    HarnessReport r = h.Report();
    ASSERT_TRUE(r.Safe()) << Describe(r);
    EXPECT_GE(r.libHeightMin, 30u) << Describe(r);
    EXPECT_EQ(r.missedSlots, 0u) << Describe(r);
    EXPECT_GT(r.txIrreversible, 100u) << Describe(r);
    EXPECT_EQ(r.stall, "") << "finality moves";
    // Agreement on the irreversible prefix, node by node.
    const BlockEntry* ref = h.GetNode(0)->Chain().Lib();
    for (uint32_t i = 1; i < h.NodeCount(); ++i)
    {
        const ConsensusChain& c = h.GetNode(i)->Chain();
        uint64_t common = std::min(c.Lib()->height, ref->height);
        EXPECT_EQ(c.MainChainAt(common)->hash, h.GetNode(0)->Chain().MainChainAt(common)->hash);
    }
}

// Every gossip mode (node.h) on the healthy network, with light participants and an
// equivocator (it sends its two blocks whole, one to each half of its peers): safe, live, and
// the equivocation is found and punished.
class HarnessGossip : public ::testing::TestWithParam<GossipMode>
{
};

TEST_P(HarnessGossip, EveryModeGivesASafeLiveRunWithLightPeersAndAnEquivocator)
{
    HarnessConfig c = Small(2);
    c.limits.gossip = GetParam();
    c.lightNodes = 4;
    AdversarySpec eq;
    eq.kind = AdversaryKind::kEquivocator;
    eq.producer = 5;
    c.adversaries = {eq};
    Harness h(c);
    h.RunUntil(60 * kSecond);
    HarnessReport r = h.Report();
    ASSERT_TRUE(r.Safe()) << Describe(r);
    EXPECT_GE(r.libHeightMin, 25u) << Describe(r);
    EXPECT_GT(r.txIrreversible, 100u) << Describe(r);
    EXPECT_EQ(r.stall, "") << Describe(r);
    uint64_t evidence = 0;
    for (uint32_t i = 0; i < c.nodeCount; ++i)
    {
        if (const Node* n = h.GetNode(i); n && !h.IsByzantine(i))
        {
            evidence += n->Evidence().empty() ? 0u : 1u;
        }
    }
    EXPECT_GT(evidence, c.nodeCount / 2) << "most honest nodes hold the equivocation evidence";
}

TEST_P(HarnessGossip, SameSeedAndModeGiveTheSameRun)
{
    auto run = [](uint64_t seed)
    {
        HarnessConfig c = Small(seed);
        c.limits.gossip = GetParam();
        c.randomFaultsUntil = 20 * kSecond;
        Harness h(c);
        h.RunUntil(30 * kSecond);
        return FormatSummary(h.Report());
    };
    EXPECT_EQ(run(4), run(4));
}

INSTANTIATE_TEST_SUITE_P(Modes, HarnessGossip,
                         ::testing::Values(GossipMode::kPush, GossipMode::kAnnounce,
                                           GossipMode::kCompact),
                         [](const ::testing::TestParamInfo<GossipMode>& p)
                         {
                             return std::string(p.param == GossipMode::kPush       ? "Push"
                                                : p.param == GossipMode::kAnnounce ? "Announce"
                                                                                   : "Compact");
                         });

TEST(Harness, WithLightParticipantsFullNodesAgreeAndLightOnesSeeTheirTransactionsIncluded)
{
    HarnessConfig c = Small(3);
    c.lightNodes = 12;
    // Wallets sit round robin on the 42 nodes: each light participant holds one of the 64
    // accounts, so it sends about one transfer a second.
    c.txPerSecond = 64;
    Harness h(c);
    h.RunUntil(60 * kSecond);
    HarnessReport r = h.Report();
    ASSERT_TRUE(r.Safe()) << Describe(r);
    EXPECT_GE(r.libHeightMin, 30u) << Describe(r);
    EXPECT_EQ(r.lightNodes, 12u);
    const Node* full = h.GetNode(0);
    ASSERT_NE(full, nullptr);
    for (uint32_t i = c.nodeCount; i < h.NodeCount(); ++i)
    {
        const LightNode* light = h.GetLightNode(i);
        ASSERT_NE(light, nullptr);
        EXPECT_EQ(h.GetNode(i), nullptr);
        // Its best header is on the full node's chain, at most a slot behind.
        EXPECT_GE(light->Best()->height + 1, full->Chain().Best()->height) << "light " << i;
        const BlockEntry* same = full->Chain().MainChainAt(light->Best()->height);
        ASSERT_NE(same, nullptr);
        EXPECT_EQ(same->hash, light->Best()->hash) << "light " << i;
        // About one transfer a second each (Poisson arrivals, so 60 +- 8 in a minute); all but
        // the last few proven included.
        EXPECT_GE(light->Counters().txVerified, 40u) << "light " << i << "\n" << Describe(r);
        EXPECT_EQ(light->Counters().txGivenUp, 0u) << "light " << i;
        EXPECT_EQ(light->Counters().messagesDropped, 0u) << "light " << i;
    }
    EXPECT_GE(r.lightTxVerified, 12u * 50u) << Describe(r);
    EXPECT_LT(r.bytesSentLight / r.lightNodes, (r.bytesSent - r.bytesSentLight) / 30u / 10u)
        << "a light participant sends a small fraction of a full node's bytes\n"
        << Describe(r);
}

TEST(RunSummary, ConnectionEventsAreCountedApartFromBadMessages)
{
    RunSummary s;
    NodeEvent lost;
    lost.kind = NodeEventKind::kMessageDropped;
    lost.messageType = kConnectionEvent;
    lost.reason = "connection to peer 4 failed: no route";
    NodeEvent bad = lost;
    bad.messageType = MessageType::kTransaction;
    bad.reason = "transaction 1a2b3c4d: invalid: stale nonce 3";
    s.Observe(0, 1, lost, 0);
    s.Observe(0, 1, lost, 0);
    s.Observe(0, 2, bad, 0);
    EXPECT_EQ(s.connectionEvents, 2u);
    EXPECT_EQ(s.messagesDropped, 1u);
    EXPECT_EQ(s.dropsByReason.size(), 1u);
    EXPECT_NE(FormatSummary(s).find("connection events         2 (most: 2x connection to peer # "
                                    "failed: no route)"),
              std::string::npos)
        << FormatSummary(s);
}

TEST(Harness, FinalityContinuesWithFiveOfTwentyOneProducersOffline)
{
    HarnessConfig c = Small(2);
    c.offlineProducers = {0, 3, 7, 11, 19};
    Harness h(c);
    h.RunUntil(40 * kSecond);
    const uint64_t at40 = h.Report().libHeightMin;
    h.RunUntil(80 * kSecond);
    HarnessReport r = h.Report();
    ASSERT_TRUE(r.Safe()) << Describe(r);
    EXPECT_GT(r.libHeightMin, at40 + 10) << Describe(r);
    EXPECT_GT(r.missedSlots, 0u);
}

TEST(Harness, FinalityStallsWithSixOfTwentyOneProducersOffline)
{
    HarnessConfig c = Small(3);
    c.offlineProducers = {0, 3, 7, 11, 19, 20};
    Harness h(c);
    h.RunUntil(80 * kSecond);
    HarnessReport r = h.Report();
    ASSERT_TRUE(r.Safe()) << Describe(r);
    EXPECT_EQ(r.libHeightMax, 0u) << "15 producers cannot reach the threshold of 16";
    EXPECT_NE(r.stall.find("finality stalled"), std::string::npos) << Describe(r);
    EXPECT_GT(r.bestHeight, 40u) << "the chain itself still grows";
}

TEST(Harness, PartitionedMinorityCatchesUpAfterTheHeal)
{
    Harness h(Small(4));
    h.RunUntil(10 * kSecond);
    // Cut off 6 plain nodes and 2 producers: the majority keeps 19 of 21 producers and keeps
    // finalising; the minority cannot.
    std::vector<uint32_t> side(h.NodeCount(), 0), minority;
    uint32_t producers = 0, plain = 0, majorityNode = 0;
    for (uint32_t i = 0; i < h.NodeCount(); ++i)
    {
        bool isProducer = h.ProducerIndexOfNode(i) >= 0;
        if ((isProducer && producers < 2) || (!isProducer && plain < 6))
        {
            (isProducer ? producers : plain)++;
            side[i] = 1;
            minority.push_back(i);
        }
        else
        {
            majorityNode = i;
        }
    }
    h.SetPartition(side);
    h.RunUntil(70 * kSecond);
    const uint64_t minorityLib = h.GetNode(minority[0])->Chain().Lib()->height;
    const uint64_t majorityLib = h.GetNode(majorityNode)->Chain().Lib()->height;
    EXPECT_GT(majorityLib, minorityLib + 20) << "the minority should have stalled";
    h.Heal();
    h.RunUntil(100 * kSecond);
    HarnessReport r = h.Report();
    ASSERT_TRUE(r.Safe()) << Describe(r);
    for (uint32_t i : minority)
    {
        EXPECT_GT(h.GetNode(i)->Chain().Lib()->height, majorityLib)
            << "node " << i << " did not catch up";
    }
}

// Both sides of a long partition keep producing (neither has the 16 of 21 producers finality
// needs), each growing its own branch far beyond one sync batch (kSyncBatchMax). After the heal
// the nodes on the shorter branch must fetch the longer one batch after batch although it stays
// shorter than their own until the last batches arrive, and everyone converges and finalises.
TEST(Harness, TwoSidesThatEachBuiltMoreThanASyncBatchConvergeAfterTheHeal)
{
    Harness h(Small(6));
    h.RunUntil(10 * kSecond);
    std::vector<uint32_t> side(h.NodeCount(), 0);
    uint32_t producers = 0;
    for (uint32_t i = 0; i < h.NodeCount(); ++i)
    {
        const bool isProducer = h.ProducerIndexOfNode(i) >= 0;
        if (isProducer ? producers++ < 10 : i % 2 == 0)
        {
            side[i] = 1;
        }
    }
    h.SetPartition(side);
    h.RunUntil(130 * kSecond);
    const uint64_t libAtHeal = h.GetNode(0)->Chain().Lib()->height;
    h.Heal();
    h.RunUntil(200 * kSecond);
    HarnessReport r = h.Report();
    ASSERT_TRUE(r.Safe()) << Describe(r);
    for (uint32_t i = 0; i < h.NodeCount(); ++i)
    {
        EXPECT_GT(h.GetNode(i)->Chain().Lib()->height, libAtHeal + 40)
            << "node " << i << " (side " << side[i] << ") did not rejoin";
    }
    EXPECT_GE(r.libHeightMin + 3, r.libHeightMax) << Describe(r);
}

TEST(Harness, CrashedNodeRestartsFromGenesisAndSyncsTheChain)
{
    Harness h(Small(5));
    h.RunUntil(20 * kSecond);
    h.Crash(3);
    h.RunUntil(60 * kSecond);
    h.Restart(3);
    h.RunUntil(80 * kSecond);
    HarnessReport r = h.Report();
    ASSERT_TRUE(r.Safe()) << Describe(r);
    EXPECT_GE(h.GetNode(3)->Chain().Best()->height + 2, h.GetNode(4)->Chain().Best()->height);
    EXPECT_GT(h.GetNode(3)->Chain().Lib()->height, 40u);
}

TEST(Harness, SameSeedGivesTheSameRunAndAnotherSeedAnotherRun)
{
    auto run = [](uint64_t seed)
    {
        HarnessConfig c = Small(seed);
        c.randomFaultsUntil = 20 * kSecond;
        Harness h(c);
        h.RunUntil(30 * kSecond);
        return std::make_pair(h.GetNode(0)->Chain().Best()->hash, h.Report().bytesSent);
    };
    EXPECT_EQ(run(11), run(11));
    EXPECT_NE(run(11), run(12));
}

// The checkers must be able to fail: with a finality threshold of 2 (unsafe on purpose) two
// sides of a partition both finalise their own blocks, and the agreement checker says so, with
// the seed.
TEST(Harness, AgreementCheckerCatchesConflictingFinalityUnderAnUnsafeThreshold)
{
    HarnessConfig c = Small(6);
    c.finalityThresholdOverride = 2;
    Harness h(c);
    h.RunUntil(5 * kSecond);
    std::vector<uint32_t> side(h.NodeCount(), 0);
    for (uint32_t i = 0; i < h.NodeCount() / 2; ++i)
    {
        side[i] = 1;
    }
    h.SetPartition(side);
    h.RunUntil(30 * kSecond);
    h.Heal();
    h.RunUntil(40 * kSecond);
    HarnessReport r = h.Report();
    ASSERT_FALSE(r.Safe());
    EXPECT_NE(r.violations[0].find("agreement"), std::string::npos) << r.violations[0];
    EXPECT_NE(r.violations[0].find("seed 6"), std::string::npos) << r.violations[0];
}

// With the CZR engine in the loop, the first election replaces the genesis producers with the
// elected set once the announcing block is irreversible, and every node ends on that set.
TEST(Harness, CzrElectionReplacesTheGenesisSetOnEveryNode)
{
    HarnessConfig c = Small(7);
    c.czrEpochSlots = 21;
    Harness h(c);
    h.RunUntil(120 * kSecond);
    HarnessReport r = h.Report();
    ASSERT_TRUE(r.Safe()) << Describe(r);
    EXPECT_GE(r.elections, 1u) << Describe(r);
    const auto& genesis = h.Params().producers;
    const auto& ref = *h.GetNode(0)->Chain().Lib()->activeSet;
    EXPECT_NE(ref, genesis) << "the elected set never came into force";
    for (uint32_t i = 1; i < h.NodeCount(); ++i)
    {
        EXPECT_EQ(*h.GetNode(i)->Chain().Lib()->activeSet, ref) << "node " << i;
    }
    EXPECT_GT(r.libHeightMin, 60u) << Describe(r);
}

// At scale a report names each group's best and the claimants, and sums the rest
// (model/czr/report-cut.h). With the claim bound at 8 and N = 21, a report names the top 21 of
// 40 nodes (one group) and sums 19; no epoch has more than 8 claims, and elections still run.
TEST(Harness, CutReportNamesTheTopAndClaimsStayWithinTheBound)
{
    HarnessConfig c = Small(8);
    c.nodeCount = 40;
    c.czrEpochSlots = 10;
    c.czrClaimRankMax = 8;
    Harness h(c);
    h.RunUntil(45 * kSecond);
    HarnessReport r = h.Report();
    ASSERT_TRUE(r.Safe()) << Describe(r);
    const PopState& pop = h.GetNode(0)->Chain().BestState().Pop();
    ASSERT_EQ(pop.reportEpoch, 4u) << Describe(r);
    EXPECT_EQ(pop.observed.size(), 21u);
    EXPECT_EQ(pop.unnamedCount, 19u);
    EXPECT_GT(pop.unnamedTotal, 0u);
    std::map<uint64_t, uint32_t> claimsByEpoch;
    for (const auto& [account, stored] : pop.claims)
    {
        ++claimsByEpoch[stored.claim.epoch];
        EXPECT_NE(pop.observed.Find(account), nullptr) << "a claimant the report did not name";
    }
    EXPECT_GE(claimsByEpoch[4], 1u);
    for (const auto& [epoch, count] : claimsByEpoch)
    {
        EXPECT_LE(count, 8u) << "epoch " << epoch;
    }
    EXPECT_GE(r.elections, 1u) << Describe(r);
}

// The property run (DESIGN.md 3): 1,000 seeds. Each draws, for its first minute, loss,
// duplication, delay, partitions, crashes, link failures and bursts of loss and delay, and up to
// two byzantine producers of seven (fewer than N/3) of any kind and up to one network attacker
// (transaction spam or a message flood from a node without a key), with the CZR engine electing
// producer sets all along; checkers run after every step. Then a healthy minute: every honest
// node must make progress, unless more producers are silent for good (invalid-block producers,
// slashed equivocators) than the finality rule tolerates (N - threshold = 1 for N = 7), in
// which case the report must say that finality stalled. A failure names its seed. The seeds
// are split into shards so ctest can run them on both cores. The gossip mode comes from the seed
// too (seed % 3: push, announce, compact), and so does the consensus protocol (seed % 5: PoP,
// PoW, PoS, DPoS, PoI; issue 14), so every mode and protocol meets the faults and adversaries;
// under a depth rule (PoW, PoS, PoI) a reorg past it is counted, not a violation, and liveness
// is what is checked.
// CANONSIM_PROPERTY_SEEDS overrides the count (the sanitizer pass runs fewer: each seed costs
// about five times as much there).
constexpr uint64_t kPropertySeeds = 1000;
constexpr uint64_t kPropertyShards = 8;

uint64_t
PropertySeeds()
{
    const char* env = std::getenv("CANONSIM_PROPERTY_SEEDS");
    return env && std::strtoull(env, nullptr, 10) > 0 ? std::strtoull(env, nullptr, 10)
                                                      : kPropertySeeds;
}

class HarnessProperty : public ::testing::TestWithParam<uint64_t>
{
};

TEST_P(HarnessProperty, SeedsWithFaultsAndAdversariesStaySafeAndRecoverAfterTheHeal)
{
    const uint64_t perShard = (PropertySeeds() + kPropertyShards - 1) / kPropertyShards;
    const uint64_t first = 1000 + GetParam() * perShard;
    for (uint64_t seed = first; seed < first + perShard; ++seed)
    {
        HarnessConfig c;
        c.seed = seed;
        c.nodeCount = 12;
        c.producerCount = 7;
        c.txPerSecond = 5;
        c.accounts = 16;
        c.randomFaultsUntil = 60 * kSecond;
        c.randomAdversariesMax = 2;
        c.randomAttackersMax = 1; // a spammer or a flooder on a node without a key
        c.czrEpochSlots = 7;      // elections and producer-set changes under the same faults
        c.limits.gossip = static_cast<GossipMode>(seed % 3);
        UseProtocol(static_cast<Protocol>(seed % 5), c);
        Harness h(c);
        h.RunUntil(60 * kSecond);
        const uint64_t libAtHeal = h.Report().libHeightMax;
        h.RunUntil(120 * kSecond);
        HarnessReport r = h.Report();
        const std::string again =
            "reproduce with: canonsim-harness --seed " + std::to_string(seed) +
            " --nodes 12 --producers 7 --tx-rate 5 --accounts 16 "
            "--faults-until 60 --duration 120 --czr-epoch-slots 7 "
            "--random-adversaries 2 --random-attackers 1 --gossip " +
            Name(c.limits.gossip) + " (consensus " + ProtocolName(c.consensus.protocol) + ", " +
            "tests/harness/harness-test.cc SetPropertyProtocol)\n";
        ASSERT_TRUE(r.Safe()) << again << FormatSummary(r);
        if (!MakeConsensusEngine(h.Params())->DeterministicFinality())
        {
            // A depth rule moves whenever the chain grows: liveness is all there is to check.
            ASSERT_GT(r.libHeightMin, libAtHeal) << "no liveness after the heal\n"
                                                 << again << FormatSummary(r);
            continue;
        }
        uint32_t silent = 0;
        for (const AdversarySpec& a : h.Adversaries())
        {
            silent +=
                a.kind == AdversaryKind::kInvalidBlocks || a.kind == AdversaryKind::kEquivocator
                    ? 1
                    : 0;
        }
        // Producers whose confirmations make a block irreversible: PoP's floor(2N/3)+2, DPoS's
        // two thirds (the LIB is the one floor(2N/3)+1 producers have implied).
        const uint32_t needed = c.consensus.protocol == Protocol::kDpos
                                    ? 2 * c.producerCount / 3 + 1
                                    : FinalityThreshold(c.producerCount);
        if (silent <= c.producerCount - needed)
        {
            ASSERT_GT(r.libHeightMin, libAtHeal) << "no liveness after the heal\n"
                                                 << again << FormatSummary(r);
        }
        else if (r.libHeightMin <= libAtHeal)
        {
            ASSERT_FALSE(r.stall.empty()) << "finality stopped unreported\n"
                                          << again << FormatSummary(r);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Shards, HarnessProperty, ::testing::Range<uint64_t>(0, kPropertyShards));

} // namespace
} // namespace canon
