// Channel re-establish (issue 18): after a message of an update is lost (a broken connection),
// the two ends exchange re-establishes and the one behind gets what it misses, so the update
// completes or is refused and the channel carries payments again. Endpoint by endpoint over
// encoded messages, then ChannelNode's timeout and a multi-hop payment whose message was lost.
#include "model/channels/channel-node.h"
#include "model/channels/channel-payloads.h"

#include <gtest/gtest.h>

#include <deque>

namespace canon
{
namespace
{

ChannelMessage
Wire(const ChannelMessage& m)
{
    return DecodeChannelMessage(EncodeChannelMessage(m)).Value();
}

class ReestablishTest : public ::testing::Test
{
  protected:
    KeyPair alice = DeriveKeyPair(7, "account", 0);
    KeyPair bob = DeriveKeyPair(7, "account", 1);
    ChannelId id = ChannelIdFor(alice.Public(), 0);
    ChannelEndpoint a{ChannelEndpointConfig{alice, bob.Public(), true, id, 1000, 500, 0}};
    ChannelEndpoint b{ChannelEndpointConfig{bob, alice.Public(), false, id, 1000, 500, 0}};
    uint64_t refused = 0;

    ChannelEndpoint& Other(const ChannelEndpoint* e) { return e == &a ? b : a; }
    // Delivers `m` to `to` and everything the two send after it, until the wire is empty.
    void Exchange(ChannelEndpoint& to, const ChannelMessage& m)
    {
        std::deque<std::pair<ChannelEndpoint*, ChannelMessage>> wire{{&to, m}};
        for (int guard = 0; !wire.empty() && guard < 100; ++guard)
        {
            auto [dest, msg] = wire.front();
            wire.pop_front();
            ChannelStep step = dest->Handle(Wire(msg), 0);
            refused += step.status.IsOk() ? 0u : 1u;
            ChannelEndpoint* back = &Other(dest);
            if (step.reply)
            {
                wire.emplace_back(back, *step.reply);
            }
            for (const ChannelMessage& again : step.resend)
            {
                wire.emplace_back(back, again);
            }
        }
    }
    void ExpectInAgreement(uint64_t seq)
    {
        EXPECT_EQ(a.Latest().state.seq, seq);
        EXPECT_EQ(b.Latest().state, a.Latest().state);
        EXPECT_FALSE(a.Busy());
        EXPECT_FALSE(b.Busy());
        // Each holds the other's revocation of every state before the latest.
        ASSERT_TRUE(a.PeerRevocation());
        ASSERT_TRUE(b.PeerRevocation());
        EXPECT_EQ(a.PeerRevocation()->first, seq - 1);
        EXPECT_EQ(b.PeerRevocation()->first, seq - 1);
    }
};

TEST_F(ReestablishTest, ALostProposeIsSentAgainFromEitherSidesReestablish)
{
    for (bool aStarts : {true, false})
    {
        const uint64_t seq = a.Latest().state.seq;
        auto lost = a.ProposePay(10); // never arrives
        ASSERT_TRUE(lost.IsOk());
        ASSERT_TRUE(a.Busy());
        if (aStarts)
        {
            Exchange(b, a.MakeReestablish(false));
        }
        else
        {
            Exchange(a, b.MakeReestablish(false));
        }
        ExpectInAgreement(seq + 1);
    }
    EXPECT_EQ(b.OwnBalance(), 520u);
    EXPECT_EQ(refused, 0u);
}

TEST_F(ReestablishTest, ALostAcceptIsSentAgainInEachDirection)
{
    // A proposes, B accepts (B is ahead), the Accept is lost; then the same from B to A.
    for (ChannelEndpoint* proposer : {&a, &b})
    {
        ChannelEndpoint& acceptor = Other(proposer);
        const uint64_t seq = a.Latest().state.seq;
        ChannelStep accepted = acceptor.Handle(Wire(proposer->ProposePay(7).Value()), 0);
        ASSERT_TRUE(accepted.status.IsOk());
        EXPECT_EQ(acceptor.Latest().state.seq, seq + 1);
        EXPECT_EQ(proposer->Latest().state.seq, seq);
        // The side behind starts it for the first update, the side ahead for the second.
        if (proposer == &a)
        {
            Exchange(acceptor, proposer->MakeReestablish(false));
        }
        else
        {
            Exchange(*proposer, acceptor.MakeReestablish(false));
        }
        ExpectInAgreement(seq + 1);
    }
    EXPECT_EQ(a.OwnBalance(), 1000u);
    EXPECT_EQ(refused, 0u);
}

TEST_F(ReestablishTest, ALostRevokeIsSentAgain)
{
    ChannelStep accepted = b.Handle(Wire(a.ProposePay(5).Value()), 0);
    ChannelStep completed = a.Handle(Wire(*accepted.reply), 0);
    ASSERT_TRUE(completed.status.IsOk());
    ASSERT_TRUE(completed.reply); // the Revoke, lost
    EXPECT_FALSE(b.PeerRevocation());
    Exchange(a, b.MakeReestablish(false));
    ExpectInAgreement(1);
    EXPECT_EQ(refused, 0u);
}

TEST_F(ReestablishTest, BothSidesMissingSomethingAreBothMadeWhole)
{
    // Update 1 (A's): A's Revoke is lost, so B lacks A's revocation of 0.
    ChannelStep accepted = b.Handle(Wire(a.ProposePay(5).Value()), 0);
    ASSERT_TRUE(a.Handle(Wire(*accepted.reply), 0).status.IsOk());
    // Update 2 (B's): A accepts, the Accept is lost, so B is a state behind.
    ASSERT_TRUE(a.Handle(Wire(b.ProposePay(3).Value()), 0).status.IsOk());
    EXPECT_EQ(a.Latest().state.seq, 2u);
    EXPECT_EQ(b.Latest().state.seq, 1u);
    EXPECT_FALSE(b.PeerRevocation());
    Exchange(a, b.MakeReestablish(false));
    ExpectInAgreement(2);
    EXPECT_EQ(a.OwnBalance(), 998u);
    EXPECT_EQ(refused, 0u);
}

TEST_F(ReestablishTest, TwoLostProposalsAtOnceSettleAsAsGoesFirst)
{
    auto fromA = a.ProposePay(10);
    auto fromB = b.ProposePay(4);
    ASSERT_TRUE(fromA.IsOk() && fromB.IsOk());
    Exchange(b, a.MakeReestablish(false));
    // A's proposal is the one both now hold; B's was refused (its payer fails the payment).
    ExpectInAgreement(1);
    EXPECT_EQ(b.OwnBalance(), 510u);
    EXPECT_EQ(refused, 2u); // A refused B's proposal, and B took A's Reject as its refusal
}

TEST_F(ReestablishTest, BKeepsItsProposalAgainstOneOutOfStepAndTheReestablishMendsIt)
{
    // B proposes 1, A accepts, the Accept is lost: A is at 1, B at 0 with its proposal in flight.
    ASSERT_TRUE(a.Handle(Wire(b.ProposePay(4).Value()), 0).status.IsOk());
    // A proposes 2: B cannot accept it, and does not drop its own for it.
    ChannelStep s = b.Handle(Wire(a.ProposePay(9).Value()), 0);
    EXPECT_FALSE(s.status.IsOk());
    EXPECT_TRUE(s.outOfStep);
    EXPECT_FALSE(s.droppedOwn);
    EXPECT_TRUE(b.Busy());
    Exchange(a, *s.reply); // A takes its proposal back
    Exchange(a, b.MakeReestablish(false));
    ExpectInAgreement(1);
    EXPECT_EQ(a.OwnBalance(), 1004u);
}

TEST_F(ReestablishTest, AForgedOrStaleReestablishIsRefusedAndChangesNothing)
{
    ChannelStep accepted = b.Handle(Wire(a.ProposePay(5).Value()), 0); // the Accept is lost
    ASSERT_TRUE(accepted.status.IsOk());
    // Forged: signed by a key that is not A's.
    auto forged = std::get<ChannelReestablish>(a.MakeReestablish(false));
    forged.sig = DeriveKeyPair(7, "account", 9).Sign(forged.SigningBytes());
    ChannelStep s = b.Handle(Wire(forged), 0);
    EXPECT_FALSE(s.status.IsOk());
    EXPECT_NE(s.status.Message().find("signature"), std::string::npos) << s.status.Message();
    EXPECT_TRUE(s.resend.empty());
    // Signed by A but claiming a state A cannot hold (three ahead of B's).
    ChannelReestablish wild = std::get<ChannelReestablish>(a.MakeReestablish(false));
    wild.latestSeq = 4;
    wild.sig = alice.Sign(wild.SigningBytes());
    s = b.Handle(Wire(wild), 0);
    EXPECT_FALSE(s.status.IsOk());
    EXPECT_NE(s.status.Message().find("cannot follow"), std::string::npos) << s.status.Message();
    // A genuine one works once; the same message again (a replay) is stale.
    const ChannelMessage genuine = a.MakeReestablish(false);
    s = b.Handle(Wire(genuine), 0);
    ASSERT_TRUE(s.status.IsOk()) << s.status.ToString();
    EXPECT_EQ(s.resend.size(), 2u); // B's answer and its Accept sent again
    s = b.Handle(Wire(genuine), 0);
    EXPECT_FALSE(s.status.IsOk());
    EXPECT_NE(s.status.Message().find("stale"), std::string::npos) << s.status.Message();
    EXPECT_TRUE(s.resend.empty());
    EXPECT_EQ(b.Latest().state.seq, 1u);
}

TEST_F(ReestablishTest, AReestablishBelowAStateThePeerRevokedIsRefused)
{
    for (int k = 0; k < 3; ++k)
    {
        ChannelStep accepted = b.Handle(Wire(a.ProposePay(5).Value()), 0);
        ChannelStep done = a.Handle(Wire(*accepted.reply), 0);
        ASSERT_TRUE(b.Handle(Wire(*done.reply), 0).status.IsOk());
    }
    // B holds A's revocation of state 2: a re-establish from A saying it holds only state 2 is
    // an old one (or a lie), even with a fresh round and A's signature.
    ChannelReestablish old = std::get<ChannelReestablish>(a.MakeReestablish(false));
    old.latestSeq = 2;
    old.sig = alice.Sign(old.SigningBytes());
    ChannelStep s = b.Handle(Wire(old), 0);
    EXPECT_FALSE(s.status.IsOk());
    EXPECT_TRUE(s.resend.empty());
}

// ChannelNode: a proposal unanswered for the timeout is re-established, and the payment settles.
struct Pair
{
    std::vector<ChannelNode> nodes;
    std::deque<std::pair<uint32_t, ChannelSend>> wire;
    std::vector<PaymentOutcome> outcomes;
    uint64_t reestablishes = 0;
    TimeNs now = 0;
    int offline = -1; // messages to this node are lost

    explicit Pair(uint32_t n)
    {
        for (uint32_t i = 0; i < n; ++i)
        {
            nodes.emplace_back(i, DeriveKeyPair(8, "account", i));
        }
    }
    ChannelId Connect(uint32_t x, uint32_t y)
    {
        const ChannelId c = ChannelIdFor(nodes[x].Key().Public(), y);
        nodes[x].AddChannel(y, {nodes[x].Key(), nodes[y].Key().Public(), true, c, 1000, 1000, 0});
        nodes[y].AddChannel(x, {nodes[y].Key(), nodes[x].Key().Public(), false, c, 1000, 1000, 0});
        return c;
    }
    void Take(uint32_t from, ChannelOutput& out)
    {
        for (auto& s : out.sends)
        {
            wire.emplace_back(from, std::move(s));
        }
        outcomes.insert(outcomes.end(), out.outcomes.begin(), out.outcomes.end());
        reestablishes += out.reestablishes;
    }
    // Delivers the wire, dropping the `drop`-th message (from 0; none when negative).
    void Deliver(int drop = -1)
    {
        for (int n = 0; !wire.empty() && n < 10000; ++n)
        {
            auto [from, send] = std::move(wire.front());
            wire.pop_front();
            if (n == drop || static_cast<int>(send.to) == offline)
            {
                continue;
            }
            ChannelOutput out;
            nodes[send.to].OnMessage(from, send.bytes, now, out);
            Take(send.to, out);
        }
    }
    void TickAll(TimeNs t)
    {
        now = t;
        for (uint32_t i = 0; i < nodes.size(); ++i)
        {
            ChannelOutput out;
            nodes[i].Tick(t, 3 * kSecond, out);
            Take(i, out);
        }
    }
};

TEST(ReestablishNodeTest, AStalledPaymentSettlesAfterTheTimeoutAndNotBefore)
{
    Pair p(2);
    const ChannelId c = p.Connect(0, 1);
    ChannelOutput out;
    p.nodes[0].PayDirect(c, 10, out);
    p.Take(0, out);
    p.Deliver(1); // the Accept is lost
    EXPECT_FALSE(p.nodes[0].Idle(c));
    p.TickAll(0);
    p.TickAll(2 * kSecond);
    EXPECT_EQ(p.reestablishes, 0u);
    EXPECT_TRUE(p.outcomes.empty());
    p.TickAll(3 * kSecond);
    EXPECT_EQ(p.reestablishes, 1u);
    p.Deliver();
    ASSERT_EQ(p.outcomes.size(), 1u);
    EXPECT_TRUE(p.outcomes[0].settled);
    EXPECT_TRUE(p.nodes[0].Idle(c));
    EXPECT_EQ(p.nodes[1].Find(c)->OwnBalance(), 1010u);
    // And the channel carries the next payment.
    ChannelOutput next;
    p.nodes[0].PayDirect(c, 5, next);
    p.Take(0, next);
    p.Deliver();
    EXPECT_EQ(p.nodes[1].Find(c)->OwnBalance(), 1015u);
}

TEST(ReestablishNodeTest, AMultiHopPaymentWhoseForwardWasLostStillSettlesOnEveryHop)
{
    int stalls = 0;
    for (int drop = 0; drop < 12; ++drop)
    {
        Pair p(3);
        const ChannelId c01 = p.Connect(0, 1);
        const ChannelId c12 = p.Connect(1, 2);
        const Hash256 preimage = Blake2b256(std::string("invoice"));
        p.nodes[2].ExpectPayment(preimage);
        const std::vector<RouteHop> route = {{0, 1, c01, 100}, {1, 2, c12, 100}};
        ChannelOutput out;
        p.nodes[0].PayRoute(route, Blake2b256(preimage.data(), preimage.size()), 0, 10 * kSecond,
                            out);
        p.Take(0, out);
        p.Deliver(drop); // one message of the payment (12 in all) is lost
        for (TimeNs t = 0; t <= 30 * kSecond; t += kSecond)
        {
            p.TickAll(t);
            p.Deliver();
        }
        ASSERT_EQ(p.outcomes.size(), 1u) << "drop " << drop;
        EXPECT_TRUE(p.outcomes[0].settled) << "drop " << drop;
        EXPECT_EQ(p.nodes[0].Find(c01)->OwnBalance(), 900u) << "drop " << drop;
        EXPECT_EQ(p.nodes[1].Find(c12)->OwnBalance(), 900u) << "drop " << drop;
        EXPECT_EQ(p.nodes[2].Find(c12)->OwnBalance(), 1100u) << "drop " << drop;
        EXPECT_TRUE(p.nodes[1].Find(c01)->Latest().state.htlcs.empty()) << "drop " << drop;
        EXPECT_TRUE(p.nodes[1].Find(c12)->Latest().state.htlcs.empty()) << "drop " << drop;
        // Losing a Propose or an Accept stalls its update until a re-establish; a Revoke does not.
        stalls += p.reestablishes > 0 ? 1 : 0;
    }
    EXPECT_EQ(stalls, 8);
}

TEST(ReestablishNodeTest, AnHtlcPastItsExpiryIsTakenBackAndThePaymentFails)
{
    Pair p(3);
    const ChannelId c01 = p.Connect(0, 1);
    const ChannelId c12 = p.Connect(1, 2);
    const Hash256 preimage = Blake2b256(std::string("invoice"));
    p.nodes[2].ExpectPayment(preimage);
    p.offline = 2; // the payee is gone: node 1's forward never arrives
    ChannelOutput out;
    p.nodes[0].PayRoute({{0, 1, c01, 100}, {1, 2, c12, 100}},
                        Blake2b256(preimage.data(), preimage.size()), 0, 10 * kSecond, out);
    p.Take(0, out);
    p.Deliver();
    EXPECT_EQ(p.nodes[1].Find(c01)->Latest().state.htlcs.size(), 1u);
    for (TimeNs t = 0; t <= 19 * kSecond; t += kSecond)
    {
        p.TickAll(t);
        p.Deliver();
    }
    EXPECT_TRUE(p.outcomes.empty()); // not before its expiry (20 s on the first hop)
    for (TimeNs t = 20 * kSecond; t <= 25 * kSecond; t += kSecond)
    {
        p.TickAll(t);
        p.Deliver();
    }
    ASSERT_EQ(p.outcomes.size(), 1u);
    EXPECT_FALSE(p.outcomes[0].settled);
    EXPECT_TRUE(p.nodes[0].Find(c01)->Latest().state.htlcs.empty());
    EXPECT_TRUE(p.nodes[1].Find(c01)->Latest().state.htlcs.empty());
    EXPECT_EQ(p.nodes[0].Find(c01)->OwnBalance(), 1000u);
    EXPECT_EQ(p.nodes[1].Find(c01)->OwnBalance(), 1000u);
    // The payee comes back: the late forward is refused (expired) and nothing moves.
    p.offline = -1;
    for (TimeNs t = 26 * kSecond; t <= 40 * kSecond; t += kSecond)
    {
        p.TickAll(t);
        p.Deliver();
    }
    EXPECT_EQ(p.outcomes.size(), 1u);
    EXPECT_EQ(p.nodes[2].Find(c12)->OwnBalance(), 1000u);
    EXPECT_EQ(p.nodes[1].Find(c12)->OwnBalance(), 1000u);
    EXPECT_TRUE(p.nodes[1].Idle(c12));
}

} // namespace
} // namespace canon
