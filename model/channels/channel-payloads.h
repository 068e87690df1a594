// The payloads of the channel transactions (TxType 40-45, paper 3.5.3, PROTOCOL.md 6), and
// their canonical encoding. The rules that apply them are in channel-ledger.h.
//
//   open        the sender (party A) and a counterparty (party B) lock deposits into a 2-of-2
//               channel; B's signature over the terms authorises taking B's deposit
//   coop-close  a state both signed, with no HTLC in flight, pays out at once
//   close       one party starts a unilateral close with a state both signed (or the opening
//               split, seq 0); the challenge period begins
//   challenge   during the period: the closer's revocation of the closed state (penalty: the
//               other party takes the whole channel) and/or a newer state both signed (it
//               replaces the closed one); anyone may send it, a watchtower included
//   htlc-claim  during the period: the preimage of an HTLC in the closed state, before its expiry
//   settle      after the period: pays the closed state out
//
// Decoders reject truncation, trailing bytes and bad flags with a reason naming the field.
#ifndef CANONSIM_CHANNELS_CHANNEL_PAYLOADS_H
#define CANONSIM_CHANNELS_CHANNEL_PAYLOADS_H

#include "model/channels/channel-state.h"
#include "model/core/status.h"

#include <optional>

namespace canon
{

// The challenge periods an open may ask for: long enough for a block or two, short enough that
// a deposit is not locked for ever.
constexpr TimeNs kChallengePeriodMin = 1 * kSecond;
constexpr TimeNs kChallengePeriodMax = 30LL * 24 * 3600 * kSecond;

struct ChannelOpenPayload
{
    PublicKey counterparty{};
    uint64_t depositA = 0; // taken from the sender
    uint64_t depositB = 0; // taken from the counterparty
    TimeNs challengePeriod = 0;
    Signature counterpartySig{}; // over OpenTermsBytes

    Bytes Encode() const;
    static Result<ChannelOpenPayload> Decode(const Bytes& payload);
};

// What the counterparty signs to open: the opener's key and nonce bind it to one open.
Bytes OpenTermsBytes(const PublicKey& opener, uint64_t openerNonce, const ChannelOpenPayload& p);
// The id of the channel that the sender's transaction with `nonce` opens.
ChannelId ChannelIdFor(const PublicKey& opener, uint64_t nonce);

// Cooperative and unilateral close: a state both parties signed (a unilateral close may also
// name the opening split, seq 0, unsigned).
struct ChannelClosePayload
{
    SignedChannelState state;

    Bytes Encode() const;
    static Result<ChannelClosePayload> Decode(const Bytes& payload);
};

struct ChannelChallengePayload
{
    ChannelId channel{};
    // The closer's revocation of every state up to revokedSeq.
    std::optional<std::pair<uint64_t, Signature>> revocation;
    std::optional<SignedChannelState> newer;

    Bytes Encode() const;
    static Result<ChannelChallengePayload> Decode(const Bytes& payload);
};

struct ChannelHtlcClaimPayload
{
    ChannelId channel{};
    Hash256 preimage{};

    Bytes Encode() const;
    static Result<ChannelHtlcClaimPayload> Decode(const Bytes& payload);
};

struct ChannelSettlePayload
{
    ChannelId channel{};

    Bytes Encode() const;
    static Result<ChannelSettlePayload> Decode(const Bytes& payload);
};

} // namespace canon

#endif
