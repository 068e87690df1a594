#include "model/consensus/producer-schedule.h"

#include "model/core/rng.h"

namespace canon
{

std::vector<uint32_t>
CycleOrder(uint32_t n, const Hash256& seed)
{
    std::vector<uint32_t> order(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        order[i] = i;
    }
    Rng rng(HashPrefix64(seed));
    for (uint32_t i = n; i > 1; --i)
    {
        uint32_t j = static_cast<uint32_t>(rng.Below(i));
        std::swap(order[i - 1], order[j]);
    }
    return order;
}

namespace
{

// Fixed N, no epochs: the rule as it was before governance could change N.
SlotClock
FixedN(uint32_t n)
{
    RuleEpoch e;
    e.slotDuration = 1;
    e.producers = n;
    return SlotClock(e, nullptr);
}

// The producer set serving the cycle of `slot` whose seed entry is `seed`: the set of the latest
// epoch with an elected set that began after the seed and by `slot`, else the seed's active set.
const std::vector<PublicKey>&
CycleSet(const BlockEntry* seed, uint64_t slot, const SlotClock& clock)
{
    const std::vector<PublicKey>* set = seed->activeSet.get();
    if (const auto* adopted = clock.Adopted())
    {
        for (const RuleEpoch& e : *adopted)
        {
            const bool between = e.fromSlot > seed->slot && e.fromSlot <= slot;
            set = between && !e.producerSet.empty() ? &e.producerSet : set;
        }
    }
    return *set;
}

} // namespace

const BlockEntry*
CycleSeedEntry(const BlockEntry* parent, uint64_t slot, const SlotClock& clock)
{
    const uint64_t cycleStart = clock.CycleStart(slot);
    const BlockEntry* e = parent;
    while (e->parent && e->slot >= cycleStart)
    {
        e = e->parent;
    }
    return e;
}

const PublicKey&
ScheduledProducerKey(const BlockEntry* parent, uint64_t slot, const SlotClock& clock)
{
    const BlockEntry* seed = CycleSeedEntry(parent, slot, clock);
    const std::vector<PublicKey>& set = CycleSet(seed, slot, clock);
    return set.at(ScheduledProducer(parent, slot, clock));
}

uint32_t
ScheduledProducer(const BlockEntry* parent, uint64_t slot, const SlotClock& clock)
{
    // Cycle orders are recomputed rather than cached: N is small and the shuffle is cheap next
    // to a signature check.
    const uint32_t n = clock.RulesAt(slot).producers;
    const std::vector<uint32_t> order =
        CycleOrder(n, CycleSeedEntry(parent, slot, clock)->lib->hash);
    return order[clock.PlaceInCycle(slot)];
}

const BlockEntry*
CycleSeedEntry(const BlockEntry* parent, uint64_t slot, uint32_t n)
{
    return CycleSeedEntry(parent, slot, FixedN(n));
}

Hash256
CycleSeed(const BlockEntry* parent, uint64_t slot, uint32_t n)
{
    return CycleSeedEntry(parent, slot, n)->lib->hash;
}

const PublicKey&
ScheduledProducerKey(const BlockEntry* parent, uint64_t slot, uint32_t n)
{
    return ScheduledProducerKey(parent, slot, FixedN(n));
}

uint32_t
ScheduledProducer(const BlockEntry* parent, uint64_t slot, uint32_t n)
{
    return ScheduledProducer(parent, slot, FixedN(n));
}

} // namespace canon
