// Producers filling blocks under the fee auctions (issue 15): honest, revenue-maximising cut,
// fake bids.
#include "model/chain/block-validator.h"
#include "model/fees/block-filler.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

class BlockFillerTest : public ::testing::Test
{
  protected:
    test::TestChain tc{4, 4}; // account 3 produces
    const KeyPair& producer = tc.accounts[3];

    std::vector<Transaction> Bids(std::vector<uint64_t> bids) const
    {
        std::vector<Transaction> txs;
        for (std::size_t i = 0; i < bids.size(); ++i)
        {
            txs.push_back(MakeTransfer(tc.accounts[i], 0, bids[i], tc.Czc(),
                                       tc.accounts[(i + 1) % 3].GetAddress(), 1));
        }
        return txs;
    }
    FilledBlock Fill(FeeMechanism m, const std::vector<Transaction>& txs,
                     const FeeProducerPolicy& policy, LedgerState& state)
    {
        tc.params->fees.mechanism = m;
        state = LedgerState::FromGenesis(*tc.params);
        const TxContext ctx = MakeTxContext(*tc.params, 1, producer.GetAddress(), 0);
        const FillTerms terms{m, state.Fees().baseFee, 2, 1 << 20, tc.Czc()};
        return FillBlock(txs, state, ctx, terms, policy, producer);
    }
    uint64_t Gain(const LedgerState& s) const
    {
        return s.BalanceOf(producer.GetAddress()) - kTotalSupply / 100 * 40 / 4;
    }
};

FeeProducerPolicy
Policy(ProducerCut cut = ProducerCut::kHonest, uint32_t fakes = 0, bool fakesAuto = false)
{
    FeeProducerPolicy p;
    p.active = true;
    p.cut = cut;
    p.fakeBids = fakes;
    p.fakeBidsAuto = fakesAuto;
    return p;
}

TEST_F(BlockFillerTest, HonestUniformProducerTakesTheTopBidsAtTheExcludedBid)
{
    LedgerState s;
    const FilledBlock b = Fill(FeeMechanism::kUniform, Bids({10, 8, 5}), Policy(), s);
    ASSERT_EQ(b.txs.size(), 2u);
    EXPECT_EQ(b.txs[0].fee, 10u);
    EXPECT_EQ(b.txs[1].fee, 8u);
    EXPECT_EQ(b.feePrice, 5u);
    EXPECT_EQ(b.fakes, 0u);
    EXPECT_EQ(Gain(s), 10u);
    EXPECT_EQ(s.TotalSupply(), kTotalSupply);
}

TEST_F(BlockFillerTest, RevenueMaximisingCutLeavesASlotEmpty)
{
    LedgerState s;
    // Honest: two at 2 (4); the cut: one at 9.
    const FilledBlock b =
        Fill(FeeMechanism::kUniform, Bids({10, 9, 2}), Policy(ProducerCut::kRevenueMax), s);
    ASSERT_EQ(b.txs.size(), 1u);
    EXPECT_EQ(b.feePrice, 9u);
    EXPECT_EQ(Gain(s), 9u);
}

TEST_F(BlockFillerTest, FakeBidsAreTheProducersOwnTransactionsAndPayItself)
{
    LedgerState s;
    // One fake bid at 10 enters first and pushes 9 out: the one real bid pays 9 (honest: 4).
    const FilledBlock b = Fill(FeeMechanism::kUniform, Bids({10, 9, 2}), Policy({}, 1), s);
    ASSERT_EQ(b.txs.size(), 2u);
    EXPECT_EQ(b.fakes, 1u);
    EXPECT_EQ(b.txs[0].sender, producer.Public());
    EXPECT_EQ(TransferPayload::Decode(b.txs[0].payload).Value().to, producer.GetAddress());
    EXPECT_EQ(b.feePrice, 9u);
    EXPECT_EQ(Gain(s), 9u); // its own fake's 9 comes back to it
    EXPECT_EQ(s.TotalSupply(), kTotalSupply);
    // Where it does not pay (10, 8, 5: the fake's 8 against the honest 10), the search adds
    // none; where it pays, it adds one.
    EXPECT_EQ(Fill(FeeMechanism::kUniform, Bids({10, 8, 5}), Policy({}, 0, true), s).fakes, 0u);
    EXPECT_EQ(Fill(FeeMechanism::kUniform, Bids({10, 9, 2}), Policy({}, 0, true), s).fakes, 1u);
}

TEST_F(BlockFillerTest, FilledBlocksValidate)
{
    for (FeeMechanism m : {FeeMechanism::kFirstPrice, FeeMechanism::kUniform,
                           FeeMechanism::kMonopolistic, FeeMechanism::kEip1559})
    {
        tc.params->fees.initialBaseFee = 3;
        LedgerState s;
        const FilledBlock f = Fill(m, Bids({10, 9, 2}), Policy({}, 1), s);
        Block block;
        block.header.height = 1;
        block.header.producer = producer.Public();
        block.header.feePrice = f.feePrice;
        block.txs = f.txs;
        LedgerState replay = LedgerState::FromGenesis(*tc.params);
        ASSERT_TRUE(ApplyBlockBody(block, *tc.params, replay).IsOk()) << FeeMechanismName(m);
        EXPECT_EQ(replay.BalanceOf(producer.GetAddress()),
                  s.BalanceOf(producer.GetAddress()) + tc.params->blockReward)
            << FeeMechanismName(m);
        EXPECT_EQ(replay.TotalSupply(), kTotalSupply);
    }
}

} // namespace
} // namespace canon
