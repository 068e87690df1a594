#include "model/contracts/callback-message.h"

namespace canon
{

Bytes
CallbackMessage::Encode() const
{
    Bytes out;
    Writer w(out);
    w.U8(kMessageVersion);
    w.U8(static_cast<uint8_t>(kCallbackMessage));
    w.Fixed(registration);
    w.Fixed(device);
    w.Fixed(contract);
    w.Fixed(triggerTx);
    w.U64(triggerHeight);
    w.I64(blockTime);
    data.Encode(w);
    return out;
}

Result<CallbackMessage>
CallbackMessage::Decode(const Bytes& framed)
{
    Reader r(framed, "callback message");
    r.Version(kMessageVersion);
    const uint8_t type = r.U8("type");
    if (r.IsOk() && type != static_cast<uint8_t>(kCallbackMessage))
    {
        r.Fail("type " + std::to_string(type) + " is not a callback");
    }
    CallbackMessage m;
    m.registration = r.Fixed<32>("registration");
    m.device = r.Fixed<32>("device");
    m.contract = r.Fixed<32>("contract");
    m.triggerTx = r.Fixed<32>("trigger transaction");
    m.triggerHeight = r.U64("trigger height");
    m.blockTime = r.I64("block time");
    m.data = ContractValue::ReadFrom(r);
    Status s = r.Finish();
    if (!s.IsOk())
    {
        return s;
    }
    return m;
}

bool
IsCallbackMessage(const Bytes& framed)
{
    return framed.size() >= 2 && framed[1] == static_cast<uint8_t>(kCallbackMessage);
}

} // namespace canon
