// The erasure step shared by this codebase's open-addressing tables (BoundedHashSet,
// FlatPointerIndex): linear probing in a table whose size is a power of two.
#ifndef CANONSIM_CORE_LINEAR_PROBING_H
#define CANONSIM_CORE_LINEAR_PROBING_H

#include <cstddef>
#include <vector>

namespace canon
{

// Empties slots[hole] and moves later entries of its probe run back into the gap (backward-shift
// deletion), so every remaining entry is still found from its home and no tombstones build up.
// Slot{} marks an empty slot; homeOf(slot) is the home index of a used slot's entry.
template <class Slot, class HomeOf>
void
EraseByBackwardShift(std::vector<Slot>& slots, std::size_t hole, HomeOf homeOf)
{
    const std::size_t mask = slots.size() - 1;
    for (std::size_t j = (hole + 1) & mask; slots[j] != Slot{}; j = (j + 1) & mask)
    {
        // The entry at j may move back to the hole unless its home lies in (hole, j].
        const std::size_t home = homeOf(slots[j]);
        if (((j - home) & mask) >= ((j - hole) & mask))
        {
            slots[hole] = slots[j];
            hole = j;
        }
    }
    slots[hole] = Slot{};
}

} // namespace canon

#endif
