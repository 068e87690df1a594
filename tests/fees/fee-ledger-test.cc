// The fee auctions through the ledger (issue 15): charges, refunds, burns, supply, and the
// encodings of tips and declared prices.
#include "model/chain/block-validator.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

class FeeLedgerTest : public ::testing::Test
{
  protected:
    test::TestChain tc{4, 3};
    Address producer = test::Key("fee-producer").GetAddress();

    LedgerState Genesis(FeeMechanism m)
    {
        tc.params->fees.mechanism = m;
        return LedgerState::FromGenesis(*tc.params);
    }
    TxContext Context(FeeMechanism m, uint64_t price, uint64_t baseFee) const
    {
        TxContext ctx = MakeTxContext(*tc.params, 1, producer, 0);
        ctx.feeMechanism = m;
        ctx.feePrice = price;
        ctx.baseFee = baseFee;
        return ctx;
    }
    Transaction Transfer(uint64_t nonce, uint64_t bid, uint64_t tip = 0) const
    {
        Transaction tx =
            MakeTransfer(tc.accounts[0], nonce, bid, tc.Czc(), tc.accounts[1].GetAddress(), 1000);
        tx.tip = tip;
        tx.SignWith(tc.accounts[0]);
        return tx;
    }
    uint64_t Balance(const LedgerState& s, std::size_t account) const
    {
        return s.BalanceOf(tc.accounts[account].GetAddress());
    }
};

TEST_F(FeeLedgerTest, UniformChargesThePriceAndLeavesTheRestOfTheBid)
{
    LedgerState s = Genesis(FeeMechanism::kUniform);
    const uint64_t before = Balance(s, 0);
    ASSERT_TRUE(s.ApplyTransaction(Transfer(0, 10), Context(FeeMechanism::kUniform, 4, 0)).IsOk());
    EXPECT_EQ(Balance(s, 0), before - 1000 - 4); // the 6 above the price is never taken
    EXPECT_EQ(s.BalanceOf(producer), 4u);
    EXPECT_EQ(s.TotalSupply(), kTotalSupply);
    // A bid below the declared price does not enter, and leaves the state as it was.
    Status bad = s.ApplyTransaction(Transfer(1, 3), Context(FeeMechanism::kUniform, 4, 0));
    EXPECT_FALSE(bad.IsOk());
    EXPECT_NE(bad.Message().find("below the block's fee price 4"), std::string::npos);
    EXPECT_EQ(s.NonceOf(tc.accounts[0].GetAddress()), 1u);
}

TEST_F(FeeLedgerTest, Eip1559BurnsTheBaseFeeAndConservesSupply)
{
    LedgerState s = Genesis(FeeMechanism::kEip1559);
    EXPECT_EQ(s.Fees().baseFee, tc.params->fees.initialBaseFee);
    const uint64_t before = Balance(s, 0);
    // Cap 150, tip 70, base fee 100: the tip is cut to 50.
    ASSERT_TRUE(
        s.ApplyTransaction(Transfer(0, 150, 70), Context(FeeMechanism::kEip1559, 0, 100)).IsOk());
    EXPECT_EQ(Balance(s, 0), before - 1000 - 150);
    EXPECT_EQ(s.BalanceOf(producer), 50u);
    EXPECT_EQ(s.BalanceOf(FeeBurnAddress()), 100u);
    EXPECT_EQ(s.Fees().burned, 100u);
    EXPECT_EQ(s.TotalSupply(), kTotalSupply);
    EXPECT_FALSE(
        s.ApplyTransaction(Transfer(1, 90, 5), Context(FeeMechanism::kEip1559, 0, 100)).IsOk());
}

TEST_F(FeeLedgerTest, ProtocolTransactionsStayOutsideTheAuction)
{
    LedgerState s = Genesis(FeeMechanism::kEip1559);
    VotePayload v;
    v.candidates.push_back(tc.accounts[2].GetAddress());
    const Transaction vote =
        MakeTransaction(tc.accounts[0], TxType::kVote, 0, 1, tc.Czc(), v.Encode());
    ASSERT_TRUE(s.ApplyTransaction(vote, Context(FeeMechanism::kEip1559, 0, 100)).IsOk());
    EXPECT_EQ(s.BalanceOf(producer), 1u);
    EXPECT_EQ(s.BalanceOf(FeeBurnAddress()), 0u);
}

TEST_F(FeeLedgerTest, BaseFeeFollowsTheUpdateRuleBlockByBlock)
{
    tc.params->blockTxMax = 4; // target 2
    tc.params->fees.initialBaseFee = 800;
    LedgerState s = Genesis(FeeMechanism::kEip1559);
    const uint64_t used[] = {4, 4, 2, 0, 3};
    uint64_t nonce = 0;
    uint64_t expected = 800;
    uint64_t burned = 0;
    for (uint64_t n : used)
    {
        Block b;
        b.header.height = 1;
        b.header.producer = tc.producers[0].Public();
        for (uint64_t i = 0; i < n; ++i)
        {
            b.txs.push_back(Transfer(nonce++, 5000, 10));
        }
        ASSERT_TRUE(ApplyBlockBody(b, *tc.params, s).IsOk());
        burned += n * expected;
        expected = NextBaseFee(expected, n, 4, tc.params->fees);
        EXPECT_EQ(s.Fees().baseFee, expected);
        EXPECT_EQ(s.BalanceOf(FeeBurnAddress()), burned);
        EXPECT_EQ(s.TotalSupply(), kTotalSupply);
    }
    // By hand: 800 -> 900 -> 1012 -> 1012 -> 886 -> 941 (1/8 of the gap to the target).
    EXPECT_EQ(expected, 941u);
}

TEST_F(FeeLedgerTest, DeclaredPriceOnlyOnUniformAndMonopolisticChains)
{
    Genesis(FeeMechanism::kEip1559);
    const LedgerState s = LedgerState::FromGenesis(*tc.params);
    BlockHeader h;
    h.feePrice = 5;
    TxContext ctx;
    EXPECT_FALSE(FeeTermsOf(h, *tc.params, s, ctx).IsOk());
    tc.params->fees.mechanism = FeeMechanism::kMonopolistic;
    ASSERT_TRUE(FeeTermsOf(h, *tc.params, s, ctx).IsOk());
    EXPECT_EQ(ctx.feePrice, 5u);
}

TEST_F(FeeLedgerTest, TipAndPriceUseNewVersionsOnlyWhenSet)
{
    const Transaction plain = Transfer(0, 10);
    EXPECT_EQ(plain.Encode()[0], kTransactionVersion);
    EXPECT_EQ(plain.Encode().size(), plain.EncodedSize());
    const Transaction tipped = Transfer(0, 10, 3);
    const Bytes enc = tipped.Encode();
    EXPECT_EQ(enc[0], kTransactionVersionWithTip);
    EXPECT_EQ(enc.size(), tipped.EncodedSize());
    auto back = Transaction::Decode(enc);
    ASSERT_TRUE(back.IsOk());
    EXPECT_EQ(back.Value().tip, 3u);
    EXPECT_TRUE(back.Value().HasValidSignature());
    // Version 2 with a zero tip is not canonical.
    Bytes zero = enc;
    for (std::size_t i = 0; i < 8; ++i)
    {
        zero[1 + 1 + 32 + 8 + 8 + i] = 0;
    }
    EXPECT_FALSE(Transaction::Decode(zero).IsOk());

    BlockHeader h;
    h.height = 3;
    EXPECT_EQ(h.Encode()[0], kBlockVersion);
    h.feePrice = 7;
    const Bytes hb = h.Encode();
    EXPECT_EQ(hb[0], kBlockVersionWithPrice);
    auto hd = BlockHeader::Decode(hb);
    ASSERT_TRUE(hd.IsOk());
    EXPECT_EQ(hd.Value().feePrice, 7u);
    EXPECT_TRUE(hd.Value().proof.empty());
    h.proof = {1, 2};
    ASSERT_TRUE(BlockHeader::Decode(h.Encode()).IsOk());
    EXPECT_EQ(BlockHeader::Decode(h.Encode()).Value().proof, h.proof);
    Bytes zeroPrice = hb;
    for (std::size_t i = 0; i < 8; ++i)
    {
        zeroPrice[1 + 8 + 8 + 32 + 32 + 32 + 8 + i] = 0;
    }
    EXPECT_FALSE(BlockHeader::Decode(zeroPrice).IsOk());
}

} // namespace
} // namespace canon
