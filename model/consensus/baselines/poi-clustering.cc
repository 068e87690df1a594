#include "model/consensus/baselines/poi-clustering.h"

#include "model/core/status.h"

#include <algorithm>
#include <cmath>

namespace canon
{

namespace
{

constexpr int64_t kUnset = -2;
constexpr int64_t kNonMember = -1;

// Sorts and removes duplicates.
void
Canonicalise(std::vector<uint32_t>& v)
{
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
}

// One run of FastScan over a fixed graph. Node states: kUnset (not looked at), kNonMember (not a
// core, in no cluster so far) or the id of the cluster holding it. A cluster's id is the node
// whose community created it; merged clusters keep the id of the first one found.
class FastScan
{
  public:
    FastScan(const std::vector<std::vector<uint32_t>>& neighbours, uint32_t mu, double epsilon)
      : m_neighbours(neighbours)
      , m_mu(mu)
      , m_epsilon(epsilon)
      , m_similar(neighbours.size())
      , m_similarKnown(neighbours.size(), false)
      , m_state(neighbours.size(), kUnset)
      , m_members(neighbours.size())
      , m_visited(neighbours.size(), 0)
    {
    }

    PoiClusters Run()
    {
        for (uint32_t i = 0; i < Size(); ++i)
        {
            if (m_state[i] != kUnset)
            {
                continue;
            }
            if (!IsCore(i))
            {
                m_state[i] = kNonMember;
                continue;
            }
            Grow(i);
        }
        return Collect();
    }

  private:
    uint32_t Size() const { return static_cast<uint32_t>(m_neighbours.size()); }

    // The node's similar neighbours (itself included), ascending.
    const std::vector<uint32_t>& Similar(uint32_t v)
    {
        if (!m_similarKnown[v])
        {
            for (uint32_t w : m_neighbours[v])
            {
                if (w == v || StructuralSimilarity(m_neighbours[v], m_neighbours[w]) > m_epsilon)
                {
                    m_similar[v].push_back(w);
                }
            }
            m_similarKnown[v] = true;
        }
        return m_similar[v];
    }

    bool IsCore(uint32_t v) { return Similar(v).size() >= m_mu; }

    // The neighbours of v's similar neighbours (v's own neighbourhood not added), without v.
    std::vector<uint32_t> TwoHop(uint32_t v)
    {
        std::vector<uint32_t> out;
        for (uint32_t w : Similar(v))
        {
            if (w != v)
            {
                out.insert(out.end(), m_neighbours[w].begin(), m_neighbours[w].end());
            }
        }
        Canonicalise(out);
        out.erase(std::remove(out.begin(), out.end(), v), out.end());
        return out;
    }

    // Builds the cluster around core `pivot`, round by round over unvisited two-hop pivots.
    void Grow(uint32_t pivot)
    {
        ++m_stamp;
        m_visited[pivot] = m_stamp;
        Process(pivot);
        std::vector<uint32_t> pivots = TwoHop(pivot);
        while (!pivots.empty())
        {
            for (uint32_t v : pivots)
            {
                Process(v);
            }
            for (uint32_t v : pivots)
            {
                m_visited[v] = m_stamp;
            }
            std::vector<uint32_t> next;
            for (uint32_t v : pivots)
            {
                for (uint32_t w : TwoHop(v))
                {
                    if (m_visited[w] != m_stamp)
                    {
                        next.push_back(w);
                    }
                }
            }
            Canonicalise(next);
            pivots.swap(next);
        }
    }

    void Process(uint32_t v)
    {
        ProcessCommunity(v);
        if (Similar(v).size() != 2)
        {
            return;
        }
        // The end of a line: the two-hop step would skip the one similar neighbour.
        for (uint32_t w : std::vector<uint32_t>(Similar(v)))
        {
            if (w != v)
            {
                ProcessCommunity(w);
            }
        }
    }

    void ProcessCommunity(uint32_t v)
    {
        if (!IsCore(v))
        {
            if (m_state[v] == kUnset)
            {
                m_state[v] = kNonMember;
            }
            return;
        }
        const int64_t target = MergeClustersOf(v);
        for (uint32_t w : Similar(v))
        {
            if (m_state[w] != target)
            {
                m_state[w] = target;
                m_members[static_cast<std::size_t>(target)].push_back(w);
            }
        }
    }

    // Merges every cluster holding one of v's similar nodes into the first of them and returns
    // its id; v's own id when none does.
    int64_t MergeClustersOf(uint32_t v)
    {
        std::vector<int64_t> ids;
        for (uint32_t w : Similar(v))
        {
            if (m_state[w] >= 0 && std::find(ids.begin(), ids.end(), m_state[w]) == ids.end())
            {
                ids.push_back(m_state[w]);
            }
        }
        if (ids.empty())
        {
            return v;
        }
        auto& into = m_members[static_cast<std::size_t>(ids[0])];
        for (std::size_t k = 1; k < ids.size(); ++k)
        {
            auto& from = m_members[static_cast<std::size_t>(ids[k])];
            for (uint32_t w : from)
            {
                m_state[w] = ids[0];
                into.push_back(w);
            }
            from.clear();
        }
        return ids[0];
    }

    PoiClusters Collect() const
    {
        PoiClusters out;
        for (const auto& members : m_members)
        {
            if (!members.empty())
            {
                out.clusters.push_back(members);
                std::sort(out.clusters.back().begin(), out.clusters.back().end());
            }
        }
        std::sort(out.clusters.begin(), out.clusters.end());
        for (uint32_t i = 0; i < Size(); ++i)
        {
            CANON_ASSERT(m_state[i] != kUnset, "FastScan left a node unvisited");
            if (m_state[i] == kNonMember)
            {
                (IsHub(i) ? out.hubs : out.outliers).push_back(i);
            }
        }
        return out;
    }

    // A node in no cluster whose neighbours lie in two or more clusters.
    bool IsHub(uint32_t v) const
    {
        int64_t seen = kNonMember;
        for (uint32_t w : m_neighbours[v])
        {
            if (m_state[w] < 0)
            {
                continue;
            }
            if (seen >= 0 && seen != m_state[w])
            {
                return true;
            }
            seen = m_state[w];
        }
        return false;
    }

    const std::vector<std::vector<uint32_t>>& m_neighbours;
    const uint32_t m_mu;
    const double m_epsilon;
    std::vector<std::vector<uint32_t>> m_similar;
    std::vector<bool> m_similarKnown;
    std::vector<int64_t> m_state;
    std::vector<std::vector<uint32_t>> m_members; // by cluster id
    std::vector<uint64_t> m_visited;              // == m_stamp: visited in the current Grow
    uint64_t m_stamp = 0;
};

} // namespace

double
StructuralSimilarity(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b)
{
    std::size_t common = 0;
    for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();)
    {
        if (a[i] < b[j])
        {
            ++i;
        }
        else if (b[j] < a[i])
        {
            ++j;
        }
        else
        {
            ++common, ++i, ++j;
        }
    }
    const double product = static_cast<double>(a.size()) * static_cast<double>(b.size());
    return product > 0 ? static_cast<double>(common) / std::sqrt(product) : 0.0;
}

PoiClusters
ScanClusters(const std::vector<std::vector<uint32_t>>& neighbours, uint32_t mu, double epsilon)
{
    CANON_ASSERT(mu >= 1, "SCAN needs mu >= 1");
    for (std::size_t i = 0; i < neighbours.size(); ++i)
    {
        CANON_ASSERT(std::binary_search(neighbours[i].begin(), neighbours[i].end(),
                                        static_cast<uint32_t>(i)),
                     "a SCAN neighbourhood must hold its own node");
    }
    return FastScan(neighbours, mu, epsilon).Run();
}

} // namespace canon
