// A participant of the channel network (a vehicle, a roadside unit operator): its ends of its
// channels, the payments it makes, forwards and receives (paper 3.5.3). Sans-IO: messages in
// (from a peer node, encoded), sends and payment outcomes out; times are passed in.
//
// Payments: direct (one pay update on a shared channel) or multi-hop with hash time-locked
// contracts along a route from ChannelRouter. The payer adds an HTLC on the first hop carrying
// the rest of the route; each hop, once the HTLC is signed by both, adds the next one with an
// earlier expiry; the payee, who knows the preimage, fulfils; each hop, seeing the preimage,
// fulfils upstream. A hop that cannot forward (no capacity, a refusal) fails the HTLC upstream,
// and failures travel back to the payer. So every hop's HTLC is either fulfilled with the one
// preimage or failed: the payment settles along the whole route or nowhere.
//
// One update per channel is in flight at a time (channel-endpoint.h); further intents wait in the
// channel's queue, at most kIntentQueueMax (beyond that they are refused as failed). Batching:
// when the update about to be proposed is a direct payment, the direct payments queued right
// behind it (up to `batchMax` in all) go with it as one pay update of their summed amount; the
// update's acceptance settles each of them, its refusal fails each of them.
//
// Re-establish: Tick (called every so often) sends a re-establish on every channel whose
// proposal of ours has been in flight, with Latest() unchanged, for `timeout`, and again every
// `timeout` after; Reestablish sends one at once (the peer's node came back), and so does a
// proposal from the peer numbered past our next state (at most once a second). The exchange itself
// is the endpoint's (channel-endpoint.h); what it re-sends completes or refuses the update in
// flight like the original would have. Tick also proposes again the owed updates (fulfils and
// fails) the peer refused, kOwedRetryDelay after the refusal, and, on a channel with nothing of
// ours queued or in flight, takes back every HTLC of its own past its expiry (an expire update),
// which fails the payment it carried: upstream for a forwarder, to the payer for the payer. So no
// HTLC holds a channel's capacity or one of its kChannelHtlcMax slots past its expiry once the
// channel is quiet. (Expiring on busy channels too tripled the abandoned payments at ten safety
// messages a second on the abstract engine.)
#ifndef CANONSIM_CHANNELS_CHANNEL_NODE_H
#define CANONSIM_CHANNELS_CHANNEL_NODE_H

#include "model/channels/channel-endpoint.h"
#include "model/channels/channel-router.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <set>

namespace canon
{

constexpr std::size_t kIntentQueueMax = 4096;
// A fulfil or fail the peer refused (it had a proposal of its own in flight) is proposed again
// this much later, at most this many times: it is owed, where a refused payment just fails.
constexpr TimeNs kOwedRetryDelay = kSecond;
constexpr uint32_t kOwedRetriesMax = 60;

struct ChannelSend
{
    uint32_t to = 0;
    Bytes bytes;
};

struct PaymentOutcome
{
    Hash256 paymentHash{}; // direct payments: all zero
    bool settled = false;
    bool abandoned = false; // still waiting in a queue when its channel closed
};

struct ChannelOutput
{
    std::vector<ChannelSend> sends;
    std::vector<PaymentOutcome> outcomes; // for payments this node started
    uint64_t updates = 0;                 // peer proposals accepted here (each update once)
    uint64_t refused = 0;                 // messages refused (bad, replayed or forged)
    uint64_t reestablishes = 0;           // re-establishes sent (not answers)
};

class ChannelNode
{
  public:
    ChannelNode(uint32_t id, KeyPair key, std::size_t batchMax = 1)
      : m_id(id)
      , m_key(std::move(key))
      , m_batchMax(std::max<std::size_t>(1, batchMax))
    {
    }
    uint32_t Id() const { return m_id; }
    const KeyPair& Key() const { return m_key; }
    void AddChannel(uint32_t peer, const ChannelEndpointConfig& config);
    ChannelEndpoint* Find(const ChannelId& id);
    const std::map<ChannelId, ChannelEndpoint>& Channels() const { return m_channels; }
    uint32_t PeerOf(const ChannelId& id) const { return m_peerOf.at(id); }

    // A direct payment over one of this node's channels.
    void PayDirect(const ChannelId& channel, uint64_t amount, ChannelOutput& out);
    // A multi-hop payment along `route` (this node's hop first); each hop's HTLC expires
    // `hopDelta` before the one upstream of it.
    void PayRoute(const std::vector<RouteHop>& route, const Hash256& paymentHash, TimeNs now,
                  TimeNs hopDelta, ChannelOutput& out);
    // The payee side: the preimage this node will reveal to be paid.
    void ExpectPayment(const Hash256& preimage);
    void OnMessage(uint32_t from, const Bytes& bytes, TimeNs now, ChannelOutput& out);
    // The channel is closing on chain: queued intents are refused, messages for it too; its
    // end stays readable (for evidence).
    void Retire(const ChannelId& channel, ChannelOutput& out);
    bool IsRetired(const ChannelId& channel) const { return m_retired.count(channel) > 0; }
    // Whether an update of `channel` is in flight or queued here.
    bool Idle(const ChannelId& channel) const;
    // Re-establishes every channel whose proposal of ours is stalled (see above).
    void Tick(TimeNs now, TimeNs timeout, ChannelOutput& out);
    // Re-establishes `channel` now (not retired, its end added).
    void Reestablish(const ChannelId& channel, ChannelOutput& out);
    // Off: a proposal out of step does not send a re-establish (Tick and Reestablish still do
    // what they are asked; the run does not call them then).
    void SetReestablish(bool on) { m_reestablishOn = on; }
    // Whether a proposal of ours is in flight or queued on some channel (Tick has work).
    bool HasWork() const;

  private:
    struct Intent
    {
        std::function<Result<ChannelMessage>(ChannelEndpoint&)> make;
        std::function<void(ChannelOutput&)> onRefused;
        uint64_t payAmount = 0; // a direct payment (or a batch of them): the summed amount
        uint32_t payments = 0;  // direct payments it carries; 0: not a direct payment
        bool owed = false;      // a fulfil or fail: proposed again when the peer refuses it
        uint32_t retries = 0;
        TimeNs retryAt = 0; // not proposed before this
    };
    // Merges the direct payments queued behind `first` into it (batchMax in all).
    void Batch(std::deque<Intent>& q, Intent& first);
    void Enqueue(const ChannelId& channel, Intent intent, ChannelOutput& out, bool front = false);
    void Pump(const ChannelId& channel, ChannelOutput& out);
    void Send(const ChannelId& channel, const ChannelMessage& m, ChannelOutput& out);
    void OnPeerUpdate(const ChannelId& channel, const ChannelStep& step, ChannelOutput& out);
    // Our own proposal on `channel` was answered (accepted, or rejected).
    void OnOwnAnswered(const ChannelId& channel, const ChannelStep& step, bool rejected,
                       ChannelOutput& out);
    void OnHtlcOffered(const ChannelId& channel, const Htlc& h,
                       const std::vector<ForwardHop>& onward, ChannelOutput& out);
    void OnHtlcResolved(const Htlc& h, const std::optional<Hash256>& preimage, ChannelOutput& out);
    void FailUpstream(const Hash256& paymentHash, ChannelOutput& out);
    // Proposes an expire for every HTLC of ours past its expiry on `channel`.
    void ExpireOwn(const ChannelId& channel, const ChannelEndpoint& end, ChannelOutput& out);

    uint32_t m_id;
    KeyPair m_key;
    std::size_t m_batchMax;
    std::map<ChannelId, ChannelEndpoint> m_channels;
    std::map<ChannelId, uint32_t> m_peerOf;
    std::map<ChannelId, std::deque<Intent>> m_queues;
    std::map<ChannelId, Intent> m_inFlight;
    std::map<Hash256, ChannelId> m_upstream; // forwarded HTLCs: where they came from
    std::map<Hash256, Hash256> m_preimages;  // payee: hash -> preimage
    std::set<ChannelId> m_retired;
    // Channels with our proposal in flight: the seq it would make, and since when Tick saw it.
    std::map<ChannelId, std::pair<uint64_t, TimeNs>> m_stalled;
    TimeNs m_now = 0;                          // the latest time OnMessage or Tick was given
    std::set<Hash256> m_expiring;              // HTLCs of ours with an expire queued or in flight
    std::map<ChannelId, TimeNs> m_outOfStepAt; // last re-establish for a proposal out of step
    bool m_reestablishOn = true;
};

} // namespace canon

#endif
