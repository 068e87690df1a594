#include "model/contracts/contract-tx.h"

namespace canon
{

namespace
{

template <class T, class F>
Result<T>
DecodeWith(const Bytes& payload, const char* what, F read)
{
    Reader r(payload, what);
    T p = read(r);
    Status s = r.Finish();
    if (!s.IsOk())
    {
        return s;
    }
    return p;
}

std::string
ReadName(Reader& r, const char* field, std::size_t max = kContractNameBytesMax)
{
    Bytes b = r.Var(field, max);
    if (r.IsOk() && b.empty())
    {
        r.Fail(std::string(field) + " is empty");
    }
    return std::string(b.begin(), b.end());
}

void
WriteString(Writer& w, const std::string& s)
{
    w.Var(Bytes(s.begin(), s.end()));
}

} // namespace

bool
IsContractTx(TxType type)
{
    const auto t = static_cast<uint8_t>(type);
    return t >= static_cast<uint8_t>(TxType::kContractDeploy) &&
           t <= static_cast<uint8_t>(TxType::kCallbackRegister);
}

Bytes
DeployPayload::Encode() const
{
    Bytes out;
    Writer w(out);
    WriteString(w, code);
    EncodeValues(w, args);
    w.U64(value);
    w.U64(gasLimit);
    return out;
}

Result<DeployPayload>
DeployPayload::Decode(const Bytes& payload)
{
    return DecodeWith<DeployPayload>(payload, "deploy payload",
                                     [](Reader& r)
                                     {
                                         DeployPayload p;
                                         const Bytes text = r.Var("code", kContractCodeWireMax);
                                         p.code.assign(text.begin(), text.end());
                                         p.args = ReadValues(r);
                                         p.value = r.U64("value");
                                         p.gasLimit = r.U64("gas limit");
                                         return p;
                                     });
}

Bytes
CallPayload::Encode() const
{
    Bytes out;
    Writer w(out);
    w.Fixed(contract);
    WriteString(w, method);
    EncodeValues(w, args);
    w.U64(value);
    w.U64(gasLimit);
    return out;
}

Result<CallPayload>
CallPayload::Decode(const Bytes& payload)
{
    return DecodeWith<CallPayload>(payload, "call payload",
                                   [](Reader& r)
                                   {
                                       CallPayload p;
                                       p.contract = r.Fixed<32>("contract");
                                       p.method = ReadName(r, "method");
                                       p.args = ReadValues(r);
                                       p.value = r.U64("value");
                                       p.gasLimit = r.U64("gas limit");
                                       return p;
                                   });
}

Bytes
DeviceRegisterPayload::Encode() const
{
    Bytes out;
    Writer w(out);
    w.Fixed(device);
    w.U32(deviceNode);
    w.U32(homeNode);
    return out;
}

Result<DeviceRegisterPayload>
DeviceRegisterPayload::Decode(const Bytes& payload)
{
    return DecodeWith<DeviceRegisterPayload>(payload, "device register payload",
                                             [](Reader& r)
                                             {
                                                 DeviceRegisterPayload p;
                                                 p.device = r.Fixed<32>("device key");
                                                 p.deviceNode = r.U32("device node");
                                                 p.homeNode = r.U32("home node");
                                                 return p;
                                             });
}

Bytes
DeviceEventPayload::Encode() const
{
    Bytes out;
    Writer w(out);
    w.Fixed(contract);
    WriteString(w, eventType);
    EncodeValues(w, data);
    w.U64(gasLimit);
    return out;
}

Result<DeviceEventPayload>
DeviceEventPayload::Decode(const Bytes& payload)
{
    return DecodeWith<DeviceEventPayload>(payload, "device event payload",
                                          [](Reader& r)
                                          {
                                              DeviceEventPayload p;
                                              p.contract = r.Fixed<32>("contract");
                                              p.eventType = ReadName(r, "event type");
                                              p.data = ReadValues(r);
                                              p.gasLimit = r.U64("gas limit");
                                              return p;
                                          });
}

bool
Predicate::Holds(const ContractValue& value) const
{
    const bool ints =
        value.kind == ContractValue::Kind::kInt && operand.kind == ContractValue::Kind::kInt;
    switch (op)
    {
        case PredicateOp::kEq:
            return value == operand;
        case PredicateOp::kNe:
            return value != operand;
        case PredicateOp::kLt:
            return ints && value.integer < operand.integer;
        case PredicateOp::kLe:
            return ints && value.integer <= operand.integer;
        case PredicateOp::kGt:
            return ints && value.integer > operand.integer;
        case PredicateOp::kGe:
            return ints && value.integer >= operand.integer;
        case PredicateOp::kSet:
            return value.kind != ContractValue::Kind::kNil;
    }
    return false;
}

void
Predicate::Encode(Writer& w) const
{
    WriteString(w, key);
    w.U8(static_cast<uint8_t>(op));
    operand.Encode(w);
}

Predicate
Predicate::ReadFrom(Reader& r)
{
    Predicate p;
    p.key = ReadName(r, "predicate key", kPredicateKeyWireMax);
    const uint8_t op = r.U8("predicate operator");
    if (op > static_cast<uint8_t>(PredicateOp::kSet))
    {
        r.Fail("unknown predicate operator " + std::to_string(op));
    }
    p.op = static_cast<PredicateOp>(op);
    p.operand = ContractValue::ReadFrom(r);
    return p;
}

Bytes
CallbackRegisterPayload::Encode() const
{
    Bytes out;
    Writer w(out);
    w.Fixed(contract);
    predicate.Encode(w);
    return out;
}

Result<CallbackRegisterPayload>
CallbackRegisterPayload::Decode(const Bytes& payload)
{
    return DecodeWith<CallbackRegisterPayload>(payload, "callback register payload",
                                               [](Reader& r)
                                               {
                                                   CallbackRegisterPayload p;
                                                   p.contract = r.Fixed<32>("contract");
                                                   p.predicate = Predicate::ReadFrom(r);
                                                   return p;
                                               });
}

} // namespace canon
