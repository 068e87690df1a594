// The paper's contracts (scenarios/contracts/*.lua) in their scenarios on the abstract engine:
// what the participants did shows on chain, the callbacks reach the devices, and every node
// agrees with an independent replay.
#include "model/chain/chain-params.h"
#include "scenarios/contracts/contract-scenarios.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace canon
{
namespace
{

ContractScenarioOptions
Options(const std::string& which)
{
    ContractScenarioOptions o;
    o.which = which;
    o.luaDir = CANONSIM_SOURCE_DIR "/scenarios/contracts";
    o.duration = 40 * kSecond + 500 * kMillisecond;
    return o;
}

std::size_t
Count(const ContractScenarioReport& r, const std::string& device, const std::string& data)
{
    return static_cast<std::size_t>(std::count_if(
        r.callbacks.begin(), r.callbacks.end(),
        [&](const CallbackSample& c) { return c.device == device && c.data == data; }));
}

ContractValue
Stored(const ContractScenarioReport& r, const std::string& key)
{
    for (const auto& [k, v] : r.storage)
    {
        if (k == key)
        {
            return v;
        }
    }
    return ContractValue::Nil();
}

TEST(ContractScenarios, CooperativeJobSlashesTheShortDeviceAndRefundsTheQuitter)
{
    auto r = RunContractScenario(Options("coop"));
    ASSERT_TRUE(r.IsOk()) << r.GetStatus().ToString();
    const ContractScenarioReport& rep = r.Value();
    EXPECT_TRUE(rep.statesAgree);
    for (const ContractReceipt& c : rep.receipts)
    {
        EXPECT_EQ(c.revert, RevertKind::kNone) << c.method << ": " << c.reason;
    }
    // The predicate's callback and the contract's chain.notify: two for the slashed device.
    EXPECT_EQ(Count(rep, "device4", "\"slashed\""), 2u);
    EXPECT_EQ(Count(rep, "device2", "\"refunded\""), 1u);
    EXPECT_EQ(rep.callbacks.size(), 3u);
    EXPECT_EQ(Stored(rep, "audits"), ContractValue::Int(2));
    EXPECT_EQ(Stored(rep, "active"), ContractValue::Int(3)); // the slashed device rejoined
    EXPECT_EQ(rep.contractBalance, 3 * 100 * kUnitsPerCzr);
    for (const CallbackSample& c : rep.callbacks)
    {
        EXPECT_GT(c.triggerToArrival, 0);
        EXPECT_LT(c.triggerToArrival, 3.0);
    }
}

TEST(ContractScenarios, PromoterPaysPerNewUserUntilTheBudgetRunsOut)
{
    auto r = RunContractScenario(Options("promoter"));
    ASSERT_TRUE(r.IsOk()) << r.GetStatus().ToString();
    const ContractScenarioReport& rep = r.Value();
    EXPECT_TRUE(rep.statesAgree);
    std::size_t reverted = 0;
    for (const ContractReceipt& c : rep.receipts)
    {
        if (c.revert != RevertKind::kNone)
        {
            ++reverted;
            EXPECT_NE(c.reason.find("already paid"), std::string::npos) << c.reason;
        }
    }
    EXPECT_EQ(reverted, 1u);
    EXPECT_EQ(Stored(rep, "users"), ContractValue::Int(13)); // ten, then three after the top-up
    EXPECT_EQ(Count(rep, "device1", "2000000000"), 13u);
    EXPECT_EQ(Count(rep, "device1", "\"exhausted\""), 2u);
    EXPECT_EQ(Count(rep, "device1", "\"open\""), 1u);
    EXPECT_EQ(rep.contractBalance, 0u);
}

TEST(ContractScenarios, BadOptionsAreNamed)
{
    auto o = Options("lottery");
    EXPECT_NE(RunContractScenario(o).GetStatus().Message().find("lottery"), std::string::npos);
    o = Options("coop");
    o.luaDir = "/nonexistent";
    EXPECT_NE(RunContractScenario(o).GetStatus().Message().find("/nonexistent/cooperative-job.lua"),
              std::string::npos);
}

} // namespace
} // namespace canon
