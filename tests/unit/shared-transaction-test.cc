#include "model/node/messages.h"
#include "model/node/shared-block-decode.h"
#include "model/node/shared-transaction.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

class SharedTransactionTest : public ::testing::Test
{
  protected:
    void SetUp() override { ClearSharedTransactions(); }
    void TearDown() override { SetSharedTransactionsEnabled(true); }

    Transaction Tx(uint64_t nonce)
    {
        return MakeTransfer(test::Key("a"), nonce, 3, Hash256{}, test::Key("b").GetAddress(), 7);
    }
};

TEST_F(SharedTransactionTest, OneEncodingIsDecodedOnceAndSharedWithItsIdAndEncoding)
{
    const Transaction tx = Tx(0);
    const Bytes wire = tx.Encode();
    auto first = DecodeSharedTransaction(wire.data(), wire.size());
    auto second = DecodeSharedTransaction(wire.data(), wire.size());
    ASSERT_TRUE(first.IsOk() && second.IsOk());
    EXPECT_EQ(first.Value().get(), second.Value().get()) << "the second arrival shares the first";
    EXPECT_EQ(first.Value()->Id(), tx.Id());
    EXPECT_EQ(first.Value()->Encoding(), wire);
    EXPECT_EQ(first.Value()->Tx().Encode(), wire);
    EXPECT_EQ(ShareTransaction(tx).get(), first.Value().get()) << "a value finds it too";
    const MemoStats s = GetSharedTransactionStats();
    EXPECT_EQ(s.size, 1u);
    EXPECT_EQ(s.hits, 2u);
    EXPECT_TRUE(first.Value()->HasValidSignature());
}

TEST_F(SharedTransactionTest, ABadSignatureIsRejectedOnEveryAsk)
{
    Transaction tx = Tx(1);
    tx.signature[0] ^= 1;
    const TxPtr shared = ShareTransaction(tx);
    EXPECT_FALSE(shared->HasValidSignature());
    EXPECT_FALSE(ShareTransaction(tx)->HasValidSignature());
}

TEST_F(SharedTransactionTest, BadBytesFailAsTheirPlainDecodingDoesEvenWhenAPrefixIsKnown)
{
    const Bytes wire = Tx(2).Encode();
    ASSERT_TRUE(DecodeSharedTransaction(wire.data(), wire.size()).IsOk());
    Bytes longer = wire;
    longer.push_back(0);
    const auto shared = DecodeSharedTransaction(longer.data(), longer.size());
    const auto plain = Transaction::Decode(longer);
    ASSERT_FALSE(shared.IsOk());
    EXPECT_EQ(shared.GetStatus().ToString(), plain.GetStatus().ToString());
    for (std::size_t cut : {std::size_t{0}, std::size_t{10}, wire.size() - 1})
    {
        const auto s = DecodeSharedTransaction(wire.data(), cut);
        ASSERT_FALSE(s.IsOk()) << cut;
        EXPECT_EQ(s.GetStatus().ToString(),
                  Transaction::Decode(wire.data(), cut).GetStatus().ToString());
    }
}

TEST_F(SharedTransactionTest, ATruncatedBatchFailsAtTheSameFieldWithTheTableOnOrOff)
{
    const Transaction a = Tx(3);
    const Transaction b = Tx(4);
    const SharedBytes whole = EncodeTxsMessage({&a, &b});
    std::vector<std::string> errors[2];
    for (bool enabled : {true, false})
    {
        ClearSharedTransactions();
        SetSharedTransactionsEnabled(enabled);
        ASSERT_TRUE(DecodeMessage(*whole).IsOk()); // both known now (when on)
        for (std::size_t cut = 2; cut < whole->size(); cut += 37)
        {
            const Bytes part(whole->begin(), whole->begin() + static_cast<long>(cut));
            const auto m = DecodeMessage(part);
            ASSERT_FALSE(m.IsOk()) << cut;
            errors[enabled].push_back(m.GetStatus().ToString());
        }
    }
    EXPECT_EQ(errors[0], errors[1]);
    const auto m = DecodeMessage(*whole);
    ASSERT_TRUE(m.IsOk());
    const auto& txs = std::get<TxsMessage>(m.Value().body).txs;
    ASSERT_EQ(txs.size(), 2u);
    EXPECT_EQ(txs[1]->Id(), b.Id());
    EXPECT_EQ(*EncodeSharedTxsMessage(txs), *whole) << "re-encoded from the kept encodings";
}

TEST_F(SharedTransactionTest, SwitchedOffEveryArrivalIsItsOwnEqualObject)
{
    SetSharedTransactionsEnabled(false);
    const Transaction tx = Tx(5);
    const TxPtr x = ShareTransaction(tx);
    const TxPtr y = ShareTransaction(tx);
    EXPECT_NE(x.get(), y.get());
    EXPECT_EQ(x->Id(), y->Id());
    EXPECT_EQ(GetSharedTransactionStats().size, 0u);
}

class SharedBlockDecodeTest : public SharedTransactionTest
{
  protected:
    void SetUp() override { ClearSharedBlockDecoding(); }
    void TearDown() override { SetSharedBlockDecodingEnabled(true); }

    Block MakeBody()
    {
        Block b;
        b.header.slot = 3;
        b.header.timestamp = 3 * kSecond;
        b.txs = {Tx(6), Tx(7)};
        return b;
    }

    static BlockPtr BlockOf(const Bytes& wire)
    {
        auto m = DecodeMessage(wire);
        EXPECT_TRUE(m.IsOk());
        return m.IsOk() ? std::get<std::pair<BlockPtr, std::size_t>>(m.Value().body).first
                        : nullptr;
    }
};

TEST_F(SharedBlockDecodeTest, PushAndSyncCopiesOfOneBlockShareOneDecodedObject)
{
    const Block block = MakeBody();
    const BlockPtr first = BlockOf(*EncodeBlockMessage(block));
    const BlockPtr second = BlockOf(*EncodeBlockMessage(block));
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first.get(), second.get()) << "the second arrival shares the first";
    EXPECT_EQ(first->Encode(), block.Encode());
    const auto sync = DecodeMessage(*EncodeBlocksMessage({first}));
    ASSERT_TRUE(sync.IsOk());
    const auto& blocks = std::get<BlocksMessage>(sync.Value().body).blocks;
    ASSERT_EQ(blocks.size(), 1u);
    EXPECT_EQ(blocks[0].first.get(), first.get()) << "a sync answer's copy is shared too";
    EXPECT_EQ(blocks[0].second, block.Encode().size());
    const MemoStats s = GetSharedBlockDecodingStats();
    EXPECT_EQ(s.size, 1u);
    EXPECT_EQ(s.hits, 2u);
}

TEST_F(SharedBlockDecodeTest, BadBytesFailAlikeWithTheTableOnOrOffAndAreNeverKept)
{
    const SharedBytes whole = EncodeBlockMessage(MakeBody());
    std::vector<std::string> errors[2];
    for (bool enabled : {true, false})
    {
        ClearSharedBlockDecoding();
        SetSharedBlockDecodingEnabled(enabled);
        ASSERT_TRUE(BlockOf(*whole)); // known now (when on)
        for (std::size_t cut = 2; cut < whole->size(); cut += 41)
        {
            const Bytes part(whole->begin(), whole->begin() + static_cast<long>(cut));
            const auto m = DecodeMessage(part);
            ASSERT_FALSE(m.IsOk()) << cut;
            errors[enabled].push_back(m.GetStatus().ToString());
        }
        EXPECT_EQ(GetSharedBlockDecodingStats().size, enabled ? 1u : 0u);
    }
    EXPECT_EQ(errors[0], errors[1]);
}

TEST_F(SharedBlockDecodeTest, SwitchedOffEveryArrivalIsItsOwnEqualObject)
{
    SetSharedBlockDecodingEnabled(false);
    const SharedBytes wire = EncodeBlockMessage(MakeBody());
    const BlockPtr x = BlockOf(*wire);
    const BlockPtr y = BlockOf(*wire);
    ASSERT_TRUE(x && y);
    EXPECT_NE(x.get(), y.get());
    EXPECT_EQ(x->Encode(), y->Encode());
}

} // namespace
} // namespace canon
