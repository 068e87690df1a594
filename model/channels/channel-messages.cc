#include "model/channels/channel-messages.h"

#include <type_traits>

namespace canon
{

namespace
{

void
Write(Writer& w, const ChannelPropose& m)
{
    w.U8(static_cast<uint8_t>(ChannelMessageType::kPropose));
    m.state.Encode(w);
    w.Fixed(m.sig);
    w.U8(m.preimage ? 1 : 0);
    if (m.preimage)
    {
        w.Fixed(*m.preimage);
    }
    w.U32(static_cast<uint32_t>(m.onward.size()));
    for (const ForwardHop& h : m.onward)
    {
        w.U32(h.node);
        w.Fixed(h.channel);
        w.U64(h.amount);
        w.I64(h.expiry);
    }
}

void
Write(Writer& w, const ChannelAccept& m)
{
    w.U8(static_cast<uint8_t>(ChannelMessageType::kAccept));
    w.Fixed(m.channel);
    w.U64(m.seq);
    w.Fixed(m.sig);
    w.Fixed(m.revocation);
}

void
Write(Writer& w, const ChannelRevoke& m)
{
    w.U8(static_cast<uint8_t>(ChannelMessageType::kRevoke));
    w.Fixed(m.channel);
    w.U64(m.revokedSeq);
    w.Fixed(m.revocation);
}

void
Write(Writer& w, const ChannelReject& m)
{
    w.U8(static_cast<uint8_t>(ChannelMessageType::kReject));
    w.Fixed(m.channel);
    w.U64(m.seq);
    w.Var(Bytes(m.reason.begin(), m.reason.end()));
}

void
WriteReestablishFields(Writer& w, const ChannelReestablish& m)
{
    w.Fixed(m.channel);
    w.U64(m.round);
    w.U64(m.latestSeq);
    w.U64(m.revocationsHeld);
    w.U8(m.answer ? 1 : 0);
}

void
Write(Writer& w, const ChannelReestablish& m)
{
    w.U8(static_cast<uint8_t>(ChannelMessageType::kReestablish));
    WriteReestablishFields(w, m);
    w.Fixed(m.sig);
}

ChannelMessage
ReadPropose(Reader& r)
{
    ChannelPropose m;
    m.state = ChannelState::ReadFrom(r);
    m.sig = r.Fixed<64>("proposer signature");
    const uint8_t flag = r.U8("preimage flag");
    if (flag > 1)
    {
        r.Fail("preimage flag is not 0 or 1");
    }
    if (flag == 1)
    {
        m.preimage = r.Fixed<32>("preimage");
    }
    const uint32_t hops = r.Count("onward hop count", kOnionHopsMax);
    for (uint32_t i = 0; i < hops && r.IsOk(); ++i)
    {
        ForwardHop h;
        h.node = r.U32("onward node");
        h.channel = r.Fixed<32>("onward channel");
        h.amount = r.U64("onward amount");
        h.expiry = r.I64("onward expiry");
        m.onward.push_back(h);
    }
    return m;
}

ChannelMessage
ReadAccept(Reader& r)
{
    ChannelAccept m;
    m.channel = r.Fixed<32>("channel");
    m.seq = r.U64("seq");
    m.sig = r.Fixed<64>("acceptor signature");
    m.revocation = r.Fixed<64>("revocation");
    return m;
}

ChannelMessage
ReadRevoke(Reader& r)
{
    ChannelRevoke m;
    m.channel = r.Fixed<32>("channel");
    m.revokedSeq = r.U64("revoked seq");
    m.revocation = r.Fixed<64>("revocation");
    return m;
}

ChannelMessage
ReadReject(Reader& r)
{
    ChannelReject m;
    m.channel = r.Fixed<32>("channel");
    m.seq = r.U64("seq");
    const Bytes reason = r.Var("reason", kRejectReasonMax);
    m.reason.assign(reason.begin(), reason.end());
    return m;
}

ChannelMessage
ReadReestablish(Reader& r)
{
    ChannelReestablish m;
    m.channel = r.Fixed<32>("channel");
    m.round = r.U64("round");
    m.latestSeq = r.U64("latest seq");
    m.revocationsHeld = r.U64("revocations held");
    const uint8_t answer = r.U8("answer flag");
    if (answer > 1)
    {
        r.Fail("answer flag is not 0 or 1");
    }
    m.answer = answer == 1;
    m.sig = r.Fixed<64>("re-establish signature");
    return m;
}

const char kReestablishDomain[] = "CanonChain/channel-reestablish/v1";

} // namespace

Bytes
ChannelReestablish::SigningBytes() const
{
    Bytes out(kReestablishDomain, kReestablishDomain + sizeof kReestablishDomain - 1);
    Writer w(out);
    WriteReestablishFields(w, *this);
    return out;
}

Bytes
EncodeChannelMessage(const ChannelMessage& m)
{
    Bytes out;
    Writer w(out);
    w.U8(kChannelMessageVersion);
    std::visit([&](const auto& body) { Write(w, body); }, m);
    return out;
}

Result<ChannelMessage>
DecodeChannelMessage(const Bytes& bytes)
{
    Reader r(bytes, "channel message");
    r.Version(kChannelMessageVersion);
    const uint8_t type = r.U8("type");
    ChannelMessage m;
    switch (static_cast<ChannelMessageType>(type))
    {
        case ChannelMessageType::kPropose:
            m = ReadPropose(r);
            break;
        case ChannelMessageType::kAccept:
            m = ReadAccept(r);
            break;
        case ChannelMessageType::kRevoke:
            m = ReadRevoke(r);
            break;
        case ChannelMessageType::kReject:
            m = ReadReject(r);
            break;
        case ChannelMessageType::kReestablish:
            m = ReadReestablish(r);
            break;
        default:
            if (r.IsOk())
            {
                r.Fail("unknown channel message type " + std::to_string(type));
            }
    }
    Status s = r.Finish();
    if (!s.IsOk())
    {
        return s;
    }
    return m;
}

const ChannelId&
ChannelOf(const ChannelMessage& m)
{
    return std::visit(
        [](const auto& b) -> const ChannelId&
        {
            if constexpr (std::is_same_v<std::decay_t<decltype(b)>, ChannelPropose>)
            {
                return b.state.channel;
            }
            else
            {
                return b.channel;
            }
        },
        m);
}

const char*
ChannelMessageName(const ChannelMessage& m)
{
    static constexpr const char* kNames[] = {"channel-propose", "channel-accept", "channel-revoke",
                                             "channel-reject", "channel-reestablish"};
    return kNames[m.index()];
}

} // namespace canon
