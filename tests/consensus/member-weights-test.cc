// ConsensusEngine::MemberWeights, which the trace's producer_weights and the fairness measures
// read: one weight per member for every baseline, none for PoP. PoW's hash shares and PoS's stake
// shares sum to one over the members; PoI's importance is shared with every eligible account;
// DPoS's weights are votes.
#include "model/consensus/consensus-engine.h"
#include "model/sim/harness.h"

#include <gtest/gtest.h>

#include <numeric>

namespace canon
{
namespace
{

HarnessConfig
Config(Protocol p)
{
    HarnessConfig c;
    c.nodeCount = 10;
    c.producerCount = 4;
    c.txPerSecond = 5;
    c.accounts = 16;
    c.czrEpochSlots = 8; // voters vote for the top claimants: DPoS members get votes
    c.consensus.protocol = p;
    c.consensus.dpos.producers = 4;
    c.consensus.dpos.repetitions = 2;
    c.consensus.pos.activeSlotCoefficient = 0.5;
    c.consensus.pos.epochSlots = 20;
    c.consensus.poi.targetInterval = 4 * kSecond;
    c.consensus.poi.recomputeBlocks = 5;
    c.consensus.poi.finalityDepth = 5;
    c.consensus.poi.vestedMin = 1;
    if (p == Protocol::kPow)
    {
        c.slotDuration = 50 * kMillisecond;
        c.consensus.pow.meanInterval = 2 * kSecond;
    }
    return c;
}

TEST(ConsensusMemberWeights, OnePerMemberForEveryBaselineAndNoneForPop)
{
    for (Protocol p :
         {Protocol::kPop, Protocol::kPow, Protocol::kPos, Protocol::kDpos, Protocol::kPoi})
    {
        Harness h(Config(p));
        h.RunUntil(40 * kSecond);
        const ConsensusChain& chain = h.GetNode(0)->Chain();
        const std::vector<double> w = chain.Engine().MemberWeights(*chain.Best());
        const std::size_t members = h.Params().consensus.members.size();
        EXPECT_EQ(w.size(), members) << ProtocolName(p);
        const double sum = std::accumulate(w.begin(), w.end(), 0.0);
        for (double x : w)
        {
            EXPECT_GE(x, 0.0) << ProtocolName(p);
        }
        if (p == Protocol::kPow || p == Protocol::kPos)
        {
            EXPECT_NEAR(sum, 1.0, 1e-9) << ProtocolName(p);
        }
        if (p == Protocol::kPoi)
        {
            // Importance is shared with every eligible account, the wallets' too.
            EXPECT_GT(sum, 0.0);
            EXPECT_LE(sum, 1.0 + 1e-9);
        }
        if (p == Protocol::kDpos)
        {
            EXPECT_GT(sum, 0.0) << "nobody voted";
        }
    }
}

} // namespace
} // namespace canon
