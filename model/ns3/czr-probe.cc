#include "model/ns3/czr-probe.h"

#include "ns3/packet.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <chrono>
#include <map>

namespace canon
{

using namespace ns3;

CzrProbe::CzrProbe(CzrProbeConfig config, std::vector<Ptr<CanonNodeApplication>> apps,
                   std::shared_ptr<const ChainParams> params,
                   std::function<void(const CzrEpochReport&)> onEpoch)
  : m_config(std::move(config))
  , m_apps(std::move(apps))
  , m_params(std::move(params))
  , m_onEpoch(std::move(onEpoch))
{
    const std::size_t n = m_apps.size();
    NS_ABORT_MSG_UNLESS(m_config.nodes.size() == n && m_config.nodeKeys.size() == n &&
                            m_config.overclaimFactor.size() == n,
                        "CzrProbe needs measurement info, a key and a claim factor per node");
    m_lastOriginated.assign(n, 0);
    m_lastRelayed.assign(n, 0);
    m_claimNonce.assign(n, 0);
    m_linkBytes.assign(m_config.links.size(), 0);
    m_epochLength =
        NanoSeconds(static_cast<uint64_t>(m_params->slotDuration) * m_config.epochSlots);
}

void
CzrProbe::Start()
{
    for (std::size_t k = 0; k < m_config.linkDevices.size(); ++k)
    {
        auto count = [this, k](Ptr<const Packet> p) { m_linkBytes[k] += p->GetSize(); };
        m_config.linkDevices[k].first->TraceConnectWithoutContext(
            "PhyTxEnd", Callback<void, Ptr<const Packet>>(count));
        m_config.linkDevices[k].second->TraceConnectWithoutContext(
            "PhyTxEnd", Callback<void, Ptr<const Packet>>(count));
    }
    Simulator::Schedule(m_epochLength, &CzrProbe::EndEpoch, this);
}

Ptr<CanonNodeApplication>
CzrProbe::BestLiveApp() const
{
    Ptr<CanonNodeApplication> best;
    for (const auto& app : m_apps)
    {
        const Node* n = app->GetCanonNode();
        if (n &&
            (!best || n->Chain().Best()->height > best->GetCanonNode()->Chain().Best()->height))
        {
            best = app;
        }
    }
    return best;
}

void
CzrProbe::EndEpoch()
{
    Simulator::Schedule(m_epochLength, &CzrProbe::EndEpoch, this);
    ++m_epoch;
    const std::size_t n = m_apps.size();
    CzrEpochReport rec;
    EpochMeasurement& m = rec.measurement;
    m.epoch = m_epoch;
    m.nowBlock = m_params->SlotAt(Simulator::Now().GetNanoSeconds());
    rec.chain = MeasureChain(m_epochStartSlot, m.nowBlock);
    m_epochStartSlot = m.nowBlock;
    m.nodes = m_config.nodes;
    for (std::size_t i = 0; i < n; ++i)
    {
        const auto& app = m_apps[i];
        m.nodes[i].alive = app->IsRunning();
        m.nodes[i].bytesOriginated = app->GetBytesOriginated() - m_lastOriginated[i];
        m.nodes[i].bytesRelayed = app->GetBytesRelayed() - m_lastRelayed[i];
        m_lastOriginated[i] = app->GetBytesOriginated();
        m_lastRelayed[i] = app->GetBytesRelayed();
    }
    for (std::size_t k = 0; k < m_config.links.size(); ++k)
    {
        const auto [a, b] = m_config.links[k];
        if (m_linkBytes[k] > 0 && m.nodes[a].alive && m.nodes[b].alive)
        {
            m.activeLinks.push_back(m_config.links[k]);
        }
        m_linkBytes[k] = 0;
    }
    if (m_config.linkSource)
    {
        for (const auto& [a, b] : m_config.linkSource())
        {
            if (m.nodes[a].alive && m.nodes[b].alive)
            {
                m.activeLinks.emplace_back(a, b);
            }
        }
    }

    const auto start = std::chrono::steady_clock::now();
    CentralitySettings centrality = m_config.centrality;
    centrality.seed =
        HashPrefix64(Blake2b256("czr-epoch/" + std::to_string(m_epoch))) ^ centrality.seed;
    rec.scores = ScoreEpoch(m, m_config.contribution, centrality);
    rec.wallSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m_engineSeconds += rec.wallSeconds;

    // Every live node with a chance of candidacy claims what it measured of itself (times its
    // over-claim factor).
    rec.claimed.assign(n, 0.0);
    const std::vector<bool> worthwhile = ClaimWorthwhile();
    for (std::size_t i = 0; i < n; ++i)
    {
        const Node* node = m_apps[i]->GetCanonNode();
        const bool may = m_config.mayClaim.empty() || m_config.mayClaim[i];
        if (!node || !worthwhile[i] || !may)
        {
            continue;
        }
        ClaimPayload c;
        c.epoch = m_epoch;
        c.score = ToScoreUnits(rec.scores.scores[i].total * m_config.overclaimFactor[i]);
        c.region = m.nodes[i].region;
        c.application = m.nodes[i].applications.empty()
                            ? 0
                            : static_cast<uint8_t>(m.nodes[i].applications.front());
        rec.claimed[i] = static_cast<double>(c.score) / kScoreUnits;
        const KeyPair& key = m_config.nodeKeys[i];
        const uint64_t nonce = NextWalletNonce(m_claimNonce[i], *node, key.GetAddress());
        m_apps[i]->SubmitTransaction(
            MakeTransaction(key, TxType::kContributionClaim, nonce, 1,
                            m_params->CzcHashAt(node->Chain().Best()->height + 1), c.Encode()));
    }
    // The report follows two slots later, so that the claims are on chain when it triggers.
    Simulator::Schedule(NanoSeconds(2 * static_cast<uint64_t>(m_params->slotDuration)),
                        &CzrProbe::PublishReport, this, rec.scores.report);
    m_onEpoch(rec);
}

ChainMeasures
CzrProbe::MeasureChain(uint64_t firstSlot, uint64_t endSlot) const
{
    ChainMeasures c;
    c.slots = static_cast<uint32_t>(endSlot > firstSlot ? endSlot - firstSlot : 0);
    c.blocksByNode.assign(m_apps.size(), 0);
    Ptr<CanonNodeApplication> ref = BestLiveApp();
    if (!ref)
    {
        return c;
    }
    uint64_t bytes = 0, lastSlot = 0, intervalSlots = 0, intervals = 0;
    for (const BlockEntry* e = ref->GetCanonNode()->Chain().Best(); e && e->parent; e = e->parent)
    {
        if (e->slot >= endSlot)
        {
            continue;
        }
        if (e->slot < firstSlot)
        {
            break;
        }
        ++c.blocks;
        bytes += e->encodedSize;
        if (lastSlot > 0)
        {
            intervalSlots += lastSlot - e->slot;
            ++intervals;
        }
        lastSlot = e->slot;
        auto it = m_nodeOfKey.find(e->producer);
        if (it != m_nodeOfKey.end())
        {
            ++c.blocksByNode[it->second];
        }
    }
    c.meanBlockBytes = c.blocks > 0 ? static_cast<double>(bytes) / c.blocks : 0.0;
    c.meanIntervalSeconds = intervals > 0 ? ToSeconds(m_params->slotDuration) *
                                                static_cast<double>(intervalSlots) /
                                                static_cast<double>(intervals)
                                          : 0.0;
    return c;
}

std::vector<bool>
CzrProbe::ClaimWorthwhile() const
{
    const std::size_t n = m_apps.size();
    std::vector<bool> out(n, true);
    Ptr<CanonNodeApplication> ref = BestLiveApp();
    if (m_config.claimRankMax == 0 || !ref)
    {
        return out;
    }
    const PopState& pop = ref->GetCanonNode()->Chain().BestState().Pop();
    if (pop.reportHeight == 0)
    {
        return out; // nothing measured yet: everyone may be a candidate
    }
    // Rank within each (region, application) group by the reported total.
    std::map<std::pair<uint32_t, uint8_t>, std::vector<std::pair<uint64_t, Address>>> groups;
    for (const auto& [account, e] : pop.observed)
    {
        groups[{e.region, e.application}].emplace_back(e.total, account);
    }
    std::map<Address, std::size_t> rank;
    for (auto& [group, members] : groups)
    {
        std::sort(members.begin(), members.end(),
                  [](const auto& a, const auto& b)
                  { return a.first != b.first ? a.first > b.first : a.second < b.second; });
        for (std::size_t r = 0; r < members.size(); ++r)
        {
            rank[members[r].second] = r;
        }
    }
    for (std::size_t i = 0; i < n; ++i)
    {
        auto it = rank.find(m_config.nodes[i].account);
        out[i] = it == rank.end() || it->second < m_config.claimRankMax;
    }
    return out;
}

void
CzrProbe::PublishReport(CzrReportPayload report)
{
    Ptr<CanonNodeApplication> app = BestLiveApp();
    if (!app)
    {
        return;
    }
    const Node& node = *app->GetCanonNode();
    const uint64_t nonce = NextWalletNonce(m_oracleNonce, node, m_config.oracle.GetAddress());
    Transaction tx =
        MakeTransaction(m_config.oracle, TxType::kCzrReport, nonce, 1,
                        m_params->CzcHashAt(node.Chain().Best()->height + 1), report.Encode());
    app->SubmitTransaction(tx);
}

} // namespace canon
