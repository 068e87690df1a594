// The `canonsim` Python module: runs scenarios and exposes the CZR engine, the producer
// schedule and the finality rule to researchers without a simulation (README, "Python").
//
// run() converts and validates the config while holding the GIL, so a bad config raises
// canonsim.ScenarioError with the message `canonsim run` prints; the simulation itself runs with
// the GIL released. ns-3 keeps one simulator per process, so runs are serialised by a mutex:
// two Python threads calling run() wait for each other rather than corrupt the simulator.
#include "model/consensus/finality.h"
#include "model/consensus/producer-schedule.h"
#include "model/core/hash.h"
#include "model/czr/betweenness.h"
#include "model/czr/contribution.h"
#include "model/czr/csr-graph.h"
#include "scenarios/run-scenario.h"
#include "scenarios/run-summary-json.h"
#include "scenarios/scenario-config.h"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace py = pybind11;

namespace
{

using EdgeList = std::vector<std::pair<uint32_t, uint32_t>>;

std::mutex g_simulatorMutex; // ns-3: one simulator per process

// A graph from an edge list of (u, v) pairs or from a networkx graph (any hashable node labels:
// they are numbered in the graph's node order and the labels returned alongside).
std::pair<canon::CsrGraph, py::list>
ToGraph(const py::object& graph, std::optional<uint32_t> nodes)
{
    py::list labels;
    EdgeList edges;
    if (py::hasattr(graph, "nodes") && py::hasattr(graph, "edges"))
    {
        py::dict index;
        for (auto label : graph.attr("nodes")())
        {
            index[label] = py::int_(labels.size());
            labels.append(label);
        }
        for (auto edge : graph.attr("edges")())
        {
            auto pair = edge.cast<py::tuple>();
            edges.emplace_back(index[pair[0]].cast<uint32_t>(), index[pair[1]].cast<uint32_t>());
        }
        return {canon::CsrGraph::FromEdges(static_cast<uint32_t>(labels.size()), edges), labels};
    }
    uint32_t count = nodes.value_or(0);
    for (auto edge : graph)
    {
        auto pair = edge.cast<std::pair<int64_t, int64_t>>();
        if (pair.first < 0 || pair.second < 0 || pair.first > UINT32_MAX - 1 ||
            pair.second > UINT32_MAX - 1)
        {
            throw py::value_error("edge (" + std::to_string(pair.first) + ", " +
                                  std::to_string(pair.second) +
                                  "): node indices must be in 0..2^32-2");
        }
        auto u = static_cast<uint32_t>(pair.first);
        auto v = static_cast<uint32_t>(pair.second);
        if (nodes && (u >= *nodes || v >= *nodes))
        {
            throw py::value_error("edge (" + std::to_string(u) + ", " + std::to_string(v) +
                                  "): node index >= nodes (" + std::to_string(*nodes) + ")");
        }
        count = std::max(count, std::max(u, v) + 1);
        edges.emplace_back(u, v);
    }
    for (uint32_t i = 0; i < count; ++i)
    {
        labels.append(i);
    }
    return {canon::CsrGraph::FromEdges(count, edges), labels};
}

py::dict
Labelled(const py::list& labels, const std::vector<double>& values)
{
    py::dict out;
    for (std::size_t i = 0; i < values.size(); ++i)
    {
        out[labels[i]] = values[i];
    }
    return out;
}

py::dict
Betweenness(const py::object& graph, bool normalized, std::optional<uint32_t> nodes,
            unsigned threads)
{
    auto [g, labels] = ToGraph(graph, nodes);
    std::vector<double> values;
    {
        py::gil_scoped_release release;
        values = canon::ExactBetweenness(g, threads);
        if (normalized)
        {
            values = canon::NormalizeBetweenness(values);
        }
    }
    return Labelled(labels, values);
}

py::dict
ApproximateBetweenness(const py::object& graph, double epsilon, double delta, uint64_t seed,
                       std::optional<uint32_t> samples, std::optional<uint32_t> nodes,
                       unsigned threads)
{
    auto [g, labels] = ToGraph(graph, nodes);
    if (g.NodeCount() < 3)
    {
        throw py::value_error("approximate betweenness needs at least 3 nodes");
    }
    if (samples && *samples == 0)
    {
        throw py::value_error("samples must be at least 1");
    }
    if (!samples && !(epsilon > 0 && epsilon < 1 && delta > 0 && delta < 1))
    {
        throw py::value_error("epsilon and delta must lie in (0, 1)");
    }
    canon::ApproxBetweenness result;
    {
        py::gil_scoped_release release;
        result = samples ? canon::SampleBetweennessWithSamples(g, *samples, seed, threads, delta)
                         : canon::SampleBetweenness(g, epsilon, delta, seed, threads);
    }
    py::dict out;
    out["normalized"] = Labelled(labels, result.normalized);
    out["samples"] = result.samples;
    out["epsilon"] = result.epsilon;
    out["delta"] = result.delta;
    out["exact"] = result.exact;
    return out;
}

canon::ApplicationType
ApplicationFromName(const std::string& name)
{
    auto type = canon::ParseApplicationType(name);
    if (!type.IsOk())
    {
        throw py::value_error(type.GetStatus().Message());
    }
    return type.Value();
}

canon::ContributionParams
MakeParams(double gamma, double beta, const std::vector<double>& weights,
           const std::vector<double>& levelValues)
{
    canon::ContributionParams params;
    params.gamma = gamma;
    params.beta = beta;
    if (weights.size() != 5)
    {
        throw py::value_error("weights: need 5 values (w_C, w_M, w_B, w_D, w_I)");
    }
    if (levelValues.size() != 3)
    {
        throw py::value_error("level_values: need 3 values (low, middle, high)");
    }
    for (int i = 0; i < 5; ++i)
    {
        params.weights(i) = weights[static_cast<std::size_t>(i)];
    }
    for (std::size_t i = 0; i < 3; ++i)
    {
        params.levelValues[i] = levelValues[i];
    }
    canon::Status valid = params.Validate();
    if (!valid.IsOk())
    {
        throw py::value_error(valid.Message());
    }
    return params;
}

// One score per node. apps: per node, a list of (application name, start block) pairs, each
// worth its Table 2 profile; betweenness: normalised values, one per node.
py::list
ContributionScores(const std::vector<std::vector<std::pair<std::string, uint64_t>>>& apps,
                   const std::vector<double>& betweenness, uint64_t nowBlock, double gamma,
                   double beta, const std::vector<double>& weights,
                   const std::vector<double>& levelValues)
{
    if (apps.size() != betweenness.size())
    {
        throw py::value_error("apps has " + std::to_string(apps.size()) +
                              " nodes but betweenness has " + std::to_string(betweenness.size()));
    }
    canon::ContributionParams params = MakeParams(gamma, beta, weights, levelValues);
    std::vector<std::vector<canon::ApplicationRun>> runs(apps.size());
    for (std::size_t n = 0; n < apps.size(); ++n)
    {
        for (const auto& [name, start] : apps[n])
        {
            canon::ApplicationType type = ApplicationFromName(name);
            runs[n].push_back(
                {type, start, canon::LevelsToVector(canon::Table2Profile(type), params)});
        }
    }
    std::vector<canon::NodeScore> scores = canon::ScoreNodes(runs, betweenness, nowBlock, params);
    std::vector<uint32_t> ranking = canon::RankNodes(scores);
    std::vector<uint32_t> rankOf(scores.size());
    for (std::size_t r = 0; r < ranking.size(); ++r)
    {
        rankOf[ranking[r]] = static_cast<uint32_t>(r);
    }
    py::list out;
    for (std::size_t n = 0; n < scores.size(); ++n)
    {
        py::dict row;
        row["node"] = n;
        row["resource"] = scores[n].resource;
        row["topology"] = scores[n].topology;
        row["total"] = scores[n].total;
        row["rank"] = rankOf[n];
        out.append(row);
    }
    return out;
}

canon::Hash256
SeedHash(const py::object& seed)
{
    if (py::isinstance<py::bytes>(seed))
    {
        std::string raw = seed.cast<std::string>();
        if (raw.size() == 32)
        {
            canon::Hash256 h{};
            std::copy(raw.begin(), raw.end(), h.begin());
            return h;
        }
        return canon::Blake2b256(raw);
    }
    if (py::isinstance<py::str>(seed))
    {
        return canon::Blake2b256(seed.cast<std::string>());
    }
    return canon::Blake2b256(std::to_string(seed.cast<uint64_t>()));
}

// A chain with one block per slot in [0, slots) except where the scheduled producer is offline,
// scheduled by the real PoP schedule and finalised by the real rule: the producer set is
// 0..n-1 and the genesis hash is derived from `seed`.
py::dict
SimulateChain(uint32_t n, uint64_t slots, const std::vector<uint32_t>& offline,
              const py::object& seed, uint32_t threshold)
{
    if (n == 0)
    {
        throw py::value_error("n must be at least 1");
    }
    if (threshold == 0)
    {
        threshold = canon::FinalityThreshold(n);
    }
    auto set = std::make_shared<std::vector<canon::PublicKey>>(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        (*set)[i] = canon::Blake2b256("producer " + std::to_string(i));
    }
    std::vector<bool> down(n, false);
    for (uint32_t p : offline)
    {
        if (p >= n)
        {
            throw py::value_error("offline producer " + std::to_string(p) + " >= n");
        }
        down[p] = true;
    }
    std::vector<std::unique_ptr<canon::BlockEntry>> chain;
    auto genesis = std::make_unique<canon::BlockEntry>();
    genesis->hash = SeedHash(seed);
    genesis->activeSet = set;
    genesis->lib = genesis.get();
    chain.push_back(std::move(genesis));
    py::list producers, slotList, heights, libHeights, missed;
    // Slot 0 is genesis's: blocks start at slot 1, as on a real chain.
    for (uint64_t slot = 1; slot <= slots; ++slot)
    {
        const canon::BlockEntry* parent = chain.back().get();
        uint32_t place = canon::ScheduledProducer(parent, slot, n);
        if (down[place])
        {
            missed.append(slot);
            continue;
        }
        auto e = std::make_unique<canon::BlockEntry>();
        e->parent = parent;
        e->height = parent->height + 1;
        e->slot = slot;
        e->producer = (*set)[place];
        e->producerIndex = place;
        e->activeSet = set;
        std::string id = std::to_string(slot);
        canon::Blake2bHasher h;
        h.Update(parent->hash.data(), parent->hash.size());
        h.Update(reinterpret_cast<const uint8_t*>(id.data()), id.size());
        e->hash = h.Final();
        e->lib = canon::ComputeLib(e.get(), threshold);
        producers.append(place);
        slotList.append(slot);
        heights.append(e->height);
        libHeights.append(e->lib->height);
        chain.push_back(std::move(e));
    }
    py::dict out;
    out["slot"] = slotList;
    out["height"] = heights;
    out["producer"] = producers;
    out["lib_height"] = libHeights;
    out["missed_slots"] = missed;
    out["threshold"] = threshold;
    return out;
}

// The summary as scenarios/run-summary-json.h defines it, plus the printed text.
py::dict
SummaryDict(const canon::RunResult& result)
{
    py::dict d = py::module_::import("json").attr("loads")(canon::RunSummaryJson(result));
    d["text"] = canon::FormatRunSummary(result);
    return d;
}

py::exception<std::runtime_error>* g_scenarioError = nullptr;

[[noreturn]] void
ThrowScenarioError(const std::string& message)
{
    PyErr_SetString(g_scenarioError->ptr(), message.c_str());
    throw py::error_already_set();
}

// config: a scenario file path, or a dict in the scenario file's schema.
py::dict
Run(const py::object& config, std::optional<uint64_t> seed, std::optional<std::string> out,
    std::optional<double> duration, std::optional<std::string> engine)
{
    const bool isDict = py::isinstance<py::dict>(config);
    const std::string where =
        isDict ? "<dict>"
               : py::str(py::module_::import("os").attr("fspath")(config)).cast<std::string>();
    canon::Result<canon::ScenarioConfig> loaded =
        isDict
            ? canon::ParseScenario(
                  py::module_::import("yaml").attr("safe_dump")(config).cast<std::string>(), where)
            : canon::LoadScenario(where);
    if (!loaded.IsOk())
    {
        ThrowScenarioError(loaded.GetStatus().Message());
    }
    canon::ScenarioConfig scenario = std::move(loaded).Value();
    if (seed)
    {
        scenario.seed = *seed;
    }
    if (duration)
    {
        if (!(*duration > 0))
        {
            throw py::value_error("duration must be a positive number of seconds");
        }
        scenario.durationSeconds = *duration;
    }
    if (engine)
    {
        auto kind = canon::ParseName<canon::EngineKind>(*engine);
        if (!kind)
        {
            throw py::value_error("engine must be 'ns3' or 'abstract', got '" + *engine + "'");
        }
        scenario.engine = *kind;
    }
    canon::Status valid = canon::ValidateScenario(scenario);
    if (!valid.IsOk())
    {
        ThrowScenarioError(where + ": " + valid.Message());
    }
    canon::RunOptions options;
    options.progress = false;
    options.outPath = out ? *out : scenario.name + ".h5";
    std::optional<canon::Result<canon::RunResult>> result;
    {
        py::gil_scoped_release release;
        std::lock_guard<std::mutex> lock(g_simulatorMutex);
        result.emplace(canon::RunScenario(scenario, options));
    }
    if (!result->IsOk())
    {
        throw std::runtime_error(result->GetStatus().Message());
    }
    py::dict reply;
    reply["summary"] = SummaryDict(result->Value());
    reply["trace"] = result->Value().tracePath;
    return reply;
}

} // namespace

PYBIND11_MODULE(canonsim, m)
{
    m.doc() = "CanonSim: run scenarios on ns-3 and explore the CZR engine and PoP consensus";
    static py::exception<std::runtime_error> scenarioError(m, "ScenarioError", PyExc_ValueError);
    g_scenarioError = &scenarioError;

    m.def("run", &Run, py::arg("config"), py::kw_only(), py::arg("seed") = py::none(),
          py::arg("out") = py::none(), py::arg("duration") = py::none(),
          py::arg("engine") = py::none(),
          "Runs one scenario (a file path, or a dict in the scenario file's schema) on its engine "
          "(or `engine`: 'ns3' | 'abstract') and returns {'summary': dict, 'trace': path}. Bad "
          "config raises ScenarioError with the message "
          "`canonsim run` prints ('file:line: key: what').");
    m.def("betweenness", &Betweenness, py::arg("graph"), py::kw_only(),
          py::arg("normalized") = true, py::arg("nodes") = py::none(), py::arg("threads") = 2,
          "Exact betweenness {node: value} of an edge list [(u, v), ...] or a networkx graph; "
          "equals networkx.betweenness_centrality(G, normalized=...).");
    m.def("approximate_betweenness", &ApproximateBetweenness, py::arg("graph"), py::kw_only(),
          py::arg("epsilon") = 0.01, py::arg("delta") = 0.1, py::arg("seed") = 1,
          py::arg("samples") = py::none(), py::arg("nodes") = py::none(), py::arg("threads") = 2,
          "Source-sampled normalised betweenness: {'normalized': {node: value}, 'samples', "
          "'epsilon', 'delta', 'exact'}; with probability 1 - delta every error < epsilon.");
    m.def("sample_count_for_bound", &canon::SampleCountForBound, py::arg("nodes"),
          py::arg("epsilon"), py::arg("delta"));
    m.def("contribution_scores", &ContributionScores, py::arg("apps"), py::arg("betweenness"),
          py::kw_only(), py::arg("now_block") = 0, py::arg("gamma") = 0.99, py::arg("beta") = 1.0,
          py::arg("weights") = std::vector<double>{1, 1, 1, 1, 1},
          py::arg("level_values") = std::vector<double>{1, 2, 3},
          "Scores per node: apps[n] is a list of (application type, start block); betweenness[n] "
          "the normalised betweenness. Returns [{'node','resource','topology','total','rank'}].");
    m.def("application_types",
          []()
          {
              std::vector<std::string> names;
              for (auto t :
                   {canon::ApplicationType::kVehicularNetwork, canon::ApplicationType::kMeshNetwork,
                    canon::ApplicationType::kCdn, canon::ApplicationType::kDatabaseQuery,
                    canon::ApplicationType::kScientificComputation})
              {
                  names.emplace_back(canon::ApplicationTypeName(t));
              }
              return names;
          });
    m.def("finality_threshold", &canon::FinalityThreshold, py::arg("n"),
          "Distinct producers that must build on a block for it to be irreversible: "
          "floor(2N/3)+2, capped at N.");
    m.def(
        "cycle_order",
        [](uint32_t n, const py::object& seed) { return canon::CycleOrder(n, SeedHash(seed)); },
        py::arg("n"), py::arg("seed"),
        "The producer order of a cycle seeded by a 32-byte hash (other bytes, str or int seeds "
        "are hashed first).");
    m.def("cycle_of", &canon::CycleOf, py::arg("slot"), py::arg("n"));
    m.def("simulate_chain", &SimulateChain, py::arg("n"), py::arg("slots"), py::kw_only(),
          py::arg("offline") = std::vector<uint32_t>{}, py::arg("seed") = 0,
          py::arg("threshold") = 0,
          "A chain built by the real PoP schedule and finality rule, without a network: one "
          "block per slot unless its producer is offline. Returns lists slot, height, producer, "
          "lib_height (per block), missed_slots, and the threshold used.");
}
