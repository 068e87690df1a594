// Producers filling blocks under the fee auctions (issue 15): honest, revenue-maximising cut,
// fake bids.
#include "model/chain/block-validator.h"
#include "model/fees/block-filler.h"
#include "model/node/node.h"
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

// EIP-1559: a producer ranks the mempool by effective tip, min(tip, cap - base fee), not by cap.
// By cap the order is A (1000), D (900), B (200); by effective tip at base fee 100 it is B (50),
// C (40, its cap binds), D (2), A (1). With room for one, B must get in, though two others cap
// higher (a producer taking the two highest caps as candidates would pick D).
TEST(Eip1559Candidates, ProducerRanksTheMempoolByEffectiveTip)
{
    test::TestChain tc{4, 5};
    tc.params->fees.mechanism = FeeMechanism::kEip1559;
    tc.params->fees.initialBaseFee = 100;
    tc.params->blockTxMax = 1;
    ConsensusChain chain(tc.params);
    const LedgerState& genesis = chain.BestState();
    const TxContext ctx = MakeTxContext(*tc.params, 1, test::Key("p").GetAddress(), 0);
    Mempool pool(16);
    const std::vector<std::pair<uint64_t, uint64_t>> capTip = {
        {1000, 1}, {900, 2}, {200, 50}, {140, 100}};
    std::vector<Hash256> ids;
    for (std::size_t i = 0; i < capTip.size(); ++i)
    {
        Transaction tx = MakeTransfer(tc.accounts[i], 0, capTip[i].first, tc.Czc(),
                                      tc.accounts[4].GetAddress(), 1);
        tx.tip = capTip[i].second;
        tx.SignWith(tc.accounts[i]);
        ASSERT_TRUE(pool.Add(ShareTransaction(tx), genesis, ctx, 1).IsOk());
        ids.push_back(tx.Id());
    }
    FeeProducerPolicy policy;
    policy.active = true;
    const KeyPair& key = tc.producers[chain.ProducerFor(chain.Best(), 1)];
    const Block block =
        AssembleBlock(chain, *chain.Best(), 1, key, ProducerMemory{}, pool, {}, nullptr, &policy);
    ASSERT_EQ(block.txs.size(), 1u);
    EXPECT_EQ(block.txs[0].Id(), ids[2]);
    // It is a valid block: the base fee is burned and the producer gets the tip of 50.
    auto shared = std::make_shared<Block>(block);
    ASSERT_TRUE(
        chain.AddBlock(shared, test::TestChain::Size(shared), 1000 * kSecond).status.IsOk());
    EXPECT_EQ(chain.BestState().Fees().burned, 100u);
    EXPECT_EQ(chain.BestState().TotalSupply(), kTotalSupply);
}

} // namespace
} // namespace canon
