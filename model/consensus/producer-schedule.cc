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

const BlockEntry*
CycleSeedEntry(const BlockEntry* parent, uint64_t slot, uint32_t n)
{
    const uint64_t cycleStart = CycleOf(slot, n) * n;
    const BlockEntry* e = parent;
    while (e->parent && e->slot >= cycleStart)
    {
        e = e->parent;
    }
    return e;
}

Hash256
CycleSeed(const BlockEntry* parent, uint64_t slot, uint32_t n)
{
    return CycleSeedEntry(parent, slot, n)->lib->hash;
}

const PublicKey&
ScheduledProducerKey(const BlockEntry* parent, uint64_t slot, uint32_t n)
{
    const BlockEntry* seed = CycleSeedEntry(parent, slot, n);
    return seed->activeSet->at(CycleOrder(n, seed->lib->hash)[slot % n]);
}

uint32_t
ScheduledProducer(const BlockEntry* parent, uint64_t slot, uint32_t n)
{
    // Cycle orders are recomputed rather than cached: N is small and the shuffle is cheap next
    // to a signature check.
    std::vector<uint32_t> order = CycleOrder(n, CycleSeed(parent, slot, n));
    return order[slot % n];
}

} // namespace canon
