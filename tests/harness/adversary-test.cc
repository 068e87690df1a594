// Adversary tests: each kind of byzantine producer (model/node/adversary.h) in the harness, with
// the checkers running after every step. What they show is what PROTOCOL.md 2.4 promises: safety
// with fewer than N/3 byzantine producers, evidence that slashes an equivocator, and a report that
// says so when finality stalls.
#include "model/consensus/election.h"
#include "model/sim/harness.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

HarnessConfig
With(uint64_t seed, std::vector<AdversarySpec> adversaries)
{
    HarnessConfig c;
    c.seed = seed;
    c.nodeCount = 30;
    c.producerCount = 21;
    c.txPerSecond = 10;
    c.adversaries = std::move(adversaries);
    return c;
}

AdversarySpec
Spec(uint32_t producer, AdversaryKind kind)
{
    AdversarySpec s;
    s.producer = producer;
    s.kind = kind;
    return s;
}

std::string
Describe(const HarnessReport& r)
{
    return "reproduce with: canonsim-harness --seed " + std::to_string(r.seed) + "\n" +
           FormatSummary(r);
}

const PublicKey&
KeyOf(const Harness& h, uint32_t producer)
{
    return h.Params().producers[producer];
}

// Honest nodes that are up.
std::vector<const Node*>
Honest(const Harness& h)
{
    std::vector<const Node*> out;
    for (uint32_t i = 0; i < h.NodeCount(); ++i)
    {
        if (!h.IsByzantine(i) && h.GetNode(i))
        {
            out.push_back(h.GetNode(i));
        }
    }
    return out;
}

TEST(Adversary, EquivocatorIsSlashedOnChainAndProducesNothingAfterwards)
{
    Harness h(With(21, {Spec(4, AdversaryKind::kEquivocator)}));
    h.RunUntil(90 * kSecond);
    HarnessReport r = h.Report();
    ASSERT_TRUE(r.Safe()) << Describe(r);
    EXPECT_GE(r.equivocations, 1u) << Describe(r);
    EXPECT_EQ(r.slashedKeys, 1u) << Describe(r);
    EXPECT_GT(r.libHeightMin, 40u) << "liveness with one slashed producer\n" << Describe(r);
    const PublicKey& offender = KeyOf(h, 4);
    for (const Node* n : Honest(h))
    {
        const LedgerState& st = n->Chain().BestState();
        ASSERT_EQ(st.Pop().slashed.count(offender), 1u) << "node " << n->Id();
        EXPECT_EQ(st.BalanceOf(AddressOf(offender)), 0u) << "its deposit is gone";
        // Nothing it signed sits above the block that slashed it.
        const uint64_t slashedAt = st.Pop().slashed.at(offender);
        for (const BlockEntry* e = n->Chain().Best(); e->height > slashedAt; e = e->parent)
        {
            EXPECT_NE(e->producer, offender) << "height " << e->height;
        }
    }
}

TEST(Adversary, WithholdingCoalitionsPrivateChainLosesAndNothingIrreversibleIsReverted)
{
    std::vector<AdversarySpec> specs;
    for (uint32_t p : {1u, 2u, 3u})
    {
        AdversarySpec s = Spec(p, AdversaryKind::kWithholder);
        s.from = 10 * kSecond;
        s.until = 40 * kSecond;
        specs.push_back(s);
    }
    Harness h(With(22, specs));
    h.RunUntil(39 * kSecond);
    const uint64_t libDuring = h.Report().libHeightMin;
    h.RunUntil(80 * kSecond);
    HarnessReport r = h.Report();
    ASSERT_TRUE(r.Safe()) << Describe(r);
    EXPECT_GT(libDuring, 5u) << "18 honest producers keep finalising while 3 withhold";
    EXPECT_GT(r.libHeightMin, libDuring + 20) << Describe(r);
    uint64_t released = 0;
    for (uint32_t i = 0; i < h.NodeCount(); ++i)
    {
        if (const Adversary* a = h.GetAdversary(i))
        {
            EXPECT_GT(a->Counters().blocksWithheld, 0u);
            EXPECT_GT(a->Counters().blocksIgnored, 0u);
            released += a->Counters().blocksReleased;
        }
    }
    EXPECT_GT(released, 0u);
    // The honest chain holds no block the coalition made while it was withholding.
    const ConsensusChain& ref = Honest(h).front()->Chain();
    const uint64_t from = h.Params().SlotAt(10 * kSecond), to = h.Params().SlotAt(40 * kSecond);
    for (const BlockEntry* e = ref.Best(); e->height > 0; e = e->parent)
    {
        const bool coalition =
            e->producer == KeyOf(h, 1) || e->producer == KeyOf(h, 2) || e->producer == KeyOf(h, 3);
        EXPECT_FALSE(coalition && e->slot >= from && e->slot < to) << "slot " << e->slot;
    }
}

TEST(Adversary, InvalidBlocksAreDroppedWithAReasonAndNeverAccepted)
{
    Harness h(
        With(23, {Spec(0, AdversaryKind::kInvalidBlocks), Spec(9, AdversaryKind::kInvalidBlocks)}));
    h.RunUntil(90 * kSecond);
    HarnessReport r = h.Report();
    ASSERT_TRUE(r.Safe()) << Describe(r);
    EXPECT_GT(r.libHeightMin, 40u) << Describe(r);
    uint64_t sent = 0;
    for (uint32_t i = 0; i < h.NodeCount(); ++i)
    {
        if (const Adversary* a = h.GetAdversary(i))
        {
            sent += a->Counters().invalidBlocks;
        }
    }
    EXPECT_GT(sent, 4u);
    std::string reasons;
    for (const auto& [reason, count] : r.dropsByReason)
    {
        reasons += reason + "\n";
    }
    for (const char* rule : {"bad signature", "overspend", "Merkle root", "timestamp"})
    {
        EXPECT_NE(reasons.find(rule), std::string::npos) << rule << " not among:\n" << reasons;
    }
    for (const Node* n : Honest(h))
    {
        for (const BlockEntry* e = n->Chain().Best(); e->height > 0; e = e->parent)
        {
            EXPECT_NE(e->producer, KeyOf(h, 0));
            EXPECT_NE(e->producer, KeyOf(h, 9));
        }
    }
}

TEST(Adversary, CensorsDelayTheirTargetAndNobodyElse)
{
    std::vector<AdversarySpec> specs;
    for (uint32_t p : {2u, 5u, 8u, 11u, 14u})
    {
        AdversarySpec s = Spec(p, AdversaryKind::kCensor);
        s.censoredAccounts = {0};
        specs.push_back(s);
    }
    HarnessConfig c = With(24, specs);
    c.accounts = 8; // so the censored account sends often enough to measure
    Harness h(c);
    h.RunUntil(120 * kSecond);
    HarnessReport r = h.Report();
    ASSERT_TRUE(r.Safe()) << Describe(r);
    ASSERT_GE(r.censoredDelayMeanSeconds, 0) << "the target's transfers still get in\n"
                                             << Describe(r);
    EXPECT_GT(r.censoredDelayMeanSeconds, r.otherDelayMeanSeconds * 1.1) << Describe(r);
}

TEST(Adversary, OverClaimIsCappedAtObservationAndFlagged)
{
    AdversarySpec s = Spec(6, AdversaryKind::kOverClaimer);
    s.overclaimFactor = 4.0;
    HarnessConfig c = With(25, {s});
    c.czrEpochSlots = 21;
    Harness h(c);
    h.RunUntil(100 * kSecond);
    HarnessReport r = h.Report();
    ASSERT_TRUE(r.Safe()) << Describe(r);
    const ConsensusChain& chain = Honest(h).front()->Chain();
    ElectionOutcome o = RunElection(chain.BestState(), chain.Params(), 21, chain.Best()->height,
                                    chain.Lib()->hash, *chain.Best()->activeSet, "inspection");
    const Address cheat = AddressOf(KeyOf(h, 6));
    auto it = std::find_if(o.candidates.begin(), o.candidates.end(),
                           [&](const ElectionCandidate& cand) { return cand.account == cheat; });
    ASSERT_NE(it, o.candidates.end()) << "the over-claimer is still a candidate";
    EXPECT_TRUE(it->overclaim);
    EXPECT_GT(it->claimed, 3.0 * it->observed);
    EXPECT_DOUBLE_EQ(it->effective, it->observed);
    for (const auto& cand : o.candidates)
    {
        if (cand.account != cheat)
        {
            EXPECT_FALSE(cand.overclaim) << "honest claims are never flagged";
        }
    }
}

TEST(Adversary, AThirdOfProducersByzantineMayStallAndTheReportSaysSo)
{
    std::vector<AdversarySpec> specs;
    for (uint32_t p = 0; p < 7; ++p)
    {
        specs.push_back(Spec(p * 3, AdversaryKind::kInvalidBlocks));
    }
    Harness h(With(26, specs));
    h.RunUntil(90 * kSecond);
    HarnessReport r = h.Report();
    ASSERT_TRUE(r.Safe()) << Describe(r);
    EXPECT_EQ(r.libHeightMax, 0u) << "14 honest producers cannot reach 16";
    EXPECT_NE(r.stall.find("finality stalled"), std::string::npos) << Describe(r);
    EXPECT_NE(FormatSummary(r).find("7 of 21 producers byzantine"), std::string::npos)
        << FormatSummary(r);
}

TEST(Adversary, SlashedEquivocatorLeavesTheElectedSet)
{
    HarnessConfig c = With(27, {Spec(4, AdversaryKind::kEquivocator)});
    c.czrEpochSlots = 21;
    Harness h(c);
    h.RunUntil(150 * kSecond);
    HarnessReport r = h.Report();
    ASSERT_TRUE(r.Safe()) << Describe(r);
    const ConsensusChain& chain = Honest(h).front()->Chain();
    ASSERT_EQ(chain.BestState().Pop().slashed.size(), 1u) << Describe(r);
    const auto& set = *chain.Lib()->activeSet;
    EXPECT_EQ(std::count(set.begin(), set.end(), KeyOf(h, 4)), 0) << Describe(r);
}

} // namespace
} // namespace canon
