#include "model/run/run-recorder.h"

#include <algorithm>
#include <cstring>

namespace canon
{

namespace
{

void
CopyText(char (&out)[kDropReasonChars], const std::string& text)
{
    std::memset(out, 0, sizeof out);
    std::memcpy(out, text.data(), std::min(text.size(), sizeof out));
}

} // namespace

RunRecorder::RunRecorder(TraceWriter* writer, RunSummary& summary, const RunHost& host,
                         const RunGenesis& genesis, std::set<Address> censored)
  : m_writer(writer)
  , m_summary(summary)
  , m_host(host)
  , m_genesis(genesis)
  , m_censored(std::move(censored))
  , m_consensus(writer, genesis)
{
    for (const auto& [key, node] : m_genesis.nodeOfKey)
    {
        m_nodeOfAccount[AddressOf(key)] = node;
    }
}

uint32_t
RunRecorder::NodeOf(const PublicKey& key) const
{
    auto it = m_genesis.nodeOfKey.find(key);
    return it == m_genesis.nodeOfKey.end() ? UINT32_MAX : it->second;
}

const BlockEntry*
RunRecorder::Lookup(uint32_t node, const Hash256& hash) const
{
    const Node* n = m_host.FullNode(node);
    return n ? n->Chain().Find(hash) : nullptr;
}

TimeNs
RunRecorder::SlotStartAt(uint32_t node, uint64_t slot) const
{
    const Node* n = m_host.FullNode(node);
    return n ? n->Chain().BestClock().SlotStart(slot) : m_genesis.params->SlotStart(slot);
}

void
RunRecorder::OnEvent(uint32_t node, const NodeEvent& ev)
{
    m_summary.Observe(m_host.Now(), node, ev, SlotStartAt(node, ev.slot));
    switch (ev.kind)
    {
        case NodeEventKind::kBlockProduced:
            return OnProduced(node, ev);
        case NodeEventKind::kBlockAccepted:
            return OnReceived(node, ev);
        case NodeEventKind::kBlockIrreversible:
            return OnIrreversible(node, ev);
        case NodeEventKind::kMessageDropped:
            return OnDropped(node, ev);
        case NodeEventKind::kElection:
            return ev.election ? OnElection(ev) : void();
        case NodeEventKind::kProducerSetActivated:
            return OnActivation(node, ev);
        case NodeEventKind::kTxVerifiedIncluded:
            return OnVerifiedIncluded(node, ev);
        default:
            return;
    }
}

void
RunRecorder::OnProduced(uint32_t node, const NodeEvent& ev)
{
    const BlockEntry* e = Lookup(node, ev.hash);
    BlockProducedRecord r{};
    r.time = Now();
    r.node = node;
    r.producer = ev.producer;
    r.height = ev.height;
    r.slot = ev.slot;
    r.hash = HashPrefix64(ev.hash);
    r.parent = e ? HashPrefix64(e->block->header.parent) : 0;
    r.tx_count = static_cast<uint32_t>(ev.count);
    r.bytes = static_cast<uint32_t>(ev.bytes);
    Add(r);
    if (e)
    {
        AddTransactions(*e, node, TxEvent::kIncluded);
        if (m_fees)
        {
            m_fees->OnProduced(node, *e);
        }
    }
}

void
RunRecorder::OnReceived(uint32_t node, const NodeEvent& ev)
{
    BlockArrivalRecord r{};
    r.time = Now();
    r.node = node;
    r.from_node = ev.peer;
    r.height = ev.height;
    r.slot = ev.slot;
    r.hash = HashPrefix64(ev.hash);
    r.slot_start = ToSeconds(SlotStartAt(node, ev.slot));
    Add(r);
    if (const BlockEntry* e = m_writer ? Lookup(node, ev.hash) : nullptr)
    {
        m_consensus.OnBlock(m_host.FullNode(node)->Chain(), *e, r.time);
    }
}

void
RunRecorder::OnIrreversible(uint32_t node, const NodeEvent& ev)
{
    IrreversibleRecord r{};
    r.time = Now();
    r.node = node;
    r.height = ev.height;
    r.slot = ev.slot;
    r.hash = HashPrefix64(ev.hash);
    r.slot_start = ToSeconds(SlotStartAt(node, ev.slot));
    Add(r);
    if (!m_host.AdversaryAt(node) && ev.height > m_libHeightMax)
    {
        m_libHeightMax = ev.height;
        m_lastFinalityAt = m_host.Now();
    }
    if (m_finalBlocks.insert(ev.hash).second)
    {
        if (const BlockEntry* e = Lookup(node, ev.hash))
        {
            AddTransactions(*e, node, TxEvent::kIrreversible);
            if (m_fees)
            {
                m_fees->OnIrreversible(*e, m_host.Now());
            }
        }
    }
}

// The transport traces connection events under kConnectionEvent (messages.h); the schema
// documents the value it is written as.
static_assert(static_cast<uint8_t>(kConnectionEvent) == kDropConnectionEvent);

void
RunRecorder::OnDropped(uint32_t node, const NodeEvent& ev)
{
    DropRecord r{};
    r.time = Now();
    r.node = node;
    r.peer = ev.peer;
    r.message_type = static_cast<uint8_t>(ev.messageType);
    CopyText(r.reason, ev.reason);
    Add(r);
}

void
RunRecorder::OnVerifiedIncluded(uint32_t node, const NodeEvent& ev)
{
    TransactionRecord r{};
    r.time = Now();
    r.tx = HashPrefix64(ev.hash);
    r.event = static_cast<uint8_t>(TxEvent::kVerifiedIncluded);
    r.node = node;
    r.account = UINT32_MAX;
    r.height = ev.height;
    r.block = HashPrefix64(ev.block);
    Add(r);
}

void
RunRecorder::OnElection(const NodeEvent& ev)
{
    if (!m_elections.insert(ev.hash).second)
    {
        return;
    }
    const ElectionOutcome& o = *ev.election;
    ElectionRecord r{};
    r.time = Now();
    r.height = ev.height;
    r.slot = ev.slot;
    r.block = HashPrefix64(ev.hash);
    r.candidates = static_cast<uint32_t>(o.candidates.size());
    r.elected = static_cast<uint32_t>(o.elected.size());
    CopyText(r.trigger, o.trigger);
    Add(r);
    for (const ElectionCandidate& c : o.candidates)
    {
        ElectionMemberRecord m{};
        m.height = ev.height;
        auto it = m_nodeOfAccount.find(c.account);
        m.node = it == m_nodeOfAccount.end() ? UINT32_MAX : it->second;
        m.claimed = c.claimed;
        m.observed = c.observed;
        m.effective = c.effective;
        m.votes = c.votes;
        m.elected = c.elected ? 1 : 0;
        m.overclaim = c.overclaim ? 1 : 0;
        Add(m);
    }
}

void
RunRecorder::OnActivation(uint32_t node, const NodeEvent& ev)
{
    if (!m_activations.insert(ev.hash).second)
    {
        return;
    }
    if (const BlockEntry* e = Lookup(node, ev.hash))
    {
        RecordProducerSet(Now(), ev.height, *e->activeSet);
    }
}

void
RunRecorder::RecordProducerSet(double time, uint64_t height, const std::vector<PublicKey>& set)
{
    for (uint32_t p = 0; p < set.size(); ++p)
    {
        ProducerSetRecord r{};
        r.time = time;
        r.height = height;
        r.position = p;
        r.node = NodeOf(set[p]);
        Add(r);
    }
}

void
RunRecorder::OnSubmitted(uint32_t node, uint32_t account, const Transaction& tx)
{
    m_summary.CountSubmitted(tx);
    if (!m_censored.empty())
    {
        m_submittedAt.emplace(tx.Id(), m_host.Now());
    }
    TransactionRecord r{};
    r.time = Now();
    r.tx = HashPrefix64(tx.Id());
    r.event = static_cast<uint8_t>(TxEvent::kSubmitted);
    r.node = node;
    r.account = account;
    r.fee = tx.fee;
    Add(r);
}

void
RunRecorder::EnableFees(FeeMechanism mechanism, const ValuationSpec& values)
{
    m_fees = std::make_unique<FeeRecorder>(
        mechanism, m_genesis.params->blockTxMax, values, [this](const BidRecord& r) { Add(r); },
        [this](const ClearingRecord& r) { Add(r); });
}

void
RunRecorder::OnBid(uint32_t node, uint32_t account, const Transaction& tx, double valuation)
{
    if (m_fees)
    {
        m_fees->OnBid(node, account, tx, valuation, m_host.Now());
    }
}

void
RunRecorder::OnCzrEpoch(const CzrEpochReport& epoch)
{
    const auto& m = epoch.measurement;
    for (uint32_t i = 0; i < m.nodes.size(); ++i)
    {
        CzrScoreRecord r{};
        r.time = Now();
        r.epoch = m.epoch;
        r.node = i;
        r.resource = epoch.scores.scores[i].resource;
        r.betweenness = epoch.scores.betweenness[i];
        r.total = epoch.scores.scores[i].total;
        r.claimed = epoch.claimed[i];
        r.bytes_originated = m.nodes[i].bytesOriginated;
        r.bytes_relayed = m.nodes[i].bytesRelayed;
        r.articulation = epoch.scores.articulation[i] ? 1 : 0;
        r.alive = m.nodes[i].alive ? 1 : 0;
        r.blocks = epoch.chain.blocksByNode.empty() ? 0 : epoch.chain.blocksByNode[i];
        Add(r);
    }
    for (const auto& [a, b] : m.activeLinks)
    {
        CzrLinkRecord l{};
        l.time = Now();
        l.epoch = m.epoch;
        l.a = std::min(a, b);
        l.b = std::max(a, b);
        Add(l);
    }
    RecordPositions(m.epoch);
    CzrChainRecord c{};
    c.time = Now();
    c.epoch = m.epoch;
    c.slots = epoch.chain.slots;
    c.blocks = epoch.chain.blocks;
    c.mean_block_bytes = epoch.chain.meanBlockBytes;
    c.mean_interval_s = epoch.chain.meanIntervalSeconds;
    Add(c);
}

void
RunRecorder::RecordPositions(uint64_t epoch)
{
    if (!m_writer)
    {
        return;
    }
    const auto positions = m_host.Positions();
    for (uint32_t i = 0; i < positions.size(); ++i)
    {
        PositionRecord r{};
        r.time = Now();
        r.epoch = epoch;
        r.node = i;
        r.x = positions[i].first;
        r.y = positions[i].second;
        Add(r);
    }
}

void
RunRecorder::AddTransactions(const BlockEntry& e, uint32_t node, TxEvent event)
{
    if (!m_writer)
    {
        return;
    }
    for (const Transaction& tx : e.block->txs)
    {
        TransactionRecord r{};
        r.time = Now();
        r.tx = HashPrefix64(tx.Id());
        r.event = static_cast<uint8_t>(event);
        r.node = node;
        auto it = m_genesis.accountIndex.find(tx.SenderAddress());
        r.account = it == m_genesis.accountIndex.end() ? UINT32_MAX : it->second;
        r.fee = tx.fee;
        r.height = e.height;
        r.block = HashPrefix64(e.hash);
        Add(r);
    }
}

RunSummary
RunRecorder::Summarize(uint32_t byzantine, const std::string& kinds) const
{
    RunSummary s = m_summary;
    s.simulatedTime = m_host.Now();
    s.nodes = m_host.NodeCount();
    s.slotsElapsed = m_genesis.params->SlotAt(s.simulatedTime);
    s.byzantineProducers = byzantine;
    s.byzantineKinds = kinds;
    const int ref = ReferenceNode(m_host);
    if (ref >= 0)
    {
        const Node& node = *m_host.FullNode(static_cast<uint32_t>(ref));
        FillNodes(node, s);
        s.FillFromChain(node.Chain());
        CheckAgreement(node, s);
        if (!m_censored.empty())
        {
            InclusionDelays(node.Chain(), s);
        }
    }
    s.stall = StallNote(s.simulatedTime, m_lastFinalityAt, *m_genesis.params, byzantine);
    return s;
}

// Bytes per node and the irreversible heights of the live honest full nodes.
void
RunRecorder::FillNodes(const Node& ref, RunSummary& s) const
{
    s.libHeightMin = ref.Chain().Lib()->height;
    for (uint32_t i = 0; i < m_host.NodeCount(); ++i)
    {
        const NodeTraffic t = m_host.Traffic(i);
        s.bytesSent += t.sent;
        if (m_host.IsLightNode(i))
        {
            ++s.lightNodes;
            s.bytesSentLight += t.sent;
        }
        const Node* n = m_host.FullNode(i);
        if (n && !m_host.AdversaryAt(i))
        {
            s.libHeightMin = std::min(s.libHeightMin, n->Chain().Lib()->height);
            s.libHeightMax = std::max(s.libHeightMax, n->Chain().Lib()->height);
        }
    }
}

// Slots without a block on the reference node's best chain, with their scheduled producer
// (protocols with a schedule only).
void
RunRecorder::RecordEnd()
{
    if (m_fees)
    {
        m_fees->OnEnd(m_host.Now());
    }
    const int ref = ReferenceNode(m_host);
    if (!m_writer || ref < 0)
    {
        return;
    }
    const ConsensusChain& chain = m_host.FullNode(static_cast<uint32_t>(ref))->Chain();
    RecordWeights(chain);
    m_consensus.RecordEnd(chain);
    std::vector<const BlockEntry*> path;
    for (const BlockEntry* e = chain.Best(); e; e = e->parent)
    {
        path.push_back(e);
    }
    std::reverse(path.begin(), path.end());
    for (std::size_t k = 0; k + 1 < path.size(); ++k)
    {
        for (uint64_t slot = path[k]->slot + 1; slot < path[k + 1]->slot; ++slot)
        {
            const auto scheduled = chain.Engine().ScheduledProducerIndex(*path[k], slot);
            if (!scheduled)
            {
                break; // no schedule: an empty slot is nobody's miss
            }
            MissedSlotRecord r{};
            r.slot = slot;
            r.producer = *scheduled;
            r.slot_start = ToSeconds(chain.ClockOn(*path[k]).SlotStart(slot));
            Add(r);
        }
    }
}

// Each member's weight in the protocol at the reference node's best tip (none under PoP).
void
RunRecorder::RecordWeights(const ConsensusChain& chain)
{
    const std::vector<double> weights = chain.Engine().MemberWeights(*chain.Best());
    const std::vector<PublicKey>& members = chain.Params().consensus.members;
    for (std::size_t i = 0; i < weights.size() && i < members.size(); ++i)
    {
        auto it = m_genesis.nodeOfKey.find(members[i]);
        if (it != m_genesis.nodeOfKey.end())
        {
            Add(ProducerWeightRecord{it->second, weights[i]});
        }
    }
}

// Every live honest node's irreversible chain is a prefix of, or extends, the reference's.
void
RunRecorder::CheckAgreement(const Node& ref, RunSummary& s) const
{
    for (uint32_t i = 0; i < m_host.NodeCount(); ++i)
    {
        const Node* n = m_host.FullNode(i);
        if (!n || m_host.AdversaryAt(i))
        {
            continue;
        }
        const uint64_t h = std::min(n->Chain().Lib()->height, ref.Chain().Lib()->height);
        if (n->Chain().MainChainAt(h)->hash != ref.Chain().MainChainAt(h)->hash)
        {
            s.violations.push_back(
                "agreement: node " + std::to_string(i) + " and node " + std::to_string(ref.Id()) +
                " hold different irreversible blocks at height " + std::to_string(h));
        }
    }
}

// Seconds from submission to the first best-chain block carrying a transfer, for the censored
// accounts and for everyone else.
void
RunRecorder::InclusionDelays(const ConsensusChain& chain, RunSummary& s) const
{
    double censored = 0, other = 0;
    uint64_t nCensored = 0, nOther = 0;
    for (const BlockEntry* e = chain.Best(); e && e->height > 0; e = e->parent)
    {
        for (const Transaction& tx : e->block->txs)
        {
            auto it = m_submittedAt.find(tx.Id());
            if (it == m_submittedAt.end())
            {
                continue;
            }
            const double d =
                ToSeconds(std::max<TimeNs>(0, e->block->header.timestamp - it->second));
            const bool target = m_censored.count(tx.SenderAddress()) > 0;
            (target ? censored : other) += d;
            ++(target ? nCensored : nOther);
        }
    }
    s.censoredDelayMeanSeconds = nCensored ? censored / static_cast<double>(nCensored) : -1;
    s.otherDelayMeanSeconds = nOther ? other / static_cast<double>(nOther) : -1;
}

} // namespace canon
