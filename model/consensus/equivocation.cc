#include "model/consensus/equivocation.h"

#include "model/core/intern-table.h"

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

namespace
{

// A header with the encoding it is interned by.
struct InternedHeader
{
    Bytes encoding;
    BlockHeader header;
    const Bytes& Encoding() const { return encoding; }
};

// The one copy of a header that every detector holding it points to.
std::shared_ptr<const BlockHeader>
SharedHeader(const BlockHeader& header)
{
    static InternTable<InternedHeader> table(kSharedHeadersMax, kSharedHeadersMax * 1024);
    Bytes encoding = header.Encode();
    auto found = table.Find(EncodingView(encoding.data(), encoding.size()));
    if (!found)
    {
        found = table.Remember(
            std::make_shared<const InternedHeader>(InternedHeader{std::move(encoding), header}));
    }
    return std::shared_ptr<const BlockHeader>(found, &found->header);
}

} // namespace

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
    auto [it, inserted] = m_seen.try_emplace(std::make_pair(header.slot, header.producer));
    if (inserted)
    {
        it->second = SharedHeader(header);
        return std::nullopt;
    }
    if (it->second->Hash() == header.Hash())
    {
        return std::nullopt;
    }
    return EquivocationEvidence{*it->second, header};
}

} // namespace canon
