#include "model/channels/channel-payloads.h"

namespace canon
{

namespace
{
const char kOpenDomain[] = "CanonChain/channel-open/v1";
const char kIdDomain[] = "CanonChain/channel-id/v1";

// Reads a presence flag byte: 0 or 1.
bool
ReadFlag(Reader& r, const char* field)
{
    const uint8_t f = r.U8(field);
    if (f > 1)
    {
        r.Fail(std::string(field) + " is not 0 or 1");
    }
    return f == 1;
}

template <typename T>
Result<T>
Finished(Reader& r, T value)
{
    Status s = r.Finish();
    if (!s.IsOk())
    {
        return s;
    }
    return value;
}
} // namespace

Bytes
ChannelOpenPayload::Encode() const
{
    Bytes out;
    Writer w(out);
    w.Fixed(counterparty);
    w.U64(depositA);
    w.U64(depositB);
    w.I64(challengePeriod);
    w.Fixed(counterpartySig);
    return out;
}

Result<ChannelOpenPayload>
ChannelOpenPayload::Decode(const Bytes& payload)
{
    Reader r(payload, "channel open payload");
    ChannelOpenPayload p;
    p.counterparty = r.Fixed<32>("counterparty");
    p.depositA = r.U64("deposit A");
    p.depositB = r.U64("deposit B");
    p.challengePeriod = r.I64("challenge period");
    p.counterpartySig = r.Fixed<64>("counterparty signature");
    return Finished(r, p);
}

Bytes
OpenTermsBytes(const PublicKey& opener, uint64_t openerNonce, const ChannelOpenPayload& p)
{
    Bytes out(kOpenDomain, kOpenDomain + sizeof kOpenDomain - 1);
    Writer w(out);
    w.Fixed(opener);
    w.U64(openerNonce);
    w.Fixed(p.counterparty);
    w.U64(p.depositA);
    w.U64(p.depositB);
    w.I64(p.challengePeriod);
    return out;
}

ChannelId
ChannelIdFor(const PublicKey& opener, uint64_t nonce)
{
    Bytes b(kIdDomain, kIdDomain + sizeof kIdDomain - 1);
    Writer w(b);
    w.Fixed(opener);
    w.U64(nonce);
    return Blake2b256(b);
}

Bytes
ChannelClosePayload::Encode() const
{
    Bytes out;
    Writer w(out);
    state.Encode(w);
    return out;
}

Result<ChannelClosePayload>
ChannelClosePayload::Decode(const Bytes& payload)
{
    Reader r(payload, "channel close payload");
    ChannelClosePayload p;
    p.state = SignedChannelState::ReadFrom(r);
    return Finished(r, p);
}

Bytes
ChannelChallengePayload::Encode() const
{
    Bytes out;
    Writer w(out);
    w.Fixed(channel);
    w.U8(revocation ? 1 : 0);
    if (revocation)
    {
        w.U64(revocation->first);
        w.Fixed(revocation->second);
    }
    w.U8(newer ? 1 : 0);
    if (newer)
    {
        newer->Encode(w);
    }
    return out;
}

Result<ChannelChallengePayload>
ChannelChallengePayload::Decode(const Bytes& payload)
{
    Reader r(payload, "channel challenge payload");
    ChannelChallengePayload p;
    p.channel = r.Fixed<32>("channel");
    if (ReadFlag(r, "revocation flag"))
    {
        const uint64_t seq = r.U64("revoked seq");
        p.revocation = std::make_pair(seq, r.Fixed<64>("revocation signature"));
    }
    if (ReadFlag(r, "newer-state flag"))
    {
        p.newer = SignedChannelState::ReadFrom(r);
    }
    if (r.IsOk() && !p.revocation && !p.newer)
    {
        r.Fail("challenge carries neither a revocation nor a newer state");
    }
    return Finished(r, p);
}

Bytes
ChannelHtlcClaimPayload::Encode() const
{
    Bytes out;
    Writer w(out);
    w.Fixed(channel);
    w.Fixed(preimage);
    return out;
}

Result<ChannelHtlcClaimPayload>
ChannelHtlcClaimPayload::Decode(const Bytes& payload)
{
    Reader r(payload, "channel HTLC claim payload");
    ChannelHtlcClaimPayload p;
    p.channel = r.Fixed<32>("channel");
    p.preimage = r.Fixed<32>("preimage");
    return Finished(r, p);
}

Bytes
ChannelSettlePayload::Encode() const
{
    Bytes out;
    Writer w(out);
    w.Fixed(channel);
    return out;
}

Result<ChannelSettlePayload>
ChannelSettlePayload::Decode(const Bytes& payload)
{
    Reader r(payload, "channel settle payload");
    ChannelSettlePayload p;
    p.channel = r.Fixed<32>("channel");
    return Finished(r, p);
}

} // namespace canon
