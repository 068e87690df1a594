#include "model/consensus/baselines/poi-importance.h"

#include "model/core/status.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

namespace canon
{

namespace
{

// One column of the outlink matrix: (row, value), rows ascending.
using Column = std::vector<std::pair<uint32_t, double>>;
using NetFlows = std::vector<std::map<uint32_t, double>>;

// Per eligible account, its net flow to each partner: own outlinks minus inlinks from eligible
// partners. kPoiOutside collects every ineligible partner (only the sum over partners uses them).
NetFlows
ComputeNetFlows(const PoiGraph& g)
{
    const std::size_t n = g.vested.size();
    NetFlows net(n);
    for (const PoiLink& l : g.links)
    {
        CANON_ASSERT(l.from < n && (l.to < n || l.to == kPoiOutside), "PoI link out of range");
        if (l.from == l.to)
        {
            continue;
        }
        net[l.from][l.to] += l.weight;
        if (l.to != kPoiOutside)
        {
            net[l.to][l.from] -= l.weight;
        }
    }
    return net;
}

std::vector<double>
OutlinkScores(const NetFlows& net, const PoiImportanceOptions& o)
{
    std::vector<double> score(net.size(), 0.0);
    for (std::size_t s = 0; s < net.size(); ++s)
    {
        for (const auto& flow : net[s])
        {
            score[s] += flow.second;
        }
        if (score[s] < 0)
        {
            score[s] *= o.negativeOutlinkWeight;
        }
    }
    return score;
}

// M's columns: net flows to eligible partners of at least outlinkMin, each column normalised to
// sum 1. Empty columns are reported as dangling.
std::vector<Column>
OutlinkMatrix(const NetFlows& net, const PoiImportanceOptions& o, std::vector<uint32_t>& dangling)
{
    std::vector<Column> cols(net.size());
    for (std::size_t s = 0; s < net.size(); ++s)
    {
        double sum = 0;
        for (const auto& flow : net[s])
        {
            if (flow.first != kPoiOutside && flow.second >= o.outlinkMin && flow.second > 0)
            {
                cols[s].emplace_back(flow.first, flow.second);
                sum += flow.second;
            }
        }
        for (auto& entry : cols[s])
        {
            entry.second /= sum;
        }
        if (cols[s].empty())
        {
            dangling.push_back(static_cast<uint32_t>(s));
        }
    }
    return cols;
}

// Each node's undirected neighbourhood in M, itself included, ascending.
std::vector<std::vector<uint32_t>>
Neighbourhoods(const std::vector<Column>& cols)
{
    std::vector<std::vector<uint32_t>> nb(cols.size());
    for (uint32_t s = 0; s < cols.size(); ++s)
    {
        nb[s].push_back(s);
        for (const auto& entry : cols[s])
        {
            nb[s].push_back(entry.first);
            nb[entry.first].push_back(s);
        }
    }
    for (auto& v : nb)
    {
        std::sort(v.begin(), v.end());
        v.erase(std::unique(v.begin(), v.end()), v.end());
    }
    return nb;
}

// NCDawareRank's inter-level structure: the blocks (clusters, then hubs, then outliers, one block
// each), and for every node the blocks its mass moves to (those holding it or one of its outlink
// targets).
struct InterLevel
{
    std::vector<uint32_t> blockOf;              // per node
    std::vector<double> blockSize;              // per block
    std::vector<std::vector<uint32_t>> jumpsTo; // per node: its blocks, ascending, distinct
};

InterLevel
BuildInterLevel(const PoiClusters& c, const std::vector<Column>& cols)
{
    InterLevel il;
    il.blockOf.assign(cols.size(), 0);
    auto addBlock = [&il](const std::vector<uint32_t>& members)
    {
        for (uint32_t m : members)
        {
            il.blockOf[m] = static_cast<uint32_t>(il.blockSize.size());
        }
        il.blockSize.push_back(static_cast<double>(members.size()));
    };
    for (const auto& cluster : c.clusters)
    {
        addBlock(cluster);
    }
    for (uint32_t h : c.hubs)
    {
        addBlock({h});
    }
    for (uint32_t x : c.outliers)
    {
        addBlock({x});
    }
    il.jumpsTo.resize(cols.size());
    for (uint32_t i = 0; i < cols.size(); ++i)
    {
        il.jumpsTo[i].push_back(il.blockOf[i]);
        for (const auto& entry : cols[i])
        {
            il.jumpsTo[i].push_back(il.blockOf[entry.first]);
        }
        std::sort(il.jumpsTo[i].begin(), il.jumpsTo[i].end());
        il.jumpsTo[i].erase(std::unique(il.jumpsTo[i].begin(), il.jumpsTo[i].end()),
                            il.jumpsTo[i].end());
    }
    return il;
}

void
NormaliseL1(std::vector<double>& v)
{
    double sum = 0;
    for (double x : v)
    {
        sum += std::fabs(x);
    }
    if (sum > 0)
    {
        for (double& x : v)
        {
            x /= sum;
        }
    }
}

double
L1Distance(const std::vector<double>& a, const std::vector<double>& b)
{
    double d = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
    {
        d += std::fabs(a[i] - b[i]);
    }
    return d;
}

// One NCDawareRank step: everything the power iteration needs besides the vector.
class RankStep
{
  public:
    RankStep(const std::vector<Column>& cols, const std::vector<uint32_t>& dangling,
             const InterLevel* il, const PoiImportanceOptions& o)
      : m_cols(cols)
      , m_dangling(dangling)
      , m_il(il)
      , m_o(o)
    {
    }

    std::vector<double> operator()(const std::vector<double>& x) const
    {
        const double n = static_cast<double>(x.size());
        double dangleSum = 0;
        for (uint32_t j : m_dangling)
        {
            dangleSum += x[j];
        }
        const double uniform =
            m_o.teleportation * dangleSum / n + (1.0 - m_o.teleportation - m_o.interLevel) / n;
        std::vector<double> y(x.size(), uniform);
        for (std::size_t s = 0; s < m_cols.size(); ++s)
        {
            for (const auto& entry : m_cols[s])
            {
                y[entry.first] += m_o.teleportation * entry.second * x[s];
            }
        }
        if (m_il)
        {
            AddInterLevel(x, y);
        }
        NormaliseL1(y);
        return y;
    }

  private:
    void AddInterLevel(const std::vector<double>& x, std::vector<double>& y) const
    {
        std::vector<double> blockMass(m_il->blockSize.size(), 0.0);
        for (std::size_t i = 0; i < x.size(); ++i)
        {
            const auto& to = m_il->jumpsTo[i];
            for (uint32_t b : to)
            {
                blockMass[b] += x[i] / static_cast<double>(to.size());
            }
        }
        for (std::size_t u = 0; u < y.size(); ++u)
        {
            const uint32_t b = m_il->blockOf[u];
            y[u] += m_o.interLevel * blockMass[b] / m_il->blockSize[b];
        }
    }

    const std::vector<Column>& m_cols;
    const std::vector<uint32_t>& m_dangling;
    const InterLevel* m_il;
    const PoiImportanceOptions& m_o;
};

// NIS's PowerIterator: one step from the start vector, then steps until two successive iterates
// are within epsilon in L1 or iterationsMax steps were taken.
std::vector<double>
PowerIterate(const RankStep& step, std::size_t n, double epsilon, uint32_t iterationsMax,
             uint32_t& iterations)
{
    std::vector<double> prev;
    std::vector<double> next = step(std::vector<double>(n, 1.0 / static_cast<double>(n)));
    iterations = 0;
    do
    {
        prev.swap(next);
        next = step(prev);
        ++iterations;
    } while (iterations < iterationsMax && L1Distance(prev, next) > epsilon);
    // The step contracts by t + l < 1 in L1, so this holds for any graph long before 3000 steps.
    CANON_ASSERT(L1Distance(prev, next) <= epsilon, "PoI power iteration did not converge");
    return next;
}

std::vector<double>
FinalScore(const PoiGraph& g, const PoiImportanceResult& r, const PoiImportanceOptions& o)
{
    std::vector<double> weighted(g.vested.size());
    for (std::size_t i = 0; i < weighted.size(); ++i)
    {
        weighted[i] = std::max(0.0, g.vested[i] + o.outlinkWeight * r.outlinkScore[i]);
    }
    NormaliseL1(weighted);
    std::vector<double> score(weighted.size());
    for (std::size_t i = 0; i < score.size(); ++i)
    {
        score[i] = (weighted[i] + o.importanceWeight * r.pageRank[i]) * r.graphWeight[i];
    }
    NormaliseL1(score);
    return score;
}

} // namespace

PoiImportanceResult
ComputePoiImportance(const PoiGraph& graph, const PoiImportanceOptions& options)
{
    PoiImportanceResult r;
    const std::size_t n = graph.vested.size();
    if (n == 0)
    {
        return r;
    }
    CANON_ASSERT(graph.accountsConsidered >= n, "PoI graph: fewer accounts than eligible ones");
    const NetFlows net = ComputeNetFlows(graph);
    r.outlinkScore = OutlinkScores(net, options);
    const std::vector<Column> cols = OutlinkMatrix(net, options, r.dangling);
    r.graphWeight.assign(n, 1.0);
    InterLevel il;
    if (options.clustering)
    {
        r.clusters = ScanClusters(Neighbourhoods(cols), options.mu, options.epsilon);
        for (uint32_t x : r.clusters.outliers)
        {
            r.graphWeight[x] = options.outlierWeight;
        }
        il = BuildInterLevel(r.clusters, cols);
    }
    const RankStep step(cols, r.dangling, options.clustering ? &il : nullptr, options);
    const double epsilon = options.tolerance / static_cast<double>(graph.accountsConsidered);
    r.pageRank = PowerIterate(step, n, epsilon, options.iterationsMax, r.iterations);
    r.importance = FinalScore(graph, r, options);
    return r;
}

} // namespace canon
