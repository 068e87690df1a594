// The off-chain messages between the two parties of a channel (paper 3.5.3, PROTOCOL.md 6), in
// the MessageType range 50-59 and on the node messages' envelope [version u8][type u8]
// (model/node/messages.h), so one frame decoder carries both.
//
// One update is three messages. The proposer sends Propose (the next state, numbered one above
// the latest both signed, with its signature, and the preimage when the update fulfils an HTLC).
// The other party checks it is a move it accepts (channel-endpoint.h) and answers Accept (its
// signature on that state and its revocation of every older state), or Reject with a reason. The
// proposer, now holding the state signed by both, answers Revoke (its own revocation of the older
// states). Decoding rejects unknown versions and types, truncation and trailing bytes.
//
// Re-establish (Lightning's channel_reestablish): after a lost message, each party tells the other
// the latest state number it holds signed by both and how many of the peer's revocations it
// holds; the party behind is sent what it misses (channel-endpoint.h says what). Each party numbers
// its re-establish messages of a channel (`round`, rising) and signs them, so a forged one fails
// its signature and a replayed one its round.
#ifndef CANONSIM_CHANNELS_CHANNEL_MESSAGES_H
#define CANONSIM_CHANNELS_CHANNEL_MESSAGES_H

#include "model/channels/channel-state.h"
#include "model/core/status.h"

#include <optional>
#include <string>
#include <variant>

namespace canon
{

constexpr uint8_t kChannelMessageVersion = 1;
// A Reject's reason text is at most this long.
constexpr std::size_t kRejectReasonMax = 200;
// Hops an HTLC's forwarding instructions may name (a route of at most this many more hops).
constexpr uint32_t kOnionHopsMax = 8;

enum class ChannelMessageType : uint8_t
{
    kPropose = 50,
    kAccept = 51,
    kRevoke = 52,
    kReject = 53,
    kReestablish = 54,
};

// What an HTLC's receiver does next: forward it over `channel` to `node` with `amount` and
// `expiry`. The instructions are in clear (CanonSim does not model onion encryption).
struct ForwardHop
{
    uint32_t node = 0;
    ChannelId channel{};
    uint64_t amount = 0;
    TimeNs expiry = 0;
};

struct ChannelPropose
{
    ChannelState state;
    Signature sig{};
    std::optional<Hash256> preimage; // an update that fulfils an HTLC shows its preimage
    std::vector<ForwardHop> onward;  // an update that adds an HTLC: the rest of its route
};

struct ChannelAccept
{
    ChannelId channel{};
    uint64_t seq = 0;
    Signature sig{};        // on the proposed state
    Signature revocation{}; // of every state up to seq - 1
};

struct ChannelRevoke
{
    ChannelId channel{};
    uint64_t revokedSeq = 0;
    Signature revocation{};
};

struct ChannelReject
{
    ChannelId channel{};
    uint64_t seq = 0;
    std::string reason;
};

struct ChannelReestablish
{
    ChannelId channel{};
    uint64_t round = 0;           // the sender's count of re-establishes on this channel, from 1
    uint64_t latestSeq = 0;       // the newest state the sender holds signed by both
    uint64_t revocationsHeld = 0; // the peer's highest revoked seq the sender holds + 1; 0: none
    bool answer = false;          // an answer to the peer's re-establish (it is not answered)
    Signature sig{};              // the sender's, on all of the above

    Bytes SigningBytes() const;
};

using ChannelMessage =
    std::variant<ChannelPropose, ChannelAccept, ChannelRevoke, ChannelReject, ChannelReestablish>;

Bytes EncodeChannelMessage(const ChannelMessage& m);
Result<ChannelMessage> DecodeChannelMessage(const Bytes& bytes);
const char* ChannelMessageName(const ChannelMessage& m);
// The channel a message is about.
const ChannelId& ChannelOf(const ChannelMessage& m);

} // namespace canon

#endif
