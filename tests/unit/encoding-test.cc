#include "model/chain/block.h"
#include "model/consensus/equivocation.h"
#include "model/node/messages.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

Transaction
SampleTx()
{
    return MakeTransfer(test::Key("alice"), 7, 42, Blake2b256(std::string("czc")),
                        test::Key("bob").GetAddress(), 1000);
}

TEST(Encoding, TransactionRoundTripsThroughItsEncoding)
{
    Transaction tx = SampleTx();
    Bytes b = tx.Encode();
    auto back = Transaction::Decode(b);
    ASSERT_TRUE(back.IsOk()) << back.GetStatus().ToString();
    EXPECT_EQ(back.Value().Encode(), b);
    EXPECT_EQ(back.Value().Id(), tx.Id());
    EXPECT_EQ(back.Value().nonce, 7u);
    EXPECT_TRUE(back.Value().HasValidSignature());
}

TEST(Encoding, BlockRoundTripsWithItsTransactions)
{
    Block block;
    block.header.height = 3;
    block.header.slot = 9;
    block.txs = {SampleTx(), SampleTx()};
    block.header.txRoot = block.ComputeTxRoot();
    block.header.SignWith(test::Key("producer"));
    Bytes b = block.Encode();
    auto back = Block::Decode(b);
    ASSERT_TRUE(back.IsOk()) << back.GetStatus().ToString();
    EXPECT_EQ(back.Value().Encode(), b);
    EXPECT_EQ(back.Value().Hash(), block.Hash());
    EXPECT_EQ(back.Value().txs.size(), 2u);
}

TEST(Encoding, EveryTruncationOfATransactionIsRejectedWithAReason)
{
    Bytes b = SampleTx().Encode();
    for (std::size_t len = 0; len < b.size(); ++len)
    {
        auto r = Transaction::Decode(b.data(), len);
        ASSERT_FALSE(r.IsOk()) << "accepted a prefix of " << len << " bytes";
        EXPECT_EQ(r.GetStatus().Code(), StatusCode::kMalformed);
        EXPECT_NE(r.GetStatus().Message().find("truncated"), std::string::npos)
            << r.GetStatus().Message();
    }
}

TEST(Encoding, TrailingBytesAreRejected)
{
    Bytes b = SampleTx().Encode();
    b.push_back(0);
    auto r = Transaction::Decode(b);
    ASSERT_FALSE(r.IsOk());
    EXPECT_NE(r.GetStatus().Message().find("trailing"), std::string::npos);
}

TEST(Encoding, OversizePayloadLengthIsRejectedBeforeAllocating)
{
    Transaction tx = SampleTx();
    tx.payload.assign(kTxPayloadMax + 1, 0xab);
    auto r = Transaction::Decode(tx.Encode());
    ASSERT_FALSE(r.IsOk());
    EXPECT_NE(r.GetStatus().Message().find("exceeds limit"), std::string::npos)
        << r.GetStatus().Message();
}

TEST(Encoding, UnknownVersionIsRejected)
{
    Bytes b = SampleTx().Encode();
    b[0] = 99;
    auto r = Transaction::Decode(b);
    ASSERT_FALSE(r.IsOk());
    EXPECT_NE(r.GetStatus().Message().find("unknown version 99"), std::string::npos);
}

TEST(Encoding, BlockClaimingMoreTransactionsThanItsBytesHoldIsRejected)
{
    Block block;
    block.header.SignWith(test::Key("producer"));
    Bytes b = block.Encode();
    // Overwrite the transaction count (the last 4 bytes) with a huge value.
    b[b.size() - 4] = 0xff;
    b[b.size() - 3] = 0xff;
    b[b.size() - 2] = 0x01;
    auto r = Block::Decode(b);
    ASSERT_FALSE(r.IsOk());
    EXPECT_EQ(r.GetStatus().Code(), StatusCode::kMalformed);
}

TEST(Encoding, EveryTruncationOfEveryMessageTypeIsRejected)
{
    Block block;
    block.txs = {SampleTx()};
    block.header.txRoot = block.ComputeTxRoot();
    block.header.SignWith(test::Key("producer"));
    GetBlocksMessage g;
    g.locator = {Blake2b256(std::string("a")), Blake2b256(std::string("b"))};
    EquivocationEvidence ev{block.header, block.header};
    ev.second.slot = 5;
    auto blockPtr = std::make_shared<const Block>(block);
    std::vector<SharedBytes> messages = {
        EncodeTransactionMessage(SampleTx()), EncodeBlockMessage(block), EncodeGetBlocksMessage(g),
        EncodeBlocksMessage({blockPtr, blockPtr}), EncodeEvidenceMessage(ev)};
    for (const auto& m : messages)
    {
        ASSERT_TRUE(DecodeMessage(*m).IsOk()) << DecodeMessage(*m).GetStatus().ToString();
        for (std::size_t len = 0; len < m->size(); ++len)
        {
            Bytes prefix(m->begin(), m->begin() + static_cast<std::ptrdiff_t>(len));
            EXPECT_FALSE(DecodeMessage(prefix).IsOk())
                << "type " << int((*m)[1]) << " accepted " << len << " of " << m->size();
        }
        Bytes longer = *m;
        longer.push_back(7);
        EXPECT_FALSE(DecodeMessage(longer).IsOk()) << "type " << int((*m)[1]) << " trailing";
    }
}

TEST(Encoding, UnknownMessageTypeIsRejected)
{
    Bytes m = {kMessageVersion, 77, 1, 2, 3};
    auto r = DecodeMessage(m);
    ASSERT_FALSE(r.IsOk());
    EXPECT_NE(r.GetStatus().Message().find("unknown type 77"), std::string::npos);
}

} // namespace
} // namespace canon
