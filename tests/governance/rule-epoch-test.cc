// T and N adopted by CZC governance mid-chain (issue 18, model/governance/rule-epochs.h): the
// chain's clock, schedule and finality switch at the epoch's first slot, identically on every
// chain that holds the same blocks, and a branch that never adopted the change keeps the old rules
// (a reorg across the switch).
#include "model/consensus/finality.h"
#include "tests/governance/governance-chain.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace canon
{
namespace
{

using govtest::RuleEpochTest;

// Three of seven producers online: no block ever becomes irreversible, so any fork may win.
class SlotSwitchTest : public RuleEpochTest
{
  protected:
    SlotSwitchTest()
    {
        for (std::size_t i = 0; i < 3; ++i)
        {
            online.insert(tc.producers[i].Public());
        }
    }
};

TEST_F(SlotSwitchTest, AnAdoptedSlotLengthTakesEffectAtTheNextCycleBoundary)
{
    const BlockEntry* genesis = chain->Best();
    const BlockEntry* first =
        Extend(genesis, 1, ProposalAndVotes(GovParam::kSlotDuration, 500 * kMillisecond));
    const BlockEntry* adopting = ExtendUntilAdopted(first);
    ASSERT_EQ(Epochs(adopting)->size(), 1u);
    const RuleEpoch& e = Epochs(adopting)->front();
    EXPECT_GE(adopting->block->header.timestamp - first->block->header.timestamp, 3 * kSecond);
    EXPECT_EQ(e.fromSlot, (adopting->slot / 7 + 1) * 7) << "the next cycle boundary under N = 7";
    EXPECT_EQ(e.fromTime, params->SlotStart(e.fromSlot));
    EXPECT_EQ(e.slotDuration, 500 * kMillisecond);
    EXPECT_EQ(e.producers, 7u);

    // The block before the switch and the blocks after it.
    const BlockEntry* tip = adopting;
    const BlockEntry* before = nullptr;
    const BlockEntry* after = nullptr;
    while (tip->slot < e.fromSlot + 8)
    {
        tip = Extend(tip, tip->slot + 1);
        before = tip->slot < e.fromSlot ? tip : before;
        after = after == nullptr && tip->slot >= e.fromSlot ? tip : after;
    }
    ASSERT_NE(after, nullptr);
    if (before)
    {
        EXPECT_EQ(before->block->header.timestamp, params->SlotStart(before->slot)) << "old T";
    }
    EXPECT_EQ(after->block->header.timestamp,
              e.fromTime + static_cast<TimeNs>(after->slot - e.fromSlot) * 500 * kMillisecond);
    EXPECT_EQ(chain->BestClock().SlotAt(e.fromTime + 3 * kSecond), e.fromSlot + 6);

    // Under the old T, a block after the switch is refused, naming the timestamp.
    const uint64_t late = tip->slot + 1;
    BlockPtr stale = Make(tip, late, SlotClock(params->GenesisRules(), nullptr));
    const AddBlockResult r =
        chain->AddBlock(stale, stale->Encode().size(), params->SlotStart(late) + kSecond);
    EXPECT_FALSE(r.status.IsOk());
    EXPECT_NE(r.status.Message().find("is not the start of slot"), std::string::npos)
        << r.status.Message();
}

TEST_F(SlotSwitchTest, AReorgToABranchThatNeverAdoptedRestoresTheOldSlotLength)
{
    const BlockEntry* genesis = chain->Best();
    const BlockEntry* adopting = ExtendUntilAdopted(
        Extend(genesis, 1, ProposalAndVotes(GovParam::kSlotDuration, 500 * kMillisecond)));
    const RuleEpoch e = Epochs(adopting)->front();
    const BlockEntry* main = adopting;
    while (main->slot < e.fromSlot + 2)
    {
        main = Extend(main, main->slot + 1);
    }
    ASSERT_EQ(chain->Best(), main);
    EXPECT_EQ(chain->BestClock().SlotStart(e.fromSlot + 2), e.fromTime + kSecond);

    // A branch from genesis on which account 1 rejects: exactly 3/4 approve, nothing passes.
    const BlockEntry* fork =
        Extend(genesis, 1, ProposalAndVotes(GovParam::kSlotDuration, 500 * kMillisecond, false));
    while (fork->height <= main->height)
    {
        fork = Extend(fork, fork->slot + 1);
    }
    ASSERT_EQ(chain->Best(), fork) << "the longer branch wins";
    EXPECT_FALSE(Epochs(fork));
    EXPECT_EQ(chain->BestClock().SlotStart(e.fromSlot + 2), params->SlotStart(e.fromSlot + 2));
    EXPECT_GE(fork->slot, e.fromSlot) << "the branch runs past the switch under the old T";
    EXPECT_EQ(fork->block->header.timestamp, params->SlotStart(fork->slot));

    // And back: the adopting branch, extended past the fork, puts the new T in force again.
    while (main->height <= fork->height)
    {
        main = Extend(main, main->slot + 1);
    }
    ASSERT_EQ(chain->Best(), main);
    EXPECT_EQ(chain->BestClock().SlotStart(e.fromSlot + 2), e.fromTime + kSecond);

    // Every chain fed the same blocks, in another order, ends with the same rules.
    ConsensusChain replay(params);
    std::vector<BlockPtr> order = blocks;
    std::stable_sort(order.begin(), order.end(),
                     [](const BlockPtr& a, const BlockPtr& b)
                     { return a->header.height < b->header.height; });
    for (const BlockPtr& b : order)
    {
        const AddBlockResult r = replay.AddBlock(b, b->Encode().size(), b->header.timestamp);
        ASSERT_TRUE(r.status.IsOk()) << r.status.Message();
    }
    EXPECT_EQ(replay.Best()->hash, main->hash);
    EXPECT_EQ(Epochs(replay.Best())->front().fromSlot, e.fromSlot);
}

// All producers online; N goes from 7 to 4.
class ProducerCountTest : public RuleEpochTest
{
  protected:
    ProducerCountTest()
    {
        for (const KeyPair& k : tc.producers)
        {
            online.insert(k.Public());
        }
    }
};

TEST_F(ProducerCountTest, AnAdoptedProducerCountChangesTheScheduleAndFinalityAtTheSwitch)
{
    const BlockEntry* adopting =
        ExtendUntilAdopted(Extend(chain->Best(), 1, ProposalAndVotes(GovParam::kProducers, 4)));
    const RuleEpoch e = Epochs(adopting)->front();
    ASSERT_EQ(e.producers, 4u);
    ASSERT_EQ(e.producerSet.size(), 4u) << "elected by the adopting block";
    EXPECT_FALSE(e.electSet);
    const std::set<PublicKey> elected(e.producerSet.begin(), e.producerSet.end());

    const BlockEntry* tip = adopting;
    while (tip->slot < e.fromSlot + 12)
    {
        tip = Extend(tip, tip->slot + 1);
        if (tip->slot < e.fromSlot)
        {
            EXPECT_EQ(tip->activeSet->size(), 7u);
            continue;
        }
        EXPECT_EQ(tip->activeSet->size(), 4u);
        EXPECT_TRUE(elected.count(tip->producer)) << "slot " << tip->slot;
        EXPECT_EQ(tip->lib, ComputeLib(tip, 4)) << "threshold of N = 4 (min(2*4/3+2, 4))";
    }
    // The next cycle of the new epoch gives each of the four producers one slot.
    const SlotClock clock = Engine().ClockOn(*tip);
    const uint64_t next = clock.CycleStart(tip->slot) + 4;
    EXPECT_EQ((next - e.fromSlot) % 4, 0u);
    std::set<PublicKey> scheduled;
    for (uint64_t s = next; s < next + 4; ++s)
    {
        EXPECT_EQ(clock.CycleStart(s), next);
        scheduled.insert(ScheduledProducerKey(tip, s, clock));
    }
    EXPECT_EQ(scheduled, elected);
    EXPECT_GT(tip->lib->slot, e.fromSlot) << "finality continues under the new N";
}

TEST(RuleValues, ProposalsOfUnusableValuesAreRefused)
{
    test::TestChain tc(4, 4);
    LedgerState state = LedgerState::FromGenesis(*tc.params);
    TxContext ctx = test::Ctx(tc.Czc(), tc.accounts[3].GetAddress());
    auto propose = [&](GovParam p, uint64_t v)
    {
        return state.ApplyTransaction(MakeTransaction(tc.accounts[0], TxType::kGovProposal, 0, 0,
                                                      tc.Czc(),
                                                      ProposalPayload{p, v, Hash256{}}.Encode()),
                                      ctx);
    };
    EXPECT_NE(propose(GovParam::kSlotDuration, 0).Message().find("slot-duration 0 ns is outside"),
              std::string::npos);
    EXPECT_NE(propose(GovParam::kProducers, 0).Message().find("producers 0 is outside"),
              std::string::npos);
    EXPECT_NE(propose(GovParam::kBlockSizeMax, kGovBlockSizeMax + 1).Message().find("outside"),
              std::string::npos);
    EXPECT_NE(propose(GovParam::kCzrGamma, 0).Message().find("czr-gamma 0"), std::string::npos);
    EXPECT_NE(propose(GovParam::kCandidatesPerGroup, 0).Message().find("outside"),
              std::string::npos);
    EXPECT_NE(propose(GovParam::kRewardSplit, 1001).Message().find("outside 0 to 1000"),
              std::string::npos);
    EXPECT_NE(propose(GovParam::kCzrWeights, uint64_t{1} << 50).Message().find("czr-weights"),
              std::string::npos);
    EXPECT_EQ(UnpackCzrWeights(PackCzrWeights({0.01, 10.23, 0, 1, 2.5})),
              (std::array<double, kCzrWeightCount>{0.01, 10.23, 0, 1, 2.5}));
    EXPECT_NE(propose(GovParam::kProducers, kGovProducersMax + 1).Message().find("outside"),
              std::string::npos);
    EXPECT_TRUE(propose(GovParam::kProducers, 9).IsOk());
}

} // namespace
} // namespace canon
