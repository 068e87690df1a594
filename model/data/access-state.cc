#include "model/data/access-state.h"

namespace canon
{

namespace
{

// The stream `id` exists and `sender` owns it.
Status
CheckOwner(const AccessState& state, const Hash256& id, const Address& sender)
{
    const StreamRecord* s = state.FindStream(id);
    if (!s)
    {
        return Status::Invalid("data stream " + ShortHex(id) + " is not registered");
    }
    if (s->owner != sender)
    {
        return Status::Invalid("data stream " + ShortHex(id) + " is owned by " +
                               ShortHex(s->owner) + ", not by the sender " + ShortHex(sender));
    }
    return Status::Ok();
}

Status
CheckRegister(const AccessState& state, const Transaction& tx)
{
    auto p = RegisterStreamPayload::Decode(tx.payload);
    if (!p.IsOk())
    {
        return p.GetStatus();
    }
    const Hash256 id = p.Value().StreamId();
    if (state.FindStream(id))
    {
        return Status::Invalid("data stream " + ShortHex(id) + " is already registered");
    }
    return Status::Ok();
}

Status
CheckGrant(const AccessState& state, const Transaction& tx)
{
    auto p = GrantPayload::Decode(tx.payload);
    if (!p.IsOk())
    {
        return p.GetStatus();
    }
    const Address sender = tx.SenderAddress();
    if (Status s = CheckOwner(state, p.Value().stream, sender); !s.IsOk())
    {
        return s;
    }
    if (AddressOf(p.Value().grantee) == sender)
    {
        return Status::Invalid("grant of data stream " + ShortHex(p.Value().stream) +
                               " to its own owner");
    }
    return Status::Ok();
}

Status
CheckRevoke(const AccessState& state, const Transaction& tx)
{
    auto p = RevokePayload::Decode(tx.payload);
    if (!p.IsOk())
    {
        return p.GetStatus();
    }
    if (Status s = CheckOwner(state, p.Value().stream, tx.SenderAddress()); !s.IsOk())
    {
        return s;
    }
    const GrantRecord* g = state.FindGrant(p.Value().stream, p.Value().grantee);
    if (!g || !g->Live())
    {
        return Status::Invalid("revoke of data stream " + ShortHex(p.Value().stream) + " for " +
                               ShortHex(p.Value().grantee) + ": no live grant");
    }
    return Status::Ok();
}

} // namespace

Status
CheckAccessTx(const AccessState& state, const Transaction& tx)
{
    switch (tx.type)
    {
        case TxType::kDataRegister:
            return CheckRegister(state, tx);
        case TxType::kDataGrant:
            return CheckGrant(state, tx);
        case TxType::kDataRevoke:
            return CheckRevoke(state, tx);
        default:
            break;
    }
    return Status::Invalid("not a data access transaction");
}

void
RecordAccessTx(AccessState& state, const Transaction& tx, uint64_t height)
{
    if (tx.type == TxType::kDataRegister)
    {
        const auto p = RegisterStreamPayload::Decode(tx.payload).Value();
        state.streams[p.StreamId()] = StreamRecord{tx.SenderAddress(), p.digest, height};
    }
    else if (tx.type == TxType::kDataGrant)
    {
        const auto p = GrantPayload::Decode(tx.payload).Value();
        state.grants[GrantId{p.stream, AddressOf(p.grantee)}] =
            GrantRecord{p.grantee, p.keyVersion, p.sealedKey, height, 0};
    }
    else if (tx.type == TxType::kDataRevoke)
    {
        const auto p = RevokePayload::Decode(tx.payload).Value();
        GrantRecord g = *state.FindGrant(p.stream, p.grantee);
        g.revokedHeight = height;
        state.grants[GrantId{p.stream, p.grantee}] = g;
    }
}

} // namespace canon
