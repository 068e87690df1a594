#include "model/consensus/equivocation.h"

#include <algorithm>

namespace canon
{

Status
VerifyEvidence(const EquivocationEvidence& ev, const std::set<PublicKey>& producers)
{
    if (producers.count(ev.first.producer) == 0)
    {
        return Status::Invalid("evidence names a key outside the producer set");
    }
    return ev.CheckConflict();
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
