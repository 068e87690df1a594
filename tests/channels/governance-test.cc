// CZC governance (issue 18, paper 1.2.6): a proposal passes only above 3/4 of the voting stake
// held for the hold period; then the new CZC hash is required and the old one refused.
#include "model/chain/block-validator.h"
#include "model/chain/ledger-state.h"
#include "model/governance/governance.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

constexpr TimeNs kHold = 100 * kSecond;
constexpr TimeNs kTest = 50 * kSecond;
constexpr TimeNs kWindow = 60 * kSecond;

ChainParams
WithStakes(ChainParams p, const std::vector<uint64_t>& stakes)
{
    uint64_t freed = 0;
    for (std::size_t i = 0; i < stakes.size(); ++i)
    {
        freed += p.genesis[i].amount - stakes[i];
        p.genesis[i].amount = stakes[i];
    }
    for (auto& g : p.genesis)
    {
        g.amount += g.address == PopPoolAddress() ? freed : 0;
    }
    return p;
}

class GovernanceTest : public ::testing::Test
{
  protected:
    test::TestChain tc{4, 4};
    // Stakes 300, 100, 100, 100 (the rest of the investors' share goes to the pool), and
    // transactions without fees, so the stakes stay exact.
    LedgerState state = LedgerState::FromGenesis(WithStakes(*tc.params, {300, 100, 100, 100}));
    Address fees = test::Key("producer-fees").GetAddress();
    Hash256 newCzc = Blake2b256(std::string("CZC v2: T = 2 s"));
    Hash256 czc = tc.Czc();
    TimeNs now = 0;
    uint64_t height = 1;
    Hash256 proposal{};
    // The chain's finality threshold override (0: floor(2N/3)+2, which is 4 of these 4
    // producers): what the upgrade stall rule compares the upgraded producers with.
    uint32_t thresholdOverride = 0;

    TxContext Ctx()
    {
        TxContext c = test::Ctx(tc.Czc(), fees);
        c.now = now;
        c.height = height;
        return c;
    }
    Status Send(std::size_t account, TxType type, const Bytes& payload)
    {
        const KeyPair& k = tc.accounts[account];
        return state.ApplyTransaction(
            MakeTransaction(k, type, state.NonceOf(k.GetAddress()), 0, czc, payload), Ctx());
    }
    void Propose(GovParam param = GovParam::kSlotDuration, uint64_t value = 2 * kSecond)
    {
        const uint64_t nonce = state.NonceOf(tc.accounts[0].GetAddress());
        ProposalPayload p{param, value, newCzc};
        ASSERT_TRUE(Send(0, TxType::kGovProposal, p.Encode()).IsOk());
        proposal = ProposalIdFor(tc.accounts[0].Public(), nonce);
    }
    void Vote(std::size_t account, bool approve)
    {
        ASSERT_TRUE(
            Send(account, TxType::kGovVote, GovVotePayload{proposal, approve}.Encode()).IsOk());
    }
    // Blocks every 10 s until `until`.
    void RunTo(TimeNs until)
    {
        for (; now + 10 * kSecond <= until;)
        {
            now += 10 * kSecond;
            ++height;
            state.EndBlock(Ctx(), GovernanceParams{kHold, kTest, kWindow}, RuleEpoch{},
                           thresholdOverride);
        }
    }
    ProposalPhase Phase() const { return state.Governance().proposals.at(proposal).phase; }
    bool Passed() const { return Phase() == ProposalPhase::kPassed; }
    void AllApprove()
    {
        for (std::size_t a = 0; a < 4; ++a)
        {
            Vote(a, true);
        }
    }
    // Takes an upgrade to version 2 through both holds and its test phase.
    void UpgradeToWindow()
    {
        Propose(GovParam::kUpgrade, 2);
        AllApprove();
        RunTo(kHold + 10 * kSecond);
        ASSERT_EQ(Phase(), ProposalPhase::kTesting);
        czc = newCzc; // step 2: the new CZC hash from now on
        ASSERT_TRUE(
            Send(1, TxType::kGovTestReport, GovTestReportPayload{proposal, true}.Encode()).IsOk());
        RunTo(now + kTest);
        ASSERT_EQ(Phase(), ProposalPhase::kSecondVote);
        EXPECT_TRUE(state.Governance().proposals.at(proposal).votes.empty()) << "votes again";
        AllApprove();
        RunTo(now + kHold + 10 * kSecond);
        ASSERT_EQ(Phase(), ProposalPhase::kWindow);
    }
    Status Signal(const KeyPair& node)
    {
        return state.ApplyTransaction(MakeTransaction(node, TxType::kGovUpgradeSignal,
                                                      state.NonceOf(node.GetAddress()), 0, czc,
                                                      GovSignalPayload{proposal}.Encode()),
                                      Ctx());
    }
    // A block by `producer` on the current state, validated.
    Status BlockBy(const KeyPair& producer)
    {
        BlockHeader parent;
        parent.height = height;
        parent.slot = static_cast<uint64_t>(now / kSecond);
        Block b;
        b.header.height = height + 1;
        b.header.slot = parent.slot + 1;
        b.header.timestamp = tc.params->SlotStart(b.header.slot);
        b.header.producer = producer.Public();
        b.header.txRoot = b.ComputeTxRoot();
        b.header.SignWith(producer);
        BlockContext ctx;
        ctx.params = tc.params.get();
        ctx.parent = &parent;
        ctx.parentState = &state;
        ctx.checkProducer = [](const BlockHeader&) { return Status::Ok(); };
        ctx.now = b.header.timestamp;
        return ValidateBlock(b, b.Encode().size(), ctx).GetStatus();
    }
};

TEST_F(GovernanceTest, ExactlyThreeQuartersOfTheVotingStakeNeverPasses)
{
    Propose();
    Vote(0, true);  // 300
    Vote(1, false); // 100
    RunTo(10 * kHold);
    const Proposal& p = state.Governance().proposals.at(proposal);
    EXPECT_EQ(p.approving, 300u);
    EXPECT_EQ(p.voting, 400u);
    EXPECT_FALSE(Passed());
    EXPECT_FALSE(state.Governance().adoptedCzc.has_value());
}

TEST_F(GovernanceTest, AboveThreeQuartersHeldForTheHoldSwitchesTheCzcHash)
{
    Propose();
    for (std::size_t a = 0; a < 4; ++a)
    {
        Vote(a, true);
    }
    RunTo(kHold); // went above at 10 s: not yet held for the whole period
    EXPECT_FALSE(Passed());
    RunTo(kHold + 10 * kSecond);
    ASSERT_TRUE(Passed());
    EXPECT_EQ(state.Governance().AdoptedValue(GovParam::kSlotDuration), 2 * kSecond);
    // The old hash is refused with a reason naming the proposal; the new one is required.
    Status stale =
        Send(1, TxType::kTransfer, TransferPayload{tc.accounts[2].GetAddress(), 5}.Encode());
    EXPECT_NE(stale.Message().find("stale CZC hash"), std::string::npos) << stale.Message();
    EXPECT_NE(stale.Message().find("switched by proposal " + ShortHex(proposal)), std::string::npos)
        << stale.Message();
    czc = newCzc;
    EXPECT_TRUE(Send(1, TxType::kTransfer, TransferPayload{tc.accounts[2].GetAddress(), 5}.Encode())
                    .IsOk());
    EXPECT_EQ(state.TotalSupply(), kTotalSupply);
}

TEST_F(GovernanceTest, ADipDuringTheHoldRestartsItsClock)
{
    Propose();
    for (std::size_t a = 0; a < 4; ++a)
    {
        Vote(a, true); // above from the first block, at 10 s
    }
    RunTo(60 * kSecond);
    Vote(1, false);
    Vote(2, false); // 400 of 600: below
    RunTo(70 * kSecond);
    Vote(2, true); // 500 of 600: above again from the block at 80 s
    RunTo(170 * kSecond);
    EXPECT_FALSE(Passed()) << "held only 90 s since the dip";
    RunTo(180 * kSecond);
    EXPECT_TRUE(Passed());
    EXPECT_EQ(state.Governance().proposals.at(proposal).passedAt, 180 * kSecond);
}

TEST_F(GovernanceTest, BadProposalsAndVotesAreRefusedWithAReason)
{
    Status unknown = Send(1, TxType::kGovVote, GovVotePayload{Hash256{}, true}.Encode());
    EXPECT_NE(unknown.Message().find("no open proposal"), std::string::npos);
    Bytes badParam = ProposalPayload{GovParam::kFeeFloor, 1, newCzc}.Encode();
    badParam[0] = 99;
    EXPECT_NE(
        Send(1, TxType::kGovProposal, badParam).Message().find("unknown governance parameter"),
        std::string::npos);
    Bytes truncated = GovVotePayload{Hash256{}, true}.Encode();
    truncated.pop_back();
    EXPECT_EQ(Send(1, TxType::kGovVote, truncated).Code(), StatusCode::kMalformed);
    Propose();
    Vote(0, true);
    RunTo(kHold + 20 * kSecond);
    ASSERT_TRUE(Passed());
    czc = newCzc;
    Status late = Send(2, TxType::kGovVote, GovVotePayload{proposal, false}.Encode());
    EXPECT_NE(late.Message().find("no open proposal"), std::string::npos) << "passed already";
}

// Three of the four producers upgrade; with a finality threshold of 3 they keep finality going
// alone, so the exclusion takes effect when the window ends.
TEST_F(GovernanceTest, AnUpgradeExcludesTheBlocksOfNodesThatNeverUpgraded)
{
    thresholdOverride = 3;
    UpgradeToWindow();
    const KeyPair& upgraded = tc.producers[0];
    const KeyPair& laggard = tc.producers[1];
    ASSERT_TRUE(Signal(upgraded).IsOk());
    ASSERT_TRUE(Signal(tc.producers[2]).IsOk());
    ASSERT_TRUE(Signal(tc.producers[3]).IsOk());
    EXPECT_TRUE(BlockBy(laggard).IsOk()) << "still inside the upgrade window";
    RunTo(now + kWindow + 10 * kSecond);
    ASSERT_EQ(Phase(), ProposalPhase::kActive);
    EXPECT_EQ(state.Governance().proposals.at(proposal).windowExtensions, 0u);
    EXPECT_EQ(state.Governance().AdoptedValue(GovParam::kUpgrade), 2u);
    const Status refused = BlockBy(laggard);
    EXPECT_NE(refused.Message().find("never upgraded to version 2"), std::string::npos)
        << refused.Message();
    EXPECT_TRUE(BlockBy(upgraded).IsOk()) << BlockBy(upgraded).Message();
}

TEST_F(GovernanceTest, AnUpgradeWhoseTestFailedIsRejected)
{
    Propose(GovParam::kUpgrade, 2);
    AllApprove();
    RunTo(kHold + 10 * kSecond);
    ASSERT_EQ(Phase(), ProposalPhase::kTesting);
    czc = newCzc;
    ASSERT_TRUE(
        Send(1, TxType::kGovTestReport, GovTestReportPayload{proposal, false}.Encode()).IsOk());
    RunTo(now + kTest);
    EXPECT_EQ(Phase(), ProposalPhase::kRejected);
    Status signal = Signal(tc.producers[0]);
    EXPECT_NE(signal.Message().find("takes no upgrade signal"), std::string::npos)
        << signal.Message();
}

// The finality stall rule (governance.h): with the paper's threshold all four producers are
// needed for finality, so while one has not upgraded the window is extended, each extension
// recorded, and the laggard's blocks stay valid; once it signals, the upgrade takes effect.
TEST_F(GovernanceTest, TooFewUpgradedProducersExtendTheWindowInsteadOfStallingFinality)
{
    UpgradeToWindow();
    const KeyPair& laggard = tc.producers[1];
    for (std::size_t i : {0U, 2U, 3U})
    {
        ASSERT_TRUE(Signal(tc.producers[i]).IsOk());
    }
    EXPECT_EQ(state.Governance().UpgradeQuorum(thresholdOverride), 4u);
    RunTo(now + kWindow + 10 * kSecond);
    EXPECT_EQ(Phase(), ProposalPhase::kWindow) << "3 upgraded < threshold 4: extended";
    EXPECT_EQ(state.Governance().proposals.at(proposal).windowExtensions, 1u);
    EXPECT_TRUE(BlockBy(laggard).IsOk()) << BlockBy(laggard).Message();
    RunTo(now + 2 * kWindow);
    EXPECT_EQ(state.Governance().proposals.at(proposal).windowExtensions, 3u);
    EXPECT_TRUE(state.Governance().activeUpgrades.empty());
    ASSERT_TRUE(Signal(laggard).IsOk());
    RunTo(now + kWindow + 10 * kSecond);
    EXPECT_EQ(Phase(), ProposalPhase::kActive) << "all four upgraded";
    EXPECT_TRUE(BlockBy(laggard).IsOk());
}

TEST_F(GovernanceTest, AfterTheWindowTransactionsOfNodesThatNeverUpgradedAreRefused)
{
    thresholdOverride = 3;
    UpgradeToWindow();
    const KeyPair& upgraded = tc.producers[0];
    const KeyPair& laggard = tc.producers[1];
    ASSERT_TRUE(Signal(upgraded).IsOk());
    ASSERT_TRUE(Signal(tc.producers[2]).IsOk());
    ASSERT_TRUE(Signal(tc.producers[3]).IsOk());
    auto transfer = [&](const KeyPair& node)
    {
        return state.ApplyTransaction(MakeTransaction(node, TxType::kTransfer,
                                                      state.NonceOf(node.GetAddress()), 0, czc,
                                                      TransferPayload{fees, 0}.Encode()),
                                      Ctx());
    };
    EXPECT_TRUE(transfer(laggard).IsOk()) << "inside the window";
    RunTo(now + kWindow + 10 * kSecond);
    ASSERT_EQ(Phase(), ProposalPhase::kActive);
    const Status refused = transfer(laggard);
    EXPECT_NE(refused.Message().find("transaction from a node that is producer"), std::string::npos)
        << refused.Message();
    EXPECT_NE(refused.Message().find("never upgraded to version 2"), std::string::npos);
    EXPECT_TRUE(transfer(upgraded).IsOk());
    EXPECT_TRUE(Send(2, TxType::kTransfer, TransferPayload{fees, 0}.Encode()).IsOk())
        << "accounts are not nodes";
}

class FreezeTest : public GovernanceTest
{
  protected:
    Status Approve(std::size_t producer, const Address& account)
    {
        const KeyPair& k = tc.producers[producer];
        return state.ApplyTransaction(MakeTransaction(k, TxType::kGovFreeze,
                                                      state.NonceOf(k.GetAddress()), 0, czc,
                                                      GovFreezePayload{account}.Encode()),
                                      Ctx());
    }
    Status Pay(std::size_t account)
    {
        return Send(account, TxType::kTransfer, TransferPayload{fees, 1}.Encode());
    }
    Address target = tc.accounts[3].GetAddress();
};

TEST_F(FreezeTest, TwoThirdsOfTheProducersFreezeAnAccount)
{
    ASSERT_TRUE(Approve(0, target).IsOk());
    ASSERT_TRUE(Approve(1, target).IsOk());
    EXPECT_TRUE(Pay(3).IsOk()) << "2 of 4 producers: below 2/3";
    EXPECT_NE(Approve(1, target).Message().find("already"), std::string::npos);
    const Status outsider =
        state.ApplyTransaction(MakeTransaction(tc.accounts[0], TxType::kGovFreeze,
                                               state.NonceOf(tc.accounts[0].GetAddress()), 0, czc,
                                               GovFreezePayload{target}.Encode()),
                               Ctx());
    EXPECT_NE(outsider.Message().find("not a producer"), std::string::npos) << outsider.Message();
    const Hash256 root = state.StateRoot();
    ASSERT_TRUE(Approve(2, target).IsOk());
    EXPECT_NE(state.StateRoot(), root) << "the state root commits to governance state";
    const Freeze& f = state.Governance().freezes.at(target);
    EXPECT_TRUE(f.frozen);
    EXPECT_EQ(f.frozenHeight, height);
    const Status refused = Pay(3);
    EXPECT_NE(refused.Message().find("is frozen by the producers"), std::string::npos)
        << refused.Message();
    EXPECT_TRUE(Pay(2).IsOk()) << "only the frozen account";
    EXPECT_NE(Approve(3, target).Message().find("frozen already"), std::string::npos);
}

TEST_F(FreezeTest, TheCommunityOverturnsAFreezeByTheProposalRule)
{
    for (std::size_t p = 0; p < 3; ++p)
    {
        ASSERT_TRUE(Approve(p, target).IsOk());
    }
    proposal = state.Governance().freezes.at(target).overturnVote;
    ASSERT_EQ(Phase(), ProposalPhase::kOpen);
    Vote(0, true);  // 300
    Vote(1, false); // 100: exactly 3/4 of the voting stake, not enough
    RunTo(now + 3 * kHold);
    EXPECT_TRUE(state.Governance().freezes.at(target).frozen);
    Vote(2, true); // 400 of 500
    RunTo(now + kHold + 10 * kSecond);
    ASSERT_TRUE(Passed());
    const Freeze& f = state.Governance().freezes.at(target);
    EXPECT_FALSE(f.frozen);
    EXPECT_EQ(f.overturns, 1u);
    EXPECT_TRUE(f.approvals.empty());
    EXPECT_FALSE(state.Governance().adoptedCzc.has_value()) << "an overturn changes no CZC";
    EXPECT_TRUE(Pay(3).IsOk());
}

TEST(GovernanceGenesis, TheGenesisHashCommitsToCompressedGovernanceDurations)
{
    test::TestChain tc(4, 4);
    ChainParams p = *tc.params;
    const Hash256 paper = p.GenesisHash();
    p.governance.hold = 60 * kSecond;
    EXPECT_NE(p.GenesisHash(), paper);
    ChainParams q = p;
    q.governance.upgradeWindow = 30 * kSecond;
    EXPECT_NE(q.GenesisHash(), p.GenesisHash());
}

TEST_F(GovernanceTest, BlockRewardsSplitByTheAdoptedAllocationAndByContribution)
{
    const Address producer = tc.producers[0].GetAddress();
    const Address a = tc.accounts[1].GetAddress();
    const Address b = tc.accounts[2].GetAddress();
    const uint64_t a0 = state.BalanceOf(a);
    const uint64_t b0 = state.BalanceOf(b);
    state.PayBlockReward(producer, 1001);
    EXPECT_EQ(state.BalanceOf(producer), 1001u) << "no split adopted: all to the producer";
    state.MutablePop().observed[a] = CzrReportEntry{a, 0, 0, 1, 0, 0};
    state.MutablePop().observed[b] = CzrReportEntry{b, 0, 0, 3, 0, 0};
    state.PayBlockReward(producer, 1001);
    EXPECT_EQ(state.BalanceOf(producer), 2002u) << "a report but no split adopted";
    state.MutableGovernance().adopted[static_cast<uint8_t>(GovParam::kRewardSplit)] = 400;
    state.PayBlockReward(producer, 1001);
    // 400 per mille of 1001 is 400 (rounded down); 601 by contribution 1:3 is 150 and 450, and
    // the unit lost to rounding goes to the producer.
    EXPECT_EQ(state.BalanceOf(producer), 2002u + 401u);
    EXPECT_EQ(state.BalanceOf(a), a0 + 150u);
    EXPECT_EQ(state.BalanceOf(b), b0 + 450u);
    EXPECT_EQ(state.TotalSupply(), kTotalSupply);
}

// A cut report (model/czr/report-cut.h) sums the accounts it does not name: a named account gets
// the share it would get under the full report, and the unnamed share stays in the pool.
TEST_F(GovernanceTest, UnnamedAccountsShareOfTheRewardStaysInThePool)
{
    const Address producer = tc.producers[0].GetAddress();
    const Address a = tc.accounts[1].GetAddress();
    const Address b = tc.accounts[2].GetAddress();
    const uint64_t a0 = state.BalanceOf(a);
    const uint64_t b0 = state.BalanceOf(b);
    state.MutableGovernance().adopted[static_cast<uint8_t>(GovParam::kRewardSplit)] = 400;
    state.MutablePop().unnamedCount = 2;
    state.MutablePop().unnamedTotal = 4; // as if c and d held 1 and 3
    uint64_t pool = state.BalanceOf(PopPoolAddress());
    state.PayBlockReward(producer, 1001);
    EXPECT_EQ(state.BalanceOf(producer), 400u) << "nobody named: the 601 stay in the pool";
    EXPECT_EQ(state.BalanceOf(PopPoolAddress()), pool - 1001u + 601u);
    state.MutablePop().observed[a] = CzrReportEntry{a, 0, 0, 1, 0, 0};
    state.MutablePop().observed[b] = CzrReportEntry{b, 0, 0, 3, 0, 0};
    pool = state.BalanceOf(PopPoolAddress());
    state.PayBlockReward(producer, 1001);
    // 601 by contribution over a sum of 8: a 75, b 225, the unnamed 300 back to the pool, and
    // the unit lost to rounding to the producer with its 400.
    EXPECT_EQ(state.BalanceOf(a), a0 + 75u);
    EXPECT_EQ(state.BalanceOf(b), b0 + 225u);
    EXPECT_EQ(state.BalanceOf(PopPoolAddress()), pool - 1001u + 300u);
    EXPECT_EQ(state.BalanceOf(producer), 400u + 401u);
    EXPECT_EQ(state.TotalSupply(), kTotalSupply);
}

} // namespace
} // namespace canon
