// The vehicular channel scenario file (issue 18): the shipped file loads; bad values and keys
// get an error naming the file, line and key.
#include "scenarios/channels/channel-scenario.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

TEST(ChannelScenarioTest, TheShippedScenarioLoads)
{
    auto s = LoadChannelScenario(std::string(CANONSIM_SOURCE_DIR) +
                                 "/scenarios/vehicular-channels.yaml");
    ASSERT_TRUE(s.IsOk()) << s.GetStatus().ToString();
    EXPECT_EQ(s.Value().config.vehicles, 30u);
    EXPECT_EQ(s.Value().config.challengePeriod, 10 * kSecond);
    EXPECT_TRUE(s.Value().config.watchtower);
}

TEST(ChannelScenarioTest, AnUnknownKeyIsNamedWithItsLine)
{
    auto s =
        ParseChannelScenario("vehicular_channels:\n  vehicles: 4\n  watchtowr: true\n", "f.yaml");
    ASSERT_FALSE(s.IsOk());
    EXPECT_NE(s.GetStatus().Message().find("f.yaml:3"), std::string::npos)
        << s.GetStatus().Message();
    EXPECT_NE(s.GetStatus().Message().find("watchtowr"), std::string::npos);
}

TEST(ChannelScenarioTest, OutOfRangeValuesNameTheKey)
{
    auto share = ParseChannelScenario("vehicular_channels:\n  offline_share: 1.5\n", "f.yaml");
    ASSERT_FALSE(share.IsOk());
    EXPECT_NE(share.GetStatus().Message().find("f.yaml:2: vehicular_channels.offline_share"),
              std::string::npos)
        << share.GetStatus().Message();
    auto period =
        ParseChannelScenario("vehicular_channels:\n  challenge_period_s: 0.5\n", "f.yaml");
    ASSERT_FALSE(period.IsOk());
    EXPECT_NE(period.GetStatus().Message().find("challenge_period_s"), std::string::npos);
    auto type = ParseChannelScenario("vehicular_channels:\n  vehicles: many\n", "f.yaml");
    ASSERT_FALSE(type.IsOk());
    EXPECT_EQ(type.GetStatus().Code(), StatusCode::kMalformed);
}

TEST(ChannelScenarioTest, BrokenYamlAndAMissingSectionAreErrors)
{
    EXPECT_FALSE(ParseChannelScenario("vehicular_channels: [1, \n", "f.yaml").IsOk());
    auto missing = ParseChannelScenario("{}\n", "f.yaml");
    ASSERT_FALSE(missing.IsOk());
    EXPECT_NE(missing.GetStatus().Message().find("vehicular_channels"), std::string::npos);
    EXPECT_FALSE(LoadChannelScenario("/nonexistent/file.yaml").IsOk());
}

} // namespace
} // namespace canon
