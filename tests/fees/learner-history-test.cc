// What a learning bidder reads off the chain (issue 15): each block priced at its own base fee
// (EIP-1559) or declared price, not at today's.
#include "model/run/workload.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

class LearnerHistoryTest : public ::testing::Test
{
  protected:
    test::TestChain tc{4, 5};
    const TimeNs kLate = 1000 * kSecond;

    Transaction Bid(std::size_t from, uint64_t cap, uint64_t tip) const
    {
        Transaction tx =
            MakeTransfer(tc.accounts[from], 0, cap, tc.Czc(), tc.accounts[4].GetAddress(), 1);
        tx.tip = tip;
        tx.SignWith(tc.accounts[from]);
        return tx;
    }
    void Add(ConsensusChain& chain, uint64_t slot, std::vector<Transaction> txs) const
    {
        const BlockPtr b = tc.MakeBlock(chain, chain.Best(), slot, std::move(txs));
        ASSERT_TRUE(chain.AddBlock(b, test::TestChain::Size(b), kLate).status.IsOk());
    }
};

// Blocks of 2 with a target of 1: every full block raises the base fee by 1/8, 100 -> 112 -> 126.
TEST_F(LearnerHistoryTest, Eip1559BlocksArePricedAtTheirOwnBaseFee)
{
    tc.params->fees.mechanism = FeeMechanism::kEip1559;
    tc.params->fees.initialBaseFee = 100;
    tc.params->blockTxMax = 2;
    ConsensusChain chain(tc.params);
    Add(chain, 1, {Bid(0, 300, 30), Bid(1, 300, 40)});
    Add(chain, 2, {Bid(2, 300, 5), Bid(3, 120, 50)});
    ASSERT_EQ(chain.BestState().Fees().baseFee, 126u);
    const auto seen = ObserveChain(chain.Best(), *tc.params, FeeMechanism::kEip1559, 20);
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0].price, 112u); // block 2, newest first
    EXPECT_EQ(seen[1].price, 100u);
    // Block 2's least effective tip at its base fee of 112: min(50, 120 - 112) = 8 and 5 -> 5;
    // at today's 126 the cap-bound bid would read 0.
    EXPECT_EQ(seen[0].cutoff, 5u);
    EXPECT_EQ(seen[1].cutoff, 30u);
    EXPECT_TRUE(seen[0].full && seen[1].full);
}

TEST_F(LearnerHistoryTest, HistoryStopsAtTheCount)
{
    tc.params->fees.mechanism = FeeMechanism::kEip1559;
    ConsensusChain chain(tc.params);
    Add(chain, 1, {});
    Add(chain, 2, {});
    Add(chain, 3, {});
    EXPECT_EQ(ObserveChain(chain.Best(), *tc.params, FeeMechanism::kEip1559, 2).size(), 2u);
}

// The base fee read back from the state after a block, where the state before it is gone.
TEST(PreviousBaseFee, InvertsTheUpdateRule)
{
    const FeeRuleParams rule;
    for (uint64_t base : {0ULL, 1ULL, 7ULL, 100ULL, 999ULL, 123456789ULL})
    {
        for (uint64_t used = 0; used <= 10; ++used)
        {
            const uint64_t after = NextBaseFee(base, used, 10, rule);
            const auto back = PreviousBaseFee(after, used, 10, rule);
            ASSERT_TRUE(back.has_value()) << base << " " << used;
            EXPECT_EQ(NextBaseFee(*back, used, 10, rule), after);
            EXPECT_LE(*back, base);
            EXPECT_LE(base - *back, 1u) << base << " " << used;
        }
    }
    // Above the target the base fee grows by at least 1: nothing leads to 0 from a full block.
    EXPECT_FALSE(PreviousBaseFee(0, 10, 10, rule).has_value());
}

} // namespace
} // namespace canon
