#include "model/consensus/equivocation.h"

#include <algorithm>

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
EquivocationEvidence::Verify(const std::set<PublicKey>& producers) const
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
    if (producers.count(first.producer) == 0)
    {
        return Status::Invalid("evidence names a key outside the producer set");
    }
    if (!first.HasValidSignature() || !second.HasValidSignature())
    {
        return Status::Invalid("evidence header signature is bad");
    }
    return Status::Ok();
}

std::optional<EquivocationEvidence>
EquivocationDetector::Observe(const BlockHeader& header)
{
    if (header.slot + kEquivocationWindowSlots < m_highestSlot)
    {
        return std::nullopt;
    }
    if (header.slot > m_highestSlot)
    {
        m_highestSlot = header.slot;
        uint64_t floor =
            m_highestSlot > kEquivocationWindowSlots ? m_highestSlot - kEquivocationWindowSlots : 0;
        m_seen.erase(m_seen.begin(), m_seen.lower_bound({floor, PublicKey{}}));
    }
    auto [it, inserted] = m_seen.emplace(std::make_pair(header.slot, header.producer), header);
    if (inserted || it->second.Hash() == header.Hash())
    {
        return std::nullopt;
    }
    return EquivocationEvidence{it->second, header};
}

} // namespace canon
