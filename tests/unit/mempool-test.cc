#include "model/node/mempool.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

class MempoolTest : public ::testing::Test
{
  protected:
    test::TestChain tc{4, 3};
    LedgerState state = LedgerState::FromGenesis(*tc.params);
    Address producer = test::Key("p").GetAddress();

    Transaction Tx(std::size_t from, uint64_t nonce, uint64_t fee)
    {
        return MakeTransfer(tc.accounts[from], nonce, fee, tc.Czc(), tc.accounts[2].GetAddress(),
                            1);
    }
    Status Add(Mempool& m, const Transaction& tx)
    {
        return m.Add(ShareTransaction(tx), state, test::Ctx(tc.Czc(), producer), 1);
    }
};

TEST_F(MempoolTest, SelectionTakesHighestFeeFirstAndKeepsNonceOrder)
{
    Mempool m(100);
    ASSERT_TRUE(Add(m, Tx(0, 1, 100)).IsOk()); // waits for nonce 0
    ASSERT_TRUE(Add(m, Tx(0, 0, 1)).IsOk());
    ASSERT_TRUE(Add(m, Tx(1, 0, 50)).IsOk());
    LedgerState s = state;
    auto txs = m.Select(s, test::Ctx(tc.Czc(), producer), 10, 1 << 20);
    ASSERT_EQ(txs.size(), 3u);
    EXPECT_EQ(txs[0].fee, 50u); // account 1's only transaction bids more than account 0's head
    EXPECT_EQ(txs[1].nonce, 0u);
    EXPECT_EQ(txs[2].nonce, 1u);
}

TEST_F(MempoolTest, FullPoolEvictsTheCheapestOnlyForABetterBid)
{
    Mempool m(2);
    ASSERT_TRUE(Add(m, Tx(0, 0, 10)).IsOk());
    ASSERT_TRUE(Add(m, Tx(1, 0, 20)).IsOk());
    EXPECT_EQ(Add(m, Tx(2, 0, 5)).Code(), StatusCode::kResourceLimit);
    EXPECT_TRUE(Add(m, Tx(2, 0, 30)).IsOk());
    EXPECT_EQ(m.Size(), 2u);
    EXPECT_EQ(m.PendingFrom(tc.accounts[0].GetAddress()), 0u);
}

TEST_F(MempoolTest, StaleAndFarFutureNoncesAreRefused)
{
    Mempool m(100);
    state.ApplyTransaction(Tx(0, 0, 1), test::Ctx(tc.Czc(), producer));
    EXPECT_FALSE(Add(m, Tx(0, 0, 1)).IsOk());
    EXPECT_EQ(Add(m, Tx(0, 1 + kMempoolNonceAheadMax, 1)).Code(), StatusCode::kResourceLimit);
}

TEST_F(MempoolTest, AppliedTransactionsLeaveThePool)
{
    Mempool m(100);
    ASSERT_TRUE(Add(m, Tx(0, 0, 1)).IsOk());
    ASSERT_TRUE(Add(m, Tx(0, 1, 1)).IsOk());
    state.ApplyTransaction(Tx(0, 0, 1), test::Ctx(tc.Czc(), producer));
    m.RemoveApplied(state);
    EXPECT_EQ(m.Size(), 1u);
}

} // namespace
} // namespace canon
