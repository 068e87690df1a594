// The `fees:` scenario section (issue 15): defaults, the keys, bad values and valuation files,
// and what the run plan makes of it.
#include "model/run/scenario-plan.h"
#include "scenarios/scenario-config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace canon
{
namespace
{

namespace fs = std::filesystem;

std::string
Dir()
{
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    fs::path dir = fs::path(::testing::TempDir()) / "fees-scenario-test" / info->name();
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir.string();
}

std::string
Write(const std::string& path, const std::string& text)
{
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

Result<ScenarioConfig>
Load(const std::string& fees, const std::string& dir = Dir())
{
    return LoadScenario(Write(dir + "/s.yaml", "name: f\nworkload: {tx_per_s: 20}\n" + fees));
}

std::string
Error(const std::string& fees, const std::string& dir = Dir())
{
    auto r = Load(fees, dir);
    EXPECT_FALSE(r.IsOk());
    return r.IsOk() ? "" : r.GetStatus().Message();
}

TEST(FeesScenario, AbsentMeansOff)
{
    auto r = Load("");
    ASSERT_TRUE(r.IsOk()) << r.GetStatus().Message();
    EXPECT_FALSE(r.Value().fees.active);
    const RunPlan p = PlanFromScenario(r.Value(), 10, {});
    EXPECT_FALSE(p.feePolicy.active);
    EXPECT_FALSE(p.workload.bidding.active);
    EXPECT_EQ(p.genesis.base.fees.mechanism, FeeMechanism::kFirstPrice);
}

TEST(FeesScenario, KeysReachTheChainTheProducersAndTheWallets)
{
    auto r = Load("consensus: {block_tx_max: 10}\n"
                  "fees:\n  mechanism: eip1559\n  reserve: 3\n  reserves: [5, 6]\n"
                  "  producers: fake-bids\n"
                  "  fake_bids: 2\n  initial_base_fee: 50\n  target_fullness: 0.25\n"
                  "  valuations: {distribution: lognormal, mu: 4, sigma: 0.5, decay_per_s: 0.1}\n"
                  "  bidders: {strategy: learner, tip: 7, history_blocks: 5}\n");
    ASSERT_TRUE(r.IsOk()) << r.GetStatus().Message();
    const RunPlan p = PlanFromScenario(r.Value(), 10, {});
    EXPECT_EQ(p.genesis.base.fees.mechanism, FeeMechanism::kEip1559);
    EXPECT_EQ(p.genesis.base.fees.initialBaseFee, 50u);
    EXPECT_EQ(p.genesis.base.fees.targetPermille, 250u);
    EXPECT_TRUE(p.feePolicy.active);
    EXPECT_EQ(p.feePolicy.reserve, 3u);
    EXPECT_EQ(p.feeReserves, (std::vector<uint64_t>{5, 6}));
    EXPECT_EQ(p.feePolicy.fakeBids, 2u);
    EXPECT_FALSE(p.feePolicy.fakeBidsAuto);
    const FeeBidding& b = p.workload.bidding;
    EXPECT_TRUE(b.active);
    EXPECT_EQ(b.values.kind, ValuationKind::kLognormal);
    EXPECT_EQ(b.values.mu, 4.0);
    EXPECT_EQ(b.values.decayPerSecond, 0.1);
    EXPECT_EQ(b.bidder.strategy, BidStrategy::kLearner);
    EXPECT_EQ(b.bidder.tip, 7u);
    EXPECT_EQ(b.bidder.others, 19u); // 20 a second, 1 s slots
    EXPECT_EQ(b.bidder.units, 10u);
    EXPECT_EQ(b.historyBlocks, 5u);
    EXPECT_EQ(b.bidder.minBid, 1u); // the mempools' floor
    EXPECT_EQ(b.bidder.minTip, 3u); // the reserve
}

TEST(FeesScenario, BadValuesNameTheKey)
{
    EXPECT_NE(Error("fees: {mechanism: second-price}\n").find("fees.mechanism"), std::string::npos);
    EXPECT_NE(Error("fees: {bidders: {shade: 1.5}}\n").find("fees.bidders.shade"),
              std::string::npos);
    EXPECT_NE(Error("fees: {fake_bids: 3}\n")
                  .find("fees.fake_bids: needs fees.producers: "
                        "fake-bids, got 'honest'"),
              std::string::npos);
    EXPECT_NE(Error("consensus: {producers: 2}\nfees: {reserves: [1, 2, 3]}\n")
                  .find("fees.reserves: 3 reserves for 2 producers"),
              std::string::npos);
    EXPECT_NE(Error("fees: {target_fullness: 0}\n").find("fees.target_fullness"),
              std::string::npos);
    EXPECT_NE(Error("fees: {valuations: {min: 10, max: 5}}\n").find("fees.valuations.max"),
              std::string::npos);
    EXPECT_NE(Error("fees: {valuations: {distribution: file}}\n").find("fees.valuations.file"),
              std::string::npos);
}

TEST(FeesScenario, ValuationFilesAreReadRelativeToTheScenario)
{
    const std::string dir = Dir();
    Write(dir + "/values.txt", "# valuations\n10\n\n20.5\n");
    auto r = Load("fees: {valuations: {distribution: file, file: values.txt}}\n", dir);
    ASSERT_TRUE(r.IsOk()) << r.GetStatus().Message();
    EXPECT_EQ(r.Value().fees.valuations.values, (std::vector<double>{10, 20.5}));

    Write(dir + "/bad.txt", "10\nten\n");
    const std::string bad = Error("fees: {valuations: {distribution: file, file: bad.txt}}\n", dir);
    EXPECT_NE(bad.find("bad.txt:2: expected a non-negative number, got 'ten'"), std::string::npos)
        << bad;
    Write(dir + "/neg.txt", "-1\n");
    EXPECT_NE(
        Error("fees: {valuations: {distribution: file, file: neg.txt}}\n", dir).find("neg.txt:1"),
        std::string::npos);
    Write(dir + "/empty.txt", "# nothing\n");
    EXPECT_NE(Error("fees: {valuations: {distribution: file, file: empty.txt}}\n", dir)
                  .find("holds no valuations"),
              std::string::npos);
    EXPECT_NE(Error("fees: {valuations: {distribution: file, file: missing.txt}}\n", dir)
                  .find("cannot read"),
              std::string::npos);
}

} // namespace
} // namespace canon
