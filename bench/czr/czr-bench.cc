// czr-bench: times the CZR betweenness engine on one edge-list file, for
// bench/czr/betweenness-vs-igraph.py (timings live in bench/, never in tests: DESIGN.md 4.12).
//
//   czr-bench exact  EDGEFILE [--threads T] [--out FILE]
//   czr-bench sample EDGEFILE (--epsilon E --delta D | --samples K [--delta D]) [--seed S]
//                    [--threads T] [--out FILE]
//   czr-bench paths  EDGEFILE (--epsilon E --delta D [--budget-sources B] | --samples K
//                    [--delta D]) [--seed S] [--threads T] [--out FILE]
//
// --budget-sources B: paths draws at most about the work of B full BFS passes (B * 2m adjacency
// entries; path-sampling.h), as the CZR engine does with czr.samples_max.
//
// EDGEFILE: "n m", then m lines "u v". Prints one JSON object (wall and CPU seconds of the
// timed part); --out writes one value per line, 17 significant digits: raw values (networkx
// normalized=False) for exact, normalised estimates for sample (source sampling,
// betweenness.h) and paths (shortest-path sampling, path-sampling.h). The timed part excludes
// reading the file.
#include "model/core/status.h"
#include "model/czr/betweenness.h"
#include "model/czr/csr-graph.h"
#include "model/czr/path-sampling.h"

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

namespace
{

using canon::Result;
using canon::Status;

struct Options
{
    std::string mode;
    std::string edgePath;
    std::string outPath;
    unsigned threads = 2;
    uint64_t seed = 1;
    double epsilon = 0.0;
    double delta = 0.1;
    uint32_t samples = 0;
    uint64_t budgetSources = 0;
};

struct Graph
{
    uint32_t nodes = 0;
    std::vector<std::pair<uint32_t, uint32_t>> edges;
};

// Reads the next unsigned integer at text[pos..]; whitespace before it is skipped.
bool
NextNumber(const std::string& text, std::size_t& pos, uint64_t& value)
{
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos])) != 0)
    {
        ++pos;
    }
    const char* first = text.data() + pos;
    char* last = nullptr;
    errno = 0;
    value = std::strtoull(first, &last, 10);
    if (last == first || errno != 0 || *first == '-')
    {
        return false;
    }
    pos += static_cast<std::size_t>(last - first);
    return true;
}

// A file may be wrong: every problem becomes a Status naming it (DESIGN.md 4.6).
Result<Graph>
ReadEdgeList(const std::string& path)
{
    // stdio rather than istreambuf_iterator, which trips GCC 12's -Wnull-dereference.
    std::FILE* in = std::fopen(path.c_str(), "rb");
    if (in == nullptr)
    {
        return Status(canon::StatusCode::kIoError, "cannot open " + path);
    }
    std::string text;
    char buffer[1 << 16];
    std::size_t got = 0;
    while ((got = std::fread(buffer, 1, sizeof(buffer), in)) > 0)
    {
        text.append(buffer, got);
    }
    const bool readError = std::ferror(in) != 0;
    std::fclose(in);
    if (readError)
    {
        return Status(canon::StatusCode::kIoError, "cannot read " + path);
    }
    std::size_t pos = 0;
    uint64_t n = 0;
    uint64_t m = 0;
    if (!NextNumber(text, pos, n) || !NextNumber(text, pos, m) || n > UINT32_MAX)
    {
        return Status::Malformed(path + ": first line must be \"nodes edges\"");
    }
    Graph g;
    g.nodes = static_cast<uint32_t>(n);
    g.edges.reserve(m);
    for (uint64_t i = 0; i < m; ++i)
    {
        uint64_t u = 0;
        uint64_t v = 0;
        if (!NextNumber(text, pos, u) || !NextNumber(text, pos, v))
        {
            return Status::Malformed(path + ": edge " + std::to_string(i + 1) + " unreadable");
        }
        if (u >= n || v >= n)
        {
            return Status::Malformed(path + ": edge " + std::to_string(i + 1) +
                                     " names a node >= " + std::to_string(n));
        }
        g.edges.emplace_back(static_cast<uint32_t>(u), static_cast<uint32_t>(v));
    }
    return g;
}

Result<Options>
ParseOptions(int argc, char** argv)
{
    if (argc < 3)
    {
        return Status::Invalid("usage: czr-bench exact|sample|paths EDGEFILE [options]");
    }
    Options o;
    o.mode = argv[1];
    o.edgePath = argv[2];
    if (o.mode != "exact" && o.mode != "sample" && o.mode != "paths")
    {
        return Status::Invalid("mode must be exact, sample or paths, not " + o.mode);
    }
    for (int i = 3; i < argc; i += 2)
    {
        const std::string flag = argv[i];
        if (i + 1 >= argc)
        {
            return Status::Invalid(flag + " needs a value");
        }
        const char* value = argv[i + 1];
        char* end = nullptr;
        if (flag == "--out")
        {
            o.outPath = value;
            continue;
        }
        errno = 0;
        if (flag == "--threads")
        {
            o.threads = static_cast<unsigned>(std::strtoul(value, &end, 10));
        }
        else if (flag == "--seed")
        {
            o.seed = std::strtoull(value, &end, 10);
        }
        else if (flag == "--budget-sources")
        {
            o.budgetSources = std::strtoull(value, &end, 10);
        }
        else if (flag == "--samples")
        {
            o.samples = static_cast<uint32_t>(std::strtoul(value, &end, 10));
        }
        else if (flag == "--epsilon")
        {
            o.epsilon = std::strtod(value, &end);
        }
        else if (flag == "--delta")
        {
            o.delta = std::strtod(value, &end);
        }
        else
        {
            return Status::Invalid("unknown option " + flag);
        }
        if (end == value || *end != '\0' || errno != 0)
        {
            return Status::Invalid("bad value for " + flag + ": " + value);
        }
    }
    if (o.mode != "exact" && o.samples == 0 && !(o.epsilon > 0.0))
    {
        return Status::Invalid(o.mode + " needs --samples K or --epsilon E");
    }
    if (!(o.delta > 0.0 && o.delta < 1.0))
    {
        return Status::Invalid("--delta must lie in (0, 1)");
    }
    return o;
}

int
Fail(const Status& s)
{
    std::fprintf(stderr, "czr-bench: %s\n", s.ToString().c_str());
    return 2;
}

} // namespace

int
main(int argc, char** argv)
{
    const Result<Options> parsed = ParseOptions(argc, argv);
    if (!parsed.IsOk())
    {
        return Fail(parsed.GetStatus());
    }
    const Options& o = parsed.Value();
    const auto loadStart = std::chrono::steady_clock::now();
    const Result<Graph> read = ReadEdgeList(o.edgePath);
    if (!read.IsOk())
    {
        return Fail(read.GetStatus());
    }
    const canon::CsrGraph g = canon::CsrGraph::FromEdges(read.Value().nodes, read.Value().edges);
    const auto start = std::chrono::steady_clock::now();
    // Process CPU time, all threads: on a shared machine the wall time depends on the load.
    const std::clock_t cpuStart = std::clock();

    std::vector<double> values;
    canon::ApproxBetweenness approx;
    if (o.mode == "exact")
    {
        values = canon::ExactBetweenness(g, o.threads);
    }
    else if (o.mode == "paths")
    {
        approx =
            o.samples > 0
                ? canon::SamplePathBetweennessWithSamples(g, o.samples, o.seed, o.threads, o.delta)
                : canon::SamplePathBetweenness(g, o.epsilon, o.delta, o.seed, o.threads,
                                               o.budgetSources * 2 * g.EdgeCount());
        values = approx.normalized;
    }
    else
    {
        approx = o.samples > 0
                     ? canon::SampleBetweennessWithSamples(g, o.samples, o.seed, o.threads, o.delta)
                     : canon::SampleBetweenness(g, o.epsilon, o.delta, o.seed, o.threads);
        values = approx.normalized;
    }
    const auto stop = std::chrono::steady_clock::now();
    const double cpuSeconds = static_cast<double>(std::clock() - cpuStart) / CLOCKS_PER_SEC;
    const double seconds = std::chrono::duration<double>(stop - start).count();
    const double loadSeconds = std::chrono::duration<double>(start - loadStart).count();

    std::printf("{\"mode\": \"%s\", \"nodes\": %u, \"edges\": %llu, \"threads\": %u, "
                "\"load_seconds\": %.6f, \"seconds\": %.6f, \"cpu_seconds\": %.6f",
                o.mode.c_str(), g.NodeCount(), static_cast<unsigned long long>(g.EdgeCount()),
                o.threads, loadSeconds, seconds, cpuSeconds);
    if (o.mode != "exact")
    {
        std::printf(", \"samples\": %u, \"epsilon\": %.17g, \"delta\": %.17g, \"exact\": %s",
                    approx.samples, approx.epsilon, approx.delta, approx.exact ? "true" : "false");
    }
    if (o.mode == "paths")
    {
        // Outside the timed part: one more O(n + m) scan, the same one the estimator ran.
        // A path sample's cost as a share of a BFS (2m entries): what the engine's choice between
        // paths and sources above czr.exact_max_nodes looks at (czr-epoch.h).
        std::printf(", \"edge_scans\": %llu, \"vertex_diameter_bound\": %u, "
                    "\"path_cost_per_bfs\": %.6f",
                    static_cast<unsigned long long>(approx.edgeScans),
                    canon::VertexDiameterBound(g),
                    canon::MeanPathSampleScans(g, o.seed, o.threads) /
                        (2.0 * static_cast<double>(g.EdgeCount())));
    }
    std::printf("}\n");

    if (!o.outPath.empty())
    {
        std::FILE* out = std::fopen(o.outPath.c_str(), "w");
        if (out == nullptr)
        {
            return Fail(Status(canon::StatusCode::kIoError, "cannot write " + o.outPath));
        }
        for (double x : values)
        {
            std::fprintf(out, "%.17g\n", x);
        }
        if (std::fclose(out) != 0)
        {
            return Fail(Status(canon::StatusCode::kIoError, "cannot write " + o.outPath));
        }
    }
    return 0;
}
