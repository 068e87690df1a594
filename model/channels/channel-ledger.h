// Payment channels on chain (paper 3.5.3, PROTOCOL.md 6): the channels a ledger state knows, and
// the rules of the channel transactions (channel-payloads.h).
//
// Where the value is: every deposit moves into one escrow account that no key holds
// (ChannelEscrowAddress), and every payout moves out of it, so the ledger's supply invariant
// covers channels with no special case; the escrow's balance equals the summed capacity of the
// channels not yet paid out.
//
// ChannelBook is a member of LedgerState: a persistent map, so copying a state stays O(1)
// and a block that touches one channel copies O(log n) nodes. Closed channels stay in the map
// (there is no erase), marked closed, so a channel id is never reused.
//
// The penalty (the "stale close" of PROTOCOL.md 6): a challenge that shows the closer's own
// revocation of the closed state gives the whole channel to the other party. A newer state
// without such a revocation only replaces the closed one: the closer may have signed it and never
// received the countersignature, which is not cheating (channel-party.h).
#ifndef CANONSIM_CHANNELS_CHANNEL_LEDGER_H
#define CANONSIM_CHANNELS_CHANNEL_LEDGER_H

#include "model/channels/channel-payloads.h"
#include "model/core/persistent-map.h"

#include <functional>
#include <vector>

namespace canon
{

struct Transaction;
struct TxContext;
enum class TxType : uint8_t;

// The account deposits sit in while channels are open: a hash of a label, so no key spends it.
Address ChannelEscrowAddress();

enum class ChannelPhase : uint8_t
{
    kOpen = 0,
    kClosing = 1, // a unilateral close waits out its challenge period
    kClosed = 2,  // paid out
};

enum class ChannelCloseKind : uint8_t
{
    kNone = 0,
    kCooperative = 1,
    kUnilateral = 2, // settled after the challenge period
    kPenalty = 3,    // the closer's revocation was shown: the other party took everything
};

const char* ChannelCloseKindName(ChannelCloseKind k);

struct OnChainChannel
{
    PublicKey a{};
    PublicKey b{};
    uint64_t capacity = 0;
    TimeNs challengePeriod = 0;
    uint64_t openHeight = 0;
    ChannelPhase phase = ChannelPhase::kOpen;
    ChannelCloseKind kind = ChannelCloseKind::kNone;
    bool closedByA = false;
    ChannelState closing;         // the state a unilateral close names (replaced by newer ones)
    TimeNs deadline = 0;          // end of the challenge period
    std::vector<Hash256> claimed; // payment hashes whose preimage was shown on chain
    uint32_t challenges = 0;
};

struct ChannelBook
{
    PersistentMap<ChannelId, OnChainChannel> channels;
    uint64_t penalties = 0;
};

// One movement of value the ledger applies after a channel transaction's fee and nonce.
struct ValueMove
{
    Address from{};
    Address to{};
    uint64_t amount = 0;
};

bool IsChannelTx(TxType type);

// A digest of everything `book` holds (every channel in id order, with its parties, capacity,
// phase, close kind, closing state, deadline, claimed hashes and challenges, then the penalty
// count): LedgerState::StateRoot folds it in, so two nodes whose channel books differ in any
// way have different state roots.
Hash256 ChannelBookRoot(const ChannelBook& book);

// What the ledger lends the rules: an account's spendable balance now.
using SpendableFn = std::function<uint64_t(const Address&)>;

// The rules of channel transaction `tx` against `book`. On success `amount` is what the sender
// itself moves into escrow (an open's deposit A; 0 otherwise), for the ledger's overspend check.
Status CheckChannelTx(const ChannelBook& book, const Transaction& tx, const TxContext& ctx,
                      const SpendableFn& spendable, uint64_t& amount);
// Applies a transaction CheckChannelTx accepted: updates `book` and returns the value moves
// (all but the sender's own deposit, which the ledger moves as `amount`).
std::vector<ValueMove> RecordChannelTx(ChannelBook& book, const Transaction& tx,
                                       const TxContext& ctx);

} // namespace canon

#endif
