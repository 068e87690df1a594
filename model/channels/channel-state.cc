#include "model/channels/channel-state.h"

namespace canon
{

namespace
{
const char kStateDomain[] = "CanonChain/channel-state/v1";
const char kRevokeDomain[] = "CanonChain/channel-revoke/v1";

Bytes
Tagged(const char* tag, std::size_t size)
{
    return Bytes(tag, tag + size);
}
} // namespace

uint64_t
ChannelState::Total(bool& ok) const
{
    ok = true;
    uint64_t sum = balanceA;
    auto add = [&](uint64_t v)
    {
        ok = ok && sum <= UINT64_MAX - v;
        sum = ok ? sum + v : 0;
    };
    add(balanceB);
    for (const Htlc& h : htlcs)
    {
        add(h.amount);
    }
    return sum;
}

const Htlc*
ChannelState::FindHtlc(const Hash256& paymentHash) const
{
    for (const Htlc& h : htlcs)
    {
        if (h.paymentHash == paymentHash)
        {
            return &h;
        }
    }
    return nullptr;
}

void
ChannelState::Encode(Writer& w) const
{
    w.U8(kChannelStateVersion);
    w.Fixed(channel);
    w.U64(seq);
    w.U64(balanceA);
    w.U64(balanceB);
    w.U32(static_cast<uint32_t>(htlcs.size()));
    for (const Htlc& h : htlcs)
    {
        w.Fixed(h.paymentHash);
        w.U64(h.amount);
        w.I64(h.expiry);
        w.U8(h.offeredByA ? 1 : 0);
    }
}

ChannelState
ChannelState::ReadFrom(Reader& r)
{
    ChannelState s;
    r.Version(kChannelStateVersion);
    s.channel = r.Fixed<32>("channel");
    s.seq = r.U64("seq");
    s.balanceA = r.U64("balance A");
    s.balanceB = r.U64("balance B");
    const uint32_t n = r.Count("HTLC count", kChannelHtlcMax);
    for (uint32_t i = 0; i < n && r.IsOk(); ++i)
    {
        Htlc h;
        h.paymentHash = r.Fixed<32>("payment hash");
        h.amount = r.U64("HTLC amount");
        h.expiry = r.I64("HTLC expiry");
        const uint8_t side = r.U8("HTLC side");
        if (side > 1)
        {
            r.Fail("HTLC side is not 0 or 1");
        }
        h.offeredByA = side == 1;
        if (r.IsOk() && s.FindHtlc(h.paymentHash))
        {
            r.Fail("payment hash listed twice");
        }
        s.htlcs.push_back(h);
    }
    return s;
}

Bytes
ChannelState::SigningBytes() const
{
    Bytes out = Tagged(kStateDomain, sizeof kStateDomain - 1);
    Writer w(out);
    Encode(w);
    return out;
}

void
SignedChannelState::Encode(Writer& w) const
{
    state.Encode(w);
    w.Fixed(sigA);
    w.Fixed(sigB);
}

SignedChannelState
SignedChannelState::ReadFrom(Reader& r)
{
    SignedChannelState s;
    s.state = ChannelState::ReadFrom(r);
    s.sigA = r.Fixed<64>("signature A");
    s.sigB = r.Fixed<64>("signature B");
    return s;
}

bool
SignedChannelState::Verifies(const PublicKey& a, const PublicKey& b) const
{
    return VerifyChannelState(a, state, sigA) && VerifyChannelState(b, state, sigB);
}

Signature
SignChannelState(const KeyPair& key, const ChannelState& s)
{
    return key.Sign(s.SigningBytes());
}

bool
VerifyChannelState(const PublicKey& key, const ChannelState& s, const Signature& sig)
{
    return VerifySignature(key, s.SigningBytes(), sig);
}

Bytes
RevocationSigningBytes(const ChannelId& channel, uint64_t seq)
{
    Bytes out = Tagged(kRevokeDomain, sizeof kRevokeDomain - 1);
    Writer w(out);
    w.Fixed(channel);
    w.U64(seq);
    return out;
}

Signature
SignRevocation(const KeyPair& key, const ChannelId& channel, uint64_t seq)
{
    return key.Sign(RevocationSigningBytes(channel, seq));
}

bool
VerifyRevocation(const PublicKey& key, const ChannelId& channel, uint64_t seq, const Signature& sig)
{
    return VerifySignature(key, RevocationSigningBytes(channel, seq), sig);
}

} // namespace canon
