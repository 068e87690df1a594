#include "model/contracts/contract-value.h"

namespace canon
{

std::string
ContractValue::ToString() const
{
    switch (kind)
    {
        case Kind::kNil:
            return "nil";
        case Kind::kBool:
            return integer != 0 ? "true" : "false";
        case Kind::kInt:
            return std::to_string(integer);
        case Kind::kString:
            return "\"" + bytes + "\"";
    }
    return "?";
}

void
ContractValue::Encode(Writer& w) const
{
    w.U8(static_cast<uint8_t>(kind));
    switch (kind)
    {
        case Kind::kNil:
            return;
        case Kind::kBool:
            w.U8(integer != 0 ? 1 : 0);
            return;
        case Kind::kInt:
            w.I64(integer);
            return;
        case Kind::kString:
            w.Var(Bytes(bytes.begin(), bytes.end()));
            return;
    }
}

Bytes
ContractValue::Encode() const
{
    Bytes out;
    Writer w(out);
    Encode(w);
    return out;
}

ContractValue
ContractValue::ReadFrom(Reader& r)
{
    ContractValue v;
    const uint8_t kind = r.U8("value kind");
    switch (kind)
    {
        case 0:
            return v;
        case 1:
        {
            const uint8_t b = r.U8("boolean");
            if (b > 1)
            {
                r.Fail("boolean byte " + std::to_string(b) + " is neither 0 nor 1");
            }
            return Bool(b == 1);
        }
        case 2:
            return Int(r.I64("integer"));
        case 3:
        {
            Bytes b = r.Var("string", kContractStringBytesMax);
            return Str(std::string(b.begin(), b.end()));
        }
        default:
            r.Fail("unknown value kind " + std::to_string(kind));
            return v;
    }
}

Result<ContractValue>
ContractValue::Decode(const Bytes& b)
{
    Reader r(b, "contract value");
    ContractValue v = ReadFrom(r);
    Status s = r.Finish();
    if (!s.IsOk())
    {
        return s;
    }
    return v;
}

void
EncodeValues(Writer& w, const std::vector<ContractValue>& values)
{
    w.U32(static_cast<uint32_t>(values.size()));
    for (const auto& v : values)
    {
        v.Encode(w);
    }
}

std::vector<ContractValue>
ReadValues(Reader& r)
{
    const uint32_t n = r.Count("value count", kContractValuesMax);
    std::vector<ContractValue> out;
    for (uint32_t i = 0; i < n && r.IsOk(); ++i)
    {
        out.push_back(ContractValue::ReadFrom(r));
    }
    return out;
}

} // namespace canon
