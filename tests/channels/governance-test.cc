// CZC governance (issue 18, paper 1.2.6): a proposal passes only above 3/4 of the voting stake
// held for the hold period; then the new CZC hash is required and the old one refused.
#include "model/chain/ledger-state.h"
#include "model/governance/governance.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

constexpr TimeNs kHold = 100 * kSecond;

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
    void Propose()
    {
        const uint64_t nonce = state.NonceOf(tc.accounts[0].GetAddress());
        ProposalPayload p{GovParam::kSlotDuration, 2 * kSecond, newCzc};
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
            state.EndBlock(Ctx(), kHold);
        }
    }
    bool Passed() const
    {
        return state.Governance().proposals.at(proposal).phase == ProposalPhase::kPassed;
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

} // namespace
} // namespace canon
