// The consensus rules in force as a function of the chain (issue 18): slot length T and producer
// count N, adopted by CZC governance mid-chain, read by the slot clock and the PoP engine.
//
// A chain starts under its genesis rules (ChainParams::GenesisRules). When a proposal for T or N
// passes in the block at slot s (GovernanceBook::EndBlock), a new epoch is appended to the book:
// it starts at the first cycle boundary after s under the rules then in force (fromSlot), at the
// time that slot starts under those rules (fromTime), with the new T or N. A second change passed
// before that boundary merges into the same pending epoch. Slot numbers keep counting across a
// switch; from fromSlot on, slot k starts at fromTime + (k - fromSlot) * T, and a PoP cycle is N
// slots counted from fromSlot. Because the epochs live in the ledger state of every block, which
// rules apply to a block is a function of its parent's chain alone: identical at every node, on
// replay, and on each side of a reorg (a branch that never adopted the change keeps the old rules).
//
// Bounds: one epoch per passed T or N proposal; the list is shared (copy O(1)) and only grows.
// Invariants: epochs are sorted by fromSlot and fromTime, strictly; T > 0 and N > 0 in each.
#ifndef CANONSIM_GOVERNANCE_RULE_EPOCHS_H
#define CANONSIM_GOVERNANCE_RULE_EPOCHS_H

#include "model/core/encoding.h"
#include "model/core/keys.h"
#include "model/core/time.h"

#include <memory>
#include <vector>

namespace canon
{

struct RuleEpoch
{
    uint64_t fromSlot = 0;
    TimeNs fromTime = 0;
    TimeNs slotDuration = 0;    // T
    uint32_t producers = 0;     // N; 0 in the genesis rules of a non-PoP chain: no epochs
    uint64_t adoptedHeight = 0; // the block whose tally adopted it (0: genesis)
    // PoP, when N changed: the producer set elected for the epoch by the adopting block
    // (PopEngine); empty while not yet elected, or when N did not change.
    std::vector<PublicKey> producerSet;
    bool electSet = false; // N changed: the adopting block's engine must elect producerSet
};

using RuleEpochs = std::shared_ptr<const std::vector<RuleEpoch>>;

// Slot <-> time and the rules of a slot, under the genesis rules and the adopted epochs.
class SlotClock
{
  public:
    SlotClock(const RuleEpoch& genesis, RuleEpochs adopted);

    // The epoch in force for `slot`: the last whose fromSlot <= slot.
    const RuleEpoch& RulesAt(uint64_t slot) const;
    // The start of `slot` (callers bound peer-supplied slots first with IsSlotStarted).
    TimeNs SlotStart(uint64_t slot) const;
    // The slot in progress at time t (slot 0 before genesis).
    uint64_t SlotAt(TimeNs t) const;
    bool IsSlotStarted(uint64_t slot, TimeNs now, TimeNs driftMax) const
    {
        return slot <= SlotAt(now + driftMax);
    }
    // The first slot of the PoP cycle holding `slot`: cycles are N slots from the epoch's start.
    uint64_t CycleStart(uint64_t slot) const;
    // The place of `slot` in its cycle.
    uint32_t PlaceInCycle(uint64_t slot) const;
    const std::vector<RuleEpoch>* Adopted() const { return m_adopted.get(); }

  private:
    RuleEpoch m_genesis;
    RuleEpochs m_adopted; // may be null
};

// The epochs after a change of T (slotDuration > 0) or N (producers > 0) adopted by the block at
// time `blockTime`, height `height`: a new epoch at the next cycle boundary, or the pending one
// amended. Unchanged when the genesis rules say the chain has no epochs (producers == 0).
RuleEpochs AdoptRule(const RuleEpoch& genesis, const RuleEpochs& adopted, TimeNs blockTime,
                     uint64_t height, TimeNs slotDuration, uint32_t producers);

// Light participants (model/node/light-node.h) hold no ledger state, so full nodes send them the
// epochs of the chain each header belongs to, in this compact form: per epoch fromSlot,
// fromTime, T and N (the elected set stays with the full nodes). At most kRuleEpochsWireMax.
constexpr uint32_t kRuleEpochsWireMax = 4096;
void WriteRuleEpochs(Writer& w, const RuleEpochs& epochs);
// Fails `r` naming what is wrong: a count above the bound, T or N of 0, epochs not strictly
// sorted by fromSlot and fromTime. Null for an empty list.
RuleEpochs ReadRuleEpochs(Reader& r);
// Whether `next` keeps every epoch of `known` that starts at or before `slot` (same fromSlot,
// fromTime, T and N): a chain's rules only grow, and an epoch already begun never changes.
bool KeepsRulesUpTo(const RuleEpochs& known, const RuleEpochs& next, uint64_t slot);

} // namespace canon

#endif
