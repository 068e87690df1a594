#include "model/governance/rule-epochs.h"

#include "model/core/status.h"

namespace canon
{

SlotClock::SlotClock(const RuleEpoch& genesis, RuleEpochs adopted)
  : m_genesis(genesis)
  , m_adopted(std::move(adopted))
{
}

const RuleEpoch&
SlotClock::RulesAt(uint64_t slot) const
{
    if (m_adopted)
    {
        for (auto it = m_adopted->rbegin(); it != m_adopted->rend(); ++it)
        {
            if (it->fromSlot <= slot)
            {
                return *it;
            }
        }
    }
    return m_genesis;
}

TimeNs
SlotClock::SlotStart(uint64_t slot) const
{
    const RuleEpoch& e = RulesAt(slot);
    return e.fromTime + static_cast<TimeNs>(slot - e.fromSlot) * e.slotDuration;
}

uint64_t
SlotClock::SlotAt(TimeNs t) const
{
    if (t <= m_genesis.fromTime)
    {
        return 0;
    }
    const RuleEpoch* e = &m_genesis;
    if (m_adopted)
    {
        for (const RuleEpoch& a : *m_adopted)
        {
            e = a.fromTime <= t ? &a : e;
        }
    }
    return e->fromSlot + static_cast<uint64_t>((t - e->fromTime) / e->slotDuration);
}

uint64_t
SlotClock::CycleStart(uint64_t slot) const
{
    const RuleEpoch& e = RulesAt(slot);
    return e.fromSlot + (slot - e.fromSlot) / e.producers * e.producers;
}

uint32_t
SlotClock::PlaceInCycle(uint64_t slot) const
{
    return static_cast<uint32_t>(slot - CycleStart(slot));
}

void
WriteRuleEpochs(Writer& w, const RuleEpochs& epochs)
{
    const std::size_t n = epochs ? epochs->size() : 0;
    CANON_ASSERT(n <= kRuleEpochsWireMax, "more rule epochs than the wire form takes");
    w.U32(static_cast<uint32_t>(n));
    for (std::size_t i = 0; i < n; ++i)
    {
        const RuleEpoch& e = (*epochs)[i];
        w.U64(e.fromSlot);
        w.I64(e.fromTime);
        w.I64(e.slotDuration);
        w.U32(e.producers);
    }
}

RuleEpochs
ReadRuleEpochs(Reader& r)
{
    const uint32_t n = r.Count("rule epoch count", kRuleEpochsWireMax);
    if (n == 0)
    {
        return nullptr;
    }
    auto out = std::make_shared<std::vector<RuleEpoch>>();
    for (uint32_t i = 0; i < n && r.IsOk(); ++i)
    {
        RuleEpoch e;
        e.fromSlot = r.U64("rule epoch first slot");
        e.fromTime = r.I64("rule epoch start time");
        e.slotDuration = r.I64("rule epoch slot duration");
        e.producers = r.U32("rule epoch producer count");
        const bool sorted = out->empty() || (e.fromSlot > out->back().fromSlot &&
                                             e.fromTime > out->back().fromTime);
        if (r.IsOk() && (e.slotDuration <= 0 || e.producers == 0 || !sorted))
        {
            r.Fail("rule epoch " + std::to_string(i) +
                   ": T and N must be positive and epochs strictly sorted");
        }
        out->push_back(e);
    }
    return out;
}

bool
KeepsRulesUpTo(const RuleEpochs& known, const RuleEpochs& next, uint64_t slot)
{
    const std::size_t have = next ? next->size() : 0;
    for (std::size_t i = 0; known && i < known->size() && (*known)[i].fromSlot <= slot; ++i)
    {
        const RuleEpoch& a = (*known)[i];
        if (i >= have || (*next)[i].fromSlot != a.fromSlot || (*next)[i].fromTime != a.fromTime ||
            (*next)[i].slotDuration != a.slotDuration || (*next)[i].producers != a.producers)
        {
            return false;
        }
    }
    return true;
}

RuleEpochs
AdoptRule(const RuleEpoch& genesis, const RuleEpochs& adopted, TimeNs blockTime, uint64_t height,
          TimeNs slotDuration, uint32_t producers)
{
    if (genesis.producers == 0)
    {
        return adopted;
    }
    const SlotClock clock(genesis, adopted);
    const uint64_t slot = clock.SlotAt(blockTime);
    auto next =
        std::make_shared<std::vector<RuleEpoch>>(adopted ? *adopted : std::vector<RuleEpoch>{});
    if (next->empty() || next->back().fromSlot <= slot)
    {
        // A new epoch at the next cycle boundary, under the rules in force now.
        RuleEpoch e = clock.RulesAt(slot);
        e.fromSlot = clock.CycleStart(slot) + e.producers;
        e.fromTime = clock.SlotStart(e.fromSlot);
        e.producerSet.clear();
        e.electSet = false;
        next->push_back(std::move(e));
    }
    RuleEpoch& e = next->back();
    e.adoptedHeight = height;
    if (slotDuration > 0)
    {
        e.slotDuration = slotDuration;
    }
    if (producers > 0)
    {
        e.producers = producers;
        e.producerSet.clear();
        e.electSet = true;
    }
    CANON_ASSERT(e.slotDuration > 0 && e.producers > 0, "adopted rules need T > 0 and N > 0");
    return next;
}

} // namespace canon
