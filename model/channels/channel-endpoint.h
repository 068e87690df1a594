// One party's end of one payment channel, off chain (paper 3.5.3): the latest state both
// parties signed, the revocations the peer gave, and the one update in flight. Sans-IO: it turns
// messages in into messages out (channel-messages.h) and never reads a clock (times are passed).
//
// Moves a party accepts from its peer (CheckMove), each one step of seq:
//   pay      the proposer's balance goes down, the acceptor's up by the same; HTLCs unchanged
//   add      the proposer offers one new HTLC, paid from its balance, expiring after `now`
//   fulfil   the proposer removes an HTLC offered to it and shows its preimage; it is paid
//   fail     the proposer removes an HTLC offered to it, unpaid; the amount goes back
//   expire   the proposer removes its own HTLC after its expiry and takes the amount back
// Anything else, a wrong seq (a replay) or a bad signature (a forgery) is rejected with a reason;
// a proposal of exactly the latest state (a duplicate) is refused too, but answered with the
// Accept again (the proposer's first may have been lost). When both propose at once, A refuses
// B's proposal and B gives way to A's, dropping its own, only if it accepts A's.
//
// Re-establish (after a message lost with its connection; channel-messages.h): MakeReestablish
// states this end's latest seq S and the peer revocations it holds. On the peer's, with S' its
// latest: a signature that fails, a round not above the last one seen, or a claim that cannot
// be true (S' outside S-1..S+1, S' = S+1 without our proposal of S+1 in flight, S' below a state
// the peer has revoked, more of our revocations than we gave) is refused. Otherwise:
//   S' = S-1  the peer proposed S and our Accept was lost: the Accept is sent again (our
//             signature on S, our revocation of S-1), and the peer completes its update;
//   S' = S    a proposal of ours in flight never reached the peer: it is sent again, unchanged
//             (an HTLC in it then settles or fails like any proposal); and if the peer lacks our
//             revocation of S-1 (our Revoke was lost), it is sent again;
//   S' = S+1  our Accept is the peer's to send again, on our re-establish.
// A re-establish that is not an answer is answered with ours first. So each update in flight
// completes or is refused (its HTLC failed upstream); no update stays in flight for good.
//
// Invariants: Latest() is signed by both and sums to the capacity; at most one update is in
// flight; the end revokes a state only once it holds a newer one signed by both, so an honest
// party never has a revoked state to close with. History() keeps every state the end held signed
// by both (bounded by the caller: a cheater model reads it; an honest one never needs to).
#ifndef CANONSIM_CHANNELS_CHANNEL_ENDPOINT_H
#define CANONSIM_CHANNELS_CHANNEL_ENDPOINT_H

#include "model/channels/channel-messages.h"

#include <optional>
#include <vector>

namespace canon
{

enum class ChannelMove : uint8_t
{
    kPay,
    kAdd,
    kFulfil,
    kFail,
    kExpire,
};

struct ChannelEndpointConfig
{
    KeyPair self;
    PublicKey peer{};
    bool selfIsA = true;
    ChannelId channel{};
    uint64_t depositA = 0;
    uint64_t depositB = 0;
    // States kept in History(), oldest dropped first; 0 keeps none.
    std::size_t historyMax = 0;
};

// What handling one message produced: the reply to send (if any), and what completed.
struct ChannelStep
{
    std::optional<ChannelMessage> reply;
    bool updated = false;               // Latest() moved to a newer state signed by both
    std::optional<ChannelMove> move;    // the move of that update
    std::optional<Hash256> preimage;    // a fulfil from the peer showed this preimage
    std::optional<Htlc> htlc;           // the HTLC an add, fulfil, fail or expire moved
    std::vector<ForwardHop> onward;     // an add from the peer: where to forward it
    std::vector<ChannelMessage> resend; // a re-establish: what to send the peer, in order
    Status status;           // not OK: the message was refused (and a Reject is the reply)
    bool droppedOwn = false; // both proposed at once and ours gave way: propose it again
    bool outOfStep = false;  // a proposal numbered past our next: we are behind the peer
};

class ChannelEndpoint
{
  public:
    explicit ChannelEndpoint(ChannelEndpointConfig config);

    const ChannelId& Id() const { return m_config.channel; }
    const PublicKey& Self() const { return m_config.self.Public(); }
    bool IsA() const { return m_config.selfIsA; }
    const SignedChannelState& Latest() const { return m_latest; }
    uint64_t Capacity() const { return m_config.depositA + m_config.depositB; }
    uint64_t OwnBalance() const;
    uint64_t PeerBalance() const;
    bool Busy() const { return m_pending.has_value(); }
    // The highest seq the peer revoked, with its signature (for a challenge); none yet: nullopt.
    const std::optional<std::pair<uint64_t, Signature>>& PeerRevocation() const
    {
        return m_peerRevocation;
    }
    const std::vector<SignedChannelState>& History() const { return m_history; }

    // Proposals; each fails (and sends nothing) when an update is in flight or the move is not
    // possible on Latest().
    Result<ChannelMessage> ProposePay(uint64_t amount);
    Result<ChannelMessage> ProposeAdd(const Hash256& paymentHash, uint64_t amount, TimeNs expiry,
                                      std::vector<ForwardHop> onward = {});
    Result<ChannelMessage> ProposeFulfil(const Hash256& preimage);
    Result<ChannelMessage> ProposeFail(const Hash256& paymentHash);
    Result<ChannelMessage> ProposeExpire(const Hash256& paymentHash, TimeNs now);
    // The latest seq of a proposal of ours in flight; none: nullopt.
    std::optional<uint64_t> PendingSeq() const
    {
        return m_pending ? std::optional<uint64_t>(m_pending->state.seq) : std::nullopt;
    }
    // A signed re-establish (its round one above the last this end sent).
    ChannelMessage MakeReestablish(bool answer);

    ChannelStep Handle(const ChannelMessage& m, TimeNs now);

  private:
    uint64_t& Own(ChannelState& s) const { return m_config.selfIsA ? s.balanceA : s.balanceB; }
    uint64_t& Peer(ChannelState& s) const { return m_config.selfIsA ? s.balanceB : s.balanceA; }
    Result<ChannelMessage> Propose(ChannelState next, ChannelMove move,
                                   std::optional<Hash256> preimage,
                                   std::vector<ForwardHop> onward = {});
    ChannelState Next() const;
    Status CheckMove(const ChannelPropose& p, TimeNs now, ChannelMove& move) const;
    ChannelStep OnPropose(const ChannelPropose& p, TimeNs now);
    ChannelStep OnAccept(const ChannelAccept& a);
    ChannelStep OnRevoke(const ChannelRevoke& r);
    ChannelStep OnReject(const ChannelReject& r);
    Status CheckReestablish(const ChannelReestablish& r) const;
    ChannelStep OnReestablish(const ChannelReestablish& r);
    void Adopt(const SignedChannelState& s);

    ChannelEndpointConfig m_config;
    SignedChannelState m_latest;
    struct Pending
    {
        ChannelState state;
        ChannelMove move;
        Signature ownSig{};
        std::optional<Hash256> preimage; // to send the same proposal again
        std::vector<ForwardHop> onward;
    };
    std::optional<Pending> m_pending; // our proposal awaiting Accept
    // A state we accepted and countersigned, awaiting the proposer's Revoke; it is already ours.
    std::optional<std::pair<uint64_t, Signature>> m_peerRevocation;
    std::vector<SignedChannelState> m_history;
    uint64_t m_ownRound = 0;  // re-establishes sent
    uint64_t m_peerRound = 0; // the last round of the peer's accepted here
};

} // namespace canon

#endif
