#include "model/run/czr-loop.h"

#include "model/czr/report-cut.h"
#include "model/governance/in-force.h"
#include "model/run/run-summary.h"

#include <algorithm>
#include <chrono>
#include <unordered_map>

namespace canon
{

CzrLoop::CzrLoop(CzrLoopSpec spec, RunHost& host, const RunGenesis& genesis, NonceBook& nodeNonces,
                 std::function<void(const CzrEpochReport&)> onEpoch)
  : m_spec(std::move(spec))
  , m_host(host)
  , m_genesis(genesis)
  , m_nodeNonces(nodeNonces)
  , m_onEpoch(std::move(onEpoch))
{
    const uint32_t n = m_host.NodeCount();
    CANON_ASSERT(m_spec.nodes.size() == n, "CzrLoop needs measurement info per node");
    for (uint32_t i = 0; i < n; ++i)
    {
        m_spec.nodes[i].account = m_genesis.nodeKeys[i].GetAddress();
    }
    m_last.assign(n, NodeTraffic{});
    m_epochLength = m_genesis.params->slotDuration * static_cast<TimeNs>(m_spec.epochSlots);
}

void
CzrLoop::Start()
{
    m_host.At(m_host.Now() + m_epochLength, [this] { EndEpoch(); });
}

const GovernanceBook*
CzrLoop::GovernanceSeen() const
{
    const int ref = ReferenceNode(m_host);
    return ref < 0 ? nullptr
                   : &m_host.FullNode(static_cast<uint32_t>(ref))->Chain().BestState().Governance();
}

ContributionParams
ContributionInForce(const ContributionParams& scenario, const GovernanceBook* book)
{
    ContributionParams c = scenario;
    if (book)
    {
        c.gamma = CzrParamIn(GovParam::kCzrGamma, c.gamma, *book);
        c.beta = CzrParamIn(GovParam::kCzrBeta, c.beta, *book);
        std::array<double, kCzrWeightCount> w{};
        for (std::size_t k = 0; k < kCzrWeightCount; ++k)
        {
            w[k] = c.weights(static_cast<Eigen::Index>(k));
        }
        w = CzrWeightsIn(w, *book);
        for (std::size_t k = 0; k < kCzrWeightCount; ++k)
        {
            c.weights(static_cast<Eigen::Index>(k)) = w[k];
        }
    }
    return c;
}

uint32_t
ClaimRankMaxInForce(uint32_t genesisRankMax, const ChainParams& params, const GovernanceBook* book)
{
    if (genesisRankMax == 0 || !book || !book->AdoptedValue(GovParam::kCandidatesPerGroup))
    {
        return genesisRankMax;
    }
    return ClaimRankMaxFor(ElectionRulesIn(params.election, *book).candidatesPerGroup);
}

uint32_t
CzrLoop::ClaimRankMax() const
{
    return ClaimRankMaxInForce(m_spec.claimRankMax, *m_genesis.params, GovernanceSeen());
}

// The report cut's bound: the claim rule's, or N in force when that is larger, so that the top N
// overall (re-election's ranking drift, TopByObservation) is always named. 0 (no claim cap):
// the report names everyone.
uint32_t
CzrLoop::ReportRankMax() const
{
    const uint32_t rankMax = ClaimRankMax();
    const int ref = ReferenceNode(m_host);
    if (rankMax == 0 || ref < 0)
    {
        return rankMax;
    }
    const SlotClock clock = m_host.FullNode(static_cast<uint32_t>(ref))->Chain().BestClock();
    return std::max(rankMax, clock.RulesAt(clock.SlotAt(m_host.Now())).producers);
}

uint64_t
CzrLoop::FeeInForce() const
{
    const GovernanceBook* book = GovernanceSeen();
    return std::max<uint64_t>(1, book ? FeeFloorIn(*m_genesis.params, *book) : 1);
}

void
CzrLoop::Measure(EpochMeasurement& m)
{
    m.nodes = m_spec.nodes;
    for (uint32_t i = 0; i < m.nodes.size(); ++i)
    {
        const NodeTraffic t = m_host.Traffic(i);
        m.nodes[i].alive = m_host.Running(i);
        m.nodes[i].bytesOriginated = t.originated - m_last[i].originated;
        m.nodes[i].bytesRelayed = t.relayed - m_last[i].relayed;
        m_last[i] = t;
    }
    for (const Edge& e : m_host.TakeEpochGraph())
    {
        if (m.nodes[e.first].alive && m.nodes[e.second].alive)
        {
            m.activeLinks.push_back(e);
        }
    }
}

void
CzrLoop::EndEpoch()
{
    m_host.At(m_host.Now() + m_epochLength, [this] { EndEpoch(); });
    ++m_epoch;
    CzrEpochReport rec;
    EpochMeasurement& m = rec.measurement;
    m.epoch = m_epoch;
    m.nowBlock = m_genesis.params->SlotAt(m_host.Now());
    rec.chain = MeasureChain(m_epochStartSlot, m.nowBlock);
    m_epochStartSlot = m.nowBlock;
    Measure(m);
    const auto start = std::chrono::steady_clock::now();
    CentralitySettings centrality = m_spec.centrality;
    centrality.seed =
        HashPrefix64(Blake2b256("czr-epoch/" + std::to_string(m_epoch))) ^ centrality.seed;
    rec.scores =
        ScoreEpoch(m, ContributionInForce(m_spec.contribution, GovernanceSeen()), centrality);
    rec.wallSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m_engineSeconds += rec.wallSeconds;
    Claim(m, rec);
    // The report follows two slots later, so that the claims are on chain when it triggers. It
    // names what the chain reads (model/czr/report-cut.h); the recorder keeps every score.
    std::vector<Address> claimants;
    for (uint32_t i = 0; i < m_host.NodeCount(); ++i)
    {
        if (rec.claimed[i] > 0)
        {
            claimants.push_back(m_spec.nodes[i].account);
        }
    }
    CzrReportPayload report = CutReport(rec.scores.report, ReportRankMax(), claimants);
    m_host.At(m_host.Now() + 2 * m_genesis.params->slotDuration,
              [this, report] { PublishReport(report); });
    m_onEpoch(rec);
}

// Every live node with a chance of candidacy claims what it measured of itself, times its claim
// scale; the claim rule (model/czr/claim-rule.h) keeps each group's rankMax best of them.
void
CzrLoop::Claim(const EpochMeasurement& m, CzrEpochReport& rec)
{
    const uint32_t n = m_host.NodeCount();
    rec.claimed.assign(n, 0.0);
    const std::vector<bool> worthwhile = ClaimWorthwhile();
    std::vector<uint32_t> claimers;
    std::vector<ClaimEntry> entries;
    for (uint32_t i = 0; i < n; ++i)
    {
        const bool may = m_spec.mayClaim.empty() || m_spec.mayClaim[i];
        if (m_host.FullNode(i) && worthwhile[i] && may)
        {
            claimers.push_back(i);
            entries.push_back(ClaimAt(i, m, rec.scores));
        }
    }
    const std::vector<bool> keep = TopWithinGroups(entries, ClaimRankMax());
    for (std::size_t k = 0; k < claimers.size(); ++k)
    {
        if (keep[k])
        {
            SubmitClaim(claimers[k], entries[k], rec);
        }
    }
}

ClaimEntry
CzrLoop::ClaimAt(uint32_t i, const EpochMeasurement& m, const EpochScores& scores) const
{
    const Adversary* adversary = m_host.AdversaryAt(i);
    const double scale = adversary ? adversary->ClaimScale(m_host.Now()) : m_spec.overclaimFactor;
    ClaimEntry e;
    e.score = ToScoreUnits(scores.scores[i].total * scale);
    e.region = m.nodes[i].region;
    e.application =
        m.nodes[i].applications.empty() ? 0 : static_cast<uint8_t>(m.nodes[i].applications.front());
    e.account = m_spec.nodes[i].account;
    return e;
}

void
CzrLoop::SubmitClaim(uint32_t i, const ClaimEntry& e, CzrEpochReport& rec)
{
    const Node& node = *m_host.FullNode(i);
    ClaimPayload c;
    c.epoch = m_epoch;
    c.score = e.score;
    c.region = e.region;
    c.application = e.application;
    rec.claimed[i] = static_cast<double>(c.score) / kScoreUnits;
    const KeyPair& key = m_genesis.nodeKeys[i];
    const uint64_t nonce = m_nodeNonces.Take(key.GetAddress(), node, m_host.Now());
    const SignerTerms terms = TermsOn(node.Chain());
    Submit(i, MakeTransaction(key, TxType::kContributionClaim, nonce, terms.Bid(1), terms.czc,
                              c.Encode()));
}

ChainMeasures
CzrLoop::MeasureChain(uint64_t firstSlot, uint64_t endSlot) const
{
    ChainMeasures c;
    c.slots = static_cast<uint32_t>(endSlot > firstSlot ? endSlot - firstSlot : 0);
    c.blocksByNode.assign(m_host.NodeCount(), 0);
    const int ref = ReferenceNode(m_host);
    if (ref < 0)
    {
        return c;
    }
    uint64_t bytes = 0, lastSlot = 0, intervalSlots = 0, intervals = 0;
    const Node& node = *m_host.FullNode(static_cast<uint32_t>(ref));
    for (const BlockEntry* e = node.Chain().Best(); e && e->parent; e = e->parent)
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
        auto it = m_genesis.nodeOfKey.find(e->producer);
        if (it != m_genesis.nodeOfKey.end())
        {
            ++c.blocksByNode[it->second];
        }
    }
    c.meanBlockBytes = c.blocks > 0 ? static_cast<double>(bytes) / c.blocks : 0.0;
    c.meanIntervalSeconds = intervals > 0 ? ToSeconds(m_genesis.params->slotDuration) *
                                                static_cast<double>(intervalSlots) /
                                                static_cast<double>(intervals)
                                          : 0.0;
    return c;
}

std::vector<bool>
CzrLoop::ClaimWorthwhile() const
{
    const uint32_t n = m_host.NodeCount();
    std::vector<bool> out(n, true);
    const int ref = ReferenceNode(m_host);
    if (ClaimRankMax() == 0 || ref < 0)
    {
        return out;
    }
    const PopState& pop = m_host.FullNode(static_cast<uint32_t>(ref))->Chain().BestState().Pop();
    if (pop.reportHeight == 0)
    {
        return out; // nothing measured yet: everyone may be a candidate
    }
    // The claim rule's first part: the report's ranking within each (region, application) group.
    std::vector<ClaimEntry> reported;
    for (const auto& [account, e] : pop.observed)
    {
        reported.push_back(RankingEntry(e));
    }
    const std::vector<bool> top = TopWithinGroups(reported, ClaimRankMax());
    std::unordered_map<Address, bool, Hash256Hasher> ranked;
    for (std::size_t k = 0; k < reported.size(); ++k)
    {
        ranked.emplace(reported[k].account, top[k]);
    }
    // A cut report (model/czr/report-cut.h) names each group's best to at least ClaimRankMax
    // places, so a measured node it does not name ranked beyond the bound; a full report names
    // every measured node, so a node it does not name is new to CZR and may claim.
    const bool cut = pop.unnamedCount > 0;
    for (uint32_t i = 0; i < n; ++i)
    {
        auto it = ranked.find(m_spec.nodes[i].account);
        out[i] = it == ranked.end() ? !cut : it->second;
    }
    return out;
}

void
CzrLoop::PublishReport(const CzrReportPayload& report)
{
    const int ref = ReferenceNode(m_host);
    if (ref < 0)
    {
        return;
    }
    const auto i = static_cast<uint32_t>(ref);
    const Node& node = *m_host.FullNode(i);
    const uint64_t nonce = NextWalletNonce(m_oracleNonce, node, m_genesis.oracle.GetAddress());
    Submit(i, MakeTransaction(m_genesis.oracle, TxType::kCzrReport, nonce, FeeInForce(),
                              node.Chain().NextCzc(), report.Encode()));
}

void
CzrLoop::Submit(uint32_t node, const Transaction& tx)
{
    if (m_onSubmitted)
    {
        m_onSubmitted(tx);
    }
    m_host.Submit(node, tx);
}

} // namespace canon
