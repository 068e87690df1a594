// Payment channels (issue 18): the on-chain rules through LedgerState, and the off-chain update
// protocol between two ChannelEndpoints exchanging encoded messages.
#include "model/chain/ledger-state.h"
#include "model/channels/channel-endpoint.h"
#include "model/channels/channel-tx.h"
#include "model/channels/watchtower.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

constexpr TimeNs kPeriod = 10 * kSecond;

class ChannelTest : public ::testing::Test
{
  protected:
    test::TestChain tc{4, 4};
    LedgerState state = LedgerState::FromGenesis(*tc.params);
    Address fees = test::Key("producer-fees").GetAddress();
    const KeyPair& alice = tc.accounts[0];
    const KeyPair& bob = tc.accounts[1];
    const KeyPair& tower = tc.accounts[2];
    TimeNs now = 0;
    ChannelId id{};

    TxSender From(const KeyPair& k)
    {
        return TxSender{&k, state.NonceOf(k.GetAddress()), 1, tc.Czc()};
    }
    Status Apply(const Transaction& tx)
    {
        TxContext ctx = test::Ctx(tc.Czc(), fees);
        ctx.now = now;
        return state.ApplyTransaction(tx, ctx);
    }
    // Opens a 1000/500 channel and returns both ends.
    std::pair<ChannelEndpoint, ChannelEndpoint> Open()
    {
        const TxSender a = From(alice);
        EXPECT_TRUE(Apply(MakeChannelOpenTx(a, bob, 1000, 500, kPeriod)).IsOk());
        id = ChannelIdFor(alice.Public(), a.nonce);
        ChannelEndpointConfig ca{alice, bob.Public(), true, id, 1000, 500, 64};
        ChannelEndpointConfig cb{bob, alice.Public(), false, id, 1000, 500, 64};
        return {ChannelEndpoint(ca), ChannelEndpoint(cb)};
    }
    // One full update over the wire: propose, accept, revoke, each encoded and decoded.
    static void Run(ChannelEndpoint& from, ChannelEndpoint& to, Result<ChannelMessage> propose)
    {
        ASSERT_TRUE(propose.IsOk()) << propose.GetStatus().ToString();
        auto wire = [](const ChannelMessage& m)
        { return DecodeChannelMessage(EncodeChannelMessage(m)).Value(); };
        ChannelStep s1 = to.Handle(wire(propose.Value()), 0);
        ASSERT_TRUE(s1.status.IsOk()) << s1.status.ToString();
        ChannelStep s2 = from.Handle(wire(*s1.reply), 0);
        ASSERT_TRUE(s2.status.IsOk()) << s2.status.ToString();
        ChannelStep s3 = to.Handle(wire(*s2.reply), 0);
        ASSERT_TRUE(s3.status.IsOk()) << s3.status.ToString();
    }
};

TEST_F(ChannelTest, OpenLocksBothDepositsInEscrowAndConservesSupply)
{
    const uint64_t a0 = state.BalanceOf(alice.GetAddress()), b0 = state.BalanceOf(bob.GetAddress());
    Open();
    EXPECT_EQ(state.BalanceOf(alice.GetAddress()), a0 - 1000 - 1);
    EXPECT_EQ(state.BalanceOf(bob.GetAddress()), b0 - 500);
    EXPECT_EQ(state.BalanceOf(ChannelEscrowAddress()), 1500u);
    EXPECT_EQ(state.Channels().channels.at(id).capacity, 1500u);
    EXPECT_EQ(state.TotalSupply(), kTotalSupply);
}

TEST_F(ChannelTest, TheStateRootCoversTheChannelBook)
{
    auto [a, b] = Open();
    const Hash256 open = state.StateRoot();
    EXPECT_EQ(ChannelBookRoot(state.Channels()), ChannelBookRoot(state.Channels()));
    // A unilateral close changes only the channel book (and the closer's fee and nonce); a copy
    // whose book differs in the closing state alone has another root.
    Run(a, b, a.ProposePay(300));
    LedgerState other = state;
    ASSERT_TRUE(Apply(MakeChannelCloseTx(From(alice), a.Latest(), false)).IsOk());
    const Hash256 closing = state.StateRoot();
    EXPECT_NE(open, closing);
    ChannelBook book = state.Channels();
    OnChainChannel c = book.channels.at(id);
    c.closing.balanceA += 1;
    c.closing.balanceB -= 1;
    book.channels[id] = c;
    EXPECT_NE(ChannelBookRoot(book), ChannelBookRoot(state.Channels()));
    EXPECT_NE(other.StateRoot(), closing);
}

TEST_F(ChannelTest, OpenWithAForgedCounterpartySignatureIsRefused)
{
    const TxSender a = From(alice);
    // Bob's signature was for another nonce: it cannot be replayed onto this open.
    Transaction tx =
        MakeChannelOpenTx(TxSender{&alice, a.nonce + 1, 1, tc.Czc()}, bob, 10, 10, kPeriod);
    tx.nonce = a.nonce;
    tx.SignWith(alice);
    Status s = Apply(tx);
    EXPECT_NE(s.Message().find("counterparty's signature"), std::string::npos) << s.Message();
    EXPECT_EQ(state.BalanceOf(ChannelEscrowAddress()), 0u);
}

TEST_F(ChannelTest, CooperativeClosePaysBothAsTheLastStateSays)
{
    auto [a, b] = Open();
    Run(a, b, a.ProposePay(300));
    Run(b, a, b.ProposePay(50));
    const uint64_t a0 = state.BalanceOf(alice.GetAddress()), b0 = state.BalanceOf(bob.GetAddress());
    ASSERT_EQ(a.Latest().state, b.Latest().state);
    ASSERT_TRUE(Apply(MakeChannelCloseTx(From(bob), b.Latest(), true)).IsOk());
    EXPECT_EQ(state.BalanceOf(alice.GetAddress()), a0 + 750);
    EXPECT_EQ(state.BalanceOf(bob.GetAddress()), b0 + 750 - 1);
    EXPECT_EQ(state.BalanceOf(ChannelEscrowAddress()), 0u);
    EXPECT_EQ(state.Channels().channels.at(id).kind, ChannelCloseKind::kCooperative);
    EXPECT_EQ(state.TotalSupply(), kTotalSupply);
}

TEST_F(ChannelTest, StaleCloseLosesTheCheatersWholeDepositToAChallenge)
{
    auto [a, b] = Open();
    Run(a, b, a.ProposePay(100));
    const SignedChannelState old = a.Latest(); // 900 / 600
    Run(a, b, a.ProposePay(700));              // 200 / 1300: Alice would rather have `old`
    ASSERT_TRUE(Apply(MakeChannelCloseTx(From(alice), old, false)).IsOk());
    const uint64_t a0 = state.BalanceOf(alice.GetAddress()), b0 = state.BalanceOf(bob.GetAddress());
    now = kPeriod / 2;
    ASSERT_TRUE(b.PeerRevocation().has_value());
    ChannelChallengePayload ch{id, b.PeerRevocation(), b.Latest()};
    ASSERT_TRUE(Apply(MakeChannelChallengeTx(From(bob), ch)).IsOk());
    EXPECT_EQ(state.BalanceOf(alice.GetAddress()), a0);
    EXPECT_EQ(state.BalanceOf(bob.GetAddress()), b0 + 1500 - 1);
    EXPECT_EQ(state.Channels().channels.at(id).kind, ChannelCloseKind::kPenalty);
    EXPECT_EQ(state.TotalSupply(), kTotalSupply);
    // Nothing more can be taken out.
    now = 2 * kPeriod;
    EXPECT_FALSE(Apply(MakeChannelSettleTx(From(alice), id)).IsOk());
}

TEST_F(ChannelTest, AWatchtowerChallengesForAnOfflineParty)
{
    auto [a, b] = Open();
    Run(a, b, a.ProposePay(100));
    const SignedChannelState old = b.Latest();
    Run(a, b, a.ProposePay(100));
    // Bob holds a state where he has more; he revoked `old` when he accepted. Bob cheats.
    Watchtower watchtower;
    ASSERT_TRUE(watchtower.Watch(id, EvidenceOf(a)));
    ASSERT_TRUE(Apply(MakeChannelCloseTx(From(bob), old, false)).IsOk());
    now = kPeriod;
    auto ch = watchtower.OnClose(id, state.Channels().channels.at(id));
    ASSERT_TRUE(ch.has_value());
    ASSERT_TRUE(Apply(MakeChannelChallengeTx(From(tower), *ch)).IsOk());
    EXPECT_EQ(state.Channels().channels.at(id).kind, ChannelCloseKind::kPenalty);
    EXPECT_EQ(state.TotalSupply(), kTotalSupply);
}

TEST_F(ChannelTest, AWatchtowerNeverChallengesItsClientsOwnHonestClose)
{
    auto [a, b] = Open();
    Run(a, b, a.ProposePay(100));
    Run(b, a, b.ProposePay(10));
    Watchtower watchtower;
    watchtower.Watch(id, EvidenceOf(a));
    ASSERT_TRUE(Apply(MakeChannelCloseTx(From(alice), a.Latest(), false)).IsOk());
    EXPECT_FALSE(watchtower.OnClose(id, state.Channels().channels.at(id)).has_value());
    // Bob's own evidence has nothing against Alice's latest state either.
    EXPECT_FALSE(ChallengeFor(id, state.Channels().channels.at(id), EvidenceOf(b)).has_value());
}

TEST_F(ChannelTest, WithNobodyOnlineTheStaleCloseSettlesAfterThePeriod)
{
    auto [a, b] = Open();
    const SignedChannelState opening = a.Latest();
    Run(a, b, a.ProposePay(400));
    const uint64_t a0 = state.BalanceOf(alice.GetAddress());
    ASSERT_TRUE(Apply(MakeChannelCloseTx(From(alice), opening, false)).IsOk());
    now = kPeriod;
    EXPECT_FALSE(Apply(MakeChannelSettleTx(From(alice), id)).IsOk()) << "period not over";
    now = kPeriod + 1;
    ChannelChallengePayload late{id, b.PeerRevocation(), std::nullopt};
    Status s = Apply(MakeChannelChallengeTx(From(bob), late));
    EXPECT_NE(s.Message().find("challenge period"), std::string::npos) << s.Message();
    ASSERT_TRUE(Apply(MakeChannelSettleTx(From(alice), id)).IsOk());
    EXPECT_EQ(state.BalanceOf(alice.GetAddress()), a0 - 2 + 1000);
    EXPECT_EQ(state.Channels().channels.at(id).kind, ChannelCloseKind::kUnilateral);
    EXPECT_EQ(state.TotalSupply(), kTotalSupply);
}

TEST_F(ChannelTest, ANewerStateWithoutRevocationReplacesTheClosedOneWithoutPenalty)
{
    auto [a, b] = Open();
    const SignedChannelState opening = a.Latest();
    // Alice proposes; Bob accepts, but Alice never sees the accept: she has not revoked seq 0.
    auto propose = a.ProposePay(250);
    ChannelStep accepted = b.Handle(propose.Value(), 0);
    ASSERT_TRUE(accepted.updated);
    ASSERT_TRUE(Apply(MakeChannelCloseTx(From(alice), opening, false)).IsOk());
    ChannelChallengePayload ch{id, std::nullopt, b.Latest()};
    ASSERT_TRUE(Apply(MakeChannelChallengeTx(From(bob), ch)).IsOk());
    const uint64_t a0 = state.BalanceOf(alice.GetAddress()), b0 = state.BalanceOf(bob.GetAddress());
    now = kPeriod + 1;
    ASSERT_TRUE(Apply(MakeChannelSettleTx(From(bob), id)).IsOk());
    EXPECT_EQ(state.BalanceOf(alice.GetAddress()), a0 + 750);
    EXPECT_EQ(state.BalanceOf(bob.GetAddress()), b0 + 750 - 1);
}

TEST_F(ChannelTest, AChallengeWithAnOlderStateOrAnotherKeysRevocationIsRefused)
{
    auto [a, b] = Open();
    Run(a, b, a.ProposePay(10));
    Run(a, b, a.ProposePay(10));
    ASSERT_TRUE(Apply(MakeChannelCloseTx(From(alice), a.Latest(), false)).IsOk());
    ChannelChallengePayload older{id, std::nullopt, a.History().back()};
    EXPECT_FALSE(Apply(MakeChannelChallengeTx(From(bob), older)).IsOk());
    // Bob's own revocation proves nothing against Alice.
    ChannelChallengePayload own{id, std::make_pair(uint64_t{5}, SignRevocation(bob, id, 5)),
                                std::nullopt};
    EXPECT_FALSE(Apply(MakeChannelChallengeTx(From(bob), own)).IsOk());
}

TEST_F(ChannelTest, AReplayedOrForgedUpdateIsRefused)
{
    auto [a, b] = Open();
    auto first = a.ProposePay(100);
    Run(a, b, first);
    // The same propose again: refused, and answered with the Accept again (a duplicate of the
    // state both hold: the proposer's first Accept may have been lost).
    ChannelStep again = b.Handle(first.Value(), 0);
    EXPECT_FALSE(again.status.IsOk());
    EXPECT_NE(again.status.Message().find("replay"), std::string::npos);
    ASSERT_TRUE(again.reply && std::holds_alternative<ChannelAccept>(*again.reply));
    EXPECT_FALSE(a.Handle(*again.reply, 0).status.IsOk()); // A holds it already: refused
    // After another update it is an old one: its seq is no longer next.
    Run(b, a, b.ProposePay(1));
    ChannelStep replay = b.Handle(first.Value(), 0);
    EXPECT_FALSE(replay.status.IsOk());
    EXPECT_NE(replay.status.Message().find("replay"), std::string::npos);
    ASSERT_TRUE(replay.reply && std::holds_alternative<ChannelReject>(*replay.reply));
    // A propose signed by someone else.
    ChannelState forged = b.Latest().state;
    ++forged.seq;
    forged.balanceA -= 100;
    forged.balanceB += 100;
    ChannelPropose p{forged, SignChannelState(tower, forged), std::nullopt, {}};
    EXPECT_NE(b.Handle(p, 0).status.Message().find("signature"), std::string::npos);
    // A propose that takes from Bob instead of paying him.
    ChannelState taking = b.Latest().state;
    ++taking.seq;
    taking.balanceA += 100;
    taking.balanceB -= 100;
    ChannelPropose t{taking, SignChannelState(alice, taking), std::nullopt, {}};
    EXPECT_FALSE(b.Handle(t, 0).status.IsOk());
    EXPECT_EQ(b.Latest().state.seq, 2u);
}

TEST_F(ChannelTest, AnHtlcInTheClosedStateGoesToThePayeeWithThePreimage)
{
    auto [a, b] = Open();
    const Hash256 preimage = Blake2b256(std::string("secret"));
    const Hash256 hash = Blake2b256(preimage.data(), preimage.size());
    Run(a, b, a.ProposeAdd(hash, 300, 5 * kSecond));
    ASSERT_EQ(b.Latest().state.htlcs.size(), 1u);
    ASSERT_TRUE(Apply(MakeChannelCloseTx(From(bob), b.Latest(), false)).IsOk());
    now = kSecond;
    EXPECT_FALSE(Apply(MakeChannelHtlcClaimTx(From(bob), id, Blake2b256(std::string("x")))).IsOk());
    ASSERT_TRUE(Apply(MakeChannelHtlcClaimTx(From(bob), id, preimage)).IsOk());
    const uint64_t b0 = state.BalanceOf(bob.GetAddress());
    now = kPeriod + 1;
    ASSERT_TRUE(Apply(MakeChannelSettleTx(From(alice), id)).IsOk());
    EXPECT_EQ(state.BalanceOf(bob.GetAddress()), b0 + 800);
    EXPECT_EQ(state.TotalSupply(), kTotalSupply);
}

TEST_F(ChannelTest, AnUnclaimedHtlcGoesBackToItsOfferer)
{
    auto [a, b] = Open();
    const Hash256 hash = Blake2b256(std::string("never shown"));
    Run(a, b, a.ProposeAdd(hash, 300, 5 * kSecond));
    ASSERT_TRUE(Apply(MakeChannelCloseTx(From(alice), a.Latest(), false)).IsOk());
    const uint64_t a0 = state.BalanceOf(alice.GetAddress());
    now = kPeriod + 1;
    ASSERT_TRUE(Apply(MakeChannelSettleTx(From(bob), id)).IsOk());
    EXPECT_EQ(state.BalanceOf(alice.GetAddress()), a0 + 1000);
}

TEST_F(ChannelTest, HtlcMovesNeedThePreimageOrTheExpiry)
{
    auto [a, b] = Open();
    const Hash256 preimage = Blake2b256(std::string("p"));
    const Hash256 hash = Blake2b256(preimage.data(), preimage.size());
    Run(a, b, a.ProposeAdd(hash, 100, 5 * kSecond));
    EXPECT_FALSE(a.ProposeExpire(hash, kSecond).IsOk()) << "not expired yet";
    EXPECT_FALSE(b.ProposeFulfil(Blake2b256(std::string("wrong"))).IsOk());
    Run(b, a, b.ProposeFulfil(preimage));
    EXPECT_EQ(a.Latest().state.balanceB, 600u);
    EXPECT_TRUE(a.Latest().state.htlcs.empty());
}

TEST_F(ChannelTest, MessagesRoundTripAndBadBytesAreRefusedWithAReason)
{
    ChannelReject r{Blake2b256(std::string("c")), 7, "no"};
    const Bytes good = EncodeChannelMessage(r);
    auto back = DecodeChannelMessage(good);
    ASSERT_TRUE(back.IsOk());
    EXPECT_EQ(std::get<ChannelReject>(back.Value()).reason, "no");
    Bytes truncated(good.begin(), good.end() - 1);
    EXPECT_EQ(DecodeChannelMessage(truncated).GetStatus().Code(), StatusCode::kMalformed);
    Bytes trailing = good;
    trailing.push_back(0);
    EXPECT_FALSE(DecodeChannelMessage(trailing).IsOk());
    Bytes unknown = good;
    unknown[1] = 59;
    EXPECT_NE(DecodeChannelMessage(unknown).GetStatus().Message().find("unknown channel message"),
              std::string::npos);
    ChannelChallengePayload empty{r.channel, std::nullopt, std::nullopt};
    EXPECT_FALSE(ChannelChallengePayload::Decode(empty.Encode()).IsOk());
}

} // namespace
} // namespace canon
