// The vehicular payment-channel run of issue 18 (paper 3.5.3): vehicles on a ring road pay each
// nearby vehicle per safety message they receive from it, over payment channels.
//
// What is real and what is abstracted. Real: every channel transaction is signed and applied by
// LedgerState's rules (channel-ledger.h) in blocks every `slot`; every off-chain update is three
// encoded, signed messages between ChannelNodes (channel-node.h); routes come from
// ChannelRouter over the live balances; the watchtower and the challenges are the real ones.
// Abstracted (this is CanonSim's abstract engine for channels, not the ns-3 one): the chain is
// one sequencer applying every pending transaction each slot (no PoP, no forks); a message takes
// `radioLatency` between vehicles within `rangeM` and `backhaulLatency` otherwise, and is never
// lost; vehicles move at constant speeds on a ring of `roadLengthM`.
//
// The run: at start each vehicle opens a channel with the roadside unit operator (node 0, the
// hub) and with its `directChannels` nearest vehicles. Every `beaconInterval` each vehicle on the
// road sends a safety message; each vehicle in range pays the sender `pricePerMessage`: directly
// if they share a channel, else along the cheapest route with capacity (through the hub, which
// charges `hubFee`). Each vehicle leaves after a drawn stay: it stops paying, waits `drain` for
// updates in flight, then closes each channel: cooperatively, or, for a cheater, unilaterally
// with the revoked state that pays it most. The victim challenges if it is online; a share of
// victims is offline through the challenge period, and then only a watchtower (when enabled)
// challenges for them. Closes left pending at the end of the run are reported as such.
//
// Deterministic: one seed gives the same events, records and summary.
#ifndef CANONSIM_CHANNELS_VEHICULAR_CHANNEL_RUN_H
#define CANONSIM_CHANNELS_VEHICULAR_CHANNEL_RUN_H

#include "model/channels/channel-node.h"
#include "model/channels/channel-router.h"

#include <string>
#include <vector>

namespace canon
{

struct VehicularChannelConfig
{
    uint64_t seed = 1;
    uint32_t vehicles = 30;
    double roadLengthM = 3000;
    double speedMinMps = 20;
    double speedMaxMps = 33;
    double rangeM = 300;
    TimeNs beaconInterval = 1 * kSecond;
    uint64_t pricePerMessage = 10;
    uint64_t vehicleDeposit =
        20000; // each side of a vehicle-vehicle channel, a vehicle's side to the hub
    uint64_t hubDeposit = 20000; // the hub's side of each of its channels
    uint32_t directChannels = 2;
    NodeFee hubFee{1, 10000};
    TimeNs slot = 1 * kSecond;
    TimeNs challengePeriod = 10 * kSecond;
    TimeNs hopDelta = 5 * kSecond; // HTLC expiry step per hop
    TimeNs radioLatency = 2 * kMillisecond;
    TimeNs backhaulLatency = 20 * kMillisecond;
    TimeNs duration = 120 * kSecond;
    TimeNs stayMin = 30 * kSecond;
    TimeNs stayMax = 100 * kSecond;
    TimeNs drain = 2 * kSecond;
    double cheaterShare = 0.2;
    double offlineShare = 0.5; // of the victims of cheaters: offline through the challenge period
    bool watchtower = true;
};

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
    uint32_t actor = 0; // who sent the transaction (the watchtower is node vehicles + 1)
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
    std::string outcome;    // "penalised", "stale state paid out", "pending at end"
    std::string challenger; // "victim", "watchtower", "none"
};

struct VehicularChannelSummary
{
    double durationSeconds = 0;
    uint64_t paymentsSettled = 0;
    uint64_t paymentsFailed = 0;    // refused or failed along the route
    uint64_t paymentsAbandoned = 0; // still queued behind other updates when the channel closed
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
    uint64_t supplyAtEnd = 0;
    double wallSeconds = 0;
};

struct VehicularChannelResult
{
    VehicularChannelSummary summary;
    std::vector<ChannelEvent> events;
};

// Runs the scenario to `duration` (closes in their period at the end are reported pending).
VehicularChannelResult RunVehicularChannels(const VehicularChannelConfig& config);

} // namespace canon

#endif
