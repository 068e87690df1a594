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
    }
    return "unknown";
}

std::optional<AdversaryKind>
ParseAdversaryKind(const std::string& name)
{
    for (auto k :
         {AdversaryKind::kEquivocator, AdversaryKind::kWithholder, AdversaryKind::kInvalidBlocks,
          AdversaryKind::kCensor, AdversaryKind::kOverClaimer})
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

void
Adversary::Handle(TimeNs now, const Input& input, Actions& out)
{
    if (m_config.kind == AdversaryKind::kWithholder && !m_released && now >= m_config.until &&
        m_config.until > m_config.from)
    {
        Release(out);
    }
    if (const auto* m = std::get_if<MessageInput>(&input))
    {
        // While withholding, blocks from outside the coalition never reach the follower: the
        // private chain grows on its own.
        if (Withholding(now) && m_config.coalition.count(m->from) == 0 && m->bytes &&
            m->bytes->size() >= 2 && IsBlockTraffic(static_cast<MessageType>((*m->bytes)[1])))
        {
            ++m_counters.blocksIgnored;
            return;
        }
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
    if (Withholding(now))
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
Adversary::Filter(TimeNs now, std::size_t firstSend, Actions& out) const
{
    const bool withholding = Withholding(now);
    auto dropped = [&](const SendAction& s)
    {
        return s.to == kSelfPeer || s.type == MessageType::kEvidence ||
               (withholding && IsBlockTraffic(s.type) && m_config.coalition.count(s.to) == 0);
    };
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
