// Callbacks at a node (PROTOCOL.md 4): the part of a Node that serves contract callbacks, both
// sides of it. Node owns one and calls it at three points (a small hook in node.cc): when its
// best chain moves to a new tip, when a callback message (type 30) arrives, when it takes a
// submitted transaction.
//
// Home side: after each new best tip, every block the new best chain adds (back from the tip to
// the first block already checked: after a reorg, the whole new branch above the fork point, at
// most kCheckedBackMax blocks; a hook that just started checks the tip alone) is checked in
// height order: for every callback registration whose device names this node as its home, the
// predicate is checked on the block's state and on its parent's; when it turns true, the node
// sends the device's node a CallbackMessage (directly, as devices sit next to their full node;
// a device on the node itself gets it at once). chain.notify requests in the block's receipts
// for devices homed here go the same way. A (registration, block) pair is sent at most once,
// even when a reorg brings the block back.
//
// Device side: an arriving callback is kept for the device application (Arrivals(), bounded)
// with its latency: from the triggering transaction's submission when this node submitted it
// (the device's own event), else from the triggering block's timestamp. Both sides report a
// NodeEvent (kCallbackSent, kCallbackArrived) for traces.
//
// Bounds: kCallbackSentMax remembered sends and checked blocks, kSubmittedMax submission times,
// kArrivalsMax arrivals (oldest dropped first). Single-threaded, owned by its Node.
#ifndef CANONSIM_CONTRACTS_CONTRACT_NODE_HOOK_H
#define CANONSIM_CONTRACTS_CONTRACT_NODE_HOOK_H

#include "model/chain/block-tree.h"
#include "model/contracts/callback-message.h"
#include "model/core/bounded-fifo-map.h"
#include "model/node/node-io.h"

#include "model/core/ring-queue.h"

namespace canon
{

constexpr std::size_t kCallbackSentMax = 8192;
constexpr std::size_t kSubmittedMax = 8192;
constexpr std::size_t kArrivalsMax = 4096;
constexpr std::size_t kCheckedBackMax = 256; // blocks one new best tip checks at most

struct CallbackArrival
{
    CallbackMessage message;
    PeerId from = 0;
    TimeNs arrival = 0;
    TimeNs latency = 0;
    bool fromSubmission = false; // latency from this node's submission of the trigger
};

class ContractNodeHook
{
  public:
    explicit ContractNodeHook(uint32_t self)
      : m_self(self)
    {
    }

    void OnBestTip(const BlockEntry& tip, const std::vector<PeerId>& peers, TimeNs now,
                   Actions& out);
    void OnCallback(TimeNs now, const MessageInput& in, Actions& out);
    void NoteSubmitted(const Transaction& tx, TimeNs now);

    const RingQueue<CallbackArrival>& Arrivals() const { return m_arrivals; }
    uint64_t SentCount() const { return m_sentCount; }

  private:
    void CheckBlock(const BlockEntry& block, const std::vector<PeerId>& peers, TimeNs now,
                    Actions& out);
    void Deliver(const CallbackMessage& m, uint32_t deviceNode, const std::vector<PeerId>& peers,
                 TimeNs now, Actions& out);
    void Arrive(const CallbackMessage& m, PeerId from, TimeNs now, Actions& out);

    uint32_t m_self;
    BoundedHashSet m_sent{kCallbackSentMax};
    BoundedHashSet m_checked{kCallbackSentMax}; // blocks checked
    bool m_checkedAny = false;
    BoundedFifoMap<Hash256, TimeNs, Hash256Hasher> m_submitted{kSubmittedMax};
    RingQueue<CallbackArrival> m_arrivals;
    uint64_t m_sentCount = 0;
};

} // namespace canon

#endif
