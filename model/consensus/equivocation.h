// Equivocation (PROTOCOL.md 2.4): a producer signs at most one block per slot. Two validly
// signed, different headers by one producer for one slot are evidence, which any node can verify
// on its own and which the evidence transaction turns into a slash.
//
// EquivocationDetector remembers the first header seen per (slot, producer) for a bounded window
// of recent slots (kEquivocationWindowSlots) and reports evidence when a different one arrives.
// Every node runs one and sees the same headers, so the headers themselves are shared
// process-wide (issue 13): a table keyed by the header's encoding (model/core/intern-table.h,
// at most kSharedHeadersMax) hands every detector that observes the same bytes one immutable
// copy; a detector keeps a pointer, not a header (about 290 bytes a block at every node). A
// header is a pure function of its encoding, so the table changes no result; evicted headers
// live on in the detectors that hold them. Thread-safe behind the table's lock.
#ifndef CANONSIM_CONSENSUS_EQUIVOCATION_H
#define CANONSIM_CONSENSUS_EQUIVOCATION_H

#include "model/chain/block.h"
#include "model/chain/chain-params.h"
#include "model/chain/evidence.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>

namespace canon
{

// Slots of history the detector keeps; older headers are forgotten. 3 cycles of N = 21 and
// then some: an equivocation far older than finality no longer threatens anything.
constexpr uint64_t kEquivocationWindowSlots = 128;
// Headers the process-wide table keeps: the window's blocks with room for forks.
constexpr std::size_t kSharedHeadersMax = 1024;

// The evidence checks a node applies before gossiping: CheckConflict(), and the key one of
// `producers` (the keys the verifier has seen in a producer set).
Status VerifyEvidence(const EquivocationEvidence& ev, const std::set<PublicKey>& producers);

class EquivocationDetector
{
  public:
    // Call with headers whose signature is already checked. Returns evidence on a conflict.
    std::optional<EquivocationEvidence> Observe(const BlockHeader& header);
    std::size_t Size() const { return m_seen.size(); }
    // The header kept for (slot, producer), or null: the process-wide copy.
    const BlockHeader* HeaderAt(uint64_t slot, const PublicKey& producer) const
    {
        auto it = m_seen.find({slot, producer});
        return it == m_seen.end() ? nullptr : it->second.get();
    }

  private:
    std::map<std::pair<uint64_t, PublicKey>, std::shared_ptr<const BlockHeader>> m_seen;
    uint64_t m_highestSlot = 0;
};

} // namespace canon

#endif
