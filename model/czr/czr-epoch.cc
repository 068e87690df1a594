#include "model/czr/czr-epoch.h"

#include "model/czr/betweenness.h"
#include "model/czr/csr-graph.h"
#include "model/czr/path-sampling.h"

#include <algorithm>
#include <cmath>

namespace canon
{

uint64_t
ToScoreUnits(double score)
{
    return score <= 0 ? 0 : static_cast<uint64_t>(std::llround(score * kScoreUnits));
}

namespace
{

std::vector<double>
Centrality(const EpochMeasurement& m, const CentralitySettings& c, uint32_t& samples)
{
    const auto n = static_cast<uint32_t>(m.nodes.size());
    CsrGraph g = CsrGraph::FromEdges(n, m.activeLinks);
    if (c.exact)
    {
        return NormalizeBetweenness(ExactBetweenness(g, c.threads));
    }
    const bool paths = c.sampling == CentralitySampling::kPaths ||
                       (c.sampling == CentralitySampling::kCheaper &&
                        MeanPathSampleScans(g, c.seed, c.threads) * kPathCostShareMax <=
                            2.0 * static_cast<double>(g.EdgeCount()));
    if (paths)
    {
        // Work of at most about samplesMax full BFS passes (path-sampling.h), what source
        // sampling would spend; on a sparse random graph the (epsilon, delta) count stays far
        // below it (110,000 nodes: 36,515 paths at 0.01 scan 47 M entries of 113 M).
        const uint64_t budget = uint64_t{c.samplesMax} * 2 * g.EdgeCount();
        ApproxBetweenness a =
            SamplePathBetweenness(g, c.epsilon, c.delta, c.seed, c.threads, budget);
        samples = a.samples;
        return a.normalized;
    }
    // A cap below the node count, and below what the bound asks for, limits the sources; else
    // the bound decides (and uses every node once when it asks for that many).
    const bool capped = c.samplesMax > 0 && c.samplesMax < n &&
                        SampleCountForBound(n, c.epsilon, c.delta) > c.samplesMax;
    ApproxBetweenness a =
        capped ? SampleBetweennessWithSamples(g, c.samplesMax, c.seed, c.threads, c.delta)
               : SampleBetweenness(g, c.epsilon, c.delta, c.seed, c.threads);
    samples = a.samples;
    return a.normalized;
}

} // namespace

EpochScores
ScoreEpoch(const EpochMeasurement& m, const ContributionParams& params,
           const CentralitySettings& centrality)
{
    EpochScores out;
    const std::size_t n = m.nodes.size();
    out.betweenness = Centrality(m, centrality, out.samples);

    double meanBytes = 0;
    std::size_t alive = 0;
    for (const auto& node : m.nodes)
    {
        if (node.alive)
        {
            meanBytes += static_cast<double>(node.bytesOriginated + node.bytesRelayed);
            ++alive;
        }
    }
    meanBytes = alive > 0 ? meanBytes / static_cast<double>(alive) : 0.0;

    std::vector<std::vector<ApplicationRun>> apps(n);
    for (std::size_t i = 0; i < n; ++i)
    {
        const NodeMeasurement& node = m.nodes[i];
        if (!node.alive)
        {
            continue;
        }
        const double carried = static_cast<double>(node.bytesOriginated + node.bytesRelayed);
        const double bandwidthShare = meanBytes > 0 ? carried / meanBytes : 1.0;
        for (ApplicationType type : node.applications)
        {
            ResourceVector r = LevelsToVector(Table2Profile(type), params);
            r.cpu *= node.device.cpu;
            r.memory *= node.device.memory;
            r.storage *= node.device.storage;
            r.bandwidth *= bandwidthShare;
            apps[i].push_back({type, node.startBlock, r});
        }
    }
    out.scores = ScoreNodes(apps, out.betweenness, m.nowBlock, params);

    CsrGraph g = CsrGraph::FromEdges(static_cast<uint32_t>(n), m.activeLinks);
    out.articulation.assign(n, false);
    for (uint32_t v : ArticulationPoints(g))
    {
        out.articulation[v] = true;
    }

    out.report.epoch = m.epoch;
    for (std::size_t i = 0; i < n; ++i)
    {
        CzrReportEntry e;
        e.account = m.nodes[i].account;
        e.resource = ToScoreUnits(out.scores[i].resource);
        e.betweenness = ToScoreUnits(out.betweenness[i]);
        e.total = ToScoreUnits(out.scores[i].total);
        e.region = m.nodes[i].region;
        e.application = m.nodes[i].applications.empty()
                            ? 0
                            : static_cast<uint8_t>(m.nodes[i].applications.front());
        out.report.entries.push_back(e);
    }
    std::sort(out.report.entries.begin(), out.report.entries.end(),
              [](const CzrReportEntry& a, const CzrReportEntry& b)
              { return a.account < b.account; });
    return out;
}

} // namespace canon
