// ns-3 integration tests for the radio topologies: small 802.11s mesh and 802.11p vehicular
// runs through the runner (agreement on the irreversible prefix, determinism per seed), and the
// builders' own contracts (the mesh's CZR graph is its peer-link state; the peer overlay is
// connected; an ns-2 trace's node count is checked).
#include "model/ns3/mesh-topology.h"
#include "model/ns3/vehicular-topology.h"
#include "model/trace/trace-records.h"
#include "scenarios/run-scenario.h"
#include "tests/ns3/trace-bytes.h"

#include "ns3/core-module.h"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <queue>

namespace canon
{
namespace
{

using test::ReadDataset;

std::string
TempPath(const std::string& name)
{
    return ::testing::TempDir() + "canonsim-radio-" + name;
}

ScenarioConfig
SmallMesh(uint64_t seed, double seconds)
{
    ScenarioConfig c;
    c.seed = seed;
    c.durationSeconds = seconds;
    c.topology.kind = TopologyKind::kMesh;
    c.topology.radio = {100.0, 3};
    c.topology.mesh.layout = MeshLayout::kGrid;
    c.topology.mesh.nodes = 9;
    c.topology.mesh.spacingM = 60.0;
    c.consensus.producers = 5;
    c.workload.txPerSecond = 5;
    c.workload.accounts = 20;
    c.sourcePath = "(test)";
    c.sourceText = "small mesh";
    return c;
}

ScenarioConfig
SmallVehicular(uint64_t seed, double seconds)
{
    ScenarioConfig c;
    c.seed = seed;
    c.durationSeconds = seconds;
    c.topology.kind = TopologyKind::kVehicular;
    c.topology.radio = {250.0, 3};
    c.topology.vehicular.vehicles = 12;
    c.topology.vehicular.rsus = 4;
    c.topology.vehicular.lanes = 2;
    c.topology.vehicular.lengthM = 800.0;
    c.topology.vehicular.fullNodeShare = 0.5;
    c.consensus.producers = 5;
    c.workload.txPerSecond = 5;
    c.workload.accounts = 20;
    c.sourcePath = "(test)";
    c.sourceText = "small vehicular";
    return c;
}

// Breadth-first over peer links from node 0, entering only nodes `enter` accepts; every link
// of a visited node is passed to `onLink` and must be symmetric. Which nodes were reached.
std::vector<bool>
ReachableFromZero(const std::vector<std::vector<uint32_t>>& peers,
                  const std::function<bool(uint32_t)>& enter,
                  const std::function<void(uint32_t, uint32_t)>& onLink)
{
    std::vector<bool> seen(peers.size(), false);
    std::queue<uint32_t> frontier;
    frontier.push(0);
    seen[0] = true;
    while (!frontier.empty())
    {
        const uint32_t u = frontier.front();
        frontier.pop();
        for (uint32_t v : peers[u])
        {
            onLink(u, v);
            EXPECT_TRUE(std::find(peers[v].begin(), peers[v].end(), u) != peers[v].end())
                << u << "-" << v << " is one-sided";
            if (enter(v) && !seen[v])
            {
                seen[v] = true;
                frontier.push(v);
            }
        }
    }
    return seen;
}

const char* kDatasets[] = {"blocks_produced", "block_arrivals", "irreversible", "transactions",
                           "missed_slots",    "drops",          "czr_scores"};

// One field of every record of a dataset, converted by HDF5 to `fieldType`.
template <typename V>
std::vector<V>
ReadField(const std::string& path, const char* dataset, const char* field, hid_t fieldType)
{
    hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t ds = H5Dopen2(file, dataset, H5P_DEFAULT);
    hid_t space = H5Dget_space(ds);
    std::vector<V> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
    hid_t memType = H5Tcreate(H5T_COMPOUND, sizeof(V));
    H5Tinsert(memType, field, 0, fieldType);
    if (!values.empty())
    {
        EXPECT_GE(H5Dread(ds, memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0);
    }
    H5Tclose(memType);
    H5Sclose(space);
    H5Dclose(ds);
    H5Fclose(file);
    return values;
}

void
ExpectDeterministic(ScenarioConfig (*make)(uint64_t, double), const std::string& tag)
{
    RunOptions o;
    o.progress = false;
    const std::vector<std::string> paths = {TempPath(tag + "-7a.h5"), TempPath(tag + "-7b.h5"),
                                            TempPath(tag + "-8.h5")};
    const uint64_t seeds[] = {7, 7, 8};
    for (std::size_t k = 0; k < 3; ++k)
    {
        o.outPath = paths[k];
        auto r = RunScenario(make(seeds[k], 15), o);
        ASSERT_TRUE(r.IsOk()) << r.GetStatus().ToString();
    }
    bool anyDiffers = false;
    for (const char* name : kDatasets)
    {
        auto a = ReadDataset(paths[0], name);
        EXPECT_EQ(a, ReadDataset(paths[1], name)) << "dataset " << name << " differs for one seed";
        anyDiffers = anyDiffers || a != ReadDataset(paths[2], name);
    }
    EXPECT_TRUE(anyDiffers) << "another seed gave the same datasets";
}

TEST(RadioIntegration, SmallMeshRunFinalisesAndEveryNodeAgreesOnTheIrreversiblePrefix)
{
    RunOptions o;
    o.outPath = TempPath("mesh.h5");
    o.progress = false;
    auto r = RunScenario(SmallMesh(1, 30), o);
    ASSERT_TRUE(r.IsOk()) << r.GetStatus().ToString();
    const RunSummary& s = r.Value().summary;
    EXPECT_TRUE(s.Safe()) << FormatSummary(s);
    EXPECT_EQ(s.nodes, 9u);
    EXPECT_GE(s.libHeightMin, 15u) << FormatSummary(s);
}

TEST(RadioIntegration, SmallVehicularRunFinalisesAndEveryNodeAgreesOnTheIrreversiblePrefix)
{
    RunOptions o;
    o.outPath = TempPath("vehicular.h5");
    o.progress = false;
    auto r = RunScenario(SmallVehicular(1, 40), o);
    ASSERT_TRUE(r.IsOk()) << r.GetStatus().ToString();
    const RunSummary& s = r.Value().summary;
    EXPECT_TRUE(s.Safe()) << FormatSummary(s);
    EXPECT_EQ(s.nodes, 16u);
    EXPECT_GE(s.libHeightMax, 10u) << FormatSummary(s);
}

TEST(RadioIntegration, LightVehiclesFollowHeadersAndSeeTheirTransactionsIncludedForFewerBytes)
{
    RunOptions o;
    o.outPath = TempPath("vehicular-light.h5");
    o.progress = false;
    auto r = RunScenario(SmallVehicular(1, 40), o);
    ASSERT_TRUE(r.IsOk()) << r.GetStatus().ToString();
    const RunSummary& s = r.Value().summary;
    ASSERT_GT(s.lightNodes, 0u) << FormatSummary(s);
    EXPECT_GT(s.lightTxVerified, 0u) << FormatSummary(s);
    const double perLight = static_cast<double>(s.bytesSentLight) / s.lightNodes;
    const double perFull =
        static_cast<double>(s.bytesSent - s.bytesSentLight) / (s.nodes - s.lightNodes);
    EXPECT_LT(perLight, perFull) << FormatSummary(s);
    // Verified inclusions are in the trace, by light participants.
    const auto tx = ReadDataset(o.outPath, "transactions");
    EXPECT_FALSE(tx.empty());
}

// Light participants relay nothing: the full nodes get an overlay of their own and every light
// participant a full peer; light-light pairs go.
TEST(RadioIntegration, LightAwarePeersConnectTheFullNodesAndGiveEveryLightOneAFullPeer)
{
    // A line of eight: full at 0, 3 and 7, the rest light; nearest-1 plus the spanning tree
    // links neighbours only, so full nodes would meet only through light ones.
    std::vector<ns3::Vector> p;
    for (int i = 0; i < 8; ++i)
    {
        p.emplace_back(10.0 * i, 0, 0);
    }
    const std::vector<bool> full = {true, false, false, true, false, false, false, true};
    const auto peers = LightAwarePeers(NearestPeers(p, 1), p, full, 1);
    const std::vector<bool> seen = ReachableFromZero(
        peers, [&full](uint32_t v) { return full[v]; },
        [&full](uint32_t u, uint32_t v)
        { EXPECT_TRUE(full[u] || full[v]) << u << "-" << v << ": two light participants"; });
    EXPECT_TRUE(seen[3] && seen[7]) << "full nodes connected among themselves";
    for (uint32_t i = 0; i < p.size(); ++i)
    {
        const bool hasFull =
            std::any_of(peers[i].begin(), peers[i].end(), [&full](uint32_t v) { return full[v]; });
        EXPECT_TRUE(full[i] || hasFull) << "light " << i << " has no full peer";
    }
    // With every node full the peers stay as they were.
    const auto all = NearestPeers(p, 2);
    EXPECT_EQ(LightAwarePeers(all, p, std::vector<bool>(8, true), 2), all);
}

TEST(RadioIntegration, VehicularRunWithTheStaticNearestPeersOverlayAlsoAgrees)
{
    RunOptions o;
    o.outPath = TempPath("vehicular-nearest.h5");
    o.progress = false;
    ScenarioConfig c = SmallVehicular(1, 40);
    c.topology.vehicular.peering = VehicularPeering::kNearest;
    auto r = RunScenario(c, o);
    ASSERT_TRUE(r.IsOk()) << r.GetStatus().ToString();
    const RunSummary& s = r.Value().summary;
    EXPECT_TRUE(s.Safe()) << FormatSummary(s);
    EXPECT_GE(s.libHeightMax, 10u) << FormatSummary(s);
}

TEST(RadioIntegration, VehiclesPeerWithTheirNearestRoadsideUnitsAndHandOverAsTheyDrive)
{
    // Vehicles 0 and 1, units 2..5 every 100 m along the road.
    std::vector<ns3::Vector> at = {{130, 0, 0},  {390, 0, 0},  {50, 10, 0},
                                   {150, 10, 0}, {250, 10, 0}, {350, 10, 0}};
    auto peers = RoadsidePeers(at, 2, 2);
    using P = std::vector<uint32_t>;
    EXPECT_EQ(peers[0], (P{2, 3})) << "vehicle 0 at 130 m: units at 150 and 50 m";
    EXPECT_EQ(peers[1], (P{4, 5}));
    EXPECT_EQ(peers[2], (P{0, 3})) << "units chain along the road and keep their vehicles";
    EXPECT_EQ(peers[3], (P{0, 2, 4}));
    EXPECT_EQ(peers[4], (P{1, 3, 5}));
    EXPECT_EQ(peers[5], (P{1, 4}));
    at[0].x = 230; // vehicle 0 drives on: 150 and 250 m are nearest now
    peers = RoadsidePeers(at, 2, 2);
    EXPECT_EQ(peers[0], (P{3, 4}));
    EXPECT_EQ(peers[2], (P{3}));
    EXPECT_EQ(RoadsidePeers(at, 2, 1)[1], (P{5})) << "one unit per vehicle";
}

TEST(RadioIntegration, MeshSameSeedGivesIdenticalTraceDatasetsAndAnotherSeedDifferentOnes)
{
    ExpectDeterministic(&SmallMesh, "mesh");
}

TEST(RadioIntegration, VehicularSameSeedGivesIdenticalTraceDatasetsAndAnotherSeedDifferentOnes)
{
    ExpectDeterministic(&SmallVehicular, "vehicular");
}

// The mesh's CZR graph is its established peer links: within radio range only, and the bridge
// layout's two grids meet only at the bridge.
TEST(RadioIntegration, MeshBridgeGraphFromPeerLinksJoinsTheGridsOnlyAtTheBridge)
{
    MeshTopologySpec spec;
    spec.layout = "bridge";
    spec.clusterSize = 4;
    spec.spacing = 60;
    spec.range = 100;
    spec.peers = 2;
    auto built = BuildMeshTopology(spec);
    ASSERT_TRUE(built.IsOk()) << built.GetStatus().ToString();
    const std::vector<ns3::Vector> positions = MeshLayoutPositions(spec);
    ns3::Simulator::Stop(ns3::Seconds(10));
    ns3::Simulator::Run();
    const LinkList links = built.Value().currentLinks();
    ns3::Simulator::Destroy();
    ASSERT_FALSE(links.empty());
    const uint32_t bridge = 8;
    bool bridgeLeft = false, bridgeRight = false;
    for (const auto& [a, b] : links)
    {
        EXPECT_LE(ns3::CalculateDistance(positions[a], positions[b]), spec.range + 1e-9);
        const bool leftA = a < 4, leftB = b < 4;
        if (a != bridge && b != bridge)
        {
            EXPECT_EQ(leftA, leftB) << "link " << a << "-" << b << " crosses between the grids";
        }
        bridgeLeft = bridgeLeft || (b == bridge && leftA);
        bridgeRight = bridgeRight || (b == bridge && !leftA);
    }
    EXPECT_TRUE(bridgeLeft && bridgeRight) << "the bridge has peer links to both grids";
}

TEST(RadioIntegration, VehicularGraphIsOlsrNeighbourStateThatFollowsWhoIsInRange)
{
    VehicularTopologySpec spec;
    spec.vehicles = 24;
    spec.rsus = 4;
    spec.lanes = 2;
    spec.length = 1500;
    spec.range = 250;
    auto built = BuildVehicularTopology(spec);
    ASSERT_TRUE(built.IsOk()) << built.GetStatus().ToString();
    const RadioTopology& topo = built.Value();
    // Read OLSR's graph every 5 s once OLSR has settled, and the positions every 0.5 s.
    std::vector<LinkList> olsr;
    std::vector<std::vector<ns3::Vector>> positions; // positions[j] at 0.5 j s
    for (int j = 0; j <= 80; ++j)
    {
        ns3::Simulator::Schedule(ns3::Seconds(0.5 * j),
                                 [&]() { positions.push_back(PositionsOf(topo.nodes)); });
    }
    // Before the first HELLO, OLSR knows nobody, although many pairs are in range.
    LinkList atStart;
    ns3::Simulator::Schedule(ns3::MilliSeconds(1), [&]() { atStart = topo.currentLinks(); });
    for (int t = 10; t <= 40; t += 5)
    {
        ns3::Simulator::Schedule(ns3::Seconds(t), [&]() { olsr.push_back(topo.currentLinks()); });
    }
    ns3::Simulator::Stop(ns3::Seconds(41));
    ns3::Simulator::Run();
    ns3::Simulator::Destroy();
    ASSERT_EQ(olsr.size(), 7u);
    ASSERT_EQ(positions.size(), 81u);
    EXPECT_TRUE(atStart.empty()) << "the graph is OLSR's state, empty before any HELLO";
    EXPECT_FALSE(UnitDiskLinks(positions[0], spec.range).empty());
    // OLSR keeps a neighbour for three HELLO intervals (3 s) after its last HELLO and needs a
    // HELLO each way to learn a new one, so its graph is the radio's with a lag: most links
    // agree with who is in range now, and every link was in range at some moment of the last
    // 3.5 s (within the 35 m two vehicles close in half a second; a vehicle wrapping round at the
    // road's end jumps, which is why this is not a distance bound at the read).
    std::size_t changes = 0;
    for (std::size_t k = 0; k < olsr.size(); ++k)
    {
        const std::size_t now = 20 + 10 * k; // positions index of the read at 10 + 5k s
        ASSERT_FALSE(olsr[k].empty()) << "OLSR knows no neighbours at read " << k;
        const LinkList truth = UnitDiskLinks(positions[now], spec.range);
        LinkList both;
        std::set_intersection(olsr[k].begin(), olsr[k].end(), truth.begin(), truth.end(),
                              std::back_inserter(both));
        const auto unionSize = static_cast<double>(olsr[k].size() + truth.size() - both.size());
        EXPECT_GE(static_cast<double>(both.size()) / unionSize, 0.65)
            << "read " << k << ": OLSR " << olsr[k].size() << " links, in range " << truth.size()
            << ", common " << both.size();
        for (const auto& [a, b] : olsr[k])
        {
            double closest = 1e18;
            for (std::size_t j = now - 7; j <= now; ++j)
            {
                closest =
                    std::min(closest, ns3::CalculateDistance(positions[j][a], positions[j][b]));
            }
            EXPECT_LE(closest, spec.range + 35.0)
                << "OLSR link " << a << "-" << b << " at read " << k << " was never in range";
        }
        changes += k > 0 && olsr[k] != olsr[k - 1];
    }
    EXPECT_GE(changes, 5u) << "the vehicular graph should change between reads 5 s apart";
}

TEST(RadioIntegration, PeerOverlayIsConnectedEvenWhereNearestPeersAloneWouldSplitIt)
{
    // Two tight groups far apart: nearest-2 stays inside each group, the spanning tree joins
    // them.
    std::vector<ns3::Vector> p;
    for (int i = 0; i < 4; ++i)
    {
        p.emplace_back(i, 0, 0);
        p.emplace_back(1000 + i, 0, 0);
    }
    const auto peers = NearestPeers(p, 2);
    const std::vector<bool> seen = ReachableFromZero(
        peers, [](uint32_t) { return true; }, [](uint32_t, uint32_t) {});
    EXPECT_EQ(std::count(seen.begin(), seen.end(), true), 8);
}

TEST(RadioIntegration, Ns2TraceNodeCountIsOneMoreThanTheHighestIndex)
{
    const std::string path = TempPath("trace.ns2");
    std::ofstream(path) << "$node_(0) set X_ 1.0\n$node_(11) set Y_ 2.0\n"
                        << "$ns_ at 1.0 \"$node_(3) setdest 5.0 5.0 1.0\"\n";
    auto n = Ns2TraceNodeCount(path);
    ASSERT_TRUE(n.IsOk()) << n.GetStatus().ToString();
    EXPECT_EQ(n.Value(), 12u);
    std::ofstream(path) << "no nodes here\n";
    EXPECT_FALSE(Ns2TraceNodeCount(path).IsOk());
    EXPECT_FALSE(Ns2TraceNodeCount(TempPath("missing.ns2")).IsOk());
}

TEST(RadioIntegration, ShippedNs2TraceDrivesAVehicularRun)
{
    auto config = LoadScenario(std::string(CANONSIM_SOURCE_DIR) + "/scenarios/vehicular-ns2.yaml");
    ASSERT_TRUE(config.IsOk()) << config.GetStatus().ToString();
    ScenarioConfig c = config.Value();
    c.durationSeconds = 20;
    RunOptions o;
    o.outPath = TempPath("ns2.h5");
    o.progress = false;
    auto r = RunScenario(c, o);
    ASSERT_TRUE(r.IsOk()) << r.GetStatus().ToString();
    EXPECT_TRUE(r.Value().summary.Safe()) << FormatSummary(r.Value().summary);
    EXPECT_GE(r.Value().summary.libHeightMax, 3u) << FormatSummary(r.Value().summary);

    // Connection trouble (vehicles connect before OLSR has routes to their peers) is traced as
    // connection events, and only connection trouble is: an analyst can tell it from bad
    // messages by message_type alone (trace-records.h).
    const auto types = ReadField<uint8_t>(o.outPath, "drops", "message_type", H5T_NATIVE_UINT8);
    hid_t reasonType = H5Tcopy(H5T_C_S1);
    H5Tset_size(reasonType, kDropReasonChars + 1); // room for a terminating NUL when full
    using Reason = std::array<char, kDropReasonChars + 1>;
    const auto reasons = ReadField<Reason>(o.outPath, "drops", "reason", reasonType);
    H5Tclose(reasonType);
    ASSERT_EQ(types.size(), reasons.size());
    std::size_t connectionEvents = 0;
    for (std::size_t i = 0; i < types.size(); ++i)
    {
        const std::string reason(reasons[i].data());
        const bool connection = reason.rfind("connection", 0) == 0;
        EXPECT_EQ(types[i] == kDropConnectionEvent, connection) << reason;
        connectionEvents += connection ? 1 : 0;
    }
    EXPECT_GT(connectionEvents, 0u) << "the run was expected to see connection failures";
}

} // namespace
} // namespace canon
