// Issue 17 inside real runs (model/run/data-feature.h): a short abstract run and a short ns-3
// 802.11s mesh run of the data scenario. Devices serve their streams from their own chain to
// requesters whose signed requests cross the peer overlay as real messages; requests are
// refused by reason (no grant, revoked, forged signature, replayed); files and name records go
// through the DHT and the want-list exchange; the grant rule changes when a grant is first
// served; and the same seed gives the same records.
#include "model/run/data-feature.h"
#include "scenarios/run-scenario.h"
#include "scenarios/scenario-config.h"
#include "tests/test-run-path.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace canon
{
namespace
{

struct DataRun
{
    RunSummary summary;
    std::shared_ptr<DataFeature> feature;
};

DataRun
RunData(ScenarioConfig c, const std::string& tag)
{
    DataConfig d = c.data;
    d.active = true;
    c.data.active = false; // the test's own feature instance, so it can read its log
    RunOptions o;
    o.outPath = TestRunPath(tag);
    o.progress = false;
    auto feature = std::make_shared<DataFeature>(d, FromSeconds(c.durationSeconds));
    o.features.push_back(feature);
    auto r = RunScenario(c, o);
    EXPECT_TRUE(r.IsOk()) << r.GetStatus().Message();
    std::filesystem::remove(o.outPath);
    return {r.IsOk() ? r.Value().summary : RunSummary{}, feature};
}

ScenarioConfig
Load(const std::string& file)
{
    auto loaded = LoadScenario(std::string(CANONSIM_SOURCE_DIR) + "/scenarios/" + file);
    EXPECT_TRUE(loaded.IsOk()) << loaded.GetStatus().Message();
    return loaded.IsOk() ? loaded.Value() : ScenarioConfig{};
}

// small.yaml (30 wired nodes) with a short data timeline.
ScenarioConfig
AbstractData(GrantRule rule)
{
    ScenarioConfig c = Load("small.yaml");
    c.engine = EngineKind::kAbstract;
    c.durationSeconds = 25;
    c.czr.enabled = false;
    c.workload.txPerSecond = 2;
    c.data.rule = rule;
    c.data.grantAtSeconds = 4;
    c.data.revokeAtSeconds = 12;
    c.data.badRequestShare = 0.15;
    c.data.requestIntervalSeconds = 0.5;
    c.data.storage.files = 1;
    c.data.storage.getters = 3;
    c.data.storage.getIntervalSeconds = 2;
    return c;
}

std::map<DataRefusal, uint64_t>
Refusals(const DataServiceShared& log)
{
    std::map<DataRefusal, uint64_t> out;
    for (const auto& r : log.requests)
    {
        if (r.decision == static_cast<uint8_t>(DataDecision::kRefused))
        {
            ++out[static_cast<DataRefusal>(r.reason)];
        }
    }
    return out;
}

uint64_t
OkOps(const DataServiceShared& log, StorageOp op)
{
    uint64_t n = 0;
    for (const auto& r : log.storageOps)
    {
        n += r.op == static_cast<uint8_t>(op) && r.ok;
    }
    return n;
}

double
FirstServed(const DataServiceShared& log)
{
    double first = 1e9;
    for (const auto& r : log.requests)
    {
        if (r.decision == static_cast<uint8_t>(DataDecision::kServed))
        {
            first = std::min(first, r.time);
        }
    }
    return first;
}

void
ExpectDataWorked(const DataRun& run)
{
    const DataServiceShared& log = run.feature->Log();
    ASSERT_TRUE(run.summary.Safe());
    ASSERT_EQ(run.summary.features.count("data"), 1u);
    EXPECT_EQ(run.summary.features.at("data").at("owner_txs"), 2 * (1 + 3 + 1)); // 2 devices
    uint64_t served = 0, readable = 0, relayed = 0;
    for (const auto& r : log.requests)
    {
        served += r.decision == static_cast<uint8_t>(DataDecision::kServed);
        readable += r.readable;
        relayed += r.hops > 1;
        EXPECT_GT(r.latency, 0.0);
        EXPECT_GT(r.bytes, 0u);
    }
    EXPECT_GT(served, 10u);
    EXPECT_GT(readable, 10u);
    EXPECT_GT(relayed, 0u); // requests to devices that are not peers crossed the overlay
    const auto refused = Refusals(log);
    for (DataRefusal why : {DataRefusal::kNoGrant, DataRefusal::kRevoked,
                            DataRefusal::kBadSignature, DataRefusal::kReplayed})
    {
        EXPECT_GT(refused.count(why) ? refused.at(why) : 0u, 0u) << DataRefusalName(why);
    }
    EXPECT_GE(OkOps(log, StorageOp::kPut), 1u);
    EXPECT_GE(OkOps(log, StorageOp::kGet), 1u);
    EXPECT_GE(OkOps(log, StorageOp::kPublishName), 1u);
    EXPECT_GE(OkOps(log, StorageOp::kResolveName), 1u);
    EXPECT_EQ(log.noRoute, 0u);
}

TEST(DataRun, AbstractRunServesRefusesByReasonAndStores)
{
    const DataRun run = RunData(AbstractData(GrantRule::kBestChain), "abstract");
    ExpectDataWorked(run);
    // The same seed gives the same records.
    const DataRun again = RunData(AbstractData(GrantRule::kBestChain), "abstract-again");
    const auto& a = run.feature->Log().requests;
    const auto& b = again.feature->Log().requests;
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i)
    {
        EXPECT_EQ(a[i].time, b[i].time);
        EXPECT_EQ(a[i].reason, b[i].reason);
    }
}

TEST(DataRun, IrreversibleRuleServesAGrantLater)
{
    const DataRun best = RunData(AbstractData(GrantRule::kBestChain), "best");
    const DataRun irreversible = RunData(AbstractData(GrantRule::kIrreversible), "irreversible");
    EXPECT_LT(FirstServed(best.feature->Log()), FirstServed(irreversible.feature->Log()));
    EXPECT_LT(FirstServed(irreversible.feature->Log()), 25.0);
}

// Irreversible-only serves a revoked grantee until the revocation is final; with the key
// rotated on revocation what it is served then is under a key it does not hold.
TEST(DataRun, RotationMakesWhatARevokedGranteeIsStillServedUnreadable)
{
    for (bool rotate : {false, true})
    {
        ScenarioConfig c = AbstractData(GrantRule::kIrreversible);
        c.durationSeconds = 35;
        c.data.rotate = rotate;
        const DataRun run = RunData(c, rotate ? "rotate" : "no-rotate");
        uint64_t wrongly = 0, readable = 0;
        for (const auto& r : run.feature->Log().requests)
        {
            wrongly += r.wrongly_served;
            readable += r.wrongly_served && r.readable;
        }
        EXPECT_GT(wrongly, 0u) << "rotate " << rotate;
        EXPECT_EQ(readable, rotate ? 0u : wrongly) << "rotate " << rotate;
    }
}

TEST(DataRun, Ns3MeshRunServesRefusesByReasonAndStores)
{
    ScenarioConfig c = Load("data-mesh.yaml");
    c.durationSeconds = 40;
    c.data.revokeAtSeconds = 20;
    c.data.badRequestShare = 0.15;
    ExpectDataWorked(RunData(c, "mesh"));
}

// Bad values in the data: section are errors naming the file, line and dotted key.
TEST(DataSection, BadValuesNameTheirKeyAndLine)
{
    const auto dir = std::filesystem::temp_directory_path() / "canonsim-data-section-test";
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "bad.yaml").string();
    const std::string head = "czr: {enabled: false}\ntopology: {nodes: 30}\n";
    const std::pair<std::string, std::string> cases[] = {
        {"data:\n  revoked: 4\n", ":4: data.revoked: must be between 0 and data.grantees (3)"},
        {"data:\n  rule: sometimes\n", ":4: data.rule: "},
        {"data:\n  grant_at_s: 1\n", ":4: data.grant_at_s: must be at least data.register_at_s"},
        {"data:\n  bad_request_share: 0.9\n", ":4: data.bad_request_share: must be in [0, 0.5]"},
        {"data:\n  storage: {alpha: 9}\n", ":4: data.storage.alpha: must be between 1 and "
                                           "data.storage.k (8)"},
        {"data:\n  storage: {chunking: rabin}\n", ":4: data.storage.chunking: "},
        {"data:\n  devices: 31\n", ":4: data.devices: must be between 1 and topology.nodes (30)"},
        {"data:\n  colour: red\n", ":4: data.colour: unknown key"},
    };
    for (const auto& [body, expect] : cases)
    {
        std::ofstream(path) << head << body;
        auto loaded = LoadScenario(path);
        ASSERT_FALSE(loaded.IsOk()) << body;
        EXPECT_NE(loaded.GetStatus().Message().find(expect), std::string::npos)
            << loaded.GetStatus().Message();
    }
    std::ofstream(path) << "topology: {nodes: 30}\ndata: {}\n";
    auto czr = LoadScenario(path);
    ASSERT_FALSE(czr.IsOk());
    EXPECT_NE(czr.GetStatus().Message().find("needs czr.enabled: false"), std::string::npos)
        << czr.GetStatus().Message();
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace canon
