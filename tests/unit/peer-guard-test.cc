#include "model/node/peer-guard.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

constexpr PeerId kPeer = 7;

MessageInput
TxMessage(PeerId from, uint64_t nonce)
{
    const KeyPair k = KeyPair::FromSeed(Hash256{});
    return {from, EncodeTransactionMessage(MakeTransfer(k, nonce, 1, Hash256{}, Address{}, 1))};
}

MessageInput
Junk(PeerId from)
{
    return {from, std::make_shared<const Bytes>(Bytes{kMessageVersion, 2, 0xff})};
}

// What Node records when it refuses a message for `reason`.
void
NodeDrop(PeerId from, MessageType type, const std::string& reason, Actions& out)
{
    NodeEvent ev;
    ev.kind = NodeEventKind::kMessageDropped;
    ev.peer = from;
    ev.messageType = type;
    ev.reason = reason;
    out.events.push_back(ev);
}

std::size_t
Bans(const Actions& out)
{
    std::size_t n = 0;
    for (const NodeEvent& ev : out.events)
    {
        n += ev.messageType == kConnectionEvent ? 1 : 0;
    }
    return n;
}

PeerGuardConfig
ScoresOn()
{
    PeerGuardConfig c;
    c.scores = true;
    return c;
}

TEST(PeerGuard, WithEveryDefenceOffItOnlyDecodes)
{
    PeerGuard g;
    Actions out;
    uint64_t dropped = 0;
    for (int i = 0; i < 1000; ++i)
    {
        EXPECT_TRUE(g.Admit(i, TxMessage(kPeer, 0), dropped, out));
        NodeDrop(kPeer, MessageType::kBlock, "block 1: invalid: bad signature", out);
        g.Observe(i, kPeer, 0, out);
    }
    EXPECT_FALSE(g.Banned(kPeer, 1000));
    EXPECT_EQ(dropped, 0u);
    EXPECT_EQ(g.Records(), 0u);
}

TEST(PeerGuard, TwoInvalidBlocksBanTheirSenderAndItsMessagesAreDiscarded)
{
    PeerGuard g(ScoresOn());
    Actions out;
    NodeDrop(kPeer, MessageType::kBlock, "block 1a2b: invalid: wrong Merkle root", out);
    g.Observe(0, kPeer, 0, out);
    EXPECT_FALSE(g.Banned(kPeer, 0));
    EXPECT_DOUBLE_EQ(g.Score(kPeer, 0), 50);
    const std::size_t first = out.events.size();
    NodeDrop(kPeer, MessageType::kBlock, "block 3c4d: invalid: timestamp", out);
    g.Observe(0, kPeer, first, out);
    EXPECT_TRUE(g.Banned(kPeer, 0));
    EXPECT_EQ(Bans(out), 1u);
    EXPECT_EQ(out.events.back().reason.rfind("peer banned: score 100", 0), 0u);

    uint64_t dropped = 0;
    Actions later;
    EXPECT_FALSE(g.Admit(kSecond, TxMessage(kPeer, 0), dropped, later));
    EXPECT_TRUE(later.events.empty()); // discarded unread, not traced one by one
    EXPECT_EQ(g.Counters().bannedDiscarded, 1u);
    EXPECT_TRUE(g.Admit(kSecond, TxMessage(kPeer + 1, 0), dropped, later)); // others unaffected
}

TEST(PeerGuard, DropsAnHonestRelayCanCauseScoreNothing)
{
    PeerGuard g(ScoresOn());
    Actions out;
    NodeDrop(kPeer, MessageType::kTransaction, "transaction 1a: stale CZC hash", out);
    NodeDrop(kPeer, MessageType::kTransaction, "transaction 1a: invalid: nonce 3 expected 2", out);
    NodeDrop(kPeer, MessageType::kTransaction, "transaction 1a: resource-limit: pool full", out);
    NodeDrop(kPeer, MessageType::kBlock, "block 1a: too-early: slot 9", out);
    NodeDrop(kPeer, MessageType::kBlock,
             "block 1a: invalid: block forks below the irreversible block at height 4", out);
    NodeDrop(kPeer, MessageType::kBlock, "orphan block 1a: resource-limit: pool full", out);
    g.Observe(0, kPeer, 0, out);
    EXPECT_DOUBLE_EQ(g.Score(kPeer, 0), 0);
    EXPECT_EQ(g.Counters().scoredDrops, 0u);
}

TEST(PeerGuard, OnlyDropsNamingTheSenderCount)
{
    PeerGuard g(ScoresOn());
    Actions out;
    NodeDrop(kPeer + 1, MessageType::kBlock, "block 1: invalid: x", out);
    g.Observe(0, kPeer, 0, out);
    EXPECT_DOUBLE_EQ(g.Score(kPeer, 0), 0);
}

TEST(PeerGuard, ScoresDecaySoRareMistakesNeverAddUpToABan)
{
    PeerGuardConfig c = ScoresOn();
    c.decayPerSecond = 1;
    PeerGuard g(c);
    for (int minute = 0; minute < 30; ++minute)
    {
        Actions out;
        NodeDrop(kPeer, MessageType::kBlock, "block 1: invalid: x", out);
        g.Observe(minute * 60 * kSecond, kPeer, 0, out);
        EXPECT_EQ(Bans(out), 0u);
    }
    EXPECT_DOUBLE_EQ(g.Score(kPeer, 29 * 60 * kSecond + 20 * kSecond), 30);
}

TEST(PeerGuard, UndecodableMessagesScoreTheirSenderUntilBanned)
{
    PeerGuard g(ScoresOn());
    uint64_t dropped = 0;
    int sent = 0;
    while (!g.Banned(kPeer, 0) && sent < 100)
    {
        Actions out;
        EXPECT_FALSE(g.Admit(0, Junk(kPeer), dropped, out));
        g.Observe(0, kPeer, 0, out);
        ++sent;
    }
    EXPECT_EQ(sent, 5); // 20 points each, banned at 100
    EXPECT_EQ(dropped, 5u);
}

TEST(PeerGuard, RateLimitDropsMessagesBeyondTheBurstAndRefillsWithTime)
{
    PeerGuardConfig c;
    c.messagesPerSecond = 10;
    c.burstSeconds = 1;
    PeerGuard g(c);
    uint64_t dropped = 0;
    Actions out;
    int admitted = 0;
    for (uint64_t i = 0; i < 50; ++i)
    {
        admitted += g.Admit(0, TxMessage(kPeer, i), dropped, out) ? 1 : 0;
    }
    EXPECT_EQ(admitted, 10);
    EXPECT_EQ(dropped, 40u);
    EXPECT_EQ(out.events.back().reason, "rate limit: 10/s per type");
    // Another type has its own bucket; half a second later five more transactions fit.
    EXPECT_TRUE(g.Admit(0, Junk(kPeer) /* claims kBlock */, dropped, out) == std::nullopt);
    EXPECT_EQ(out.events.back().reason.rfind("malformed", 0), 0u);
    admitted = 0;
    for (uint64_t i = 0; i < 50; ++i)
    {
        admitted += g.Admit(kSecond / 2, TxMessage(kPeer, 100 + i), dropped, out) ? 1 : 0;
    }
    EXPECT_EQ(admitted, 5);
}

TEST(PeerGuard, FloodBeyondTheRateEndsInABan)
{
    PeerGuardConfig c = ScoresOn();
    c.messagesPerSecond = 10;
    PeerGuard g(c);
    uint64_t dropped = 0;
    std::size_t bans = 0;
    for (uint64_t i = 0; i < 200; ++i)
    {
        Actions out;
        g.Admit(0, TxMessage(kPeer, i), dropped, out);
        g.Observe(0, kPeer, 0, out);
        bans += Bans(out);
    }
    EXPECT_EQ(bans, 1u);
    EXPECT_EQ(g.Counters().rateLimited, 100u); // 20 in the burst, 100 points over, then banned
    EXPECT_EQ(g.Counters().bannedDiscarded, 80u);
}

TEST(PeerGuard, SignatureBudgetStopsVerificationBeyondItsRate)
{
    PeerGuardConfig c;
    c.signaturesPerSecond = 4;
    c.burstSeconds = 1;
    PeerGuard g(c);
    uint64_t dropped = 0;
    Actions out;
    int admitted = 0;
    for (uint64_t i = 0; i < 10; ++i)
    {
        admitted += g.Admit(0, TxMessage(kPeer, i), dropped, out) ? 1 : 0;
    }
    EXPECT_EQ(admitted, 4);
    EXPECT_EQ(g.Counters().signatureLimited, 6u);
    EXPECT_EQ(out.events.back().reason, "signature budget: 4/s checks");
    // Messages without signatures to check pass.
    GetBlocksMessage m;
    EXPECT_TRUE(g.Admit(0, {kPeer, EncodeGetBlocksMessage(m)}, dropped, out));
}

TEST(PeerGuard, BanExpiresAndThePeerStartsAgainFromZero)
{
    PeerGuardConfig c = ScoresOn();
    c.banDuration = 10 * kSecond;
    PeerGuard g(c);
    Actions out;
    NodeDrop(kPeer, MessageType::kBlock, "block 1: invalid: x", out);
    NodeDrop(kPeer, MessageType::kBlock, "block 2: invalid: x", out);
    g.Observe(0, kPeer, 0, out);
    EXPECT_TRUE(g.Banned(kPeer, 10 * kSecond - 1));
    EXPECT_FALSE(g.Banned(kPeer, 10 * kSecond));
    uint64_t dropped = 0;
    EXPECT_TRUE(g.Admit(10 * kSecond, TxMessage(kPeer, 0), dropped, out));
    EXPECT_DOUBLE_EQ(g.Score(kPeer, 10 * kSecond), 0);
}

TEST(PeerGuard, PeerRecordsStayWithinTheirBoundAndBannedPeersAreKeptLongest)
{
    PeerGuardConfig c = ScoresOn();
    c.peersMax = 4;
    PeerGuard g(c);
    Actions out;
    NodeDrop(1, MessageType::kBlock, "block 1: invalid: x", out);
    NodeDrop(1, MessageType::kBlock, "block 2: invalid: x", out);
    g.Observe(0, 1, 0, out);
    ASSERT_TRUE(g.Banned(1, 0));
    uint64_t dropped = 0;
    for (PeerId p = 2; p < 200; ++p)
    {
        g.Admit(0, Junk(p), dropped, out);
        EXPECT_LE(g.Records(), 4u);
    }
    EXPECT_TRUE(g.Banned(1, 0));
}

} // namespace
} // namespace canon
