// Decoded blocks shared process-wide (messages.h): one object per block encoding, an equal
// result either way, and the memo's bounds.
#include "model/node/messages.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

class SharedBlockDecodingTest : public ::testing::Test
{
  protected:
    void SetUp() override { ClearSharedBlockDecoding(); }
    void TearDown() override { SetSharedBlockDecodingEnabled(true); }

    static Block MakeTestBlock(uint64_t height, std::size_t txs)
    {
        Block b;
        b.header.height = height;
        b.header.slot = height;
        const Transaction tx =
            MakeTransfer(test::Key("a"), 0, 3, Hash256{}, test::Key("b").GetAddress(), 7);
        b.txs.assign(txs, tx);
        b.header.txRoot = b.ComputeTxRoot();
        return b;
    }

    static BlockPtr Decoded(const Bytes& wire)
    {
        auto m = DecodeMessage(wire);
        EXPECT_TRUE(m.IsOk()) << m.GetStatus().ToString();
        return std::get<std::pair<BlockPtr, std::size_t>>(m.Value().body).first;
    }
};

TEST_F(SharedBlockDecodingTest, OneEncodingIsDecodedOnceForEveryNodeAndEveryMessageKind)
{
    const Block block = MakeTestBlock(5, 3);
    const SharedBytes wire = EncodeBlockMessage(block);
    const BlockPtr first = Decoded(*wire);
    const BlockPtr second = Decoded(*wire);
    EXPECT_EQ(first.get(), second.get()) << "the second arrival shares the first";
    EXPECT_EQ(first->Encode(), block.Encode());
    auto answer = DecodeMessage(*EncodeBlocksMessage({first}));
    ASSERT_TRUE(answer.IsOk());
    const auto& blocks = std::get<BlocksMessage>(answer.Value().body).blocks;
    ASSERT_EQ(blocks.size(), 1u);
    EXPECT_EQ(blocks[0].first.get(), first.get()) << "a sync answer finds it too";
    const MemoStats s = GetSharedBlockDecodingStats();
    EXPECT_EQ(s.size, 1u);
    EXPECT_EQ(s.hits, 2u);
    EXPECT_EQ(s.misses, 1u);
}

TEST_F(SharedBlockDecodingTest, AnyChangedByteIsAnotherBlock)
{
    const SharedBytes wire = EncodeBlockMessage(MakeTestBlock(6, 2));
    const BlockPtr original = Decoded(*wire);
    Bytes changed = *wire;
    changed.back() ^= 1; // the last transaction's signature: still decodes
    const BlockPtr other = Decoded(changed);
    EXPECT_NE(other.get(), original.get());
    EXPECT_NE(other->txs.back().signature, original->txs.back().signature);
    EXPECT_EQ(Decoded(*wire).get(), original.get());
}

TEST_F(SharedBlockDecodingTest, SwitchedOffEveryArrivalIsItsOwnEqualObject)
{
    SetSharedBlockDecodingEnabled(false);
    const SharedBytes wire = EncodeBlockMessage(MakeTestBlock(7, 2));
    const BlockPtr x = Decoded(*wire);
    const BlockPtr y = Decoded(*wire);
    EXPECT_NE(x.get(), y.get());
    EXPECT_EQ(x->Encode(), y->Encode());
    EXPECT_EQ(GetSharedBlockDecodingStats().size, 0u);
}

TEST_F(SharedBlockDecodingTest, TheMemoKeepsTheNewestBlocksAndNoOversizedOne)
{
    for (uint64_t h = 1; h <= kDecodedBlockMemoMax + 10; ++h)
    {
        Decoded(*EncodeBlockMessage(MakeTestBlock(h, 1)));
    }
    EXPECT_EQ(GetSharedBlockDecodingStats().size, kDecodedBlockMemoMax);
    ClearSharedBlockDecoding();
    const Block big = MakeTestBlock(1, kDecodedBlockMemoBlockBytesMax / 100);
    const SharedBytes wire = EncodeBlockMessage(big);
    ASSERT_GT(wire->size() - 2, kDecodedBlockMemoBlockBytesMax);
    EXPECT_NE(Decoded(*wire).get(), Decoded(*wire).get()) << "decoded every time";
    EXPECT_EQ(GetSharedBlockDecodingStats().size, 0u);
}

} // namespace
} // namespace canon
