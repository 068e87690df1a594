#include "model/consensus/equivocation.h"
#include "model/consensus/finality.h"
#include "model/consensus/pop-engine.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

class PopChainTest : public ::testing::Test
{
  protected:
    test::TestChain tc{4, 3};
    ConsensusChain chain{tc.params};
    const TimeNs kLate = 1000 * kSecond; // a clock past every slot used here

    Status Add(const BlockPtr& b)
    {
        return chain.AddBlock(b, test::TestChain::Size(b), kLate).status;
    }

    BlockPtr Resign(Block b, const KeyPair& key)
    {
        b.header.txRoot = b.ComputeTxRoot();
        b.header.SignWith(key);
        return std::make_shared<Block>(b);
    }

    void ExpectRejected(const BlockPtr& b, const std::string& reason)
    {
        Status s = Add(b);
        EXPECT_FALSE(s.IsOk());
        EXPECT_NE(s.Message().find(reason), std::string::npos)
            << "expected '" << reason << "', got: " << s.ToString();
    }
};

TEST_F(PopChainTest, ValidBlockWithTransfersExtendsTheBestChain)
{
    auto tx = MakeTransfer(tc.accounts[0], 0, 5, tc.Czc(), tc.accounts[1].GetAddress(), 100);
    auto b = tc.MakeBlock(chain, chain.Best(), 1, {tx});
    ASSERT_TRUE(Add(b).IsOk());
    EXPECT_EQ(chain.Best()->hash, b->Hash());
    EXPECT_EQ(chain.BestState().NonceOf(tc.accounts[0].GetAddress()), 1u);
    EXPECT_EQ(chain.BestState().TotalSupply(), kTotalSupply);
}

TEST_F(PopChainTest, WrongProducerForTheSlotIsRejected)
{
    auto good = tc.MakeBlock(chain, chain.Best(), 1);
    uint32_t scheduled = chain.ProducerFor(chain.Best(), 1);
    ExpectRejected(Resign(*good, tc.producers[(scheduled + 1) % 4]), "wrong producer");
}

TEST_F(PopChainTest, BadBlockSignatureIsRejected)
{
    Block b = *tc.MakeBlock(chain, chain.Best(), 1);
    b.header.signature[3] ^= 1;
    ExpectRejected(std::make_shared<Block>(b), "bad block signature");
}

TEST_F(PopChainTest, ForgedTransactionInABlockIsRejected)
{
    auto tx = MakeTransfer(tc.accounts[0], 0, 5, tc.Czc(), tc.accounts[1].GetAddress(), 100);
    tx.fee = 1; // changed after signing
    ExpectRejected(tc.MakeBlock(chain, chain.Best(), 1, {tx}), "bad signature");
}

TEST_F(PopChainTest, DoubleSpendWithinABlockIsRejected)
{
    auto a = MakeTransfer(tc.accounts[0], 0, 5, tc.Czc(), tc.accounts[1].GetAddress(), 100);
    auto b = MakeTransfer(tc.accounts[0], 0, 5, tc.Czc(), tc.accounts[2].GetAddress(), 100);
    ExpectRejected(tc.MakeBlock(chain, chain.Best(), 1, {a, b}), "wrong nonce");
}

TEST_F(PopChainTest, OverspendingTransactionMakesTheBlockInvalid)
{
    uint64_t all = chain.BestState().BalanceOf(tc.accounts[0].GetAddress());
    auto tx = MakeTransfer(tc.accounts[0], 0, 1, tc.Czc(), tc.accounts[1].GetAddress(), all);
    ExpectRejected(tc.MakeBlock(chain, chain.Best(), 1, {tx}), "overspend");
}

TEST_F(PopChainTest, OversizeBlockIsRejected)
{
    tc.params->blockSizeBytesMax = 400; // the chain shares the params
    std::vector<Transaction> txs;
    for (uint64_t n = 0; n < 3; ++n)
    {
        txs.push_back(MakeTransfer(tc.accounts[0], n, 5, tc.Czc(), tc.accounts[1].GetAddress(), 1));
    }
    ExpectRejected(tc.MakeBlock(chain, chain.Best(), 1, txs), "oversize block");
}

TEST_F(PopChainTest, UnknownParentIsReportedAsSuch)
{
    Block b = *tc.MakeBlock(chain, chain.Best(), 1);
    b.header.parent = Blake2b256(std::string("nowhere"));
    auto r = chain.AddBlock(std::make_shared<Block>(b), 200, kLate);
    EXPECT_EQ(r.status.Code(), StatusCode::kUnknownParent);
}

TEST_F(PopChainTest, StaleCzcHashIsRejectedAfterAnUpgradeActivates)
{
    tc.params->czc.push_back({2, Blake2b256(std::string("czc v2"))});
    ASSERT_TRUE(Add(tc.MakeBlock(chain, chain.Best(), 1)).IsOk());
    auto stale = MakeTransfer(tc.accounts[0], 0, 5, tc.Czc(), tc.accounts[1].GetAddress(), 1);
    ExpectRejected(tc.MakeBlock(chain, chain.Best(), 2, {stale}), "stale CZC hash");
    auto fresh = MakeTransfer(tc.accounts[0], 0, 5, tc.params->czc[1].czcHash,
                              tc.accounts[1].GetAddress(), 1);
    EXPECT_TRUE(Add(tc.MakeBlock(chain, chain.Best(), 2, {fresh})).IsOk());
}

TEST_F(PopChainTest, BlockFromTheFutureIsRejected)
{
    auto b = tc.MakeBlock(chain, chain.Best(), 50);
    Status s = chain.AddBlock(b, test::TestChain::Size(b), 10 * kSecond).status;
    EXPECT_NE(s.Message().find("from the future"), std::string::npos) << s.ToString();
}

TEST_F(PopChainTest, ForkChoicePrefersTheLongerChainThenTheLowerHash)
{
    const BlockEntry* genesis = chain.Best();
    auto a1 = tc.MakeBlock(chain, genesis, 1);
    auto b2 = tc.MakeBlock(chain, genesis, 2);
    ASSERT_TRUE(Add(a1).IsOk());
    ASSERT_TRUE(Add(b2).IsOk());
    // Two tips of height 1: the lower hash wins.
    Hash256 lower = std::min(a1->Hash(), b2->Hash());
    EXPECT_EQ(chain.Best()->hash, lower);
    // Extending the other branch makes it longer, and it wins with a reorg.
    const BlockEntry* other = chain.Find(lower == a1->Hash() ? b2->Hash() : a1->Hash());
    auto ext = tc.MakeBlock(chain, other, 3);
    auto r = chain.AddBlock(ext, test::TestChain::Size(ext), kLate);
    ASSERT_TRUE(r.status.IsOk()) << r.status.ToString();
    EXPECT_EQ(chain.Best()->hash, ext->Hash());
    EXPECT_EQ(r.disconnected.size(), 1u);
}

TEST_F(PopChainTest, BlockBecomesIrreversibleOnceThresholdDistinctProducersBuildOnIt)
{
    // N = 4: threshold 4. Slots 1..4 of cycle 0 are four distinct producers.
    ASSERT_EQ(dynamic_cast<const PopEngine&>(chain.Engine()).Threshold(), 4u);
    std::vector<Hash256> hashes;
    for (uint64_t slot = 1; slot <= 3; ++slot)
    {
        auto b = tc.MakeBlock(chain, chain.Best(), slot);
        hashes.push_back(b->Hash());
        ASSERT_TRUE(Add(b).IsOk());
        EXPECT_EQ(chain.Lib()->height, 0u) << "after slot " << slot;
    }
    // Slot 4 starts cycle 1 with a new order: keep adding until four distinct producers stand on
    // block 1.
    uint64_t slot = 4;
    while (chain.Lib()->height == 0 && slot < 12)
    {
        ASSERT_TRUE(Add(tc.MakeBlock(chain, chain.Best(), slot++)).IsOk());
    }
    ASSERT_GE(chain.Lib()->height, 1u);
    EXPECT_EQ(chain.MainChainAt(1)->hash, hashes[0]);
}

TEST_F(PopChainTest, BlocksForkingBelowTheIrreversibleBlockAreRejected)
{
    std::vector<BlockPtr> blocks;
    for (uint64_t slot = 1; slot <= 10; ++slot)
    {
        blocks.push_back(tc.MakeBlock(chain, chain.Best(), slot));
        ASSERT_TRUE(Add(blocks.back()).IsOk());
    }
    ASSERT_GE(chain.Lib()->height, 2u);
    const BlockEntry* oldParent = chain.Find(blocks[0]->Hash());
    Block fork = *tc.MakeBlock(chain, oldParent, 11);
    fork.header.height = 2;
    Status s = Add(std::make_shared<Block>(fork));
    EXPECT_FALSE(s.IsOk());
}

TEST_F(PopChainTest, TwoBlocksForOneSlotByOneProducerAreEquivocationEvidence)
{
    auto tx = MakeTransfer(tc.accounts[0], 0, 5, tc.Czc(), tc.accounts[1].GetAddress(), 1);
    auto a = tc.MakeBlock(chain, chain.Best(), 1);
    auto b = tc.MakeBlock(chain, chain.Best(), 1, {tx});
    EquivocationDetector detector;
    EXPECT_FALSE(detector.Observe(a->header).has_value());
    EXPECT_FALSE(detector.Observe(a->header).has_value()) << "the same block twice is not evidence";
    auto ev = detector.Observe(b->header);
    ASSERT_TRUE(ev.has_value());
    EXPECT_TRUE(VerifyEvidence(*ev, std::set<PublicKey>(tc.params->producers.begin(),
                                                        tc.params->producers.end()))
                    .IsOk());
    auto decoded = EquivocationEvidence::Decode(ev->Encode());
    ASSERT_TRUE(decoded.IsOk());
    EXPECT_TRUE(VerifyEvidence(decoded.Value(), std::set<PublicKey>(tc.params->producers.begin(),
                                                                    tc.params->producers.end()))
                    .IsOk());
    // Tampering breaks it.
    EquivocationEvidence forged = *ev;
    forged.second.slot = 2;
    EXPECT_FALSE(VerifyEvidence(forged, std::set<PublicKey>(tc.params->producers.begin(),
                                                            tc.params->producers.end()))
                     .IsOk());
    forged = *ev;
    forged.second.txRoot[0] ^= 1; // signature no longer matches
    EXPECT_FALSE(VerifyEvidence(forged, std::set<PublicKey>(tc.params->producers.begin(),
                                                            tc.params->producers.end()))
                     .IsOk());
}

// Every node's detector holds the same header: one copy per process, not one per node.
TEST_F(PopChainTest, DetectorsShareOneCopyOfAHeader)
{
    auto a = tc.MakeBlock(chain, chain.Best(), 1);
    const BlockHeader copy = a->header;
    EquivocationDetector first, second;
    first.Observe(a->header);
    second.Observe(copy);
    const BlockHeader* held = first.HeaderAt(a->header.slot, a->header.producer);
    ASSERT_NE(held, nullptr);
    EXPECT_EQ(held, second.HeaderAt(copy.slot, copy.producer));
    EXPECT_NE(held, &a->header) << "the table's own copy";
    EXPECT_EQ(held->Encode(), a->header.Encode());
    EXPECT_EQ(first.HeaderAt(a->header.slot + 1, a->header.producer), nullptr);
}

TEST_F(PopChainTest, EvidenceTransactionSlashesTheProducerAndRemovesItFromProduction)
{
    auto tx = MakeTransfer(tc.accounts[0], 0, 5, tc.Czc(), tc.accounts[1].GetAddress(), 1);
    auto a = tc.MakeBlock(chain, chain.Best(), 1);
    auto b = tc.MakeBlock(chain, chain.Best(), 1, {tx});
    ASSERT_TRUE(Add(a).IsOk());
    const PublicKey offender = a->header.producer;
    const Address offenderAddr = AddressOf(offender);
    ASSERT_GT(chain.BestState().BalanceOf(offenderAddr), 0u) << "it earned the block reward";
    const uint64_t deposit = chain.BestState().BalanceOf(offenderAddr);
    const uint64_t poolBefore = chain.BestState().BalanceOf(PopPoolAddress());

    // The next producer that is not the offender reports it.
    uint64_t slot = 2;
    while (test::ScheduledKey(chain, chain.Best(), slot) == offender)
    {
        ++slot;
    }
    const KeyPair& reporter = tc.producers[chain.ProducerFor(chain.Best(), slot)];
    const uint64_t reporterBefore = chain.BestState().BalanceOf(reporter.GetAddress());
    EquivocationEvidence ev{a->header, b->header};
    auto evTx =
        MakeTransaction(reporter, TxType::kEvidence,
                        chain.BestState().NonceOf(reporter.GetAddress()), 0, tc.Czc(), ev.Encode());
    ASSERT_TRUE(Add(tc.MakeBlock(chain, chain.Best(), slot, {evTx})).IsOk());

    const LedgerState& st = chain.BestState();
    EXPECT_EQ(st.Pop().slashed.count(offender), 1u);
    EXPECT_EQ(st.BalanceOf(offenderAddr), 0u);
    const uint64_t reward = deposit / 10;
    EXPECT_EQ(st.BalanceOf(reporter.GetAddress()),
              reporterBefore + reward + tc.params->blockReward);
    EXPECT_EQ(st.BalanceOf(PopPoolAddress()),
              poolBefore + deposit - reward - tc.params->blockReward);
    EXPECT_EQ(st.TotalSupply(), kTotalSupply);
    EXPECT_GE(st.Pop().elections, 1u) << "a slashed member triggers an election";

    // The same evidence again, or the mirror image, is refused: one slash per key.
    EquivocationEvidence mirror{b->header, a->header};
    LedgerState copy = st;
    TxContext ctx = test::Ctx(tc.Czc(), reporter.GetAddress());
    auto again = MakeTransaction(reporter, TxType::kEvidence, st.NonceOf(reporter.GetAddress()), 0,
                                 tc.Czc(), mirror.Encode());
    Status s = copy.ApplyTransaction(again, ctx);
    EXPECT_NE(s.Message().find("already slashed"), std::string::npos) << s.ToString();

    // Its next scheduled slot on this chain stays empty: a block by it is invalid.
    uint64_t its = slot + 1;
    while (test::ScheduledKey(chain, chain.Best(), its) != offender)
    {
        ++its;
    }
    Block late = *tc.MakeBlock(chain, chain.Best(), its);
    ExpectRejected(std::make_shared<Block>(late), "is slashed");
}

TEST_F(PopChainTest, EvidenceThatProvesNothingIsRefused)
{
    auto a = tc.MakeBlock(chain, chain.Best(), 1);
    // The same producer, but another slot: not a conflict.
    auto b = Resign(*tc.MakeBlock(chain, chain.Best(), 2),
                    tc.producers[chain.ProducerFor(chain.Best(), 1)]);
    LedgerState st = chain.BestState();
    TxContext ctx = test::Ctx(tc.Czc(), tc.accounts[0].GetAddress());
    auto Try = [&](const Bytes& payload)
    {
        return st.ApplyTransaction(
            MakeTransaction(tc.accounts[0], TxType::kEvidence, 0, 0, tc.Czc(), payload), ctx);
    };
    EXPECT_NE(Try(EquivocationEvidence{a->header, a->header}.Encode()).Message().find("same block"),
              std::string::npos);
    EXPECT_NE(Try(EquivocationEvidence{a->header, b->header}.Encode()).Message().find("slots"),
              std::string::npos);
    EXPECT_FALSE(Try(Bytes{1, 2, 3}).IsOk());
    EXPECT_TRUE(st.Pop().slashed.empty());
}

} // namespace
} // namespace canon
