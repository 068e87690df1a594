#include "model/storage/storage-messages.h"

namespace canon
{

namespace
{

void
WriteContacts(Writer& w, const std::vector<Contact>& cs)
{
    CANON_ASSERT(cs.size() <= kDhtContactsMax, "too many contacts for one message");
    w.U32(static_cast<uint32_t>(cs.size()));
    for (const Contact& c : cs)
    {
        w.Fixed(c.id);
        w.U32(c.peer);
    }
}

std::vector<Contact>
ReadContacts(Reader& r, const char* what)
{
    std::vector<Contact> cs;
    const uint32_t n = r.Count(what, kDhtContactsMax);
    for (uint32_t i = 0; i < n && r.IsOk(); ++i)
    {
        Contact c;
        c.id = r.Fixed<32>("contact id");
        c.peer = r.U32("contact address");
        cs.push_back(c);
    }
    return cs;
}

void
WriteIds(Writer& w, const std::vector<ContentId>& ids)
{
    CANON_ASSERT(ids.size() <= kWantIdsMax, "too many ids for one message");
    w.U32(static_cast<uint32_t>(ids.size()));
    for (const ContentId& id : ids)
    {
        w.Fixed(id);
    }
}

template <typename T>
Result<DecodedStorageMessage>
Finished(Reader& r, MessageType type, T body)
{
    if (Status s = r.Finish(); !s.IsOk())
    {
        return s;
    }
    return DecodedStorageMessage{type, std::move(body)};
}

Result<DecodedStorageMessage>
DecodeFindProviders(Reader& r)
{
    FindProvidersMessage m;
    m.rpc = r.U64("rpc");
    m.sender = r.Fixed<32>("sender");
    m.key = r.Fixed<32>("key");
    return Finished(r, MessageType::kDhtFindProviders, m);
}

Result<DecodedStorageMessage>
DecodeProviders(Reader& r)
{
    ProvidersMessage m;
    m.rpc = r.U64("rpc");
    m.sender = r.Fixed<32>("sender");
    m.providers = ReadContacts(r, "provider count");
    m.closer = ReadContacts(r, "contact count");
    return Finished(r, MessageType::kDhtProviders, std::move(m));
}

Result<DecodedStorageMessage>
DecodeAddProvider(Reader& r)
{
    AddProviderMessage m;
    m.sender = r.Fixed<32>("sender");
    m.key = r.Fixed<32>("key");
    return Finished(r, MessageType::kDhtAddProvider, m);
}

Result<DecodedStorageMessage>
DecodeIds(Reader& r, MessageType type)
{
    ContentIdsMessage m;
    const uint32_t n = r.Count("id count", kWantIdsMax);
    for (uint32_t i = 0; i < n && r.IsOk(); ++i)
    {
        m.ids.push_back(r.Fixed<32>("content id"));
    }
    return Finished(r, type, std::move(m));
}

Result<DecodedStorageMessage>
DecodeContentBlocks(Reader& r)
{
    ContentBlocksMessage m;
    const uint32_t n = r.Count("block count", kWantIdsMax);
    std::size_t total = 0;
    for (uint32_t i = 0; i < n && r.IsOk(); ++i)
    {
        const ContentId id = r.Fixed<32>("content id");
        Bytes b = r.Var("block", kDagBlockBytesMax);
        total += b.size();
        if (r.IsOk() && total > kContentBlocksBytesMax)
        {
            r.Fail("blocks exceed " + std::to_string(kContentBlocksBytesMax) + " bytes");
        }
        m.blocks.emplace_back(id, std::move(b));
    }
    return Finished(r, MessageType::kContentBlocks, std::move(m));
}

Result<DecodedStorageMessage>
DecodeBody(Reader& r, MessageType type)
{
    switch (type)
    {
        case MessageType::kDhtFindProviders:
            return DecodeFindProviders(r);
        case MessageType::kDhtProviders:
            return DecodeProviders(r);
        case MessageType::kDhtAddProvider:
            return DecodeAddProvider(r);
        case MessageType::kWantContent:
        case MessageType::kDontHave:
            return DecodeIds(r, type);
        case MessageType::kContentBlocks:
            return DecodeContentBlocks(r);
        default:
            break;
    }
    return Status::Malformed("storage message: unknown type " +
                             std::to_string(static_cast<unsigned>(type)));
}

} // namespace

SharedBytes
EncodeFindProviders(const FindProvidersMessage& m)
{
    Bytes out = MessageEnvelope(MessageType::kDhtFindProviders);
    Writer w(out);
    w.U64(m.rpc);
    w.Fixed(m.sender);
    w.Fixed(m.key);
    return ShareBytes(std::move(out));
}

SharedBytes
EncodeProviders(const ProvidersMessage& m)
{
    Bytes out = MessageEnvelope(MessageType::kDhtProviders);
    Writer w(out);
    w.U64(m.rpc);
    w.Fixed(m.sender);
    WriteContacts(w, m.providers);
    WriteContacts(w, m.closer);
    return ShareBytes(std::move(out));
}

SharedBytes
EncodeAddProvider(const AddProviderMessage& m)
{
    Bytes out = MessageEnvelope(MessageType::kDhtAddProvider);
    Writer w(out);
    w.Fixed(m.sender);
    w.Fixed(m.key);
    return ShareBytes(std::move(out));
}

SharedBytes
EncodeContentIds(MessageType type, const ContentIdsMessage& m)
{
    CANON_ASSERT(type == MessageType::kWantContent || type == MessageType::kDontHave,
                 "content ids go in WantContent or DontHave");
    Bytes out = MessageEnvelope(type);
    Writer w(out);
    WriteIds(w, m.ids);
    return ShareBytes(std::move(out));
}

SharedBytes
EncodeContentBlocks(const ContentBlocksMessage& m)
{
    CANON_ASSERT(m.blocks.size() <= kWantIdsMax, "too many blocks for one message");
    Bytes out = MessageEnvelope(MessageType::kContentBlocks);
    Writer w(out);
    w.U32(static_cast<uint32_t>(m.blocks.size()));
    for (const auto& [id, b] : m.blocks)
    {
        w.Fixed(id);
        w.Var(b);
    }
    return ShareBytes(std::move(out));
}

Result<DecodedStorageMessage>
DecodeStorageMessage(const Bytes& bytes)
{
    Reader r(bytes, "storage message");
    r.Version(kMessageVersion);
    const uint8_t type = r.U8("type");
    if (!r.IsOk())
    {
        return r.Finish();
    }
    Bytes probe{kMessageVersion, type};
    if (!IsStorageMessage(probe))
    {
        return Status::Malformed("storage message: unknown type " + std::to_string(type));
    }
    return DecodeBody(r, static_cast<MessageType>(type));
}

} // namespace canon
