// ChannelsFeature: payment channels inside `canon run` (issue 18, paper 3.5.3), on either engine,
// over the run's PoP chain. The parties are the run's full nodes; on a vehicular topology nodes
// 0..vehicles-1 are vehicles and the rest roadside units (the operator's, which forward payments
// for a fee); on other topologies every node is a vehicle.
//
// What goes where:
// - On chain, through the feature context's Submit at the party's own node: opens (each party
//   opens channels to its lowest-index party peers at `open_at_s`), cooperative and unilateral
//   closes, challenges (penalty or newer state) and settles. Each party acts on its own node's
//   chain: it adds its end of a channel once its node holds the open `confirmations` deep, it
//   challenges a close it sees there, and settles its own after the period. A crashed party's
//   node sees nothing, so it cannot challenge: that is what "offline" means here.
// - Off chain: every update is three encoded, signed messages (channel-messages.h) that a
//   ChannelService (a NodeService owning message types 50-53) at each party sends to its peer
//   over the engine (802.11p and OLSR in ns-3 vehicular runs). A service sends only to its node's
//   peers, so channels open only between peers: every update then travels one overlay hop, and a
//   multi-hop payment is forwarded hop by hop by the parties themselves (HTLCs), never relayed by
//   a node that is not a party of the channel.
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
// Ownership: the feature owns every party's off-chain state (ChannelNode) behind a shared
// pointer the services hold, so a party's channels survive its node's crash. Deterministic: it
// draws from Rng::Derive(seed, "channels") and acts only through the host.
#ifndef CANONSIM_RUN_CHANNELS_FEATURE_H
#define CANONSIM_RUN_CHANNELS_FEATURE_H

#include "model/channels/vehicular-channel-run.h"
#include "model/run/run-feature.h"
#include "model/run/scenario-config.h"

#include <memory>

namespace canon
{

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
    const VehicularChannelSummary& Summary() const;

    struct Impl;

  private:
    std::shared_ptr<Impl> m_impl;
};

} // namespace canon

#endif
