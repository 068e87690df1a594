// NetworkAttack: the traffic of a network-layer attacker (issue 19), made from its follower's
// view of the chain. An Adversary of kind tx-spam or flood (adversary.h) owns one and fires it
// on its own timer, a burst every kAttackTick; the rate is messages a second to each peer, the
// fraction carried from burst to burst so the mean rate is exact.
//
// What a burst holds, by variant:
//   - valid (tx-spam): transfers of 1 from the attacker's own funded key to itself at the
//     lowest fee, with consecutive nonces; they go to the follower as if a wallet submitted them,
//     so they spread as honest transactions do (the mempool's nonce window bounds how many
//     wait: beyond it the follower drops them itself);
//   - bad-signature (tx-spam): the same transfers with one signature bit flipped, each new (the
//     nonce counts up), sent to every peer: each costs its receiver a signature check;
//   - oversized (flood): kOversizeBytes of zeros claiming to be a Transaction, far over any
//     transaction's bound (the decoder refuses it; on the way it costs the link its bytes);
//   - malformed (flood): kMalformedBytes that claim a message type drawn from the known ones and
//     do not decode;
//   - duplicate (flood): the follower's best block, whole, again and again (the receivers'
//     de-duplication catches it; the rate limit is what stops it).
// Randomness: its own stream (the seed it is given). Single-threaded; holds no reference.
#ifndef CANONSIM_NODE_NETWORK_ATTACK_H
#define CANONSIM_NODE_NETWORK_ATTACK_H

#include "model/core/rng.h"
#include "model/node/node.h"

#include <optional>
#include <string>

namespace canon
{

// How a network attack behaves (a kind's variants: tx-spam valid | bad-signature; flood
// oversized | malformed | duplicate; eclipse withhold | private-branch).
enum class AttackVariant : uint8_t
{
    kValid,
    kBadSignature,
    kOversized,
    kMalformed,
    kDuplicate,
    kWithhold,
    kPrivateBranch,
};

const char* AttackVariantName(AttackVariant v);
std::optional<AttackVariant> ParseAttackVariant(const std::string& name);

// A burst every 100 ms: fine enough that a rate of a few messages a second is smooth, coarse
// enough that the attacker's own timer is a small share of a run's events.
constexpr TimeNs kAttackTick = 100 * kMillisecond;
constexpr std::size_t kOversizeBytes = 64 * 1024;
constexpr std::size_t kMalformedBytes = 64;
// Messages one burst may hold per peer, whatever the rate (a bound on one step's output).
constexpr uint64_t kAttackBurstMax = 10000;

struct NetworkAttackCounters
{
    uint64_t messages = 0; // sent to peers (one per peer) or submitted to the follower
    uint64_t bytes = 0;
};

class NetworkAttack
{
  public:
    NetworkAttack(AttackVariant variant, double ratePerSecond, KeyPair key, uint64_t seed);

    // When the next burst is due (from `now` on if none was planned).
    TimeNs NextAt(TimeNs now);
    // The burst due at `now`: messages to `peers`, or (valid spam) transactions handed to the
    // follower, whose relays go to `out` (filtered by the caller as any follower output).
    void Fire(TimeNs now, Node& follower, const std::vector<PeerId>& peers, Actions& out);
    const NetworkAttackCounters& Counters() const { return m_counters; }

  private:
    SharedBytes Message(const Node& follower);
    Transaction Transfer(const Node& follower, uint64_t nonce) const;

    AttackVariant m_variant;
    double m_rate;
    KeyPair m_key;
    Rng m_rng;
    double m_owed = 0;
    TimeNs m_nextAt = 0;
    uint64_t m_nonce = 0;     // valid spam: the wallet's counter (NextWalletNonce)
    uint64_t m_junkNonce = 0; // bad signatures: each transaction new
    Hash256 m_duplicateOf{};
    SharedBytes m_duplicate;
    NetworkAttackCounters m_counters;
};

} // namespace canon

#endif
