// A watchtower (issue 18): a third party that holds, for each channel of its clients, the best
// evidence the client has against its peer, and challenges a unilateral close on the client's
// behalf when the client is offline (PROTOCOL.md 6).
//
// What it holds per channel: the peer's highest revocation and the latest state signed by both.
// Nothing in it can hurt the client: a revocation only punishes the peer that signed it, and a
// state signed by both is one the client agreed to. Bounded by the channels its clients register
// (kWatchtowerChannelsMax); a client updates it after each completed update.
#ifndef CANONSIM_CHANNELS_WATCHTOWER_H
#define CANONSIM_CHANNELS_WATCHTOWER_H

#include "model/channels/channel-endpoint.h"
#include "model/channels/channel-ledger.h"

#include <map>

namespace canon
{

constexpr std::size_t kWatchtowerChannelsMax = 1 << 20;

struct ChannelEvidence
{
    PublicKey client{}; // the party the evidence protects; its own closes are never challenged
    std::optional<std::pair<uint64_t, Signature>> peerRevocation;
    SignedChannelState latest;
};

// The evidence an end holds now.
ChannelEvidence EvidenceOf(const ChannelEndpoint& end);

// The challenge `evidence` supports against the close `c` is in, if any: the revocation when it
// covers the closed state (penalty), and the latest state when it is newer.
std::optional<ChannelChallengePayload> ChallengeFor(const ChannelId& id, const OnChainChannel& c,
                                                    const ChannelEvidence& evidence);

class Watchtower
{
  public:
    // Stores (or replaces) a client's evidence for a channel; false when full.
    bool Watch(const ChannelId& id, ChannelEvidence evidence);
    // The challenge for a channel seen closing on chain, if the tower holds evidence for it.
    std::optional<ChannelChallengePayload> OnClose(const ChannelId& id,
                                                   const OnChainChannel& c) const;
    std::size_t Size() const { return m_evidence.size(); }

  private:
    std::map<ChannelId, ChannelEvidence> m_evidence;
};

} // namespace canon

#endif
