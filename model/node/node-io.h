// What goes into Node::Step and what comes out (DESIGN.md 3, the sans-IO core).
//
// Inputs are values: start, a message from a peer, a timer firing, a transaction submitted by
// a local client. Outputs are values too: messages to send, timers to set, and typed events for
// the trace. The node never reads a clock, opens a socket or draws a random number; whoever
// drives it (the in-process harness, the ns-3 application) carries the actions out.
#ifndef CANONSIM_NODE_NODE_IO_H
#define CANONSIM_NODE_NODE_IO_H

#include "model/chain/transaction.h"
#include "model/consensus/election.h"
#include "model/node/messages.h"

#include <algorithm>
#include <functional>
#include <string>
#include <variant>
#include <vector>

namespace canon
{

using PeerId = uint32_t;

enum class TimerKind : uint8_t
{
    kSlot = 0, // the start of every slot: produce if it is ours, check for a stale tip
    kCount
};

struct StartInput
{
};
struct MessageInput
{
    PeerId from = 0;
    SharedBytes bytes;
};
struct TimerInput
{
    TimerKind kind = TimerKind::kSlot;
};
struct SubmitInput
{
    Transaction tx;
};
struct Actions;
class ConsensusChain;

// What a node's services (node-service.h) and local work see of the node: read only.
struct ServiceContext
{
    TimeNs now = 0;
    uint32_t self = 0;
    const ConsensusChain& chain;
    const std::vector<PeerId>& peers;
};

// Work a run feature does at a node as if the node's own application did it (a wallet that
// signs from the node's state, a device that sends a request): it reads the node through the
// context, and the actions it returns are carried out like the node's own. Full nodes run it;
// light participants and adversaries ignore it.
using LocalWork = std::function<void(const ServiceContext& ctx, Actions& out)>;
struct LocalInput
{
    LocalWork work;
};
using Input = std::variant<StartInput, MessageInput, TimerInput, SubmitInput, LocalInput>;

struct SendAction
{
    PeerId to = 0;
    MessageType type = MessageType::kTransaction;
    SharedBytes bytes;
    // True when the node passes on or serves what others made (gossip forwarding, sync
    // answers); false for what it originates itself. CZR counts the two apart (PROTOCOL.md 2.1).
    bool relayed = false;
};

// Setting a timer of a kind replaces any pending timer of that kind.
struct TimerAction
{
    TimerKind kind = TimerKind::kSlot;
    TimeNs at = 0;
};

enum class NodeEventKind : uint8_t
{
    kBlockProduced,
    kBlockAccepted,     // a valid block entered the tree (from a peer or a sync batch)
    kBlockIrreversible, // the node's LIB passed this block
    kReorg,             // the best chain switched branches; `count` blocks left it
    kTxAccepted,        // a transaction entered the mempool
    kTxIncluded,        // this node produced a block carrying the transaction `hash`
    kMessageDropped,    // bad, unwanted or over-limit input, with the reason
    kEquivocation,      // evidence found or received and verified
    kSyncRequested,
    kElection,             // the block `hash` announced an election (details in `election`)
    kProducerSetActivated, // with the block `hash`, an elected set came into force
    // Light participants (light-node.h):
    kHeaderAccepted,     // a header that checked out entered the header tree
    kTxVerifiedIncluded, // a Merkle proof showed the best header chain carries transaction
                         // `hash` in block `block`; `latency` since the wallet submitted it
    // Depth-rule finality (PoW, PoS, PoI): the best chain reverted `count` blocks this node had
    // taken as irreversible; `hash` is the new irreversible block.
    kFinalityViolation,
    // Contract callbacks (model/contracts/contract-node-hook.h): `hash` the registration (zero
    // for a chain.notify), `block` the triggering transaction, `height` its block, `peer` the
    // device's node (sent) or the sender (arrived), `latency` since the trigger (arrived;
    // `count` 1 when measured from this node's submission of it, 0 from the block's time).
    kCallbackSent,
    kCallbackArrived,
};

const char* NodeEventKindName(NodeEventKind k);

// One typed trace record. Fields a kind does not use stay zero.
struct NodeEvent
{
    NodeEventKind kind = NodeEventKind::kBlockAccepted;
    Hash256 hash{};
    Hash256 block{}; // kTxIncluded: the carrying block
    uint64_t height = 0;
    uint64_t slot = 0;
    uint64_t count = 0; // transactions in a block, blocks in a reorg
    uint64_t bytes = 0;
    uint32_t producer = 0;
    PeerId peer = 0;
    MessageType messageType = MessageType::kTransaction;
    std::string reason;
    std::shared_ptr<const ElectionOutcome> election;
    TimeNs latency = 0; // kTxVerifiedIncluded
};

struct Actions
{
    std::vector<SendAction> sends;
    std::vector<TimerAction> timers;
    std::vector<NodeEvent> events;

    void Clear()
    {
        sends.clear();
        timers.clear();
        events.clear();
    }
};

// What drives a participant: Node (a full node) and LightNode (light-node.h) both take inputs
// and return actions through this, so a driver (the ns-3 application) hosts either.
class Participant
{
  public:
    virtual ~Participant() = default;

    // The one dispatcher over inputs (DESIGN.md 4.8): each kind goes to its handler.
    void Step(TimeNs now, const Input& input, Actions& out)
    {
        if (std::holds_alternative<StartInput>(input))
        {
            OnStart(now, out);
        }
        else if (auto* m = std::get_if<MessageInput>(&input))
        {
            OnMessage(now, *m, out);
        }
        else if (std::holds_alternative<TimerInput>(input))
        {
            OnSlot(now, out);
        }
        else if (auto* s = std::get_if<SubmitInput>(&input))
        {
            OnSubmit(now, s->tx, out);
        }
        else if (auto* l = std::get_if<LocalInput>(&input))
        {
            OnLocal(now, l->work, out);
        }
    }

  protected:
    virtual void OnStart(TimeNs now, Actions& out) = 0;
    virtual void OnMessage(TimeNs now, const MessageInput& in, Actions& out) = 0;
    virtual void OnSlot(TimeNs now, Actions& out) = 0; // every timer is the slot timer
    virtual void OnSubmit(TimeNs now, const Transaction& tx, Actions& out) = 0;
    // Local work of a run feature (LocalWork above); only full nodes run it.
    virtual void OnLocal(TimeNs, const LocalWork&, Actions&) {}
};

// A peer list as participants keep it: sorted, without duplicates and without `self`.
inline std::vector<PeerId>
NormalizedPeers(std::vector<PeerId> peers, PeerId self)
{
    std::sort(peers.begin(), peers.end());
    peers.erase(std::unique(peers.begin(), peers.end()), peers.end());
    peers.erase(std::remove(peers.begin(), peers.end(), self), peers.end());
    return peers;
}

} // namespace canon

#endif
