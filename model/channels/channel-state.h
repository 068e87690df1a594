// The off-chain state of a payment channel (paper 3.5.3, PROTOCOL.md 6): a numbered split of the
// channel's capacity between its two parties, plus the hash time-locked payments (HTLCs) still
// in flight through it. Both parties sign every state; a party that has moved past a state also
// signs its revocation, and a revoked state closed on chain costs the closer its whole share
// (channel-ledger.h).
//
// Invariants of a well-formed state: balanceA + balanceB + the HTLC amounts == the channel's
// capacity (checked against the on-chain channel), at most kChannelHtlcMax HTLCs, payment hashes
// distinct. Decoding rejects truncation, trailing bytes, unknown versions and more HTLCs than
// the bound, with a reason naming the field.
#ifndef CANONSIM_CHANNELS_CHANNEL_STATE_H
#define CANONSIM_CHANNELS_CHANNEL_STATE_H

#include "model/core/encoding.h"
#include "model/core/keys.h"
#include "model/core/time.h"

#include <vector>

namespace canon
{

using ChannelId = Hash256;

constexpr uint8_t kChannelStateVersion = 1;
// HTLCs in flight through one channel: a bound on what a peer can make the other store and sign,
// small enough that a challenge carrying a full state (49 bytes an HTLC) fits kTxPayloadMax.
constexpr uint32_t kChannelHtlcMax = 12;

struct Htlc
{
    Hash256 paymentHash{}; // BLAKE2b-256 of the preimage the payee reveals
    uint64_t amount = 0;
    TimeNs expiry = 0;       // after this the offerer may take it back
    bool offeredByA = false; // the offerer pays; the other party is paid with the preimage

    bool operator==(const Htlc& o) const
    {
        return paymentHash == o.paymentHash && amount == o.amount && expiry == o.expiry &&
               offeredByA == o.offeredByA;
    }
};

struct ChannelState
{
    ChannelId channel{};
    uint64_t seq = 0; // 0 is the opening split; each update adds one
    uint64_t balanceA = 0;
    uint64_t balanceB = 0;
    std::vector<Htlc> htlcs;

    // balanceA + balanceB + every HTLC amount; false in `ok` on overflow.
    uint64_t Total(bool& ok) const;
    const Htlc* FindHtlc(const Hash256& paymentHash) const;
    void Encode(Writer& w) const;
    static ChannelState ReadFrom(Reader& r);
    // Domain tag + encoding: what each party signs.
    Bytes SigningBytes() const;
    bool operator==(const ChannelState& o) const
    {
        return channel == o.channel && seq == o.seq && balanceA == o.balanceA &&
               balanceB == o.balanceB && htlcs == o.htlcs;
    }
};

// A state with both parties' signatures: what either may take on chain.
struct SignedChannelState
{
    ChannelState state;
    Signature sigA{};
    Signature sigB{};

    void Encode(Writer& w) const;
    static SignedChannelState ReadFrom(Reader& r);
    // Both signatures valid for these keys.
    bool Verifies(const PublicKey& a, const PublicKey& b) const;
};

Signature SignChannelState(const KeyPair& key, const ChannelState& s);
bool VerifyChannelState(const PublicKey& key, const ChannelState& s, const Signature& sig);

// A revocation: the signer gives up every state of `channel` numbered `seq` or lower. A party
// signs one only once it holds a newer state signed by both, so closing a revoked state on chain
// is proof of cheating.
Bytes RevocationSigningBytes(const ChannelId& channel, uint64_t seq);
Signature SignRevocation(const KeyPair& key, const ChannelId& channel, uint64_t seq);
bool VerifyRevocation(const PublicKey& key, const ChannelId& channel, uint64_t seq,
                      const Signature& sig);

} // namespace canon

#endif
