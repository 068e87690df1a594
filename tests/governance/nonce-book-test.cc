// NonceBook (model/run/nonce-book.h): one counter per node key for every submitter of a run.
// Consecutive nonces while transactions wait; a nonce the node's mempool does not hold (refused,
// lost) is a gap only after kNonceBookResync, and then the counter starts again from the chain;
// transactions that wait in the mempool are no gap.
#include "model/run/nonce-book.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

class NonceBookTest : public ::testing::Test
{
  protected:
    NonceBookTest()
      : tc(4, 4)
      , node(Config())
    {
        Actions out;
        node.Step(0, StartInput{}, out);
    }
    NodeConfig Config() const
    {
        NodeConfig c;
        c.id = 0;
        c.params = tc.params;
        return c;
    }
    // Account 2's transfer with `nonce`, handed to the node at `now`.
    void Submit(uint64_t nonce, TimeNs now)
    {
        Actions out;
        const Transaction tx =
            MakeTransaction(tc.accounts[2], TxType::kTransfer, nonce, 10, node.Chain().NextCzc(),
                            TransferPayload{tc.accounts[3].GetAddress(), 1}.Encode());
        node.Step(now, SubmitInput{tx}, out);
    }
    Address Key() const { return tc.accounts[2].GetAddress(); }

    test::TestChain tc;
    Node node;
    NonceBook book;
};

TEST_F(NonceBookTest, NoncesAreConsecutiveWhileTheirTransactionsWait)
{
    for (uint64_t n = 0; n < 3; ++n)
    {
        const uint64_t nonce = book.Take(Key(), node, kSecond);
        EXPECT_EQ(nonce, n);
        Submit(nonce, kSecond);
    }
    ASSERT_EQ(node.Pool().PendingFrom(Key()), 3U);
    EXPECT_EQ(book.Take(Key(), node, kSecond + 2 * kNonceBookResync), 3U)
        << "all three wait in the mempool: no gap, however long";
    EXPECT_EQ(book.Keys(), 1U);
}

TEST_F(NonceBookTest, ANonceThatNeverReachedTheMempoolIsRefilledAfterTheResyncTime)
{
    EXPECT_EQ(book.Take(Key(), node, kSecond), 0U); // never submitted: lost
    EXPECT_EQ(book.Take(Key(), node, 2 * kSecond), 1U);
    Submit(1, 2 * kSecond);
    EXPECT_EQ(book.Take(Key(), node, kSecond + kNonceBookResync), 2U) << "not yet a gap";
    EXPECT_EQ(book.Take(Key(), node, 2 * kSecond + kNonceBookResync), 0U)
        << "the chain is at 0 and the mempool lacks it: count again from the chain";
    EXPECT_EQ(book.Take(Key(), node, 2 * kSecond + kNonceBookResync), 1U);
}

} // namespace
} // namespace canon
