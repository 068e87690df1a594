#include "model/channels/channel-ledger.h"

#include "model/chain/ledger-state.h"

#include <algorithm>

namespace canon
{

namespace
{

Status
Bad(const std::string& what)
{
    return Status::Invalid("channel: " + what);
}

const OnChainChannel*
FindChannel(const ChannelBook& book, const ChannelId& id, std::string& error)
{
    const OnChainChannel* c = book.channels.Find(id);
    if (!c)
    {
        error = "unknown channel " + ShortHex(id);
    }
    return c;
}

bool
IsParty(const OnChainChannel& c, const PublicKey& k)
{
    return k == c.a || k == c.b;
}

// A state's own shape against its channel: the capacity adds up.
Status
CheckStateShape(const OnChainChannel& c, const ChannelState& s)
{
    bool ok = true;
    const uint64_t total = s.Total(ok);
    if (!ok || total != c.capacity)
    {
        return Bad("state " + std::to_string(s.seq) + " does not add up to the capacity " +
                   std::to_string(c.capacity));
    }
    return Status::Ok();
}

Status
CheckSignedState(const OnChainChannel& c, const SignedChannelState& s)
{
    Status shape = CheckStateShape(c, s.state);
    if (!shape.IsOk())
    {
        return shape;
    }
    if (!s.Verifies(c.a, c.b))
    {
        return Bad("state " + std::to_string(s.state.seq) + " is not signed by both parties");
    }
    return Status::Ok();
}

// The opening split: seq 0, deposits as locked, no HTLC. Needs no signature.
bool
IsOpeningSplit(const OnChainChannel& c, const ChannelState& s, uint64_t depositA)
{
    return s.seq == 0 && s.htlcs.empty() && s.balanceA == depositA &&
           s.balanceB == c.capacity - depositA;
}

Status
CheckOpen(const Transaction& tx, const SpendableFn& spendable, uint64_t& amount)
{
    auto p = ChannelOpenPayload::Decode(tx.payload);
    if (!p.IsOk())
    {
        return p.GetStatus();
    }
    const ChannelOpenPayload& o = p.Value();
    if (o.counterparty == tx.sender)
    {
        return Bad("a channel needs two different parties");
    }
    if (o.depositA > UINT64_MAX - o.depositB || o.depositA + o.depositB == 0)
    {
        return Bad("deposits must be positive and not overflow");
    }
    if (o.challengePeriod < kChallengePeriodMin || o.challengePeriod > kChallengePeriodMax)
    {
        return Bad("challenge period " + std::to_string(o.challengePeriod) + " ns out of range");
    }
    if (!VerifySignature(o.counterparty, OpenTermsBytes(tx.sender, tx.nonce, o), o.counterpartySig))
    {
        return Bad("counterparty's signature over the open terms is invalid");
    }
    if (spendable(AddressOf(o.counterparty)) < o.depositB)
    {
        return Bad("counterparty cannot fund deposit B " + std::to_string(o.depositB));
    }
    amount = o.depositA;
    return Status::Ok();
}

Status
CheckClose(const ChannelBook& book, const Transaction& tx, bool cooperative)
{
    auto p = ChannelClosePayload::Decode(tx.payload);
    if (!p.IsOk())
    {
        return p.GetStatus();
    }
    const SignedChannelState& s = p.Value().state;
    std::string error;
    const OnChainChannel* c = FindChannel(book, s.state.channel, error);
    if (!c)
    {
        return Bad(error);
    }
    if (!IsParty(*c, tx.sender))
    {
        return Bad("only a party may close channel " + ShortHex(s.state.channel));
    }
    if (c->phase != ChannelPhase::kOpen)
    {
        return Bad("channel " + ShortHex(s.state.channel) + " is not open");
    }
    if (cooperative && !s.state.htlcs.empty())
    {
        return Bad("a cooperative close cannot leave HTLCs in flight");
    }
    if (!cooperative && IsOpeningSplit(*c, s.state, c->closing.balanceA))
    {
        return Status::Ok();
    }
    return CheckSignedState(*c, s);
}

Status
CheckChallenge(const ChannelBook& book, const Transaction& tx, const TxContext& ctx)
{
    auto p = ChannelChallengePayload::Decode(tx.payload);
    if (!p.IsOk())
    {
        return p.GetStatus();
    }
    const ChannelChallengePayload& ch = p.Value();
    std::string error;
    const OnChainChannel* c = FindChannel(book, ch.channel, error);
    if (!c)
    {
        return Bad(error);
    }
    if (c->phase != ChannelPhase::kClosing || ctx.now > c->deadline)
    {
        return Bad("channel " + ShortHex(ch.channel) + " is not in its challenge period");
    }
    if (ch.revocation)
    {
        const PublicKey& closer = c->closedByA ? c->a : c->b;
        if (ch.revocation->first < c->closing.seq ||
            !VerifyRevocation(closer, ch.channel, ch.revocation->first, ch.revocation->second))
        {
            return Bad("the revocation does not cover the closed state " +
                       std::to_string(c->closing.seq));
        }
    }
    if (ch.newer)
    {
        if (ch.newer->state.channel != ch.channel || ch.newer->state.seq <= c->closing.seq)
        {
            return Bad("the challenging state is not newer than the closed state " +
                       std::to_string(c->closing.seq));
        }
        return CheckSignedState(*c, *ch.newer);
    }
    return Status::Ok();
}

Status
CheckHtlcClaim(const ChannelBook& book, const Transaction& tx, const TxContext& ctx)
{
    auto p = ChannelHtlcClaimPayload::Decode(tx.payload);
    if (!p.IsOk())
    {
        return p.GetStatus();
    }
    std::string error;
    const OnChainChannel* c = FindChannel(book, p.Value().channel, error);
    if (!c)
    {
        return Bad(error);
    }
    if (c->phase != ChannelPhase::kClosing || ctx.now > c->deadline)
    {
        return Bad("HTLC claims need a channel in its challenge period");
    }
    const Hash256 h = Blake2b256(p.Value().preimage.data(), p.Value().preimage.size());
    const Htlc* htlc = c->closing.FindHtlc(h);
    if (!htlc || ctx.now > htlc->expiry)
    {
        return Bad("no unexpired HTLC with payment hash " + ShortHex(h) + " in the closed state");
    }
    if (std::find(c->claimed.begin(), c->claimed.end(), h) != c->claimed.end())
    {
        return Bad("HTLC " + ShortHex(h) + " already claimed");
    }
    return Status::Ok();
}

Status
CheckSettle(const ChannelBook& book, const Transaction& tx, const TxContext& ctx)
{
    auto p = ChannelSettlePayload::Decode(tx.payload);
    if (!p.IsOk())
    {
        return p.GetStatus();
    }
    std::string error;
    const OnChainChannel* c = FindChannel(book, p.Value().channel, error);
    if (!c)
    {
        return Bad(error);
    }
    if (c->phase != ChannelPhase::kClosing || ctx.now <= c->deadline)
    {
        return Bad("channel " + ShortHex(p.Value().channel) +
                   " has no challenge period that has ended");
    }
    return Status::Ok();
}

// Pays `s` out of escrow: balances, then each HTLC to its payee when claimed, else back.
std::vector<ValueMove>
PayOut(const OnChainChannel& c, const ChannelState& s)
{
    const Address escrow = ChannelEscrowAddress();
    const Address a = AddressOf(c.a);
    const Address b = AddressOf(c.b);
    uint64_t toA = s.balanceA;
    uint64_t toB = s.balanceB;
    for (const Htlc& h : s.htlcs)
    {
        const bool claimed =
            std::find(c.claimed.begin(), c.claimed.end(), h.paymentHash) != c.claimed.end();
        (h.offeredByA != claimed ? toA : toB) += h.amount;
    }
    return {{escrow, a, toA}, {escrow, b, toB}};
}

std::vector<ValueMove>
RecordOpen(ChannelBook& book, const Transaction& tx, const TxContext& ctx)
{
    const ChannelOpenPayload o = ChannelOpenPayload::Decode(tx.payload).Value();
    OnChainChannel c;
    c.a = tx.sender;
    c.b = o.counterparty;
    c.capacity = o.depositA + o.depositB;
    c.challengePeriod = o.challengePeriod;
    c.openHeight = ctx.height;
    c.closing.channel = ChannelIdFor(tx.sender, tx.nonce);
    c.closing.balanceA = o.depositA;
    c.closing.balanceB = o.depositB;
    book.channels[c.closing.channel] = c;
    return {{AddressOf(o.counterparty), ChannelEscrowAddress(), o.depositB}};
}

std::vector<ValueMove>
RecordClose(ChannelBook& book, const Transaction& tx, const TxContext& ctx, bool cooperative)
{
    const ChannelState s = ChannelClosePayload::Decode(tx.payload).Value().state.state;
    OnChainChannel& c = book.channels[s.channel];
    c.closing = s;
    c.closedByA = tx.sender == c.a;
    if (cooperative)
    {
        c.phase = ChannelPhase::kClosed;
        c.kind = ChannelCloseKind::kCooperative;
        return PayOut(c, s);
    }
    c.phase = ChannelPhase::kClosing;
    c.deadline = ctx.now + c.challengePeriod;
    return {};
}

std::vector<ValueMove>
RecordChallenge(ChannelBook& book, const Transaction& tx)
{
    const ChannelChallengePayload ch = ChannelChallengePayload::Decode(tx.payload).Value();
    OnChainChannel& c = book.channels[ch.channel];
    ++c.challenges;
    if (ch.newer)
    {
        c.closing = ch.newer->state;
    }
    if (!ch.revocation)
    {
        return {};
    }
    c.phase = ChannelPhase::kClosed;
    c.kind = ChannelCloseKind::kPenalty;
    ++book.penalties;
    const Address honest = AddressOf(c.closedByA ? c.b : c.a);
    return {{ChannelEscrowAddress(), honest, c.capacity}};
}

} // namespace

Address
ChannelEscrowAddress()
{
    static const Address a = Blake2b256(std::string("CanonChain/channel-escrow/v1"));
    return a;
}

const char*
ChannelCloseKindName(ChannelCloseKind k)
{
    switch (k)
    {
        case ChannelCloseKind::kNone:
            return "none";
        case ChannelCloseKind::kCooperative:
            return "cooperative";
        case ChannelCloseKind::kUnilateral:
            return "unilateral";
        case ChannelCloseKind::kPenalty:
            return "penalty";
    }
    return "unknown";
}

bool
IsChannelTx(TxType type)
{
    const auto v = static_cast<uint8_t>(type);
    return v >= static_cast<uint8_t>(TxType::kChannelOpen) &&
           v <= static_cast<uint8_t>(TxType::kChannelSettle);
}

Status
CheckChannelTx(const ChannelBook& book, const Transaction& tx, const TxContext& ctx,
               const SpendableFn& spendable, uint64_t& amount)
{
    amount = 0;
    switch (tx.type)
    {
        case TxType::kChannelOpen:
            return CheckOpen(tx, spendable, amount);
        case TxType::kChannelCoopClose:
            return CheckClose(book, tx, true);
        case TxType::kChannelClose:
            return CheckClose(book, tx, false);
        case TxType::kChannelChallenge:
            return CheckChallenge(book, tx, ctx);
        case TxType::kChannelHtlcClaim:
            return CheckHtlcClaim(book, tx, ctx);
        case TxType::kChannelSettle:
            return CheckSettle(book, tx, ctx);
        default:
            return Bad("not a channel transaction");
    }
}

std::vector<ValueMove>
RecordChannelTx(ChannelBook& book, const Transaction& tx, const TxContext& ctx)
{
    switch (tx.type)
    {
        case TxType::kChannelOpen:
            return RecordOpen(book, tx, ctx);
        case TxType::kChannelCoopClose:
            return RecordClose(book, tx, ctx, true);
        case TxType::kChannelClose:
            return RecordClose(book, tx, ctx, false);
        case TxType::kChannelChallenge:
            return RecordChallenge(book, tx);
        case TxType::kChannelHtlcClaim:
        {
            const Hash256 pre = ChannelHtlcClaimPayload::Decode(tx.payload).Value().preimage;
            auto id = ChannelHtlcClaimPayload::Decode(tx.payload).Value().channel;
            book.channels[id].claimed.push_back(Blake2b256(pre.data(), pre.size()));
            return {};
        }
        case TxType::kChannelSettle:
        {
            OnChainChannel& c =
                book.channels[ChannelSettlePayload::Decode(tx.payload).Value().channel];
            c.phase = ChannelPhase::kClosed;
            c.kind = ChannelCloseKind::kUnilateral;
            return PayOut(c, c.closing);
        }
        default:
            return {};
    }
}

Hash256
ChannelBookRoot(const ChannelBook& book)
{
    Bytes out;
    Writer w(out);
    w.U64(book.penalties);
    for (const auto& [id, c] : book.channels)
    {
        w.Fixed(id);
        w.Fixed(c.a);
        w.Fixed(c.b);
        w.U64(c.capacity);
        w.I64(c.challengePeriod);
        w.U64(c.openHeight);
        w.U8(static_cast<uint8_t>(c.phase));
        w.U8(static_cast<uint8_t>(c.kind));
        w.U8(c.closedByA ? 1 : 0);
        c.closing.Encode(w);
        w.I64(c.deadline);
        w.U32(static_cast<uint32_t>(c.claimed.size()));
        for (const Hash256& h : c.claimed)
        {
            w.Fixed(h);
        }
        w.U32(c.challenges);
    }
    return Blake2b256(out);
}

} // namespace canon
