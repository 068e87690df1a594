// Contracts in `canonsim run` (model/run/contracts-feature.h): the shipped contract scenarios on
// the abstract engine (wired) and on an ns-3 802.11s mesh, short; the trace's contract datasets;
// repeatability; and the `contracts:` section's bad input.
#include "model/trace/trace-reader.h"
#include "scenarios/run-scenario.h"
#include "scenarios/scenario-config.h"
#include "tests/repository-scenario.h"
#include "tests/test-run-path.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace canon
{
namespace
{

const std::string kSource = CANONSIM_SOURCE_DIR;

ScenarioConfig
Load(const std::string& file)
{
    return test::LoadRepositoryScenario(file);
}

// The mesh's node count on wires, for the abstract engine (which has no radio).
ScenarioConfig
Wired(ScenarioConfig c)
{
    c.engine = EngineKind::kAbstract;
    c.topology.nodes = c.topology.mesh.nodes;
    c.topology.kind = TopologyKind::kRandom;
    c.topology.averageDegree = 3;
    return c;
}

struct Outcome
{
    std::map<std::string, double> figures;
    std::map<std::string, uint64_t> records; // per dataset
    bool safe = false;
};

Outcome
RunContracts(const ScenarioConfig& c, const std::string& name)
{
    RunOptions o;
    o.outPath = TestRunPath(name);
    o.progress = false;
    auto r = RunScenario(c, o);
    EXPECT_TRUE(r.IsOk()) << r.GetStatus().Message();
    Outcome out;
    if (!r.IsOk())
    {
        return out;
    }
    out.safe = r.Value().summary.Safe();
    out.figures = r.Value().summary.features.at("contracts");
    auto t = ReadTrace(o.outPath);
    EXPECT_TRUE(t.IsOk()) << t.GetStatus().Message();
    for (const auto& d : t.IsOk() ? t.Value().datasets : std::vector<TraceDatasetSummary>{})
    {
        out.records[d.name] = d.records;
    }
    std::filesystem::remove(o.outPath);
    return out;
}

// What every contract run must show: calls ran and were traced, callbacks reached the device
// with a latency, and every node holds the same state root.
void
ExpectContractRun(const Outcome& o, double callsMin, double callbacksMin)
{
    const auto& f = o.figures;
    EXPECT_TRUE(o.safe);
    EXPECT_GE(f.at("calls"), callsMin);
    EXPECT_GE(f.at("callbacks_arrived"), callbacksMin);
    EXPECT_EQ(f.at("callbacks_undelivered"), 0.0);
    EXPECT_GT(f.at("callback_latency_p50_s"), 0.0);
    EXPECT_LT(f.at("callback_latency_p50_s"), 5.0);
    EXPECT_EQ(f.at("state_roots_agree"), 1.0);
    EXPECT_GE(f.at("state_root_height"), 5.0);
    EXPECT_EQ(f.at("supply_conserved"), 1.0);
    EXPECT_EQ(o.records.at("contract_calls"), static_cast<uint64_t>(f.at("calls")));
    EXPECT_EQ(o.records.at("callbacks"), static_cast<uint64_t>(f.at("callbacks_arrived")));
}

TEST(ContractsRun, PromoterOnTheAbstractEngine)
{
    ScenarioConfig c = Wired(Load("contracts-promoter.yaml"));
    c.durationSeconds = 30;
    const Outcome o = RunContracts(c, "promoter-abstract");
    ExpectContractRun(o, 10, 5);
    // The budget runs out: reports revert until the top-up at 25 s reopens it.
    EXPECT_GT(o.figures.at("calls_reverted"), 0.0);
    EXPECT_GT(o.figures.at("device_reactions"), 0.0);
    // The same seed and config: the same run.
    EXPECT_EQ(RunContracts(c, "promoter-abstract-again").figures, o.figures);
}

// Gas joins the fee auction (WithGasFloor): the promoter under EIP-1559 and under the uniform
// price runs as under first-price, and the supply is conserved.
TEST(ContractsRun, PromoterUnderFeeAuctions)
{
    for (FeeMechanism m : {FeeMechanism::kEip1559, FeeMechanism::kUniform})
    {
        ScenarioConfig c = Wired(Load("contracts-promoter.yaml"));
        c.durationSeconds = 30;
        c.fees.active = true;
        c.fees.mechanism = m;
        // A registration has no gas: its bid alone must cover the EIP-1559 base fee (1000 at
        // first).
        c.contracts.bid = 5000;
        const Outcome o = RunContracts(c, std::string("promoter-") + FeeMechanismName(m));
        ExpectContractRun(o, 10, 5);
        EXPECT_EQ(o.figures.at("supply_conserved"), 1.0);
        EXPECT_GT(o.records.at("clearing"), 0u);
    }
}

TEST(ContractsRun, CooperativeJobSlashesAndTheDeviceRejoins)
{
    ScenarioConfig c = Wired(Load("contracts-coop.yaml"));
    c.durationSeconds = 26; // one audit, at 20 s
    const Outcome o = RunContracts(c, "coop-abstract");
    // init, four joins, an audit, and the slashed device's second join.
    ExpectContractRun(o, 7, 1);
    EXPECT_GE(o.figures.at("device_reactions"), 1.0);
}

TEST(ContractsRun, PromoterOnAnNs3Mesh)
{
    ScenarioConfig c = Load("contracts-promoter.yaml");
    c.durationSeconds = 20;
    c.contracts.calls.clear(); // the top-up comes after the end
    const Outcome o = RunContracts(c, "promoter-mesh");
    ExpectContractRun(o, 8, 5);
}

// ---- bad input ----

// The scenario text with `section` as its contracts section, parsed from a file next to the
// shipped scenarios (so that the contract file resolves).
Result<ScenarioConfig>
ParseContracts(const std::string& section)
{
    const std::string text = "topology: {kind: random, nodes: 10}\n"
                             "consensus: {producers: 4}\n"
                             "duration_s: 60\n"
                             "contracts:\n" +
                             section;
    return ParseScenario(text, kSource + "/scenarios/bad-contracts.yaml");
}

void
ExpectError(const std::string& section, const std::string& wanted)
{
    auto r = ParseContracts(section);
    ASSERT_FALSE(r.IsOk()) << section;
    EXPECT_NE(r.GetStatus().Message().find(wanted), std::string::npos) << r.GetStatus().Message();
}

TEST(ContractsScenario, GoodSectionReadsWithDefaults)
{
    auto r = ParseContracts("  file: contracts/promoter.lua\n"
                            "  devices: [{node: 3}]\n");
    ASSERT_TRUE(r.IsOk()) << r.GetStatus().Message();
    const ContractsConfig& k = r.Value().contracts;
    EXPECT_TRUE(k.active);
    EXPECT_NE(k.code.find("function M.on_event"), std::string::npos);
    EXPECT_EQ(k.devices.at(0).home, kContractHomeAuto);
    EXPECT_EQ(k.gasPrice, ContractParams{}.gasPrice);
    EXPECT_FALSE(Load("default.yaml").contracts.active);
}

TEST(ContractsScenario, BadValuesNameTheKeyAndLine)
{
    const std::string file = "  file: contracts/promoter.lua\n";
    ExpectError("  devices: []\n", "bad-contracts.yaml:4: contracts.file: required");
    ExpectError("  file: contracts/missing.lua\n",
                "bad-contracts.yaml:5: contracts.file: cannot read");
    ExpectError(file + "  devices: [{node: 10}]\n",
                "contracts.devices[0].node: must be a node index below");
    ExpectError(file + "  devices: [{node: 1}, {node: 1}]\n",
                "contracts.devices[1].node: node 1 already runs a device");
    ExpectError(file + "  devices: [{home: 1}]\n", "contracts.devices[0].node: required");
    ExpectError(file + "  callbacks: [{key: state, op: lt, value: open}]\n",
                "contracts.callbacks[0].value: op 'lt' compares integers, got 'open'");
    ExpectError(
        file + "  callbacks: [{key: state, op: like}]\n",
        "contracts.callbacks[0].op: must be one of eq, ne, lt, le, gt, ge, set; got 'like'");
    ExpectError(file + "  gas_limit: 0\n", "contracts.gas_limit: must be between 1 and");
    ExpectError(file + "  deploy_at_s: 0\n", "contracts.deploy_at_s: must be greater than 0");
    ExpectError(file + "  calls: [{method: topup, at_s: 0.5}]\n",
                "contracts.calls[0].at_s: must be at least contracts.deploy_at_s");
    ExpectError(file + "  calls: [{at_s: 5}]\n", "contracts.calls[0].method: required");
    ExpectError(file + "  events: {rate_per_s: 1}\n",
                "contracts.events.types: devices that send events need at least one type");
    ExpectError(file + "  events: {on_callback: join}\n",
                "contracts.events.on_callback: 'join' needs contracts.join.method");
    ExpectError(file + "  events: {on_callback: dance}\n",
                "contracts.events.on_callback: must be one of none, event, join; got 'dance'");
    ExpectError(file + "  colour: red\n", "contracts.colour: unknown key");
    ExpectError(file + "  join: {method: join, at_s: 100}\n",
                "contracts.join.at_s: must be at least contracts.deploy_at_s (1) and less than "
                "duration_s (60)");
}

} // namespace
} // namespace canon
