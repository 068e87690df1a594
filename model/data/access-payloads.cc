#include "model/data/access-payloads.h"

namespace canon
{

namespace
{
template <typename T>
Result<T>
Finish(Reader& r, T value)
{
    if (Status s = r.Finish(); !s.IsOk())
    {
        return s;
    }
    return value;
}
} // namespace

Hash256
StreamIdOf(const Hash256& digest)
{
    Blake2bHasher h;
    const std::string tag = "CanonChain/data-stream/v1";
    h.Update(reinterpret_cast<const uint8_t*>(tag.data()), tag.size());
    h.Update(digest);
    return h.Final();
}

Bytes
RegisterStreamPayload::Encode() const
{
    Bytes out;
    Writer w(out);
    w.Fixed(digest);
    return out;
}

Result<RegisterStreamPayload>
RegisterStreamPayload::Decode(const Bytes& payload)
{
    Reader r(payload, "register-stream payload");
    RegisterStreamPayload p;
    p.digest = r.Fixed<32>("digest");
    return Finish(r, p);
}

Bytes
GrantPayload::Encode() const
{
    Bytes out;
    Writer w(out);
    w.Fixed(stream);
    w.Fixed(grantee);
    w.U32(keyVersion);
    w.Fixed(sealedKey);
    return out;
}

Result<GrantPayload>
GrantPayload::Decode(const Bytes& payload)
{
    Reader r(payload, "grant payload");
    GrantPayload p;
    p.stream = r.Fixed<32>("stream");
    p.grantee = r.Fixed<32>("grantee");
    p.keyVersion = r.U32("key version");
    p.sealedKey = r.Fixed<kSealedKeyBytes>("sealed key");
    return Finish(r, p);
}

Bytes
RevokePayload::Encode() const
{
    Bytes out;
    Writer w(out);
    w.Fixed(stream);
    w.Fixed(grantee);
    return out;
}

Result<RevokePayload>
RevokePayload::Decode(const Bytes& payload)
{
    Reader r(payload, "revoke payload");
    RevokePayload p;
    p.stream = r.Fixed<32>("stream");
    p.grantee = r.Fixed<32>("grantee");
    return Finish(r, p);
}

} // namespace canon
