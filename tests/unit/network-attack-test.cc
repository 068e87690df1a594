#include "model/node/network-attack.h"

#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

#include <set>

namespace canon
{
namespace
{

class NetworkAttackTest : public ::testing::Test
{
  protected:
    test::TestChain chain{3};
    std::unique_ptr<Node> follower;

    void SetUp() override
    {
        NodeConfig c;
        c.id = 9;
        c.params = chain.params;
        follower = std::make_unique<Node>(c);
    }

    // Every burst over `seconds`, to peers 1 and 2.
    Actions Fire(NetworkAttack& a, double seconds)
    {
        Actions out;
        for (TimeNs t = a.NextAt(0); t <= FromSeconds(seconds); t = a.NextAt(t))
        {
            a.Fire(t, *follower, {1, 2}, out);
        }
        return out;
    }
};

TEST_F(NetworkAttackTest, RateIsMessagesASecondToEachPeerWithTheFractionCarried)
{
    NetworkAttack a(AttackVariant::kMalformed, 25, chain.producers[0], 1);
    const Actions out = Fire(a, 2.0);
    EXPECT_EQ(out.sends.size(), 2u * 50u);
    for (const SendAction& s : out.sends)
    {
        EXPECT_FALSE(DecodeMessage(*s.bytes).IsOk());
        EXPECT_EQ(s.bytes->size(), kMalformedBytes);
    }
}

TEST_F(NetworkAttackTest, HugeRateIsBoundedPerBurst)
{
    NetworkAttack a(AttackVariant::kDuplicate, 1e300, chain.producers[0], 1);
    Actions out;
    a.Fire(a.NextAt(0), *follower, {1}, out);
    EXPECT_EQ(out.sends.size(), kAttackBurstMax);
}

TEST_F(NetworkAttackTest, BadSignatureSpamIsNewEachTimeAndFailsItsSignature)
{
    NetworkAttack a(AttackVariant::kBadSignature, 20, chain.producers[0], 1);
    const Actions out = Fire(a, 1.0);
    std::set<Bytes> distinct;
    for (const SendAction& s : out.sends)
    {
        auto m = DecodeMessage(*s.bytes);
        ASSERT_TRUE(m.IsOk());
        EXPECT_FALSE(std::get<TxPtr>(m.Value().body)->HasValidSignature());
        distinct.insert(*s.bytes);
    }
    EXPECT_EQ(distinct.size(), 20u); // each to both peers
}

TEST_F(NetworkAttackTest, OversizedMessagesClaimATransactionAndDoNotDecode)
{
    NetworkAttack a(AttackVariant::kOversized, 10, chain.producers[0], 1);
    const Actions out = Fire(a, 0.5);
    ASSERT_FALSE(out.sends.empty());
    EXPECT_EQ(out.sends[0].type, MessageType::kTransaction);
    EXPECT_EQ(out.sends[0].bytes->size(), kOversizeBytes);
    EXPECT_FALSE(DecodeMessage(*out.sends[0].bytes).IsOk());
}

TEST_F(NetworkAttackTest, ValidSpamGoesThroughTheFollowersMempool)
{
    // The test chain's accounts are funded at genesis.
    NetworkAttack a(AttackVariant::kValid, 10, chain.accounts[0], 1);
    Fire(a, 1.0);
    EXPECT_EQ(a.Counters().messages, 10u);
    EXPECT_EQ(follower->Pool().Size(), 10u);
}

} // namespace
} // namespace canon
