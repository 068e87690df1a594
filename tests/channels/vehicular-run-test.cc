// The vehicular channel run (issue 18): cheaters always lose when the victim or its watchtower
// is online in the challenge period, win only when nobody is, and the run is deterministic.
#include "model/chain/chain-params.h"
#include "model/channels/vehicular-channel-run.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

VehicularChannelConfig
Small()
{
    VehicularChannelConfig c;
    c.vehicles = 12;
    c.roadLengthM = 1200;
    c.duration = 60 * kSecond;
    c.stayMin = 15 * kSecond;
    c.stayMax = 35 * kSecond;
    c.challengePeriod = 5 * kSecond;
    c.cheaterShare = 0.5;
    return c;
}

TEST(VehicularChannelRunTest, EveryCheatIsPenalisedWhenVictimsOrTheirWatchtowerAreOnline)
{
    VehicularChannelConfig c = Small();
    c.offlineShare = 0.5;
    c.watchtower = true;
    const auto r = RunVehicularChannels(c);
    const auto& s = r.summary;
    EXPECT_GT(s.paymentsSettled, 500u);
    EXPECT_GT(s.paymentsMultiHop, 0u);
    EXPECT_GT(s.paymentsDirect, 0u);
    ASSERT_FALSE(s.cheats.empty());
    bool towerActed = false;
    for (const auto& cheat : s.cheats)
    {
        if (cheat.outcome == "pending at end")
        {
            continue;
        }
        EXPECT_EQ(cheat.outcome, "penalised") << "cheater " << cheat.cheater;
        towerActed = towerActed || cheat.challenger == "watchtower";
    }
    EXPECT_TRUE(towerActed);
    EXPECT_EQ(s.supplyAtEnd, kTotalSupply);
    EXPECT_GT(s.channelsClosed, 0u);
}

TEST(VehicularChannelRunTest, WithoutAWatchtowerOfflineVictimsLoseToTheStaleState)
{
    VehicularChannelConfig c = Small();
    c.offlineShare = 1.0;
    c.watchtower = false;
    const auto r = RunVehicularChannels(c);
    std::size_t paidOut = 0, penalised = 0;
    for (const auto& cheat : r.summary.cheats)
    {
        paidOut += cheat.outcome == "stale state paid out";
        penalised += cheat.outcome == "penalised";
        // The hub is never offline: only cheats against it are penalised.
        EXPECT_TRUE(cheat.outcome != "penalised" || cheat.victim == 0);
    }
    EXPECT_GT(paidOut, 0u);
    EXPECT_EQ(r.summary.supplyAtEnd, kTotalSupply);
}

TEST(VehicularChannelRunTest, OneSeedGivesTheSameRunAndAnotherSeedAnother)
{
    VehicularChannelConfig c = Small();
    c.duration = 30 * kSecond;
    const auto a = RunVehicularChannels(c);
    const auto b = RunVehicularChannels(c);
    ASSERT_EQ(a.events.size(), b.events.size());
    for (std::size_t i = 0; i < a.events.size(); ++i)
    {
        EXPECT_EQ(a.events[i].channel, b.events[i].channel);
        EXPECT_EQ(a.events[i].time, b.events[i].time);
        EXPECT_EQ(a.events[i].amountA, b.events[i].amountA);
    }
    EXPECT_EQ(a.summary.paymentsSettled, b.summary.paymentsSettled);
    c.seed = 2;
    const auto other = RunVehicularChannels(c);
    EXPECT_NE(other.summary.paymentsSettled, a.summary.paymentsSettled);
}

} // namespace
} // namespace canon
