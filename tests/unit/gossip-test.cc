// Gossip modes (node.h): push, announce-then-fetch and compact blocks, on a small network of
// nodes driven by a deterministic in-test message pump, and on single nodes fed by hand.
#include "model/node/node.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <queue>

namespace canon
{
namespace
{

constexpr TimeNs kLatency = 10 * kMillisecond;

// A fixed graph of nodes, every message delivered kLatency after it was sent, in send order.
// Counts what each node receives, by message type.
class Pump
{
  public:
    Pump(const test::TestChain& tc, GossipMode mode, uint32_t nodes,
         const std::vector<std::pair<uint32_t, uint32_t>>& links)
    {
        std::vector<std::vector<PeerId>> peers(nodes);
        for (auto [a, b] : links)
        {
            peers[a].push_back(b);
            peers[b].push_back(a);
        }
        for (uint32_t i = 0; i < nodes; ++i)
        {
            NodeConfig c;
            c.id = i;
            c.params = tc.params;
            c.peers = peers[i];
            c.limits.gossip = mode;
            if (i < tc.producers.size())
            {
                c.producerKey = tc.producers[i];
            }
            m_nodes.push_back(std::make_unique<Node>(c));
        }
        m_timer.assign(nodes, {0, 0});
        for (uint32_t i = 0; i < nodes; ++i)
        {
            Step(i, 0, StartInput{});
        }
    }

    void Submit(uint32_t node, TimeNs at, const Transaction& tx)
    {
        Push({at, node, nullptr, 0, 0, tx});
    }

    void RunUntil(TimeNs t)
    {
        while (!m_queue.empty() && m_queue.top().at <= t)
        {
            Event e = m_queue.top();
            m_queue.pop();
            if (e.bytes)
            {
                const auto type = static_cast<MessageType>((*e.bytes)[1]);
                m_bytesIn[e.node][type] += e.bytes->size();
                ++m_countIn[e.node][type];
                if (m_silent.count(e.node) == 0)
                {
                    Step(e.node, e.at, MessageInput{e.from, e.bytes});
                }
            }
            else if (e.generation != 0)
            {
                if (m_timer[e.node].second == e.generation)
                {
                    Step(e.node, e.at, TimerInput{TimerKind::kSlot});
                }
            }
            else
            {
                Step(e.node, e.at, SubmitInput{e.tx});
            }
        }
    }

    // A node that takes nothing in and so answers nothing (it still announces what it made).
    void Silence(uint32_t node) { m_silent.insert(node); }
    const Node& At(uint32_t i) const { return *m_nodes[i]; }
    uint32_t Size() const { return static_cast<uint32_t>(m_nodes.size()); }
    uint64_t BytesIn(uint32_t node, MessageType t) { return m_bytesIn[node][t]; }
    uint64_t CountIn(uint32_t node, MessageType t) { return m_countIn[node][t]; }
    uint64_t Accepted(uint32_t node, NodeEventKind kind) { return m_events[node][kind]; }
    const std::vector<std::string>& Log() const { return m_log; }

  private:
    struct Event
    {
        TimeNs at = 0;
        uint32_t node = 0;
        SharedBytes bytes;
        PeerId from = 0;
        uint64_t generation = 0;
        Transaction tx;
        uint64_t seq = 0;
    };
    struct Later
    {
        bool operator()(const Event& a, const Event& b) const
        {
            return a.at != b.at ? a.at > b.at : a.seq > b.seq;
        }
    };

    void Push(Event e)
    {
        e.seq = m_seq++;
        m_queue.push(std::move(e));
    }

    void Step(uint32_t i, TimeNs now, const Input& in)
    {
        Actions out;
        m_nodes[i]->Step(now, in, out);
        for (const SendAction& s : out.sends)
        {
            Push({now + kLatency, s.to, s.bytes, i, 0, {}});
        }
        for (const TimerAction& t : out.timers)
        {
            m_timer[i] = {t.at, ++m_generation};
            Push({t.at, i, nullptr, 0, m_generation, {}});
        }
        for (const NodeEvent& e : out.events)
        {
            ++m_events[i][e.kind];
            m_log.push_back(std::to_string(now) + " " + std::to_string(i) + " " +
                            NodeEventKindName(e.kind) + " " + ShortHex(e.hash));
        }
    }

    std::vector<std::unique_ptr<Node>> m_nodes;
    std::vector<std::pair<TimeNs, uint64_t>> m_timer;
    std::priority_queue<Event, std::vector<Event>, Later> m_queue;
    uint64_t m_seq = 0;
    uint64_t m_generation = 0;
    std::set<uint32_t> m_silent;
    std::map<uint32_t, std::map<MessageType, uint64_t>> m_bytesIn, m_countIn;
    std::map<uint32_t, std::map<NodeEventKind, uint64_t>> m_events;
    std::vector<std::string> m_log;
};

// Eight nodes, producers 0..3: a ring with two chords (degree 2 to 3).
const std::vector<std::pair<uint32_t, uint32_t>> kLinks = {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5},
                                                           {5, 6}, {6, 7}, {7, 0}, {0, 4}, {2, 6}};

class GossipTest : public ::testing::TestWithParam<GossipMode>
{
  protected:
    test::TestChain tc{4, 8};

    // Transfers from the eight accounts, one every 100 ms from t = 0.35 s, each at a node in
    // turn; `count` of them.
    std::vector<Transaction> Workload(Pump& pump, uint32_t count)
    {
        std::vector<Transaction> txs;
        std::vector<uint64_t> nonce(tc.accounts.size(), 0);
        for (uint32_t i = 0; i < count; ++i)
        {
            const uint32_t a = i % static_cast<uint32_t>(tc.accounts.size());
            txs.push_back(MakeTransfer(tc.accounts[a], nonce[a]++, 10, tc.Czc(),
                                       tc.accounts[(a + 1) % tc.accounts.size()].GetAddress(), 1));
            pump.Submit(i % pump.Size(), 350 * kMillisecond + i * 100 * kMillisecond, txs.back());
        }
        return txs;
    }
};

TEST_P(GossipTest, HonestNetworkDeliversEveryBlockAndTransactionToEveryNode)
{
    Pump pump(tc, GetParam(), 8, kLinks);
    const auto txs = Workload(pump, 40);
    pump.RunUntil(10 * kSecond + 500 * kMillisecond);
    const BlockEntry* tip = pump.At(0).Chain().Best();
    EXPECT_EQ(tip->height, 10u);
    for (uint32_t i = 0; i < pump.Size(); ++i)
    {
        EXPECT_EQ(pump.At(i).Chain().Best()->hash, tip->hash) << "node " << i;
        // Each transaction reached the node's mempool, or a block did first (in the announce
        // modes a transaction travels slower than in push, and an answer that comes after the
        // block is dropped as a stale nonce).
        EXPECT_GE(pump.Accepted(i, NodeEventKind::kTxAccepted), txs.size() - 3) << "node " << i;
    }
    // Every transaction made it into the chain.
    std::set<Hash256> carried;
    for (const BlockEntry* e = tip; e->height > 0; e = e->parent)
    {
        for (const Transaction& tx : e->block->txs)
        {
            carried.insert(tx.Id());
        }
    }
    for (std::size_t k = 0; k < txs.size(); ++k)
    {
        const Transaction& tx = txs[k];
        std::string where;
        for (uint32_t i = 0; i < pump.Size(); ++i)
        {
            if (pump.At(i).Pool().Find(tx.Id()))
            {
                where += " " + std::to_string(i);
            }
        }
        EXPECT_EQ(carried.count(tx.Id()), 1u) << "tx " << k << " in mempools of" << where;
    }
}

TEST_P(GossipTest, SameInputsGiveTheSameEventsInEveryMode)
{
    auto run = [&]()
    {
        Pump pump(tc, GetParam(), 8, kLinks);
        Workload(pump, 30);
        pump.RunUntil(6 * kSecond);
        return pump.Log();
    };
    EXPECT_EQ(run(), run());
}

INSTANTIATE_TEST_SUITE_P(Modes, GossipTest,
                         ::testing::Values(GossipMode::kPush, GossipMode::kAnnounce,
                                           GossipMode::kCompact),
                         [](const ::testing::TestParamInfo<GossipMode>& p)
                         {
                             return std::string(p.param == GossipMode::kPush       ? "Push"
                                                : p.param == GossipMode::kAnnounce ? "Announce"
                                                                                   : "Compact");
                         });

class GossipNodeTest : public ::testing::Test
{
  protected:
    test::TestChain tc{4, 8};

    Node MakeNode(GossipMode mode, std::optional<uint32_t> producer = std::nullopt,
                  NodeLimits limits = {})
    {
        NodeConfig c;
        c.id = 0;
        c.params = tc.params;
        c.peers = {1, 2};
        limits.gossip = mode;
        c.limits = limits;
        if (producer)
        {
            c.producerKey = tc.producers[*producer];
        }
        return Node(c);
    }

    static std::vector<SendAction> SendsOf(const Actions& a, MessageType t)
    {
        std::vector<SendAction> s;
        std::copy_if(a.sends.begin(), a.sends.end(), std::back_inserter(s),
                     [t](const SendAction& x) { return x.type == t; });
        return s;
    }

    static MessageInput From(PeerId peer, SharedBytes bytes) { return MessageInput{peer, bytes}; }

    template <typename T>
    static T Body(const SendAction& s)
    {
        auto d = DecodeMessage(*s.bytes);
        EXPECT_TRUE(d.IsOk());
        return std::get<T>(d.Value().body);
    }

    Transaction Transfer(uint32_t account, uint64_t nonce = 0)
    {
        return MakeTransfer(tc.accounts[account], nonce, 10, tc.Czc(),
                            tc.accounts[(account + 1) % tc.accounts.size()].GetAddress(), 1);
    }
};

TEST(GossipPump, BlocksAreFetchedOncePerNodeInAnnounceAndCompactModeButPushedDegreeTimes)
{
    test::TestChain tc{4, 8};
    std::map<GossipMode, std::pair<uint64_t, uint64_t>> blockMessages; // (received, accepted)
    for (GossipMode mode : {GossipMode::kPush, GossipMode::kAnnounce, GossipMode::kCompact})
    {
        Pump pump(tc, mode, 8, kLinks);
        std::vector<uint64_t> nonce(8, 0);
        for (uint32_t i = 0; i < 30; ++i)
        {
            pump.Submit(i % 8, 350 * kMillisecond + i * 100 * kMillisecond,
                        MakeTransfer(tc.accounts[i % 8], nonce[i % 8]++, 10, tc.Czc(),
                                     tc.accounts[(i + 1) % 8].GetAddress(), 1));
        }
        pump.RunUntil(8 * kSecond + 500 * kMillisecond);
        for (uint32_t i = 0; i < 8; ++i)
        {
            const NodeCounters& c = pump.At(i).Counters();
            const uint64_t fromPeers = c.blocksAccepted - c.blocksProduced;
            const uint64_t received = pump.CountIn(i, MessageType::kBlock);
            blockMessages[mode].first += received;
            blockMessages[mode].second += fromPeers;
            if (mode == GossipMode::kAnnounce)
            {
                EXPECT_EQ(received, fromPeers) << "node " << i << ": one block message per block";
                EXPECT_EQ(c.blockFetches, fromPeers) << "node " << i;
            }
            if (mode == GossipMode::kCompact)
            {
                EXPECT_EQ(received, 0u) << "node " << i << ": rebuilt, never fetched whole";
                EXPECT_EQ(c.compactRebuilt, fromPeers) << "node " << i;
            }
            EXPECT_EQ(pump.At(i).Chain().Best()->height, 8u);
        }
    }
    EXPECT_GT(blockMessages[GossipMode::kPush].first, blockMessages[GossipMode::kPush].second)
        << "push sends a node each block about once per link";
}

TEST_F(GossipNodeTest, CompactBlockIsRebuiltFromTheMempoolAndOnlyTheMissingTransactionIsFetched)
{
    ConsensusChain view(tc.params);
    const uint32_t first = view.ProducerFor(view.Best(), 1);
    Node producer = MakeNode(GossipMode::kCompact, first);
    Node receiver = MakeNode(GossipMode::kCompact);
    Actions out;
    producer.Step(0, StartInput{}, out);
    receiver.Step(0, StartInput{}, out);
    std::vector<Transaction> txs = {Transfer(0), Transfer(1), Transfer(2), Transfer(3)};
    for (const Transaction& tx : txs)
    {
        producer.Step(100 * kMillisecond, SubmitInput{tx}, out);
    }
    // The receiver has all but the third.
    for (std::size_t i : {std::size_t{0}, std::size_t{1}, std::size_t{3}})
    {
        receiver.Step(100 * kMillisecond, SubmitInput{txs[i]}, out);
    }
    out.Clear();
    producer.Step(tc.params->SlotStart(1), TimerInput{TimerKind::kSlot}, out);
    const auto compact = SendsOf(out, MessageType::kCompactBlock);
    ASSERT_EQ(compact.size(), 2u) << "one compact block to each peer";
    EXPECT_TRUE(SendsOf(out, MessageType::kBlock).empty());
    const BlockPtr block = producer.Chain().Best()->block;
    ASSERT_EQ(block->txs.size(), 4u);
    EXPECT_LT(compact[0].bytes->size(), EncodeBlockMessage(*block)->size() / 3);

    Actions r;
    receiver.Step(tc.params->SlotStart(1) + kLatency, From(1, compact[0].bytes), r);
    const auto asks = SendsOf(r, MessageType::kGetBlockTxn);
    ASSERT_EQ(asks.size(), 1u);
    const auto ask = Body<GetBlockTxnMessage>(asks[0]);
    ASSERT_EQ(ask.indexes.size(), 1u) << "only the transaction it lacks";
    EXPECT_EQ(block->txs[ask.indexes[0]].Id(), txs[2].Id());
    EXPECT_EQ(receiver.Counters().compactTxsMissing, 1u);

    Actions a;
    producer.Step(tc.params->SlotStart(1) + 2 * kLatency, From(1, asks[0].bytes), a);
    const auto answers = SendsOf(a, MessageType::kBlockTxn);
    ASSERT_EQ(answers.size(), 1u);
    Actions done;
    receiver.Step(tc.params->SlotStart(1) + 3 * kLatency, From(1, answers[0].bytes), done);
    EXPECT_EQ(receiver.Chain().Best()->hash, block->Hash());
    EXPECT_EQ(receiver.Counters().compactRebuilt, 1u);
    EXPECT_EQ(receiver.Counters().blockFetches, 0u) << "no full fetch";
    // It relays the block as a compact block, to the peer that did not send it.
    const auto relayed = SendsOf(done, MessageType::kCompactBlock);
    ASSERT_EQ(relayed.size(), 1u);
    EXPECT_EQ(relayed[0].to, 2u);
}

TEST_F(GossipNodeTest, CompactBlockThatCannotBeRebuiltFallsBackToAFullFetch)
{
    ConsensusChain view(tc.params);
    const BlockPtr block = tc.MakeBlock(view, view.Best(), 1, {Transfer(0), Transfer(1)});
    auto compact = MakeCompactBlock(*block, 7);
    ASSERT_TRUE(compact);
    // Two slots with one short id: a block that no honest sender makes, and nobody can rebuild.
    compact->shortIds[1] = compact->shortIds[0];
    Node node = MakeNode(GossipMode::kCompact);
    Actions out;
    node.Step(0, StartInput{}, out);
    out.Clear();
    node.Step(tc.params->SlotStart(1), From(1, EncodeCompactBlockMessage(*compact)), out);
    const auto gets = SendsOf(out, MessageType::kGetBlock);
    ASSERT_EQ(gets.size(), 1u);
    EXPECT_EQ(gets[0].to, 1u);
    EXPECT_EQ(node.Counters().compactFallbacks, 1u);
    out.Clear();
    node.Step(tc.params->SlotStart(1) + kLatency, From(1, EncodeBlockMessage(*block)), out);
    EXPECT_EQ(node.Chain().Best()->hash, block->Hash());
}

TEST_F(GossipNodeTest, SilentAnnouncerIsTimedOutAndTheNextAnnouncerIsAsked)
{
    ConsensusChain view(tc.params);
    const BlockPtr block = tc.MakeBlock(view, view.Best(), 1);
    Node node = MakeNode(GossipMode::kAnnounce);
    Actions out;
    node.Step(0, StartInput{}, out);
    node.Step(tc.params->SlotStart(1), TimerInput{TimerKind::kSlot}, out);
    const TimeNs t0 = tc.params->SlotStart(1) + kLatency;
    out.Clear();
    node.Step(t0, From(1, EncodeAnnounceBlockMessage(block->header)), out);
    auto gets = SendsOf(out, MessageType::kGetBlock);
    ASSERT_EQ(gets.size(), 1u);
    EXPECT_EQ(gets[0].to, 1u);
    EXPECT_EQ(Body<GetBlockMessage>(gets[0]).hash, block->Hash());
    ASSERT_EQ(out.timers.size(), 1u) << "the timer moves to the fetch deadline";
    EXPECT_EQ(out.timers[0].at, t0 + NodeLimits{}.fetchTimeout);
    out.Clear();
    node.Step(t0 + kLatency, From(2, EncodeAnnounceBlockMessage(block->header)), out);
    EXPECT_TRUE(SendsOf(out, MessageType::kGetBlock).empty()) << "one fetch at a time";
    out.Clear();
    node.Step(t0 + NodeLimits{}.fetchTimeout, TimerInput{TimerKind::kSlot}, out);
    gets = SendsOf(out, MessageType::kGetBlock);
    ASSERT_EQ(gets.size(), 1u);
    EXPECT_EQ(gets[0].to, 2u) << "peer 1 never answered";
    EXPECT_EQ(node.Counters().fetchTimeouts, 1u);
    EXPECT_EQ(node.Counters().blocksProduced, 0u) << "a deadline is not a slot";
    out.Clear();
    node.Step(t0 + NodeLimits{}.fetchTimeout + kLatency, From(2, EncodeBlockMessage(*block)), out);
    EXPECT_EQ(node.Chain().Best()->hash, block->Hash());
    // Both peers announced it: nobody needs hearing about it from us.
    EXPECT_TRUE(SendsOf(out, MessageType::kAnnounceBlock).empty());
}

TEST_F(GossipNodeTest, AFetchIsAbandonedAfterItsAttemptsAndFetchesAreBounded)
{
    NodeLimits limits;
    limits.blockFetchesMax = 2;
    limits.fetchAttemptsMax = 3;
    limits.txFetchesMax = 5;
    Node node = MakeNode(GossipMode::kAnnounce, std::nullopt, limits);
    ConsensusChain view(tc.params);
    Actions out;
    node.Step(0, StartInput{}, out);
    // Three plausible blocks for slots 1..3 (each on genesis: the fetch does not check that).
    const TimeNs t0 = tc.params->SlotStart(3);
    for (uint64_t slot = 1; slot <= 3; ++slot)
    {
        node.Step(
            t0, From(1, EncodeAnnounceBlockMessage(tc.MakeBlock(view, view.Best(), slot)->header)),
            out);
    }
    EXPECT_EQ(SendsOf(out, MessageType::kGetBlock).size(), 2u);
    EXPECT_EQ(node.Counters().fetchesRefused, 1u);
    // Peer 1 never answers: asked three times in all, then given up.
    TimeNs t = t0;
    for (int i = 0; i < 4; ++i)
    {
        t += limits.fetchTimeout;
        node.Step(t, TimerInput{TimerKind::kSlot}, out);
    }
    EXPECT_EQ(node.Counters().blockFetches, 6u) << "two blocks, three asks each";
    EXPECT_EQ(node.Counters().fetchesAbandoned, 2u);
    // Transaction ids: at most txFetchesMax outstanding.
    TxIdsMessage ids;
    for (uint32_t i = 0; i < 8; ++i)
    {
        ids.ids.push_back(Transfer(i).Id());
    }
    out.Clear();
    node.Step(t, From(2, EncodeTxIdsMessage(MessageType::kAnnounceTxs, ids)), out);
    const auto asks = SendsOf(out, MessageType::kGetTxs);
    ASSERT_EQ(asks.size(), 1u);
    EXPECT_EQ(Body<TxIdsMessage>(asks[0]).ids.size(), 5u);
    EXPECT_EQ(node.Counters().fetchesRefused, 4u);
}

TEST_F(GossipNodeTest, TransactionIdsAreAnnouncedInOneBatchAndFetchedWhenMissing)
{
    Node node = MakeNode(GossipMode::kAnnounce);
    Actions out;
    node.Step(0, StartInput{}, out);
    for (uint32_t i = 0; i < 3; ++i)
    {
        node.Step(100 * kMillisecond, SubmitInput{Transfer(i)}, out);
    }
    EXPECT_TRUE(SendsOf(out, MessageType::kAnnounceTxs).empty()) << "held for the batch";
    EXPECT_TRUE(SendsOf(out, MessageType::kTransaction).empty());
    out.Clear();
    node.Step(100 * kMillisecond + NodeLimits{}.txAnnounceInterval, TimerInput{TimerKind::kSlot},
              out);
    const auto batches = SendsOf(out, MessageType::kAnnounceTxs);
    ASSERT_EQ(batches.size(), 2u) << "one batch per peer";
    EXPECT_EQ(Body<TxIdsMessage>(batches[0]).ids.size(), 3u);
    // A peer that announces one it has and one it lacks gets asked for the second only...
    const Transaction fresh = Transfer(5);
    TxIdsMessage announced{{Transfer(0).Id(), fresh.Id()}};
    out.Clear();
    node.Step(200 * kMillisecond, From(1, EncodeTxIdsMessage(MessageType::kAnnounceTxs, announced)),
              out);
    const auto asks = SendsOf(out, MessageType::kGetTxs);
    ASSERT_EQ(asks.size(), 1u);
    EXPECT_EQ(Body<TxIdsMessage>(asks[0]).ids, std::vector<Hash256>{fresh.Id()});
    // ...and answers what others ask for from its mempool.
    out.Clear();
    node.Step(210 * kMillisecond,
              From(2, EncodeTxIdsMessage(MessageType::kGetTxs, {{Transfer(1).Id(), fresh.Id()}})),
              out);
    const auto answers = SendsOf(out, MessageType::kTxs);
    ASSERT_EQ(answers.size(), 1u);
    ASSERT_EQ(Body<TxsMessage>(answers[0]).txs.size(), 1u) << "it does not hold the fresh one";
    EXPECT_EQ(Body<TxsMessage>(answers[0]).txs[0]->Id(), Transfer(1).Id());
}

TEST_F(GossipNodeTest, UnsolicitedFullBlockIsAcceptedAndRelayedInTheNodesMode)
{
    ConsensusChain view(tc.params);
    const BlockPtr block = tc.MakeBlock(view, view.Best(), 1);
    for (GossipMode mode : {GossipMode::kAnnounce, GossipMode::kCompact})
    {
        Node node = MakeNode(mode);
        Actions out;
        node.Step(0, StartInput{}, out);
        out.Clear();
        node.Step(tc.params->SlotStart(1), From(1, EncodeBlockMessage(*block)), out);
        EXPECT_EQ(node.Chain().Best()->hash, block->Hash());
        ASSERT_EQ(out.sends.size(), 1u);
        EXPECT_EQ(out.sends[0].to, 2u);
        EXPECT_EQ(out.sends[0].type, mode == GossipMode::kAnnounce ? MessageType::kAnnounceBlock
                                                                   : MessageType::kCompactBlock);
    }
}

TEST(GossipMessages, EveryNewMessageRoundTripsAndEveryTruncationIsRejected)
{
    test::TestChain tc{4, 8};
    ConsensusChain view(tc.params);
    std::vector<Transaction> txs = {
        MakeTransfer(tc.accounts[0], 0, 10, tc.Czc(), tc.accounts[1].GetAddress(), 1),
        MakeTransfer(tc.accounts[1], 0, 10, tc.Czc(), tc.accounts[2].GetAddress(), 1)};
    const BlockPtr block = tc.MakeBlock(view, view.Best(), 1, txs);
    auto compact = *MakeCompactBlock(*block, 3);
    compact.prefilled.push_back({1, txs[1]});
    compact.shortIds.pop_back();
    const std::vector<SharedBytes> messages = {
        EncodeAnnounceBlockMessage(block->header),
        EncodeGetBlockMessage({block->Hash()}),
        EncodeTxIdsMessage(MessageType::kAnnounceTxs, {{txs[0].Id(), txs[1].Id()}}),
        EncodeTxIdsMessage(MessageType::kGetTxs, {{txs[0].Id()}}),
        EncodeTxsMessage({&txs[0], &txs[1]}),
        EncodeCompactBlockMessage(compact),
        EncodeGetBlockTxnMessage({block->Hash(), {0, 1}}),
        EncodeBlockTxnMessage(block->Hash(), {&txs[1]})};
    for (const SharedBytes& m : messages)
    {
        auto d = DecodeMessage(*m);
        ASSERT_TRUE(d.IsOk()) << MessageTypeName(static_cast<MessageType>((*m)[1])) << ": "
                              << d.GetStatus().Message();
        for (std::size_t cut = 2; cut < m->size(); ++cut)
        {
            EXPECT_FALSE(
                DecodeMessage(Bytes(m->begin(), m->begin() + static_cast<std::ptrdiff_t>(cut)))
                    .IsOk())
                << MessageTypeName(static_cast<MessageType>((*m)[1])) << " cut at " << cut;
        }
        Bytes longer = *m;
        longer.push_back(0);
        EXPECT_FALSE(DecodeMessage(longer).IsOk()) << "trailing byte";
    }
    const auto c = std::get<CompactBlockMessage>(DecodeMessage(*messages[5]).Value().body);
    EXPECT_EQ(c.shortIds, compact.shortIds);
    EXPECT_EQ(c.prefilled.size(), 1u);
}

TEST(GossipMessages, CountsBeyondTheirBoundsOrTheMessageAreRejected)
{
    // kTxIdBatchMax + 1 ids.
    Bytes ids{kMessageVersion, static_cast<uint8_t>(MessageType::kAnnounceTxs)};
    Writer w(ids);
    w.U32(kTxIdBatchMax + 1);
    ids.resize(ids.size() + 32 * (kTxIdBatchMax + 1));
    EXPECT_NE(DecodeMessage(ids).GetStatus().Message().find("exceeds limit"), std::string::npos);
    // A compact block claiming 100,000 short ids in a few bytes.
    test::TestChain tc{4, 1};
    ConsensusChain view(tc.params);
    CompactBlockMessage c;
    c.header = tc.MakeBlock(view, view.Best(), 1)->header;
    Bytes b = *EncodeCompactBlockMessage(c);
    b[b.size() - 8] = 0xa0; // transaction count 100,000 (0x186a0), prefilled 0
    b[b.size() - 7] = 0x86;
    b[b.size() - 6] = 0x01;
    EXPECT_NE(DecodeMessage(b).GetStatus().Message().find("exceed the message"), std::string::npos)
        << DecodeMessage(b).GetStatus().Message();
    // Indexes that are not ascending.
    auto bad = EncodeGetBlockTxnMessage({Hash256{}, {3, 3}});
    EXPECT_FALSE(DecodeMessage(*bad).IsOk());
}

TEST(CompactBlock, ARebuiltBlockIsSharedAndEqualsTheOriginal)
{
    test::TestChain tc{4, 8};
    ConsensusChain view(tc.params);
    std::vector<Transaction> txs = {
        MakeTransfer(tc.accounts[0], 0, 10, tc.Czc(), tc.accounts[1].GetAddress(), 1),
        MakeTransfer(tc.accounts[1], 0, 10, tc.Czc(), tc.accounts[2].GetAddress(), 1)};
    const BlockPtr block = tc.MakeBlock(view, view.Best(), 1, txs);
    const auto compact = *MakeCompactBlock(*block, 7);
    SharedBlockPtr shared[2];
    for (auto& s : shared)
    {
        PartialBlock partial(compact, Mempool(10));
        ASSERT_EQ(partial.Missing().size(), 2u);
        ASSERT_TRUE(partial.Fill({ShareTransaction(txs[0]), ShareTransaction(txs[1])}));
        s = partial.Share();
    }
    EXPECT_EQ(shared[0].get(), shared[1].get()) << "the second rebuild finds the first";
    const SharedBlock& b = *shared[0];
    EXPECT_EQ(b.block->Encode(), block->Encode());
    EXPECT_EQ(*b.wire, *EncodeBlockMessage(*block));
    EXPECT_EQ(b.copy, Blake2b256(block->Encode()));
    EXPECT_EQ(b.txRoot, block->header.txRoot);
    EXPECT_EQ(TxIdsOf(*b.block), (std::vector<Hash256>{txs[0].Id(), txs[1].Id()}));
    EXPECT_EQ(TxIdsOf(*block), TxIdsOf(*b.block)) << "computed for a block not from the memo";
    // Another set of transactions under the same header is another block, whose root fails.
    PartialBlock swapped(compact, Mempool(10));
    ASSERT_TRUE(swapped.Fill({ShareTransaction(txs[1]), ShareTransaction(txs[0])}));
    EXPECT_NE(swapped.Share().get(), shared[0].get());
    EXPECT_NE(swapped.Share()->txRoot, block->header.txRoot);
}

TEST(CompactBlock, ShortIdsDependOnTheSaltAndTheBlock)
{
    const Hash256 tx = Blake2b256(std::string("tx"));
    const Hash256 a = Blake2b256(std::string("a")), b = Blake2b256(std::string("b"));
    EXPECT_NE(ShortTxIdOf(MakeShortIdKey(a, 1), tx), ShortTxIdOf(MakeShortIdKey(a, 2), tx));
    EXPECT_NE(ShortTxIdOf(MakeShortIdKey(a, 1), tx), ShortTxIdOf(MakeShortIdKey(b, 1), tx));
    EXPECT_LT(ShortTxIdOf(MakeShortIdKey(a, 1), tx), uint64_t{1} << 48);
}

} // namespace
} // namespace canon
