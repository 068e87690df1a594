#include "model/storage/named-object.h"

namespace canon
{

namespace
{
const char kVersionDomain[] = "CanonChain/object-version/v1";

void
WriteFields(Writer& w, const ObjectVersion& v)
{
    w.Fixed(v.owner);
    w.Var(Bytes(v.name.begin(), v.name.end()));
    w.U64(v.version);
    w.Fixed(v.predecessor);
    w.Fixed(v.root);
    w.I64(v.time);
}
} // namespace

Bytes
ObjectVersion::SigningBytes() const
{
    Bytes out(kVersionDomain, kVersionDomain + sizeof kVersionDomain - 1);
    Writer w(out);
    WriteFields(w, *this);
    return out;
}

Bytes
ObjectVersion::Encode() const
{
    Bytes out;
    Writer w(out);
    WriteFields(w, *this);
    w.Fixed(signature);
    return out;
}

Result<ObjectVersion>
ObjectVersion::Decode(const Bytes& b)
{
    Reader r(b, "object version");
    ObjectVersion v;
    v.owner = r.Fixed<32>("owner");
    const Bytes name = r.Var("name", kObjectNameBytesMax);
    v.name.assign(name.begin(), name.end());
    v.version = r.U64("version");
    v.predecessor = r.Fixed<32>("predecessor");
    v.root = r.Fixed<32>("root");
    v.time = r.I64("time");
    v.signature = r.Fixed<64>("signature");
    if (Status s = r.Finish(); !s.IsOk())
    {
        return s;
    }
    return v;
}

ObjectVersion
MakeVersion(const KeyPair& key, const std::string& name, const ContentId& root, TimeNs time,
            const ObjectVersion* head)
{
    ObjectVersion v;
    v.owner = key.Public();
    v.name = name;
    v.root = root;
    v.time = time;
    v.version = head ? head->version + 1 : 1;
    v.predecessor = head ? head->Hash() : Hash256{};
    v.SignWith(key);
    return v;
}

Status
NameRegistry::Publish(const ObjectVersion& v)
{
    if (v.name.empty() || v.name.size() > kObjectNameBytesMax)
    {
        return Status::Invalid("object name of " + std::to_string(v.name.size()) + " bytes");
    }
    if (!VerifySignature(v.owner, v.SigningBytes(), v.signature))
    {
        return Status::Invalid("object '" + v.name + "' version " + std::to_string(v.version) +
                               ": bad signature");
    }
    auto it = m_names.find(v.name);
    if (it == m_names.end())
    {
        if (v.version != 1 || v.predecessor != Hash256{})
        {
            return Status::Invalid("object '" + v.name +
                                   "' is new: version 1 without a predecessor expected");
        }
        if (m_names.size() >= m_namesMax)
        {
            return Status(StatusCode::kResourceLimit, "name registry full");
        }
        m_names[v.name].push_back(v);
        return Status::Ok();
    }
    const ObjectVersion& head = it->second.back();
    if (v.owner != head.owner)
    {
        return Status::Invalid("object '" + v.name + "' belongs to " + ShortHex(head.owner));
    }
    if (v.version != head.version + 1 || v.predecessor != head.Hash())
    {
        return Status::Invalid("object '" + v.name + "' version " + std::to_string(v.version) +
                               " does not follow the head, version " +
                               std::to_string(head.version));
    }
    it->second.push_back(v);
    if (it->second.size() > m_versionsMax)
    {
        it->second.pop_front();
    }
    return Status::Ok();
}

const ObjectVersion*
NameRegistry::Head(const std::string& name) const
{
    auto it = m_names.find(name);
    return it == m_names.end() ? nullptr : &it->second.back();
}

std::vector<ObjectVersion>
NameRegistry::History(const std::string& name) const
{
    auto it = m_names.find(name);
    if (it == m_names.end())
    {
        return {};
    }
    return std::vector<ObjectVersion>(it->second.rbegin(), it->second.rend());
}

Hash256
NameKeyOf(const PublicKey& owner, const std::string& name)
{
    Blake2bHasher h;
    const std::string tag = "canonsim name record";
    h.Update(reinterpret_cast<const uint8_t*>(tag.data()), tag.size());
    h.Update(owner);
    h.Update(reinterpret_cast<const uint8_t*>(name.data()), name.size());
    return h.Final();
}

Result<ObjectVersion>
CheckNameRecord(const Hash256& key, const Bytes& record, const ObjectVersion* held)
{
    auto v = ObjectVersion::Decode(record);
    if (!v.IsOk())
    {
        return v.GetStatus();
    }
    const ObjectVersion& got = v.Value();
    if (NameKeyOf(got.owner, got.name) != key)
    {
        return Status::Invalid("name record for another name than " + ShortHex(key));
    }
    if (!VerifySignature(got.owner, got.SigningBytes(), got.signature))
    {
        return Status::Invalid("name record '" + got.name + "': bad signature");
    }
    if (held && got.version <= held->version)
    {
        return Status::Invalid("name record '" + got.name + "' version " +
                               std::to_string(got.version) + " is not newer than " +
                               std::to_string(held->version));
    }
    if (held && got.version == held->version + 1 && got.predecessor != held->Hash())
    {
        return Status::Invalid("name record '" + got.name + "' version " +
                               std::to_string(got.version) + " does not follow the held one");
    }
    return v;
}

} // namespace canon
