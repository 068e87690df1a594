// Payment channels inside `canonsim run` (model/run/channels-feature.h), on both engines: the
// issue's channel properties hold over the PoP chain with updates carried as real messages.
// - a stale close is penalised whenever the victim or its watchtower is online in the period,
//   and paid out only when neither is;
// - a cooperative close pays both as the last state both signed says;
// - payments settle over direct channels and multi-hop routes; every update reaches a peer;
// - the same seed gives the same channel events;
// - bad values in the `channels:` section are refused naming the key.
// - inside a run, a replayed and a forged update (ChannelsFeature::InjectUpdate) reach their
//   target over the engine and are refused and counted, changing nothing;
// - inside a run, a multi-hop payment whose last hop fails leaves every hop as it was, and one
//   that settles moves every hop by its amount (InjectPayment);
// - inside a run, an update message lost on the way (InjectLoss) stalls its channel for good
//   with re-establish off, and is recovered with it on (tests/channels/channel-reestablish-test.cc
//   checks the exchange message by message).
#include "model/run/channels-feature.h"
#include "scenarios/run-scenario.h"
#include "scenarios/scenario-config.h"
#include "tests/repository-scenario.h"
#include "tests/test-run-path.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <functional>

namespace canon
{
namespace
{

struct ChannelRun
{
    RunSummary summary;
    std::vector<ChannelEvent> events;
    ChannelRunSummary channels;
};

ScenarioConfig
Load(const std::string& file)
{
    return test::LoadRepositoryScenario(file);
}

ChannelRun
RunChannels(ScenarioConfig c, const std::string& tag,
            const std::function<void(ChannelsFeature&)>& inject = {})
{
    const uint32_t vehicles = c.topology.kind == TopologyKind::kVehicular
                                  ? c.topology.vehicular.vehicles
                                  : c.topology.nodes;
    auto feature = std::make_shared<ChannelsFeature>(c.channels, vehicles);
    c.channels.active = false; // the test's own feature instead of the plan's
    if (inject)
    {
        inject(*feature);
    }
    RunOptions o;
    o.outPath = TestRunPath(tag);
    o.progress = false;
    o.features.push_back(feature);
    auto r = RunScenario(c, o);
    EXPECT_TRUE(r.IsOk()) << r.GetStatus().Message();
    std::filesystem::remove(o.outPath);
    ChannelRun out;
    if (r.IsOk())
    {
        out.summary = r.Value().summary;
    }
    out.events = feature->Events();
    out.channels = feature->Summary();
    return out;
}

const std::map<std::string, double>&
Figures(const ChannelRun& r)
{
    static const std::map<std::string, double> kNone;
    auto it = r.summary.features.find("channels");
    return it == r.summary.features.end() ? kNone : it->second;
}

// Every stale close whose victim or watchtower was online is penalised (or still in flight at
// the end); returns how many were penalised.
uint64_t
CheckProtectedCheats(const ChannelRun& r)
{
    uint64_t penalised = 0;
    for (const CheatAttempt& c : r.channels.cheats)
    {
        if (c.victimOnline || c.watchtower)
        {
            EXPECT_NE(c.outcome, "stale state paid out")
                << "cheater " << c.cheater << " against " << c.victim << " at " << c.time;
        }
        penalised += c.outcome == "penalised" ? 1u : 0u;
    }
    return penalised;
}

TEST(ChannelRun, AbstractEngineSettlesPaymentsAndPunishesEveryStaleClose)
{
    ScenarioConfig c = Load("channels/wired-channels.yaml");
    c.durationSeconds = 70;
    c.channels.stayMinSeconds = 20;
    c.channels.stayMaxSeconds = 40;
    c.channels.cheaterShare = 0.5;
    const ChannelRun r = RunChannels(c, "abstract");
    const auto& f = Figures(r);
    ASSERT_FALSE(f.empty());
    EXPECT_TRUE(r.summary.Safe());
    EXPECT_GT(f.at("channels_opened"), 10.0);
    EXPECT_GT(f.at("payments_settled"), 500.0);
    EXPECT_GT(f.at("payments_multi_hop"), 0.0);
    EXPECT_EQ(f.at("undeliverable"), 0.0);
    EXPECT_EQ(f.at("coop_closes_not_last_state"), 0.0);
    EXPECT_GT(f.at("channels_closed"), 10.0);
    EXPECT_GE(CheckProtectedCheats(r), 2u);
    // Channel transactions went through the chain and were counted with the others.
    EXPECT_GT(r.summary.txSubmittedByKind[TxKindIndex(TxType::kChannelOpen)], 10u);
}

TEST(ChannelRun, InARunReplayedAndForgedUpdatesAreRefusedAndCountedAndStaleClosesPenalised)
{
    ScenarioConfig c = Load("channels/wired-channels.yaml");
    c.durationSeconds = 40;
    c.channels.stayMinSeconds = 15;
    c.channels.stayMaxSeconds = 25;
    c.channels.cheaterShare = 0.5;
    const ChannelRun r = RunChannels(c, "injected-updates",
                                     [](ChannelsFeature& f)
                                     {
                                         f.InjectUpdate(InjectedUpdateKind::kReplay, 10);
                                         f.InjectUpdate(InjectedUpdateKind::kForgery, 10.5);
                                         f.InjectUpdate(InjectedUpdateKind::kReplay, 12);
                                         f.InjectUpdate(InjectedUpdateKind::kForgery, 12.5);
                                     });
    const auto& f = Figures(r);
    ASSERT_FALSE(f.empty());
    ASSERT_EQ(r.channels.injectedUpdates.size(), 4u);
    for (const InjectedUpdate& u : r.channels.injectedUpdates)
    {
        const char* kind = u.kind == InjectedUpdateKind::kReplay ? "replay" : "forgery";
        EXPECT_TRUE(u.delivered) << kind << " at " << u.time;
        EXPECT_TRUE(u.refused) << kind << " at " << u.time;
        EXPECT_EQ(u.seqAfter, u.seqBefore) << kind << " at " << u.time;
        EXPECT_GT(u.seqBefore, 0u) << kind << " at " << u.time; // the channel was in use
    }
    EXPECT_EQ(f.at("injected_updates_refused"), 4.0);
    EXPECT_GE(f.at("refused_messages"), 4.0);
    EXPECT_TRUE(r.summary.Safe());
    EXPECT_EQ(f.at("coop_closes_not_last_state"), 0.0);
    EXPECT_GE(CheckProtectedCheats(r), 1u);
}

TEST(ChannelRun, InARunAMultiHopPaymentWhoseLastHopFailsLeavesEveryHopUnchanged)
{
    ScenarioConfig c = Load("channels/wired-channels.yaml");
    c.durationSeconds = 30;
    c.channels.beaconIntervalSeconds = 1000; // no safety messages: only the injected payments
    c.channels.stayMinSeconds = 100;
    c.channels.stayMaxSeconds = 100;
    c.channels.cheaterShare = 0;
    const ChannelRun r = RunChannels(c, "injected-payments",
                                     [](ChannelsFeature& f)
                                     {
                                         f.InjectPayment(10, false); // an unknown invoice
                                         f.InjectPayment(15, true);
                                     });
    ASSERT_EQ(r.channels.injectedPayments.size(), 2u);
    const InjectedPayment& failed = r.channels.injectedPayments[0];
    const InjectedPayment& paid = r.channels.injectedPayments[1];
    for (const InjectedPayment* p : {&failed, &paid})
    {
        EXPECT_GE(p->route.size(), 2u);
        EXPECT_TRUE(p->resolved);
        EXPECT_EQ(p->htlcsLeft, 0u);
        ASSERT_EQ(p->after.size(), p->route.size());
    }
    EXPECT_FALSE(failed.settled);
    EXPECT_TRUE(paid.settled);
    for (std::size_t k = 0; k < failed.route.size(); ++k)
    {
        EXPECT_EQ(failed.after[k], failed.before[k]) << "hop " << k;
    }
    for (std::size_t k = 0; k < paid.route.size(); ++k)
    {
        const uint64_t amount = paid.route[k].amount;
        EXPECT_EQ(paid.after[k].first, paid.before[k].first - amount) << "hop " << k;
        EXPECT_EQ(paid.after[k].second, paid.before[k].second + amount) << "hop " << k;
    }
}

TEST(ChannelRun, InARunALostUpdateMessageStallsItsChannelUnlessReestablished)
{
    for (double reestablish : {0.0, 3.0})
    {
        ScenarioConfig c = Load("channels/wired-channels.yaml");
        c.durationSeconds = 40;
        c.channels.stayMinSeconds = 15;
        c.channels.stayMaxSeconds = 25;
        c.channels.cheaterShare = 0;
        c.channels.reestablishSeconds = reestablish;
        const ChannelRun r = RunChannels(c, "lost-" + std::to_string(reestablish > 0),
                                         [](ChannelsFeature& f)
                                         {
                                             f.InjectLoss(8);
                                             f.InjectLoss(11);
                                         });
        const auto& f = Figures(r);
        ASSERT_EQ(r.channels.injectedLosses.size(), 2u);
        for (const InjectedLoss& l : r.channels.injectedLosses)
        {
            if (reestablish > 0)
            {
                EXPECT_TRUE(l.endsAgree && !l.stalled) << l.message << " lost at " << l.time;
            }
            else
            {
                EXPECT_TRUE(l.stalled) << l.message << " lost at " << l.time;
            }
        }
        EXPECT_EQ(f.at("reestablishes") > 0, reestablish > 0);
        EXPECT_EQ(f.at("coop_closes_not_last_state"), 0.0);
    }
}

TEST(ChannelRun, WithoutWatchtowerAnOfflineVictimLosesToTheCheater)
{
    ScenarioConfig c = Load("channels/wired-channels.yaml");
    c.durationSeconds = 70;
    c.channels.stayMinSeconds = 20;
    c.channels.stayMaxSeconds = 40;
    c.channels.cheaterShare = 0.5;
    c.channels.offlineShare = 1.0;
    c.channels.watchtower = false;
    const ChannelRun r = RunChannels(c, "no-tower");
    uint64_t paidOut = 0;
    for (const CheatAttempt& a : r.channels.cheats)
    {
        if (a.outcome == "stale state paid out")
        {
            EXPECT_FALSE(a.victimOnline);
            ++paidOut;
        }
    }
    EXPECT_GT(paidOut, 0u); // the protection the other tests see is the watchtower's and victim's
    CheckProtectedCheats(r);
}

TEST(ChannelRun, SameSeedSameChannelEvents)
{
    ScenarioConfig c = Load("channels/wired-channels.yaml");
    c.durationSeconds = 40;
    c.channels.stayMinSeconds = 15;
    c.channels.stayMaxSeconds = 25;
    const ChannelRun a = RunChannels(c, "seed-a");
    const ChannelRun b = RunChannels(c, "seed-b");
    ASSERT_EQ(a.events.size(), b.events.size());
    for (std::size_t i = 0; i < a.events.size(); ++i)
    {
        EXPECT_EQ(a.events[i].channel, b.events[i].channel);
        EXPECT_EQ(a.events[i].time, b.events[i].time);
        EXPECT_EQ(a.events[i].amountA, b.events[i].amountA);
    }
    EXPECT_EQ(Figures(a), Figures(b));
}

TEST(ChannelRun, Ns3VehicularRunCarriesUpdatesOver80211p)
{
    ScenarioConfig c = Load("vehicular-channels.yaml");
    c.durationSeconds = 25;
    c.channels.stayMinSeconds = 10;
    c.channels.stayMaxSeconds = 13;
    c.channels.challengePeriodSeconds = 5;
    c.channels.cheaterShare = 0.5;
    const ChannelRun r = RunChannels(c, "ns3");
    const auto& f = Figures(r);
    ASSERT_FALSE(f.empty());
    EXPECT_TRUE(r.summary.Safe());
    EXPECT_GT(f.at("channels_opened"), 5.0);
    EXPECT_GT(f.at("payments_settled"), 20.0);
    EXPECT_GT(f.at("channels_closed"), 0.0); // closes went through the chain on ns-3 too
    EXPECT_EQ(f.at("undeliverable"), 0.0);
    EXPECT_EQ(f.at("coop_closes_not_last_state"), 0.0);
    CheckProtectedCheats(r);
    std::printf("ns-3 channel run: %s\n", ::testing::PrintToString(f).c_str());
}

TEST(ChannelRun, BadChannelValuesAreRefusedNamingTheKey)
{
    const std::string base = "duration_s: 10\nchannels:\n";
    for (const auto& [line, key] : std::vector<std::pair<std::string, std::string>>{
             {"  cheater_share: 2\n", "channels.cheater_share"},
             {"  batch_max: 0\n", "channels.batch_max"},
             {"  reestablish_s: -1\n", "channels.reestablish_s"},
             {"  stay_min_s: 50\n  stay_max_s: 10\n", "channels.stay_max_s"},
             {"  challenge_period_s: 0\n", "channels.challenge_period_s"},
             {"  watchtower: maybe\n", "watchtower"},
             {"  no_such_key: 1\n", "no_such_key"}})
    {
        auto parsed = ParseScenario(base + line, "bad.yaml");
        ASSERT_FALSE(parsed.IsOk()) << line;
        EXPECT_NE(parsed.GetStatus().Message().find(key), std::string::npos)
            << parsed.GetStatus().Message();
        EXPECT_NE(parsed.GetStatus().Message().find("bad.yaml"), std::string::npos)
            << parsed.GetStatus().Message();
    }
    auto good = ParseScenario(base + "  batch_max: 4\n", "good.yaml");
    ASSERT_TRUE(good.IsOk()) << good.GetStatus().Message();
    EXPECT_TRUE(good.Value().channels.active);
    EXPECT_EQ(good.Value().channels.batchMax, 4u);
    EXPECT_FALSE(ParseScenario("duration_s: 10\n", "none.yaml").Value().channels.active);
}

} // namespace
} // namespace canon
