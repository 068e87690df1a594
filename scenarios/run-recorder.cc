#include "scenarios/run-recorder.h"

#include "ns3/simulator.h"

#include <cstring>

namespace canon
{

using namespace ns3;

namespace
{

double
NowSeconds()
{
    return Simulator::Now().GetSeconds();
}

void
CopyText(char (&out)[kDropReasonChars], const std::string& text)
{
    std::memset(out, 0, sizeof out);
    std::memcpy(out, text.data(), std::min(text.size(), sizeof out));
}

} // namespace

RunRecorder::RunRecorder(TraceWriter& writer, RunSummary& summary, const ChainParams& params,
                         const std::vector<Ptr<CanonNodeApplication>>& apps,
                         std::map<PublicKey, uint32_t> nodeOfKey,
                         std::map<Address, uint32_t> accountIndex)
  : m_writer(writer)
  , m_summary(summary)
  , m_params(params)
  , m_apps(apps)
  , m_nodeOfKey(std::move(nodeOfKey))
  , m_accountIndex(std::move(accountIndex))
{
    for (const auto& [key, node] : m_nodeOfKey)
    {
        m_nodeOfAccount[AddressOf(key)] = node;
    }
}

void
RunRecorder::Connect()
{
    for (const auto& app : m_apps)
    {
        app->TraceConnectWithoutContext("BlockProduced",
                                        MakeCallback(&RunRecorder::OnProduced, this));
        app->TraceConnectWithoutContext("BlockReceived",
                                        MakeCallback(&RunRecorder::OnReceived, this));
        app->TraceConnectWithoutContext("BlockIrreversible",
                                        MakeCallback(&RunRecorder::OnIrreversible, this));
        app->TraceConnectWithoutContext("MessageDropped",
                                        MakeCallback(&RunRecorder::OnDropped, this));
        app->TraceConnectWithoutContext("OtherEvent", MakeCallback(&RunRecorder::OnOther, this));
    }
}

uint32_t
RunRecorder::NodeOf(const PublicKey& key) const
{
    auto it = m_nodeOfKey.find(key);
    return it == m_nodeOfKey.end() ? UINT32_MAX : it->second;
}

void
RunRecorder::Observe(uint32_t node, const NodeEvent& ev)
{
    m_summary.Observe(Simulator::Now().GetNanoSeconds(), node, ev, m_params);
}

const BlockEntry*
RunRecorder::Lookup(uint32_t node, const Hash256& hash) const
{
    const Node* n = m_apps[node]->GetCanonNode();
    return n ? n->Chain().Find(hash) : nullptr;
}

void
RunRecorder::OnProduced(uint32_t node, const NodeEvent& ev)
{
    Observe(node, ev);
    const BlockEntry* e = Lookup(node, ev.hash);
    BlockProducedRecord r{};
    r.time = NowSeconds();
    r.node = node;
    r.producer = ev.producer;
    r.height = ev.height;
    r.slot = ev.slot;
    r.hash = HashPrefix64(ev.hash);
    r.parent = e ? HashPrefix64(e->block->header.parent) : 0;
    r.tx_count = static_cast<uint32_t>(ev.count);
    r.bytes = static_cast<uint32_t>(ev.bytes);
    m_writer.Add(r);
    if (e)
    {
        AddTransactions(*e, node, TxEvent::kIncluded);
    }
}

void
RunRecorder::OnReceived(uint32_t node, const NodeEvent& ev)
{
    Observe(node, ev);
    BlockArrivalRecord r{};
    r.time = NowSeconds();
    r.node = node;
    r.from_node = ev.peer;
    r.height = ev.height;
    r.slot = ev.slot;
    r.hash = HashPrefix64(ev.hash);
    r.slot_start = ToSeconds(m_params.SlotStart(ev.slot));
    m_writer.Add(r);
}

void
RunRecorder::OnIrreversible(uint32_t node, const NodeEvent& ev)
{
    Observe(node, ev);
    IrreversibleRecord r{};
    r.time = NowSeconds();
    r.node = node;
    r.height = ev.height;
    r.slot = ev.slot;
    r.hash = HashPrefix64(ev.hash);
    r.slot_start = ToSeconds(m_params.SlotStart(ev.slot));
    m_writer.Add(r);
    if (m_finalBlocks.insert(ev.hash).second)
    {
        if (const BlockEntry* e = Lookup(node, ev.hash))
        {
            AddTransactions(*e, node, TxEvent::kIrreversible);
        }
    }
}

void
RunRecorder::OnDropped(uint32_t node, const NodeEvent& ev)
{
    Observe(node, ev);
    DropRecord r{};
    r.time = NowSeconds();
    r.node = node;
    r.peer = ev.peer;
    r.message_type = static_cast<uint8_t>(ev.messageType);
    CopyText(r.reason, ev.reason);
    m_writer.Add(r);
}

void
RunRecorder::OnOther(uint32_t node, const NodeEvent& ev)
{
    Observe(node, ev);
    if (ev.kind == NodeEventKind::kElection && ev.election)
    {
        OnElection(ev);
    }
    else if (ev.kind == NodeEventKind::kProducerSetActivated)
    {
        OnActivation(node, ev);
    }
    else if (ev.kind == NodeEventKind::kTxVerifiedIncluded)
    {
        TransactionRecord r{};
        r.time = NowSeconds();
        r.tx = HashPrefix64(ev.hash);
        r.event = static_cast<uint8_t>(TxEvent::kVerifiedIncluded);
        r.node = node;
        r.account = UINT32_MAX;
        r.height = ev.height;
        r.block = HashPrefix64(ev.block);
        m_writer.Add(r);
    }
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
    r.time = NowSeconds();
    r.height = ev.height;
    r.slot = ev.slot;
    r.block = HashPrefix64(ev.hash);
    r.candidates = static_cast<uint32_t>(o.candidates.size());
    r.elected = static_cast<uint32_t>(o.elected.size());
    CopyText(r.trigger, o.trigger);
    m_writer.Add(r);
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
        m_writer.Add(m);
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
        RecordProducerSet(NowSeconds(), ev.height, *e->activeSet);
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
        m_writer.Add(r);
    }
}

void
RunRecorder::OnSubmitted(uint32_t node, uint32_t account, const Transaction& tx)
{
    ++m_summary.txSubmitted;
    TransactionRecord r{};
    r.time = NowSeconds();
    r.tx = HashPrefix64(tx.Id());
    r.event = static_cast<uint8_t>(TxEvent::kSubmitted);
    r.node = node;
    r.account = account;
    r.fee = tx.fee;
    m_writer.Add(r);
}

void
RunRecorder::OnCzrEpoch(const CzrEpochReport& epoch)
{
    const auto& m = epoch.measurement;
    for (uint32_t i = 0; i < m.nodes.size(); ++i)
    {
        CzrScoreRecord r{};
        r.time = NowSeconds();
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
        m_writer.Add(r);
    }
    CzrChainRecord c{};
    c.time = NowSeconds();
    c.epoch = m.epoch;
    c.slots = epoch.chain.slots;
    c.blocks = epoch.chain.blocks;
    c.mean_block_bytes = epoch.chain.meanBlockBytes;
    c.mean_interval_s = epoch.chain.meanIntervalSeconds;
    m_writer.Add(c);
}

void
RunRecorder::AddTransactions(const BlockEntry& e, uint32_t node, TxEvent event)
{
    for (const Transaction& tx : e.block->txs)
    {
        TransactionRecord r{};
        r.time = NowSeconds();
        r.tx = HashPrefix64(tx.Id());
        r.event = static_cast<uint8_t>(event);
        r.node = node;
        auto it = m_accountIndex.find(tx.SenderAddress());
        r.account = it == m_accountIndex.end() ? UINT32_MAX : it->second;
        r.fee = tx.fee;
        r.height = e.height;
        r.block = HashPrefix64(e.hash);
        m_writer.Add(r);
    }
}

} // namespace canon
