// Scenario-file tests for the radio topologies (topology.kind mesh and vehicular): every key
// reads into its field, the repository's radio scenarios parse, and bad values give
// "file:line: key: what".
#include "scenarios/scenario-config.h"
#include "tests/scenario/scenario-file.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

namespace fs = std::filesystem;
using test::Loaded;

Loaded
Load(const std::string& text)
{
    return test::LoadText("radio-config-test", text);
}

std::string
ErrorOf(const Loaded& loaded)
{
    EXPECT_FALSE(loaded.result.IsOk());
    return loaded.result.GetStatus().Message();
}

TEST(RadioConfig, MeshKeysReadIntoTheirFields)
{
    auto loaded = Load("topology:\n"
                       "  kind: mesh\n"
                       "  radio: {range_m: 120, peers: 5}\n"
                       "  mesh:\n"
                       "    layout: clustered\n"
                       "    nodes: 30\n"
                       "    spacing_m: 50\n"
                       "    area_m: 400\n"
                       "    clusters: 4\n"
                       "    cluster_radius_m: 40\n"
                       "    speed_m_s: 1.5\n"
                       "    cluster_size: 7\n"
                       "    bridge_away_s: [10, 20]\n"
                       "consensus: {producers: 7}\n");
    ASSERT_TRUE(loaded.result.IsOk()) << loaded.result.GetStatus().Message();
    const TopologyConfig& t = loaded.result.Value().topology;
    EXPECT_EQ(t.kind, TopologyKind::kMesh);
    EXPECT_EQ(t.radio.rangeM, 120.0);
    EXPECT_EQ(t.radio.peers, 5u);
    EXPECT_EQ(t.mesh.layout, MeshLayout::kClustered);
    EXPECT_EQ(t.mesh.nodes, 30u);
    EXPECT_EQ(t.mesh.spacingM, 50.0);
    EXPECT_EQ(t.mesh.areaM, 400.0);
    EXPECT_EQ(t.mesh.clusters, 4u);
    EXPECT_EQ(t.mesh.clusterRadiusM, 40.0);
    EXPECT_EQ(t.mesh.speedMps, 1.5);
    EXPECT_EQ(t.mesh.clusterSize, 7u);
    EXPECT_EQ(t.mesh.bridgeAwayS, 10.0);
    EXPECT_EQ(t.mesh.bridgeBackS, 20.0);
}

TEST(RadioConfig, VehicularKeysReadIntoTheirFieldsAndTheTraceResolvesAgainstTheScenario)
{
    const std::string root = CANONSIM_SOURCE_DIR;
    auto loaded = LoadScenario(root + "/scenarios/vehicular-ns2.yaml");
    ASSERT_TRUE(loaded.IsOk()) << loaded.GetStatus().Message();
    const VehicularConfig& v = loaded.Value().topology.vehicular;
    EXPECT_EQ(v.mobility, VehicularMobility::kNs2);
    EXPECT_EQ(fs::path(v.traceFile).lexically_normal(),
              (fs::path(root) / "scenarios/mobility/highway-16.ns2").lexically_normal());
    auto highway = Load("topology:\n  kind: vehicular\n  vehicular:\n    vehicles: 40\n"
                        "    rsus: 8\n    lanes: 2\n    length_m: 2000\n"
                        "    speed_m_s: {mean: 20, stddev: 2, min: 10, max: 30}\n"
                        "    full_node_share: 0.5\n    mobility: highway\n"
                        "consensus: {producers: 5}\n");
    ASSERT_TRUE(highway.result.IsOk()) << highway.result.GetStatus().Message();
    const VehicularConfig& h = highway.result.Value().topology.vehicular;
    EXPECT_EQ(h.vehicles, 40u);
    EXPECT_EQ(h.rsus, 8u);
    EXPECT_EQ(h.lanes, 2u);
    EXPECT_EQ(h.lengthM, 2000.0);
    EXPECT_EQ(h.speed.mean, 20.0);
    EXPECT_EQ(h.speed.stddev, 2.0);
    EXPECT_EQ(h.speed.min, 10.0);
    EXPECT_EQ(h.speed.max, 30.0);
    EXPECT_EQ(h.fullNodeShare, 0.5);
}

TEST(RadioConfig, RepositoryRadioScenariosParse)
{
    const std::string root = CANONSIM_SOURCE_DIR;
    for (const char* name : {"mesh-bridge", "mesh-grid", "vehicular-highway", "vehicular-ns2"})
    {
        auto loaded = LoadScenario(root + "/scenarios/" + name + ".yaml");
        EXPECT_TRUE(loaded.IsOk()) << name << ": " << loaded.GetStatus().Message();
    }
}

TEST(RadioConfig, BadRadioValuesNameTheirKeyAndLine)
{
    struct Case
    {
        std::string text;
        std::string error; // after "<path>:"
    };
    const Case cases[] = {
        {"topology:\n  kind: mesh\n  mesh:\n    layout: ring\n",
         "4: topology.mesh.layout: must be one of grid, random, clustered, bridge; got 'ring'"},
        {"topology:\n  kind: mesh\n  radio:\n    range_m: 0\n",
         "4: topology.radio.range_m: must be greater than 0 and at most 10000, got 0"},
        {"topology:\n  kind: mesh\n  radio:\n    peers: 16\n  mesh: {nodes: 16}\n"
         "consensus: {producers: 3}\n",
         "4: topology.radio.peers: must be at least 1 and less than the node count (16), got 16"},
        {"topology:\n  kind: mesh\n  mesh:\n    nodes: 1\n",
         "4: topology.mesh.nodes: must be between 2 and 200000, got 1"},
        {"topology:\n  kind: mesh\n  mesh:\n    spacing_m: -5\n",
         "4: topology.mesh.spacing_m: must be greater than 0, got -5"},
        {"topology:\n  kind: mesh\n  mesh:\n    layout: clustered\n    nodes: 10\n"
         "    clusters: 11\nconsensus: {producers: 3}\n",
         "6: topology.mesh.clusters: must be between 1 and topology.mesh.nodes (10), got 11"},
        {"topology:\n  kind: mesh\n  mesh:\n    speed_m_s: -1\n",
         "4: topology.mesh.speed_m_s: must not be negative, got -1"},
        {"topology:\n  kind: mesh\n  mesh:\n    layout: bridge\n    bridge_away_s: [50, 40]\n",
         "5: topology.mesh.bridge_away_s: must be [0, 0] (never) or [away, back] with 0 <= away "
         "< back, got [50, 40]"},
        {"topology:\n  kind: mesh\n  mesh:\n    layout: bridge\n    bridge_away_s: [50]\n",
         "5: topology.mesh.bridge_away_s: expected a list of two numbers [away, back], got 1 "
         "elements"},
        {"topology:\n  kind: mesh\n  mesh:\n    layout: bridge\n    cluster_size: 1\n",
         "5: topology.mesh.cluster_size: must be between 2 and 1000, got 1"},
        {"topology:\n  kind: mesh\n  mesh: {nodes: 16}\nconsensus:\n  producers: 17\n",
         "5: consensus.producers: must be between 1 and topology.mesh.nodes (16), got 17"},
        {"topology:\n  kind: mesh\n  mesh: {layout: bridge, cluster_size: 4}\n",
         "3: consensus.producers: must be between 1 and the mesh bridge's node count (2 * "
         "topology.mesh.cluster_size + 1 = 9), got 21"},
        {"topology:\n  kind: vehicular\n  vehicular:\n    vehicles: 0\n",
         "4: topology.vehicular.vehicles: must be between 1 and 200000, got 0"},
        {"topology:\n  kind: vehicular\n  vehicular:\n    lanes: 17\n",
         "4: topology.vehicular.lanes: must be between 1 and 16, got 17"},
        {"topology:\n  kind: vehicular\n  vehicular:\n    length_m: 0\n",
         "4: topology.vehicular.length_m: must be greater than 0, got 0"},
        {"topology:\n  kind: vehicular\n  vehicular:\n    speed_m_s: {mean: 40, max: 35}\n",
         "4: topology.vehicular.speed_m_s: needs 0 < min <= mean <= max and stddev >= 0, got "
         "{mean: 40, stddev: 4, min: 15, max: 35}"},
        {"topology:\n  kind: vehicular\n  vehicular:\n    full_node_share: 1.5\n",
         "4: topology.vehicular.full_node_share: must be between 0 and 1, got 1.5"},
        {"topology:\n  kind: vehicular\n  vehicular:\n    mobility: sumo\n",
         "4: topology.vehicular.mobility: must be one of highway, ns2; got 'sumo'"},
        {"topology:\n  kind: vehicular\n  vehicular:\n    mobility: ns2\n",
         "4: topology.vehicular.trace_file: required when topology.vehicular.mobility is ns2"},
        {"topology:\n  kind: vehicular\n  vehicular:\n    vehicles: 10\n    rsus: 2\n"
         "consensus:\n  producers: 13\n",
         "7: consensus.producers: must be between 1 and topology.vehicular.vehicles + "
         "topology.vehicular.rsus (12), got 13"},
        {"topology:\n  kind: vehicular\n  vehicular:\n    wheels: 4\n",
         "4: topology.vehicular.wheels: unknown key (known: vehicles, rsus, lanes, length_m, "
         "speed_m_s, full_node_share, mobility, trace_file, peering, roadside_peers)"},
        {"topology:\n  kind: vehicular\n  vehicular:\n    peering: mesh\n",
         "4: topology.vehicular.peering: must be one of roadside, nearest; got 'mesh'"},
        {"topology:\n  kind: vehicular\n  vehicular:\n    rsus: 3\n    roadside_peers: 4\n",
         "5: topology.vehicular.roadside_peers: must be between 1 and topology.vehicular.rsus "
         "(3) with peering roadside, got 4"},
        {"topology:\n  kind: vehicular\n  vehicular:\n    rsus: 0\n",
         "3: topology.vehicular.roadside_peers: must be between 1 and topology.vehicular.rsus "
         "(0) with peering roadside, got 2"},
    };
    for (const Case& c : cases)
    {
        auto loaded = Load(c.text);
        EXPECT_EQ(ErrorOf(loaded), loaded.path + ":" + c.error) << c.text;
    }
}

TEST(RadioConfig, MissingNs2TraceIsReportedWithItsResolvedPath)
{
    auto loaded = Load("topology:\n  kind: vehicular\n  vehicular:\n    mobility: ns2\n"
                       "    trace_file: nowhere.ns2\n");
    const std::string error = ErrorOf(loaded);
    EXPECT_NE(error.find(":5: topology.vehicular.trace_file: file '"), std::string::npos) << error;
    EXPECT_NE(error.find("nowhere.ns2' does not exist or is not a file"), std::string::npos)
        << error;
}

} // namespace
} // namespace canon
