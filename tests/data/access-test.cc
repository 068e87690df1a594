// Access control (paper 3.4): the transactions' rules in the ledger, the cryptography, the
// request protocol's codec, the device's checks under both grant rules, and a Node serving a
// request from its own chain.
#include "model/data/access-tx.h"
#include "model/data/data-client.h"
#include "model/data/data-node-service.h"
#include "model/data/data-service.h"
#include "model/node/node.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

#include <sodium.h>

namespace canon
{
namespace
{

class AccessTest : public ::testing::Test
{
  protected:
    test::TestChain tc{4, 3};
    LedgerState state = LedgerState::FromGenesis(*tc.params);
    KeyPair owner = test::Key("owner");
    KeyPair alice = test::Key("alice");
    KeyPair bob = test::Key("bob");
    Bytes data = Bytes{'t', 'e', 'm', 'p', ' ', '2', '1', '.', '5'};
    Hash256 digest = Blake2b256(data);
    Hash256 stream = StreamIdOf(digest);
    DataKey key = DeriveDataKey(Blake2b256(std::string("owner secret")), 1);
    uint64_t ownerNonce = 0;

    TxSigner Signer(const KeyPair& k, uint64_t nonce) const
    {
        return TxSigner{k, nonce, 0, tc.Czc()};
    }
    Status Apply(const Transaction& tx, uint64_t height = 1)
    {
        TxContext c = test::Ctx(tc.Czc(), test::Key("fees").GetAddress());
        c.height = height;
        return state.ApplyTransaction(tx, c);
    }
    Status OwnerApplies(const Transaction& tx)
    {
        Status s = Apply(tx);
        ownerNonce += s.IsOk() ? 1u : 0u;
        return s;
    }
    Transaction Register() { return MakeRegisterStreamTx(Signer(owner, ownerNonce), digest); }
    Transaction Grant(const KeyPair& to, uint32_t version = 1)
    {
        return MakeGrantTx(Signer(owner, ownerNonce), stream, to.Public(), version, key);
    }
    Transaction Revoke(const KeyPair& who)
    {
        return MakeRevokeTx(Signer(owner, ownerNonce), stream, who.GetAddress());
    }
    DataServer Device(GrantRule rule)
    {
        DataServerConfig c;
        c.rule = rule;
        DataServer d(c);
        d.Hold(stream, HeldStream{1, EncryptData(key, data)});
        return d;
    }
};

TEST_F(AccessTest, OwnerRegistersGrantsAndRevokesAndTheRecordsStay)
{
    ASSERT_TRUE(OwnerApplies(Register()).IsOk());
    const StreamRecord* s = state.Access().FindStream(stream);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->owner, owner.GetAddress());
    ASSERT_TRUE(OwnerApplies(Grant(alice)).IsOk());
    EXPECT_EQ(GrantStatusIn(state, stream, alice.GetAddress()), DataRefusal::kNone);
    EXPECT_EQ(GrantStatusIn(state, stream, bob.GetAddress()), DataRefusal::kNoGrant);
    ASSERT_TRUE(OwnerApplies(Revoke(alice)).IsOk());
    const GrantRecord* g = state.Access().FindGrant(stream, alice.GetAddress());
    ASSERT_NE(g, nullptr); // a revoked grant stays as a public record
    EXPECT_FALSE(g->Live());
    EXPECT_EQ(GrantStatusIn(state, stream, alice.GetAddress()), DataRefusal::kRevoked);
    ASSERT_TRUE(OwnerApplies(Grant(alice, 2)).IsOk()); // granted again, under a rotated key
    EXPECT_EQ(GrantStatusIn(state, stream, alice.GetAddress()), DataRefusal::kNone);
    EXPECT_EQ(state.TotalSupply(), kTotalSupply);
}

TEST_F(AccessTest, TheRulesRefuseWhatOnlyTheOwnerMayDoOrWhatIsAlreadyDone)
{
    EXPECT_NE(OwnerApplies(Grant(alice)).Message().find("is not registered"), std::string::npos);
    ASSERT_TRUE(OwnerApplies(Register()).IsOk());
    Status again = OwnerApplies(Register());
    EXPECT_NE(again.Message().find("already registered"), std::string::npos) << again.ToString();
    Status stranger =
        Apply(MakeGrantTx(Signer(bob, 0), stream, alice.Public(), 1, key)); // bob owns nothing
    EXPECT_NE(stranger.Message().find("not by the sender"), std::string::npos);
    EXPECT_NE(OwnerApplies(Grant(owner)).Message().find("its own owner"), std::string::npos);
    EXPECT_NE(OwnerApplies(Revoke(alice)).Message().find("no live grant"), std::string::npos);
    ASSERT_TRUE(OwnerApplies(Grant(alice)).IsOk());
    ASSERT_TRUE(OwnerApplies(Revoke(alice)).IsOk());
    EXPECT_NE(OwnerApplies(Revoke(alice)).Message().find("no live grant"), std::string::npos);
    Transaction bad =
        MakeTransaction(owner, TxType::kDataGrant, ownerNonce, 0, tc.Czc(), Bytes(10, 0));
    EXPECT_EQ(Apply(bad).Code(), StatusCode::kMalformed);
    EXPECT_EQ(state.NonceOf(owner.GetAddress()), ownerNonce); // refused ones change nothing
}

TEST_F(AccessTest, OnlyTheGranteeOpensTheSealedKeyAndOnlyThatKeyOpensTheData)
{
    const Transaction g = Grant(alice);
    const auto p = GrantPayload::Decode(g.payload).Value();
    EXPECT_EQ(Grant(alice).Encode(), g.Encode()); // deterministic: same run, same bytes
    auto opened = OpenSealedKey(alice, p.sealedKey);
    ASSERT_TRUE(opened.IsOk());
    EXPECT_EQ(opened.Value(), key);
    EXPECT_FALSE(OpenSealedKey(bob, p.sealedKey).IsOk());
    SealedKey tampered = p.sealedKey;
    tampered[40] ^= 1;
    EXPECT_FALSE(OpenSealedKey(alice, tampered).IsOk());
    // The construction is libsodium's sealed box: crypto_box_seal_open opens it unchanged.
    FixedBytes<32> pk{};
    ASSERT_EQ(crypto_sign_ed25519_pk_to_curve25519(pk.data(), alice.Public().data()), 0);
    const FixedBytes<32> sk = alice.BoxSecret();
    DataKey raw{};
    ASSERT_EQ(crypto_box_seal_open(raw.data(), p.sealedKey.data(), p.sealedKey.size(), pk.data(),
                                   sk.data()),
              0);
    EXPECT_EQ(raw, key);

    const EncryptedData e = EncryptData(key, data);
    EXPECT_EQ(DecryptData(key, e).Value(), data);
    EXPECT_FALSE(DecryptData(DeriveDataKey(Blake2b256(std::string("owner secret")), 2), e).IsOk());
    EncryptedData flipped = e;
    flipped.ciphertext[0] ^= 1;
    EXPECT_FALSE(DecryptData(key, flipped).IsOk());
}

TEST_F(AccessTest, RequestsAndResponsesRoundTripAndBadBytesAreRefusedWithAReason)
{
    DataClient client(alice);
    const DataRequest q = client.MakeRequest(5 * kSecond, stream);
    const SharedBytes qb = EncodeDataRequest(q);
    auto dq = DecodeDataMessage(*qb);
    ASSERT_TRUE(dq.IsOk());
    EXPECT_EQ(EncodeDataRequest(std::get<DataRequest>(dq.Value().body))->size(), qb->size());
    EXPECT_TRUE(std::get<DataRequest>(dq.Value().body).HasValidSignature());

    DataResponse r;
    r.requestId = 7;
    r.stream = stream;
    r.decision = DataDecision::kServed;
    r.keyVersion = 1;
    r.data = EncryptData(key, data);
    const SharedBytes rb = EncodeDataResponse(r);
    auto dr = DecodeDataMessage(*rb);
    ASSERT_TRUE(dr.IsOk());
    EXPECT_EQ(*EncodeDataResponse(std::get<DataResponse>(dr.Value().body)), *rb);

    Bytes trailing = *qb;
    trailing.push_back(0);
    EXPECT_NE(DecodeDataMessage(trailing).GetStatus().Message().find("trailing"),
              std::string::npos);
    Bytes badReason = *rb;
    badReason[2 + 8 + 32 + 1] = 2; // served, with a reason
    EXPECT_NE(DecodeDataMessage(badReason).GetStatus().Message().find("no reason"),
              std::string::npos);
    badReason[2 + 8 + 32 + 1] = 200;
    EXPECT_NE(DecodeDataMessage(badReason).GetStatus().Message().find("unknown refusal"),
              std::string::npos);
    DataResponse refusal;
    refusal.reason = DataRefusal::kNoGrant;
    Bytes withData = *EncodeDataResponse(refusal);
    withData[2 + 8 + 32 + 2] = 1; // key version on a refusal
    EXPECT_NE(DecodeDataMessage(withData).GetStatus().Message().find("refusal carries data"),
              std::string::npos);
    EXPECT_FALSE(DecodeDataMessage(Bytes(qb->begin(), qb->end() - 1)).IsOk());
}

TEST_F(AccessTest, DeviceRefusesWithoutAGrantRevokedForgedReplayedOrStale)
{
    ASSERT_TRUE(OwnerApplies(Register()).IsOk());
    const LedgerState registered = state;
    ASSERT_TRUE(OwnerApplies(Grant(alice)).IsOk());
    DataServer device = Device(GrantRule::kBestChain);
    DataClient a(alice), b(bob);
    const TimeNs now = 10 * kSecond;
    auto answer = [&](const DataRequest& q) { return device.Answer(now, q, state, state).reason; };
    EXPECT_EQ(answer(b.MakeRequest(now, stream)), DataRefusal::kNoGrant);
    const DataRequest good = a.MakeRequest(now, stream);
    EXPECT_EQ(answer(good), DataRefusal::kNone);
    EXPECT_EQ(answer(good), DataRefusal::kReplayed);
    DataRequest forged = a.MakeRequest(now, stream);
    forged.requester = bob.Public(); // bob's name on alice's signature
    EXPECT_EQ(answer(forged), DataRefusal::kBadSignature);
    EXPECT_EQ(answer(a.MakeRequest(now - 31 * kSecond, stream)), DataRefusal::kStale);
    EXPECT_EQ(answer(a.MakeRequest(now, Blake2b256(std::string("x")))),
              DataRefusal::kUnknownStream);
    EXPECT_EQ(device.Answer(now, a.MakeRequest(now, stream), registered, registered).reason,
              DataRefusal::kNoGrant);
    ASSERT_TRUE(OwnerApplies(Revoke(alice)).IsOk());
    EXPECT_EQ(answer(a.MakeRequest(now, stream)), DataRefusal::kRevoked);
    EXPECT_EQ(device.Counters().served, 1u);
}

TEST_F(AccessTest, TheGrantRuleChoosesWhichChainStateTheDeviceReads)
{
    ASSERT_TRUE(OwnerApplies(Register()).IsOk());
    const LedgerState before = state; // irreversible: registered, no grant yet
    ASSERT_TRUE(OwnerApplies(Grant(alice)).IsOk());
    DataClient a(alice);
    DataServer best = Device(GrantRule::kBestChain);
    DataServer irreversible = Device(GrantRule::kIrreversible);
    EXPECT_EQ(best.Answer(0, a.MakeRequest(0, stream), state, before).reason, DataRefusal::kNone);
    EXPECT_EQ(irreversible.Answer(0, a.MakeRequest(0, stream), state, before).reason,
              DataRefusal::kNoGrant);
    const LedgerState granted = state;
    ASSERT_TRUE(OwnerApplies(Revoke(alice)).IsOk()); // best chain revoked, not yet irreversible
    EXPECT_EQ(best.Answer(0, a.MakeRequest(0, stream), state, granted).reason,
              DataRefusal::kRevoked);
    EXPECT_EQ(irreversible.Answer(0, a.MakeRequest(0, stream), state, granted).reason,
              DataRefusal::kNone);
}

TEST_F(AccessTest, ClientOpensServedDataOnlyUnderTheKeyItsGrantSeals)
{
    ASSERT_TRUE(OwnerApplies(Register()).IsOk());
    ASSERT_TRUE(OwnerApplies(Grant(alice)).IsOk());
    DataServer device = Device(GrantRule::kBestChain);
    DataClient a(alice);
    const DataRequest q = a.MakeRequest(0, stream);
    const DataResponse r = device.Answer(kMillisecond, q, state, state);
    auto o = a.OnResponse(3 * kMillisecond, r, 100, state);
    ASSERT_TRUE(o.has_value());
    EXPECT_TRUE(o->readable);
    EXPECT_EQ(o->latency, 3 * kMillisecond);
    EXPECT_FALSE(a.OnResponse(4 * kMillisecond, r, 100, state).has_value()); // answered already
    EXPECT_EQ(a.Unmatched(), 1u);
    // The owner rotates its key: the device now holds data a version-1 key cannot open.
    const DataKey rotated = DeriveDataKey(Blake2b256(std::string("owner secret")), 2);
    device.Hold(stream, HeldStream{2, EncryptData(rotated, data)});
    const DataResponse r2 = device.Answer(kMillisecond, a.MakeRequest(0, stream), state, state);
    ASSERT_EQ(r2.decision, DataDecision::kServed);
    EXPECT_FALSE(a.OnResponse(2 * kMillisecond, r2, 100, state)->readable);
}

TEST_F(AccessTest, ANodeServesARequestFromItsOwnChainAndRefusesWithoutAGrant)
{
    ConsensusChain view(tc.params);
    std::vector<Transaction> txs{Register()};
    ++ownerNonce;
    txs.push_back(Grant(alice));
    BlockPtr block = tc.MakeBlock(view, view.Best(), 1, txs);
    NodeConfig c;
    c.params = tc.params;
    c.peers = {1, 2};
    auto shared = std::make_shared<DataServiceShared>();
    auto service = std::make_shared<DataNodeService>(0, shared);
    service->MakeDevice(Device(GrantRule::kBestChain).Config());
    service->Device()->Hold(stream, HeldStream{1, EncryptData(key, data)});
    NodeConfig plain = c;
    c.services.push_back(service);
    Node node(c);
    Actions out;
    node.Step(0, StartInput{}, out);
    node.Step(tc.params->SlotStart(1), MessageInput{1, EncodeBlockMessage(*block)}, out);
    ASSERT_EQ(node.Chain().Best()->height, 1u);
    DataClient a(alice), b(bob);
    for (DataClient* client : {&a, &b})
    {
        out.Clear();
        const TimeNs now = tc.params->SlotStart(1) + kMillisecond;
        node.Step(now, MessageInput{2, EncodeDataRequest(client->MakeRequest(now, stream))}, out);
        ASSERT_EQ(out.sends.size(), 1u);
        EXPECT_EQ(out.sends[0].to, 2u);
        auto decoded = DecodeDataMessage(*out.sends[0].bytes);
        ASSERT_TRUE(decoded.IsOk());
        const auto& r = std::get<DataResponse>(decoded.Value().body);
        auto o = client->OnResponse(now, r, out.sends[0].bytes->size(), node.Chain().BestState());
        ASSERT_TRUE(o.has_value());
        EXPECT_EQ(o->decision, client == &a ? DataDecision::kServed : DataDecision::kRefused);
        EXPECT_EQ(o->readable, client == &a);
    }
    // A node whose service is neither device nor requester, and a node without the service:
    // traced drops.
    NodeConfig bare = plain;
    bare.services.push_back(std::make_shared<DataNodeService>(0, shared));
    Node other(bare);
    out.Clear();
    other.Step(0, MessageInput{1, EncodeDataRequest(a.MakeRequest(0, stream))}, out);
    DataResponse refusal;
    refusal.reason = DataRefusal::kNoGrant;
    other.Step(0, MessageInput{1, EncodeDataResponse(refusal)}, out);
    other.Step(0, MessageInput{1, std::make_shared<const Bytes>(Bytes{1, 35, 0})}, out);
    ASSERT_EQ(out.events.size(), 3u);
    EXPECT_EQ(out.events[0].reason, "this node serves no data");
    EXPECT_EQ(out.events[1].reason, "this node makes no data requests");
    EXPECT_NE(out.events[2].reason.find("data message"), std::string::npos);
    EXPECT_TRUE(out.sends.empty());
    Node none(plain);
    out.Clear();
    none.Step(0, MessageInput{1, EncodeDataRequest(a.MakeRequest(0, stream))}, out);
    ASSERT_EQ(out.events.size(), 1u);
    EXPECT_NE(out.events[0].reason.find("DecodeDataMessage"), std::string::npos);
    EXPECT_TRUE(out.sends.empty());
}

} // namespace
} // namespace canon
