// Issue 17 inside real runs (model/run/data-feature.h): a short abstract run and a short ns-3
// 802.11s mesh run of the data scenario. Devices serve their streams from their own chain to
// requesters whose signed requests cross the peer overlay as real messages; requests are
// refused by reason (no grant, revoked, forged signature, replayed); files and name records go
// through the DHT and the want-list exchange; the grant rule changes when a grant is first
// served; and the same seed gives the same records.
#include "model/run/data-feature.h"
#include "model/storage/kv/kv-audit-file.h"
#include "scenarios/run-scenario.h"
#include "scenarios/scenario-config.h"
#include "tests/repository-scenario.h"
#include "tests/test-run-path.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/wait.h>

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
    c.data.active = true;
    c.data.ownInstance = true; // the test's own feature instance, so it can read its log
    const DataConfig d = c.data;
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
    return test::LoadRepositoryScenario(file);
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

// The latest of the devices' first serves.
double
LastFirstServed(const DataServiceShared& log)
{
    std::map<uint32_t, double> first;
    for (const auto& r : log.requests)
    {
        if (r.decision == static_cast<uint8_t>(DataDecision::kServed) && !first.count(r.device))
        {
            first[r.device] = r.time;
        }
    }
    double last = 0;
    for (const auto& [device, t] : first)
    {
        last = std::max(last, t);
    }
    return last;
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

// With CZR on, the node keys also sign claims; the owners sign with their own funded keys. The
// first owner submission (a registration) is lost: the owner sends it again, with the same
// nonce, and the timeline completes.
TEST(DataRun, CzrOnAndALostOwnerTransactionIsResent)
{
    ScenarioConfig c = AbstractData(GrantRule::kBestChain);
    c.czr.enabled = true;
    c.czr.epochSlots = 6; // claims signed by the node keys at 6, 12 and 18 s
    c.data.lostOwnerTxs = 1;
    const DataRun run = RunData(c, "czr-lost");
    ExpectDataWorked(run);
    EXPECT_GT(run.summary.txIrreversibleByKind[TxKindIndex(TxType::kContributionClaim)], 0u);
    EXPECT_GE(run.summary.features.at("data").at("owner_txs_resent"), 1.0);
    // Nothing lost: nothing sent twice.
    c.data.lostOwnerTxs = 0;
    const DataRun clean = RunData(c, "czr-clean");
    EXPECT_EQ(clean.summary.features.at("data").at("owner_txs_resent"), 0.0);
    // The device whose registration was lost serves its first grantee at least the resend
    // bound (5 slots) later.
    EXPECT_GT(LastFirstServed(run.feature->Log()), LastFirstServed(clean.feature->Log()) + 4.0);
}

// `canonsim audit` on a store: its exit status and what it printed.
std::pair<int, std::string>
AuditCommand(const std::string& db, const std::string& chain, const std::string& out)
{
    const std::string cmd =
        std::string(CANONSIM_BINARY) + " audit --db " + db + " --chain " + chain + " > " + out;
    const int status = std::system(cmd.c_str());
    std::stringstream text;
    text << std::ifstream(out).rdbuf();
    return {WEXITSTATUS(status), text.str()};
}

// The audited key-value store inside a run (paper 3.5.2): a device writes batches into a real
// LevelDB store under the run's folder, its owner puts each batch hash on chain; after the run
// `canonsim audit` finds the store matching its chain, and, after a value is edited behind the
// store's back, names the batch that wrote it.
TEST(DataRun, AuditedStoreInARunIsCheckedAgainstTheChain)
{
    ScenarioConfig c = AbstractData(GrantRule::kBestChain);
    c.czr.enabled = true;
    c.data.storage.files = 0;
    c.data.kv.stores = 1;
    c.data.kv.batchOps = 20;
    c.data.kv.startAtSeconds = 3;
    c.data.kv.stopAtSeconds = 12;
    c.data.kv.dir = TestRunPath("kv") + ".kv";
    c.consensus.producers = 7; // finality within a few slots: every batch is irreversible by 25 s
    const DataRun run = RunData(c, "kv-run");
    const auto& f = run.summary.features.at("data");
    EXPECT_EQ(f.at("kv_batches"), 10.0); // 3 s to 12 s, one a second
    EXPECT_EQ(f.at("kv_audit_txs"), 10.0);
    ASSERT_EQ(f.at("kv_batches_irreversible"), 10.0);
    const auto stores = std::filesystem::directory_iterator(c.data.kv.dir);
    std::string db;
    for (const auto& e : stores)
    {
        db = e.is_directory() ? e.path().string() : db;
    }
    ASSERT_FALSE(db.empty());
    const auto ok = AuditCommand(db, db + ".chain", db + ".out");
    EXPECT_EQ(ok.first, 0) << ok.second;
    EXPECT_NE(ok.second.find("ok: 10 batches match the chain"), std::string::npos) << ok.second;
    // Batch 4 wrote readings 60 to 79.
    ASSERT_TRUE(TamperKvValue(db, "reading/65", "0").IsOk());
    const auto bad = AuditCommand(db, db + ".chain", db + ".out");
    EXPECT_EQ(bad.first, 1) << bad.second;
    EXPECT_NE(bad.second.find("batch 4 does not match"), std::string::npos) << bad.second;
    std::filesystem::remove_all(c.data.kv.dir);
}

// Direct connections to DHT contacts and providers (RunHost::Connect on the abstract engine):
// storage still works, and fewer messages are relayed than with everything over the overlay.
TEST(DataRun, DirectContactsCutRelayHopsOnTheAbstractEngine)
{
    ScenarioConfig c = AbstractData(GrantRule::kBestChain);
    c.data.storage.directContacts = 4;
    const DataRun direct = RunData(c, "direct");
    ExpectDataWorked(direct);
    const auto& f = direct.summary.features.at("data");
    EXPECT_GT(f.at("direct_connections"), 0.0);
    EXPECT_EQ(f.at("direct_refused"), 0.0);
    c.data.storage.directContacts = 0;
    const DataRun relayed = RunData(c, "relayed");
    EXPECT_EQ(relayed.summary.features.at("data").count("direct_connections"), 0u);
    EXPECT_LT(f.at("relay_hops"), relayed.summary.features.at("data").at("relay_hops"));
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
    c.data.kv.stopAtSeconds = 30;
    c.data.storage.directContacts = 4; // RunHost::Connect on ns-3: both ends AddPeer
    const DataRun run = RunData(c, "mesh");
    ExpectDataWorked(run);
    EXPECT_GT(run.summary.features.at("data").at("direct_connections"), 0.0);
    EXPECT_EQ(run.summary.features.at("data").at("direct_refused"), 0.0);
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
        {"data:\n  storage: {direct_contacts: 30}\n",
         ":4: data.storage.direct_contacts: must be at least 0 and less than topology.nodes (30)"},
        {"engine: ns3\ndata:\n  storage: {direct_contacts: 2}\n",
         ":5: data.storage.direct_contacts: needs a radio topology on the ns-3 engine"},
        {"data:\n  kv: {stores: 3}\n",
         ":4: data.kv.stores: must be between 0 and data.devices (2)"},
        {"data:\n  kv: {stores: 1, batch_ops: 0}\n",
         ":4: data.kv.batch_ops: must be between 1 and 65536"},
        {"data:\n  kv: {stores: 1, start_at_s: 9, stop_at_s: 5}\n", ":4: data.kv.stop_at_s: "},
        {"data:\n  kv: {stores: many}\n", ":4: data.kv.stores: "},
    };
    for (const auto& [body, expect] : cases)
    {
        std::ofstream(path) << head << body;
        auto loaded = LoadScenario(path);
        ASSERT_FALSE(loaded.IsOk()) << body;
        EXPECT_NE(loaded.GetStatus().Message().find(expect), std::string::npos)
            << loaded.GetStatus().Message();
    }
    std::ofstream(path) << "topology: {nodes: 30}\ndata: {}\n"; // CZR on: allowed
    auto czr = LoadScenario(path);
    EXPECT_TRUE(czr.IsOk()) << czr.GetStatus().Message();
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace canon
