#include "model/consensus/election.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace canon
{
namespace
{

// A chain whose 4 genesis producers are keys "producer0..3" and whose CZR engine key is known,
// plus 8 node accounts that can claim, and 3 voters.
class ElectionTest : public ::testing::Test
{
  protected:
    ElectionTest()
    {
        for (uint32_t i = 0; i < 8; ++i)
        {
            nodes.push_back(test::Key("node" + std::to_string(i)));
        }
        std::vector<Address> investors;
        for (const auto& k : nodes)
        {
            investors.push_back(k.GetAddress());
        }
        for (uint32_t i = 0; i < 3; ++i)
        {
            voters.push_back(test::Key("voter" + std::to_string(i)));
            investors.push_back(voters.back().GetAddress());
        }
        investors.push_back(oracle.GetAddress());
        tc.params->genesis = MakeGenesisAllocation(investors, test::Key("team").GetAddress(),
                                                   test::Key("community").GetAddress());
        tc.params->czrOracle = oracle.Public();
    }

    Status Apply(LedgerState& s, const KeyPair& from, TxType type, Bytes payload, uint64_t height)
    {
        Transaction tx = MakeTransaction(from, type, s.NonceOf(from.GetAddress()), 1, tc.Czc(),
                                         std::move(payload));
        TxContext ctx = test::Ctx(tc.Czc(), test::Key("fees").GetAddress());
        ctx.height = height;
        ctx.czrOracle = oracle.GetAddress();
        return s.ApplyTransaction(tx, ctx);
    }

    // Node i claims `claimed` and CZR observes `observed` (scores in units of 1.0).
    void Claim(LedgerState& s, uint32_t i, double claimed, uint32_t region = 0)
    {
        ClaimPayload c;
        c.epoch = 1;
        c.score = static_cast<uint64_t>(claimed * kScoreUnits);
        c.region = region;
        ASSERT_TRUE(Apply(s, nodes[i], TxType::kContributionClaim, c.Encode(), 1).IsOk());
    }

    // CZR observes node i at `observed[i]`, in region `regions[i]` (0 when not given).
    void Report(LedgerState& s, const std::vector<double>& observed,
                const std::vector<uint32_t>& regions = {})
    {
        const uint64_t epoch = 1;
        CzrReportPayload r;
        r.epoch = epoch;
        for (uint32_t i = 0; i < observed.size(); ++i)
        {
            CzrReportEntry e;
            e.account = nodes[i].GetAddress();
            e.total = static_cast<uint64_t>(observed[i] * kScoreUnits);
            e.region = i < regions.size() ? regions[i] : 0;
            r.entries.push_back(e);
        }
        std::sort(r.entries.begin(), r.entries.end(),
                  [](const CzrReportEntry& a, const CzrReportEntry& b)
                  { return a.account < b.account; });
        ASSERT_TRUE(Apply(s, oracle, TxType::kCzrReport, r.Encode(), 1).IsOk());
    }

    test::TestChain tc{4, 1};
    KeyPair oracle = test::Key("czr-oracle");
    std::vector<KeyPair> nodes;
    std::vector<KeyPair> voters;
};

TEST_F(ElectionTest, OnlyTheCzrEngineMayPublishAReport)
{
    LedgerState s = LedgerState::FromGenesis(*tc.params);
    CzrReportPayload r;
    r.epoch = 1;
    Status st = Apply(s, nodes[0], TxType::kCzrReport, r.Encode(), 1);
    EXPECT_NE(st.Message().find("not signed by the CZR engine"), std::string::npos)
        << st.ToString();
    Report(s, {1.0});
    EXPECT_EQ(s.Pop().reportEpoch, 1u);
    // An older or equal epoch is refused.
    r.epoch = 1;
    EXPECT_FALSE(Apply(s, oracle, TxType::kCzrReport, r.Encode(), 2).IsOk());
}

TEST_F(ElectionTest, ClaimAboveObservationIsCappedAndFlagged)
{
    LedgerState s = LedgerState::FromGenesis(*tc.params);
    Claim(s, 0, 9.0); // claims far more than observed
    Claim(s, 1, 2.0);
    Report(s, {3.0, 2.5});
    auto out = RunElection(s, *tc.params, 4, 2, Hash256{}, tc.params->producers, "test");
    ASSERT_EQ(out.candidates.size(), 2u);
    for (const auto& c : out.candidates)
    {
        if (c.account == nodes[0].GetAddress())
        {
            EXPECT_DOUBLE_EQ(c.effective, 3.0);
            EXPECT_TRUE(c.overclaim);
        }
        else
        {
            EXPECT_DOUBLE_EQ(c.effective, 2.0);
            EXPECT_FALSE(c.overclaim);
        }
    }
}

TEST_F(ElectionTest, ElectionAlwaysFillsNPlacesAndIsDeterministicForASeed)
{
    LedgerState s = LedgerState::FromGenesis(*tc.params);
    Claim(s, 0, 1.0);
    Claim(s, 1, 2.0);
    Report(s, {1.0, 2.0});
    Hash256 seed = Blake2b256(std::string("lib"));
    auto a = RunElection(s, *tc.params, 4, 2, seed, tc.params->producers, "test");
    auto b = RunElection(s, *tc.params, 4, 2, seed, tc.params->producers, "test");
    EXPECT_EQ(a.elected, b.elected);
    ASSERT_EQ(a.elected.size(), 4u);
    // Both candidates are in; the two open places go to current producers in their order.
    EXPECT_NE(std::find(a.elected.begin(), a.elected.end(), nodes[0].Public()), a.elected.end());
    EXPECT_NE(std::find(a.elected.begin(), a.elected.end(), nodes[1].Public()), a.elected.end());
    EXPECT_EQ(a.elected[2], tc.params->producers[0]);
    EXPECT_EQ(a.elected[3], tc.params->producers[1]);
}

TEST_F(ElectionTest, CandidatesAreTheBestOfEachRegionSoTheSetIsRepresentative)
{
    tc.params->election.candidatesPerGroup = 1;
    LedgerState s = LedgerState::FromGenesis(*tc.params);
    Claim(s, 0, 5.0, /*region=*/0);
    Claim(s, 1, 4.0, 0);
    Claim(s, 2, 1.0, /*region=*/1);        // weakest overall, but best of its region
    Report(s, {5.0, 4.0, 1.0}, {0, 0, 1}); // groups follow what CZR observed
    auto out = RunElection(s, *tc.params, 4, 2, Hash256{}, tc.params->producers, "test");
    ASSERT_EQ(out.candidates.size(), 2u);
    std::vector<Address> accounts{out.candidates[0].account, out.candidates[1].account};
    EXPECT_NE(std::find(accounts.begin(), accounts.end(), nodes[0].GetAddress()), accounts.end());
    EXPECT_NE(std::find(accounts.begin(), accounts.end(), nodes[2].GetAddress()), accounts.end());
}

TEST_F(ElectionTest, MoreVotesGiveAGreaterChanceOfElection)
{
    // 8 candidates of equal contribution, N = 4; voters back node 7 with all their stake.
    LedgerState base = LedgerState::FromGenesis(*tc.params);
    std::vector<double> obs(8, 1.0);
    for (uint32_t i = 0; i < 8; ++i)
    {
        Claim(base, i, 1.0);
    }
    Report(base, obs);
    VotePayload v;
    v.candidates = {nodes[7].GetAddress()};
    for (const auto& voter : voters)
    {
        ASSERT_TRUE(Apply(base, voter, TxType::kVote, v.Encode(), 1).IsOk());
    }
    // Nodes 0..6 get one voter's stake each (node 0 votes for them); node 7 has three voters'.
    VotePayload all;
    for (uint32_t i = 0; i < 7; ++i)
    {
        all.candidates.push_back(nodes[i].GetAddress());
    }
    ASSERT_TRUE(Apply(base, nodes[0], TxType::kVote, all.Encode(), 1).IsOk());
    int backedWins = 0, otherWins = 0;
    for (uint32_t seed = 0; seed < 200; ++seed)
    {
        auto out = RunElection(base, *tc.params, 4, 2, Blake2b256(std::to_string(seed)),
                               tc.params->producers, "test");
        backedWins += std::count(out.elected.begin(), out.elected.end(), nodes[7].Public()) > 0;
        otherWins += std::count(out.elected.begin(), out.elected.end(), nodes[6].Public()) > 0;
    }
    // With weights 3 against 1 (x7) and N = 4 of 8, the backed node is drawn about 80% of the
    // time and any other about 45%.
    EXPECT_GT(backedWins, 140);
    EXPECT_GT(backedWins, otherWins + 40);
}

TEST_F(ElectionTest, RankingDriftCountsChangedPlaces)
{
    Address a = nodes[0].GetAddress(), b = nodes[1].GetAddress(), c = nodes[2].GetAddress();
    EXPECT_DOUBLE_EQ(RankingDrift({}, {a, b}), 1.0);
    EXPECT_DOUBLE_EQ(RankingDrift({a, b}, {b, a}), 0.0);
    EXPECT_DOUBLE_EQ(RankingDrift({a, b}, {a, c}), 0.5);
}

// In the chain: a report that voters have voted on triggers the first election; the elected set
// takes over only after the announcing block is irreversible, and then produces.
TEST_F(ElectionTest, ElectedSetTakesEffectOnlyAfterTheAnnouncingBlockIsIrreversible)
{
    ConsensusChain chain(tc.params);
    const TimeNs late = 1000 * kSecond;
    // Block 1 carries claims by nodes 0..3 and the CZR report.
    std::vector<Transaction> txs;
    for (uint32_t i = 0; i < 4; ++i)
    {
        ClaimPayload c;
        c.epoch = 1;
        c.score = static_cast<uint64_t>((i + 1) * kScoreUnits);
        txs.push_back(
            MakeTransaction(nodes[i], TxType::kContributionClaim, 0, 1, tc.Czc(), c.Encode()));
    }
    CzrReportPayload r;
    r.epoch = 1;
    for (uint32_t i = 0; i < 4; ++i)
    {
        CzrReportEntry e;
        e.account = nodes[i].GetAddress();
        e.total = static_cast<uint64_t>((i + 1) * kScoreUnits);
        r.entries.push_back(e);
    }
    std::sort(r.entries.begin(), r.entries.end(),
              [](const CzrReportEntry& a, const CzrReportEntry& b)
              { return a.account < b.account; });
    // A voter's approval is on chain before the report that triggers the election.
    VotePayload vote;
    vote.candidates = {nodes[3].GetAddress()};
    txs.push_back(MakeTransaction(voters[0], TxType::kVote, 0, 1, tc.Czc(), vote.Encode()));
    txs.push_back(MakeTransaction(oracle, TxType::kCzrReport, 0, 1, tc.Czc(), r.Encode()));
    auto b1 = tc.MakeBlock(chain, chain.Best(), 1, txs);
    auto res = chain.AddBlock(b1, test::TestChain::Size(b1), late);
    ASSERT_TRUE(res.status.IsOk()) << res.status.ToString();
    ASSERT_TRUE(res.election);
    EXPECT_EQ(res.election->trigger, "first-election");
    EXPECT_NE(
        std::find(res.election->elected.begin(), res.election->elected.end(), nodes[3].Public()),
        res.election->elected.end())
        << "the only candidate with votes must be drawn first";
    EXPECT_EQ(res.election->elected.size(), 4u);
    const auto genesisSet = tc.params->producers;

    // Genesis producers keep producing until block 1 is irreversible (N = 4: threshold 4).
    bool activated = false;
    uint64_t slot = 2;
    uint64_t activatedAt = 0;
    while (!activated && slot < 40)
    {
        const BlockEntry* parent = chain.Best();
        const PublicKey& key = test::ScheduledKey(chain, parent, slot);
        auto it = std::find(genesisSet.begin(), genesisSet.end(), key);
        ASSERT_NE(it, genesisSet.end()) << "a new producer was scheduled too early, slot " << slot;
        auto b = tc.MakeBlock(chain, parent, slot);
        auto rr = chain.AddBlock(b, test::TestChain::Size(b), late);
        ASSERT_TRUE(rr.status.IsOk()) << rr.status.ToString();
        if (rr.producerSetActivated)
        {
            activated = true;
            activatedAt = rr.entry->height;
            EXPECT_GE(rr.entry->lib->height, 1u);
        }
        ++slot;
    }
    ASSERT_TRUE(activated);
    EXPECT_GT(activatedAt, 1u);
    EXPECT_EQ(*chain.Best()->activeSet, res.election->elected);
    // From the next cycle on, the elected keys are scheduled.
    const uint64_t nextCycle = (slot / 4 + 1) * 4;
    const PublicKey& scheduled = test::ScheduledKey(chain, chain.Best(), nextCycle);
    EXPECT_NE(std::find(res.election->elected.begin(), res.election->elected.end(), scheduled),
              res.election->elected.end());
}

} // namespace
} // namespace canon
