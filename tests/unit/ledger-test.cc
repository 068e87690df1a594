#include "model/chain/ledger-state.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

class LedgerTest : public ::testing::Test
{
  protected:
    test::TestChain tc{4, 3};
    LedgerState state = LedgerState::FromGenesis(*tc.params);
    Address fees = test::Key("producer-fees").GetAddress();

    Transaction Transfer(std::size_t from, std::size_t to, uint64_t nonce, uint64_t amount,
                         uint64_t fee = 10)
    {
        return MakeTransfer(tc.accounts[from], nonce, fee, tc.Czc(), tc.accounts[to].GetAddress(),
                            amount);
    }
};

TEST_F(LedgerTest, GenesisSplitsTheWholeSupplyAsTheProtocolSays)
{
    EXPECT_EQ(state.TotalSupply(), kTotalSupply);
    EXPECT_EQ(state.BalanceOf(PopPoolAddress()), kTotalSupply - kTotalSupply / 100 * 70);
    EXPECT_EQ(state.BalanceOf(test::Key("community").GetAddress()), kTotalSupply / 100 * 20);
    uint64_t investors = 0;
    for (const auto& a : tc.accounts)
    {
        investors += state.BalanceOf(a.GetAddress());
    }
    EXPECT_EQ(investors, kTotalSupply / 100 * 40);
}

TEST_F(LedgerTest, TransferMovesAmountAndFeeAndConservesSupply)
{
    const Address a = tc.accounts[0].GetAddress(), b = tc.accounts[1].GetAddress();
    const uint64_t a0 = state.BalanceOf(a), b0 = state.BalanceOf(b);
    ASSERT_TRUE(
        state.ApplyTransaction(Transfer(0, 1, 0, 500, 7), test::Ctx(tc.Czc(), fees)).IsOk());
    EXPECT_EQ(state.BalanceOf(a), a0 - 507);
    EXPECT_EQ(state.BalanceOf(b), b0 + 500);
    EXPECT_EQ(state.BalanceOf(fees), 7u);
    EXPECT_EQ(state.NonceOf(a), 1u);
    EXPECT_EQ(state.TotalSupply(), kTotalSupply);
}

TEST_F(LedgerTest, DoubleSpendOfOneNonceIsRejected)
{
    ASSERT_TRUE(state.ApplyTransaction(Transfer(0, 1, 0, 500), test::Ctx(tc.Czc(), fees)).IsOk());
    Status s = state.ApplyTransaction(Transfer(0, 2, 0, 500), test::Ctx(tc.Czc(), fees));
    EXPECT_EQ(s.Code(), StatusCode::kInvalid);
    EXPECT_NE(s.Message().find("wrong nonce 0"), std::string::npos) << s.Message();
}

TEST_F(LedgerTest, OverspendIsRejectedAndLeavesTheStateUntouched)
{
    const Address a = tc.accounts[0].GetAddress();
    const uint64_t all = state.BalanceOf(a);
    Status s = state.ApplyTransaction(Transfer(0, 1, 0, all, 1), test::Ctx(tc.Czc(), fees));
    EXPECT_NE(s.Message().find("overspend"), std::string::npos) << s.Message();
    EXPECT_EQ(state.BalanceOf(a), all);
    EXPECT_EQ(state.NonceOf(a), 0u);
}

TEST_F(LedgerTest, StaleCzcHashIsRejected)
{
    Hash256 upgraded = Blake2b256(std::string("czc v2"));
    Status s = state.ApplyTransaction(Transfer(0, 1, 0, 5), test::Ctx(upgraded, fees));
    EXPECT_NE(s.Message().find("stale CZC hash"), std::string::npos) << s.Message();
}

TEST_F(LedgerTest, TeamAllocationVestsAQuarterAYear)
{
    const Address team = test::Key("team").GetAddress();
    const uint64_t total = kTotalSupply / 100 * 10;
    EXPECT_EQ(state.SpendableOf(team, 0), total - total / 4 * 3);
    EXPECT_EQ(state.SpendableOf(team, kYear), total - total / 4 * 2);
    EXPECT_EQ(state.SpendableOf(team, 3 * kYear), total);
}

TEST_F(LedgerTest, BlockRewardComesFromThePoolAndConservesSupply)
{
    const uint64_t pool = state.BalanceOf(PopPoolAddress());
    state.PayBlockReward(fees, 10);
    EXPECT_EQ(state.BalanceOf(PopPoolAddress()), pool - 10);
    EXPECT_EQ(state.TotalSupply(), kTotalSupply);
}

} // namespace
} // namespace canon
