#include "model/run/run-driver.h"

#include "model/consensus/consensus-engine.h"

namespace canon
{

RunDriver::RunDriver(RunPlan plan)
  : m_plan(std::move(plan))
  , m_genesis(MakeRunGenesis(m_plan.genesis))
  , m_txNumbering(std::make_shared<TxNumbering>(m_plan.limits.seenTxMax))
{
    m_summary.seed = m_plan.seed;
    m_adversaryOf.assign(NodeCount(), -1);
    for (std::size_t k = 0; k < m_plan.adversaries.size(); ++k)
    {
        for (uint32_t i = 0; i < NodeCount(); ++i)
        {
            if (AdversaryRunsOn(m_plan.adversaries[k], i, m_genesis.producerOf))
            {
                m_adversaryOf[i] = static_cast<int>(k);
            }
        }
    }
}

bool
RunDriver::IsLight(uint32_t i) const
{
    const auto& full = m_plan.genesis.fullNode;
    return !full.empty() && !full[i];
}

const AdversarySpec*
RunDriver::AdversaryOn(uint32_t i) const
{
    return m_adversaryOf[i] < 0 ? nullptr
                                : &m_plan.adversaries[static_cast<std::size_t>(m_adversaryOf[i])];
}

bool
RunDriver::IsWithholder(uint32_t i) const
{
    const AdversarySpec* a = AdversaryOn(i);
    return a && a->kind == AdversaryKind::kWithholder;
}

AdversaryConfig
RunDriver::AdversaryConfigFor(const AdversarySpec& spec, const ParticipantSeat& seat) const
{
    AdversaryConfig a;
    a.kind = spec.kind;
    a.key = m_genesis.nodeKeys[seat.id];
    a.seed = m_plan.seed * 1000003 + seat.id;
    a.from = spec.from;
    a.until = spec.until;
    a.overclaimFactor = spec.overclaimFactor;
    for (PeerId p : seat.peers)
    {
        if (p < NodeCount() && IsWithholder(p))
        {
            a.coalition.insert(p);
        }
    }
    a.censored = CensoredAddresses(spec);
    a.variant = spec.variant;
    a.ratePerSecond = spec.rate;
    if (spec.kind == AdversaryKind::kEclipse)
    {
        // Its coalition: the victim and the victim's other attackers that keep a private chain
        // (those on genesis producers, adversary.h).
        a.victim = spec.victim;
        a.coalition = {spec.victim};
        for (const AdversarySpec& other : m_plan.adversaries)
        {
            if (other.kind == AdversaryKind::kEclipse && other.victim == spec.victim &&
                other.node < NodeCount() && m_genesis.producerOf[other.node] >= 0)
            {
                a.coalition.insert(other.node);
            }
        }
        a.coalition.erase(seat.id);
    }
    return a;
}

std::set<Address>
RunDriver::CensoredAddresses(const AdversarySpec& spec) const
{
    std::set<Address> out;
    for (uint32_t account : spec.censoredAccounts)
    {
        if (account < m_genesis.accountKeys.size())
        {
            out.insert(m_genesis.accountKeys[account].GetAddress());
        }
    }
    return out;
}

std::unique_ptr<Participant>
RunDriver::MakeParticipant(const ParticipantSeat& seat) const
{
    if (IsLight(seat.id))
    {
        LightNodeConfig c;
        c.id = seat.id;
        c.params = m_genesis.params;
        c.peers = seat.peers;
        c.limits.staleTipSlots = m_plan.limits.staleTipSlots;
        return std::make_unique<LightNode>(std::move(c));
    }
    NodeConfig c;
    c.id = seat.id;
    c.params = m_genesis.params;
    c.peers = seat.peers;
    c.lightPeers = seat.lightPeers;
    c.limits = m_plan.limits;
    c.txNumbering = m_txNumbering;
    c.lastSignedSlot = seat.lastSignedSlot;
    c.fees = m_plan.feePolicy;
    const int producer = m_genesis.producerOf[seat.id];
    if (producer >= 0 && static_cast<std::size_t>(producer) < m_plan.feeReserves.size())
    {
        c.fees.reserve = m_plan.feeReserves[static_cast<std::size_t>(producer)];
    }
    for (const auto& feature : m_plan.features)
    {
        feature->ConfigureNode(seat.id, c);
    }
    if (const AdversarySpec* spec = AdversaryOn(seat.id))
    {
        return std::make_unique<Adversary>(AdversaryConfigFor(*spec, seat), std::move(c),
                                           seat.lastSignedSlot);
    }
    c.producerKey = m_genesis.nodeKeys[seat.id];
    return std::make_unique<Node>(std::move(c));
}

ParticipantFactory
RunDriver::Factory() const
{
    return [this](const ParticipantSeat& seat) { return MakeParticipant(seat); };
}

void
RunDriver::Attach(RunHost& host, TraceWriter* writer)
{
    std::set<Address> censored;
    for (const AdversarySpec& a : m_plan.adversaries)
    {
        const std::set<Address> mine = CensoredAddresses(a);
        censored.insert(mine.begin(), mine.end());
    }
    m_recorder = std::make_unique<RunRecorder>(writer, m_summary, host, m_genesis, censored);
    // The set in force at genesis as the protocol sees it (the baselines without a schedule:
    // every member).
    const ChainParams& params = *m_genesis.params;
    m_recorder->RecordProducerSet(0.0, 0, MakeConsensusEngine(params)->GenesisProducerSet(params));
    m_recorder->RecordPositions(0);
    std::vector<bool> online(NodeCount());
    for (uint32_t i = 0; i < NodeCount(); ++i)
    {
        online[i] = Online(i);
    }
    m_workload = std::make_unique<Workload>(
        m_plan.workload, host, m_genesis, online, m_plan.genesis.fullNode,
        [this](uint32_t node, uint32_t account, const Transaction& tx)
        { m_recorder->OnSubmitted(node, account, tx); });
    if (m_plan.workload.bidding.active)
    {
        m_recorder->EnableFees(params.fees.mechanism, m_plan.workload.bidding.values);
        m_workload->OnBid(
            [this](uint32_t node, uint32_t account, const Transaction& tx, double valuation)
            { m_recorder->OnBid(node, account, tx, valuation); });
    }
    m_workload->Start();
    if (m_plan.czr)
    {
        m_czr = std::make_unique<CzrLoop>(*m_plan.czr, host, m_genesis, m_nodeNonces,
                                          [this](const CzrEpochReport& e)
                                          { m_recorder->OnCzrEpoch(e); });
        m_czr->OnSubmitted([this](const Transaction& tx) { m_summary.CountSubmitted(tx); });
        m_czr->Start();
    }
    AttachFeatures(host, writer);
    for (const CrashFault& c : m_plan.faults.crashes)
    {
        host.At(c.at, [&host, c] { host.Crash(c.node); });
        if (c.restartAt > c.at)
        {
            host.At(c.restartAt, [&host, c] { host.Restart(c.node); });
        }
    }
}

void
RunDriver::AttachFeatures(RunHost& host, TraceWriter* writer)
{
    const FeatureContext ctx{host,
                             m_genesis,
                             writer,
                             m_plan.seed,
                             [this, &host](uint32_t node, const Transaction& tx)
                             {
                                 m_summary.CountSubmitted(tx);
                                 host.Submit(node, tx);
                             },
                             &m_nodeNonces};
    for (const auto& feature : m_plan.features)
    {
        feature->Attach(ctx);
    }
}

void
RunDriver::OnEvent(uint32_t node, const NodeEvent& ev)
{
    m_recorder->OnEvent(node, ev);
    for (const auto& feature : m_plan.features)
    {
        feature->OnEvent(node, ev);
    }
}

void
RunDriver::Finish()
{
    m_recorder->RecordEnd();
    for (const auto& feature : m_plan.features)
    {
        feature->Finish();
    }
}

std::string
RunDriver::AdversaryKinds() const
{
    std::string kinds;
    for (const AdversarySpec& a : m_plan.adversaries)
    {
        kinds += (kinds.empty() ? "" : ", ") + std::string(AdversaryKindName(a.kind));
    }
    return kinds;
}

RunSummary
RunDriver::Summary() const
{
    RunSummary s =
        m_recorder->Summarize(static_cast<uint32_t>(m_plan.adversaries.size()), AdversaryKinds());
    for (const auto& feature : m_plan.features)
    {
        s.features[feature->Name()] = feature->Figures();
    }
    if (const FeeTotals* fees = FeeFigures())
    {
        s.features["fees"] = FeeSummaryFigures(*fees);
    }
    return s;
}

} // namespace canon
