// PoiEngine on hand-built chains: who may harvest when, fork choice by cumulative score, the
// depth rule for finality, importances recomputed from the chain's own transfers at grouped
// heights, outlink history bounded by age, and determinism.
#include "model/consensus/baselines/poi-harvest.h"
#include "tests/consensus/poi-test-chain.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

using test::PoiTestChain;

const PoiState&
StateOf(const BlockEntry* e)
{
    return PoiStateOf(*e);
}

TEST(ConsensusPoiEngine, UnusableParametersAreNamed)
{
    auto check = [](const std::function<void(ChainParams&)>& tweak)
    {
        ChainParams p;
        p.consensus.protocol = Protocol::kPoi;
        p.consensus.members.push_back(test::Key("m").Public());
        tweak(p);
        return CheckPoiParams(p).Message();
    };
    EXPECT_EQ(check([](ChainParams&) {}), "");
    EXPECT_NE(check([](ChainParams& p) { p.consensus.poi.recomputeBlocks = 0; })
                  .find("consensus.poi.recomputeBlocks"),
              std::string::npos);
    EXPECT_NE(check([](ChainParams& p) { p.consensus.poi.finalityDepth = 0; })
                  .find("consensus.poi.finalityDepth"),
              std::string::npos);
    EXPECT_NE(check([](ChainParams& p) { p.consensus.poi.targetInterval = kSecond / 2; })
                  .find("consensus.poi.targetInterval"),
              std::string::npos);
    EXPECT_NE(check([](ChainParams& p) { p.consensus.poi.vestedMin = 0; })
                  .find("consensus.poi.vestedMin"),
              std::string::npos);
    EXPECT_NE(check([](ChainParams& p) { p.consensus.members.clear(); }).find("consensus.members"),
              std::string::npos);
}

TEST(ConsensusPoiEngine, GenesisVestsTheAllocationAndLeavesThePoolOut)
{
    PoiTestChain c(4);
    const PoiState& s = StateOf(c.Genesis());
    EXPECT_EQ(s.accounts.Find(PopPoolAddress()), nullptr);
    for (const KeyPair& m : c.members)
    {
        const PoiAccount* a = s.accounts.Find(m.GetAddress());
        ASSERT_NE(a, nullptr);
        EXPECT_EQ(a->balance.unvested, 0u);
        EXPECT_EQ(a->balance.vested, c.Genesis()->state->BalanceOf(m.GetAddress()));
        EXPECT_GT(s.importances->EffectiveOf(m.GetAddress()), 0u);
    }
    // Members, team and community: six accounts, all eligible.
    EXPECT_EQ(s.importances->accounts.size(), 6u);
    EXPECT_EQ(s.difficulty, c.engine->Rules().initialDifficulty);
}

TEST(ConsensusPoiEngine, CheckProducerAcceptsTheHarvesterFromItsFirstTickOnly)
{
    PoiTestChain c(4);
    const BlockEntry* g = c.Genesis();
    const auto [who, slot] = c.Winner(g);
    EXPECT_TRUE(c.engine->CheckProducer(*g, c.MakeBlock(g, c.members[who], slot)->header).IsOk());
    EXPECT_TRUE(
        c.engine->CheckProducer(*g, c.MakeBlock(g, c.members[who], slot + 5)->header).IsOk());
    if (slot > 1)
    {
        const Status early =
            c.engine->CheckProducer(*g, c.MakeBlock(g, c.members[who], slot - 1)->header);
        EXPECT_FALSE(early.IsOk());
        EXPECT_NE(early.Message().find("hit not below target"), std::string::npos)
            << early.Message();
    }
}

TEST(ConsensusPoiEngine, CheckProducerRejectsOutsidersProofsAndStaleSlotsWithReasons)
{
    PoiTestChain c(4);
    const BlockEntry* g = c.Genesis();
    const auto [who, slot] = c.Winner(g);
    const KeyPair outsider = test::Key("not-a-member");
    const Status notMember = c.engine->CheckProducer(*g, c.MakeBlock(g, outsider, slot)->header);
    EXPECT_NE(notMember.Message().find("not a harvester"), std::string::npos);

    BlockHeader withProof = c.MakeBlock(g, c.members[who], slot)->header;
    withProof.proof = {1, 2, 3};
    EXPECT_NE(c.engine->CheckProducer(*g, withProof).Message().find("carries a proof"),
              std::string::npos);

    const BlockEntry* b1 = c.Extend(g);
    const Status stale =
        c.engine->CheckProducer(*b1, c.MakeBlock(b1, c.members[0], b1->slot)->header);
    EXPECT_NE(stale.Message().find("does not follow its parent's slot"), std::string::npos);
}

TEST(ConsensusPoiEngine, AMemberWithoutImportanceMayNotHarvest)
{
    // Member 4 is a key with no genesis allocation: below vestedMin, so not in the table.
    const KeyPair poor = test::Key("poor-member");
    PoiTestChain c(4, [&poor](ChainParams& p) { p.consensus.members.push_back(poor.Public()); });
    const BlockEntry* g = c.Genesis();
    EXPECT_FALSE(c.engine->NextProductionSlot(*g, poor.Public(), 1, UINT64_MAX / 2).has_value());
    const Status s = c.engine->CheckProducer(*g, c.MakeBlock(g, poor, 1000000)->header);
    EXPECT_NE(s.Message().find("no importance"), std::string::npos) << s.Message();
}

TEST(ConsensusPoiEngine, NextProductionSlotIsTheFirstEligibleTickWithinTheWindow)
{
    PoiTestChain c(4);
    const BlockEntry* g = c.Genesis();
    const PublicKey& key = c.members[1].Public();
    const uint64_t ticks = *c.engine->TicksToHarvest(*g, key);
    EXPECT_EQ(c.engine->NextProductionSlot(*g, key, 1, UINT64_MAX / 2), ticks);
    EXPECT_EQ(c.engine->NextProductionSlot(*g, key, ticks + 7, 10), ticks + 7);
    EXPECT_FALSE(c.engine->NextProductionSlot(*g, key, 1, ticks - 1).has_value());
    EXPECT_EQ(c.engine->NextProductionSlot(*g, key, 1, ticks), ticks);
}

TEST(ConsensusPoiEngine, TheEarlierOfTwoRivalBlocksScoresHigher)
{
    PoiTestChain c(4);
    const BlockEntry* g = c.Genesis();
    std::vector<std::pair<uint64_t, std::size_t>> slots;
    for (std::size_t i = 0; i < c.members.size(); ++i)
    {
        slots.emplace_back(*c.engine->NextProductionSlot(*g, c.members[i].Public(), 1, 1u << 30),
                           i);
    }
    std::sort(slots.begin(), slots.end());
    const BlockEntry* first = c.Add(g, c.MakeBlock(g, c.members[slots[0].second], slots[0].first));
    const BlockEntry* second = c.Add(g, c.MakeBlock(g, c.members[slots[1].second], slots[1].first));
    const uint64_t d = c.engine->Rules().initialDifficulty;
    EXPECT_EQ(first->weight.primary, 0u);
    EXPECT_EQ(first->weight.secondary, d - slots[0].first);
    EXPECT_EQ(second->weight.secondary, d - slots[1].first);
    if (slots[0].first < slots[1].first)
    {
        EXPECT_TRUE(first->weight > second->weight);
    }
    EXPECT_NE(StateOf(first).generationHash, StateOf(second).generationHash);
}

TEST(ConsensusPoiEngine, ScoresBeyondSixtyFourBitsStillOrderChains)
{
    PoiTestChain c(2);
    auto entryWithScore = [](PoiScore score)
    {
        auto s = std::make_shared<PoiState>();
        s->score = score;
        BlockEntry e;
        e.consensus = s;
        return e;
    };
    const PoiScore big = PoiScore{1} << 64;
    const ForkWeight above = c.engine->WeightOf(entryWithScore(big + 5));
    const ForkWeight below = c.engine->WeightOf(entryWithScore(big - 1));
    EXPECT_EQ(above.primary, 1u);
    EXPECT_EQ(above.secondary, 5u);
    EXPECT_TRUE(above > below);
}

TEST(ConsensusPoiEngine, LibIsFinalityDepthBlocksDeepAndFinalityIsProbabilistic)
{
    PoiTestChain c(3, [](ChainParams& p) { p.consensus.poi.finalityDepth = 3; });
    const BlockEntry* tip = c.Genesis();
    for (int i = 0; i < 6; ++i)
    {
        tip = c.Extend(tip);
    }
    EXPECT_EQ(tip->lib->height, 3u);
    EXPECT_EQ(BlockTree::AncestorAt(tip, 3), tip->lib);
    EXPECT_EQ(BlockTree::AncestorAt(tip, 2)->lib, c.Genesis());
    EXPECT_FALSE(c.engine->DeterministicFinality());
    EXPECT_EQ(c.engine->PruneDepth(), 12u);
}

TEST(ConsensusPoiEngine, DifficultyOfABlockIsWhatItsParentAnnounced)
{
    PoiTestChain c(3);
    const BlockEntry* tip = c.Genesis();
    for (int i = 0; i < 5; ++i)
    {
        const BlockEntry* next = c.Extend(tip);
        EXPECT_EQ(StateOf(next).difficulty, StateOf(tip).nextDifficulty);
        const uint64_t ticks = next->slot - tip->slot;
        EXPECT_TRUE(StateOf(next).score ==
                    StateOf(tip).score + PoiBlockScore(StateOf(next).difficulty, ticks));
        tip = next;
    }
    // Two blocks known: the rule moved the difficulty, within 5% of the last.
    const uint64_t d = c.engine->Rules().initialDifficulty;
    EXPECT_NE(StateOf(tip).nextDifficulty, d);
}

TEST(ConsensusPoiEngine, ImportancesAreRecomputedFromTheChainsOwnTransfersAtGroupedHeights)
{
    PoiTestChain c(4, [](ChainParams& p) { p.consensus.poi.recomputeBlocks = 3; });
    const BlockEntry* g = c.Genesis();
    const Address to = c.members[1].GetAddress();
    const uint64_t amount = 50000000 * kUnitsPerCzr;
    const BlockEntry* b1 = c.Extend(g, {c.Transfer(c.members[0], to, amount, g)});
    const BlockEntry* b2 = c.Extend(b1);
    const BlockEntry* b3 = c.Extend(b2);

    // Blocks 1 and 2 are harvested with genesis importances; block 3 recomputes.
    EXPECT_EQ(StateOf(b1).importances, StateOf(g).importances);
    EXPECT_EQ(StateOf(b2).importances, StateOf(g).importances);
    EXPECT_EQ(StateOf(b3).importances->height, 3u);

    // The transfer became an outlink weighted by the (fully vested) sender's share, and the
    // received amount is unvested.
    const PoiAccount* sender = StateOf(b1).accounts.Find(c.members[0].GetAddress());
    ASSERT_TRUE(sender && sender->outlinks);
    EXPECT_EQ(sender->outlinks->height, 1u);
    ASSERT_EQ(sender->outlinks->links.size(), 1u);
    EXPECT_EQ(sender->outlinks->links[0], std::make_pair(to, amount));
    const PoiAccount* recipient = StateOf(b1).accounts.Find(to);
    ASSERT_NE(recipient, nullptr);
    EXPECT_GE(recipient->balance.unvested, amount);

    // Sending counts for the sender (0.25 of the amount net) and against the recipient.
    const auto& before = *StateOf(g).importances;
    const auto& after = *StateOf(b3).importances;
    EXPECT_GT(after.ImportanceOf(c.members[0].GetAddress()),
              before.ImportanceOf(c.members[0].GetAddress()));
    EXPECT_LT(after.ImportanceOf(to), before.ImportanceOf(to));

    // Every tracked account mirrors its ledger balance (fees and rewards included).
    for (const auto& [address, account] : StateOf(b3).accounts)
    {
        EXPECT_EQ(account.balance.Total(), b3->state->BalanceOf(address));
    }
}

TEST(ConsensusPoiEngine, OutlinksOlderThanTheWindowAreDroppedAndThenPruned)
{
    // A 12-hour target makes a day two blocks: the window is 60 blocks, history 62.
    PoiTestChain c(3,
                   [](ChainParams& p)
                   {
                       p.consensus.poi.targetInterval = 12 * 3600 * kSecond;
                       p.consensus.poi.recomputeBlocks = 5;
                   });
    ASSERT_EQ(c.engine->Rules().blocksPerDay, 2u);
    const BlockEntry* tip = c.Genesis();
    const Address to = c.members[1].GetAddress();
    tip = c.Extend(tip, {c.Transfer(c.members[0], to, 5000000 * kUnitsPerCzr, tip)});
    std::vector<Address> eligible;
    while (tip->height < 65)
    {
        tip = c.Extend(tip);
        if (tip->height == 60 || tip->height == 62)
        {
            eligible.clear();
            const auto g =
                PoiGraphAt(StateOf(tip).accounts, tip->height, c.engine->Rules(), eligible);
            EXPECT_EQ(g.links.size(), tip->height == 60 ? 1u : 0u) << tip->height;
        }
    }
    // Pruned at the recompute of height 65: nothing older than 65 - 62 = 3 is kept. The state
    // of height 64 still holds the link (structurally shared, never changed).
    const PoiAccount* now = StateOf(tip).accounts.Find(c.members[0].GetAddress());
    const PoiAccount* before =
        StateOf(BlockTree::AncestorAt(tip, 64)).accounts.Find(c.members[0].GetAddress());
    ASSERT_TRUE(now != nullptr && before != nullptr);
    EXPECT_FALSE(now->outlinks);
    EXPECT_TRUE(before->outlinks);
}

TEST(ConsensusPoiEngine, SameChainTwiceGivesIdenticalStates)
{
    auto build = []()
    {
        auto c = std::make_unique<PoiTestChain>(5, [](ChainParams& p)
                                                { p.consensus.poi.recomputeBlocks = 4; });
        const BlockEntry* tip = c->Genesis();
        for (int i = 0; i < 12; ++i)
        {
            std::vector<Transaction> txs;
            if (i % 3 == 0)
            {
                txs.push_back(
                    c->Transfer(c->members[static_cast<std::size_t>(i) % 5],
                                c->members[(static_cast<std::size_t>(i) + 1) % 5].GetAddress(),
                                (1000000 + static_cast<uint64_t>(i)) * kUnitsPerCzr, tip));
            }
            tip = c->Extend(tip, std::move(txs));
        }
        return c;
    };
    const auto a = build();
    const auto b = build();
    ASSERT_EQ(a->entries.size(), b->entries.size());
    for (std::size_t i = 0; i < a->entries.size(); ++i)
    {
        const BlockEntry& x = *a->entries[i];
        const BlockEntry& y = *b->entries[i];
        EXPECT_EQ(x.hash, y.hash);
        EXPECT_EQ(x.weight, y.weight);
        EXPECT_EQ(PoiStateOf(x).generationHash, PoiStateOf(y).generationHash);
        EXPECT_EQ(PoiStateOf(x).nextDifficulty, PoiStateOf(y).nextDifficulty);
        EXPECT_EQ(PoiStateOf(x).importances->importance, PoiStateOf(y).importances->importance);
    }
}

} // namespace
} // namespace canon
