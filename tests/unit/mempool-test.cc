#include "model/node/mempool.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

#include <random>

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

TEST_F(MempoolTest, AHigherBidReplacesTheSameNonceAndTheIdIndexFollows)
{
    Mempool m(100);
    const Transaction low = Tx(0, 0, 10);
    const Transaction high = Tx(0, 0, 11);
    ASSERT_TRUE(Add(m, low).IsOk());
    EXPECT_EQ(Add(m, low).Code(), StatusCode::kDuplicate);
    EXPECT_FALSE(Add(m, Tx(0, 0, 10)).IsOk()); // the same bid does not replace
    ASSERT_TRUE(Add(m, high).IsOk());
    EXPECT_EQ(m.Size(), 1u);
    EXPECT_EQ(m.Find(low.Id()), nullptr);
    ASSERT_NE(m.FindShared(high.Id()), nullptr);
    EXPECT_EQ(m.FindShared(high.Id())->Tx().fee, 11u);
    EXPECT_TRUE(m.CheckInvariants().IsOk());
}

TEST_F(MempoolTest, ForEachVisitsTheBestBidFirstThenTheLowerId)
{
    Mempool m(100);
    for (const Transaction& tx : {Tx(0, 0, 5), Tx(1, 0, 9), Tx(0, 1, 9), Tx(2, 0, 1)})
    {
        ASSERT_TRUE(Add(m, tx).IsOk());
    }
    std::vector<std::pair<uint64_t, Hash256>> seen;
    m.ForEach([&](const TxPtr& tx) { seen.emplace_back(tx->Tx().fee, tx->Id()); });
    ASSERT_EQ(seen.size(), 4u);
    EXPECT_EQ(seen[0].first, 9u);
    EXPECT_EQ(seen[1].first, 9u);
    EXPECT_LT(seen[0].second, seen[1].second);
    EXPECT_EQ(seen[2].first, 5u);
    EXPECT_EQ(seen[3].first, 1u);
}

TEST_F(MempoolTest, KeepsItsInvariantsThroughRandomAddsEvictionsBlocksAndCzcChanges)
{
    std::mt19937_64 rng(5);
    Mempool m(12); // small, so evictions happen
    const TxContext ctx = test::Ctx(tc.Czc(), producer);
    for (int step = 0; step < 3000; ++step)
    {
        const std::size_t from = rng() % tc.accounts.size();
        const uint64_t nonce = state.NonceOf(tc.accounts[from].GetAddress()) + rng() % 5;
        Add(m, Tx(from, nonce, 1 + rng() % 40)); // refusals are part of the walk
        if (rng() % 10 == 0)
        {
            LedgerState next = state;
            const auto block = m.Select(next, ctx, 1 + rng() % 4, 1 << 20);
            for (std::size_t i = 0; i < block.size(); ++i)
            {
                ASSERT_TRUE(state.ApplyTransaction(block[i], ctx).IsOk()) << "step " << step;
            }
            m.RemoveApplied(state);
        }
        if (rng() % 500 == 0)
        {
            m.RemoveStaleCzc(Hash256{});
            EXPECT_EQ(m.Size(), 0u);
        }
        ASSERT_TRUE(m.CheckInvariants().IsOk())
            << "step " << step << ": " << m.CheckInvariants().Message();
        ASSERT_LE(m.Size(), 12u);
    }
}

} // namespace
} // namespace canon
