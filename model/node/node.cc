#include "model/node/node.h"

#include "model/chain/block-validator.h"
#include "model/chain/merkle.h"
#include "model/governance/in-force.h"
#include "model/node/dropped-message.h"

#include <algorithm>

namespace canon
{

const char*
NodeEventKindName(NodeEventKind k)
{
    switch (k)
    {
        case NodeEventKind::kBlockProduced:
            return "block-produced";
        case NodeEventKind::kBlockAccepted:
            return "block-accepted";
        case NodeEventKind::kBlockIrreversible:
            return "block-irreversible";
        case NodeEventKind::kReorg:
            return "reorg";
        case NodeEventKind::kTxAccepted:
            return "tx-accepted";
        case NodeEventKind::kTxIncluded:
            return "tx-included";
        case NodeEventKind::kMessageDropped:
            return "message-dropped";
        case NodeEventKind::kEquivocation:
            return "equivocation";
        case NodeEventKind::kSyncRequested:
            return "sync-requested";
        case NodeEventKind::kElection:
            return "election";
        case NodeEventKind::kProducerSetActivated:
            return "producer-set-activated";
        case NodeEventKind::kHeaderAccepted:
            return "header-accepted";
        case NodeEventKind::kTxVerifiedIncluded:
            return "tx-verified-included";
        case NodeEventKind::kFinalityViolation:
            return "finality-violation";
        case NodeEventKind::kCallbackSent:
            return "callback-sent";
        case NodeEventKind::kCallbackArrived:
            return "callback-arrived";
    }
    return "unknown";
}

Node::Node(NodeConfig config)
  : m_config(std::move(config))
  , m_chain(m_config.params)
  , m_mempool(m_config.limits.mempoolTxMax)
  , m_lastSignedSlot(m_config.lastSignedSlot)
  , m_seenTx(m_config.txNumbering, m_config.limits.seenTxMax)
  , m_seenBlocks(m_config.limits.seenBlockMax)
  , m_seenEvidence(1024)
  , m_orphans(m_config.limits.orphanMax, m_config.limits.orphanBytesMax)
  , m_txBlock(m_config.limits.txIndexMax)
  , m_guard(m_config.limits.guard)
{
    m_knownProducers.insert(m_config.params->producers.begin(), m_config.params->producers.end());
    const auto& members = m_config.params->consensus.members;
    m_knownProducers.insert(members.begin(), members.end());
    m_poolCzc = m_chain.NextCzc();
}

bool
Node::IsProducer() const
{
    const auto& set = *m_chain.Best()->activeSet;
    return m_config.producerKey &&
           std::find(set.begin(), set.end(), m_config.producerKey->Public()) != set.end();
}

void
Node::SetPeers(std::vector<PeerId> peers, std::set<PeerId> lightPeers)
{
    m_config.peers = NormalizedPeers(std::move(peers), m_config.id);
    m_config.lightPeers.clear();
    for (PeerId p : lightPeers)
    {
        if (std::binary_search(m_config.peers.begin(), m_config.peers.end(), p))
        {
            m_config.lightPeers.insert(p);
        }
    }
}

void
Node::OnStart(TimeNs now, Actions& out)
{
    const SlotClock p = m_chain.BestClock(); // T may change by governance (issue 18)
    m_now = now;
    m_nextSlotAt = p.SlotStart(p.SlotAt(now) + 1);
    // A node that (re)starts after genesis asks its peers for what it missed.
    if (p.SlotAt(now) > m_config.limits.staleTipSlots * m_chain.Engine().NominalIntervalSlots())
    {
        for (PeerId peer : m_config.peers)
        {
            if (!IsLight(peer))
            {
                RequestSync(now, peer, out);
            }
        }
    }
    ArmTimer(out);
}

void
Node::OnMessage(TimeNs now, const MessageInput& in, Actions& out)
{
    m_now = now;
    if (in.bytes && IsCallbackMessage(*in.bytes))
    {
        m_contractHook.OnCallback(now, in, out);
        return;
    }
    if (NodeService* service = ServiceFor(in))
    {
        service->OnMessage(Context(), in, out);
        return;
    }
    const std::size_t firstEvent = out.events.size(); // what this message caused, for the guard
    auto decoded = m_guard.Admit(now, in, m_counters.messagesDropped, out);
    if (!decoded)
    {
        m_guard.Observe(now, in.from, firstEvent, out);
        return;
    }
    auto& m = *decoded;
    switch (m.type)
    {
        case MessageType::kTransaction:
            HandleTransaction(now, std::get<TxPtr>(m.body), in.bytes, in.from, out);
            break;
        case MessageType::kBlock:
        {
            auto& [block, size] = std::get<std::pair<BlockPtr, std::size_t>>(m.body);
            HandleBlock(now, block, size, in.bytes, in.from, true, out);
            SettleBlockFetch(now, *block, in.from, out);
            break;
        }
        case MessageType::kGetBlocks:
            HandleGetBlocks(std::get<GetBlocksMessage>(m.body), in.from, out);
            break;
        case MessageType::kBlocks:
            HandleBlocks(now, std::get<BlocksMessage>(m.body), in.from, out);
            break;
        case MessageType::kEvidence:
            HandleEvidence(std::get<EquivocationEvidence>(m.body), in.from, out);
            break;
        case MessageType::kGetHeaders:
            HandleGetHeaders(std::get<GetHeadersMessage>(m.body), in.from, out);
            break;
        case MessageType::kGetProof:
            HandleGetProof(now, std::get<GetProofMessage>(m.body), in.from, out);
            break;
        case MessageType::kAnnounceBlock:
            HandleAnnounceBlock(now, std::get<BlockHeader>(m.body), in.from, out);
            break;
        case MessageType::kGetBlock:
            HandleGetBlock(std::get<GetBlockMessage>(m.body), in.from, out);
            break;
        case MessageType::kAnnounceTxs:
            HandleAnnounceTxs(now, std::get<TxIdsMessage>(m.body), in.from, out);
            break;
        case MessageType::kGetTxs:
            HandleGetTxs(std::get<TxIdsMessage>(m.body), in.from, out);
            break;
        case MessageType::kTxs:
            for (const TxPtr& tx : std::get<TxsMessage>(m.body).txs)
            {
                HandleTransaction(now, tx, nullptr, in.from, out);
            }
            break;
        case MessageType::kCompactBlock:
            HandleCompactBlock(now, std::get<CompactBlockMessage>(m.body), in.from, out);
            break;
        case MessageType::kGetBlockTxn:
            HandleGetBlockTxn(std::get<GetBlockTxnMessage>(m.body), in.from, out);
            break;
        case MessageType::kBlockTxn:
            HandleBlockTxn(now, std::move(std::get<BlockTxnMessage>(m.body)), in.from, out);
            break;
        case MessageType::kHeader:
        case MessageType::kHeaders:
        case MessageType::kProof:
            Drop(std::string("a full node does not take ") + MessageTypeName(m.type), m.type,
                 in.from, out);
            break;
        case MessageType::kDataRequest: // never decoded here: DataNodeService owns them
        case MessageType::kDataResponse:
        case MessageType::kDhtFindProviders: // storage: DecodeMessage refuses them
        case MessageType::kDhtProviders:
        case MessageType::kDhtAddProvider:
        case MessageType::kWantContent:
        case MessageType::kContentBlocks:
        case MessageType::kDontHave:
        case MessageType::kOverlayRelay:
            break;
    }
    m_guard.Observe(now, in.from, firstEvent, out);
    ArmTimer(out);
}

void
Node::OnSubmit(TimeNs now, const Transaction& tx, Actions& out)
{
    m_now = now;
    m_contractHook.NoteSubmitted(tx, now);
    HandleTransaction(now, ShareTransaction(tx), nullptr, std::nullopt, out);
    ArmTimer(out);
}

void
Node::OnSlot(TimeNs now, Actions& out)
{
    m_now = now;
    m_timerAt = 0; // fired: whatever is due next needs a new timer
    if (now >= m_nextSlotAt || (m_produceAt != 0 && now >= m_produceAt))
    {
        SlotTick(now, out);
    }
    if (!IsPush())
    {
        ExpireFetches(now, out);
        if (m_txAnnounceAt != 0 && now >= m_txAnnounceAt)
        {
            FlushTxAnnouncements(out);
        }
    }
    ArmTimer(out);
}

void
Node::SlotTick(TimeNs now, Actions& out)
{
    const SlotClock p = m_chain.BestClock();
    const uint64_t slot = p.SlotAt(now);
    if (now >= m_nextSlotAt)
    {
        m_nextSlotAt = p.SlotStart(slot + TickSlots());
    }
    const BlockEntry* best = m_chain.Best();
    if (MayProduce(best, slot))
    {
        Produce(now, slot, out);
        return;
    }
    // A stale tip: ask the next full peer in turn (one request per tick at most).
    const uint64_t staleSlots =
        m_config.limits.staleTipSlots * m_chain.Engine().NominalIntervalSlots();
    if (slot > best->slot + staleSlots)
    {
        for (std::size_t tries = 0; tries < m_config.peers.size(); ++tries)
        {
            const PeerId peer = m_config.peers[m_syncCursor++ % m_config.peers.size()];
            if (!IsLight(peer))
            {
                RequestSync(now, peer, out);
                break;
            }
        }
    }
}

bool
Node::MayProduce(const BlockEntry* best, uint64_t slot) const
{
    return m_config.producerKey && slot > best->slot && slot > m_lastSignedSlot &&
           m_chain.MayProduce(best, *m_config.producerKey, slot);
}

uint64_t
Node::TickSlots() const
{
    const ConsensusEngine& engine = m_chain.Engine();
    return engine.PlanningHorizon() > 1 ? std::max<uint64_t>(1, engine.NominalIntervalSlots()) : 1;
}

void
Node::PlanProduction()
{
    const ConsensusEngine& engine = m_chain.Engine();
    const BlockEntry* best = m_chain.Best();
    if (!m_config.producerKey || engine.PlanningHorizon() <= 1 ||
        (best->hash == m_planParent && m_produceAt > m_now))
    {
        return;
    }
    // From the next slot: a success in the slot under way is taken by SlotTick or lost.
    const SlotClock p = m_chain.BestClock();
    const uint64_t from = std::max({p.SlotAt(m_now) + 1, best->slot + 1, m_lastSignedSlot + 1});
    const uint64_t horizon = engine.PlanningHorizon();
    const auto slot =
        engine.NextProductionSlot(*best, m_config.producerKey->Public(), from, horizon);
    // Nothing within the horizon: wake at its end and look again.
    m_produceAt = p.SlotStart(slot ? *slot : from + horizon);
    m_planParent = best->hash;
}

void
Node::Produce(TimeNs now, uint64_t slot, Actions& out)
{
    const BlockEntry* parent = m_chain.Best();
    auto block = std::make_shared<Block>(AssembleBlock(
        m_chain, *parent, slot, *m_config.producerKey, {m_lastSignedSlot, m_lastSignedHeight},
        m_mempool, EvidenceTransactions(*parent->state, parent->height + 1), nullptr,
        &m_config.fees));
    m_lastSignedSlot = slot;
    m_lastSignedHeight = block->header.height;

    SharedBytes bytes = EncodeBlockMessage(*block);
    const std::size_t size = bytes->size() - 2;
    NodeEvent ev;
    ev.kind = NodeEventKind::kBlockProduced;
    ev.hash = block->Hash();
    ev.height = block->header.height;
    ev.slot = slot;
    ev.count = block->txs.size();
    ev.bytes = size;
    ev.producer = m_chain.ProducerFor(parent, block->header);
    out.events.push_back(ev);
    for (const Transaction& tx : block->txs)
    {
        NodeEvent inc;
        inc.kind = NodeEventKind::kTxIncluded;
        inc.hash = tx.Id();
        inc.block = ev.hash;
        inc.height = ev.height;
        inc.slot = slot;
        inc.producer = ev.producer;
        out.events.push_back(inc);
    }
    ++m_counters.blocksProduced;
    HandleBlock(now, block, size, bytes, std::nullopt, true, out);
}

Block
AssembleBlock(const ConsensusChain& chain, const BlockEntry& parent, uint64_t slot,
              const KeyPair& key, const ProducerMemory& memory, const Mempool& pool,
              std::vector<Transaction> leading, const std::set<Address>* exclude,
              const FeeProducerPolicy* fees)
{
    const ChainParams& p = chain.Params();
    Block block;
    block.header.height = parent.height + 1;
    block.header.slot = slot;
    block.header.parent = parent.hash;
    block.header.timestamp = chain.ClockOn(parent).SlotStart(slot);
    block.header.proof = chain.Engine().MakeProof(parent, key, slot, memory);
    LedgerState scratch = *parent.state;
    TxContext ctx = MakeTxContext(p, block.header.height, key.GetAddress(), block.header.timestamp);
    ctx.baseFee = scratch.Fees().baseFee; // EIP-1559 chains (0 on others)
    // Leave room for the header, the count and the leading transactions in the byte budget.
    std::size_t reserved = 256;
    for (Transaction& tx : leading)
    {
        if (block.txs.size() < p.blockTxMax && scratch.ApplyTransaction(tx, ctx).IsOk())
        {
            reserved += tx.EncodedSize();
            block.txs.push_back(std::move(tx));
        }
    }
    // The maximum block size in force on the parent's chain (model/governance/in-force.h).
    const uint64_t sizeMax = BlockSizeMaxIn(p, parent.state->Governance());
    const std::size_t budget = sizeMax > reserved ? sizeMax - reserved : 0;
    const auto room = p.blockTxMax - static_cast<uint32_t>(block.txs.size());
    std::vector<Transaction> chosen;
    if (fees && fees->active)
    {
        // One candidate past the room: the auction needs the highest excluded bid. The mempool
        // ranks by bid, which under EIP-1559 is the cap, not the effective tip the producer
        // ranks by: there every pending transaction is a candidate (bounded by the mempool).
        LedgerState view = scratch;
        const FillTerms terms{p.fees.mechanism, scratch.Fees().baseFee, room, budget,
                              ctx.activeCzc};
        const bool byTip = p.fees.mechanism == FeeMechanism::kEip1559;
        const auto candidates = static_cast<uint32_t>(
            byTip ? std::min<std::size_t>(pool.Size(), UINT32_MAX) : std::size_t{room} + 1);
        FilledBlock filled = FillBlock(pool.Select(view, ctx, candidates, SIZE_MAX, exclude),
                                       scratch, ctx, terms, *fees, key);
        chosen = std::move(filled.txs);
        block.header.feePrice = filled.feePrice;
    }
    else
    {
        chosen = pool.Select(scratch, ctx, room, budget, exclude);
    }
    block.txs.insert(block.txs.end(), std::make_move_iterator(chosen.begin()),
                     std::make_move_iterator(chosen.end()));
    block.header.txRoot = block.ComputeTxRoot();
    block.header.SignWith(key);
    return block;
}

std::vector<Transaction>
Node::EvidenceTransactions(const LedgerState& state, uint64_t height) const
{
    // The producer itself turns the evidence it holds into transactions, fee-free and signed
    // with its own key: evidence needs no wallet, and the reward share pays for the slot space.
    std::vector<Transaction> out;
    const KeyPair& key = *m_config.producerKey;
    for (const EquivocationEvidence& ev : m_evidence)
    {
        if (out.size() >=
                std::min<std::size_t>(kEvidencePerBlockMax, m_chain.Params().blockTxMax) ||
            ev.first.producer == key.Public() || state.Pop().slashed.count(ev.first.producer))
        {
            continue;
        }
        // The CZC hash of the block's chain: governance's, if it adopted one (issue 18).
        const Hash256 czc = state.Governance().ActiveCzc(m_chain.Params().CzcHashAt(height));
        out.push_back(MakeTransaction(key, TxType::kEvidence,
                                      state.NonceOf(key.GetAddress()) + out.size(), 0, czc,
                                      ev.Encode()));
    }
    return out;
}

void
Node::HandleTransaction(TimeNs now, const TxPtr& shared, const SharedBytes& wire,
                        std::optional<PeerId> from, Actions& out)
{
    const Transaction& tx = shared->Tx();
    const Hash256& id = shared->Id();
    // Who announced it to us need not hear of it from us (announce and compact modes).
    std::vector<PeerId> announcers;
    if (auto it = m_txFetches.find(id); it != m_txFetches.end())
    {
        announcers = std::move(it->second.announcers);
        m_txFetches.erase(it);
    }
    if (!m_seenTx.Insert(id))
    {
        ++m_counters.duplicates;
        return;
    }
    const BlockEntry* best = m_chain.Best();
    if (tx.czcHash != m_chain.NextCzc())
    {
        Drop("transaction " + ShortHex(id) + ": stale CZC hash", MessageType::kTransaction, from,
             out);
        return;
    }
    if (!shared->HasValidSignature())
    {
        Drop("transaction " + ShortHex(id) + ": bad signature", MessageType::kTransaction, from,
             out);
        return;
    }
    const ChainParams& p = m_chain.Params();
    Status s =
        m_mempool.Add(shared, *best->state, MakeTxContext(p, best->height + 1, Address{}, now),
                      FeeFloorIn(p, best->state->Governance()));
    if (!s.IsOk())
    {
        Drop("transaction " + ShortHex(id) + ": " + s.ToString(), MessageType::kTransaction, from,
             out);
        return;
    }
    NodeEvent ev;
    ev.kind = NodeEventKind::kTxAccepted;
    ev.hash = id;
    ev.peer = from.value_or(m_config.id);
    out.events.push_back(ev);
    RelayTransaction(now, *shared, wire, from, announcers, out);
}

void
Node::CheckEquivocation(TimeNs now, const BlockHeader& header, Actions& out)
{
    // Only headers that could be real count: a producer's key, a valid signature, not from the
    // future. Anything else could be forged by anyone and says nothing about the producer.
    if (!PlausibleHeader(now, header))
    {
        return;
    }
    if (auto ev = m_detector.Observe(header))
    {
        HandleEvidence(*ev, std::nullopt, out);
    }
}

void
Node::HandleBlock(TimeNs now, BlockPtr block, std::size_t size, const SharedBytes& wire,
                  std::optional<PeerId> from, bool relay, Actions& out, const Hash256* knownCopy)
{
    const Hash256 hash = block->Hash();
    // The cache and the orphan pool know blocks by their full encoding: the block hash leaves out
    // the signature and the body, so a forged copy of a header must not make the real block look
    // judged. Seen means judged (accepted or rejected); an orphan is not judged yet and stays
    // fetchable if the pool has to evict it.
    const Hash256 copy = knownCopy ? *knownCopy
                         : wire    ? Blake2b256(wire->data() + 2, wire->size() - 2)
                                   : Blake2b256(block->Encode());
    if (m_seenBlocks.Contains(copy) || m_orphans.Contains(copy) || m_chain.Find(hash))
    {
        ++m_counters.duplicates;
        return;
    }
    CheckEquivocation(now, block->header, out);
    AddBlockResult r = m_chain.AddBlock(block, size, now);
    if (r.status.Code() == StatusCode::kUnknownParent)
    {
        AddOrphan(now, block, size, copy, from, out);
        return;
    }
    // A block too early for this node's clock may be fine later: not judged.
    if (r.status.Code() != StatusCode::kTooEarly)
    {
        m_seenBlocks.Insert(copy);
    }
    if (!r.status.IsOk())
    {
        Drop("block " + ShortHex(hash) + ": " + r.status.ToString(), MessageType::kBlock, from,
             out);
        return;
    }
    if (relay)
    {
        RelayBlock(block, wire, from, out);
    }
    Accepted(r, from, out);
    ConnectOrphans(now, hash, out);
}

void
Node::Accepted(const AddBlockResult& r, std::optional<PeerId> from, Actions& out)
{
    ++m_counters.blocksAccepted;
    m_blockFetches.erase(r.entry->hash);
    if (!m_txFetches.empty())
    {
        for (const Hash256& id : TxIdsOf(*r.entry->block))
        {
            m_txFetches.erase(id); // carried by the block now: no need to fetch it
        }
    }
    ServeLightPeers(*r.entry, out);
    if (r.entry->activeSet != m_lastActiveSet)
    {
        m_lastActiveSet = r.entry->activeSet;
        m_knownProducers.insert(m_lastActiveSet->begin(), m_lastActiveSet->end());
    }
    if (r.election)
    {
        NodeEvent ee;
        ee.kind = NodeEventKind::kElection;
        ee.hash = r.entry->hash;
        ee.height = r.entry->height;
        ee.slot = r.entry->slot;
        ee.count = r.election->elected.size();
        ee.reason = r.election->trigger;
        ee.election = r.election;
        out.events.push_back(ee);
    }
    if (r.producerSetActivated)
    {
        NodeEvent ae;
        ae.kind = NodeEventKind::kProducerSetActivated;
        ae.hash = r.entry->hash;
        ae.height = r.entry->height;
        ae.slot = r.entry->slot;
        out.events.push_back(ae);
    }
    NodeEvent ev;
    ev.kind = NodeEventKind::kBlockAccepted;
    ev.hash = r.entry->hash;
    ev.height = r.entry->height;
    ev.slot = r.entry->slot;
    ev.count = r.entry->block->txs.size();
    ev.bytes = r.entry->encodedSize;
    ev.producer = r.entry->producerIndex;
    ev.peer = from.value_or(m_config.id);
    out.events.push_back(ev);
    if (!r.bestChanged)
    {
        return;
    }
    if (!r.disconnected.empty())
    {
        ++m_counters.reorgs;
        NodeEvent re;
        re.kind = NodeEventKind::kReorg;
        re.hash = r.entry->hash;
        re.height = r.entry->height;
        re.count = r.disconnected.size();
        out.events.push_back(re);
        // Transactions of the abandoned branch go back to the pool if still applicable.
        for (const auto& b : r.disconnected)
        {
            for (const auto& tx : b->txs)
            {
                m_mempool.Add(ShareTransaction(tx), m_chain.BestState(),
                              MakeTxContext(m_chain.Params(), r.entry->height + 1, Address{},
                                            r.entry->block->header.timestamp),
                              FeeFloorIn(m_chain.Params(), m_chain.BestState().Governance()));
            }
        }
    }
    m_mempool.RemoveApplied(m_chain.BestState());
    if (m_chain.NextCzc() != m_poolCzc)
    {
        // A new CZC hash (issue 18): what the pool holds under the old one can never be included,
        // and would hold its senders' later nonces back; their wallets sign again.
        m_poolCzc = m_chain.NextCzc();
        m_mempool.RemoveStaleCzc(m_poolCzc);
    }
    m_contractHook.OnBestTip(*m_chain.Best(), m_config.peers, m_now, out);
    for (const auto& service : m_config.services)
    {
        service->OnBestTip(Context(), out);
    }
    if (r.finalityViolationDepth > 0)
    {
        NodeEvent fv;
        fv.kind = NodeEventKind::kFinalityViolation;
        fv.hash = m_chain.Lib()->hash;
        fv.height = m_chain.Lib()->height;
        fv.count = r.finalityViolationDepth;
        out.events.push_back(fv);
    }
    for (const BlockEntry* e : r.newlyIrreversible)
    {
        NodeEvent fe;
        fe.kind = NodeEventKind::kBlockIrreversible;
        fe.hash = e->hash;
        fe.height = e->height;
        fe.slot = e->slot;
        fe.count = e->block->txs.size();
        fe.producer = e->producerIndex;
        out.events.push_back(fe);
    }
}

bool
Node::PlausibleHeader(TimeNs now, const BlockHeader& header) const
{
    // Cheap checks first; the signature last. The slot is bounded before anything computes a
    // time from it (a huge slot would overflow).
    return m_chain.PlausibleTiming(header, now) && m_knownProducers.count(header.producer) != 0 &&
           header.HasValidSignature();
}

void
Node::AddOrphan(TimeNs now, BlockPtr block, std::size_t size, const Hash256& copy,
                std::optional<PeerId> from, Actions& out)
{
    // Not the producer set: a node that is behind does not know the producers elected since,
    // and must be able to hold their blocks until it has their ancestors. Nor is an implausible
    // orphan remembered as judged: the same bytes may arrive again, and be real, by sync.
    const ChainParams& params = m_chain.Params();
    if (size > BlockSizeBound(params) || !m_chain.PlausibleTiming(block->header, now) ||
        !block->header.HasValidSignature() || block->ComputeTxRoot() != block->header.txRoot)
    {
        Drop("orphan block " + ShortHex(block->Hash()) +
                 ": implausible (size, slot, signature or Merkle root)",
             MessageType::kBlock, from, out);
        return;
    }
    // The pool is bounded in count and bytes; the oldest orphans go first.
    m_orphans.Add(copy, {block->Hash(), block->header.parent, size, block});
    m_blockFetches.erase(block->Hash()); // we hold it now; its parent comes by sync
    if (from)
    {
        RequestSync(now, *from, out);
    }
}

void
Node::ConnectOrphans(TimeNs now, const Hash256& parent, Actions& out)
{
    m_orphans.Connect(parent, [&](const Hash256& copy, const OrphanPool<BlockPtr>::Orphan& o)
                      { return AdoptOrphan(now, copy, o.value, o.bytes, out); });
}

OrphanFate
Node::AdoptOrphan(TimeNs now, const Hash256& copy, BlockPtr block, std::size_t size, Actions& out)
{
    m_seenBlocks.Insert(copy);
    AddBlockResult r = m_chain.AddBlock(std::move(block), size, now);
    if (r.status.IsOk())
    {
        Accepted(r, std::nullopt, out);
        return OrphanFate::kJoined;
    }
    if (r.status.Code() != StatusCode::kDuplicate)
    {
        Drop("orphan block " + ShortHex(copy) + ": " + r.status.ToString(), MessageType::kBlock,
             std::nullopt, out);
    }
    return OrphanFate::kRejected;
}

void
Node::RequestSync(TimeNs now, PeerId peer, Actions& out, std::optional<Hash256> after)
{
    auto it = m_lastSyncRequest.find(peer);
    if (it != m_lastSyncRequest.end() && now - it->second < m_chain.Params().slotDuration)
    {
        return;
    }
    m_lastSyncRequest[peer] = now;
    ++m_counters.syncRequests;
    GetBlocksMessage m;
    m.locator = m_chain.Locator();
    if (after)
    {
        m.locator.insert(m.locator.begin(), *after);
        if (m.locator.size() > kLocatorMax)
        {
            m.locator.erase(m.locator.end() - 2); // keep genesis, the locator's last entry
        }
    }
    out.sends.push_back({peer, MessageType::kGetBlocks, EncodeGetBlocksMessage(m), false});
    NodeEvent ev;
    ev.kind = NodeEventKind::kSyncRequested;
    ev.peer = peer;
    ev.height = m_chain.Best()->height;
    out.events.push_back(ev);
}

void
Node::HandleGetBlocks(const GetBlocksMessage& m, PeerId from, Actions& out)
{
    uint32_t max = std::min(m.maxBlocks, kSyncBatchMax);
    auto blocks = m_chain.BlocksAfter(m.locator, max, kSyncBatchBytesMax);
    out.sends.push_back({from, MessageType::kBlocks, EncodeBlocksMessage(blocks), true});
}

void
Node::HandleBlocks(TimeNs now, const BlocksMessage& m, PeerId from, Actions& out)
{
    if (m.blocks.empty())
    {
        return;
    }
    const uint64_t before = m_chain.Best()->height;
    const Hash256 last = m.blocks.back().first->Hash();
    const bool lastWasKnown = m_chain.Find(last) != nullptr;
    for (const auto& [block, size] : m.blocks)
    {
        HandleBlock(now, block, size, nullptr, from, false, out);
    }
    // A full batch that taught us something means the peer probably has more. Continue after
    // its last block: asking from our own best chain again would return the same batch while
    // the peer's branch is still shorter than ours (two sides of a long partition), and we
    // would never see the part of it that makes it longer.
    if (m.blocks.size() < kSyncBatchMax)
    {
        return;
    }
    const bool lastIsNew = !lastWasKnown && m_chain.Find(last) != nullptr;
    if (lastIsNew || m_chain.Best()->height > before)
    {
        m_lastSyncRequest.erase(from);
        RequestSync(now, from, out, lastIsNew ? std::optional<Hash256>(last) : std::nullopt);
    }
}

void
Node::HandleEvidence(const EquivocationEvidence& ev, std::optional<PeerId> from, Actions& out)
{
    if (!m_seenEvidence.Insert(ev.Hash()))
    {
        return;
    }
    Status s = VerifyEvidence(ev, m_knownProducers);
    if (!s.IsOk())
    {
        Drop("evidence: " + s.ToString(), MessageType::kEvidence, from, out);
        return;
    }
    // One proof per producer is enough to act on; more only cost memory and bandwidth.
    if (m_evidenceAbout.count(ev.first.producer) ||
        m_evidenceAbout.size() >= m_config.limits.evidenceMax)
    {
        return;
    }
    m_evidenceAbout.insert(ev.first.producer);
    m_evidence.push_back(ev);
    NodeEvent e;
    e.kind = NodeEventKind::kEquivocation;
    e.hash = ev.Hash();
    e.slot = ev.first.slot;
    e.producer = 0; // a key, not a place: see `reason`
    e.reason = "producer " + ShortHex(ev.first.producer);
    e.peer = from.value_or(m_config.id);
    out.events.push_back(e);
    Broadcast(MessageType::kEvidence, EncodeEvidenceMessage(ev), from, out);
}

void
Node::ServeLightPeers(const BlockEntry& e, Actions& out)
{
    if (m_config.lightPeers.empty())
    {
        return;
    }
    for (const Transaction& tx : e.block->txs)
    {
        m_txBlock.InsertOrAssign(tx.Id(), e.hash);
    }
    // Headers of every accepted block, side branches too: the light peer runs fork choice.
    const bool own = m_config.producerKey && e.producer == m_config.producerKey->Public();
    // With the block's rule epochs: light peers time headers by them (adopted T and N).
    SharedBytes bytes = EncodeHeaderMessage(e.block->header, e.epochs);
    for (PeerId peer : m_config.lightPeers)
    {
        out.sends.push_back({peer, MessageType::kHeader, bytes, !own});
    }
}

void
Node::HandleGetHeaders(const GetHeadersMessage& m, PeerId from, Actions& out)
{
    const uint32_t max = std::min(m.maxHeaders, kHeaderBatchMax);
    std::vector<BlockHeader> headers;
    for (const BlockPtr& b : m_chain.BlocksAfter(m.locator, max, SIZE_MAX))
    {
        headers.push_back(b->header);
    }
    // The rule epochs of the batch's last header (a segment of the best chain): they time all.
    const BlockEntry* last = headers.empty() ? nullptr : m_chain.Find(headers.back().Hash());
    out.sends.push_back({from, MessageType::kHeaders,
                         EncodeHeadersMessage(headers, last ? last->epochs : nullptr), true});
}

TxProof
Node::ProveInclusion(const Hash256& txId) const
{
    TxProof proof;
    proof.txId = txId;
    const Hash256* carrier = m_txBlock.Find(txId);
    const BlockEntry* e = carrier ? m_chain.Find(*carrier) : nullptr;
    // Only the best chain counts; an index entry on an abandoned branch is "not found" (the
    // best chain's copy, if any, was indexed when that block was accepted, unless it came
    // first and was overwritten: the light peer then asks again and times out at worst).
    if (!e || !e->block || m_chain.MainChainAt(e->height) != e)
    {
        return proof;
    }
    std::vector<Hash256> ids;
    ids.reserve(e->block->txs.size());
    for (const Transaction& tx : e->block->txs)
    {
        ids.push_back(tx.Id());
    }
    const auto pos = std::find(ids.begin(), ids.end(), txId);
    if (pos == ids.end())
    {
        return proof;
    }
    proof.found = true;
    proof.header = e->block->header;
    proof.index = static_cast<uint32_t>(pos - ids.begin());
    proof.leafCount = static_cast<uint32_t>(ids.size());
    proof.branch = MerkleBranch(std::move(ids), proof.index);
    return proof;
}

void
Node::HandleGetProof(TimeNs now, const GetProofMessage& m, PeerId from, Actions& out)
{
    auto& [slot, used] = m_proofBudget[from];
    const uint64_t current = m_chain.Params().SlotAt(now);
    if (slot != current)
    {
        slot = current;
        used = 0;
    }
    if (used + m.txIds.size() > m_config.limits.proofIdsPerPeerSlotMax)
    {
        Drop("get-proof: over " + std::to_string(m_config.limits.proofIdsPerPeerSlotMax) +
                 " transaction ids in one slot",
             MessageType::kGetProof, from, out);
        return;
    }
    used += static_cast<uint32_t>(m.txIds.size());
    ProofMessage answer;
    for (const Hash256& id : m.txIds)
    {
        answer.proofs.push_back(ProveInclusion(id));
    }
    out.sends.push_back({from, MessageType::kProof, EncodeProofMessage(answer), true});
}

// Gossip: relaying in the node's mode, and the announce and compact exchanges.

void
Node::RelayBlock(const BlockPtr& block, const SharedBytes& wire, std::optional<PeerId> from,
                 Actions& out)
{
    if (IsPush())
    {
        Broadcast(MessageType::kBlock, wire ? wire : EncodeBlockMessage(*block), from, out);
        return;
    }
    // Peers that announced it to us hold it already.
    std::vector<PeerId> holders;
    if (auto it = m_blockFetches.find(block->Hash()); it != m_blockFetches.end())
    {
        holders = it->second.announcers;
    }
    MessageType type = MessageType::kAnnounceBlock;
    SharedBytes bytes;
    if (m_config.limits.gossip == GossipMode::kAnnounce)
    {
        bytes = EncodeAnnounceBlockMessage(block->header);
    }
    else if (auto compact = MakeCompactBlock(*block, m_config.id))
    {
        type = MessageType::kCompactBlock;
        bytes = EncodeCompactBlockMessage(*compact);
    }
    else
    {
        // Two of its transactions share a short id under our salt: send it whole (BIP 152).
        type = MessageType::kBlock;
        bytes = wire ? wire : EncodeBlockMessage(*block);
    }
    for (PeerId peer : m_config.peers)
    {
        if ((from && peer == *from) || IsLight(peer) ||
            std::find(holders.begin(), holders.end(), peer) != holders.end())
        {
            continue;
        }
        out.sends.push_back({peer, type, bytes, from.has_value()});
    }
}

void
Node::RelayTransaction(TimeNs now, const SharedTransaction& tx, const SharedBytes& wire,
                       std::optional<PeerId> from, const std::vector<PeerId>& announcers,
                       Actions& out)
{
    if (IsPush())
    {
        Broadcast(MessageType::kTransaction, wire ? wire : EncodeTransactionMessage(tx), from, out);
        return;
    }
    bool queued = false;
    for (PeerId peer : m_config.peers)
    {
        if ((from && peer == *from) || IsLight(peer) ||
            std::find(announcers.begin(), announcers.end(), peer) != announcers.end())
        {
            continue;
        }
        auto& queue = m_txAnnounceQueue[peer];
        queue.push_back(tx.Id());
        queued = true;
        if (queue.size() >= kTxIdBatchMax)
        {
            out.sends.push_back({peer, MessageType::kAnnounceTxs,
                                 EncodeTxIdsMessage(MessageType::kAnnounceTxs, {queue}), true});
            queue.clear();
        }
    }
    if (queued && m_txAnnounceAt == 0)
    {
        m_txAnnounceAt = now + m_config.limits.txAnnounceInterval;
    }
    if (m_config.limits.txAnnounceInterval <= 0)
    {
        FlushTxAnnouncements(out);
    }
}

void
Node::FlushTxAnnouncements(Actions& out)
{
    for (auto& [peer, ids] : m_txAnnounceQueue)
    {
        // Peers may have changed since (SetPeers).
        if (!ids.empty() &&
            std::find(m_config.peers.begin(), m_config.peers.end(), peer) != m_config.peers.end())
        {
            out.sends.push_back({peer, MessageType::kAnnounceTxs,
                                 EncodeTxIdsMessage(MessageType::kAnnounceTxs, {ids}), true});
        }
    }
    m_txAnnounceQueue.clear();
    m_txAnnounceAt = 0;
}

Node::BlockFetch*
Node::NewBlockFetch(TimeNs now, const BlockHeader& header, MessageType type, PeerId from,
                    Actions& out)
{
    const Hash256 hash = header.Hash();
    if (m_chain.Find(hash))
    {
        ++m_counters.duplicates;
        return nullptr;
    }
    if (auto it = m_blockFetches.find(hash); it != m_blockFetches.end())
    {
        auto& announcers = it->second.announcers;
        if (announcers.size() < kAnnouncersMax &&
            std::find(announcers.begin(), announcers.end(), from) == announcers.end())
        {
            announcers.push_back(from);
        }
        ++m_counters.duplicates;
        return nullptr;
    }
    // The checks an orphan passes (not the producer set: a node that is behind may not know it
    // yet), so that a forged header costs the forger a signature and us no fetch.
    if (!m_chain.PlausibleTiming(header, now) || !header.HasValidSignature())
    {
        Drop("announced block " + ShortHex(hash) + ": implausible header (slot or signature)", type,
             from, out);
        return nullptr;
    }
    CheckEquivocation(now, header, out);
    if (m_blockFetches.size() >= m_config.limits.blockFetchesMax)
    {
        ++m_counters.fetchesRefused;
        Drop("announced block " + ShortHex(hash) + ": " +
                 std::to_string(m_config.limits.blockFetchesMax) + " blocks already in flight",
             type, from, out);
        return nullptr;
    }
    BlockFetch& f = m_blockFetches[hash];
    f.header = header;
    f.announcers = {from};
    return &f;
}

void
Node::AskBlock(TimeNs now, const Hash256& hash, BlockFetch& f, PeerId peer, Actions& out)
{
    f.partial.reset();
    f.asked = peer;
    ++f.attempts;
    f.deadline = now + m_config.limits.fetchTimeout;
    m_blockDeadlines.emplace_back(f.deadline, hash);
    ++m_counters.blockFetches;
    out.sends.push_back({peer, MessageType::kGetBlock, EncodeGetBlockMessage({hash}), false});
}

void
Node::AskNextAnnouncer(TimeNs now, const Hash256& hash, Actions& out)
{
    auto it = m_blockFetches.find(hash);
    if (it == m_blockFetches.end())
    {
        return;
    }
    BlockFetch& f = it->second;
    if (f.attempts >= m_config.limits.fetchAttemptsMax || f.announcers.empty())
    {
        // Given up: a later announcement starts again, and a child's orphan or the stale-tip
        // check syncs it.
        ++m_counters.fetchesAbandoned;
        m_blockFetches.erase(it);
        return;
    }
    AskBlock(now, hash, f, f.announcers[f.attempts % f.announcers.size()], out);
}

void
Node::HandleAnnounceBlock(TimeNs now, const BlockHeader& header, PeerId from, Actions& out)
{
    if (BlockFetch* f = NewBlockFetch(now, header, MessageType::kAnnounceBlock, from, out))
    {
        AskBlock(now, header.Hash(), *f, from, out);
    }
}

void
Node::HandleGetBlock(const GetBlockMessage& m, PeerId from, Actions& out)
{
    const BlockEntry* e = m_chain.Find(m.hash);
    if (!e || !e->block)
    {
        return; // not held (an orphan here, or pruned): the asker times out and asks another
    }
    if (m_servedBlock.first != m.hash || !m_servedBlock.second)
    {
        m_servedBlock = {m.hash, EncodeBlockMessage(*e->block)};
    }
    out.sends.push_back({from, MessageType::kBlock, m_servedBlock.second, true});
}

void
Node::SettleBlockFetch(TimeNs now, const Block& block, PeerId from, Actions& out)
{
    if (m_blockFetches.empty())
    {
        return;
    }
    const Hash256 hash = block.Hash();
    auto it = m_blockFetches.find(hash);
    if (it == m_blockFetches.end() || it->second.asked != from)
    {
        return; // taken (the fetch is gone), or not the answer we wait for
    }
    // The answer was judged and not taken. A body that does not match the signed header says
    // nothing about the real block: ask another announcer. Otherwise the block itself is bad
    // (or too early): fetching it again would not help.
    if (block.ComputeTxRoot() != block.header.txRoot)
    {
        AskNextAnnouncer(now, hash, out);
        return;
    }
    m_blockFetches.erase(it);
}

void
Node::HandleAnnounceTxs(TimeNs now, const TxIdsMessage& m, PeerId from, Actions& out)
{
    TxIdsMessage want;
    for (const Hash256& id : m.ids)
    {
        if (m_seenTx.Contains(id))
        {
            continue;
        }
        if (auto it = m_txFetches.find(id); it != m_txFetches.end())
        {
            auto& announcers = it->second.announcers;
            if (announcers.size() < kAnnouncersMax &&
                std::find(announcers.begin(), announcers.end(), from) == announcers.end())
            {
                announcers.push_back(from);
            }
            continue;
        }
        if (m_txFetches.size() >= m_config.limits.txFetchesMax)
        {
            ++m_counters.fetchesRefused;
            continue;
        }
        TxFetch& f = m_txFetches[id];
        f.announcers = {from};
        f.attempts = 1;
        f.asked = from;
        f.deadline = now + m_config.limits.fetchTimeout;
        m_txDeadlines.emplace_back(f.deadline, id);
        want.ids.push_back(id);
    }
    if (!want.ids.empty())
    {
        m_counters.txFetches += want.ids.size();
        out.sends.push_back(
            {from, MessageType::kGetTxs, EncodeTxIdsMessage(MessageType::kGetTxs, want), false});
    }
}

void
Node::HandleGetTxs(const TxIdsMessage& m, PeerId from, Actions& out)
{
    std::vector<TxPtr> txs;
    for (const Hash256& id : m.ids)
    {
        if (TxPtr tx = m_mempool.FindShared(id))
        {
            txs.push_back(std::move(tx)); // one no longer pending is not sent: the asker times out
        }
    }
    if (!txs.empty())
    {
        out.sends.push_back({from, MessageType::kTxs, EncodeSharedTxsMessage(txs), true});
    }
}

void
Node::HandleCompactBlock(TimeNs now, const CompactBlockMessage& m, PeerId from, Actions& out)
{
    if (m.TxCount() > m_chain.Params().blockTxMax)
    {
        Drop("compact block " + ShortHex(m.header.Hash()) + ": " + std::to_string(m.TxCount()) +
                 " transactions, over the block limit",
             MessageType::kCompactBlock, from, out);
        return;
    }
    BlockFetch* f = NewBlockFetch(now, m.header, MessageType::kCompactBlock, from, out);
    if (!f)
    {
        return;
    }
    const Hash256 hash = m.header.Hash();
    PartialBlock partial(m, m_mempool);
    if (!partial.Rebuildable())
    {
        ++m_counters.compactFallbacks;
        AskBlock(now, hash, *f, from, out);
        return;
    }
    if (partial.Missing().empty())
    {
        f->partial = std::move(partial);
        FinishCompact(now, hash, from, out);
        return;
    }
    GetBlockTxnMessage ask{hash, partial.Missing()};
    m_counters.compactTxsMissing += ask.indexes.size();
    f->partial = std::move(partial);
    f->asked = from;
    ++f->attempts;
    f->deadline = now + m_config.limits.fetchTimeout;
    m_blockDeadlines.emplace_back(f->deadline, hash);
    out.sends.push_back({from, MessageType::kGetBlockTxn, EncodeGetBlockTxnMessage(ask), false});
}

void
Node::FinishCompact(TimeNs now, const Hash256& hash, PeerId from, Actions& out)
{
    auto it = m_blockFetches.find(hash);
    CANON_ASSERT(it != m_blockFetches.end() && it->second.partial &&
                     it->second.partial->Missing().empty(),
                 "a compact block finished without all its transactions");
    const SharedBlockPtr shared = it->second.partial->Share();
    if (shared->txRoot != shared->block->header.txRoot)
    {
        // A short id matched the wrong transaction (or the sender lied): fetch it whole.
        ++m_counters.compactFallbacks;
        AskBlock(now, hash, it->second, from, out);
        return;
    }
    ++m_counters.compactRebuilt;
    HandleBlock(now, shared->block, shared->wire->size() - 2, shared->wire, from, true, out,
                &shared->copy);
    // Judged and not taken (invalid, or too early): the body matched the header, so every copy
    // would fare the same.
    m_blockFetches.erase(hash);
}

void
Node::HandleGetBlockTxn(const GetBlockTxnMessage& m, PeerId from, Actions& out)
{
    const BlockEntry* e = m_chain.Find(m.hash);
    if (!e || !e->block)
    {
        return;
    }
    std::vector<const Transaction*> txs;
    for (uint32_t i : m.indexes)
    {
        if (i >= e->block->txs.size())
        {
            Drop("get-block-txn: index " + std::to_string(i) + " of a block of " +
                     std::to_string(e->block->txs.size()),
                 MessageType::kGetBlockTxn, from, out);
            return;
        }
        txs.push_back(&e->block->txs[i]);
    }
    out.sends.push_back({from, MessageType::kBlockTxn, EncodeBlockTxnMessage(m.hash, txs), true});
}

void
Node::HandleBlockTxn(TimeNs now, BlockTxnMessage m, PeerId from, Actions& out)
{
    auto it = m_blockFetches.find(m.hash);
    if (it == m_blockFetches.end() || !it->second.partial || it->second.asked != from)
    {
        ++m_counters.duplicates; // late (the block came another way) or never asked
        return;
    }
    const std::size_t missing = it->second.partial->Missing().size();
    if (!it->second.partial->Fill(std::move(m.txs)))
    {
        Drop("block-txn: not the " + std::to_string(missing) + " transactions asked for",
             MessageType::kBlockTxn, from, out);
        ++m_counters.compactFallbacks;
        AskNextAnnouncer(now, m.hash, out);
        return;
    }
    FinishCompact(now, m.hash, from, out);
}

void
Node::ExpireFetches(TimeNs now, Actions& out)
{
    while (!m_blockDeadlines.empty() && m_blockDeadlines.front().first <= now)
    {
        const auto [at, hash] = m_blockDeadlines.front();
        m_blockDeadlines.pop_front();
        auto it = m_blockFetches.find(hash);
        if (it != m_blockFetches.end() && it->second.deadline == at)
        {
            ++m_counters.fetchTimeouts;
            AskNextAnnouncer(now, hash, out); // a compact block's BlockTxn: the whole block now
        }
    }
    std::map<PeerId, TxIdsMessage> asks;
    while (!m_txDeadlines.empty() && m_txDeadlines.front().first <= now)
    {
        const auto [at, id] = m_txDeadlines.front();
        m_txDeadlines.pop_front();
        auto it = m_txFetches.find(id);
        if (it == m_txFetches.end() || it->second.deadline != at)
        {
            continue;
        }
        ++m_counters.fetchTimeouts;
        TxFetch& f = it->second;
        if (f.attempts >= m_config.limits.fetchAttemptsMax)
        {
            ++m_counters.fetchesAbandoned;
            m_txFetches.erase(it);
            continue;
        }
        f.asked = f.announcers[f.attempts % f.announcers.size()];
        ++f.attempts;
        f.deadline = now + m_config.limits.fetchTimeout;
        m_txDeadlines.emplace_back(f.deadline, id);
        ++m_counters.txFetches;
        auto& ask = asks[f.asked];
        ask.ids.push_back(id);
        if (ask.ids.size() >= kTxIdBatchMax)
        {
            out.sends.push_back({f.asked, MessageType::kGetTxs,
                                 EncodeTxIdsMessage(MessageType::kGetTxs, ask), false});
            ask.ids.clear();
        }
    }
    for (const auto& [peer, ask] : asks)
    {
        if (!ask.ids.empty())
        {
            out.sends.push_back(
                {peer, MessageType::kGetTxs, EncodeTxIdsMessage(MessageType::kGetTxs, ask), false});
        }
    }
}

void
Node::ArmTimer(Actions& out)
{
    PlanProduction();
    TimeNs at = m_nextSlotAt;
    if (m_produceAt != 0)
    {
        at = std::min(at, m_produceAt);
    }
    if (m_txAnnounceAt != 0)
    {
        at = std::min(at, m_txAnnounceAt);
    }
    // The earliest deadline of a fetch still waiting, when it comes before `at`. Deadlines of
    // fetches that finished or moved on are skipped, so the timer does not wake the node for
    // nothing; each queue ascends, so once its front is not before `at` none of it matters now,
    // and its stale entries wait (a lookup per step was 9% of a 110,000-node run's CPU).
    auto earliest = [&at](auto& deadlines, const auto& fetches)
    {
        while (!deadlines.empty() && deadlines.front().first < at)
        {
            auto it = fetches.find(deadlines.front().second);
            if (it != fetches.end() && it->second.deadline == deadlines.front().first)
            {
                at = deadlines.front().first;
                return;
            }
            deadlines.pop_front();
        }
    };
    earliest(m_blockDeadlines, m_blockFetches);
    earliest(m_txDeadlines, m_txFetches);
    if (at != m_timerAt)
    {
        m_timerAt = at;
        out.timers.push_back({TimerKind::kSlot, at});
    }
}

void
Node::Broadcast(MessageType type, const SharedBytes& bytes, std::optional<PeerId> except,
                Actions& out) const
{
    for (PeerId peer : m_config.peers)
    {
        if ((!except || peer != *except) && !IsLight(peer) && !m_guard.Banned(peer, m_now))
        {
            out.sends.push_back({peer, type, bytes, except.has_value()});
        }
    }
}

void
Node::Drop(const std::string& reason, MessageType type, std::optional<PeerId> from, Actions& out)
{
    RecordDrop(reason, type, from.value_or(m_config.id), m_counters.messagesDropped, out);
}

SignerTerms
TermsOn(const ConsensusChain& chain)
{
    return {chain.NextCzc(), FeeFloorIn(chain.Params(), chain.BestState().Governance())};
}

uint64_t
NextWalletNonce(uint64_t& counter, const Node& node, const Address& account)
{
    const uint64_t confirmed = node.Chain().BestState().NonceOf(account);
    if (counter < confirmed || counter >= confirmed + kMempoolNonceAheadMax / 2)
    {
        counter = confirmed;
    }
    return counter++;
}

NodeService*
Node::ServiceFor(const MessageInput& in) const
{
    const auto type = in.bytes ? PeekMessageType(*in.bytes) : std::nullopt;
    for (const auto& service : m_config.services)
    {
        if (type && service->Owns(*type))
        {
            return service.get();
        }
    }
    return nullptr;
}

void
Node::OnLocal(TimeNs now, const LocalWork& work, Actions& out)
{
    m_now = now;
    work(Context(), out);
}

} // namespace canon
