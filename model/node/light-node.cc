#include "model/node/light-node.h"

#include "model/chain/fork-choice.h"
#include "model/consensus/consensus-chain.h"
#include "model/node/dropped-message.h"
#include "model/node/mempool.h"

#include <algorithm>
#include <set>

namespace canon
{

LightNode::LightNode(LightNodeConfig config)
  : m_config(std::move(config))
  , m_orphans(m_config.limits.orphanMax)
  , m_included(m_config.limits.includedMax)
  , m_genesisRules(m_config.params->GenesisRules())
{
    auto genesis = std::make_unique<HeaderEntry>();
    genesis->header.timestamp = m_config.params->genesisTime;
    genesis->hash = SharedGenesisHash(m_config.params);
    m_best = m_root = genesis.get();
    m_headers.emplace(genesis->hash, std::move(genesis));
}

const HeaderEntry*
LightNode::Find(const Hash256& hash) const
{
    auto it = m_headers.find(hash);
    return it == m_headers.end() ? nullptr : it->second.get();
}

bool
LightNode::OnBestChain(const Hash256& hash) const
{
    const HeaderEntry* e = Find(hash);
    return e && AncestorAt(m_best, e->height) == e;
}

void
LightNode::SetPeers(std::vector<PeerId> peers)
{
    m_config.peers = NormalizedPeers(std::move(peers), m_config.id);
}

uint64_t
LightNode::ConfirmedNonce(const Address& account) const
{
    auto it = m_confirmedNonce.find(account);
    return it == m_confirmedNonce.end() ? 0 : it->second;
}

void
LightNode::OnStart(TimeNs now, Actions& out)
{
    const SlotClock clock = Clock();
    m_bestSince = now;
    out.timers.push_back({TimerKind::kSlot, clock.SlotStart(clock.SlotAt(now) + 1)});
    if (clock.SlotAt(now) > 0)
    {
        for (PeerId peer : m_config.peers)
        {
            RequestHeaders(now, peer, out);
        }
    }
}

void
LightNode::OnMessage(TimeNs now, const MessageInput& in, Actions& out)
{
    auto decoded = DecodeOrDrop(in, m_counters.messagesDropped, out);
    if (!decoded)
    {
        return;
    }
    auto& m = *decoded;
    switch (m.type)
    {
        case MessageType::kHeader:
            HandleHeader(now, {std::get<BlockHeader>(m.body), m.rules}, in.from, out);
            RequestProofs(now, in.from, out);
            break;
        case MessageType::kHeaders:
            HandleHeaders(now, std::get<HeadersMessage>(m.body), m.rules, in.from, out);
            break;
        case MessageType::kProof:
            HandleProof(now, std::get<ProofMessage>(m.body), in.from, out);
            break;
        default:
            // A full peer that does not know we are light would send blocks and gossip.
            Drop(std::string("a light participant does not take ") + MessageTypeName(m.type),
                 m.type, in.from, out);
            break;
    }
}

void
LightNode::OnSubmit(TimeNs now, const Transaction& tx, Actions& out)
{
    const Hash256 id = tx.Id();
    if (m_pending.count(id) || m_included.Contains(id))
    {
        ++m_counters.duplicates;
        return;
    }
    if (m_pending.size() >= m_config.limits.pendingTxMax)
    {
        Drop("transaction " + ShortHex(id) + ": pending transactions full (" +
                 std::to_string(m_pending.size()) + ")",
             MessageType::kTransaction, std::nullopt, out);
        return;
    }
    Pending p;
    p.tx = tx;
    p.seq = m_pendingSeq++;
    p.submittedAt = p.sentAt = now;
    m_pending.emplace(id, std::move(p));
    ++m_counters.txSubmitted;
    SendTransaction(tx, out);
}

void
LightNode::SendTransaction(const Transaction& tx, Actions& out) const
{
    SharedBytes bytes = EncodeTransactionMessage(tx);
    for (PeerId peer : m_config.peers)
    {
        out.sends.push_back({peer, MessageType::kTransaction, bytes, false});
    }
}

void
LightNode::OnSlot(TimeNs now, Actions& out)
{
    const SlotClock clock = Clock();
    const uint64_t slot = clock.SlotAt(now);
    out.timers.push_back({TimerKind::kSlot, clock.SlotStart(slot + 1)});
    if (!m_config.peers.empty() && slot > m_best->slot + m_config.limits.staleTipSlots &&
        now - m_bestSince >= SlotLength())
    {
        RequestHeaders(now, NextPeer(), out);
    }
    ResendOrGiveUp(now, out);
    RequestProofs(now, std::nullopt, out);
}

PeerId
LightNode::NextPeer()
{
    return m_config.peers[m_peerCursor++ % m_config.peers.size()];
}

SlotClock
LightNode::ClockOf(const RuleEpochs& rules) const
{
    return SlotClock(m_genesisRules, rules);
}

SlotClock
LightNode::Clock() const
{
    return ClockOf(m_best->rules);
}

TimeNs
LightNode::SlotLength() const
{
    const SlotClock clock = Clock();
    return clock.RulesAt(m_best->slot).slotDuration;
}

std::string
LightNode::CheckAlone(TimeNs now, const RuledHeader& ruled) const
{
    const BlockHeader& header = ruled.header;
    // The clock of the header's chain, as its full peers sent it (rule epochs: adopted T, N).
    const SlotClock clock = ClockOf(ruled.rules);
    // The slot is bounded before anything computes a time from it (a huge slot would overflow).
    if (!clock.IsSlotStarted(header.slot, now, Params().clockDriftMax))
    {
        return "slot " + std::to_string(header.slot) + " has not started";
    }
    if (header.timestamp != clock.SlotStart(header.slot))
    {
        return "timestamp is not the start of slot " + std::to_string(header.slot);
    }
    if (!header.HasValidSignature())
    {
        return "bad producer signature";
    }
    return "";
}

void
LightNode::HandleHeader(TimeNs now, const RuledHeader& ruled, std::optional<PeerId> from,
                        Actions& out)
{
    const BlockHeader& header = ruled.header;
    const Hash256 hash = header.Hash();
    if (m_headers.count(hash) || m_orphans.Contains(hash))
    {
        ++m_counters.duplicates;
        return;
    }
    if (header.height <= m_root->height)
    {
        ++m_counters.duplicates; // below the pruning point: settled long ago
        return;
    }
    // Not remembered when rejected: the block hash leaves the signature out, so a forged copy
    // must not make the real header look judged.
    if (std::string why = CheckAlone(now, ruled); !why.empty())
    {
        Drop("header " + ShortHex(hash) + ": " + why, MessageType::kHeader, from, out);
        return;
    }
    const HeaderEntry* parent = Find(header.parent);
    if (!parent)
    {
        AddOrphan(now, ruled, hash, from, out);
        return;
    }
    if (!Follows(ruled, *parent))
    {
        Drop("header " + ShortHex(hash) + ": height " + std::to_string(header.height) + " / slot " +
                 std::to_string(header.slot) + " or rule epochs do not follow its parent",
             MessageType::kHeader, from, out);
        return;
    }
    Insert(now, ruled, hash, parent, from, out);
    ConnectOrphans(now, hash, out);
}

bool
LightNode::Follows(const RuledHeader& ruled, const HeaderEntry& parent)
{
    // The rules of the parent's chain that have begun by this header's slot cannot change.
    return ruled.header.height == parent.height + 1 && ruled.header.slot > parent.slot &&
           KeepsRulesUpTo(parent.rules, ruled.rules, ruled.header.slot);
}

void
LightNode::Insert(TimeNs now, const RuledHeader& ruled, const Hash256& hash,
                  const HeaderEntry* parent, std::optional<PeerId> from, Actions& out)
{
    const BlockHeader& header = ruled.header;
    auto entry = std::make_unique<HeaderEntry>();
    entry->header = header;
    entry->rules = ruled.rules;
    entry->hash = hash;
    entry->height = header.height;
    entry->weight = {header.height, 0};
    entry->slot = header.slot;
    entry->parent = parent;
    const HeaderEntry* e = entry.get();
    m_headers.emplace(hash, std::move(entry));
    ++m_counters.headersAccepted;
    NodeEvent ev;
    ev.kind = NodeEventKind::kHeaderAccepted;
    ev.hash = hash;
    ev.height = e->height;
    ev.slot = e->slot;
    ev.peer = from.value_or(m_config.id);
    out.events.push_back(ev);
    if (!IsBetterTip(*e, *m_best))
    {
        return;
    }
    const HeaderEntry* old = m_best;
    m_best = e;
    m_bestSince = now;
    if (e->parent != old)
    {
        // A reorg: count the headers that left the best chain.
        const HeaderEntry* fork = e;
        const HeaderEntry* a = old;
        while (fork->height > a->height)
        {
            fork = fork->parent;
        }
        uint64_t left = 0;
        while (a && fork && a != fork)
        {
            a = a->parent;
            fork = fork->parent;
            ++left;
        }
        ++m_counters.reorgs;
        NodeEvent re;
        re.kind = NodeEventKind::kReorg;
        re.hash = hash;
        re.height = e->height;
        re.count = left;
        out.events.push_back(re);
        RecheckIncluded();
    }
    Prune();
}

void
LightNode::AddOrphan(TimeNs now, const RuledHeader& ruled, const Hash256& hash,
                     std::optional<PeerId> from, Actions& out)
{
    m_orphans.Add(hash, {hash, ruled.header.parent, 0, ruled});
    if (from)
    {
        RequestHeaders(now, *from, out);
    }
}

void
LightNode::ConnectOrphans(TimeNs now, const Hash256& parent, Actions& out)
{
    m_orphans.Connect(parent, [&](const Hash256& hash, const OrphanPool<RuledHeader>::Orphan& o)
                      { return AdoptOrphan(now, hash, o.value, out); });
}

OrphanFate
LightNode::AdoptOrphan(TimeNs now, const Hash256& hash, const RuledHeader& ruled, Actions& out)
{
    const HeaderEntry* parent = Find(ruled.header.parent);
    if (!parent)
    {
        return OrphanFate::kWaits; // pruned since it arrived
    }
    if (!Follows(ruled, *parent))
    {
        Drop("orphan header " + ShortHex(hash) + ": does not follow its parent",
             MessageType::kHeader, std::nullopt, out);
        return OrphanFate::kRejected;
    }
    Insert(now, ruled, hash, parent, std::nullopt, out);
    return OrphanFate::kJoined;
}

void
LightNode::Prune()
{
    // Prune in steps of a sixteenth of the depth, not at every header.
    const uint64_t depth = m_config.limits.keepDepth;
    if (m_best->height < m_root->height + depth + depth / 16 + 1)
    {
        return;
    }
    const HeaderEntry* newRoot = AncestorAt(m_best, m_best->height - depth);
    // Keep the new root and its descendants: by height, an entry stays iff its parent stays.
    std::vector<HeaderEntry*> byHeight;
    byHeight.reserve(m_headers.size());
    for (auto& [hash, e] : m_headers)
    {
        byHeight.push_back(e.get());
    }
    std::sort(byHeight.begin(), byHeight.end(),
              [](const HeaderEntry* a, const HeaderEntry* b)
              { return a->height != b->height ? a->height < b->height : a->hash < b->hash; });
    std::set<const HeaderEntry*> kept; // looked up only, never iterated
    std::vector<Hash256> drop;
    for (HeaderEntry* e : byHeight)
    {
        if (e == newRoot || (e->height > newRoot->height && kept.count(e->parent)))
        {
            kept.insert(e);
        }
        else
        {
            drop.push_back(e->hash);
        }
    }
    for (auto& [hash, e] : m_headers)
    {
        if (e.get() == newRoot)
        {
            e->parent = nullptr;
        }
    }
    for (const Hash256& h : drop)
    {
        m_headers.erase(h);
    }
    m_root = newRoot;
}

void
LightNode::RecheckIncluded()
{
    std::vector<Hash256> gone;
    m_included.ForEach(
        [&](const Hash256& id, const Included& inc)
        {
            if (inc.height > m_root->height && !OnBestChain(inc.block))
            {
                gone.push_back(id);
            }
        });
    for (const Hash256& id : gone)
    {
        if (auto inc = m_included.Erase(id))
        {
            inc->pending.askedAt = -1;
            m_pending.emplace(id, std::move(inc->pending));
        }
    }
}

void
LightNode::RequestHeaders(TimeNs now, PeerId peer, Actions& out)
{
    auto it = m_lastHeaderRequest.find(peer);
    if (it != m_lastHeaderRequest.end() && now - it->second < SlotLength())
    {
        return;
    }
    m_lastHeaderRequest[peer] = now;
    ++m_counters.syncRequests;
    GetHeadersMessage m;
    m.locator = Locator();
    out.sends.push_back({peer, MessageType::kGetHeaders, EncodeGetHeadersMessage(m), false});
    NodeEvent ev;
    ev.kind = NodeEventKind::kSyncRequested;
    ev.peer = peer;
    ev.height = m_best->height;
    out.events.push_back(ev);
}

std::vector<Hash256>
LightNode::Locator() const
{
    // The full nodes' locator heights on the header chain; below the pruning point only the root
    // is known, and genesis always ends it.
    std::vector<Hash256> out;
    const HeaderEntry* e = m_best;
    for (uint64_t h : LocatorHeights(m_best->height))
    {
        e = AncestorAt(e, std::max(h, m_root->height)); // heights fall: walk on from the last
        if (!e)
        {
            break;
        }
        if (out.empty() || out.back() != e->hash)
        {
            out.push_back(e->hash);
        }
        if (h <= m_root->height)
        {
            break;
        }
    }
    const Hash256 genesis = SharedGenesisHash(m_config.params);
    if (out.empty() || out.back() != genesis)
    {
        out.push_back(genesis);
    }
    return out;
}

void
LightNode::HandleHeaders(TimeNs now, const HeadersMessage& m, const RuleEpochs& rules, PeerId from,
                         Actions& out)
{
    const uint64_t before = m_best->height;
    for (const BlockHeader& h : m.headers)
    {
        HandleHeader(now, {h, rules}, from, out);
    }
    // A full batch that moved us forward means the peer probably has more.
    if (m.headers.size() == kHeaderBatchMax && m_best->height > before)
    {
        m_lastHeaderRequest.erase(from);
        RequestHeaders(now, from, out);
    }
    RequestProofs(now, from, out);
}

void
LightNode::RequestProofs(TimeNs now, std::optional<PeerId> prefer, Actions& out)
{
    if (m_config.peers.empty() || m_pending.empty())
    {
        return;
    }
    const uint64_t slot = Clock().SlotAt(now);
    if (slot != m_proofSlot)
    {
        m_proofSlot = slot;
        m_proofIdsThisSlot = 0;
    }
    // Oldest first: ask about a transaction once the best chain has grown since we last asked
    // (a new block may carry it), or again after proofRetrySlots (the answer may be lost).
    const TimeNs retryAfter = static_cast<TimeNs>(m_config.limits.proofRetrySlots) * SlotLength();
    std::vector<std::pair<uint64_t, Hash256>> due;
    for (const auto& [id, pend] : m_pending)
    {
        // Only a block of a slot that started after the submission can carry the transaction.
        const bool grown = (pend.askedAt < 0 || m_best->height > pend.askedHeight) &&
                           m_best->header.timestamp > pend.submittedAt;
        const bool retry = pend.askedAt >= 0 && now - pend.askedAt >= retryAfter;
        if (grown || retry)
        {
            due.emplace_back(pend.seq, id);
        }
    }
    std::sort(due.begin(), due.end());
    GetProofMessage batch;
    bool preferred = prefer.has_value();
    const PeerId first = prefer.value_or(0);
    auto flush = [&]()
    {
        if (batch.txIds.empty())
        {
            return;
        }
        const PeerId peer = preferred ? first : NextPeer();
        preferred = false;
        m_counters.proofsRequested += batch.txIds.size();
        out.sends.push_back({peer, MessageType::kGetProof, EncodeGetProofMessage(batch), false});
        batch.txIds.clear();
    };
    for (const auto& [seq, id] : due)
    {
        if (m_proofIdsThisSlot >= m_config.limits.proofIdsPerSlotMax)
        {
            break;
        }
        Pending& pend = m_pending.at(id);
        pend.askedAt = now;
        pend.askedHeight = m_best->height;
        batch.txIds.push_back(id);
        ++m_proofIdsThisSlot;
        if (batch.txIds.size() == kProofBatchMax)
        {
            flush();
        }
    }
    flush();
}

void
LightNode::HandleProof(TimeNs now, const ProofMessage& m, PeerId from, Actions& out)
{
    for (const TxProof& proof : m.proofs)
    {
        auto it = m_pending.find(proof.txId);
        if (it == m_pending.end() || !proof.found)
        {
            continue; // not ours, answered already, or not carried yet: ask again later
        }
        const Hash256 block = proof.header.Hash();
        if (!Find(block))
        {
            // It may extend our chain (timed by our best rules: a proof carries no epochs).
            HandleHeader(now, {proof.header, m_best->rules}, from, out);
        }
        if (!OnBestChain(block))
        {
            continue; // a side branch, or a header we could not place: not included for us
        }
        // The header we hold, not the copy in the proof, is what the branch must match.
        TxProof checked = proof;
        checked.header = Find(block)->header;
        if (!checked.Verifies())
        {
            Drop("proof for transaction " + ShortHex(proof.txId) +
                     ": Merkle branch does not "
                     "lead to the txRoot of block " +
                     ShortHex(block),
                 MessageType::kProof, from, out);
            continue;
        }
        Pending pend = std::move(it->second);
        m_pending.erase(it);
        const HeaderEntry* e = Find(block);
        NodeEvent ev;
        ev.kind = NodeEventKind::kTxVerifiedIncluded;
        ev.hash = proof.txId;
        ev.block = block;
        ev.height = e->height;
        ev.slot = e->slot;
        ev.peer = from;
        ev.latency = now - pend.submittedAt;
        out.events.push_back(ev);
        ++m_counters.txVerified;
        uint64_t& floor = m_confirmedNonce[pend.tx.SenderAddress()];
        floor = std::max(floor, pend.tx.nonce + 1);
        m_included.Insert(proof.txId, Included{std::move(pend), block, e->height});
    }
}

void
LightNode::ResendOrGiveUp(TimeNs now, Actions& out)
{
    const TimeNs resend = static_cast<TimeNs>(m_config.limits.resendSlots) * SlotLength();
    const TimeNs giveUp = static_cast<TimeNs>(m_config.limits.giveUpSlots) * SlotLength();
    std::vector<Hash256> gone;
    for (auto& [id, pend] : m_pending)
    {
        if (now - pend.submittedAt >= giveUp)
        {
            gone.push_back(id);
        }
        else if (now - pend.sentAt >= resend && pend.resends < m_config.limits.resendMax)
        {
            // The first copy may have died with a connection; full peers ignore a duplicate.
            pend.sentAt = now;
            ++pend.resends;
            SendTransaction(pend.tx, out);
        }
    }
    for (const Hash256& id : gone)
    {
        m_pending.erase(id);
        ++m_counters.txGivenUp;
        Drop("transaction " + ShortHex(id) + ": no inclusion proof within " +
                 std::to_string(m_config.limits.giveUpSlots) + " slots; given up",
             MessageType::kTransaction, std::nullopt, out);
    }
}

void
LightNode::Drop(const std::string& reason, MessageType type, std::optional<PeerId> from,
                Actions& out)
{
    RecordDrop(reason, type, from.value_or(m_config.id), m_counters.messagesDropped, out);
}

uint64_t
NextWalletNonce(uint64_t& counter, const LightNode& node, const Address& account)
{
    const uint64_t confirmed = node.ConfirmedNonce(account);
    if (counter < confirmed || counter >= confirmed + kMempoolNonceAheadMax / 2)
    {
        counter = confirmed;
    }
    return counter++;
}

} // namespace canon
