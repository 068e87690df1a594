#include "model/node/light-node.h"
#include "model/node/node.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace canon
{
namespace
{

constexpr PeerId kFull = 0;
constexpr PeerId kLight = 1;

class LightNodeTest : public ::testing::Test
{
  protected:
    test::TestChain tc{4, 3};
    ConsensusChain view{tc.params}; // the full chain the headers come from

    LightNode MakeLight(LightNodeLimits limits = {})
    {
        LightNodeConfig c;
        c.id = kLight;
        c.params = tc.params;
        c.peers = {kFull, 2};
        c.limits = limits;
        return LightNode(c);
    }

    // A block on `parent` in `slot`, added to `view`; returns its header.
    BlockHeader Extend(const BlockEntry* parent, uint64_t slot, std::vector<Transaction> txs = {})
    {
        auto b = tc.MakeBlock(view, parent, slot, std::move(txs));
        auto r = view.AddBlock(b, test::TestChain::Size(b), tc.params->SlotStart(slot));
        EXPECT_TRUE(r.status.IsOk()) << r.status.ToString();
        return b->header;
    }
    const BlockEntry* Entry(const BlockHeader& h) const { return view.Find(h.Hash()); }

    static std::size_t Count(const Actions& a, NodeEventKind kind)
    {
        return static_cast<std::size_t>(std::count_if(a.events.begin(), a.events.end(),
                                                      [kind](const NodeEvent& e)
                                                      { return e.kind == kind; }));
    }
    static std::size_t Sends(const Actions& a, MessageType type)
    {
        return static_cast<std::size_t>(std::count_if(a.sends.begin(), a.sends.end(),
                                                      [type](const SendAction& s)
                                                      { return s.type == type; }));
    }
    static std::string Reasons(const Actions& a)
    {
        std::string out;
        for (const auto& e : a.events)
        {
            out += e.reason + "; ";
        }
        return out;
    }
};

TEST_F(LightNodeTest, LightNodeFollowsPushedHeadersAndReportsEachOne)
{
    LightNode light = MakeLight();
    Actions out;
    BlockHeader h1 = Extend(view.Best(), 1);
    BlockHeader h2 = Extend(Entry(h1), 2);
    light.Step(3 * kSecond, MessageInput{kFull, EncodeHeaderMessage(h1)}, out);
    light.Step(3 * kSecond, MessageInput{2, EncodeHeaderMessage(h2)}, out);
    light.Step(3 * kSecond, MessageInput{kFull, EncodeHeaderMessage(h2)}, out); // a duplicate
    EXPECT_EQ(Count(out, NodeEventKind::kHeaderAccepted), 2u) << Reasons(out);
    EXPECT_EQ(light.Best()->hash, h2.Hash());
    EXPECT_EQ(light.Best()->height, 2u);
    EXPECT_EQ(light.Counters().duplicates, 1u);
    EXPECT_TRUE(light.OnBestChain(h1.Hash()));
}

TEST_F(LightNodeTest, HeaderWithAForgedSignatureIsRejectedAndTheRealOneStillAccepted)
{
    LightNode light = MakeLight();
    BlockHeader real = Extend(view.Best(), 1);
    BlockHeader forged = real;
    forged.signature[5] ^= 0x40;
    Actions out;
    light.Step(2 * kSecond, MessageInput{kFull, EncodeHeaderMessage(forged)}, out);
    ASSERT_EQ(Count(out, NodeEventKind::kMessageDropped), 1u);
    EXPECT_NE(out.events[0].reason.find("bad producer signature"), std::string::npos)
        << out.events[0].reason;
    EXPECT_EQ(light.Best()->height, 0u);
    out.Clear();
    light.Step(2 * kSecond, MessageInput{kFull, EncodeHeaderMessage(real)}, out);
    EXPECT_EQ(Count(out, NodeEventKind::kHeaderAccepted), 1u) << Reasons(out);
    EXPECT_EQ(light.Best()->height, 1u);
}

TEST_F(LightNodeTest, HeaderFromASlotThatHasNotStartedOrWithAWrongTimestampIsRejected)
{
    LightNode light = MakeLight();
    BlockHeader h = Extend(view.Best(), 5);
    Actions out;
    light.Step(2 * kSecond, MessageInput{kFull, EncodeHeaderMessage(h)}, out);
    EXPECT_EQ(Count(out, NodeEventKind::kMessageDropped), 1u);
    BlockHeader skewed = h;
    skewed.timestamp += 1;
    skewed.SignWith(tc.producers[view.ProducerFor(view.MainChainAt(0), 5)]);
    light.Step(6 * kSecond, MessageInput{kFull, EncodeHeaderMessage(skewed)}, out);
    EXPECT_EQ(Count(out, NodeEventKind::kMessageDropped), 2u) << Reasons(out);
    EXPECT_EQ(light.Best()->height, 0u);
}

TEST_F(LightNodeTest, HeaderWithUnknownParentWaitsInABoundedPoolAndAsksItsSenderForHeaders)
{
    LightNodeLimits limits;
    limits.orphanMax = 4;
    LightNode light = MakeLight(limits);
    std::vector<BlockHeader> chain;
    const BlockEntry* tip = view.Best();
    for (uint64_t slot = 1; slot <= 10; ++slot)
    {
        chain.push_back(Extend(tip, slot));
        tip = Entry(chain.back());
    }
    Actions out;
    // Headers 3..10 arrive without 1 and 2: they wait, at most four of them.
    for (std::size_t k = 2; k < chain.size(); ++k)
    {
        light.Step(20 * kSecond, MessageInput{kFull, EncodeHeaderMessage(chain[k])}, out);
    }
    EXPECT_EQ(light.OrphanCount(), 4u);
    EXPECT_EQ(light.Best()->height, 0u);
    ASSERT_GE(Sends(out, MessageType::kGetHeaders), 1u);
    EXPECT_EQ(out.sends[0].to, kFull);
    // The sync answer brings 1..10 (the newest orphans connect as the batch goes).
    out.Clear();
    light.Step(20 * kSecond, MessageInput{kFull, EncodeHeadersMessage(chain)}, out);
    EXPECT_EQ(light.Best()->height, 10u);
    EXPECT_EQ(light.OrphanCount(), 0u);
}

TEST_F(LightNodeTest, LightNodeReorgsToTheLongerChain)
{
    LightNode light = MakeLight();
    BlockHeader a1 = Extend(view.Best(), 1);
    BlockHeader a2 = Extend(Entry(a1), 2);
    BlockHeader b1 = Extend(view.MainChainAt(0), 3);
    BlockHeader b2 = Extend(Entry(b1), 4);
    BlockHeader b3 = Extend(Entry(b2), 5);
    Actions out;
    for (const BlockHeader& h : {a1, a2, b1, b2})
    {
        light.Step(6 * kSecond, MessageInput{kFull, EncodeHeaderMessage(h)}, out);
    }
    // Equal heights: the lower hash wins, as on full nodes.
    const Hash256 lower = std::min(a2.Hash(), b2.Hash());
    EXPECT_EQ(light.Best()->hash, lower);
    out.Clear();
    light.Step(6 * kSecond, MessageInput{kFull, EncodeHeaderMessage(b3)}, out);
    EXPECT_EQ(light.Best()->hash, b3.Hash());
    EXPECT_FALSE(light.OnBestChain(a1.Hash()));
    EXPECT_TRUE(light.OnBestChain(b1.Hash()));
    if (lower == a2.Hash())
    {
        ASSERT_EQ(Count(out, NodeEventKind::kReorg), 1u);
    }
}

TEST_F(LightNodeTest, OldHeadersArePrunedToTheNamedDepth)
{
    LightNodeLimits limits;
    limits.keepDepth = 16;
    LightNode light = MakeLight(limits);
    const BlockEntry* tip = view.Best();
    Actions out;
    for (uint64_t slot = 1; slot <= 100; ++slot)
    {
        BlockHeader h = Extend(tip, slot);
        tip = Entry(h);
        light.Step(101 * kSecond, MessageInput{kFull, EncodeHeaderMessage(h)}, out);
    }
    EXPECT_EQ(light.Best()->height, 100u);
    EXPECT_LE(light.HeaderCount(), 16u + 16u / 16u + 2u);
    EXPECT_GE(light.HeaderCount(), 17u);
    // A header below the pruning point is no news.
    const auto locator = light.Locator();
    EXPECT_EQ(locator.back(), tc.params->GenesisHash());
}

// A full node and a light node wired back to back: every send is delivered at once.
class LightAndFullTest : public LightNodeTest
{
  protected:
    test::TestChain one{1, 3}; // one producer: a block every slot
    std::unique_ptr<Node> full;
    std::unique_ptr<LightNode> light;
    Actions seen; // everything both did, for the checks

    void SetUp() override
    {
        NodeConfig f;
        f.id = kFull;
        f.params = one.params;
        f.producerKey = one.producers[0];
        f.peers = {kLight};
        f.lightPeers = {kLight};
        full = std::make_unique<Node>(f);
        LightNodeConfig l;
        l.id = kLight;
        l.params = one.params;
        l.peers = {kFull};
        light = std::make_unique<LightNode>(l);
        Run(0, kFull, StartInput{});
        Run(0, kLight, StartInput{});
    }

    // Steps one side and delivers what it sends until the two are quiet.
    void Run(TimeNs now, PeerId who, const Input& input)
    {
        std::vector<std::pair<PeerId, Input>> work{{who, input}};
        while (!work.empty())
        {
            auto [to, in] = work.front();
            work.erase(work.begin());
            Actions out;
            if (to == kFull)
            {
                full->Step(now, in, out);
            }
            else
            {
                light->Step(now, in, out);
            }
            for (const SendAction& s : out.sends)
            {
                work.emplace_back(s.to, MessageInput{to, s.bytes});
                seen.sends.push_back(s);
            }
            seen.events.insert(seen.events.end(), out.events.begin(), out.events.end());
        }
    }
    void Slot(uint64_t slot)
    {
        const TimeNs at = one.params->SlotStart(slot);
        Run(at, kFull, TimerInput{TimerKind::kSlot});
        Run(at, kLight, TimerInput{TimerKind::kSlot});
    }
    Transaction Transfer(uint64_t nonce)
    {
        return MakeTransfer(one.accounts[0], nonce, 5, one.params->czc.front().czcHash,
                            one.accounts[1].GetAddress(), 1000 + nonce);
    }
};

TEST_F(LightAndFullTest, LightNodesTransactionBecomesVerifiedIncludedThroughAProof)
{
    const Transaction tx = Transfer(0);
    Run(kSecond / 2, kLight, SubmitInput{tx});
    EXPECT_EQ(full->Pool().Size(), 1u) << "the full peer took the light node's transaction";
    Slot(1);
    EXPECT_EQ(full->Chain().Best()->height, 1u);
    EXPECT_EQ(light->Best()->hash, full->Chain().Best()->hash);
    ASSERT_TRUE(light->IsVerifiedIncluded(tx.Id())) << Reasons(seen);
    auto ev = std::find_if(seen.events.begin(), seen.events.end(),
                           [](const NodeEvent& e)
                           { return e.kind == NodeEventKind::kTxVerifiedIncluded; });
    ASSERT_NE(ev, seen.events.end());
    EXPECT_EQ(ev->hash, tx.Id());
    EXPECT_EQ(ev->block, full->Chain().Best()->hash);
    EXPECT_EQ(ev->latency, one.params->SlotStart(1) - kSecond / 2);
    EXPECT_EQ(light->ConfirmedNonce(one.accounts[0].GetAddress()), 1u);
    EXPECT_EQ(light->PendingCount(), 0u);
}

TEST_F(LightAndFullTest, FullNodeSendsALightPeerHeadersButNeverBlocksOrGossip)
{
    Run(kSecond / 2, kLight, SubmitInput{Transfer(0)});
    for (uint64_t slot = 1; slot <= 5; ++slot)
    {
        Slot(slot);
    }
    EXPECT_EQ(light->Best()->height, 5u);
    for (const SendAction& s : seen.sends)
    {
        if (s.to == kLight)
        {
            EXPECT_TRUE(s.type == MessageType::kHeader || s.type == MessageType::kHeaders ||
                        s.type == MessageType::kProof)
                << MessageTypeName(s.type);
        }
    }
    EXPECT_EQ(light->Counters().messagesDropped, 0u) << Reasons(seen);
}

TEST_F(LightAndFullTest, LightNodeThatMissedHeadersCatchesUpByGetHeaders)
{
    // Five blocks the light node never hears of (its link was down).
    for (uint64_t slot = 1; slot <= 5; ++slot)
    {
        Actions out;
        full->Step(one.params->SlotStart(slot), TimerInput{TimerKind::kSlot}, out);
    }
    ASSERT_EQ(full->Chain().Best()->height, 5u);
    // Its tip (genesis) is stale at slot 5: it asks for what it missed.
    Run(one.params->SlotStart(5), kLight, TimerInput{TimerKind::kSlot});
    EXPECT_GE(light->Counters().syncRequests, 1u);
    EXPECT_EQ(light->Best()->hash, full->Chain().Best()->hash) << "stale tip: asked for headers";
}

TEST_F(LightAndFullTest, ProofThatDoesNotLeadToTheHeadersRootIsDroppedAndTheTxStaysPending)
{
    const Transaction tx = Transfer(0);
    const Transaction other = Transfer(1);
    Run(kSecond / 2, kFull, SubmitInput{other});
    // The light node knows block 1 but hears no proof yet: deliver only the header.
    Actions out;
    full->Step(one.params->SlotStart(1), TimerInput{TimerKind::kSlot}, out);
    const BlockEntry* b1 = full->Chain().Best();
    Run(one.params->SlotStart(1) + 1, kLight,
        MessageInput{kFull, EncodeHeaderMessage(b1->block->header)});
    Actions ignore;
    light->Step(one.params->SlotStart(1) + 2, SubmitInput{tx}, ignore);
    // A lying peer claims `tx` is the only leaf of block 1.
    TxProof lie;
    lie.txId = tx.Id();
    lie.found = true;
    lie.header = b1->block->header;
    lie.index = 0;
    lie.leafCount = 1;
    ProofMessage m;
    m.proofs.push_back(lie);
    Actions got;
    light->Step(one.params->SlotStart(1) + 3, MessageInput{kFull, EncodeProofMessage(m)}, got);
    EXPECT_EQ(Count(got, NodeEventKind::kMessageDropped), 1u);
    EXPECT_NE(Reasons(got).find("Merkle branch does not lead"), std::string::npos) << Reasons(got);
    EXPECT_FALSE(light->IsVerifiedIncluded(tx.Id()));
    EXPECT_EQ(light->PendingCount(), 1u);
}

TEST_F(LightAndFullTest, ProofRequestsOverTheBudgetAreDroppedByTheFullNode)
{
    GetProofMessage g;
    for (uint32_t i = 0; i < kProofBatchMax; ++i)
    {
        g.txIds.push_back(Blake2b256("tx " + std::to_string(i)));
    }
    Actions out;
    for (int k = 0; k < 5; ++k)
    {
        full->Step(kSecond / 2, MessageInput{kLight, EncodeGetProofMessage(g)}, out);
    }
    // 64 ids a slot: four batches answered ("not found"), the fifth dropped.
    EXPECT_EQ(Sends(out, MessageType::kProof), 4u);
    EXPECT_EQ(Count(out, NodeEventKind::kMessageDropped), 1u);
    auto answer = DecodeMessage(*out.sends[0].bytes);
    ASSERT_TRUE(answer.IsOk());
    const auto& proofs = std::get<ProofMessage>(answer.Value().body).proofs;
    ASSERT_EQ(proofs.size(), kProofBatchMax);
    EXPECT_FALSE(proofs[0].found);
}

TEST_F(LightAndFullTest, ReorgThatDropsTheCarryingBlockPutsTheTransactionBackToPending)
{
    const Transaction tx = Transfer(0);
    Run(kSecond / 2, kLight, SubmitInput{tx});
    Slot(1);
    ASSERT_TRUE(light->IsVerifiedIncluded(tx.Id()));
    // A longer branch from genesis without the transaction, signed by the same producer.
    ConsensusChain side(one.params);
    const BlockEntry* tip = side.Best();
    Actions out;
    for (uint64_t slot = 2; slot <= 3; ++slot)
    {
        auto b = one.MakeBlock(side, tip, slot);
        ASSERT_TRUE(
            side.AddBlock(b, test::TestChain::Size(b), one.params->SlotStart(slot)).status.IsOk());
        tip = side.Find(b->Hash());
        light->Step(one.params->SlotStart(3), MessageInput{kFull, EncodeHeaderMessage(b->header)},
                    out);
    }
    EXPECT_EQ(light->Best()->hash, tip->hash);
    EXPECT_FALSE(light->IsVerifiedIncluded(tx.Id()));
    EXPECT_EQ(light->PendingCount(), 1u);
}

TEST_F(LightAndFullTest, PeersSetWhileRunningKeepTheirLightFlag)
{
    full->SetPeers({kLight, 5}, {kLight, 9}); // 9 is no peer: ignored
    Actions out;
    full->Step(one.params->SlotStart(1), TimerInput{TimerKind::kSlot}, out);
    ASSERT_EQ(full->Chain().Best()->height, 1u);
    for (const SendAction& s : out.sends)
    {
        EXPECT_EQ(s.type, s.to == kLight ? MessageType::kHeader : MessageType::kBlock)
            << "to " << s.to << ": " << MessageTypeName(s.type);
    }
    EXPECT_EQ(Sends(out, MessageType::kHeader), 1u);
    EXPECT_EQ(Sends(out, MessageType::kBlock), 1u);
    light->SetPeers({kFull, kFull, kLight});
    EXPECT_EQ(light->Peers(), std::vector<PeerId>{kFull});
}

TEST(LightMessages, LightMessagesRoundTrip)
{
    test::TestChain tc{2};
    ConsensusChain view(tc.params);
    auto b = tc.MakeBlock(view, view.Best(), 1);
    auto h = DecodeMessage(*EncodeHeaderMessage(b->header));
    ASSERT_TRUE(h.IsOk()) << h.GetStatus().ToString();
    EXPECT_EQ(std::get<BlockHeader>(h.Value().body).Hash(), b->Hash());
    auto hs = DecodeMessage(*EncodeHeadersMessage({b->header, b->header}));
    ASSERT_TRUE(hs.IsOk());
    EXPECT_EQ(std::get<HeadersMessage>(hs.Value().body).headers.size(), 2u);
    GetHeadersMessage gh;
    gh.locator = {b->Hash(), tc.params->GenesisHash()};
    auto ghd = DecodeMessage(*EncodeGetHeadersMessage(gh));
    ASSERT_TRUE(ghd.IsOk());
    EXPECT_EQ(std::get<GetHeadersMessage>(ghd.Value().body).locator, gh.locator);
    TxProof p;
    p.txId = Blake2b256(std::string("x"));
    p.found = true;
    p.header = b->header;
    p.index = 2;
    p.leafCount = 3;
    p.branch = {Blake2b256(std::string("y"))};
    ProofMessage pm;
    pm.proofs = {p, TxProof{}};
    auto pd = DecodeMessage(*EncodeProofMessage(pm));
    ASSERT_TRUE(pd.IsOk()) << pd.GetStatus().ToString();
    const auto& back = std::get<ProofMessage>(pd.Value().body).proofs;
    ASSERT_EQ(back.size(), 2u);
    EXPECT_EQ(back[0].branch, p.branch);
    EXPECT_EQ(back[0].index, 2u);
    EXPECT_FALSE(back[1].found);
}

TEST(LightMessages, BadLightMessageBytesGiveErrorsNotCrashes)
{
    test::TestChain tc{2};
    ConsensusChain view(tc.params);
    auto b = tc.MakeBlock(view, view.Best(), 1);
    auto expectError = [](Bytes bytes, const std::string& what)
    {
        auto r = DecodeMessage(bytes);
        ASSERT_FALSE(r.IsOk()) << what;
        EXPECT_FALSE(r.GetStatus().ToString().empty());
    };
    Bytes header = *EncodeHeaderMessage(b->header);
    Bytes trailing = header;
    trailing.push_back(0);
    expectError(trailing, "trailing byte after a header");
    expectError(Bytes(header.begin(), header.end() - 1), "truncated header");
    // Counts above their bounds, before any element.
    auto withCount = [](MessageType t, uint32_t n)
    {
        Bytes out{kMessageVersion, static_cast<uint8_t>(t)};
        Writer w(out);
        w.U32(n);
        return out;
    };
    expectError(withCount(MessageType::kHeaders, kHeaderBatchMax + 1), "too many headers");
    expectError(withCount(MessageType::kGetProof, kProofBatchMax + 1), "too many ids");
    expectError(withCount(MessageType::kProof, kProofBatchMax + 1), "too many proofs");
    expectError(withCount(MessageType::kGetHeaders, 65), "locator too long");
    expectError(withCount(MessageType::kProof, 0xffffffff), "huge count");
    // A proof with a bad flag, an index outside the block, an overlong branch.
    TxProof p;
    p.found = true;
    p.header = b->header;
    p.index = 0;
    p.leafCount = 1;
    ProofMessage pm;
    pm.proofs = {p};
    Bytes good = *EncodeProofMessage(pm);
    ASSERT_TRUE(DecodeMessage(good).IsOk());
    Bytes flag = good;
    flag[2 + 4 + 32] = 2;
    expectError(flag, "found flag 2");
    pm.proofs[0].index = 1;
    expectError(*EncodeProofMessage(pm), "index past the leaf count");
    pm.proofs[0].index = 0;
    pm.proofs[0].branch.assign(kMerkleBranchMax + 1, Hash256{});
    expectError(*EncodeProofMessage(pm), "branch too long");
    Bytes cut = good;
    cut.resize(cut.size() - 3);
    expectError(cut, "truncated proof");
    // And a light node handed garbage drops it with a reason.
    LightNodeConfig c;
    c.params = tc.params;
    c.peers = {0};
    LightNode light(c);
    Actions out;
    light.Step(2 * kSecond, MessageInput{0, std::make_shared<const Bytes>(trailing)}, out);
    ASSERT_EQ(out.events.size(), 1u);
    EXPECT_EQ(out.events[0].kind, NodeEventKind::kMessageDropped);
    light.Step(2 * kSecond, MessageInput{0, EncodeBlockMessage(*b)}, out);
    EXPECT_NE(out.events.back().reason.find("does not take block"), std::string::npos)
        << out.events.back().reason;
}

} // namespace
} // namespace canon
