// The EOSIO 1.8 LIB rules on the hand-made header sequences of model/consensus/baselines/NOTES.md
// 1.7 (V1-V5), produced by tests/consensus/reference/dpos_lib.py (dpos_vectors.out). Producers
// A, B, C, ... are keys sorted by their bytes, so that schedule order (by name) is A, B, C, ...
#include "model/consensus/baselines/dpos-header-state.h"
#include "model/consensus/finality.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <tuple>

namespace canon
{
namespace
{

std::vector<PublicKey>
SortedKeys(uint32_t n)
{
    std::vector<PublicKey> keys;
    for (uint32_t i = 0; i < n; ++i)
    {
        keys.push_back(KeyPair::FromSeed(Blake2b256("dpos-vectors/" + std::to_string(i))).Public());
    }
    std::sort(keys.begin(), keys.end());
    return keys;
}

// Producer letter -> key: 'A' is the lowest key.
struct Names
{
    explicit Names(uint32_t n)
      : keys(SortedKeys(n))
    {
    }
    const PublicKey& operator()(char c) const { return keys[static_cast<std::size_t>(c - 'A')]; }
    std::vector<PublicKey> Of(const std::string& letters) const
    {
        std::vector<PublicKey> out;
        for (char c : letters)
        {
            out.push_back((*this)(c));
        }
        return out;
    }
    std::vector<PublicKey> keys;
};

DposParams
Reps(uint32_t repetitions, bool singleStage = false)
{
    DposParams p;
    p.repetitions = repetitions;
    p.singleStageLib = singleStage;
    return p;
}

// One row of a vector table: the block `label` on `parent` in `slot` with `confirmed`, and what
// it must give.
struct Row
{
    std::string parent;
    uint64_t slot;
    uint64_t confirmed;
    std::string label;
    char producer;
    uint64_t plib;
    uint64_t lib;
};

// Applies the rows in order to the states named by their parents; checks every row.
std::map<std::string, DposHeaderState>
RunRows(const Names& names, DposHeaderState start, const std::vector<Row>& rows,
        const DposParams& params)
{
    std::map<std::string, DposHeaderState> states{{"g", std::move(start)}};
    for (const Row& r : rows)
    {
        const DposHeaderState& parent = states.at(r.parent);
        const PublicKey& scheduled =
            parent.active
                ->producers[DposScheduledIndex(*parent.active, r.slot, params.repetitions)];
        EXPECT_EQ(scheduled, names(r.producer)) << "block " << r.label;
        EXPECT_TRUE(DposCheckConfirmed(parent, scheduled, r.confirmed).IsOk()) << r.label;
        DposHeaderState s = DposNextHeaderState(parent, r.slot, r.confirmed, params);
        EXPECT_EQ(s.plib, r.plib) << "PLIB after block " << r.label;
        EXPECT_EQ(s.lib, r.lib) << "LIB after block " << r.label;
        states[r.label] = std::move(s);
    }
    return states;
}

// V1: the honest round robin, n = 4, reps = 1 (dpos_vectors.out, every row).
std::vector<Row>
V1Rows()
{
    return {{"g", 1, 0, "1", 'B', 0, 0},     {"1", 2, 1, "2", 'C', 0, 0},
            {"2", 3, 2, "3", 'D', 1, 0},     {"3", 4, 3, "4", 'A', 2, 0},
            {"4", 5, 3, "5", 'B', 3, 0},     {"5", 6, 3, "6", 'C', 4, 1},
            {"6", 7, 3, "7", 'D', 5, 2},     {"7", 8, 3, "8", 'A', 6, 3},
            {"8", 9, 3, "9", 'B', 7, 4},     {"9", 10, 3, "10", 'C', 8, 5},
            {"10", 11, 3, "11", 'D', 9, 6},  {"11", 12, 3, "12", 'A', 10, 7},
            {"12", 13, 3, "13", 'B', 11, 8}, {"13", 14, 3, "14", 'C', 12, 9}};
}

// V2: the common prefix and the fork of EOSIO issue 2718, n = 3, reps = 1.
std::vector<Row>
V2PrefixRows()
{
    return {{"g", 3, 0, "1", 'A', 0, 0},   {"1", 4, 1, "2", 'B', 0, 0},
            {"2", 5, 2, "3", 'C', 1, 0},   {"3", 6, 2, "4", 'A', 2, 0},
            {"4", 7, 2, "5", 'B', 3, 0},   {"5", 8, 2, "6", 'C', 4, 1},
            {"6", 9, 2, "7a", 'A', 5, 2},  {"6", 10, 1, "7b", 'B', 4, 1},
            {"7b", 11, 1, "8c", 'C', 4, 1}};
}

std::vector<Row>
Concat(std::vector<Row> a, const std::vector<Row>& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

TEST(ConsensusDpos, V1HonestRoundRobinGivesThePlibAndLibOfTheNotes)
{
    Names names(4);
    RunRows(names, DposStartState(MakeDposSchedule(0, names.Of("ABCD")), 0, 0), V1Rows(), Reps(1));
}

TEST(ConsensusDpos, V2aIssue2718ADisclosesAndTheConflictingBlockNeverGetsItsVote)
{
    Names names(3);
    // A signed 7a, so its watermark is 7 and 9a confirms only 8c.
    const std::vector<Row> honest = {{"8c", 12, 1, "9a", 'A', 4, 4},
                                     {"9a", 13, 2, "10b", 'B', 8, 4},
                                     {"10b", 14, 2, "11c", 'C', 9, 4},
                                     {"11c", 15, 2, "12a", 'A', 10, 4},
                                     {"12a", 16, 2, "13b", 'B', 11, 8}};
    auto states = RunRows(names, DposStartState(MakeDposSchedule(0, names.Of("ABC")), 0, 2),
                          Concat(V2PrefixRows(), honest), Reps(1));
    // 7b never becomes the PLIB by itself: the PLIB jumps from 4 to 8 over it.
    for (const char* label : {"7b", "8c", "9a"})
    {
        EXPECT_LT(states.at(label).plib, 7u) << label;
    }
}

TEST(ConsensusDpos, V2bOverConfirmationIsAcceptedAndMakes7bIrreversibleWithAsVote)
{
    Names names(3);
    // A confirms back to its last block on this branch (4): header validation cannot see 7a.
    const std::vector<Row> naive = {{"8c", 12, 4, "9a", 'A', 7, 4},
                                    {"9a", 13, 2, "10b", 'B', 8, 4},
                                    {"10b", 14, 2, "11c", 'C', 9, 4},
                                    {"11c", 15, 2, "12a", 'A', 10, 7},
                                    {"12a", 16, 2, "13b", 'B', 11, 8}};
    RunRows(names, DposStartState(MakeDposSchedule(0, names.Of("ABC")), 0, 2),
            Concat(V2PrefixRows(), naive), Reps(1));
}

TEST(ConsensusDpos, DoubleConfirmationOnTheSameChainIsRejectedWithItsBlocks)
{
    Names names(3);
    auto states = RunRows(names, DposStartState(MakeDposSchedule(0, names.Of("ABC")), 0, 2),
                          V2PrefixRows(), Reps(1));
    const DposHeaderState& on8c = states.at("8c");
    // A's last block on this branch is 4: block 9 may confirm 4 blocks (back to 5), not 5.
    EXPECT_TRUE(DposCheckConfirmed(on8c, names('A'), 4).IsOk());
    Status s = DposCheckConfirmed(on8c, names('A'), 5);
    EXPECT_EQ(s.Code(), StatusCode::kInvalid);
    EXPECT_NE(s.Message().find("double-confirms"), std::string::npos) << s.Message();
    EXPECT_NE(s.Message().find("back to #4"), std::string::npos) << s.Message();
    EXPECT_NE(s.Message().find("its own last block on this chain is #4"), std::string::npos);
    EXPECT_NE(s.Message().find(ShortHex(names('A'))), std::string::npos) << s.Message();
    // A range reaching genesis is refused even for a producer whose last block is genesis.
    Status g = DposCheckConfirmed(on8c, names('B'), 9);
    EXPECT_EQ(g.Code(), StatusCode::kInvalid);
    EXPECT_NE(g.Message().find("genesis or before"), std::string::npos) << g.Message();
}

TEST(ConsensusDpos, V3PendingScheduleBecomesActiveOnlyWhenItsBlockIsIrreversible)
{
    Names names(5);
    const DposParams params = Reps(1);
    DposHeaderState s = DposStartState(MakeDposSchedule(0, names.Of("ABCD")), 0, 0);
    const DposSchedulePtr next = MakeDposSchedule(1, names.Of("EABC")); // sorted: A, B, C, E
    ASSERT_EQ(next->producers, names.Of("ABCE"));
    // dpos_vectors.out V3: (producer, confirmed, PLIB, LIB) for blocks 1..20, slot = block.
    const std::vector<std::tuple<char, uint64_t, uint64_t, uint64_t>> rows = {
        {'B', 0, 0, 0},   {'C', 1, 0, 0},   {'D', 2, 1, 0},   {'A', 3, 2, 0},   {'B', 3, 3, 0},
        {'C', 3, 4, 1},   {'D', 3, 5, 2},   {'A', 3, 6, 3},   {'B', 3, 7, 4},   {'C', 3, 8, 5},
        {'E', 0, 8, 6},   {'A', 3, 9, 7},   {'B', 3, 11, 8},  {'C', 3, 12, 8},  {'E', 3, 13, 9},
        {'A', 3, 14, 11}, {'B', 3, 15, 12}, {'C', 3, 16, 13}, {'E', 3, 17, 14}, {'A', 3, 18, 15}};
    for (uint64_t b = 1; b <= rows.size(); ++b)
    {
        const auto& [producer, confirmed, plib, lib] = rows[b - 1];
        bool promoted = false;
        DposHeaderState child = DposNextHeaderState(s, b, confirmed, params, &promoted);
        if (b == 5)
        {
            DposSetPending(s, child, next);
        }
        EXPECT_EQ(child.producer, names(producer)) << "block " << b;
        EXPECT_EQ(child.plib, plib) << "block " << b;
        EXPECT_EQ(child.lib, lib) << "block " << b;
        // Slots 6-10 still belong to the old schedule; block 10 is the first with LIB >= 5.
        EXPECT_EQ(promoted, b == 10) << "block " << b;
        EXPECT_EQ(child.active->version, b >= 10 ? 1u : 0u) << "block " << b;
        EXPECT_EQ(child.pending != nullptr, b >= 5 && b < 10) << "block " << b;
        s = std::move(child);
    }
    // D left the schedule with block 10: it has no implied PLIB any more.
    EXPECT_EQ(DposFind(s.lastImplied, names('D')), nullptr);
}

// The producer plugin's watermark rule on a chain where every slot is filled.
struct HonestRow
{
    uint64_t block;
    uint32_t producer;
    uint64_t confirmed;
    uint64_t plib;
    uint64_t lib;
};

std::vector<HonestRow>
HonestChain(uint32_t n, const DposParams& params, uint64_t blocks)
{
    const std::vector<PublicKey> keys = SortedKeys(n);
    DposHeaderState s = DposStartState(MakeDposSchedule(0, keys), 0, 0);
    std::map<PublicKey, uint64_t> watermark;
    std::vector<HonestRow> rows;
    for (uint64_t slot = 1; slot <= blocks; ++slot)
    {
        const uint32_t who = DposScheduledIndex(*s.active, slot, params.repetitions);
        const uint64_t c = DposHonestConfirmations(s.blockNum, s.lib, watermark[keys[who]]);
        s = DposNextHeaderState(s, slot, c, params);
        watermark[keys[who]] = s.blockNum;
        rows.push_back({s.blockNum, who, c, s.plib, s.lib});
    }
    return rows;
}

TEST(ConsensusDpos, V1ConfirmationsFollowTheWatermarkRule)
{
    const auto rows = HonestChain(4, Reps(1), 14);
    const std::vector<uint64_t> confirmed = {0, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3};
    for (std::size_t i = 0; i < rows.size(); ++i)
    {
        EXPECT_EQ(rows[i].confirmed, confirmed[i]) << "block " << rows[i].block;
    }
}

TEST(ConsensusDpos, V4TwentyOneProducersTwelveBlocksEachLibLagsAsInEosio)
{
    const auto rows = HonestChain(21, Reps(12), 21 * 12 * 4);
    auto first = [&](auto pred) { return *std::find_if(rows.begin(), rows.end(), pred); };
    const HonestRow plib = first([](const HonestRow& r) { return r.plib > 0; });
    EXPECT_EQ(plib.block, 168u);
    EXPECT_EQ(plib.plib, 11u);
    const HonestRow lib = first([](const HonestRow& r) { return r.lib > 0; });
    EXPECT_EQ(lib.block, 336u);
    EXPECT_EQ(lib.lib, 11u);
    EXPECT_EQ(lib.confirmed, 240u);
    EXPECT_EQ(lib.plib, 179u);
    // (block, producer, confirmed, PLIB, LIB) from dpos_vectors.out.
    const std::vector<HonestRow> expected = {{252, 0, 240, 95, 0},    {253, 0, 0, 95, 0},
                                             {500, 20, 0, 335, 167},  {756, 0, 240, 599, 431},
                                             {1000, 20, 0, 839, 671}, {1008, 0, 240, 851, 683}};
    for (const HonestRow& e : expected)
    {
        const HonestRow& r = rows[e.block - 1];
        EXPECT_EQ(r.producer, e.producer) << "block " << e.block;
        EXPECT_EQ(r.confirmed, e.confirmed) << "block " << e.block;
        EXPECT_EQ(r.plib, e.plib) << "block " << e.block;
        EXPECT_EQ(r.lib, e.lib) << "block " << e.block;
    }
    uint64_t lagMin = UINT64_MAX, lagMax = 0;
    for (std::size_t i = 600; i < rows.size(); ++i)
    {
        lagMin = std::min(lagMin, rows[i].block - rows[i].lib);
        lagMax = std::max(lagMax, rows[i].block - rows[i].lib);
    }
    EXPECT_EQ(lagMin, 325u);
    EXPECT_EQ(lagMax, 336u);
    // Slot t (= block t here) is schedule[(t mod 252) div 12]: twelve consecutive blocks per
    // turn, in schedule order (the first turn has 11: slot 0 is genesis).
    std::vector<uint64_t> runs;
    for (std::size_t i = 0; i < rows.size(); ++i)
    {
        EXPECT_EQ(rows[i].producer, (rows[i].block / 12) % 21) << "block " << rows[i].block;
        if (i == 0 || rows[i].producer != rows[i - 1].producer)
        {
            runs.push_back(0);
        }
        ++runs.back();
    }
    ASSERT_EQ(runs.size(), 85u); // 11 + 83 * 12 + 1 = 1008
    EXPECT_EQ(runs.front(), 11u);
    EXPECT_EQ(std::count(runs.begin() + 1, runs.end() - 1, 12u), 83)
        << "every full turn has 12 blocks; the last is cut by the end of the run";
    EXPECT_EQ(runs.back(), 1u);
}

TEST(ConsensusDpos, V5SingleStageLibOnTheV1AndV2Chains)
{
    Names names4(4);
    std::vector<Row> v1 = V1Rows();
    const std::vector<uint64_t> v1Lib = {0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    for (std::size_t i = 0; i < v1.size(); ++i)
    {
        v1[i].lib = v1Lib[i]; // the PLIB column is the same under both rules
    }
    RunRows(names4, DposStartState(MakeDposSchedule(0, names4.Of("ABCD")), 0, 0), v1,
            Reps(1, true));

    Names names3(3);
    std::vector<Row> v2 = Concat(V2PrefixRows(), {{"8c", 12, 1, "9a", 'A', 4, 0},
                                                  {"9a", 13, 2, "10b", 'B', 8, 0},
                                                  {"10b", 14, 2, "11c", 'C', 9, 0},
                                                  {"11c", 15, 2, "12a", 'A', 10, 0},
                                                  {"12a", 16, 2, "13b", 'B', 11, 0}});
    // dpos_vectors.out V5: 7a side 0,0,1,2,3,4,5; 7b side 0,0,1,2,3,4,4,4,7,8,9,10,11.
    const std::map<std::string, uint64_t> lib = {
        {"1", 0},  {"2", 0},  {"3", 1},  {"4", 2},   {"5", 3},   {"6", 4},    {"7a", 5},
        {"7b", 4}, {"8c", 4}, {"9a", 7}, {"10b", 8}, {"11c", 9}, {"12a", 10}, {"13b", 11}};
    for (Row& r : v2)
    {
        r.lib = lib.at(r.label);
    }
    RunRows(names3, DposStartState(MakeDposSchedule(0, names3.Of("ABC")), 0, 2), v2, Reps(1, true));
}

TEST(ConsensusDpos, V5SingleStageAgreesWithTheDistinctProducerWalk)
{
    // The same rule as finality.h's ComputeLib with threshold floor(2n/3)+1; with PoP's
    // floor(2N/3)+2 capped at N (t = 4) the notes give 0,0,0,1,...,11.
    Names names(4);
    std::vector<std::unique_ptr<BlockEntry>> chain;
    chain.push_back(std::make_unique<BlockEntry>());
    chain[0]->lib = chain[0].get();
    DposHeaderState s = DposStartState(MakeDposSchedule(0, names.Of("ABCD")), 0, 0);
    const std::vector<uint64_t> popLib = {0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    for (const Row& r : V1Rows())
    {
        s = DposNextHeaderState(s, r.slot, r.confirmed, Reps(1, true));
        auto e = std::make_unique<BlockEntry>();
        e->parent = chain.back().get();
        e->height = s.blockNum;
        e->producer = s.producer;
        EXPECT_EQ(ComputeLib(e.get(), DposRequiredConfirmations(4))->height, s.lib);
        e->lib = ComputeLib(e.get(), 4);
        EXPECT_EQ(e->lib->height, popLib[s.blockNum - 1]) << "block " << s.blockNum;
        chain.push_back(std::move(e));
    }
}

TEST(ConsensusDpos, ALoneProducerMakesEachBlockThePlibAndItsParentTheLib)
{
    // EOSIO's own start (one producer): every block is its own PLIB at once, and the LIB is the
    // PLIB its producer had implied, the parent's: head - 1. Only with one producer is the
    // producer's own replaced value the one the LIB index picks.
    Names names(1);
    DposHeaderState s = DposStartState(MakeDposSchedule(0, names.Of("A")), 0, 0);
    for (uint64_t slot = 1; slot <= 30; ++slot)
    {
        s = DposNextHeaderState(s, slot, 0, Reps(12));
        EXPECT_EQ(s.plib, slot);
        EXPECT_EQ(s.lib, slot - 1);
        EXPECT_TRUE(s.confirmCount.empty());
    }
}

TEST(ConsensusDpos, ConfirmationCountersAreBoundedAndTheOldestIsDropped)
{
    Names names(4);
    DposHeaderState s = DposStartState(MakeDposSchedule(0, names.Of("ABCD")), 0, 0);
    // Nobody confirms anything: every block keeps waiting for two more votes.
    for (uint64_t slot = 1; slot <= kDposConfirmationsTracked + 100; ++slot)
    {
        s = DposNextHeaderState(s, slot, 0, Reps(1));
    }
    EXPECT_EQ(s.confirmCount.size(), kDposConfirmationsTracked);
    EXPECT_EQ(s.plib, 0u);
    // Block numbers still follow counter positions after drops: two blocks that confirm the
    // three blocks since their producers' last ones give block 1124 its third vote.
    const uint64_t next = kDposConfirmationsTracked + 101;
    s = DposNextHeaderState(s, next, 3, Reps(1));
    EXPECT_EQ(s.plib, 0u);
    s = DposNextHeaderState(s, next + 1, 3, Reps(1));
    EXPECT_EQ(s.plib, next - 1);
    EXPECT_EQ(s.confirmCount.size(), 2u) << "counters of 1125 and 1126 remain";
}

TEST(ConsensusDpos, HonestConfirmationsStopAtTheWatermarkAndTheLib)
{
    EXPECT_EQ(DposHonestConfirmations(10, 2, 7), 3u);
    EXPECT_EQ(DposHonestConfirmations(10, 8, 0), 2u) << "never below the head's LIB";
    EXPECT_EQ(DposHonestConfirmations(10, 2, 10), 0u) << "watermark at the head";
    EXPECT_EQ(DposHonestConfirmations(10, 2, 12), 0u) << "signed higher on another branch";
    EXPECT_EQ(DposHonestConfirmations(100000, 0, 0), kDposConfirmedMax);
}

} // namespace
} // namespace canon
