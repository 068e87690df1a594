// Scenario files: defaults, every key read back, and errors that name the file, line and key.
#include "model/consensus/consensus-engine.h"
#include "model/run/scenario-plan.h"
#include "scenarios/scenario-config.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

namespace canon
{
namespace
{

namespace fs = std::filesystem;

// A fresh folder under the test temp dir, named for the running test.
std::string
TestDir()
{
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    fs::path dir = fs::path(::testing::TempDir()) / "scenario-config-test" / info->name();
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir.string();
}

std::string
WriteFile(const std::string& path, const std::string& text)
{
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
    return path;
}

// Writes `text` as <test dir>/scenario.yaml and loads it.
struct Loaded
{
    std::string path;
    Result<ScenarioConfig> result;
};

Loaded
Load(const std::string& text)
{
    std::string path = WriteFile(TestDir() + "/scenario.yaml", text);
    return Loaded{path, LoadScenario(path)};
}

// The message of a load that must fail with `code`.
std::string
ErrorOf(const Loaded& loaded, StatusCode code = StatusCode::kInvalid)
{
    EXPECT_FALSE(loaded.result.IsOk());
    EXPECT_EQ(loaded.result.GetStatus().Code(), code) << loaded.result.GetStatus().Message();
    return loaded.result.GetStatus().Message();
}

// The built-in defaults. A named object, not a ScenarioConfig{} temporary: GCC 12 reports a
// false -Wmaybe-uninitialized on the nested aggregates of such a temporary.
const ScenarioConfig&
Defaults()
{
    static const ScenarioConfig defaults;
    return defaults;
}

void
ExpectSameDevice(const DeviceClass& a, const DeviceClass& b)
{
    EXPECT_EQ(a.share, b.share);
    EXPECT_EQ(a.cpu, b.cpu);
    EXPECT_EQ(a.memory, b.memory);
    EXPECT_EQ(a.storage, b.storage);
}

void
ExpectSameCzr(const CzrConfig& a, const CzrConfig& b)
{
    EXPECT_EQ(a.enabled, b.enabled);
    EXPECT_EQ(a.epochSlots, b.epochSlots);
    EXPECT_EQ(a.gamma, b.gamma);
    EXPECT_EQ(a.beta, b.beta);
    EXPECT_EQ(a.weights, b.weights);
    EXPECT_EQ(a.levelValues, b.levelValues);
    EXPECT_EQ(a.applications, b.applications);
    EXPECT_EQ(a.regions, b.regions);
    EXPECT_EQ(a.centrality, b.centrality);
    EXPECT_EQ(a.exactMaxNodes, b.exactMaxNodes);
    EXPECT_EQ(a.samplesMax, b.samplesMax);
    EXPECT_EQ(a.epsilon, b.epsilon);
    EXPECT_EQ(a.delta, b.delta);
    EXPECT_EQ(a.candidatesPerGroup, b.candidatesPerGroup);
    EXPECT_EQ(a.driftThreshold, b.driftThreshold);
    EXPECT_EQ(a.missedSlotsMax, b.missedSlotsMax);
    EXPECT_EQ(a.voteWeight, b.voteWeight);
    EXPECT_EQ(a.voters.share, b.voters.share);
    EXPECT_EQ(a.voters.behaviour, b.voters.behaviour);
    ASSERT_EQ(a.deviceClasses.size(), b.deviceClasses.size());
    for (size_t i = 0; i < a.deviceClasses.size(); ++i)
    {
        ExpectSameDevice(a.deviceClasses[i], b.deviceClasses[i]);
    }
    EXPECT_EQ(a.overclaimFactor, b.overclaimFactor);
}

void
ExpectSameSettings(const ScenarioConfig& a, const ScenarioConfig& b)
{
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.seed, b.seed);
    EXPECT_EQ(a.durationSeconds, b.durationSeconds);
    EXPECT_EQ(a.engine, b.engine);
    EXPECT_EQ(a.topology.kind, b.topology.kind);
    EXPECT_EQ(a.topology.clusterSize, b.topology.clusterSize);
    EXPECT_EQ(a.topology.bridgeLinks, b.topology.bridgeLinks);
    EXPECT_EQ(a.topology.sybil, b.topology.sybil);
    ExpectSameDevice(a.topology.bridgeDevice, b.topology.bridgeDevice);
    EXPECT_EQ(a.topology.nodes, b.topology.nodes);
    EXPECT_EQ(a.topology.averageDegree, b.topology.averageDegree);
    EXPECT_EQ(a.topology.file, b.topology.file);
    EXPECT_EQ(a.topology.format, b.topology.format);
    EXPECT_EQ(a.topology.linkLatencyMinMs, b.topology.linkLatencyMinMs);
    EXPECT_EQ(a.topology.linkLatencyMaxMs, b.topology.linkLatencyMaxMs);
    EXPECT_EQ(a.topology.linkBandwidthMbps, b.topology.linkBandwidthMbps);
    ASSERT_EQ(a.topology.access.size(), b.topology.access.size());
    for (size_t i = 0; i < a.topology.access.size(); ++i)
    {
        EXPECT_EQ(a.topology.access[i].share, b.topology.access[i].share);
        EXPECT_EQ(a.topology.access[i].bandwidthMbps, b.topology.access[i].bandwidthMbps);
    }
    EXPECT_EQ(a.consensus.producers, b.consensus.producers);
    EXPECT_EQ(a.consensus.slotSeconds, b.consensus.slotSeconds);
    EXPECT_EQ(a.consensus.blockSizeBytesMax, b.consensus.blockSizeBytesMax);
    EXPECT_EQ(a.consensus.blockTxMax, b.consensus.blockTxMax);
    EXPECT_EQ(a.consensus.finalityThreshold, b.consensus.finalityThreshold);
    EXPECT_EQ(a.consensus.offlineProducers, b.consensus.offlineProducers);
    EXPECT_EQ(a.workload.txPerSecond, b.workload.txPerSecond);
    EXPECT_EQ(a.workload.accounts, b.workload.accounts);
    EXPECT_EQ(a.workload.fee.distribution, b.workload.fee.distribution);
    EXPECT_EQ(a.workload.fee.min, b.workload.fee.min);
    EXPECT_EQ(a.workload.fee.max, b.workload.fee.max);
    EXPECT_EQ(a.workload.fee.mean, b.workload.fee.mean);
    EXPECT_EQ(a.workload.fee.value, b.workload.fee.value);
    ExpectSameCzr(a.czr, b.czr);
    ASSERT_EQ(a.faults.crashes.size(), b.faults.crashes.size());
    for (size_t i = 0; i < a.faults.crashes.size(); ++i)
    {
        EXPECT_EQ(a.faults.crashes[i].node, b.faults.crashes[i].node);
        EXPECT_EQ(a.faults.crashes[i].at, b.faults.crashes[i].at);
        EXPECT_EQ(a.faults.crashes[i].restartAt, b.faults.crashes[i].restartAt);
    }
    EXPECT_EQ(a.gossip.mode, b.gossip.mode);
    EXPECT_EQ(a.gossip.txAnnounceInterval, b.gossip.txAnnounceInterval);
    EXPECT_EQ(a.defences.scores, b.defences.scores);
    EXPECT_EQ(a.defences.banScore, b.defences.banScore);
    EXPECT_EQ(a.defences.banSeconds, b.defences.banSeconds);
    EXPECT_EQ(a.defences.decayPerSecond, b.defences.decayPerSecond);
    EXPECT_EQ(a.defences.messagesPerSecond, b.defences.messagesPerSecond);
    EXPECT_EQ(a.defences.signaturesPerSecond, b.defences.signaturesPerSecond);
    EXPECT_EQ(a.defences.burstSeconds, b.defences.burstSeconds);
    EXPECT_EQ(a.defences.outboundPeers, b.defences.outboundPeers);
    EXPECT_EQ(a.defences.addressGroupSize, b.defences.addressGroupSize);
    EXPECT_EQ(a.node.mempoolTxMax, b.node.mempoolTxMax);
    EXPECT_EQ(a.node.peerSendQueueBytesMax, b.node.peerSendQueueBytesMax);
    EXPECT_EQ(a.node.tcpDelAckCount, b.node.tcpDelAckCount);
    EXPECT_EQ(a.trace.batchRecords, b.trace.batchRecords);
}

// ---------------------------------------------------------------------------------------------
// Reading good files.

TEST(ScenarioConfig, EmptyMappingGivesEveryDefault)
{
    auto loaded = Load("{}\n");
    ASSERT_TRUE(loaded.result.IsOk()) << loaded.result.GetStatus().Message();
    ExpectSameSettings(loaded.result.Value(), Defaults());
}

TEST(ScenarioConfig, SectionWrittenWithNothingUnderItKeepsItsDefaults)
{
    auto loaded = Load("topology:\nconsensus:\n  # all commented out\nworkload: {}\n");
    ASSERT_TRUE(loaded.result.IsOk()) << loaded.result.GetStatus().Message();
    ExpectSameSettings(loaded.result.Value(), Defaults());
}

TEST(ScenarioConfig, KeysNotWrittenKeepTheirDefaults)
{
    auto loaded = Load("consensus:\n  producers: 5\n");
    ASSERT_TRUE(loaded.result.IsOk()) << loaded.result.GetStatus().Message();
    ScenarioConfig expected;
    expected.consensus.producers = 5;
    ExpectSameSettings(loaded.result.Value(), expected);
}

TEST(ScenarioConfig, FullFileRoundTripsEveryField)
{
    const std::string dir = TestDir();
    WriteFile(dir + "/topologies/net.orbis", "0 1\n");
    const std::string text = R"(name: everything
seed: 18446744073709551615
duration_s: 12.5
topology:
  kind: file
  cluster_size: 4
  bridge_links: 2
  sybil: true
  bridge_device: {cpu: 0.5, memory: 2, storage: 0.25}
  nodes: 7
  average_degree: 2.5
  file: topologies/net.orbis
  format: Orbis
  link_latency_ms: [1.5, 2]
  link_bandwidth_mbps: 250
  access:
    - {share: 2, bandwidth_mbps: 3.5}
    - share: 1
      bandwidth_mbps: 1000
    - {share: 0.25, bandwidth_mbps: 8}
consensus:
  producers: 4
  slot_s: 0.5
  block_size_bytes_max: 2048
  block_tx_max: 10
  finality_threshold: 3
  offline_producers: [0, 3]
workload:
  tx_per_s: 0
  accounts: 2
  fee: {distribution: exponential, min: 0, max: 0, mean: 7.5, value: 9}
czr:
  enabled: false
  epoch_slots: 12
  gamma: 0.5
  beta: 0
  weights: [0, 1.5, 2, 3, 4]
  level_values: [0.5, 2.5, 10]
  applications: [cdn, vehicular-network, scientific-computation, database-query, mesh-network]
  regions: 3
  centrality: sampled
  epsilon: 0.05
  delta: 0.2
  candidates_per_group: 5
  drift_threshold: 1
  missed_slots_max: 9
  vote_weight: account
  voters: {share: 1, behaviour: random}
  device_classes:
    - {share: 3, cpu: 0.5, memory: 0.75, storage: 2}
    - share: 1
      cpu: 4
      memory: 8
      storage: 16
  overclaim_factor: 1.5
faults:
  crashes:
    - {node: 2, at_s: 3.5, restart_s: 10}
    - node: 400
      at_s: 0
gossip:
  mode: compact
  tx_announce_interval_ms: 250
node:
  mempool_tx_max: 1
  peer_send_queue_bytes_max: 65536
  tcp_del_ack_count: 4
trace:
  batch_records: 1
)";
    const std::string path = WriteFile(dir + "/full.yaml", text);
    auto result = LoadScenario(path);
    ASSERT_TRUE(result.IsOk()) << result.GetStatus().Message();

    ScenarioConfig expected;
    expected.name = "everything";
    expected.seed = std::numeric_limits<uint64_t>::max();
    expected.durationSeconds = 12.5;
    expected.topology.kind = TopologyKind::kFile;
    expected.topology.clusterSize = 4;
    expected.topology.bridgeLinks = 2;
    expected.topology.sybil = true;
    expected.topology.bridgeDevice = {1.0, 0.5, 2.0, 0.25};
    expected.topology.nodes = 7;
    expected.topology.averageDegree = 2.5;
    expected.topology.file = dir + "/topologies/net.orbis";
    expected.topology.format = TopologyFormat::kOrbis;
    expected.topology.linkLatencyMinMs = 1.5;
    expected.topology.linkLatencyMaxMs = 2.0;
    expected.topology.linkBandwidthMbps = 250.0;
    expected.topology.access = {{2.0, 3.5}, {1.0, 1000.0}, {0.25, 8.0}};
    expected.consensus.producers = 4;
    expected.consensus.slotSeconds = 0.5;
    expected.consensus.blockSizeBytesMax = 2048;
    expected.consensus.blockTxMax = 10;
    expected.consensus.finalityThreshold = 3;
    expected.consensus.offlineProducers = {0, 3};
    expected.workload.txPerSecond = 0.0;
    expected.workload.accounts = 2;
    expected.workload.fee = {FeeDistribution::kExponential, 0.0, 0.0, 7.5, 9.0};
    expected.czr.enabled = false;
    expected.czr.epochSlots = 12;
    expected.czr.gamma = 0.5;
    expected.czr.beta = 0.0;
    expected.czr.weights = {0.0, 1.5, 2.0, 3.0, 4.0};
    expected.czr.levelValues = {0.5, 2.5, 10.0};
    expected.czr.applications = {ApplicationType::kCdn, ApplicationType::kVehicularNetwork,
                                 ApplicationType::kScientificComputation,
                                 ApplicationType::kDatabaseQuery, ApplicationType::kMeshNetwork};
    expected.czr.regions = 3;
    expected.czr.centrality = CentralityMode::kSampled;
    expected.czr.epsilon = 0.05;
    expected.czr.delta = 0.2;
    expected.czr.candidatesPerGroup = 5;
    expected.czr.driftThreshold = 1.0;
    expected.czr.missedSlotsMax = 9;
    expected.czr.voteWeight = VoteWeight::kAccount;
    expected.czr.voters = {1.0, VoterBehaviour::kRandom};
    expected.czr.deviceClasses = {{3.0, 0.5, 0.75, 2.0}, {1.0, 4.0, 8.0, 16.0}};
    expected.czr.overclaimFactor = 1.5;
    // A file topology's node count is not known here, so node 400 is not checked; a crash
    // without restart_s keeps its default (no restart).
    expected.faults.crashes = {{2, 3500 * kMillisecond, 10 * kSecond}, {400, 0, 0}};
    expected.gossip.mode = GossipMode::kCompact;
    expected.gossip.txAnnounceInterval = 250 * kMillisecond;
    expected.node.mempoolTxMax = 1;
    expected.node.peerSendQueueBytesMax = 65536;
    expected.node.tcpDelAckCount = 4;
    expected.trace.batchRecords = 1;
    ExpectSameSettings(result.Value(), expected);
    EXPECT_EQ(result.Value().sourcePath, path);
    EXPECT_EQ(result.Value().sourceText, text);
}

TEST(ScenarioConfig, WholeNumbersMayBeWrittenWithAnExponentOrPlusSign)
{
    auto loaded = Load("consensus:\n  block_size_bytes_max: 2e6\n  block_tx_max: +12\n");
    ASSERT_TRUE(loaded.result.IsOk()) << loaded.result.GetStatus().Message();
    EXPECT_EQ(loaded.result.Value().consensus.blockSizeBytesMax, 2000000u);
    EXPECT_EQ(loaded.result.Value().consensus.blockTxMax, 12u);
}

TEST(ScenarioConfig, RepositoryScenariosParse)
{
    const std::string root = CANONSIM_SOURCE_DIR;
    auto def = LoadScenario(root + "/scenarios/default.yaml");
    ASSERT_TRUE(def.IsOk()) << def.GetStatus().Message();
    // default.yaml writes out exactly the built-in defaults.
    ExpectSameSettings(def.Value(), Defaults());

    auto small = LoadScenario(root + "/scenarios/small.yaml");
    ASSERT_TRUE(small.IsOk()) << small.GetStatus().Message();
    EXPECT_EQ(small.Value().name, "small");
    EXPECT_EQ(small.Value().topology.kind, TopologyKind::kRandom);
    EXPECT_EQ(small.Value().topology.nodes, 30u);
    EXPECT_EQ(small.Value().consensus.producers, 21u);
    EXPECT_EQ(small.Value().durationSeconds, 60.0);
    EXPECT_EQ(small.Value().workload.txPerSecond, 20.0);
}

TEST(ScenarioConfig, BridgeScenariosParse)
{
    const std::string root = CANONSIM_SOURCE_DIR;
    auto bridge = LoadScenario(root + "/scenarios/bridge.yaml");
    ASSERT_TRUE(bridge.IsOk()) << bridge.GetStatus().Message();
    ScenarioConfig expected;
    expected.name = "bridge";
    expected.durationSeconds = 240.0;
    expected.topology.kind = TopologyKind::kBridge;
    expected.topology.clusterSize = 10;
    expected.topology.bridgeLinks = 3;
    expected.topology.sybil = false;
    expected.topology.bridgeDevice = {1.0, 0.8, 0.8, 0.8};
    expected.consensus.producers = 7;
    expected.consensus.slotSeconds = 1.0;
    expected.workload.txPerSecond = 10.0;
    expected.workload.accounts = 60;
    expected.czr.voters = {0.5, VoterBehaviour::kTop};
    // The bridge node (2 * cluster_size) crashes at 150 s and stays down.
    expected.faults.crashes = {{20, 150 * kSecond, 0}};
    ExpectSameSettings(bridge.Value(), expected);

    auto sybil = LoadScenario(root + "/scenarios/sybil-bridge.yaml");
    ASSERT_TRUE(sybil.IsOk()) << sybil.GetStatus().Message();
    expected.name = "sybil-bridge";
    expected.topology.sybil = true;
    expected.faults.crashes.clear();
    ExpectSameSettings(sybil.Value(), expected);
}

// ---------------------------------------------------------------------------------------------
// Unknown and repeated keys.

TEST(ScenarioConfig, UnknownKeyIsAnErrorNamingFileLineAndKey)
{
    auto loaded = Load("name: x\nseed: 2\ncolour: red\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":3: colour: unknown key (known: name, seed, duration_s, engine, "
                            "topology, consensus, workload, fees, contracts, data, czr, faults, "
                            "adversaries, defences, "
                            "gossip, node, trace, channels, governance)");
}

TEST(ScenarioConfig, UnknownNestedKeyIsAnErrorNamingTheDottedKey)
{
    auto loaded = Load("name: x\nconsensus:\n  producers: 5\n\n  colour: red\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":5: consensus.colour: unknown key (known: protocol, producers, "
                            "slot_s, block_size_bytes_max, block_tx_max, finality_threshold, "
                            "offline_producers, hash_power, pow, pos, dpos, poi)");
}

TEST(ScenarioConfig, UnknownKeyInsideAFlowMappingIsReported)
{
    auto loaded = Load("workload:\n  fee: {distribution: fixed, val: 3}\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":2: workload.fee.val: unknown key (known: distribution, min, max, "
                            "mean, value)");
}

TEST(ScenarioConfig, UnknownKeyInAnAccessClassNamesItsIndex)
{
    auto loaded = Load("topology:\n  access:\n    - {share: 1, bandwidth_mbps: 5}\n"
                       "    - {share: 1, bandwith_mbps: 5}\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":4: topology.access[1].bandwith_mbps: unknown key (known: share, "
                            "bandwidth_mbps)");
}

TEST(ScenarioConfig, UnknownKeyInsideCzrIsAnErrorListingItsKeys)
{
    auto loaded = Load("czr:\n  enabled: true\n  gama: 0.9\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":3: czr.gama: unknown key (known: enabled, epoch_slots, gamma, beta, "
                            "weights, level_values, applications, regions, centrality, "
                            "exact_max_nodes, samples_max, epsilon, delta, candidates_per_group, "
                            "drift_threshold, missed_slots_max, "
                            "vote_weight, voters, device_classes, overclaim_factor)");
}

TEST(ScenarioConfig, UnknownKeysInTheNewNestedMappingsAreReported)
{
    // The bridge device is not drawn by share, so share is not one of its keys.
    auto loaded = Load("topology:\n  kind: bridge\n"
                       "  bridge_device: {share: 1, cpu: 0.8, memory: 0.8, storage: 0.8}\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":3: topology.bridge_device.share: unknown key (known: cpu, memory, "
                            "storage)");
    loaded = Load("czr:\n  voters:\n    share: 0.5\n    strategy: top\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":4: czr.voters.strategy: unknown key (known: share, behaviour)");
    loaded = Load("czr:\n  device_classes:\n    - {share: 1, cpu: 1, memory: 1, storage: 1}\n"
                  "    - {share: 1, gpu: 1}\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":4: czr.device_classes[1].gpu: unknown key (known: share, cpu, "
                            "memory, storage)");
    loaded = Load("faults:\n  crashes:\n    - {node: 1, at_s: 5, restart: 9}\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":3: faults.crashes[0].restart: unknown key (known: node, at_s, "
                            "restart_s)");
    loaded = Load("faults:\n  earthquakes: []\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":2: faults.earthquakes: unknown key (known: crashes, links, "
                            "partitions, bursts)");
    loaded = Load("faults:\n  bursts:\n    - {at_s: 1, until_s: 2, loss: 0.1, jitter: 3}\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":3: faults.bursts[0].jitter: unknown key (known: at_s, until_s, "
                            "loss, delay_ms)");
}

TEST(ScenarioConfig, NetworkFaultsParseIntoTheirWindows)
{
    auto loaded = Load("duration_s: 100\nfaults:\n"
                       "  links:\n    - {a: 1, b: 2, at_s: 10, until_s: 20}\n"
                       "  partitions:\n    - {nodes: [0, 3], at_s: 30, until_s: 40}\n"
                       "  bursts:\n    - {at_s: 50, until_s: 55, loss: 0.25, delay_ms: 100}\n");
    ASSERT_TRUE(loaded.result.IsOk()) << loaded.result.GetStatus().ToString();
    const FaultPlan& f = loaded.result.Value().faults;
    ASSERT_EQ(f.links.size(), 1u);
    EXPECT_EQ(f.links[0].b, 2u);
    EXPECT_EQ(f.links[0].start, 10 * kSecond);
    EXPECT_EQ(f.links[0].end, 20 * kSecond);
    ASSERT_EQ(f.partitions.size(), 1u);
    EXPECT_EQ(f.partitions[0].nodes, (std::vector<uint32_t>{0, 3}));
    EXPECT_EQ(f.partitions[0].start, 30 * kSecond);
    ASSERT_EQ(f.bursts.size(), 1u);
    EXPECT_DOUBLE_EQ(f.bursts[0].loss, 0.25);
    EXPECT_EQ(f.bursts[0].end, 55 * kSecond);
    EXPECT_EQ(f.bursts[0].extraDelay, 100 * kMillisecond);
}

TEST(ScenarioConfig, EachKindOfBadNetworkFaultNamesItsKey)
{
    const std::string head = "duration_s: 100\ntopology: {kind: random, nodes: 10}\nconsensus: "
                             "{producers: 4}\nfaults:\n";
    struct Case
    {
        std::string body;
        std::string error;
    };
    const std::vector<Case> cases = {
        {"  links:\n    - {a: 1, b: 10, at_s: 1, until_s: 2}\n",
         "faults.links[0].b: must be a node index below topology.nodes (10), got 10"},
        {"  links:\n    - {a: 4, b: 4, at_s: 1, until_s: 2}\n",
         "faults.links[0].b: must differ from a (4)"},
        {"  links:\n    - {a: 1, b: 2, at_s: 5, until_s: 5}\n",
         "faults.links[0].until_s: must be after at_s (5), got 5"},
        {"  partitions:\n    - {nodes: [], at_s: 1, until_s: 2}\n",
         "faults.partitions[0].nodes: must name at least one node"},
        {"  partitions:\n    - {nodes: [1, 99], at_s: 1, until_s: 2}\n",
         "faults.partitions[0].nodes[1]: must be a node index below topology.nodes (10), got 99"},
        {"  bursts:\n    - {at_s: 100, until_s: 120, loss: 0.1}\n",
         "faults.bursts[0].at_s: must be at least 0 and less than duration_s (100), got 100"},
        {"  bursts:\n    - {at_s: 1, until_s: 2, loss: 1.5}\n",
         "faults.bursts[0].loss: must be in [0, 1], got 1.5"},
        {"  bursts:\n    - {at_s: 1, until_s: 2, delay_ms: -1}\n",
         "faults.bursts[0].delay_ms: must be in [0, 60000], got -1"},
        {"  links: {a: 1}\n", "faults.links: expected a list"},
    };
    for (const Case& c : cases)
    {
        auto loaded = Load(head + c.body);
        ASSERT_FALSE(loaded.result.IsOk()) << c.body;
        EXPECT_NE(loaded.result.GetStatus().Message().find(c.error), std::string::npos)
            << "expected '" << c.error << "' in: " << loaded.result.GetStatus().Message();
    }
}

TEST(ScenarioConfig, RepeatedKeyIsAnErrorPointingAtBothLines)
{
    auto loaded = Load("topology:\n  nodes: 10\n  nodes: 20\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":3: topology.nodes: repeated key (first given at line 2)");
}

// ---------------------------------------------------------------------------------------------
// Wrong types.

TEST(ScenarioConfig, StringForNumberIsAnErrorNamingFileLineAndKey)
{
    auto loaded = Load("workload:\n  accounts: 10\n  tx_per_s: fast\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":3: workload.tx_per_s: expected a number, got 'fast'");
}

TEST(ScenarioConfig, NonFiniteNumberIsAnError)
{
    auto loaded = Load("duration_s: nan\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":1: duration_s: expected a finite number, got 'nan'");
}

TEST(ScenarioConfig, ListForScalarIsAnError)
{
    auto loaded = Load("\ntopology:\n  nodes: [10, 20]\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":3: topology.nodes: expected a whole number, got a list");
    loaded = Load("name: [a, b]\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":1: name: expected a string, got a list");
    loaded = Load("consensus:\n  slot_s: {a: 1}\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":2: consensus.slot_s: expected a number, got a mapping");
}

TEST(ScenarioConfig, MissingValueIsAnError)
{
    auto loaded = Load("seed: 3\nduration_s:\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":2: duration_s: expected a number, got nothing");
}

TEST(ScenarioConfig, ScalarForSectionIsAnError)
{
    auto loaded = Load("name: x\ntopology: 5\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":2: topology: expected a mapping of keys, got '5'");
}

TEST(ScenarioConfig, ScalarForListIsAnError)
{
    auto loaded = Load("consensus:\n  offline_producers: 3\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":2: consensus.offline_producers: expected a list, got '3'");
    loaded = Load("topology:\n  access: {share: 1, bandwidth_mbps: 5}\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":2: topology.access: expected a list, got a mapping");
}

TEST(ScenarioConfig, FractionalForIntegerIsAnError)
{
    auto loaded = Load("topology:\n  nodes: 1.5\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":2: topology.nodes: expected a whole number, got '1.5'");
    loaded = Load("seed: lots\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":1: seed: expected a whole number, got 'lots'");
}

TEST(ScenarioConfig, NegativeForUnsignedIsAnError)
{
    auto loaded = Load("consensus:\n  producers: -3\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":2: consensus.producers: must not be negative, got -3");
}

TEST(ScenarioConfig, IntegerTooLargeForItsFieldIsAnError)
{
    auto loaded = Load("consensus:\n  block_tx_max: 5000000000\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":2: consensus.block_tx_max: must be at most 4294967295, got "
                            "5000000000");
    loaded = Load("seed: 18446744073709551616\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":1: seed: must be at most 18446744073709551615, got "
                            "18446744073709551616");
}

TEST(ScenarioConfig, ListElementErrorsNameTheIndexAndItsLine)
{
    auto loaded = Load("consensus:\n  offline_producers:\n    - 1\n    - two\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":4: consensus.offline_producers[1]: expected a whole number, got "
                            "'two'");
    loaded = Load("topology:\n  access:\n    - 5\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":3: topology.access[0]: expected a mapping {share, bandwidth_mbps}, "
                            "got '5'");
}

TEST(ScenarioConfig, BooleansMustBeWrittenTrueOrFalse)
{
    auto loaded = Load("czr:\n  enabled: false\ntopology:\n  sybil: true\n");
    ASSERT_TRUE(loaded.result.IsOk()) << loaded.result.GetStatus().Message();
    EXPECT_FALSE(loaded.result.Value().czr.enabled);
    EXPECT_TRUE(loaded.result.Value().topology.sybil);

    loaded = Load("name: x\nczr:\n  enabled: 1\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":3: czr.enabled: expected true or false, got '1'");
    loaded = Load("topology:\n  sybil: yes\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":2: topology.sybil: expected true or false, got 'yes'");
    loaded = Load("czr:\n  enabled:\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":2: czr.enabled: expected true or false, got nothing");
}

TEST(ScenarioConfig, CzrWeightsMustBeAListOfFiveNumbers)
{
    auto loaded = Load("czr:\n  weights: [1, 1, 1, 1]\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":2: czr.weights: expected a list of five numbers [w_C, w_M, w_B, "
                            "w_D, w_I], got 4 elements");
    loaded = Load("czr:\n  weights: 1\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":2: czr.weights: expected a list of five numbers [w_C, w_M, w_B, "
                            "w_D, w_I], got '1'");
    loaded = Load("czr:\n  weights:\n    - 1\n    - 1\n    - lots\n    - 1\n    - 1\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":5: czr.weights[2]: expected a number, got 'lots'");
    loaded = Load("czr:\n  level_values: [1]\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":2: czr.level_values: expected a list of three numbers [low, middle, "
                            "high], got 1 element");
}

TEST(ScenarioConfig, CzrListsOfNamesAndMappingsCheckTheirElements)
{
    auto loaded = Load("czr:\n  applications: [cdn, [mesh-network]]\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":2: czr.applications[1]: expected a string, got a list");
    loaded = Load("czr:\n  applications: cdn\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":2: czr.applications: expected a list, got 'cdn'");
    loaded = Load("czr:\n  device_classes:\n    - 1\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":3: czr.device_classes[0]: expected a mapping {share, cpu, memory, "
                            "storage}, got '1'");
    loaded = Load("faults:\n  crashes:\n    - 20\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":3: faults.crashes[0]: expected a mapping {node, at_s, restart_s}, "
                            "got '20'");
    loaded = Load("faults:\n  crashes:\n    - {node: -1, at_s: 5}\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":3: faults.crashes[0].node: must not be negative, got -1");
    loaded = Load("czr:\n  voters: top\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":2: czr.voters: expected a mapping of keys, got 'top'");
}

TEST(ScenarioConfig, LatencyMustBeAListOfTwoNumbers)
{
    auto loaded = Load("topology:\n  link_latency_ms: [1, 2, 3]\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":2: topology.link_latency_ms: expected a list of two numbers "
                            "[min, max], got 3 elements");
    loaded = Load("topology:\n  link_latency_ms: 5\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":2: topology.link_latency_ms: expected a list of two numbers "
                            "[min, max], got '5'");
    loaded = Load("topology:\n  link_latency_ms: [1, soon]\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":2: topology.link_latency_ms[1]: expected a number, got 'soon'");
}

// ---------------------------------------------------------------------------------------------
// Out of range.

TEST(ScenarioConfig, ProducersAboveNodesIsAnErrorNamingBoth)
{
    auto loaded = Load("name: x\n\n\n\n\nconsensus:\n  producers: 80\n");
    EXPECT_EQ(ErrorOf(loaded),
              loaded.path + ":7: consensus.producers: must be between 1 and topology.nodes (50), "
                            "got 80");
}

TEST(ScenarioConfig, DefaultProducersAboveWrittenNodesPointsAtTheNodesLine)
{
    auto loaded = Load("name: x\ntopology:\n  nodes: 10\n");
    EXPECT_EQ(ErrorOf(loaded),
              loaded.path + ":3: consensus.producers: must be between 1 and topology.nodes (10), "
                            "got 21");
}

TEST(ScenarioConfig, UnknownTopologyKindListsTheChoices)
{
    auto loaded = Load("topology:\n  kind: ring\n");
    EXPECT_EQ(ErrorOf(loaded), loaded.path + ":2: topology.kind: must be one of random, file, "
                                             "bridge, mesh, vehicular; got 'ring'");
}

TEST(ScenarioConfig, BridgeTopologyLimitsProducersByItsNodeCount)
{
    auto loaded =
        Load("topology:\n  kind: bridge\n  cluster_size: 4\nconsensus:\n  producers: 10\n");
    EXPECT_EQ(ErrorOf(loaded),
              loaded.path + ":5: consensus.producers: must be between 1 and the bridge topology's "
                            "node count (2 * topology.cluster_size + 1 = 9), got 10");
    // The Sybil bridge is two nodes; default producers (21) above it point at cluster_size.
    loaded = Load("topology:\n  kind: bridge\n  sybil: true\n  cluster_size: 5\n");
    EXPECT_EQ(ErrorOf(loaded),
              loaded.path + ":4: consensus.producers: must be between 1 and the bridge topology's "
                            "node count (2 * topology.cluster_size + 2 = 12), got 21");
    // Exactly the node count is allowed; topology.nodes plays no part.
    loaded = Load("topology: {kind: bridge, cluster_size: 5, sybil: true, nodes: 2}\n"
                  "consensus: {producers: 12}\n");
    EXPECT_TRUE(loaded.result.IsOk()) << loaded.result.GetStatus().Message();
}

TEST(ScenarioConfig, BridgeLinksAboveClusterSizeIsAnErrorNamingBoth)
{
    auto loaded = Load("topology:\n  kind: bridge\n  cluster_size: 4\n  bridge_links: 5\n");
    EXPECT_EQ(ErrorOf(loaded), loaded.path + ":4: topology.bridge_links: must be between 1 and "
                                             "topology.cluster_size (4), got 5");
    // Only a bridge topology checks its bridge keys.
    loaded = Load("topology:\n  kind: random\n  cluster_size: 4\n  bridge_links: 5\n");
    EXPECT_TRUE(loaded.result.IsOk()) << loaded.result.GetStatus().Message();
}

TEST(ScenarioConfig, CrashOfANodeOutsideTheTopologyIsAnError)
{
    auto loaded = Load("faults:\n  crashes:\n    - {node: 10, at_s: 5}\n"
                       "    - {node: 50, at_s: 5}\n");
    EXPECT_EQ(ErrorOf(loaded), loaded.path +
                                   ":4: faults.crashes[1].node: must be a node index below "
                                   "topology.nodes (50), got 50");
    loaded = Load("topology: {kind: bridge, cluster_size: 10}\nconsensus: {producers: 7}\n"
                  "faults:\n  crashes:\n    - node: 21\n      at_s: 150\n");
    EXPECT_EQ(ErrorOf(loaded),
              loaded.path + ":5: faults.crashes[0].node: must be a node index below the bridge "
                            "topology's node count (2 * topology.cluster_size + 1 = 21), got 21");
    // The second identity of a Sybil bridge is node 21.
    loaded = Load("topology: {kind: bridge, cluster_size: 10, sybil: true}\n"
                  "consensus: {producers: 7}\nfaults:\n  crashes: [{node: 21, at_s: 150}]\n");
    EXPECT_TRUE(loaded.result.IsOk()) << loaded.result.GetStatus().Message();
}

TEST(ScenarioConfig, CrashTimesMustFallInsideTheRun)
{
    auto loaded = Load("duration_s: 240\nfaults:\n  crashes:\n    - {node: 1, at_s: 240}\n");
    EXPECT_EQ(ErrorOf(loaded), loaded.path +
                                   ":4: faults.crashes[0].at_s: must be at least 0 and less than "
                                   "duration_s (240), got 240");
    loaded = Load("faults:\n  crashes:\n    - node: 1\n      at_s: -1\n");
    EXPECT_EQ(ErrorOf(loaded), loaded.path +
                                   ":4: faults.crashes[0].at_s: must be at least 0 and less than "
                                   "duration_s (600), got -1");
    loaded = Load("faults:\n  crashes:\n    - {node: 1, at_s: 10, restart_s: -5}\n");
    EXPECT_EQ(ErrorOf(loaded),
              loaded.path + ":3: faults.crashes[0].restart_s: must not be negative, got -5");
    // A restart at or before the crash means no restart, and is allowed.
    loaded = Load("faults:\n  crashes:\n    - {node: 1, at_s: 10, restart_s: 5}\n");
    EXPECT_TRUE(loaded.result.IsOk()) << loaded.result.GetStatus().Message();
}

TEST(ScenarioConfig, CzrLevelValuesMustBeStrictlyAscending)
{
    auto loaded = Load("czr:\n  level_values: [1, 3, 3]\n");
    EXPECT_EQ(ErrorOf(loaded),
              loaded.path + ":2: czr.level_values: must be strictly ascending (low < middle < "
                            "high), got [1, 3, 3]");
}

TEST(ScenarioConfig, UnknownApplicationNameListsTheTable2Types)
{
    auto loaded = Load("czr:\n  applications:\n    - cdn\n    - video-streaming\n");
    EXPECT_EQ(ErrorOf(loaded), loaded.path +
                                   ":4: czr.applications[1]: must be one of vehicular-network, "
                                   "mesh-network, cdn, database-query, scientific-computation; got "
                                   "'video-streaming'");
}

TEST(ScenarioConfig, UnknownGossipModeListsTheChoices)
{
    auto loaded = Load("gossip:\n  mode: flood\n");
    EXPECT_EQ(ErrorOf(loaded),
              loaded.path + ":2: gossip.mode: must be one of push, announce, compact; got 'flood'");
}

TEST(ScenarioConfig, GossipModeReachesTheNodeLimits)
{
    for (GossipMode mode : {GossipMode::kPush, GossipMode::kAnnounce, GossipMode::kCompact})
    {
        auto loaded = Load(std::string("gossip: {mode: ") + Name(mode) + "}\n");
        ASSERT_TRUE(loaded.result.IsOk()) << loaded.result.GetStatus().Message();
        EXPECT_EQ(loaded.result.Value().gossip.mode, mode);
        EXPECT_EQ(PlanFromScenario(loaded.result.Value(), 50, {}).limits.gossip, mode);
    }
    EXPECT_EQ(ScenarioConfig{}.gossip.mode, GossipMode::kPush) << "push stays the default";
    auto slow = Load("gossip: {mode: compact, tx_announce_interval_ms: 500}\n");
    ASSERT_TRUE(slow.result.IsOk()) << slow.result.GetStatus().Message();
    EXPECT_EQ(PlanFromScenario(slow.result.Value(), 50, {}).limits.txAnnounceInterval,
              500 * kMillisecond);
    EXPECT_EQ(ScenarioConfig{}.gossip.txAnnounceInterval, NodeLimits{}.txAnnounceInterval);
}

TEST(ScenarioConfig, UnknownConsensusProtocolListsTheChoices)
{
    auto loaded = Load("consensus:\n  protocol: raft\n");
    EXPECT_EQ(ErrorOf(loaded), loaded.path +
                                   ":2: consensus.protocol: must be one of pop, pow, pos, "
                                   "dpos, poi; got 'raft'");
}

TEST(ScenarioConfig, BaselineParametersReachTheChainAndBadOnesNameTheirKey)
{
    auto loaded = Load("consensus:\n  protocol: pow\n  slot_s: 0.1\n  hash_power: equal\n"
                       "  pow: {mean_interval_s: 2, confirmations: 4, gamma: 0.25}\n");
    if (HasConsensusEngine(Protocol::kPow))
    {
        ASSERT_TRUE(loaded.result.IsOk()) << loaded.result.GetStatus().Message();
        const RunPlan plan = PlanFromScenario(loaded.result.Value(), 10, {});
        const ConsensusParams& c = plan.genesis.base.consensus;
        EXPECT_EQ(c.protocol, Protocol::kPow);
        EXPECT_EQ(c.pow.meanInterval, 2 * kSecond);
        EXPECT_EQ(c.pow.confirmations, 4u);
        EXPECT_DOUBLE_EQ(c.pow.gamma, 0.25);
        EXPECT_EQ(plan.genesis.nodeHashPower, std::vector<double>(10, 1.0));
    }
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"consensus: {protocol: pop, pow: {gamma: 1.5}}\n",
         "consensus.pow.gamma: must be between 0 and 1, got 1.5"},
        {"consensus: {pos: {active_slot_coefficient: 0}}\n",
         "consensus.pos.active_slot_coefficient: must be between 1e-04 and 1, got 0"},
        {"consensus: {dpos: {repetitions: 0}}\n",
         "consensus.dpos.repetitions: must be between 1 and 100, got 0"},
        {"consensus: {slot_s: 1, poi: {target_interval_s: 0.5}}\n",
         "consensus.poi.target_interval_s: must be between 1 and 360000, got 0.5"},
    };
    for (const auto& [text, error] : cases)
    {
        auto bad = Load(text);
        ASSERT_FALSE(bad.result.IsOk()) << text;
        EXPECT_NE(bad.result.GetStatus().Message().find(error), std::string::npos)
            << "expected '" << error << "' in: " << bad.result.GetStatus().Message();
    }
}

TEST(ScenarioConfig, UnknownVoterBehaviourListsTheChoices)
{
    auto loaded = Load("czr:\n  voters:\n    share: 0.2\n    behaviour: greedy\n");
    EXPECT_EQ(ErrorOf(loaded),
              loaded.path + ":4: czr.voters.behaviour: must be one of top, random; got 'greedy'");
}

TEST(ScenarioConfig, OutOfRangeValuesNameTheirKeyAndLine)
{
    struct Case
    {
        std::string text;
        std::string message; // after "<path>:"
    };
    const Case cases[] = {
        {"duration_s: 0\n", "1: duration_s: must be greater than 0, got 0"},
        {"topology:\n  nodes: 1\n  average_degree: 0.5\n",
         "2: topology.nodes: must be between 2 and 200000, got 1"},
        {"topology:\n  nodes: 200001\n", "2: topology.nodes: must be between 2 and 200000, got "
                                         "200001"},
        {"topology:\n  average_degree: 50\n",
         "2: topology.average_degree: must be at least 1 and less than topology.nodes (50), got "
         "50"},
        {"topology:\n  average_degree: 0.5\n",
         "2: topology.average_degree: must be at least 1 and less than topology.nodes (50), got "
         "0.5"},
        {"topology:\n  link_latency_ms: [-1, 5]\n",
         "2: topology.link_latency_ms: must not be negative, got [-1, 5]"},
        {"topology:\n  link_latency_ms: [40, 5]\n",
         "2: topology.link_latency_ms: min must not exceed max, got [40, 5]"},
        {"topology:\n  link_bandwidth_mbps: 0\n",
         "2: topology.link_bandwidth_mbps: must be greater than 0, got 0"},
        {"topology:\n  access: []\n", "2: topology.access: must list at least one access class"},
        {"topology:\n  access:\n    - {share: 1, bandwidth_mbps: 5}\n    - {share: 0}\n",
         "4: topology.access[1].share: must be greater than 0, got 0"},
        {"topology:\n  access:\n    - share: 1\n      bandwidth_mbps: -2\n",
         "4: topology.access[0].bandwidth_mbps: must be greater than 0, got -2"},
        {"consensus:\n  producers: 0\n",
         "2: consensus.producers: must be between 1 and topology.nodes (50), got 0"},
        {"consensus:\n  slot_s: 0.01\n", "2: consensus.slot_s: must be between 0.05 and 3600, got "
                                         "0.01"},
        {"consensus:\n  slot_s: 3601\n", "2: consensus.slot_s: must be between 0.05 and 3600, got "
                                         "3601"},
        {"consensus:\n  block_size_bytes_max: 1023\n",
         "2: consensus.block_size_bytes_max: must be at least 1024, got 1023"},
        {"consensus:\n  block_tx_max: 0\n", "2: consensus.block_tx_max: must be at least 1, got 0"},
        {"consensus:\n  producers: 4\n  finality_threshold: 5\n",
         "3: consensus.finality_threshold: must be 0 (automatic) or between 1 and "
         "consensus.producers (4), got 5"},
        {"consensus:\n  finality_threshold: 22\n",
         "2: consensus.finality_threshold: must be 0 (automatic) or between 1 and "
         "consensus.producers (21), got 22"},
        {"consensus:\n  offline_producers: [0, 21]\n",
         "2: consensus.offline_producers[1]: must be a producer index below consensus.producers "
         "(21), got 21"},
        {"consensus:\n  offline_producers:\n    - 3\n    - 3\n",
         "4: consensus.offline_producers[1]: producer 3 is listed twice"},
        {"workload:\n  tx_per_s: -1\n", "2: workload.tx_per_s: must not be negative, got -1"},
        {"workload:\n  accounts: 1\n", "2: workload.accounts: must be at least 2, got 1"},
        {"workload:\n  fee: {distribution: normal}\n",
         "2: workload.fee.distribution: must be one of uniform, exponential, fixed; got 'normal'"},
        {"workload:\n  fee:\n    min: 10\n    max: 5\n",
         "4: workload.fee.max: must be at least workload.fee.min (10), got 5"},
        {"workload:\n  fee:\n    min: -1\n", "3: workload.fee.min: must not be negative, got -1"},
        {"workload:\n  fee:\n    value: -1\n",
         "3: workload.fee.value: must not be negative, got -1"},
        {"workload:\n  fee:\n    distribution: exponential\n    mean: 0\n",
         "4: workload.fee.mean: must be greater than 0, got 0"},
        {"topology:\n  kind: bridge\n  cluster_size: 1\n",
         "3: topology.cluster_size: must be between 2 and 1000, got 1"},
        {"topology:\n  kind: bridge\n  cluster_size: 1001\n",
         "3: topology.cluster_size: must be between 2 and 1000, got 1001"},
        {"topology:\n  kind: bridge\n  bridge_links: 0\n",
         "3: topology.bridge_links: must be between 1 and topology.cluster_size (10), got 0"},
        {"topology:\n  kind: bridge\n  bridge_device:\n    memory: 0\n",
         "4: topology.bridge_device.memory: must be greater than 0, got 0"},
        {"czr:\n  gamma: 0\n", "2: czr.gamma: must be greater than 0 and at most 1, got 0"},
        {"czr:\n  gamma: 1.01\n", "2: czr.gamma: must be greater than 0 and at most 1, got 1.01"},
        {"czr:\n  beta: -0.5\n", "2: czr.beta: must not be negative, got -0.5"},
        {"czr:\n  weights:\n    - 1\n    - -1\n    - 1\n    - 1\n    - 1\n",
         "4: czr.weights[1]: must not be negative, got -1"},
        {"czr:\n  weights: [0, 0, 0, 0, 0]\n",
         "2: czr.weights: at least one weight must be greater than 0, got [0, 0, 0, 0, 0]"},
        {"czr:\n  level_values: [0, 1, 2]\n",
         "2: czr.level_values[0]: must be greater than 0, got 0"},
        {"czr:\n  level_values: [3, 2, 1]\n",
         "2: czr.level_values: must be strictly ascending (low < middle < high), got [3, 2, 1]"},
        {"czr:\n  applications: []\n", "2: czr.applications: must list at least one application"},
        {"czr:\n  regions: 0\n", "2: czr.regions: must be at least 1, got 0"},
        {"czr:\n  centrality: approximate\n",
         "2: czr.centrality: must be one of exact, sampled, paths; got 'approximate'"},
        {"czr:\n  epsilon: 0\n", "2: czr.epsilon: must be greater than 0 and less than 1, got 0"},
        {"czr:\n  delta: 1\n", "2: czr.delta: must be greater than 0 and less than 1, got 1"},
        {"czr:\n  candidates_per_group: 0\n",
         "2: czr.candidates_per_group: must be at least 1, got 0"},
        {"czr:\n  drift_threshold: 1.5\n",
         "2: czr.drift_threshold: must be between 0 and 1, got 1.5"},
        {"czr:\n  drift_threshold: -0.1\n",
         "2: czr.drift_threshold: must be between 0 and 1, got -0.1"},
        {"czr:\n  missed_slots_max: 0\n", "2: czr.missed_slots_max: must be at least 1, got 0"},
        {"czr:\n  vote_weight: coins\n",
         "2: czr.vote_weight: must be one of stake, account; got 'coins'"},
        {"czr:\n  voters: {share: 1.5}\n", "2: czr.voters.share: must be between 0 and 1, got 1.5"},
        {"czr:\n  device_classes: []\n",
         "2: czr.device_classes: must list at least one device class"},
        {"czr:\n  device_classes:\n    - {share: 1, cpu: 1, memory: 1, storage: 1}\n"
         "    - share: 0\n",
         "4: czr.device_classes[1].share: must be greater than 0, got 0"},
        {"czr:\n  device_classes:\n    - {share: 1, storage: -2}\n",
         "3: czr.device_classes[0].storage: must be greater than 0, got -2"},
        {"czr:\n  overclaim_factor: 0.9\n", "2: czr.overclaim_factor: must be at least 1, got 0.9"},
        {"node:\n  mempool_tx_max: 0\n", "2: node.mempool_tx_max: must be at least 1, got 0"},
        {"node:\n  peer_send_queue_bytes_max: 65535\n",
         "2: node.peer_send_queue_bytes_max: must be at least 65536, got 65535"},
        {"node:\n  tcp_del_ack_count: 0\n",
         "2: node.tcp_del_ack_count: must be between 1 and 64, got 0"},
        {"trace:\n  batch_records: 0\n", "2: trace.batch_records: must be at least 1, got 0"},
        {"gossip:\n  tx_announce_interval_ms: 0.5\n",
         "2: gossip.tx_announce_interval_ms: must be between 1 and 60000, got 0.5"},
    };
    for (const auto& c : cases)
    {
        auto loaded = Load(c.text);
        EXPECT_EQ(ErrorOf(loaded), loaded.path + ":" + c.message) << c.text;
    }
}

TEST(ScenarioConfig, RangeErrorForAKeyNotWrittenPointsAtItsSection)
{
    // fee.min is written but fee.max keeps its default: the error names max and points at fee.
    auto loaded = Load("workload:\n  accounts: 5\n  fee: {min: 2000}\n");
    EXPECT_EQ(ErrorOf(loaded),
              loaded.path + ":3: workload.fee.max: must be at least workload.fee.min (2000), got "
                            "1000");
}

// ---------------------------------------------------------------------------------------------
// Files that are not a scenario at all.

TEST(ScenarioConfig, YamlSyntaxErrorGivesFileLineAndParserMessage)
{
    auto loaded = Load("name: x\ntopology:\n  link_latency_ms: [5, 40\n  nodes: 10\n");
    // The parser notices the unclosed list where the next key starts.
    const std::string message = ErrorOf(loaded, StatusCode::kMalformed);
    EXPECT_EQ(message.rfind(loaded.path + ":4: ", 0), 0u) << message;
    EXPECT_NE(message.find("flow"), std::string::npos) << message;

    loaded = Load("name: x\nseed: 1: 2\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed), loaded.path + ":2: illegal map value");
}

TEST(ScenarioConfig, EmptyFileIsAnErrorNamingThePath)
{
    auto loaded = Load("");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ": empty scenario file (write {} to take every default)");
    loaded = Load("# only a comment\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ": empty scenario file (write {} to take every default)");
}

TEST(ScenarioConfig, TopLevelThatIsNotAMappingIsAnError)
{
    auto loaded = Load("- name: x\n- seed: 2\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":1: top level must be a mapping of keys, got a list");
    loaded = Load("just words\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":1: top level must be a mapping of keys, got 'just words'");
}

TEST(ScenarioConfig, SecondYamlDocumentIsAnError)
{
    auto loaded = Load("name: a\n---\nname: b\n");
    EXPECT_EQ(ErrorOf(loaded, StatusCode::kMalformed),
              loaded.path + ":2: expected one YAML document, found more");
}

// Found by fuzzing: yaml-cpp 0.7's LoadAll never returns on this one-byte file.
TEST(ScenarioConfig, LoneCommaIsAnErrorNotAHang)
{
    auto loaded = Load(",");
    EXPECT_FALSE(loaded.result.IsOk());
}

TEST(ScenarioConfig, UnreadableFileIsAnErrorNamingPathAndReason)
{
    const std::string dir = TestDir();
    auto missing = LoadScenario(dir + "/nope.yaml");
    ASSERT_FALSE(missing.IsOk());
    EXPECT_EQ(missing.GetStatus().Code(), StatusCode::kIoError);
    EXPECT_EQ(missing.GetStatus().Message(),
              dir + "/nope.yaml: cannot read: No such file or directory");

    auto folder = LoadScenario(dir);
    ASSERT_FALSE(folder.IsOk());
    EXPECT_EQ(folder.GetStatus().Message(), dir + ": cannot read: Is a directory");
}

// ---------------------------------------------------------------------------------------------
// Topology files.

TEST(ScenarioConfig, RelativeTopologyFileIsResolvedAgainstTheScenarioFolder)
{
    const std::string dir = TestDir();
    WriteFile(dir + "/scenarios/topologies/net.inet", "2 1\n");
    const std::string path =
        WriteFile(dir + "/scenarios/internet.yaml", "topology:\n  kind: file\n"
                                                    "  file: topologies/net.inet\n");
    auto result = LoadScenario(path);
    ASSERT_TRUE(result.IsOk()) << result.GetStatus().Message();
    EXPECT_EQ(result.Value().topology.file, dir + "/scenarios/topologies/net.inet");
    EXPECT_EQ(result.Value().topology.format, TopologyFormat::kInet);
    // The resolved config still validates on its own (after command-line overrides).
    EXPECT_TRUE(ValidateScenario(result.Value()).IsOk());

    // An absolute path is kept as written.
    auto absolute =
        ParseScenario("topology: {kind: file, file: " + dir + "/scenarios/topologies/net.inet}\n",
                      "elsewhere/x.yaml");
    ASSERT_TRUE(absolute.IsOk()) << absolute.GetStatus().Message();
    EXPECT_EQ(absolute.Value().topology.file, dir + "/scenarios/topologies/net.inet");
}

TEST(ScenarioConfig, MissingTopologyFileIsReportedWithItsResolvedPath)
{
    const std::string dir = TestDir();
    const std::string path =
        WriteFile(dir + "/scenarios/internet.yaml", "name: internet\ntopology:\n  kind: file\n"
                                                    "  file: topologies/missing.inet\n");
    auto result = LoadScenario(path);
    ASSERT_FALSE(result.IsOk());
    EXPECT_EQ(result.GetStatus().Code(), StatusCode::kInvalid);
    EXPECT_EQ(result.GetStatus().Message(),
              path + ":4: topology.file: file '" + dir +
                  "/scenarios/topologies/missing.inet' does not exist");
}

TEST(ScenarioConfig, FileTopologyNeedsAFileAndAKnownFormat)
{
    auto loaded = Load("topology:\n  kind: file\n");
    EXPECT_EQ(ErrorOf(loaded),
              loaded.path + ":2: topology.file: required when topology.kind is file");

    const std::string dir = TestDir();
    WriteFile(dir + "/net.txt", "x\n");
    const std::string path = WriteFile(
        dir + "/scenario.yaml", "topology:\n  kind: file\n  file: net.txt\n  format: inet\n");
    auto result = LoadScenario(path);
    ASSERT_FALSE(result.IsOk());
    EXPECT_EQ(result.GetStatus().Message(),
              path + ":4: topology.format: must be one of Inet, Orbis, Rocketfuel; got 'inet'");
}

TEST(ScenarioConfig, FileTopologyDoesNotLimitProducersByNodeCount)
{
    const std::string dir = TestDir();
    WriteFile(dir + "/net.inet", "2 1\n");
    const std::string path =
        WriteFile(dir + "/scenario.yaml", "topology: {kind: file, file: net.inet, nodes: 3}\n"
                                          "consensus: {producers: 21}\n");
    auto result = LoadScenario(path);
    EXPECT_TRUE(result.IsOk()) << result.GetStatus().Message();
}

// ---------------------------------------------------------------------------------------------
// ValidateScenario on configs built in code.

TEST(ScenarioConfig, DefaultConfigIsValid)
{
    EXPECT_TRUE(ValidateScenario(Defaults()).IsOk());
}

TEST(ScenarioConfig, ValidateWithoutAFileNamesOnlyTheKey)
{
    ScenarioConfig config;
    config.consensus.producers = 80;
    Status status = ValidateScenario(config);
    EXPECT_EQ(status.Code(), StatusCode::kInvalid);
    EXPECT_EQ(status.Message(),
              "consensus.producers: must be between 1 and topology.nodes (50), got 80");

    config = Defaults();
    config.durationSeconds = std::nan("");
    EXPECT_EQ(ValidateScenario(config).Message(), "duration_s: must be greater than 0, got nan");

    config = Defaults();
    config.topology.kind = TopologyKind::kFile;
    config.topology.file = "/nonexistent/canonsim/net.inet";
    EXPECT_EQ(ValidateScenario(config).Message(),
              "topology.file: file '/nonexistent/canonsim/net.inet' does not exist");
}

TEST(ScenarioConfig, ValidateChecksCzrListLengthsOfConfigsBuiltInCode)
{
    ScenarioConfig config;
    config.czr.weights = {1, 1, 1};
    EXPECT_EQ(ValidateScenario(config).Message(),
              "czr.weights: must list exactly 5 weights [w_C, w_M, w_B, w_D, w_I], got 3");
    config = Defaults();
    config.czr.levelValues = {1, 2, 3, 4};
    EXPECT_EQ(ValidateScenario(config).Message(),
              "czr.level_values: must list exactly 3 values [low, middle, high], got 4");
}

TEST(ScenarioConfig, ValidateUsesTheBridgeNodeCountAfterOverrides)
{
    ScenarioConfig config;
    config.topology.kind = TopologyKind::kBridge;
    config.consensus.producers = 21;
    EXPECT_TRUE(ValidateScenario(config).IsOk());
    config.consensus.producers = 22;
    EXPECT_EQ(ValidateScenario(config).Message(),
              "consensus.producers: must be between 1 and the bridge topology's node count (2 * "
              "topology.cluster_size + 1 = 21), got 22");
    config.topology.sybil = true;
    EXPECT_TRUE(ValidateScenario(config).IsOk());
    config.faults.crashes = {{21, 10 * kSecond, 0}};
    config.durationSeconds = 10.0;
    EXPECT_EQ(ValidateScenario(config).Message(),
              "faults.crashes[0].at_s: must be at least 0 and less than duration_s (10), got 10");
}

} // namespace
} // namespace canon
