// The consensus chain's protocol-neutral rules (consensus-chain.h), on a minimal longest-chain
// engine: anyone among the members produces any slot, fork weight is the height, finality is a
// depth rule. What is tested is the chain, not a protocol: a reorg past the depth rule is counted
// (not asserted), forks are kept PruneDepth deep, the first-seen tie rule holds the current tip,
// and a PoP chain still rejects a wrong producer through the engine.
#include "model/consensus/consensus-chain.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

class DepthEngine : public ConsensusEngine
{
  public:
    DepthEngine(uint64_t depth, bool firstSeen)
      : m_depth(depth)
      , m_firstSeen(firstSeen)
    {
    }
    Protocol Kind() const override { return Protocol::kPow; }
    ConsensusStatePtr GenesisState(const ChainParams&, const LedgerState&) const override
    {
        return nullptr;
    }
    std::optional<uint64_t> NextProductionSlot(const BlockEntry& parent, const PublicKey&,
                                               uint64_t from, uint64_t) const override
    {
        return std::max(from, parent.slot + 1);
    }
    Bytes MakeProof(const BlockEntry&, const KeyPair&, uint64_t,
                    const ProducerMemory&) const override
    {
        return {};
    }
    Status CheckProducer(const BlockEntry&, const BlockHeader&) const override
    {
        return Status::Ok();
    }
    ConsensusStatePtr Apply(const BlockEntry&, LedgerState&, ConsensusEffects&) const override
    {
        return nullptr;
    }
    ForkWeight WeightOf(const BlockEntry& e) const override { return {e.height, 0}; }
    bool FirstSeenWins() const override { return m_firstSeen; }
    const BlockEntry* LibOf(const BlockEntry& e) const override
    {
        return BlockTree::AncestorAt(&e, e.height > m_depth ? e.height - m_depth : 0);
    }
    bool DeterministicFinality() const override { return false; }
    uint64_t PruneDepth() const override { return 4 * m_depth; }
    uint32_t ProducerIndex(const BlockEntry&, const BlockHeader&) const override { return 0; }

  private:
    uint64_t m_depth;
    bool m_firstSeen;
};

class ConsensusChainTest : public ::testing::Test
{
  protected:
    test::TestChain tc{4};

    ConsensusChain Make(uint64_t depth, bool firstSeen = false)
    {
        tc.params->consensus.protocol = Protocol::kPow; // any baseline: the hash changes
        return ConsensusChain(tc.params, std::make_unique<DepthEngine>(depth, firstSeen));
    }
    // A block on `parent` at `slot` by producer `who` (the test engine accepts anyone).
    BlockPtr Block(const BlockEntry* parent, uint64_t slot, uint32_t who) const
    {
        auto b = std::make_shared<canon::Block>();
        b->header.height = parent->height + 1;
        b->header.slot = slot;
        b->header.parent = parent->hash;
        b->header.timestamp = tc.params->SlotStart(slot);
        b->header.txRoot = b->ComputeTxRoot();
        b->header.SignWith(tc.producers[who]);
        return b;
    }
    AddBlockResult Add(ConsensusChain& chain, const BlockPtr& b) const
    {
        return chain.AddBlock(b, test::TestChain::Size(b), tc.params->SlotStart(1000));
    }
    // `count` blocks on `from`, slots from `slot`, by `who`; returns the last entry.
    const BlockEntry* Extend(ConsensusChain& chain, const BlockEntry* from, uint64_t slot,
                             uint32_t count, uint32_t who) const
    {
        for (uint32_t i = 0; i < count; ++i)
        {
            auto r = Add(chain, Block(from, slot + i, who));
            EXPECT_TRUE(r.status.IsOk()) << r.status.ToString();
            from = r.entry;
        }
        return from;
    }
};

TEST_F(ConsensusChainTest, DepthRuleLibFollowsTheBestChain)
{
    ConsensusChain chain = Make(2);
    const BlockEntry* tip = Extend(chain, chain.Best(), 1, 5, 0);
    EXPECT_EQ(chain.Best(), tip);
    EXPECT_EQ(chain.Lib()->height, 3u);
    EXPECT_EQ(chain.FinalityViolations(), 0u);
}

TEST_F(ConsensusChainTest, AReorgPastTheDepthRuleIsCountedNotAsserted)
{
    ConsensusChain chain = Make(2);
    const BlockEntry* fork = chain.MainChainAt(0);
    Extend(chain, fork, 1, 4, 0); // LIB at 2 on branch A
    ASSERT_EQ(chain.Lib()->height, 2u);
    const Hash256 oldLib = chain.Lib()->hash;
    const BlockEntry* b = Extend(chain, fork, 11, 6, 1); // a longer branch B from genesis
    EXPECT_EQ(chain.Best(), b);
    EXPECT_EQ(chain.FinalityViolations(), 1u);
    EXPECT_NE(chain.Lib()->hash, oldLib);
    EXPECT_EQ(chain.Lib()->height, 4u);
}

TEST_F(ConsensusChainTest, ForksAreKeptPruneDepthBelowTheTipNotJustBelowTheLib)
{
    ConsensusChain chain = Make(1); // LIB one deep, forks kept four deep
    Extend(chain, chain.Best(), 1, 9, 0);
    ASSERT_EQ(chain.Lib()->height, 8u);
    // A fork from height 6, below the LIB but within four of the tip, is still taken.
    EXPECT_TRUE(Add(chain, Block(chain.MainChainAt(6), 40, 1)).status.IsOk());
    // One from height 2 is below the pruning point.
    auto late = Add(chain, Block(chain.MainChainAt(2), 41, 2));
    EXPECT_FALSE(late.status.IsOk());
    EXPECT_NE(late.status.Message().find("forks below"), std::string::npos)
        << late.status.ToString();
}

TEST_F(ConsensusChainTest, FirstSeenTieRuleKeepsTheCurrentTip)
{
    for (bool firstSeen : {true, false})
    {
        ConsensusChain chain = Make(3, firstSeen);
        const BlockEntry* genesis = chain.Best();
        auto a = Block(genesis, 1, 0);
        auto b = Block(genesis, 2, 1);
        ASSERT_TRUE(Add(chain, a).status.IsOk());
        ASSERT_TRUE(Add(chain, b).status.IsOk());
        const Hash256 lower = std::min(a->Hash(), b->Hash());
        EXPECT_EQ(chain.Best()->hash, firstSeen ? a->Hash() : lower) << firstSeen;
    }
}

TEST(ConsensusChainPop, TheEngineRejectsAWrongProducerThroughValidation)
{
    test::TestChain tc(4);
    ConsensusChain chain(tc.params);
    auto b = tc.MakeBlock(chain, chain.Best(), 1);
    auto wrong = std::make_shared<Block>(*b);
    const uint32_t right = chain.ProducerFor(chain.Best(), 1);
    wrong->header.SignWith(tc.producers[(right + 1) % 4]);
    auto r = chain.AddBlock(wrong, test::TestChain::Size(wrong), tc.params->SlotStart(1));
    EXPECT_FALSE(r.status.IsOk());
    EXPECT_NE(r.status.Message().find("wrong producer"), std::string::npos) << r.status.ToString();
    EXPECT_TRUE(chain.AddBlock(b, test::TestChain::Size(b), tc.params->SlotStart(1)).status.IsOk());
}

} // namespace
} // namespace canon
