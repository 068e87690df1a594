// The PoP producer schedule (PROTOCOL.md 2.3, paper 3.1.3.2).
//
// Slots are T long; a cycle is N slots; within a cycle the N producers take the slots in the
// cycle's order. Each cycle reorders the set with a Fisher-Yates shuffle seeded by the hash of
// the last irreversible block as of the cycle's start, so the last producer of a cycle cannot
// grind the next order. A producer that misses its slot is simply skipped: the next block comes
// in the next slot, 2T after the previous one.
//
// "As of the cycle's start" is fixed per chain: it is the last irreversible block seen from the
// latest block of that chain whose slot lies before the cycle (the cycle's seed entry). Every
// block of one cycle on one chain therefore uses the same order, whatever a node's local view
// was when it received them. The producer set of a cycle is likewise the set in force at its
// seed entry, so an elected set takes over at a cycle boundary, never within a cycle.
//
// T and N adopted by governance (model/governance/rule-epochs.h) start a rule epoch at a cycle
// boundary; from there cycles are the epoch's N slots counted from its first slot. A change of N
// comes with the set elected for it when it was adopted: that set serves every cycle of the
// epoch whose seed entry lies before the epoch began, and is the active set from the epoch's first
// block on. The functions taking a SlotClock follow the epochs of the parent's chain; those
// taking n are the same rule under fixed N (no epochs).
#ifndef CANONSIM_CONSENSUS_PRODUCER_SCHEDULE_H
#define CANONSIM_CONSENSUS_PRODUCER_SCHEDULE_H

#include "model/chain/block-tree.h"
#include "model/governance/rule-epochs.h"

#include <cstdint>
#include <vector>

namespace canon
{

// The order of producer indices 0..n-1 for a cycle with the given seed.
std::vector<uint32_t> CycleOrder(uint32_t n, const Hash256& seed);

inline uint64_t
CycleOf(uint64_t slot, uint32_t n)
{
    return slot / n;
}

// The latest block of the chain ending at `parent` whose slot lies before the cycle of `slot`
// (genesis if none).
const BlockEntry* CycleSeedEntry(const BlockEntry* parent, uint64_t slot, uint32_t n);

// The seed of the cycle containing `slot` on the chain ending at `parent` (slot > parent's).
Hash256 CycleSeed(const BlockEntry* parent, uint64_t slot, uint32_t n);

// The place, in the cycle's producer set, of the producer of `slot` on the chain ending at
// `parent`.
uint32_t ScheduledProducer(const BlockEntry* parent, uint64_t slot, uint32_t n);

// The key of that producer.
const PublicKey& ScheduledProducerKey(const BlockEntry* parent, uint64_t slot, uint32_t n);

const BlockEntry* CycleSeedEntry(const BlockEntry* parent, uint64_t slot, const SlotClock& clock);
const PublicKey& ScheduledProducerKey(const BlockEntry* parent, uint64_t slot,
                                      const SlotClock& clock);
uint32_t ScheduledProducer(const BlockEntry* parent, uint64_t slot, const SlotClock& clock);

} // namespace canon

#endif
