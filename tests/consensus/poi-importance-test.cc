// NEM importance on the hand-made 8-account graph of NOTES.md 2.8, against the reference
// computation (tests/consensus/reference/poi_importance.py, output in poi_vectors.out: six
// decimals, so values are compared within 1e-6), run through the same assembly the chain uses
// (PoiGraphAt: eligibility, decay by age, the 30-day window, ineligible recipients).
#include "model/consensus/baselines/poi-state.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace canon
{
namespace
{

constexpr uint64_t kDay = 1440;          // blocks per day at the default 60 s target
constexpr uint64_t kHeight = 100 * kDay; // the recalculation height

Address
Account(char name)
{
    return Blake2b256(std::string("poi-vector/") + name);
}

struct Transfer
{
    char from;
    char to;
    uint64_t xem;
    uint64_t ageDays;
};

PoiRules
DefaultRules()
{
    ChainParams params;
    params.consensus.protocol = Protocol::kPoi;
    params.consensus.members.push_back(PublicKey{});
    return MakePoiRules(params);
}

// The accounts of NOTES.md 2.8 at kHeight: balances fully vested, outlinks at their ages.
PoiAccounts
VectorAccounts()
{
    const std::map<char, uint64_t> vested = {{'A', 2000000}, {'B', 1000000}, {'C', 500000},
                                             {'D', 300000},  {'E', 200000},  {'F', 150000},
                                             {'G', 50000},   {'X', 5000}};
    const std::vector<Transfer> transfers = {
        {'A', 'B', 50000, 1}, {'B', 'C', 40000, 2},  {'C', 'D', 30000, 0},  {'D', 'E', 20000, 3},
        {'E', 'A', 25000, 5}, {'A', 'C', 10000, 10}, {'B', 'D', 15000, 4},  {'C', 'E', 12000, 7},
        {'D', 'A', 8000, 1},  {'E', 'B', 5000, 2},   {'F', 'A', 140000, 0}, {'G', 'F', 20000, 1},
        {'F', 'G', 19500, 1}, {'E', 'X', 3000, 0},   {'A', 'F', 100000, 31}};
    PoiAccounts accounts;
    for (const auto& [name, xem] : vested)
    {
        accounts[Account(name)].balance = PoiBalance::Vested(xem * kUnitsPerCzr, 0);
    }
    // Oldest first, so each chunk links to the older ones.
    for (uint64_t age = 40; age-- > 0;)
    {
        for (const Transfer& t : transfers)
        {
            if (t.ageDays != age)
            {
                continue;
            }
            PoiAccount& sender = accounts[Account(t.from)];
            auto chunk = std::make_shared<PoiOutlinkChunk>();
            chunk->height = kHeight - age * kDay;
            chunk->links.emplace_back(Account(t.to), t.xem * kUnitsPerCzr);
            chunk->older = sender.outlinks;
            sender.outlinks = std::move(chunk);
        }
    }
    return accounts;
}

struct Expected
{
    char name;
    double value;
};

void
ExpectImportances(const PoiImportanceTable& t, const std::vector<Expected>& expected)
{
    ASSERT_EQ(t.accounts.size(), expected.size());
    for (const Expected& e : expected)
    {
        EXPECT_NEAR(t.ImportanceOf(Account(e.name)), e.value, 1e-6) << e.name;
    }
}

// poi_vectors.out, "importance (NIS stop rule)".
const std::vector<Expected> kNisStopRule = {{'A', 0.420373}, {'B', 0.229996}, {'C', 0.123330},
                                            {'D', 0.080626}, {'F', 0.072766}, {'E', 0.059705},
                                            {'G', 0.013204}};
// poi_vectors.out, "importance (exact)".
const std::vector<Expected> kExact = {{'A', 0.420374}, {'B', 0.229999}, {'C', 0.123330},
                                      {'D', 0.080624}, {'F', 0.072766}, {'E', 0.059704},
                                      {'G', 0.013204}};

TEST(ConsensusPoiImportance, RulesCarryNemConstantsInCanonSimUnits)
{
    const PoiRules r = DefaultRules();
    EXPECT_EQ(r.vestedMin, 10000 * kUnitsPerCzr);
    EXPECT_EQ(r.blocksPerDay, kDay);
    EXPECT_EQ(r.outlinkWindowBlocks, 30 * kDay);
    EXPECT_EQ(r.importance.outlinkMin, 1000.0 * static_cast<double>(kUnitsPerCzr));
    // 10^14 · 1,618,033,988 / 8,999,999,999 at a 60 s target and a 1 s tick.
    EXPECT_EQ(r.initialDifficulty, 17978155424219ULL);
    EXPECT_EQ(r.difficultyMin, r.initialDifficulty / 10);
    EXPECT_EQ(r.difficultyMax, r.initialDifficulty * 10);
}

TEST(ConsensusPoiImportance, GraphAssemblyDropsTheIneligibleAndTheTooOld)
{
    std::vector<Address> eligible;
    const PoiGraph g = PoiGraphAt(VectorAccounts(), kHeight, DefaultRules(), eligible);
    EXPECT_EQ(eligible.size(), 7u); // X holds 5,000 < 10,000
    EXPECT_EQ(g.accountsConsidered, 8u);
    EXPECT_EQ(g.links.size(), 14u); // A->F is 31 days old
    std::size_t outside = 0;
    for (const PoiLink& l : g.links)
    {
        outside += l.to == kPoiOutside ? 1 : 0;
    }
    EXPECT_EQ(outside, 1u); // E->X
}

TEST(ConsensusPoiImportance, VectorMatchesTheReferenceUnderTheNisStopRule)
{
    const auto t = ComputePoiImportances(VectorAccounts(), kHeight, DefaultRules());
    ExpectImportances(*t, kNisStopRule);
    EXPECT_EQ(t->iterations, 16u); // as the reference counts them
}

TEST(ConsensusPoiImportance, VectorMatchesTheReferenceFixedPoint)
{
    PoiRules rules = DefaultRules();
    rules.importance.tolerance = 1e-13;
    const auto t = ComputePoiImportances(VectorAccounts(), kHeight, rules);
    ExpectImportances(*t, kExact);
    const std::vector<Expected> rank = {{'A', 0.207489}, {'B', 0.205943}, {'C', 0.169233},
                                        {'D', 0.181239}, {'E', 0.152167}, {'F', 0.048214},
                                        {'G', 0.035714}};
    for (const Expected& e : rank)
    {
        const auto it = std::lower_bound(t->accounts.begin(), t->accounts.end(), Account(e.name));
        EXPECT_NEAR(t->pageRank[static_cast<std::size_t>(it - t->accounts.begin())], e.value, 1e-6)
            << e.name;
    }
}

TEST(ConsensusPoiImportance, SpendingLiftsFAboveEAlthoughItHoldsLess)
{
    const auto t = ComputePoiImportances(VectorAccounts(), kHeight, DefaultRules());
    const std::string order = "ABCDFEG";
    for (std::size_t i = 0; i + 1 < order.size(); ++i)
    {
        EXPECT_GT(t->ImportanceOf(Account(order[i])), t->ImportanceOf(Account(order[i + 1])))
            << order[i] << " vs " << order[i + 1];
    }
    EXPECT_EQ(t->ImportanceOf(Account('X')), 0.0);
    EXPECT_EQ(t->EffectiveOf(Account('X')), 0u);
    EXPECT_EQ(t->EffectiveOf(Account('A')),
              static_cast<uint64_t>(t->ImportanceOf(Account('A')) * 1618033988.0));
}

TEST(ConsensusPoiImportance, IntermediatesMatchTheReference)
{
    std::vector<Address> eligible;
    const PoiRules rules = DefaultRules();
    const PoiGraph g = PoiGraphAt(VectorAccounts(), kHeight, rules, eligible);
    const PoiImportanceResult r = ComputePoiImportance(g, rules.importance);
    auto index = [&eligible](char name)
    {
        return static_cast<std::size_t>(
            std::lower_bound(eligible.begin(), eligible.end(), Account(name)) - eligible.begin());
    };
    const std::vector<Expected> scores = {{'A', -68085.279}, {'B', -4085.100}, {'C', -88.333},
                                          {'D', -10836.900}, {'E', 1492.687},  {'F', 139550.000},
                                          {'G', 450.000}};
    for (const Expected& e : scores)
    {
        EXPECT_NEAR(r.outlinkScore[index(e.name)] / 1e9, e.value, 1e-3) << e.name;
    }
    ASSERT_EQ(r.clusters.clusters.size(), 1u);
    EXPECT_EQ(r.clusters.clusters[0].size(), 6u); // A..F
    EXPECT_TRUE(r.clusters.hubs.empty());
    EXPECT_EQ(r.clusters.outliers, std::vector<uint32_t>{static_cast<uint32_t>(index('G'))});
    EXPECT_EQ(r.dangling, std::vector<uint32_t>{static_cast<uint32_t>(index('G'))});
    EXPECT_EQ(r.graphWeight[index('G')], 0.9);
}

TEST(ConsensusPoiImportance, WithoutClusteringThePlainRankMatchesTheReference)
{
    PoiRules rules = DefaultRules();
    rules.importance.clustering = false;
    rules.importance.tolerance = 1e-13;
    const auto t = ComputePoiImportances(VectorAccounts(), kHeight, rules);
    ExpectImportances(*t, {{'A', 0.419531},
                           {'B', 0.230132},
                           {'C', 0.123529},
                           {'D', 0.081108},
                           {'F', 0.071185},
                           {'E', 0.059865},
                           {'G', 0.014649}});
}

TEST(ConsensusPoiImportance, SameInputGivesBitIdenticalImportances)
{
    const auto a = ComputePoiImportances(VectorAccounts(), kHeight, DefaultRules());
    const auto b = ComputePoiImportances(VectorAccounts(), kHeight, DefaultRules());
    EXPECT_EQ(a->accounts, b->accounts);
    EXPECT_EQ(a->importance, b->importance);
    EXPECT_EQ(a->pageRank, b->pageRank);
    EXPECT_EQ(a->effective, b->effective);
}

TEST(ConsensusPoiImportance, NoEligibleAccountGivesAnEmptyTable)
{
    PoiAccounts accounts;
    accounts[Account('X')].balance = PoiBalance::Vested(5000 * kUnitsPerCzr, 0);
    const auto t = ComputePoiImportances(accounts, kHeight, DefaultRules());
    EXPECT_TRUE(t->accounts.empty());
    EXPECT_EQ(t->EffectiveOf(Account('X')), 0u);
}

// SCAN on hand-made neighbourhoods.
std::vector<std::vector<uint32_t>>
Graph(uint32_t n, const std::vector<std::pair<uint32_t, uint32_t>>& edges)
{
    std::vector<std::vector<uint32_t>> nb(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        nb[i].push_back(i);
    }
    for (const auto& [a, b] : edges)
    {
        nb[a].push_back(b);
        nb[b].push_back(a);
    }
    for (auto& v : nb)
    {
        std::sort(v.begin(), v.end());
    }
    return nb;
}

void
AddClique(std::vector<std::pair<uint32_t, uint32_t>>& edges, uint32_t first, uint32_t size)
{
    for (uint32_t a = first; a < first + size; ++a)
    {
        for (uint32_t b = a + 1; b < first + size; ++b)
        {
            edges.emplace_back(a, b);
        }
    }
}

TEST(ConsensusPoiClustering, ANodeBetweenTwoClustersIsAHubAndAnIsolatedNodeAnOutlier)
{
    // Two 14-cliques; node 28 touches one node of each (similarity 2/sqrt(45) = 0.298 < 0.3, so
    // neither cluster absorbs it); node 29 is alone.
    std::vector<std::pair<uint32_t, uint32_t>> edges;
    AddClique(edges, 0, 14);
    AddClique(edges, 14, 14);
    edges.emplace_back(28, 0);
    edges.emplace_back(28, 14);
    const PoiClusters c = ScanClusters(Graph(30, edges), 4, 0.3);
    ASSERT_EQ(c.clusters.size(), 2u);
    EXPECT_EQ(c.clusters[0].size(), 14u);
    EXPECT_EQ(c.clusters[1].front(), 14u);
    EXPECT_EQ(c.hubs, std::vector<uint32_t>{28});
    EXPECT_EQ(c.outliers, std::vector<uint32_t>{29});
}

TEST(ConsensusPoiClustering, ASimilarBridgeMergesTwoClusters)
{
    // NIS merges clusters that share a similar node: with 5-cliques the bridge's similarity to
    // each side is 2/sqrt(18) = 0.47, so both cores claim it and the clusters become one.
    std::vector<std::pair<uint32_t, uint32_t>> edges;
    AddClique(edges, 0, 5);
    AddClique(edges, 5, 5);
    edges.emplace_back(10, 0);
    edges.emplace_back(10, 5);
    const PoiClusters c = ScanClusters(Graph(11, edges), 4, 0.3);
    ASSERT_EQ(c.clusters.size(), 1u);
    EXPECT_EQ(c.clusters[0].size(), 11u);
}

TEST(ConsensusPoiClustering, APathIsOneClusterWithMuThreeAndOutliersWithMuFour)
{
    const auto path = Graph(5, {{0, 1}, {1, 2}, {2, 3}, {3, 4}});
    const PoiClusters three = ScanClusters(path, 3, 0.3);
    ASSERT_EQ(three.clusters.size(), 1u);
    EXPECT_EQ(three.clusters[0], (std::vector<uint32_t>{0, 1, 2, 3, 4}));
    const PoiClusters four = ScanClusters(path, 4, 0.3);
    EXPECT_TRUE(four.clusters.empty());
    EXPECT_EQ(four.outliers.size(), 5u);
}

} // namespace
} // namespace canon
