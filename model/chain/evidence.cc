#include "model/chain/evidence.h"

namespace canon
{

Bytes
EquivocationEvidence::Encode() const
{
    Bytes out;
    Writer w(out);
    w.U8(kEvidenceVersion);
    first.Encode(w);
    second.Encode(w);
    return out;
}

Result<EquivocationEvidence>
EquivocationEvidence::Decode(const Bytes& b)
{
    Reader r(b, "equivocation evidence");
    r.Version(kEvidenceVersion);
    EquivocationEvidence ev;
    ev.first = BlockHeader::ReadFrom(r);
    ev.second = BlockHeader::ReadFrom(r);
    Status s = r.Finish();
    if (!s.IsOk())
    {
        return s;
    }
    return ev;
}

Status
EquivocationEvidence::CheckConflict() const
{
    if (first.producer != second.producer)
    {
        return Status::Invalid("evidence headers have different producers");
    }
    if (first.slot != second.slot)
    {
        return Status::Invalid("evidence headers are for different slots");
    }
    if (first.Hash() == second.Hash())
    {
        return Status::Invalid("evidence headers are the same block");
    }
    if (!first.HasValidSignature() || !second.HasValidSignature())
    {
        return Status::Invalid("evidence header signature is bad");
    }
    return Status::Ok();
}

} // namespace canon
