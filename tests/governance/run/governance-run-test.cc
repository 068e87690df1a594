// CZC governance in `canonsim run` (issue 18, model/run/governance-feature.h): the community's
// change of T and N reaches consensus mid-run, the same seed gives the same run, and a bad
// governance: section is refused naming its key and file.
#include "scenarios/run-scenario.h"
#include "scenarios/scenario-config.h"
#include "tests/test-run-path.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace canon
{
namespace
{

std::map<std::string, double>
RunGovernance(double seconds)
{
    auto loaded = LoadScenario(std::string(CANONSIM_SOURCE_DIR) + "/scenarios/governance.yaml");
    EXPECT_TRUE(loaded.IsOk()) << loaded.GetStatus().Message();
    ScenarioConfig c = loaded.Value();
    c.durationSeconds = seconds;
    c.governance.proposals.resize(2); // T and N; the upgrade comes later in the file's run
    RunOptions o;
    o.outPath = TestRunPath("governance");
    o.progress = false;
    auto r = RunScenario(c, o);
    EXPECT_TRUE(r.IsOk()) << r.GetStatus().Message();
    std::filesystem::remove(o.outPath);
    return r.IsOk() ? r.Value().summary.features["governance"] : std::map<std::string, double>{};
}

TEST(GovernanceRun, TheCommunityChangesTAndNMidRun)
{
    const auto f = RunGovernance(130);
    EXPECT_EQ(f.at("switches"), 1);
    EXPECT_EQ(f.at("slot_s_after"), 0.5);
    EXPECT_EQ(f.at("producers_after"), 15);
    EXPECT_GT(f.at("switch_s"), 20) << "after the proposal at 20 s and the 20 s hold";
    EXPECT_GT(f.at("blocks_per_s_after"), 1.5 * f.at("blocks_per_s_before")) << "T halved";
    EXPECT_LT(f.at("finality_mean_s_after"), f.at("finality_mean_s_before"))
        << "a shorter slot and a smaller threshold (12 of 15 instead of 16 of 21)";
    EXPECT_EQ(f.at("frozen"), 1);
    EXPECT_EQ(f.at("lifted"), 1);
    EXPECT_EQ(RunGovernance(130), f) << "the same seed gives the same run";
}

TEST(GovernanceRun, ABadGovernanceSectionIsRefusedNamingItsKey)
{
    auto bad = [](const std::string& section)
    {
        auto r = ParseScenario("topology: {kind: random, nodes: 10}\nconsensus: {producers: 4}\n"
                               "governance:\n" +
                                   section,
                               "bad-governance.yaml");
        return r.IsOk() ? std::string() : r.GetStatus().Message();
    };
    const std::string param = bad("  proposals: [{at_s: 5, param: tea, value: 1}]\n");
    EXPECT_NE(param.find("governance.proposals[0].param"), std::string::npos) << param;
    EXPECT_NE(param.find("bad-governance.yaml"), std::string::npos) << param;
    EXPECT_NE(bad("  proposals: [{at_s: 5, param: producers, value: 0}]\n")
                  .find("governance.proposals[0].value"),
              std::string::npos);
    EXPECT_NE(bad("  approve_share: 0.9\n  reject_share: 0.2\n").find("governance.reject_share"),
              std::string::npos);
    EXPECT_NE(bad("  freezes: [{at_s: 5, account: 100000, overturn_share: 0.5}]\n")
                  .find("governance.freezes[0].account"),
              std::string::npos);
    EXPECT_NE(bad("  hold: 5\n").find("hold"), std::string::npos) << "unknown key";
}

} // namespace
} // namespace canon
