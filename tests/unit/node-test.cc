#include "model/node/node.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace canon
{
namespace
{

class NodeTest : public ::testing::Test
{
  protected:
    test::TestChain tc{4, 3};

    Node MakeNode(std::optional<uint32_t> producer)
    {
        NodeConfig c;
        c.id = 0;
        c.params = tc.params;
        if (producer)
        {
            c.producerKey = tc.producers[*producer];
        }
        c.peers = {1, 2};
        return Node(c);
    }

    static std::size_t Count(const Actions& a, NodeEventKind kind)
    {
        return static_cast<std::size_t>(std::count_if(a.events.begin(), a.events.end(),
                                                      [kind](const NodeEvent& e)
                                                      { return e.kind == kind; }));
    }
};

TEST_F(NodeTest, GarbageFromAPeerIsDroppedWithAReasonNotACrash)
{
    Node node = MakeNode(std::nullopt);
    Actions out;
    node.Step(0, MessageInput{1, std::make_shared<const Bytes>(Bytes{1, 2, 0xff})}, out);
    ASSERT_EQ(Count(out, NodeEventKind::kMessageDropped), 1u);
    EXPECT_NE(out.events[0].reason.find("block: unknown version 255"), std::string::npos)
        << out.events[0].reason;
    EXPECT_TRUE(out.sends.empty());
}

TEST_F(NodeTest, ProducerMakesABlockInItsSlotAndGossipsIt)
{
    ConsensusChain view(tc.params);
    uint32_t first = view.ProducerFor(view.Best(), 1);
    Node node = MakeNode(first);
    Actions out;
    node.Step(0, StartInput{}, out);
    ASSERT_EQ(out.timers.size(), 1u);
    EXPECT_EQ(out.timers[0].at, tc.params->SlotStart(1));
    out.Clear();
    node.Step(tc.params->SlotStart(1), TimerInput{TimerKind::kSlot}, out);
    EXPECT_EQ(Count(out, NodeEventKind::kBlockProduced), 1u);
    EXPECT_EQ(node.Chain().Best()->height, 1u);
    EXPECT_EQ(out.sends.size(), 2u) << "one copy to each peer";
    EXPECT_EQ(node.LastSignedSlot(), 1u);
}

TEST_F(NodeTest, BlocksGoToThePeersSetLastWhenTheConnectionsChange)
{
    ConsensusChain view(tc.params);
    Node node = MakeNode(view.ProducerFor(view.Best(), 1));
    node.SetPeers({7, 3, 0, 7}); // a handover: new peers, one twice, the node itself
    EXPECT_EQ(node.Peers(), (std::vector<PeerId>{3, 7}));
    Actions out;
    node.Step(0, StartInput{}, out);
    out.Clear();
    node.Step(tc.params->SlotStart(1), TimerInput{TimerKind::kSlot}, out);
    ASSERT_EQ(Count(out, NodeEventKind::kBlockProduced), 1u);
    std::vector<PeerId> to;
    for (const auto& send : out.sends)
    {
        to.push_back(send.to);
    }
    EXPECT_EQ(to, (std::vector<PeerId>{3, 7})) << "the old peers 1 and 2 get nothing";
}

TEST_F(NodeTest, NodeThatSeesTwoBlocksForOneSlotReportsAndGossipsEvidence)
{
    Node node = MakeNode(std::nullopt);
    ConsensusChain view(tc.params);
    auto tx = MakeTransfer(tc.accounts[0], 0, 5, tc.Czc(), tc.accounts[1].GetAddress(), 1);
    auto a = tc.MakeBlock(view, view.Best(), 1);
    auto b = tc.MakeBlock(view, view.Best(), 1, {tx});
    Actions out;
    node.Step(2 * kSecond, MessageInput{1, EncodeBlockMessage(*a)}, out);
    node.Step(2 * kSecond, MessageInput{2, EncodeBlockMessage(*b)}, out);
    EXPECT_EQ(Count(out, NodeEventKind::kEquivocation), 1u);
    ASSERT_EQ(node.Evidence().size(), 1u);
    EXPECT_TRUE(VerifyEvidence(node.Evidence()[0], std::set<PublicKey>(tc.params->producers.begin(),
                                                                       tc.params->producers.end()))
                    .IsOk());
    bool gossiped =
        std::any_of(out.sends.begin(), out.sends.end(),
                    [](const SendAction& s) { return s.type == MessageType::kEvidence; });
    EXPECT_TRUE(gossiped);
}

TEST_F(NodeTest, BlockWithUnknownParentTriggersASyncRequestToItsSender)
{
    Node node = MakeNode(std::nullopt);
    ConsensusChain view(tc.params);
    auto b1 = tc.MakeBlock(view, view.Best(), 1);
    ASSERT_TRUE(view.AddBlock(b1, test::TestChain::Size(b1), 5 * kSecond).status.IsOk());
    auto b2 = tc.MakeBlock(view, view.Best(), 2);
    Actions out;
    node.Step(5 * kSecond, MessageInput{2, EncodeBlockMessage(*b2)}, out);
    ASSERT_EQ(out.sends.size(), 1u);
    EXPECT_EQ(out.sends[0].to, 2u);
    EXPECT_EQ(out.sends[0].type, MessageType::kGetBlocks);
    // The peer answers with block 1; block 2 connects from the orphan pool.
    out.Clear();
    node.Step(5 * kSecond, MessageInput{2, EncodeBlocksMessage({b1})}, out);
    EXPECT_EQ(node.Chain().Best()->height, 2u);
}

TEST_F(NodeTest, ProducerHoldingEvidencePutsItOnChainAndTheOffenderIsSlashed)
{
    ConsensusChain view(tc.params);
    auto tx = MakeTransfer(tc.accounts[0], 0, 5, tc.Czc(), tc.accounts[1].GetAddress(), 1);
    auto a = tc.MakeBlock(view, view.Best(), 1);
    auto b = tc.MakeBlock(view, view.Best(), 1, {tx});
    const PublicKey offender = a->header.producer;
    ASSERT_TRUE(view.AddBlock(a, test::TestChain::Size(a), 2 * kSecond).status.IsOk());
    // A node whose key produces some later slot.
    std::optional<uint32_t> mine;
    uint64_t slot = 2;
    for (; slot < 40 && !mine; ++slot)
    {
        const PublicKey& k = test::ScheduledKey(view, view.Best(), slot);
        for (uint32_t i = 0; i < tc.producers.size(); ++i)
        {
            if (tc.producers[i].Public() == k && k != offender)
            {
                mine = i;
            }
        }
    }
    ASSERT_TRUE(mine.has_value());
    --slot;
    Node node = MakeNode(*mine);
    Actions out;
    node.Step(tc.params->SlotStart(1), MessageInput{1, EncodeBlockMessage(*a)}, out);
    node.Step(tc.params->SlotStart(1), MessageInput{2, EncodeBlockMessage(*b)}, out);
    ASSERT_EQ(node.Evidence().size(), 1u);
    out.Clear();
    node.Step(tc.params->SlotStart(slot), TimerInput{TimerKind::kSlot}, out);
    ASSERT_EQ(Count(out, NodeEventKind::kBlockProduced), 1u);
    const Block& produced = *node.Chain().Best()->block;
    ASSERT_FALSE(produced.txs.empty());
    EXPECT_EQ(produced.txs[0].type, TxType::kEvidence);
    EXPECT_EQ(node.Chain().BestState().Pop().slashed.count(offender), 1u);
}

} // namespace
} // namespace canon
