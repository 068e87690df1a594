#include "model/channels/channel-endpoint.h"

#include <algorithm>
#include <optional>

namespace canon
{

namespace
{

Status
Refuse(const std::string& why)
{
    return Status::Invalid("channel update refused: " + why);
}

// The one HTLC in `bigger` and not in `smaller` when the two lists differ by exactly that one
// (order kept otherwise); nullptr otherwise.
const Htlc*
OneMore(const std::vector<Htlc>& bigger, const std::vector<Htlc>& smaller)
{
    if (bigger.size() != smaller.size() + 1)
    {
        return nullptr;
    }
    std::size_t i = 0;
    while (i < smaller.size() && bigger[i] == smaller[i])
    {
        ++i;
    }
    const Htlc* extra = &bigger[i];
    for (; i < smaller.size(); ++i)
    {
        if (!(bigger[i + 1] == smaller[i]))
        {
            return nullptr;
        }
    }
    return extra;
}

// The HTLC added or removed between two states, if any.
std::optional<Htlc>
MovedHtlc(const ChannelState& before, const ChannelState& after)
{
    const Htlc* h = OneMore(after.htlcs, before.htlcs);
    h = h ? h : OneMore(before.htlcs, after.htlcs);
    return h ? std::optional<Htlc>(*h) : std::nullopt;
}

// Both parties' balances before and after a proposed update, from the acceptor's side.
struct Split
{
    uint64_t oldOwn;
    uint64_t newOwn;
    uint64_t oldPeer;
    uint64_t newPeer;
    bool peerIsA;
};

// The proposer offers an HTLC: its own, paid from its balance, not yet expired.
Status
CheckAdded(const Split& s, const Htlc& added, TimeNs now)
{
    const bool good = added.offeredByA == s.peerIsA && added.expiry > now && s.newOwn == s.oldOwn &&
                      s.oldPeer >= s.newPeer && s.oldPeer - s.newPeer == added.amount;
    return good ? Status::Ok() : Refuse("a bad HTLC offer");
}

// The proposer removes an HTLC: its own after expiry (expire), or one we offered, either paid
// with the preimage (fulfil) or handed back to us (fail).
Status
CheckRemoved(const Split& s, const Htlc& removed, const std::optional<Hash256>& preimage,
             TimeNs now, ChannelMove& move)
{
    const bool peerGets = s.newPeer == s.oldPeer + removed.amount && s.newOwn == s.oldOwn;
    if (removed.offeredByA == s.peerIsA)
    {
        move = ChannelMove::kExpire;
        return now > removed.expiry && peerGets ? Status::Ok()
                                                : Refuse("an HTLC taken back before its expiry");
    }
    if (peerGets)
    {
        move = ChannelMove::kFulfil;
        const bool shown =
            preimage && Blake2b256(preimage->data(), preimage->size()) == removed.paymentHash;
        return shown ? Status::Ok() : Refuse("a fulfil without the preimage");
    }
    move = ChannelMove::kFail;
    return s.newOwn == s.oldOwn + removed.amount && s.newPeer == s.oldPeer
               ? Status::Ok()
               : Refuse("a failed HTLC must go back to us");
}

std::vector<Htlc>
Without(const std::vector<Htlc>& htlcs, const Hash256& paymentHash)
{
    std::vector<Htlc> out;
    for (const Htlc& h : htlcs)
    {
        if (h.paymentHash != paymentHash)
        {
            out.push_back(h);
        }
    }
    return out;
}

} // namespace

ChannelEndpoint::ChannelEndpoint(ChannelEndpointConfig config)
  : m_config(std::move(config))
{
    m_latest.state.channel = m_config.channel;
    m_latest.state.balanceA = m_config.depositA;
    m_latest.state.balanceB = m_config.depositB;
}

uint64_t
ChannelEndpoint::OwnBalance() const
{
    return m_config.selfIsA ? m_latest.state.balanceA : m_latest.state.balanceB;
}

uint64_t
ChannelEndpoint::PeerBalance() const
{
    return m_config.selfIsA ? m_latest.state.balanceB : m_latest.state.balanceA;
}

ChannelState
ChannelEndpoint::Next() const
{
    ChannelState s = m_latest.state;
    ++s.seq;
    return s;
}

Result<ChannelMessage>
ChannelEndpoint::Propose(ChannelState next, ChannelMove move, std::optional<Hash256> preimage,
                         std::vector<ForwardHop> onward)
{
    if (m_pending)
    {
        return Refuse("an update is already in flight");
    }
    Pending p{next, move, SignChannelState(m_config.self, next), preimage, onward};
    m_pending = p;
    return ChannelMessage{ChannelPropose{next, p.ownSig, preimage, std::move(onward)}};
}

Result<ChannelMessage>
ChannelEndpoint::ProposePay(uint64_t amount)
{
    ChannelState s = Next();
    if (amount == 0 || Own(s) < amount)
    {
        return Refuse("cannot pay " + std::to_string(amount) + " from " + std::to_string(Own(s)));
    }
    Own(s) -= amount;
    Peer(s) += amount;
    return Propose(s, ChannelMove::kPay, std::nullopt);
}

Result<ChannelMessage>
ChannelEndpoint::ProposeAdd(const Hash256& paymentHash, uint64_t amount, TimeNs expiry,
                            std::vector<ForwardHop> onward)
{
    ChannelState s = Next();
    if (amount == 0 || Own(s) < amount || s.htlcs.size() >= kChannelHtlcMax ||
        s.FindHtlc(paymentHash))
    {
        return Refuse("cannot offer an HTLC of " + std::to_string(amount));
    }
    Own(s) -= amount;
    s.htlcs.push_back(Htlc{paymentHash, amount, expiry, m_config.selfIsA});
    return Propose(s, ChannelMove::kAdd, std::nullopt, std::move(onward));
}

Result<ChannelMessage>
ChannelEndpoint::ProposeFulfil(const Hash256& preimage)
{
    ChannelState s = Next();
    const Hash256 h = Blake2b256(preimage.data(), preimage.size());
    const Htlc* htlc = s.FindHtlc(h);
    if (!htlc || htlc->offeredByA == m_config.selfIsA)
    {
        return Refuse("no HTLC offered to us with hash " + ShortHex(h));
    }
    Own(s) += htlc->amount;
    s.htlcs = Without(s.htlcs, h);
    return Propose(s, ChannelMove::kFulfil, preimage);
}

Result<ChannelMessage>
ChannelEndpoint::ProposeFail(const Hash256& paymentHash)
{
    ChannelState s = Next();
    const Htlc* htlc = s.FindHtlc(paymentHash);
    if (!htlc || htlc->offeredByA == m_config.selfIsA)
    {
        return Refuse("no HTLC offered to us with hash " + ShortHex(paymentHash));
    }
    Peer(s) += htlc->amount;
    s.htlcs = Without(s.htlcs, paymentHash);
    return Propose(s, ChannelMove::kFail, std::nullopt);
}

Result<ChannelMessage>
ChannelEndpoint::ProposeExpire(const Hash256& paymentHash, TimeNs now)
{
    ChannelState s = Next();
    const Htlc* htlc = s.FindHtlc(paymentHash);
    if (!htlc || htlc->offeredByA != m_config.selfIsA || now <= htlc->expiry)
    {
        return Refuse("no expired HTLC of ours with hash " + ShortHex(paymentHash));
    }
    Own(s) += htlc->amount;
    s.htlcs = Without(s.htlcs, paymentHash);
    return Propose(s, ChannelMove::kExpire, std::nullopt);
}

Status
ChannelEndpoint::CheckMove(const ChannelPropose& p, TimeNs now, ChannelMove& move) const
{
    const ChannelState& o = m_latest.state;
    const ChannelState& n = p.state;
    if (n.channel != o.channel || n.seq != o.seq + 1)
    {
        return Refuse("state " + std::to_string(n.seq) + " is not the next after " +
                      std::to_string(o.seq) + " (a replay or another channel)");
    }
    if (!VerifyChannelState(m_config.peer, n, p.sig))
    {
        return Refuse("the proposer's signature is invalid");
    }
    bool ok = true;
    if (n.Total(ok) != Capacity() || !ok)
    {
        return Refuse("the state does not add up to the capacity");
    }
    ChannelState old = o;
    ChannelState next = n;
    const Split split{Own(old), Own(next), Peer(old), Peer(next), !m_config.selfIsA};
    if (n.htlcs == o.htlcs)
    {
        move = ChannelMove::kPay;
        return split.newOwn > split.oldOwn && split.newPeer < split.oldPeer
                   ? Status::Ok()
                   : Refuse("a payment must pay us");
    }
    if (const Htlc* added = OneMore(n.htlcs, o.htlcs))
    {
        move = ChannelMove::kAdd;
        return CheckAdded(split, *added, now);
    }
    const Htlc* removed = OneMore(o.htlcs, n.htlcs);
    if (!removed)
    {
        return Refuse("more than one change at once");
    }
    return CheckRemoved(split, *removed, p.preimage, now, move);
}

void
ChannelEndpoint::Adopt(const SignedChannelState& s)
{
    if (m_config.historyMax > 0)
    {
        if (m_history.size() >= m_config.historyMax)
        {
            m_history.erase(m_history.begin());
        }
        m_history.push_back(m_latest);
    }
    m_latest = s;
}

ChannelStep
ChannelEndpoint::OnPropose(const ChannelPropose& p, TimeNs now)
{
    ChannelStep step;
    if (p.state == m_latest.state && p.state.seq > 0 &&
        VerifyChannelState(m_config.peer, p.state, p.sig))
    {
        // The proposal both already hold, again (sent again after a re-establish, or replayed):
        // refused, and answered with the Accept again in case the first was lost.
        step.status = Refuse("a replay of state " + std::to_string(p.state.seq) + ", held already");
        const Signature& own = m_config.selfIsA ? m_latest.sigA : m_latest.sigB;
        step.reply =
            ChannelAccept{m_config.channel, p.state.seq, own,
                          SignRevocation(m_config.self, m_config.channel, p.state.seq - 1)};
        return step;
    }
    if (m_pending && m_config.selfIsA)
    {
        // Both proposed at once: A's proposal wins, B drops its own (and retries later).
        step.status = Refuse("both sides proposed; A's proposal goes first");
        step.reply = ChannelReject{p.state.channel, p.state.seq, step.status.Message()};
        return step;
    }
    ChannelMove move = ChannelMove::kPay;
    step.status = CheckMove(p, now, move);
    if (!step.status.IsOk())
    {
        // B keeps its own proposal unless it gives way to one it accepts.
        step.outOfStep = p.state.seq > m_latest.state.seq + 1;
        step.reply = ChannelReject{p.state.channel, p.state.seq, step.status.Message()};
        return step;
    }
    if (m_pending)
    {
        m_pending.reset();
        step.droppedOwn = true;
    }
    SignedChannelState full{p.state, {}, {}};
    const Signature own = SignChannelState(m_config.self, p.state);
    (m_config.selfIsA ? full.sigA : full.sigB) = own;
    (m_config.selfIsA ? full.sigB : full.sigA) = p.sig;
    const uint64_t revoked = m_latest.state.seq;
    step.htlc = MovedHtlc(m_latest.state, p.state);
    step.onward = p.onward;
    Adopt(full);
    step.updated = true;
    step.move = move;
    if (move == ChannelMove::kFulfil)
    {
        step.preimage = p.preimage;
    }
    step.reply = ChannelAccept{p.state.channel, p.state.seq, own,
                               SignRevocation(m_config.self, m_config.channel, revoked)};
    return step;
}

ChannelStep
ChannelEndpoint::OnAccept(const ChannelAccept& a)
{
    ChannelStep step;
    if (!m_pending || a.channel != m_config.channel || a.seq != m_pending->state.seq)
    {
        step.status = Refuse("an accept for no update in flight");
        return step;
    }
    const uint64_t revoked = m_latest.state.seq;
    if (!VerifyChannelState(m_config.peer, m_pending->state, a.sig) ||
        !VerifyRevocation(m_config.peer, m_config.channel, revoked, a.revocation))
    {
        step.status = Refuse("the accept's signature or revocation is invalid");
        return step;
    }
    SignedChannelState full{m_pending->state, {}, {}};
    (m_config.selfIsA ? full.sigA : full.sigB) = m_pending->ownSig;
    (m_config.selfIsA ? full.sigB : full.sigA) = a.sig;
    step.move = m_pending->move;
    step.htlc = MovedHtlc(m_latest.state, m_pending->state);
    m_pending.reset();
    Adopt(full);
    m_peerRevocation = std::make_pair(revoked, a.revocation);
    step.updated = true;
    step.reply = ChannelRevoke{m_config.channel, revoked,
                               SignRevocation(m_config.self, m_config.channel, revoked)};
    return step;
}

ChannelStep
ChannelEndpoint::OnRevoke(const ChannelRevoke& r)
{
    ChannelStep step;
    const bool newer = !m_peerRevocation || r.revokedSeq > m_peerRevocation->first;
    if (r.channel != m_config.channel || r.revokedSeq >= m_latest.state.seq || !newer ||
        !VerifyRevocation(m_config.peer, m_config.channel, r.revokedSeq, r.revocation))
    {
        step.status = Refuse("a revocation that is stale, early or forged");
        return step;
    }
    m_peerRevocation = std::make_pair(r.revokedSeq, r.revocation);
    return step;
}

ChannelStep
ChannelEndpoint::OnReject(const ChannelReject& r)
{
    ChannelStep step;
    if (m_pending && r.channel == m_config.channel && r.seq == m_pending->state.seq)
    {
        m_pending.reset();
    }
    step.status = Status::Invalid("peer rejected: " + r.reason);
    return step;
}

ChannelMessage
ChannelEndpoint::MakeReestablish(bool answer)
{
    ChannelReestablish r;
    r.channel = m_config.channel;
    r.round = ++m_ownRound;
    r.latestSeq = m_latest.state.seq;
    r.revocationsHeld = m_peerRevocation ? m_peerRevocation->first + 1 : 0;
    r.answer = answer;
    r.sig = m_config.self.Sign(r.SigningBytes());
    return r;
}

Status
ChannelEndpoint::CheckReestablish(const ChannelReestablish& r) const
{
    const uint64_t s = m_latest.state.seq;
    if (r.channel != m_config.channel || r.round <= m_peerRound)
    {
        return Refuse("a stale re-establish (round " + std::to_string(r.round) + " after " +
                      std::to_string(m_peerRound) + ")");
    }
    if (!VerifySignature(m_config.peer, r.SigningBytes(), r.sig))
    {
        return Refuse("the re-establish signature is invalid");
    }
    const uint64_t peerAtLeast = m_peerRevocation ? m_peerRevocation->first + 1 : 0;
    const bool ahead = r.latestSeq == s + 1;
    if (r.latestSeq + 1 < s || r.latestSeq > s + 1 || r.latestSeq < peerAtLeast ||
        r.revocationsHeld > s || (ahead && PendingSeq() != r.latestSeq))
    {
        return Refuse("a re-establish at state " + std::to_string(r.latestSeq) +
                      " cannot follow ours at " + std::to_string(s));
    }
    return Status::Ok();
}

ChannelStep
ChannelEndpoint::OnReestablish(const ChannelReestablish& r)
{
    ChannelStep step;
    step.status = CheckReestablish(r);
    if (!step.status.IsOk())
    {
        return step;
    }
    m_peerRound = r.round;
    if (!r.answer)
    {
        step.resend.push_back(MakeReestablish(true));
    }
    const uint64_t s = m_latest.state.seq;
    if (r.latestSeq + 1 == s)
    {
        const Signature& own = m_config.selfIsA ? m_latest.sigA : m_latest.sigB;
        step.resend.push_back(ChannelAccept{
            m_config.channel, s, own, SignRevocation(m_config.self, m_config.channel, s - 1)});
        return step;
    }
    if (r.latestSeq == s && s > 0 && r.revocationsHeld < s)
    {
        step.resend.push_back(ChannelRevoke{
            m_config.channel, s - 1, SignRevocation(m_config.self, m_config.channel, s - 1)});
    }
    if (r.latestSeq == s && m_pending)
    {
        step.resend.push_back(ChannelPropose{m_pending->state, m_pending->ownSig,
                                             m_pending->preimage, m_pending->onward});
    }
    return step;
}

ChannelStep
ChannelEndpoint::Handle(const ChannelMessage& m, TimeNs now)
{
    if (const auto* p = std::get_if<ChannelPropose>(&m))
    {
        return OnPropose(*p, now);
    }
    if (const auto* a = std::get_if<ChannelAccept>(&m))
    {
        return OnAccept(*a);
    }
    if (const auto* r = std::get_if<ChannelRevoke>(&m))
    {
        return OnRevoke(*r);
    }
    if (const auto* e = std::get_if<ChannelReestablish>(&m))
    {
        return OnReestablish(*e);
    }
    return OnReject(std::get<ChannelReject>(m));
}

} // namespace canon
