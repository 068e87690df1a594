// ChannelsFeature: payment channels inside `canon run` (issue 18, paper 3.5.3), on either engine,
// over the run's PoP chain. The parties are the run's full nodes; on a vehicular topology nodes
// 0..vehicles-1 are vehicles and the rest roadside units (the operator's, which forward payments
// for a fee); on other topologies every node is a vehicle.
//
// What goes where:
// - On chain, through the feature context's Submit at the party's own node: a funding transfer
//   from the node's account to the party's own channel account (DeriveKeyPair(seed,
//   "channel-party", i); its nonces are the feature's alone; the funding transfer's nonce, the
//   node key's, comes from the run's nonce book, model/run/nonce-book.h, shared with CZR claims
//   and governance), then opens (each party opens channels to its lowest-index party peers at
//   `open_at_s`, once its node sees both accounts funded), cooperative and unilateral closes,
//   challenges (penalty or newer state) and settles. Each party acts on its own node's chain: it
//   adds its end of a channel once its node holds the open `confirmations` deep, it challenges a
//   close it sees there before the deadline, settles its own after the period, and sends a close
//   again while its chain still shows the channel open 10 s later. A crashed party's node sees
//   nothing, so it cannot challenge: that is what "offline" means here.
// - Off chain: every update is three encoded, signed messages (channel-messages.h) that a
//   ChannelService (a NodeService owning message types 50-54) at each party sends to its peer
//   over the engine (802.11p and OLSR in ns-3 vehicular runs). A service sends only to its node's
//   peers, so channels open only between peers: every update then travels one overlay hop, and a
//   multi-hop payment is forwarded hop by hop by the parties themselves (HTLCs), never relayed by
//   a node that is not a party of the channel.
// - Every on-chain transaction is signed by the terms of the party's node's best chain (TermsOn,
//   model/node/node.h: the CZC hash CZC governance adopted, a bid of tx_fee raised to the fee
//   floor in force there).
// - Re-establish (type 54, channel-endpoint.h): every `reestablish_s` / 2 each party's node
//   re-establishes the channels whose proposal of its own has gone unanswered for
//   `reestablish_s` (a message lost with a broken connection), and a party whose node restarts
//   re-establishes all its channels a second after. The service sees no connection events, so
//   a connection that breaks and comes back is caught by the timeout.
// - Payments: every `beacon_interval_s` each vehicle sends a safety message; every vehicle that
//   hears it (within `range_m` on radio topologies, its peers elsewhere) pays the sender
//   `price_per_message`: directly over a shared channel, else along the cheapest route with
//   capacity (channel-router.h) over the channels both of whose ends are ready.
// - Leaving: each vehicle leaves after a drawn stay, stops paying, waits `drain_s` for updates in
//   flight and closes its channels: cooperatively, or, for a cheater, unilaterally with the
//   revoked state that pays it most. Then a share of the victims (vehicles that are no genesis
//   producer) crashes for the challenge period and some seconds more; the watchtower (a roadside
//   unit's node, or the last full node where there are none) holds every party's evidence from
//   its last update and challenges for it.
//
// Modelled, not messaged: a channel is ready for payments once both parties' nodes hold its
// open (Lightning's channel_ready exchange), a leaving party's peer stops proposing on the
// channel at once (the shutdown message), the payee's invoice travels with the safety message,
// and the route finder sees every ready channel's balances (the channel graph's gossip).
//
// Bounds: at most 64 channels opened per party (scenario check), a cheater keeps its last 64
// states, one watchtower entry per closed channel. Safety-message phases are multiples of 10 ms,
// so the vehicles' messages fall on at most 100 instants a second; each such instant reads every
// position once (RunHost::Positions) and the hearing grid (hearing-grid.h) finds each sender's
// hearers among the listeners of the nine cells around it, rebuilding its cells only when some
// vehicle has moved range / 4: a second of simulated time costs O(min(vehicles, 100) x
// vehicles) in reading positions plus O(vehicles x neighbours), where every sender used to read
// every position and compare itself with every vehicle (O(vehicles^2)).
//
// Ownership: the feature owns every party's off-chain state (ChannelNode) behind a shared
// pointer the services hold, so a party's channels survive its node's crash. Deterministic: it
// draws from Rng::Derive(seed, "channels") and acts only through the host.
#ifndef CANONSIM_RUN_CHANNELS_FEATURE_H
#define CANONSIM_RUN_CHANNELS_FEATURE_H

#include "model/channels/channel-node.h"
#include "model/run/run-feature.h"
#include "model/run/scenario-config.h"

#include <memory>

namespace canon
{

// One row of the `channel_events` dataset.
enum class ChannelEventKind : uint8_t
{
    kOpen = 0,
    kCoopClose = 1,
    kUnilateralClose = 2, // a challenge period starts
    kChallenge = 3,       // a newer state or a revocation was shown
    kPenalty = 4,         // the closer's whole share went to the other party
    kSettle = 5,          // a unilateral close paid out after its period
};

struct ChannelEvent
{
    double time = 0;
    uint64_t channel = 0; // first 8 bytes of the channel id
    uint32_t partyA = 0;
    uint32_t partyB = 0;
    ChannelEventKind kind = ChannelEventKind::kOpen;
    uint64_t updates = 0; // off-chain updates the channel had when the event happened
    uint64_t amountA = 0; // open: deposit A; closes: what A is paid (penalty: what the winner gets)
    uint64_t amountB = 0;
    uint32_t actor = 0; // the node that sent the transaction
    bool stale = false; // the close named a revoked state
};

struct CheatAttempt
{
    double time = 0;
    uint32_t cheater = 0;
    uint32_t victim = 0;
    uint64_t staleSeq = 0;
    uint64_t latestSeq = 0;
    uint64_t gainIfUnchallenged = 0; // the stale state's share minus the latest one's
    bool victimOnline = false;
    bool watchtower = false;
    // At the end, on the longest chain among the live nodes: "penalised", "stale state paid
    // out", "replaced by a newer state", "pending at end" (in its period), "close not included".
    std::string outcome;
    std::string challenger; // who sent the first challenge: "victim", "watchtower", "none"
};

// An update message injected into the run (InjectUpdate): a replay of a proposal the target
// already accepted, or a proposal of the next state signed by a key that is not the proposer's.
enum class InjectedUpdateKind : uint8_t
{
    kReplay,
    kForgery,
};

struct InjectedUpdate
{
    InjectedUpdateKind kind = InjectedUpdateKind::kReplay;
    double time = 0;
    uint32_t from = 0;
    uint32_t to = 0;
    ChannelId channel{};
    bool delivered = false; // it reached the target's party
    bool refused = false;   // the target refused it (and counted it under refused_messages)
    uint64_t seqBefore = 0; // the target's latest state number before and after handling it
    uint64_t seqAfter = 0;
};

// A multi-hop payment injected into the run (InjectPayment), with every hop's balances (the
// paying end's, the paid end's) when it started and when the next injected payment started (the
// last one: at the end of the run).
struct InjectedPayment
{
    double time = 0;
    uint32_t payer = 0;
    uint32_t payee = 0;
    bool payeeKnowsInvoice = true; // false: the last hop fails it (an unknown invoice)
    Hash256 paymentHash{};
    std::vector<RouteHop> route;
    std::vector<std::pair<uint64_t, uint64_t>> before;
    std::vector<std::pair<uint64_t, uint64_t>> after;
    uint32_t htlcsLeft = 0; // HTLCs of this payment on its hops when `after` was taken
    bool resolved = false;  // the payer learnt the outcome
    bool settled = false;
};

// A channel message dropped on purpose (InjectLoss), as a broken connection would lose it, and
// the channel's two ends at the end of the run.
struct InjectedLoss
{
    double time = 0;
    uint32_t from = 0;
    uint32_t to = 0;
    ChannelId channel{};
    std::string message;    // its name (channel-propose or channel-accept)
    bool endsAgree = false; // at the end both ends hold the same latest state
    bool stalled = false;   // at the end an update is still in flight at one of them
};

struct ChannelRunSummary
{
    double durationSeconds = 0;
    uint64_t paymentsSettled = 0;
    uint64_t paymentsFailed = 0;    // refused or failed along the route
    uint64_t paymentsAbandoned = 0; // still queued or in flight when the channel closed
    uint64_t paymentsDirect = 0;
    uint64_t paymentsMultiHop = 0;
    uint64_t noRoute = 0;
    uint64_t offChainUpdates = 0;
    uint64_t offChainMessages = 0;
    uint64_t onChainTxs = 0;
    uint64_t onChainRefused = 0;
    uint64_t channelsOpened = 0;
    uint64_t channelsClosed = 0;
    uint64_t channelsOpenAtEnd = 0;
    std::vector<double> lifetimesSeconds; // of the channels closed (paid out) in the run
    std::vector<CheatAttempt> cheats;
    std::vector<InjectedUpdate> injectedUpdates;
    std::vector<InjectedPayment> injectedPayments;
    std::vector<InjectedLoss> injectedLosses;
    uint64_t supplyAtEnd = 0;
    double wallSeconds = 0;
};

class ChannelsFeature : public RunFeature
{
  public:
    // `vehicles`: nodes below this index are vehicles, the rest roadside units.
    ChannelsFeature(const ChannelsConfig& config, uint32_t vehicles);
    ~ChannelsFeature() override;

    std::string Name() const override { return "channels"; }
    void ConfigureNode(uint32_t id, NodeConfig& config) const override;
    void Attach(const FeatureContext& ctx) override;
    void Finish() override;
    std::map<std::string, double> Figures() const override;

    // What the run did (for tests and the report): the on-chain events in the order the
    // parties' nodes first saw them, the summary and every cheating attempt with its outcome.
    const std::vector<ChannelEvent>& Events() const;
    const ChannelRunSummary& Summary() const;

    // Misbehaviour and payments put into a run (for tests; call before the run starts). At
    // `atSeconds` the first channel (in order of opening) whose two ends are ready and idle, and
    // for a replay whose last proposal the target holds, gets the update from its proposer's
    // node; it is recorded in Summary().injectedUpdates when it arrives. No such channel: nothing
    // is sent or recorded.
    void InjectUpdate(InjectedUpdateKind kind, double atSeconds);
    // At `atSeconds` the first (payer, payee) pair of parties, in index order, whose cheapest
    // route has at least two hops, all idle, pays price_per_message along it.
    void InjectPayment(double atSeconds, bool payeeKnowsInvoice);
    // From `atSeconds` on, the first proposal or accept a party sends is lost on the way.
    void InjectLoss(double atSeconds);

    struct Impl;

  private:
    std::shared_ptr<Impl> m_impl;
};

} // namespace canon

#endif
