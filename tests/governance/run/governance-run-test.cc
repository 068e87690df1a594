// CZC governance in `canonsim run` (issue 18, model/run/governance-feature.h): the community's
// change of T and N reaches consensus mid-run, the same seed gives the same run, and a bad
// governance: section is refused naming its key and file.
#include "model/run/czr-loop.h"
#include "scenarios/run-scenario.h"
#include "scenarios/scenario-config.h"
#include "tests/test-run-path.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace canon
{
namespace
{

std::map<std::string, double>
RunGovernance(double seconds, const std::string& file = "governance.yaml",
              std::size_t proposals = 2)
{
    auto loaded = LoadScenario(std::string(CANONSIM_SOURCE_DIR) + "/scenarios/" + file);
    EXPECT_TRUE(loaded.IsOk()) << loaded.GetStatus().Message();
    ScenarioConfig c = loaded.Value();
    c.durationSeconds = seconds;
    c.governance.proposals.resize(proposals); // T and N; the upgrade comes later in the file's run
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

// The community lowers the maximum block size mid-run (scenarios/governance-block-size.yaml):
// blocks before the adopting one carry the whole load (about 12 KB), blocks after stay within
// 4 KiB, and throughput falls with them.
TEST(GovernanceRun, ALowerBlockSizeAdoptedMidRunBindsProducersFromTheNextBlock)
{
    const auto f = RunGovernance(80, "governance-block-size.yaml", 1);
    EXPECT_EQ(f.at("in_force"), 1);
    EXPECT_EQ(f.at("block_bytes_max_in_force"), 4096);
    EXPECT_GT(f.at("switch_s"), 40) << "proposed at 20 s, held 20 s";
    EXPECT_GT(f.at("block_bytes_mean_before"), 8192);
    EXPECT_LE(f.at("block_bytes_mean_after"), 4096);
    EXPECT_GT(f.at("block_bytes_mean_after"), 3000) << "filled to the new limit";
    EXPECT_LT(f.at("tx_per_s_after"), 0.5 * f.at("tx_per_s_before"));
}

// The CZR engine scores each epoch with the weights, gamma and beta the chain holds when the epoch
// ends (CzrLoop, model/governance/in-force.h): the scenario's until the community adopts others.
TEST(CzrInForce, AnEpochScoresWithTheGammaAndBetaAdoptedOnChain)
{
    test::TestChain tc(4, 4);
    LedgerState state = LedgerState::FromGenesis(*tc.params);
    TxContext ctx = test::Ctx(tc.Czc(), test::Key("fees").GetAddress());
    auto send = [&](std::size_t a, TxType type, const Bytes& payload)
    {
        const KeyPair& k = tc.accounts[a];
        const Hash256 czc = state.Governance().ActiveCzc(tc.Czc());
        return state.ApplyTransaction(
            MakeTransaction(k, type, state.NonceOf(k.GetAddress()), 0, czc, payload), ctx);
    };
    const GovernanceParams hold{10 * kSecond, kSecond, kSecond};
    const uint64_t weights = PackCzrWeights({2, 1, 1, 0.5, 0});
    for (auto [param, value] : {std::pair{GovParam::kCzrGamma, uint64_t{500000}},
                                std::pair{GovParam::kCzrBeta, uint64_t{3000000}},
                                std::pair{GovParam::kCzrWeights, weights}})
    {
        const Hash256 id =
            ProposalIdFor(tc.accounts[0].Public(), state.NonceOf(tc.accounts[0].GetAddress()));
        ASSERT_TRUE(send(0, TxType::kGovProposal,
                         ProposalPayload{param, value, Blake2b256(GovParamName(param))}.Encode())
                        .IsOk());
        for (std::size_t a = 0; a < 4; ++a)
        {
            ASSERT_TRUE(send(a, TxType::kGovVote, GovVotePayload{id, true}.Encode()).IsOk());
        }
    }
    ContributionParams scenario;
    scenario.gamma = 0.9;
    scenario.beta = 1.0;
    const std::vector<std::vector<ApplicationRun>> apps = {
        {{ApplicationType::kVehicularNetwork, 0, ResourceVector{1, 1, 1, 1, 1}}}};
    auto score = [&]
    { return ScoreNodes(apps, {0.5}, 2, ContributionInForce(scenario, &state.Governance()))[0]; };
    state.EndBlock(ctx, hold, RuleEpoch{});
    EXPECT_DOUBLE_EQ(score().resource, 0.81 * 5) << "not adopted yet: the scenario's gamma";
    EXPECT_DOUBLE_EQ(score().topology, 0.5);
    ctx.now = 10 * kSecond;
    state.EndBlock(ctx, hold, RuleEpoch{});
    EXPECT_DOUBLE_EQ(score().resource, 0.25 * 4.5) << "adopted gamma 0.5, weights 2,1,1,.5,0";
    EXPECT_DOUBLE_EQ(score().topology, 1.5) << "adopted beta 3";
    EXPECT_EQ(ContributionInForce(scenario, nullptr).gamma, 0.9);
    EXPECT_EQ(UnpackCzrWeights(weights)[3], 0.5);
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
