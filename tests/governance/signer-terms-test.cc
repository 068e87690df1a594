// The terms a signer uses on a node's chain (TermsOn, model/node/node.h) follow what CZC
// governance adopted there (issue 18): the genesis CZC hash and floor until a proposal passes,
// then its new CZC hash and, for a fee floor, the adopted floor; and a mempool drops what carries
// another CZC hash when the hash changes (Mempool::RemoveStaleCzc), so a sender's later
// transactions are not held behind one that can never be included.
#include "model/governance/in-force.h"
#include "model/node/node.h"
#include "model/node/shared-transaction.h"
#include "tests/governance/governance-chain.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

class SignerTermsTest : public govtest::RuleEpochTest
{
  protected:
    SignerTermsTest()
    {
        for (const KeyPair& k : tc.producers)
        {
            online.insert(k.Public());
        }
    }
    // A transfer by account 2 with `nonce`, `fee` and `czc`.
    Transaction Transfer(uint64_t nonce, uint64_t fee, const Hash256& czc) const
    {
        return MakeTransaction(tc.accounts[2], TxType::kTransfer, nonce, fee, czc,
                               TransferPayload{tc.accounts[3].GetAddress(), 1}.Encode());
    }
};

TEST_F(SignerTermsTest, TermsAreTheGenesisOnesUntilGovernanceAdoptsThenTheAdoptedOnes)
{
    const SignerTerms genesis = TermsOn(*chain);
    EXPECT_EQ(genesis.czc, tc.Czc());
    EXPECT_EQ(genesis.feeFloor, params->feeMin);
    EXPECT_EQ(genesis.Bid(10), 10U);
    const BlockEntry* first = Extend(chain->Best(), 1, ProposalAndVotes(GovParam::kFeeFloor, 1000));
    ExtendUntilAdopted(first, GovParam::kFeeFloor);
    const SignerTerms adopted = TermsOn(*chain);
    EXPECT_EQ(adopted.czc, NewCzc(GovParam::kFeeFloor)) << "the proposal's CZC hash";
    EXPECT_EQ(adopted.czc, chain->NextCzc());
    EXPECT_EQ(adopted.feeFloor, 1000U);
    EXPECT_EQ(adopted.Bid(10), 1000U) << "raised to the floor";
    EXPECT_EQ(adopted.Bid(1500), 1500U);
}

TEST_F(SignerTermsTest, AMempoolDropsWhatCarriesAnotherCzcHash)
{
    Mempool pool(100);
    const LedgerState& state = chain->BestState();
    const TxContext ctx = MakeTxContext(*params, 1, Address{}, 0);
    const Hash256 next = NewCzc(GovParam::kFeeFloor);
    ASSERT_TRUE(pool.Add(ShareTransaction(Transfer(0, 10, tc.Czc())), state, ctx, 1).IsOk());
    ASSERT_TRUE(pool.Add(ShareTransaction(Transfer(1, 10, tc.Czc())), state, ctx, 1).IsOk());
    ASSERT_TRUE(pool.Add(ShareTransaction(Transfer(2, 10, next)), state, ctx, 1).IsOk());
    pool.RemoveStaleCzc(tc.Czc());
    EXPECT_EQ(pool.Size(), 2U) << "the hash unchanged: only the other one goes";
    pool.RemoveStaleCzc(next);
    EXPECT_EQ(pool.Size(), 0U);
    EXPECT_EQ(pool.PendingFrom(tc.accounts[2].GetAddress()), 0U);
    // Nonce 0 is free again: the sender's wallet signs it anew with the new hash.
    EXPECT_TRUE(pool.Add(ShareTransaction(Transfer(0, 10, next)), state, ctx, 1).IsOk());
}

} // namespace
} // namespace canon
