// The CZC parameters governance adopts act where they apply once adopted, and not before
// (issue 18, model/governance/in-force.h): the fee floor in the ledger and the mempool, the
// maximum block size in the validator and the producer, the candidate rule in elections. Each is
// read from the state of the chain in question, so a branch that never adopted (a fork from the
// block before the adopting one) keeps the genesis value.
#include "model/consensus/election.h"
#include "model/governance/in-force.h"
#include "model/node/node.h"
#include "model/node/shared-transaction.h"
#include "model/run/czr-loop.h"
#include "tests/governance/governance-chain.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

// Three of seven producers online: nothing becomes irreversible, so a fork from before the
// adopting block stays open.
class InForceTest : public govtest::RuleEpochTest
{
  protected:
    InForceTest()
    {
        for (std::size_t i = 0; i < 3; ++i)
        {
            online.insert(tc.producers[i].Public());
        }
    }
    // Adopts `param` = `value`; sets `before` (the adopting block's parent) and `adopting`.
    void Adopt(GovParam param, uint64_t value)
    {
        const BlockEntry* first = Extend(chain->Best(), 1, ProposalAndVotes(param, value));
        adopting = ExtendUntilAdopted(first, param);
        before = adopting->parent;
        ASSERT_FALSE(before->state->Governance().AdoptedValue(param));
    }
    // A transfer by account 2 bidding `fee`, with the CZC hash in force on `on`'s chain.
    Transaction Transfer(const BlockEntry* on, uint64_t fee, uint64_t nonceOffset = 0) const
    {
        const KeyPair& k = tc.accounts[2];
        const Hash256 czc = on->state->Governance().ActiveCzc(tc.Czc());
        return MakeTransaction(k, TxType::kTransfer,
                               on->state->NonceOf(k.GetAddress()) + nonceOffset, fee, czc,
                               TransferPayload{tc.accounts[3].GetAddress(), 1}.Encode());
    }
    Status Admit(const BlockEntry* on, const Transaction& tx) const
    {
        Mempool pool(100);
        return pool.Add(ShareTransaction(tx), *on->state,
                        MakeTxContext(*params, on->height + 1, Address{}, 0),
                        FeeFloorIn(*params, on->state->Governance()));
    }

    const BlockEntry* before = nullptr;
    const BlockEntry* adopting = nullptr;
};

TEST_F(InForceTest, AnAdoptedFeeFloorRefusesLowerBidsFromTheNextBlockOn)
{
    Adopt(GovParam::kFeeFloor, 1000);
    EXPECT_EQ(FeeFloorIn(*params, before->state->Governance()), params->feeMin);
    EXPECT_EQ(FeeFloorIn(*params, adopting->state->Governance()), 1000u);
    // Not before: on the chain without the adopting block, a bid of 10 is admitted and valid.
    EXPECT_TRUE(Admit(before, Transfer(before, 10)).IsOk());
    EXPECT_TRUE(TryExtend(before, adopting->slot + 1, {Transfer(before, 10)}).IsOk());
    // After: the mempool refuses it and a block carrying it is invalid; 1000 is fine.
    EXPECT_FALSE(Admit(adopting, Transfer(adopting, 10)).IsOk());
    EXPECT_TRUE(Admit(adopting, Transfer(adopting, 1000)).IsOk());
    const Status refused = TryExtend(adopting, adopting->slot + 1, {Transfer(adopting, 10)});
    EXPECT_NE(refused.Message().find("below the fee floor 1000 adopted by governance"),
              std::string::npos)
        << refused.Message();
    EXPECT_TRUE(TryExtend(adopting, adopting->slot + 1, {Transfer(adopting, 1000)}).IsOk());
}

TEST_F(InForceTest, AnAdoptedBlockSizeBindsValidatorAndProducerFromTheNextBlockOn)
{
    Adopt(GovParam::kBlockSizeMax, kGovBlockSizeMin);
    EXPECT_EQ(BlockSizeMaxIn(*params, adopting->state->Governance()), kGovBlockSizeMin);
    auto transfers = [&](const BlockEntry* on)
    {
        std::vector<Transaction> txs;
        for (uint64_t i = 0; i < 12; ++i)
        {
            txs.push_back(Transfer(on, 1, i));
        }
        return txs;
    };
    // The validator: 12 transfers (about 2 KB) pass before and are oversize after.
    EXPECT_TRUE(TryExtend(before, adopting->slot + 1, transfers(before)).IsOk());
    const Status refused = TryExtend(adopting, adopting->slot + 1, transfers(adopting));
    EXPECT_NE(refused.Message().find("oversize block"), std::string::npos) << refused.Message();
    EXPECT_NE(refused.Message().find("> 1024"), std::string::npos) << refused.Message();
    // The producer: the same pool fills a block to the limit in force on its parent's chain.
    auto assemble = [&](const BlockEntry* on)
    {
        Mempool pool(100);
        for (const Transaction& tx : transfers(on))
        {
            EXPECT_TRUE(pool.Add(ShareTransaction(tx), *on->state,
                                 MakeTxContext(*params, on->height + 1, Address{}, 0), 1)
                            .IsOk());
        }
        return AssembleBlock(*chain, *on, adopting->slot + 1, tc.producers[0], ProducerMemory{},
                             pool, {});
    };
    EXPECT_EQ(assemble(before).txs.size(), 12u);
    const Block small = assemble(adopting);
    EXPECT_LE(small.Encode().size(), kGovBlockSizeMin);
    EXPECT_GT(small.txs.size(), 0u);
    EXPECT_LT(small.txs.size(), 12u);
}

// The candidate rule: six claimants in one (region, application) group; after the community
// adopts 2 candidates per group, elections take only the best two of it.
TEST(CandidateRule, ElectionsTakeTheAdoptedCandidatesPerGroupOnceAdopted)
{
    test::TestChain tc(4, 8);
    const KeyPair oracle = test::Key("oracle");
    tc.params->czrOracle = oracle.Public();
    LedgerState state = LedgerState::FromGenesis(*tc.params);
    TxContext ctx = test::Ctx(tc.Czc(), test::Key("fees").GetAddress());
    ctx.czrOracle = oracle.GetAddress();
    ctx.height = 1;
    auto send = [&](const KeyPair& k, TxType type, const Bytes& payload)
    {
        const Hash256 czc = state.Governance().ActiveCzc(tc.Czc());
        return state.ApplyTransaction(
            MakeTransaction(k, type, state.NonceOf(k.GetAddress()), 0, czc, payload), ctx);
    };
    CzrReportPayload report;
    report.epoch = 1;
    for (uint32_t i = 0; i < 6; ++i)
    {
        ClaimPayload c;
        c.epoch = 1;
        c.score = static_cast<uint64_t>((10 + i) * kScoreUnits);
        ASSERT_TRUE(send(tc.accounts[i], TxType::kContributionClaim, c.Encode()).IsOk());
        CzrReportEntry e;
        e.account = tc.accounts[i].GetAddress();
        e.total = c.score;
        report.entries.push_back(e);
    }
    std::sort(report.entries.begin(), report.entries.end(),
              [](const CzrReportEntry& a, const CzrReportEntry& b)
              { return a.account < b.account; });
    ASSERT_TRUE(send(oracle, TxType::kCzrReport, report.Encode()).IsOk());
    auto elect = [&]
    { return RunElection(state, *tc.params, 4, 2, Hash256{}, tc.params->producers, "test"); };
    EXPECT_EQ(elect().candidates.size(), 6u) << "the genesis rule: 42 per group";

    const uint64_t nonce = state.NonceOf(tc.accounts[0].GetAddress());
    const Hash256 czc2 = Blake2b256(std::string("CZC: 2 candidates per group"));
    ASSERT_TRUE(send(tc.accounts[0], TxType::kGovProposal,
                     ProposalPayload{GovParam::kCandidatesPerGroup, 2, czc2}.Encode())
                    .IsOk());
    const Hash256 id = ProposalIdFor(tc.accounts[0].Public(), nonce);
    for (uint32_t a = 0; a < 8; ++a)
    {
        ASSERT_TRUE(
            send(tc.accounts[a], TxType::kGovVote, GovVotePayload{id, true}.Encode()).IsOk());
    }
    const GovernanceParams hold{10 * kSecond, kSecond, kSecond};
    state.EndBlock(ctx, hold, RuleEpoch{});
    EXPECT_EQ(elect().candidates.size(), 6u) << "above 3/4 but not yet held: not adopted";
    EXPECT_EQ(ClaimRankMaxInForce(84, *tc.params, &state.Governance()), 84u);
    ctx.now = 10 * kSecond;
    state.EndBlock(ctx, hold, RuleEpoch{});
    ASSERT_EQ(state.Governance().AdoptedValue(GovParam::kCandidatesPerGroup), 2u);
    const ElectionOutcome after = elect();
    ASSERT_EQ(after.candidates.size(), 2u);
    // The CZR claim rule follows: at most twice the adopted candidates per group claim.
    EXPECT_EQ(ClaimRankMaxInForce(84, *tc.params, &state.Governance()), ClaimRankMaxFor(2));
    EXPECT_EQ(ClaimRankMaxInForce(0, *tc.params, &state.Governance()), 0u) << "no bound asked";
    for (const ElectionCandidate& c : after.candidates)
    {
        EXPECT_GE(c.observed, 14.0) << "the best two of the group";
    }
}

} // namespace
} // namespace canon
