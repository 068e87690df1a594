// Light participants follow T and N adopted by governance as full nodes do (issue 18,
// model/node/light-node.h): full peers send each header with its chain's rule epochs, and the
// light node times headers and its own slots by them. Without the epochs it would refuse every
// header after the switch (their timestamps follow the new T).
#include "model/node/light-node.h"
#include "model/node/messages.h"
#include "tests/governance/governance-chain.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

constexpr PeerId kFull = 0;

class LightRulesTest : public govtest::RuleEpochTest
{
  protected:
    LightRulesTest()
    {
        for (std::size_t i = 0; i < 3; ++i)
        {
            online.insert(tc.producers[i].Public());
        }
    }
    LightNode MakeLight() const
    {
        LightNodeConfig c;
        c.id = 1;
        c.params = params;
        c.peers = {kFull};
        return LightNode(c);
    }
    // The chain from genesis to `tip`, oldest first.
    static std::vector<const BlockEntry*> Path(const BlockEntry* tip)
    {
        std::vector<const BlockEntry*> out;
        for (const BlockEntry* e = tip; e && e->parent; e = e->parent)
        {
            out.insert(out.begin(), e);
        }
        return out;
    }
    // Pushes every header of `path` at its own time, with its epochs when `withRules`.
    static void Push(LightNode& light, const std::vector<const BlockEntry*>& path, bool withRules)
    {
        Actions out;
        for (const BlockEntry* e : path)
        {
            light.Step(e->block->header.timestamp,
                       MessageInput{kFull, EncodeHeaderMessage(e->block->header,
                                                               withRules ? e->epochs : nullptr)},
                       out);
        }
    }
    // T halved, then blocks well past the switch.
    const BlockEntry* Switched()
    {
        std::vector<Transaction> txs =
            ProposalAndVotes(GovParam::kSlotDuration, 500 * kMillisecond);
        const BlockEntry* tip = ExtendUntilAdopted(Extend(chain->Best(), 1, txs));
        const uint64_t from = Epochs(tip)->back().fromSlot;
        while (tip->slot < from + 20)
        {
            tip = Extend(tip, tip->slot + 1);
        }
        return tip;
    }
};

TEST_F(LightRulesTest, ALightNodeFollowsHeadersPastAnAdoptedSlotLength)
{
    const BlockEntry* tip = Switched();
    const std::vector<const BlockEntry*> path = Path(tip);
    const uint64_t from = Epochs(tip)->back().fromSlot;
    LightNode light = MakeLight();
    Push(light, path, true);
    EXPECT_EQ(light.Best()->hash, tip->hash) << "followed past slot " << from;
    ASSERT_TRUE(light.Best()->rules);
    EXPECT_EQ(light.Best()->rules->back().slotDuration, 500 * kMillisecond);

    // Without the epochs the same headers stop at the switch: the old clock refuses them.
    LightNode blind = MakeLight();
    Push(blind, path, false);
    EXPECT_LT(blind.Best()->slot, from);
    EXPECT_GT(blind.Best()->height, 0u);
}

TEST_F(LightRulesTest, ALightNodeSyncsABatchTimedByTheLastHeadersEpochs)
{
    const BlockEntry* tip = Switched();
    std::vector<BlockHeader> headers;
    for (const BlockEntry* e : Path(tip))
    {
        headers.push_back(e->block->header);
    }
    ASSERT_LE(headers.size(), kHeaderBatchMax);
    LightNode light = MakeLight();
    Actions out;
    light.Step(tip->block->header.timestamp,
               MessageInput{kFull, EncodeHeadersMessage(headers, tip->epochs)}, out);
    EXPECT_EQ(light.Best()->hash, tip->hash);
}

TEST_F(LightRulesTest, APeerCannotRewriteAnEpochAHeaderWasTimedBy)
{
    const BlockEntry* tip = Switched();
    std::vector<const BlockEntry*> path = Path(tip);
    LightNode light = MakeLight();
    path.pop_back();
    Push(light, path, true);
    ASSERT_EQ(light.Best()->hash, tip->parent->hash);
    // The last header with the switch's epoch moved by one slot: refused.
    auto forged = std::make_shared<std::vector<RuleEpoch>>(*tip->epochs);
    forged->back().fromSlot += 1;
    forged->back().fromTime += forged->back().slotDuration;
    Actions out;
    light.Step(tip->block->header.timestamp,
               MessageInput{kFull, EncodeHeaderMessage(tip->block->header, forged)}, out);
    EXPECT_EQ(light.Best()->hash, tip->parent->hash);
    // The true epochs: taken.
    light.Step(tip->block->header.timestamp,
               MessageInput{kFull, EncodeHeaderMessage(tip->block->header, tip->epochs)}, out);
    EXPECT_EQ(light.Best()->hash, tip->hash);
}

TEST(RuleEpochWire, BadEpochListsAreRefusedNamingTheField)
{
    auto decode = [](const Bytes& b)
    {
        Reader r(b, "rule epochs");
        ReadRuleEpochs(r);
        return r.Finish();
    };
    auto encode = [](std::vector<RuleEpoch> v)
    {
        Bytes b;
        Writer w(b);
        WriteRuleEpochs(w, std::make_shared<const std::vector<RuleEpoch>>(std::move(v)));
        return b;
    };
    RuleEpoch a;
    a.fromSlot = 7;
    a.fromTime = 7 * kSecond;
    a.slotDuration = kSecond / 2;
    a.producers = 5;
    EXPECT_TRUE(decode(encode({a})).IsOk());
    RuleEpoch zero = a;
    zero.slotDuration = 0;
    EXPECT_NE(decode(encode({zero})).Message().find("must be positive"), std::string::npos);
    EXPECT_NE(decode(encode({a, a})).Message().find("strictly sorted"), std::string::npos);
    Bytes huge;
    Writer(huge).U32(kRuleEpochsWireMax + 1);
    EXPECT_NE(decode(huge).Message().find("rule epoch count"), std::string::npos);
}

} // namespace
} // namespace canon
