// PeerGuard: a full node's defences against misbehaving peers, in the sans-IO core so that both
// engines have them (issue 19). Node owns one and calls it at two points of OnMessage: Admit()
// before a message is handled (ban, rate limits, decoding, the signature budget) and Observe()
// after (the drops the message caused score its sender). Broadcasts skip banned peers.
//
// What it does, each part a parameter (PeerGuardConfig; all off by default, so a scenario
// without a `defences:` section runs exactly as before):
//   - misbehaviour scores: a peer earns points for a message that does not decode, a block that
//     breaks a validity rule, a transaction with a bad signature, and each message over a rate
//     limit or the signature budget. Scores decay linearly (decayPerSecond) so that rare honest
//     accidents (a relay racing a reorg) never add up to a ban;
//   - bans: a peer whose score reaches banScore is banned for banDuration: everything it sends
//     is discarded unread (counted, not traced one by one: a ban is a disconnection, and a real
//     transport would not deliver them) and nothing is sent to it. The ban itself is traced once
//     as a connection event (kConnectionEvent) "peer banned: ..." so run summaries list it with
//     the transport's connection events. When it expires the peer starts again from score 0;
//   - rate limits: a token bucket per peer and message type, messagesPerSecond tokens a second
//     with burstSeconds of them in hand; a message without a token is dropped;
//   - signature budget: a bucket per peer of signaturesPerSecond signature checks (one per
//     transaction a Transaction or Txs message carries), charged before the node verifies any
//     of them; a message over budget is dropped unverified.
//
// Which drops count as misbehaviour: only what no honest peer sends. An honest node verifies
// before it relays, and a block's validity depends only on the block and its parent, so an
// invalid block (a drop of a Block whose reason is an `invalid:` status) or a transaction with a
// bad signature marks its sender. Drops an honest relay can cause (a stale CZC hash, a nonce gap,
// a full mempool, a block too early for this clock, an orphan, a block that forks below this
// node's irreversible block) score nothing.
//
// Bounds: at most peersMax peer records (an adversary can only make records for peer ids the
// transport gives it, but the bound holds whatever the transport does); when full, the record
// with the lowest score that is not banned goes first (ties: the lowest peer id). Buckets per
// peer: at most one per message type (256). Deterministic: no clock, no randomness; ordered
// containers only.
#ifndef CANONSIM_NODE_PEER_GUARD_H
#define CANONSIM_NODE_PEER_GUARD_H

#include "model/core/time.h"
#include "model/node/node-io.h"

#include <map>
#include <optional>

namespace canon
{

struct PeerGuardConfig
{
    bool scores = false;   // misbehaviour scores and bans
    double banScore = 100; // a ban at this score
    TimeNs banDuration = 600 * kSecond;
    double decayPerSecond = 1;      // points a score loses a second
    double undecodablePoints = 20;  // a message that does not decode
    double invalidBlockPoints = 50; // a block that breaks a validity rule
    double invalidTxPoints = 5;     // a transaction with a bad signature
    double overLimitPoints = 1;     // a message over a rate limit or the signature budget
    double messagesPerSecond = 0;   // per peer and message type; 0: no limit
    double signaturesPerSecond = 0; // per peer; 0: no budget
    double burstSeconds = 2;        // bucket depth in seconds of its rate
    std::size_t peersMax = 4096;

    bool Enabled() const { return scores || messagesPerSecond > 0 || signaturesPerSecond > 0; }
};

struct PeerGuardCounters
{
    uint64_t bans = 0;             // bans imposed
    uint64_t bannedDiscarded = 0;  // messages from banned peers, discarded unread
    uint64_t rateLimited = 0;      // messages over a rate limit
    uint64_t signatureLimited = 0; // messages over the signature budget
    uint64_t scoredDrops = 0;      // drops that earned their sender points
};

class PeerGuard
{
  public:
    explicit PeerGuard(PeerGuardConfig config = {});

    const PeerGuardConfig& Config() const { return m_config; }
    const PeerGuardCounters& Counters() const { return m_counters; }

    // The message decoded, or nothing when it is to be dropped: from a banned peer (counted),
    // over a rate limit or the signature budget, or undecodable (each recorded with its reason
    // as RecordDrop does, into `dropped` and `out`). With every defence off it only decodes.
    std::optional<DecodedMessage> Admit(TimeNs now, const MessageInput& in, uint64_t& dropped,
                                        Actions& out);
    // Scores `from` for the drops in out.events[firstEvent, ...) that name it (see the top of
    // this file), and bans it when its score reaches banScore.
    void Observe(TimeNs now, PeerId from, std::size_t firstEvent, Actions& out);
    bool Banned(PeerId peer, TimeNs now) const;
    // When the peer's ban ends (0: never banned; in the past: the ban is over).
    TimeNs BannedUntil(PeerId peer) const;
    // The peer's score now (0 for a peer without a record).
    double Score(PeerId peer, TimeNs now) const;
    std::size_t Records() const { return m_peers.size(); }

  private:
    struct Bucket
    {
        double tokens = 0;
        TimeNs at = 0; // when `tokens` was last brought up to date
        bool started = false;
    };
    struct PeerRecord
    {
        double score = 0;
        TimeNs scoredAt = 0;
        TimeNs bannedUntil = 0; // 0: not banned
        std::map<uint8_t, Bucket> byType;
        Bucket signatures;
    };

    PeerRecord& Record(PeerId peer);
    void EvictOne();
    // Takes `cost` tokens from `b` at `rate` a second, if it holds them.
    bool Take(Bucket& b, double rate, double cost, TimeNs now) const;
    void AddPoints(PeerId peer, PeerRecord& r, double points, TimeNs now, Actions& out);
    double Decayed(const PeerRecord& r, TimeNs now) const;
    // Points for one drop event (0: not misbehaviour).
    double PointsFor(const NodeEvent& ev) const;
    void LimitDrop(const std::string& reason, const MessageInput& in, uint64_t& dropped,
                   Actions& out) const;

    PeerGuardConfig m_config;
    std::map<PeerId, PeerRecord> m_peers;
    PeerGuardCounters m_counters;
};

// Transactions a message asks its receiver to verify the signatures of: 1 for a Transaction, the
// count of a Txs message, 0 for anything else.
std::size_t SignatureChecksOf(const DecodedMessage& m);

} // namespace canon

#endif
