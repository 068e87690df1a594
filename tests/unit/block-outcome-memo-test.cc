// The process-wide block outcome memo (model/consensus/block-outcome-memo.h): nodes that add the
// same block on the same chain share one validation and one state; what depends on the node
// stays per node; different parameters never share; the bound holds.
#include "model/consensus/block-outcome-memo.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

const TimeNs kLate = 1000 * kSecond; // a clock past every slot used here

class BlockOutcomeMemoTest : public ::testing::Test
{
  protected:
    void SetUp() override { ClearBlockOutcomeMemo(); }
    void TearDown() override { SetBlockOutcomeMemoEnabled(true); }

    static AddBlockResult Add(ConsensusChain& chain, const BlockPtr& b, TimeNs now = kLate)
    {
        return chain.AddBlock(b, test::TestChain::Size(b), now);
    }

    test::TestChain tc{4, 3};
};

TEST_F(BlockOutcomeMemoTest, SameBlockSeenByTwoNodesIsValidatedOnce)
{
    ConsensusChain a(tc.params);
    ConsensusChain b(tc.params);
    auto tx = MakeTransfer(tc.accounts[0], 0, 5, tc.Czc(), tc.accounts[1].GetAddress(), 100);
    auto block = tc.MakeBlock(a, a.Best(), 1, {tx});
    ASSERT_TRUE(Add(a, block).status.IsOk());
    ASSERT_TRUE(Add(b, block).status.IsOk());
    const BlockOutcomeMemoStats s = GetBlockOutcomeMemoStats();
    EXPECT_EQ(s.misses, 1u) << "the first node validates";
    EXPECT_EQ(s.hits, 1u) << "the second shares its result";
    EXPECT_EQ(a.Best()->state.get(), b.Best()->state.get()) << "one state object for both";
    EXPECT_EQ(a.MainChainAt(0)->state.get(), b.MainChainAt(0)->state.get()) << "one genesis state";
    EXPECT_EQ(b.BestState().NonceOf(tc.accounts[0].GetAddress()), 1u);
}

TEST_F(BlockOutcomeMemoTest, InvalidBlockIsInvalidForBothNodesWithTheSameReason)
{
    ConsensusChain a(tc.params);
    ConsensusChain b(tc.params);
    auto x = MakeTransfer(tc.accounts[0], 0, 5, tc.Czc(), tc.accounts[1].GetAddress(), 100);
    auto y = MakeTransfer(tc.accounts[0], 0, 5, tc.Czc(), tc.accounts[2].GetAddress(), 100);
    auto block = tc.MakeBlock(a, a.Best(), 1, {x, y}); // a double spend
    const Status first = Add(a, block).status;
    const Status second = Add(b, block).status;
    EXPECT_FALSE(first.IsOk());
    EXPECT_EQ(first.ToString(), second.ToString());
    EXPECT_NE(first.Message().find("wrong nonce"), std::string::npos) << first.ToString();
    EXPECT_EQ(GetBlockOutcomeMemoStats().misses, 1u);
    EXPECT_EQ(GetBlockOutcomeMemoStats().hits, 1u);
    EXPECT_EQ(b.TreeSize(), 1u);
}

TEST_F(BlockOutcomeMemoTest, ForgedSignatureOnAKnownHeaderIsNotJudgedByTheRealBlock)
{
    // The block hash leaves out the signature: the memo key must not.
    ConsensusChain a(tc.params);
    ConsensusChain b(tc.params);
    auto real = tc.MakeBlock(a, a.Best(), 1);
    Block forged = *real;
    forged.header.signature[3] ^= 1;
    ASSERT_TRUE(Add(a, real).status.IsOk());
    const Status s = Add(b, std::make_shared<Block>(forged)).status;
    EXPECT_NE(s.Message().find("bad block signature"), std::string::npos) << s.ToString();
    EXPECT_TRUE(Add(b, real).status.IsOk()) << "the forgery does not poison the real block";
}

TEST_F(BlockOutcomeMemoTest, BlockFromTheFutureStaysANodeDecision)
{
    ConsensusChain early(tc.params);
    ConsensusChain late(tc.params);
    auto block = tc.MakeBlock(late, late.Best(), 5);
    ASSERT_TRUE(Add(late, block).status.IsOk());
    EXPECT_EQ(Add(early, block, 0).status.Code(), StatusCode::kTooEarly);
    EXPECT_TRUE(Add(early, block, tc.params->SlotStart(5)).status.IsOk());
}

TEST_F(BlockOutcomeMemoTest, DifferentParametersNeverShare)
{
    // The same keys and genesis hash (feeMin is not part of it), so the same block is valid on
    // both chains; still nothing is shared across parameter sets.
    test::TestChain other{4, 3};
    other.params->feeMin = tc.params->feeMin + 1;
    ASSERT_EQ(other.params->GenesisHash(), tc.params->GenesisHash());
    ConsensusChain a(tc.params);
    ConsensusChain b(other.params);
    auto block = tc.MakeBlock(a, a.Best(), 1);
    ASSERT_TRUE(Add(a, block).status.IsOk());
    ASSERT_TRUE(Add(b, block).status.IsOk());
    EXPECT_EQ(GetBlockOutcomeMemoStats().misses, 2u);
    EXPECT_EQ(GetBlockOutcomeMemoStats().hits, 0u);
    EXPECT_NE(a.Best()->state.get(), b.Best()->state.get());
    EXPECT_NE(a.MainChainAt(0)->state.get(), b.MainChainAt(0)->state.get());
}

TEST_F(BlockOutcomeMemoTest, ParametersOutsideTheGenesisHashStillSeparateKeys)
{
    test::TestChain other{4, 3};
    other.params->feeMin = tc.params->feeMin + 1;
    other.params->election.driftThreshold = tc.params->election.driftThreshold + 1e-12;
    ASSERT_EQ(other.params->GenesisHash(), tc.params->GenesisHash());
    EXPECT_NE(ChainParamsDigest(*other.params), ChainParamsDigest(*tc.params));
}

TEST_F(BlockOutcomeMemoTest, BoundIsRespectedOldestFirst)
{
    auto outcome = std::make_shared<BlockOutcome>();
    auto key = [](std::size_t i) { return Blake2b256("memo-bound/" + std::to_string(i)); };
    for (std::size_t i = 0; i < kBlockOutcomeMemoMax + 10; ++i)
    {
        RememberBlockOutcome(key(i), outcome);
    }
    EXPECT_EQ(GetBlockOutcomeMemoStats().size, kBlockOutcomeMemoMax);
    EXPECT_EQ(FindBlockOutcome(key(0)), nullptr) << "the oldest went first";
    EXPECT_NE(FindBlockOutcome(key(kBlockOutcomeMemoMax + 9)), nullptr);
}

TEST_F(BlockOutcomeMemoTest, OffMakesEveryNodeValidate)
{
    SetBlockOutcomeMemoEnabled(false);
    ConsensusChain a(tc.params);
    ConsensusChain b(tc.params);
    auto block = tc.MakeBlock(a, a.Best(), 1);
    ASSERT_TRUE(Add(a, block).status.IsOk());
    ASSERT_TRUE(Add(b, block).status.IsOk());
    EXPECT_EQ(GetBlockOutcomeMemoStats().misses, 2u);
    EXPECT_NE(a.Best()->state.get(), b.Best()->state.get());
}

} // namespace
} // namespace canon
