#include "model/node/adversary.h"

#include "model/chain/block-validator.h"

#include <algorithm>

namespace canon
{

const char*
AdversaryKindName(AdversaryKind k)
{
    switch (k)
    {
        case AdversaryKind::kEquivocator:
            return "equivocator";
        case AdversaryKind::kWithholder:
            return "withholder";
        case AdversaryKind::kInvalidBlocks:
            return "invalid-blocks";
        case AdversaryKind::kCensor:
            return "censor";
        case AdversaryKind::kOverClaimer:
            return "over-claimer";
        case AdversaryKind::kSelfishMiner:
            return "selfish-miner";
        case AdversaryKind::kTxSpam:
            return "tx-spam";
        case AdversaryKind::kFlood:
            return "flood";
        case AdversaryKind::kEclipse:
            return "eclipse";
        case AdversaryKind::kJammer:
            return "jammer";
        case AdversaryKind::kSlowPeer:
            return "slow-peer";
    }
    return "unknown";
}

std::optional<AdversaryKind>
ParseAdversaryKind(const std::string& name)
{
    for (auto k :
         {AdversaryKind::kEquivocator, AdversaryKind::kWithholder, AdversaryKind::kInvalidBlocks,
          AdversaryKind::kCensor, AdversaryKind::kOverClaimer, AdversaryKind::kSelfishMiner,
          AdversaryKind::kTxSpam, AdversaryKind::kFlood, AdversaryKind::kEclipse,
          AdversaryKind::kJammer, AdversaryKind::kSlowPeer})
    {
        if (name == AdversaryKindName(k))
        {
            return k;
        }
    }
    return std::nullopt;
}

Adversary::Adversary(AdversaryConfig config, NodeConfig follower, uint64_t lastSignedSlot)
  : m_config(std::move(config))
  , m_follower(std::move(follower))
  , m_peers(m_follower.Peers())
  , m_lastSignedSlot(lastSignedSlot)
  , m_rng(Rng::Derive(m_config.seed, "adversary"))
{
    CANON_ASSERT(!m_follower.HoldsProducerKey(), "an adversary's follower must hold no key");
    const auto& producers = m_follower.Chain().Params().producers;
    m_genesisProducer =
        std::find(producers.begin(), producers.end(), m_config.key.Public()) != producers.end();
    if (m_config.kind == AdversaryKind::kTxSpam || m_config.kind == AdversaryKind::kFlood)
    {
        m_attack.emplace(m_config.variant, m_config.ratePerSecond, m_config.key, m_config.seed);
    }
}

void
Adversary::SetPeers(std::vector<PeerId> peers, std::set<PeerId> lightPeers)
{
    m_follower.SetPeers(std::move(peers), std::move(lightPeers));
    m_peers = m_follower.Peers();
}

bool
Adversary::Active(TimeNs now) const
{
    return now >= m_config.from && (m_config.until <= 0 || now < m_config.until);
}

double
Adversary::ClaimScale(TimeNs now) const
{
    return m_config.kind == AdversaryKind::kOverClaimer && Active(now) ? m_config.overclaimFactor
                                                                       : 1.0;
}

bool
Adversary::Withholding(TimeNs now) const
{
    return m_config.kind == AdversaryKind::kWithholder && m_config.until > m_config.from &&
           Active(now);
}

bool
Adversary::KeepsPrivateChain(TimeNs now) const
{
    return Withholding(now) ||
           (m_config.kind == AdversaryKind::kEclipse &&
            m_config.variant == AttackVariant::kPrivateBranch && m_genesisProducer && Active(now));
}

void
Adversary::Handle(TimeNs now, const Input& input, Actions& out)
{
    if (SelfishMining())
    {
        HandleSelfish(now, input, out);
        return;
    }
    if (IsNetworkAttack(m_config.kind))
    {
        HandleNetwork(now, input, out);
        return;
    }
    if (m_config.kind == AdversaryKind::kWithholder && !m_released && now >= m_config.until &&
        m_config.until > m_config.from)
    {
        Release(out);
    }
    if (Ignores(now, input))
    {
        return;
    }
    // Its own production on the slot timer only: in the announce and compact modes the
    // follower's one timer also fires for fetch deadlines within a slot.
    const ChainParams& p = m_follower.Chain().Params();
    if (std::holds_alternative<TimerInput>(input) && p.SlotStart(p.SlotAt(now)) == now)
    {
        Produce(now, out);
    }
    const std::size_t first = out.sends.size();
    m_follower.Step(now, input, out);
    Filter(now, first, out);
}

bool
Adversary::Ignores(TimeNs now, const Input& input)
{
    // While keeping a private chain, blocks from outside the coalition never reach the
    // follower: the private chain grows on its own.
    // An eclipse's victim is in the coalition to receive the private branch, not to feed it.
    const auto* m = std::get_if<MessageInput>(&input);
    const bool outsider =
        m && (m_config.coalition.count(m->from) == 0 ||
              (m_config.kind == AdversaryKind::kEclipse && m->from == m_config.victim));
    if (outsider && KeepsPrivateChain(now) && m->bytes && m->bytes->size() >= 2 &&
        IsBlockTraffic(static_cast<MessageType>((*m->bytes)[1])))
    {
        ++m_counters.blocksIgnored;
        return true;
    }
    return false;
}

void
Adversary::HandleNetwork(TimeNs now, const Input& input, Actions& out)
{
    const std::size_t firstTimer = out.timers.size();
    const bool timer = std::holds_alternative<TimerInput>(input);
    if (timer)
    {
        m_timerAt = 0; // fired: the merged timer is set again below
    }
    if (!Ignores(now, input))
    {
        const ChainParams& p = m_follower.Chain().Params();
        if (timer && p.SlotStart(p.SlotAt(now)) == now)
        {
            Produce(now, out);
        }
        const std::size_t first = out.sends.size();
        m_follower.Step(now, input, out);
        Filter(now, first, out);
    }
    if (timer && m_attack && now >= m_attack->NextAt(now))
    {
        const std::size_t first = out.sends.size();
        if (Active(now))
        {
            m_attack->Fire(now, m_follower, m_peers, out);
        }
        else
        {
            m_attack->Fire(now, m_follower, {}, out); // outside its window: the clock moves on
        }
        Filter(now, first, out);
    }
    MergeTimers(now, firstTimer, out);
}

TimeNs
Adversary::OwnTimerAt(TimeNs now)
{
    if (m_attack)
    {
        return m_attack->NextAt(now);
    }
    return m_mineAt;
}

bool
Adversary::OwnsSlot(uint64_t slot) const
{
    const ConsensusChain& chain = m_follower.Chain();
    const BlockEntry* best = chain.Best();
    return slot > best->slot && slot > m_lastSignedSlot &&
           chain.MayProduce(best, m_config.key, slot) &&
           best->state->Pop().slashed.count(m_config.key.Public()) == 0;
}

void
Adversary::Produce(TimeNs now, Actions& out)
{
    const uint64_t slot = m_follower.Chain().Params().SlotAt(now);
    if (!OwnsSlot(slot))
    {
        return;
    }
    m_lastSignedSlot = slot;
    if (!Active(now))
    {
        ProduceThroughFollower(now, slot, out); // honest outside its window
        return;
    }
    switch (m_config.kind)
    {
        case AdversaryKind::kEquivocator:
            ProduceEquivocating(now, slot, out);
            return;
        case AdversaryKind::kInvalidBlocks:
            ProduceInvalid(now, slot, out);
            return;
        case AdversaryKind::kWithholder:
        case AdversaryKind::kCensor:
        case AdversaryKind::kOverClaimer:
        case AdversaryKind::kSelfishMiner: // only under a protocol it has no strategy for
        case AdversaryKind::kTxSpam:
        case AdversaryKind::kFlood:
        case AdversaryKind::kEclipse:  // a private branch: the filter keeps it from the others
        case AdversaryKind::kJammer:   // never placed on a node
        case AdversaryKind::kSlowPeer: // slow in its transport only
            ProduceThroughFollower(now, slot, out);
            return;
    }
}

Block
Adversary::Assemble(TimeNs now, uint64_t slot, std::vector<Transaction> leading) const
{
    const std::set<Address>* exclude =
        m_config.kind == AdversaryKind::kCensor && Active(now) ? &m_config.censored : nullptr;
    const BlockEntry& parent = *m_follower.Chain().Best();
    return AssembleBlock(m_follower.Chain(), parent, slot, m_config.key,
                         {m_lastSignedSlot, parent.height}, m_follower.Pool(), std::move(leading),
                         exclude);
}

void
Adversary::ProduceThroughFollower(TimeNs now, uint64_t slot, Actions& out)
{
    Block b = Assemble(now, slot, {});
    ++m_counters.blocksProduced;
    if (KeepsPrivateChain(now))
    {
        ++m_counters.blocksWithheld;
    }
    const std::size_t first = out.sends.size();
    m_follower.Step(now, MessageInput{kSelfPeer, EncodeBlockMessage(b)}, out);
    Filter(now, first, out);
}

void
Adversary::ProduceEquivocating(TimeNs now, uint64_t slot, Actions& out)
{
    const ConsensusChain& chain = m_follower.Chain();
    Block a = Assemble(now, slot, {});
    Block b = a;
    if (!b.txs.empty())
    {
        b.txs.pop_back();
    }
    else
    {
        // An empty block has only one honest twin: the other carries a self-transfer.
        const Address me = m_config.key.GetAddress();
        const uint64_t nonce = chain.BestState().NonceOf(me);
        b = Assemble(now, slot,
                     {MakeTransfer(m_config.key, nonce, chain.Params().feeMin,
                                   chain.Params().CzcHashAt(a.header.height), me, 1)});
    }
    b.header.txRoot = b.ComputeTxRoot();
    b.header.SignWith(m_config.key);
    if (a.Hash() == b.Hash())
    {
        // Nothing to sign twice with (no transactions, no funds): behave this slot.
        ProduceThroughFollower(now, slot, out);
        return;
    }
    ++m_counters.blocksProduced;
    ++m_counters.equivocations;
    SharedBytes wireA = EncodeBlockMessage(a);
    SharedBytes wireB = EncodeBlockMessage(b);
    // The follower adopts `a`; its relay of `a` (whole, announced or compact, whatever its
    // gossip mode) is replaced by the split below.
    const std::size_t first = out.sends.size();
    m_follower.Step(now, MessageInput{kSelfPeer, wireA}, out);
    Filter(now, first, out);
    out.sends.erase(
        std::remove_if(out.sends.begin() + static_cast<std::ptrdiff_t>(first), out.sends.end(),
                       [&](const SendAction& s)
                       {
                           return s.bytes == wireA || s.type == MessageType::kAnnounceBlock ||
                                  s.type == MessageType::kCompactBlock;
                       }),
        out.sends.end());
    for (std::size_t i = 0; i < m_peers.size(); ++i)
    {
        SendTo(m_peers[i], MessageType::kBlock, i % 2 == 0 ? wireA : wireB, out);
    }
}

void
Adversary::ProduceInvalid(TimeNs now, uint64_t slot, Actions& out)
{
    const ConsensusChain& chain = m_follower.Chain();
    const Address me = m_config.key.GetAddress();
    const uint64_t nonce = chain.BestState().NonceOf(me);
    Block b = Assemble(now, slot, {});
    const Hash256 czc = chain.Params().CzcHashAt(b.header.height);
    // Each case breaks exactly one rule: the header commits to whatever transactions it carries
    // and is signed, unless the broken rule is that commitment or the timestamp.
    switch (m_rng.Below(4))
    {
        case 0: // a transaction whose signature does not match
        {
            Transaction t = MakeTransfer(m_config.key, nonce, chain.Params().feeMin, czc, me, 1);
            t.signature[0] ^= 1;
            b.txs.insert(b.txs.begin(), t);
            b.header.txRoot = b.ComputeTxRoot();
            break;
        }
        case 1: // spending more than it holds
            b.txs.insert(b.txs.begin(),
                         MakeTransfer(m_config.key, nonce, chain.Params().feeMin, czc, Address{},
                                      chain.BestState().BalanceOf(me) + 1));
            b.header.txRoot = b.ComputeTxRoot();
            break;
        case 2: // a Merkle root that commits to other transactions
            b.header.txRoot[0] ^= 1;
            break;
        default: // a timestamp that is not its slot's start
            b.header.timestamp += 1;
            break;
    }
    b.header.SignWith(m_config.key);
    ++m_counters.invalidBlocks;
    SharedBytes wire = EncodeBlockMessage(b);
    for (PeerId p : m_peers)
    {
        SendTo(p, MessageType::kBlock, wire, out);
    }
}

void
Adversary::Release(Actions& out)
{
    m_released = true;
    const ConsensusChain& chain = m_follower.Chain();
    const uint64_t fromSlot = chain.Params().SlotAt(m_config.from);
    std::vector<const BlockEntry*> privateChain;
    for (const BlockEntry* e = chain.Best(); e && e->slot >= fromSlot && e->height > 0;
         e = e->parent)
    {
        privateChain.push_back(e);
    }
    std::reverse(privateChain.begin(), privateChain.end());
    for (const BlockEntry* e : privateChain)
    {
        SharedBytes wire = EncodeBlockMessage(*e->block);
        for (PeerId p : m_peers)
        {
            SendTo(p, MessageType::kBlock, wire, out);
        }
        ++m_counters.blocksReleased;
    }
}

void
Adversary::Filter(TimeNs now, std::size_t firstSend, Actions& out)
{
    const bool withholding = KeepsPrivateChain(now);
    // An eclipse in its window keeps every block from its victim but those of the private
    // branch (sync answers included: the victim learns nothing from asking).
    const bool eclipsing = m_config.kind == AdversaryKind::kEclipse && Active(now);
    auto keptFromVictim = [&](const SendAction& s)
    {
        const bool kept = eclipsing && !withholding && s.to == m_config.victim &&
                          (IsBlockTraffic(s.type) || s.type == MessageType::kHeaders);
        m_counters.blocksKeptFromVictim += kept ? 1 : 0;
        return kept;
    };
    auto dropped = [&](SendAction& s)
    {
        return s.to == kSelfPeer || s.type == MessageType::kEvidence ||
               (withholding && IsBlockTraffic(s.type) && m_config.coalition.count(s.to) == 0) ||
               keptFromVictim(s) || (!m_unpublished.empty() && CarriesPrivate(s));
    };
    if (SelfishMining())
    {
        for (std::size_t i = firstSend; i < out.sends.size(); ++i)
        {
            if (out.sends[i].type == MessageType::kGetBlocks)
            {
                UsePublicLocator(out.sends[i]);
            }
        }
    }
    out.sends.erase(std::remove_if(out.sends.begin() + static_cast<std::ptrdiff_t>(firstSend),
                                   out.sends.end(), dropped),
                    out.sends.end());
}

void
Adversary::SendTo(PeerId to, MessageType type, const SharedBytes& bytes, Actions& out) const
{
    SendAction s;
    s.to = to;
    s.type = type;
    s.bytes = bytes;
    out.sends.push_back(std::move(s));
}

// The selfish miner (see adversary.h).

bool
Adversary::SelfishMining() const
{
    return m_config.kind == AdversaryKind::kSelfishMiner &&
           m_follower.Chain().Engine().Kind() == Protocol::kPow;
}

void
Adversary::HandleSelfish(TimeNs now, const Input& input, Actions& out)
{
    const std::size_t firstTimer = out.timers.size();
    if (!Active(now) || !m_selfishStarted)
    {
        // Outside the window: whatever is private goes out, and the machine starts afresh from
        // the follower's tip when the window opens.
        PublishPrivate(m_private.size(), out);
        m_private.clear();
        m_publishedCount = 0;
        m_unpublished.clear();
        m_selfish = SelfishMiningStrategy{};
        m_forkHeight = std::max(m_honestHeight, m_follower.Chain().Best()->height);
        m_selfishStarted = Active(now);
    }
    if (std::holds_alternative<TimerInput>(input))
    {
        m_timerAt = 0; // fired: the merged timer is set again below
        if (m_mineAt != 0 && now >= m_mineAt)
        {
            MineSelfish(now, out);
        }
    }
    StepFollower(now, input, out);
    PlanMining(now);
    MergeTimers(now, firstTimer, out);
}

void
Adversary::PlanMining(TimeNs now)
{
    const ConsensusChain& chain = m_follower.Chain();
    const BlockEntry* best = chain.Best();
    if (best->hash == m_mineParent && m_mineAt > now)
    {
        return;
    }
    // As Node::PlanProduction: from the next tick, on the follower's best tip.
    const ChainParams& p = chain.Params();
    const uint64_t from = std::max({p.SlotAt(now) + 1, best->slot + 1, m_lastSignedSlot + 1});
    const uint64_t horizon = chain.Engine().PlanningHorizon();
    const auto slot =
        chain.Engine().NextProductionSlot(*best, m_config.key.Public(), from, horizon);
    m_mineSlot = slot ? *slot : from + horizon; // nothing within the horizon: look again then
    m_mineAt = p.SlotStart(m_mineSlot);
    m_mineParent = best->hash;
}

void
Adversary::MineSelfish(TimeNs now, Actions& out)
{
    const ConsensusChain& chain = m_follower.Chain();
    const BlockEntry* best = chain.Best();
    const uint64_t slot = m_mineSlot;
    m_mineAt = 0;
    if (best->hash != m_mineParent || slot <= m_lastSignedSlot ||
        !chain.MayProduce(best, m_config.key, slot))
    {
        return;
    }
    Block b = Assemble(now, slot, {});
    m_lastSignedSlot = slot;
    ++m_counters.blocksProduced;
    const bool selfish = Active(now);
    if (selfish)
    {
        ++m_counters.blocksWithheld;
        m_private.push_back(b.Hash());
        m_unpublished.insert(m_private.back());
    }
    const std::size_t first = out.sends.size();
    m_follower.Step(now, MessageInput{kSelfPeer, EncodeBlockMessage(b)}, out);
    Filter(now, first, out);
    if (selfish)
    {
        ActOn(m_selfish.OnOwnBlock(), out);
    }
    else
    {
        m_forkHeight = std::max(m_forkHeight, b.header.height);
    }
}

void
Adversary::StepFollower(TimeNs now, const Input& input, Actions& out)
{
    const std::size_t firstSend = out.sends.size();
    const std::size_t firstEvent = out.events.size();
    m_follower.Step(now, input, out);
    Filter(now, firstSend, out);
    CountHonestBlocks(firstEvent, out);
}

void
Adversary::CountHonestBlocks(std::size_t firstEvent, Actions& out)
{
    const ConsensusChain& chain = m_follower.Chain();
    for (std::size_t i = firstEvent; i < out.events.size(); ++i)
    {
        const NodeEvent& ev = out.events[i];
        const BlockEntry* e =
            ev.kind == NodeEventKind::kBlockAccepted ? chain.Find(ev.hash) : nullptr;
        if (e && e->block->header.producer != m_config.key.Public() && e->height > m_honestHeight)
        {
            m_honestHeight = e->height;
            m_honestTip = e->hash;
        }
    }
    if (!m_selfishStarted)
    {
        return;
    }
    while (m_honestHeight > m_forkHeight + m_selfish.PublicLength())
    {
        ActOn(m_selfish.OnHonestBlock(), out);
    }
}

void
Adversary::ActOn(const SelfishAction& a, Actions& out)
{
    PublishPrivate(static_cast<std::size_t>(a.publishThrough), out);
    if (a.adoptPublic)
    {
        m_forkHeight = m_honestHeight;
    }
    else if (a.rebase)
    {
        m_forkHeight += m_private.size();
    }
    if (a.adoptPublic || a.rebase)
    {
        m_private.clear();
        m_publishedCount = 0;
        m_unpublished.clear();
    }
}

void
Adversary::PublishPrivate(std::size_t through, Actions& out)
{
    const ConsensusChain& chain = m_follower.Chain();
    for (; m_publishedCount < std::min(through, m_private.size()); ++m_publishedCount)
    {
        const Hash256& hash = m_private[m_publishedCount];
        m_unpublished.erase(hash);
        const BlockEntry* e = chain.Find(hash);
        if (!e)
        {
            continue; // pruned with a branch the follower gave up
        }
        const SharedBytes wire = EncodeBlockMessage(*e->block);
        for (PeerId p : m_peers)
        {
            SendTo(p, MessageType::kBlock, wire, out);
        }
        ++m_counters.blocksReleased;
    }
}

void
Adversary::MergeTimers(TimeNs now, std::size_t firstTimer, Actions& out)
{
    for (std::size_t i = firstTimer; i < out.timers.size(); ++i)
    {
        m_followerTimerAt = out.timers[i].at;
    }
    out.timers.resize(firstTimer);
    TimeNs at = m_followerTimerAt;
    const TimeNs own = OwnTimerAt(now);
    if (own != 0 && (at == 0 || own < at))
    {
        at = own;
    }
    if (at != 0 && at != m_timerAt)
    {
        m_timerAt = at;
        out.timers.push_back({TimerKind::kSlot, at});
    }
}

bool
Adversary::CarriesPrivate(SendAction& s) const
{
    if (!(IsBlockTraffic(s.type) || s.type == MessageType::kHeader ||
          s.type == MessageType::kHeaders) ||
        !s.bytes)
    {
        return false;
    }
    auto decoded = DecodeMessage(*s.bytes);
    if (!decoded.IsOk())
    {
        return false;
    }
    auto isPrivate = [&](const Hash256& h) { return m_unpublished.count(h) != 0; };
    const auto& body = decoded.Value().body;
    if (const auto* b = std::get_if<std::pair<BlockPtr, std::size_t>>(&body))
    {
        return isPrivate(b->first->Hash());
    }
    if (const auto* h = std::get_if<BlockHeader>(&body))
    {
        return isPrivate(h->Hash());
    }
    if (const auto* c = std::get_if<CompactBlockMessage>(&body))
    {
        return isPrivate(c->header.Hash());
    }
    if (const auto* t = std::get_if<BlockTxnMessage>(&body))
    {
        return isPrivate(t->hash);
    }
    if (const auto* batch = std::get_if<BlocksMessage>(&body))
    {
        // A sync answer: the blocks before the first private one.
        std::vector<BlockPtr> kept;
        for (const auto& [block, size] : batch->blocks)
        {
            if (isPrivate(block->Hash()))
            {
                break;
            }
            kept.push_back(block);
        }
        if (kept.size() == batch->blocks.size())
        {
            return false;
        }
        s.bytes = EncodeBlocksMessage(kept);
        return kept.empty();
    }
    if (const auto* hs = std::get_if<HeadersMessage>(&body))
    {
        std::vector<BlockHeader> kept;
        for (const BlockHeader& h : hs->headers)
        {
            if (isPrivate(h.Hash()))
            {
                break;
            }
            kept.push_back(h);
        }
        if (kept.size() == hs->headers.size())
        {
            return false;
        }
        s.bytes = EncodeHeadersMessage(kept);
        return false;
    }
    return false;
}

void
Adversary::UsePublicLocator(SendAction& s) const
{
    const ConsensusChain& chain = m_follower.Chain();
    const BlockEntry* tip = chain.Find(m_honestTip);
    auto decoded = DecodeMessage(*s.bytes);
    if (!tip || !decoded.IsOk())
    {
        return;
    }
    const auto* asked = std::get_if<GetBlocksMessage>(&decoded.Value().body);
    if (!asked)
    {
        return;
    }
    // The honest tip's own locator merged with the follower's, highest first, without private
    // blocks: the peer answers after the highest entry on its main chain.
    std::vector<const BlockEntry*> entries;
    for (uint64_t height : LocatorHeights(tip->height))
    {
        entries.push_back(BlockTree::AncestorAt(tip, height));
    }
    for (const Hash256& h : asked->locator)
    {
        entries.push_back(chain.Find(h));
    }
    entries.erase(std::remove(entries.begin(), entries.end(), nullptr), entries.end());
    std::stable_sort(entries.begin(), entries.end(),
                     [](const BlockEntry* a, const BlockEntry* b)
                     { return a->height > b->height; });
    GetBlocksMessage m;
    m.maxBlocks = asked->maxBlocks;
    std::set<Hash256> seen;
    for (const BlockEntry* e : entries)
    {
        if (m_unpublished.count(e->hash) == 0 && seen.insert(e->hash).second)
        {
            m.locator.push_back(e->hash);
        }
    }
    if (m.locator.size() > kLocatorMax)
    {
        m.locator.erase(m.locator.begin() + static_cast<std::ptrdiff_t>(kLocatorMax - 1),
                        m.locator.end() - 1); // keep genesis, the last entry
    }
    s.bytes = EncodeGetBlocksMessage(m);
}

uint64_t
LastSignedSlotOf(const Participant& p)
{
    if (const auto* a = dynamic_cast<const Adversary*>(&p))
    {
        return a->LastSignedSlot();
    }
    if (const auto* n = dynamic_cast<const Node*>(&p))
    {
        return n->LastSignedSlot();
    }
    return 0;
}

} // namespace canon
