// ScenarioConfig: one typed configuration for a run, read from a YAML scenario file
// (scenarios/scenario-config.h reads and validates it once, DESIGN.md 4.9) and handed to the
// run driver of either engine. Plain data with no ns-3 and no YAML: model/run includes it.
// Defaults are the member initialisers below and nowhere else (a node bound defaults to the
// node's own, NodeLimits in model/node/node.h); the values the layout below shows are those
// defaults, and scenarios/default.yaml writes every one of them out (a test keeps it equal to
// the initialisers). Names a file writes become enums when the file is read (the names:
// ConfigNames<E> below); times in faults and adversaries become integer nanoseconds.
//
// File layout (every key optional; unknown keys are errors):
//
//   name: default                 # free text
//   seed: 1                       # run seed; --seed overrides
//   duration_s: 600               # simulated seconds; --duration overrides
//   engine: ns3                   # ns3 (packets over ns-3 devices) | abstract (the packet model
//                                 # of model/sim: latency, bandwidth, loss; no radio)
//   topology:
//     kind: random                # random | file | bridge | mesh | vehicular
//     cluster_size: 10            # bridge: two cliques of this size (2..1000)...
//     bridge_links: 3             # bridge: ...joined through a bridge with this many links per
//                                 # side
//     sybil: false                # bridge: the bridge is two identities in series
//     bridge_device: {cpu: 0.8, memory: 0.8, storage: 0.8}   # bridge, mesh bridge: its capacity
//     nodes: 50                   # random: node count (2..200000)
//     average_degree: 4           # random: mean links per node (>= 1, < nodes)
//     file: topologies/internet-200.inet   # file: path relative to the scenario file
//     format: Inet                # file: Inet | Orbis | Rocketfuel (ns-3 topology-read)
//     link_latency_ms: [5, 40]    # per-link one-way latency drawn uniformly from [min, max]
//     link_bandwidth_mbps: 100    # core link capacity
//     access:                     # each node's own access link: classes drawn by share
//       - {share: 0.7, bandwidth_mbps: 20}
//       - {share: 0.3, bandwidth_mbps: 100}
//     radio:                      # mesh | vehicular: one 802.11 channel (model/ns3/radio-*.h)
//       range_m: 100              # frames reach exactly this far, no further (0 < r <= 10000)
//       peers: 4                  # each node's TCP peers: its k nearest at start (1..nodes-1)
//     mesh:                       # kind mesh: 802.11s (Dot11s, HWMP), model/ns3/mesh-topology.h
//       layout: grid              # grid | random | clustered | bridge
//       nodes: 16                 # grid, random, clustered: node count (2..200000)
//       spacing_m: 60             # grid: distance between row and column neighbours (> 0)
//       area_m: 300               # random, clustered: side of the square they sit in (> 0)
//       clusters: 3               # clustered: cluster count (1..nodes)
//       cluster_radius_m: 50      # clustered: nodes within this of their cluster centre (>= 0)
//       speed_m_s: 0              # > 0: nodes random-walk at this speed (slowly moving)
//       cluster_size: 9           # bridge: two square-ish grids of this many nodes (2..1000)
//       bridge_away_s: [0, 0]     # bridge: moves out of range at the first time, back at the
//                                 # second ([0, 0]: never; else 0 <= first < second)
//     vehicular:                  # kind vehicular: 802.11p (OCB) + OLSR, vehicular-topology.h
//       vehicles: 100             # (1..200000; mobility ns2: the trace's node count)
//       rsus: 20                  # roadside units (street lights), evenly along the road (>= 0)
//       lanes: 3                  # per direction (1..16)
//       length_m: 4000            # highway length (> 0); vehicles re-enter at the far end
//       speed_m_s: {mean: 25, stddev: 4, min: 15, max: 35}   # normal, clipped to [min, max]
//       full_node_share: 0.2      # vehicles that run full nodes; the rest are light ([0, 1])
//       mobility: highway         # highway | ns2
//       peering: roadside         # roadside: every vehicle keeps connections to the
//                                 # roadside_peers units nearest to it now (handed over as it
//                                 # drives) and the units to their neighbours along the road;
//                                 # nearest: the static nearest-peers overlay of radio-topology.h
//       roadside_peers: 2         # roadside: units per vehicle (1..rsus)
//       trace_file: mobility/highway.ns2   # ns2: ns-2 movement trace (SUMO's export format)
//   consensus:
//     producers: 21               # N (1..nodes)
//     slot_s: 1.0                 # T (0.05..3600)
//     block_size_bytes_max: 1048576
//     block_tx_max: 5000
//     finality_threshold: 0       # 0: floor(2N/3)+2; else 1..N
//     offline_producers: []       # producer indices that never start
//   workload:
//     tx_per_s: 40                # Poisson arrival rate over the whole network (>= 0)
//     accounts: 200               # sending accounts (>= 2)
//     fee: {distribution: uniform, min: 1, max: 1000}   # uniform | exponential (mean) |
//                                                       # fixed (value)
//   fees:                         # fee auctions (issue 15); absent: each pays its workload.fee
//     mechanism: uniform          # first-price | uniform | monopolistic | eip1559
//     reserve: 1                  # producers' minimum fee (eip1559: minimum tip)
//     reserves: []                # per genesis producer index, overriding `reserve`
//     producers: honest           # honest | revenue-cut | fake-bids
//     fake_bids: 0                # fake-bids: per block; 0: searched per block
//     initial_base_fee: 1000      # eip1559
//     target_fullness: 0.5        # eip1559, (0, 1]
//     valuations: {distribution: uniform, min: 1, max: 1000, mu: 5, sigma: 1, file: "",
//                  decay_per_s: 0}   # uniform | lognormal | file (one value a line)
//     bidders: {strategy: truthful, shade: 0.8, tip: 1, history_blocks: 20}
//                                 # truthful | shade | equilibrium | learner
//   contracts:                    # a contract with devices (issue 16, contracts-feature.h);
//                                 # absent: none. Args are text: a whole number is an integer,
//                                 # {device} {home} {owner} {device0} a Lua address, {param} the
//                                 # device's param, {n} its event count; anything else a string
//     file: contracts/promoter.lua   # the contract's Lua code, relative to the scenario file
//     init: []                    # the deploy's init arguments
//     value: 0                    # units the deploy sends the contract
//     owner_node: 0               # where the owner (deploys, registers devices, calls) submits
//     deploy_at_s: 1              # when the owner deploys and registers the devices (> 0)
//     gas_price: 1                # units per gas (ChainParams::contracts.gasPrice)
//     gas_limit: 200000           # per call and event; a deploy gets 5 times this
//     bid: 100                    # what a transaction bids on top of its gas, and its tip
//                                 # (EIP-1559); fee auctions charge at least the gas. A
//                                 # registration has no gas: under EIP-1559 its bid alone
//                                 # must cover the base fee
//     devices:                    # each a node running the device application
//       - {node: 5, home: 4, param: 0}   # home: its full node (unwritten: the node's first
//                                 # peer); param: {param} in its args (< 2^63)
//     callbacks:                  # every device registers each: storage key, op, value
//       - {key: state, op: eq, value: exhausted}   # eq | ne | lt | le | gt | ge | set
//     join: {method: "", args: [], value: 0, at_s: 0}   # each device's call at its start
//                                 # (at_s; 0: deploy_at_s + 5), where it also registers its
//                                 # callbacks
//     events: {types: [], data: [], rate_per_s: 0, start_s: 0, count: 0, on_callback: none}
//                                 # devices send signed events (types in turn) at this Poisson
//                                 # rate from start_s, at most count each (0: no bound);
//                                 # on_callback: none | event (send the next event) | join
//     calls:                      # the owner's calls: at at_s, then every every_s (0: once)
//       - {method: audit, args: [], value: 0, at_s: 15, every_s: 0}
//   data:                         # issue 17 (model/run/data-feature.h); absent: none of it.
//                                 # Devices own streams, grant and revoke access on chain; their
//                                 # grantees request the data as real messages; nodes store and
//                                 # fetch files through the DHT. Datasets data_requests and
//                                 # storage_ops (analysis/data.py).
//     devices: 2                  # device nodes, spread evenly over the node ids (1..nodes)
//     grantees: 3                 # requesters per device, granted at grant_at_s (1..nodes-1)
//     revoked: 1                  # of those, revoked at revoke_at_s (0..grantees)
//     outsiders: 1                # requesters per device never granted (0..nodes-1)
//     rule: best-chain            # best-chain | irreversible: the chain view devices read
//     rotate: false               # on revocation the owner re-keys and re-grants the others
//     bad_request_share: 0.1      # each request is forged, and each replayed, with this chance
//                                 # ([0, 0.5])
//     request_interval_s: 1       # each requester's requests (> 0)
//     register_at_s: 2            # owners register their streams (>= 0)
//     grant_at_s: 5               # owners grant (>= register_at_s)
//     revoke_at_s: 30             # owners revoke (>= grant_at_s)
//     stream_bytes: 2048          # each stream's plaintext (1..65000)
//     storage:                    # content-addressed storage (model/storage/storage-peer.h)
//       files: 2                  # files put, by the devices in turn (0: no storage)
//       file_bytes: 65536         # each file (1..16777216)
//       chunking: fixed           # fixed | content-defined
//       chunk_bytes: 4096         # fixed: every chunk; content-defined: the mean (64..65536)
//       k: 8                      # DHT bucket size and lookup width (1..64)
//       alpha: 3                  # lookup parallelism (1..k)
//       put_at_s: 3               # the puts (>= 0)
//       getters: 4                # nodes fetching each file (0..nodes-1)
//       get_interval_s: 4         # between one getter's fetch and the next's, from 6 s after
//                                 # the put (> 0)
//       names: true               # each put also publishes the file under its owner's name
//                                 # (a signed version record in the DHT); getters resolve it
//   czr:                          # the CZR measurement engine in the loop (PROTOCOL.md 2.1, 2.2)
//     enabled: true               # measure, report on chain and elect; false: genesis set forever
//     epoch_slots: 0              # slots per measurement epoch; 0: one cycle (N)
//     gamma: 0.99                 # marginal-value discount per block, (0, 1]
//     beta: 1.0                   # weight of the topology term (>= 0)
//     weights: [1, 1, 1, 1, 1]    # w_C, w_M, w_B, w_D, w_I (>= 0)
//     level_values: [1, 2, 3]     # low, middle, high (> 0, ascending)
//     applications: [mesh-network]   # Table 2 types nodes run, assigned round robin by index
//     regions: 1                  # nodes spread over this many regions, by index (>= 1)
//     centrality: exact           # exact | sampled (BFS sources) | paths (shortest paths)
//     exact_max_nodes: 2000       # above this many nodes `exact` samples instead: paths, or
//                                 # sources where a path costs over 1/16 of a BFS (>= 2)
//     samples_max: 256            # sampled: at most this many BFS sources an epoch; paths: at
//                                 # most about their work (0: the epsilon/delta bound alone
//                                 # decides, >= 0)
//     epsilon: 0.01               # sampled, paths: error bound of normalised betweenness, (0, 1)
//     delta: 0.1                  # sampled, paths: failure probability of that bound, (0, 1)
//     candidates_per_group: 42    # >= 1
//     drift_threshold: 0.25       # [0, 1]
//     missed_slots_max: 3         # >= 1
//     vote_weight: stake          # stake | account
//     voters: {share: 0.1, behaviour: top}   # share of accounts voting in [0, 1]; top | random
//     device_classes:             # node capacity multipliers, classes drawn by share
//       - {share: 1, cpu: 1, memory: 1, storage: 1}
//     overclaim_factor: 1.0       # honest nodes claim what they measure (>= 1: inflate)
//   faults:                       # model/run/fault-plan.h (the same meaning on both engines)
//     crashes:                    # a node stops at at_s and, if restart_s > at_s, starts again
//       - {node: 20, at_s: 150, restart_s: 0}
//     links:                      # wired: the link between a and b carries nothing in a window
//       - {a: 3, b: 7, at_s: 100, until_s: 160}
//     partitions:                 # wired: `nodes` lose every link to the rest in a window
//       - {nodes: [0, 1, 2], at_s: 200, until_s: 260}
//     bursts:                     # wired: every link also loses frames with probability `loss`
//       - {at_s: 300, until_s: 320, loss: 0.3, delay_ms: 200}   # and is delay_ms slower
//   adversaries:                  # byzantine producers (model/run/adversary-spec.h), at most
//                                 # one per producer and none on an offline producer
//     - kind: equivocator         # equivocator | withholder | invalid-blocks | censor |
//                                 # over-claimer | selfish-miner (PoW only)
//                                 # (model/node/adversary.h)
//       producer: 3               # genesis producer index (< consensus.producers)
//       from_s: 0                 # it misbehaves in [from_s, until_s); until_s 0: to the end.
//       until_s: 0                # a withholder builds its private chain from from_s and
//                                 # releases it at until_s, so it needs until_s > from_s
//       censored_accounts: [1, 2] # censor only: workload account indices it leaves out
//       overclaim_factor: 3.0     # over-claimer: claims this times what it measured (>= 1)
//     - kind: flood               # network attackers (issue 19): tx-spam | flood | eclipse,
//       node: 12                  # on this node (a full node) instead of a producer
//       variant: malformed        # tx-spam: valid | bad-signature; flood: oversized |
//                                 # malformed | duplicate; eclipse: withhold | private-branch
//       rate_per_s: 50            # tx-spam, flood: messages a second to each peer (> 0)
//       victim: 3                 # eclipse: the node whose peers the attackers become
//                                 # (abstract engine)
//       read_bytes_per_s: 0       # slow-peer (ns-3): the node reads this many bytes a second
//                                 # from each connection in its window; 0: never (>= 0)
//   defences:                     # against network attackers (model/node/peer-guard.h); all off
//     scores: false               # misbehaviour scores; a peer reaching ban_score is banned
//     ban_score: 100              # (> 0)
//     ban_s: 600                  # how long a ban lasts (> 0)
//     decay_per_s: 1              # points a score loses a second (>= 0)
//     messages_per_s: 0           # per peer and message type; 0: no rate limit (>= 0)
//     signatures_per_s: 0         # signature checks per peer a second; 0: no budget (>= 0)
//     burst_s: 2                  # a limit's bucket holds this many seconds of its rate (> 0)
//     outbound_peers: 0           # an eclipse victim keeps this many peers it picks itself
//                                 # (one per address group, model/run/eclipse-topology.h)
//     address_group_size: 8       # wired: nodes i with the same i / size share a group (>= 1)
//     drain_s: 0                  # ns-3: reset a connection whose peer read under
//     drain_bytes_per_s: 1024     # drain_bytes_per_s while data waited drain_s; 0: off (>= 0)
//     replace_banned: false       # abstract: a node that bans a peer takes a new one
//     rotate_s: 0                 # abstract: an eclipse victim swaps its oldest own peer for a
//                                 # new one this often; 0: never (>= 0)
//   gossip:                       # how blocks and transactions spread (model/node/node.h)
//     mode: push                  # push: whole blocks and transactions to every peer |
//                                 # announce: headers and transaction ids announced, bodies
//                                 # fetched once from an announcer | compact: compact blocks
//                                 # (header + 6-byte short ids, rebuilt from the mempool, missing
//                                 # transactions fetched), transaction ids announced
//     tx_announce_interval_ms: 50 # announce, compact: queued transaction ids go to each peer
//                                 # this often (Bitcoin's trickle; longer batches cost fewer
//                                 # messages and events per node, later spread) (1-60000)
//   node:
//     mempool_tx_max: 20000
//     peer_send_queue_bytes_max: 8388608
//     tcp_del_ack_count: 2        # ns-3: segments TCP receives before it acknowledges at once
//                                 # (ns-3's DelAckCount, on both ends of every peer connection;
//                                 # 4 costs about 8% fewer events and changes traces, bench/scale)
//                                 # (1..64)
//   channels:                     # payment channels (issue 18, paper 3.5.3), channels-feature.h;
//                                 # absent: none. Parties are the full nodes; on a vehicular
//                                 # topology nodes from `vehicles` on are roadside units
//     open_at_s: 2                # each party opens channels with its party peers then
//     channels_per_node: 2        # channels a party opens (to its lowest-index party peers)
//     deposit: 20000              # each side of a channel (a unit's side: operator_deposit)
//     operator_deposit: 20000
//     tx_fee: 10                  # fee of every channel transaction
//     beacon_interval_s: 1        # each vehicle's safety messages
//     range_m: 300                # radio topologies: who hears one; elsewhere: the peers
//     price_per_message: 10       # each hearer pays the sender this much
//     operator_fee_base: 1        # a roadside unit's forwarding fee: base + ppm of the amount
//     operator_fee_ppm: 10000
//     challenge_period_s: 10
//     hop_delta_s: 5              # HTLC expiry step per hop
//     confirmations: 2            # blocks on an open before the payer uses it
//     stay_min_s: 30              # each vehicle leaves (closes its channels) after a stay
//     stay_max_s: 100             # drawn uniformly from [min, max]
//     drain_s: 2                  # a leaving vehicle waits this long for updates in flight
//     cheater_share: 0.2          # vehicles that close with their best revoked state
//     offline_share: 0.5          # of their victims: crashed through the challenge period
//     watchtower: true            # a roadside unit's watchtower challenges for its clients
//     batch_max: 1                # direct payments one update carries (1: one per update)
//     reestablish_s: 3            # an update unanswered this long: re-establish the channel
//                                 # (channel_reestablish); 0: never
//   trace:
//     batch_records: 4096         # records buffered per dataset before a write
//   governance:                   # CZC governance (issue 18, model/run/governance-feature.h);
//                                 # the run has it when proposals are given
//     hold_s: 60                  # the more-than-3/4 hold (paper: 7 days; > 0)
//     test_s: 60                  # an upgrade's test phase (> 0)
//     window_s: 60                # an upgrade's window for nodes to upgrade (> 0)
//     proposals: []               # each {at_s, param, value}: made at at_s by account 0;
//                                 # param: slot-duration (value in s), producers, fee-floor,
//                                 # block-size-max, czr-gamma, czr-beta (fixed-point 1e6 = 1),
//                                 # czr-weights (five weights in hundredths, 10 bits each,
//                                 # w_C lowest: 1,1,1,1,1 is 110058641920100),
//                                 # candidates-per-group, reward-split (per mille), upgrade
//     approve_share: 0.85         # each account votes for a proposal with this chance...
//     reject_share: 0.05          # ...against with this one, else abstains ([0, 1], sum <= 1)
//     vote_spread_s: 20           # votes fall uniformly within this after the proposal (> 0)
//     upgrade_s: [5, 30]          # a node signals an upgrade this long after its window opens,
//                                 # drawn uniformly (0 <= min <= max)
//     never_upgrade_share: 0.2    # full nodes that never upgrade ([0, 1])
//     freezes: []                 # each {at_s, account, overturn_share}: the producers freeze
//                                 # workload account `account` from at_s (each approves once);
//                                 # overturn_share of the accounts vote to lift it
#ifndef CANONSIM_RUN_SCENARIO_CONFIG_H
#define CANONSIM_RUN_SCENARIO_CONFIG_H

#include "model/consensus/consensus-params.h"
#include "model/czr/application-type.h"
#include "model/data/data-server.h"
#include "model/fees/bidding.h"
#include "model/node/node.h"
#include "model/run/adversary-spec.h"
#include "model/run/fault-plan.h"
#include "model/storage/content.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace canon
{

// The names a scenario file writes for the values of a config enum, in enum order:
// ConfigNames<E>::kNames. Name() and ParseName() below work for every E that has them.
template <typename E>
struct ConfigNames;

enum class EngineKind : uint8_t
{
    kNs3,      // packets over ns-3 devices (fidelity)
    kAbstract, // the abstract packet model of model/sim (size, speed); no radio
};

template <>
struct ConfigNames<EngineKind>
{
    static constexpr const char* kNames[] = {"ns3", "abstract"};
};

enum class TopologyKind : uint8_t
{
    kRandom,
    kFile,
    kBridge,
    kMesh,
    kVehicular,
};

template <>
struct ConfigNames<TopologyKind>
{
    static constexpr const char* kNames[] = {"random", "file", "bridge", "mesh", "vehicular"};
};

// Kinds mesh and vehicular: one 802.11 channel, which only the ns-3 engine models.
constexpr bool
IsRadio(TopologyKind kind)
{
    return kind == TopologyKind::kMesh || kind == TopologyKind::kVehicular;
}

// ns-3's topology-read formats (kind file).
enum class TopologyFormat : uint8_t
{
    kInet,
    kOrbis,
    kRocketfuel,
};

template <>
struct ConfigNames<TopologyFormat>
{
    static constexpr const char* kNames[] = {"Inet", "Orbis", "Rocketfuel"};
};

enum class MeshLayout : uint8_t
{
    kGrid,
    kRandom,
    kClustered,
    kBridge,
};

template <>
struct ConfigNames<MeshLayout>
{
    static constexpr const char* kNames[] = {"grid", "random", "clustered", "bridge"};
};

enum class VehicularMobility : uint8_t
{
    kHighway,
    kNs2,
};

template <>
struct ConfigNames<VehicularMobility>
{
    static constexpr const char* kNames[] = {"highway", "ns2"};
};

enum class VehicularPeering : uint8_t
{
    kRoadside,
    kNearest,
};

template <>
struct ConfigNames<VehicularPeering>
{
    static constexpr const char* kNames[] = {"roadside", "nearest"};
};

enum class FeeDistribution : uint8_t
{
    kUniform,
    kExponential,
    kFixed,
};

template <>
struct ConfigNames<FeeDistribution>
{
    static constexpr const char* kNames[] = {"uniform", "exponential", "fixed"};
};

// Betweenness for CZR's topology term: exact Brandes (above exactMaxNodes: shortest-path
// sampling, or source sampling on graphs where a path sample is expensive, CentralitySampling::
// kCheaper in model/czr/czr-epoch.h), source (pivot) sampling (model/czr/betweenness.h), or
// shortest-path sampling (model/czr/path-sampling.h).
enum class CentralityMode : uint8_t
{
    kExact,
    kSampled,
    kPaths,
};

template <>
struct ConfigNames<CentralityMode>
{
    static constexpr const char* kNames[] = {"exact", "sampled", "paths"};
};

enum class VoteWeight : uint8_t
{
    kStake,
    kAccount,
};

template <>
struct ConfigNames<VoteWeight>
{
    static constexpr const char* kNames[] = {"stake", "account"};
};

enum class VoterBehaviour : uint8_t
{
    kTop,
    kRandom,
};

template <>
struct ConfigNames<VoterBehaviour>
{
    static constexpr const char* kNames[] = {"top", "random"};
};

// The name a scenario file writes for `value` ("mesh" for TopologyKind::kMesh).
template <typename E, typename = decltype(ConfigNames<E>::kNames)>
constexpr const char*
Name(E value)
{
    return ConfigNames<E>::kNames[static_cast<std::size_t>(value)];
}

// The value a scenario file's name stands for; nullopt for a name it does not know.
template <typename E, typename = decltype(ConfigNames<E>::kNames)>
std::optional<E>
ParseName(const std::string& name)
{
    constexpr std::size_t count = std::extent_v<decltype(ConfigNames<E>::kNames)>;
    for (std::size_t i = 0; i < count; ++i)
    {
        if (name == ConfigNames<E>::kNames[i])
        {
            return static_cast<E>(i);
        }
    }
    return std::nullopt;
}

template <>
struct ConfigNames<GossipMode>
{
    static constexpr const char* kNames[] = {"push", "announce", "compact"};
};

struct AccessClass
{
    double share = 1.0;
    double bandwidthMbps = 100.0;
};

struct DeviceClass
{
    double share = 1.0;
    double cpu = 1.0;
    double memory = 1.0;
    double storage = 1.0;
};

// Radio, mesh and vehicular topologies (kinds mesh and vehicular).
struct RadioConfig
{
    double rangeM = 100.0;
    uint32_t peers = 4;
};

struct MeshConfig
{
    MeshLayout layout = MeshLayout::kGrid;
    uint32_t nodes = 16;
    double spacingM = 60.0;
    double areaM = 300.0;
    uint32_t clusters = 3;
    double clusterRadiusM = 50.0;
    double speedMps = 0.0;
    // layout bridge (the paper's Figure 4 on radio): nodes 0..c-1 and c..2c-1 are two meshes,
    // node 2c the bridge.
    uint32_t clusterSize = 9;
    double bridgeAwayS = 0.0;
    double bridgeBackS = 0.0;
};

struct SpeedConfig
{
    double mean = 25.0;
    double stddev = 4.0;
    double min = 15.0;
    double max = 35.0;
};

struct VehicularConfig
{
    uint32_t vehicles = 100;
    uint32_t rsus = 20; // node indices vehicles..vehicles+rsus-1
    uint32_t lanes = 3;
    double lengthM = 4000.0;
    SpeedConfig speed;
    double fullNodeShare = 0.2;
    VehicularMobility mobility = VehicularMobility::kHighway;
    std::string traceFile; // resolved against the scenario file's folder
    VehicularPeering peering = VehicularPeering::kRoadside;
    uint32_t roadsidePeers = 2;
};

struct TopologyConfig
{
    TopologyKind kind = TopologyKind::kRandom;
    // kind bridge (the paper's Figure 4 on wires): nodes 0..c-1 and c..2c-1 are two cliques,
    // node 2c the bridge (2c and 2c+1 in series when sybil).
    uint32_t clusterSize = 10;
    uint32_t bridgeLinks = 3;
    bool sybil = false;
    DeviceClass bridgeDevice{1.0, 0.8, 0.8, 0.8};
    uint32_t nodes = 50;
    double averageDegree = 4.0;
    std::string file; // resolved against the scenario file's folder
    TopologyFormat format = TopologyFormat::kInet;
    double linkLatencyMinMs = 5.0;
    double linkLatencyMaxMs = 40.0;
    double linkBandwidthMbps = 100.0;
    std::vector<AccessClass> access{{0.7, 20.0}, {0.3, 100.0}};
    RadioConfig radio;
    MeshConfig mesh;
    VehicularConfig vehicular;
};

// How PoW miners' hash power is set: equal, or each node's device-class CPU (czr.device_classes,
// drawn per node from the seed whether or not CZR runs).
enum class HashPowerMode : uint8_t
{
    kDevice,
    kEqual,
};

template <>
struct ConfigNames<HashPowerMode>
{
    static constexpr const char* kNames[] = {"device", "equal"};
};

template <>
struct ConfigNames<Protocol>
{
    static constexpr const char* kNames[] = {"pop", "pow", "pos", "dpos", "poi"};
};

struct ConsensusConfig
{
    // PoP, or a Table 3 baseline (issue 14) with its parameters below.
    Protocol protocol = Protocol::kPop;
    uint32_t producers = 21;
    double slotSeconds = 1.0;
    uint64_t blockSizeBytesMax = 1024 * 1024;
    uint32_t blockTxMax = 5000;
    uint32_t finalityThreshold = 0;
    std::vector<uint32_t> offlineProducers;
    HashPowerMode hashPower = HashPowerMode::kDevice;
    // The baselines' parameters (model/consensus/consensus-params.h has their defaults).
    PowParams pow;
    PosParams pos;
    DposParams dpos;
    PoiParams poi;
};

struct FeeConfig
{
    FeeDistribution distribution = FeeDistribution::kUniform;
    double min = 1;
    double max = 1000;
    double mean = 100;  // exponential
    double value = 100; // fixed
};

struct WorkloadConfig
{
    double txPerSecond = 40.0;
    uint32_t accounts = 200;
    FeeConfig fee;
};

// The fee auction of a run (issue 15; absent: first-price with the wallets' `workload.fee`
// bids, as before).
enum class FeeProducerKind : uint8_t
{
    kHonest,
    kRevenueCut,
    kFakeBids,
};

template <>
struct ConfigNames<FeeProducerKind>
{
    static constexpr const char* kNames[] = {"honest", "revenue-cut", "fake-bids"};
};
template <>
struct ConfigNames<FeeMechanism> : FeeMechanismNames
{
};
template <>
struct ConfigNames<BidStrategy> : BidStrategyNames
{
};
template <>
struct ConfigNames<ValuationKind> : ValuationKindNames
{
};

struct FeeValuationsConfig
{
    ValuationKind distribution = ValuationKind::kUniform;
    double min = 1;
    double max = 1000;
    double mu = 5;
    double sigma = 1;
    std::string file; // one valuation a line; relative to the scenario file
    double decayPerSecond = 0;
    std::vector<double> values; // the file's, read when the scenario loads
};

struct FeeBiddersConfig
{
    BidStrategy strategy = BidStrategy::kTruthful;
    double shade = 0.8;
    uint64_t tip = 1;
    uint32_t historyBlocks = 20;
};

struct FeesConfig
{
    bool active = false; // the scenario has a `fees:` section
    FeeMechanism mechanism = FeeMechanism::kUniform;
    uint64_t reserve = 1;
    std::vector<uint64_t> reserves; // per genesis producer index; the rest take `reserve`
    FeeProducerKind producers = FeeProducerKind::kHonest;
    uint32_t fakeBids = 0; // fake-bids: per block; 0: the count that pays best, searched
    uint64_t initialBaseFee = FeeRuleParams{}.initialBaseFee;
    double targetFullness = 0.5;
    FeeValuationsConfig valuations;
    FeeBiddersConfig bidders;
};

// The contract of a run (issue 16; model/run/contracts-feature.h): one contract, its owner,
// its devices and what they do. Args are text the feature turns into contract values.
constexpr uint32_t kContractHomeAuto = UINT32_MAX;
struct ContractDeviceConfig
{
    uint32_t node = 0;
    uint32_t home = kContractHomeAuto; // its full node; unwritten: the device node's first peer
    uint64_t param = 0;                // "{param}" in its args (below 2^63)
};

enum class ContractPredicateOp : uint8_t
{
    kEq,
    kNe,
    kLt,
    kLe,
    kGt,
    kGe,
    kSet,
};

template <>
struct ConfigNames<ContractPredicateOp>
{
    static constexpr const char* kNames[] = {"eq", "ne", "lt", "le", "gt", "ge", "set"};
};

struct ContractCallbackConfig
{
    std::string key;
    ContractPredicateOp op = ContractPredicateOp::kEq;
    std::string value;
};

struct ContractCallConfig
{
    std::string method; // empty: no call
    std::vector<std::string> args;
    uint64_t value = 0;
    double atS = 0;
    double everyS = 0; // > 0: repeated
};

enum class ContractReaction : uint8_t
{
    kNone,
    kEvent, // the device sends its next event
    kJoin,  // the device makes its join call again
};

template <>
struct ConfigNames<ContractReaction>
{
    static constexpr const char* kNames[] = {"none", "event", "join"};
};

struct ContractEventsConfig
{
    std::vector<std::string> types; // event n has types[n % size]
    std::vector<std::string> data;
    double ratePerS = 0;
    double startS = 0;
    uint32_t count = 0; // per device; 0: no bound
    ContractReaction onCallback = ContractReaction::kNone;
};

struct ContractsConfig
{
    bool active = false; // the scenario has a `contracts:` section
    std::string file;    // resolved against the scenario file's folder
    std::string code;    // the file's text, read when the scenario loads
    std::vector<std::string> init;
    uint64_t value = 0;
    uint32_t ownerNode = 0;
    double deployAtS = 1.0;
    uint64_t gasPrice = ContractParams{}.gasPrice;
    uint64_t gasLimit = 200'000;
    uint64_t bid = 100;
    std::vector<ContractDeviceConfig> devices;
    std::vector<ContractCallbackConfig> callbacks;
    ContractCallConfig join;
    ContractEventsConfig events;
    std::vector<ContractCallConfig> calls;
};

struct VoterConfig
{
    double share = 0.1; // a tenth of the accounts vote: a realistic turnout, and votes are traffic
    VoterBehaviour behaviour = VoterBehaviour::kTop;
};

struct CzrConfig
{
    static constexpr std::size_t kWeightCount = 5;     // w_C, w_M, w_B, w_D, w_I
    static constexpr std::size_t kLevelValueCount = 3; // low, middle, high

    bool enabled = true;
    uint32_t epochSlots = 0;
    double gamma = 0.99;
    double beta = 1.0;
    std::vector<double> weights{1, 1, 1, 1, 1};
    std::vector<double> levelValues{1, 2, 3};
    std::vector<ApplicationType> applications{ApplicationType::kMeshNetwork};
    uint32_t regions = 1;
    CentralityMode centrality = CentralityMode::kExact;
    // Exact betweenness costs O(nodes x links) an epoch: 0.07 s at 1,000 nodes, 1.3 s at 5,000,
    // 25 s at 20,000 (DESIGN.md 5). Above this the engine samples shortest paths (or sources,
    // where paths are expensive), with epsilon and delta, so that an epoch stays a small share
    // of a large run (bench/czr/README.md: 0.5 CPU seconds at 110,000 nodes of degree 4 for
    // epsilon 0.01).
    uint32_t exactMaxNodes = 2000;
    // Sampled: the sources an epoch may use at most; paths: about the work of that many sources
    // at most (0: as many samples as epsilon and delta ask).
    uint32_t samplesMax = 256;
    double epsilon = 0.01;
    double delta = 0.1;
    uint32_t candidatesPerGroup = 42;
    double driftThreshold = 0.25;
    uint32_t missedSlotsMax = 3;
    VoteWeight voteWeight = VoteWeight::kStake;
    VoterConfig voters;
    std::vector<DeviceClass> deviceClasses{{1.0, 1.0, 1.0, 1.0}};
    double overclaimFactor = 1.0;
};

struct GossipSettings
{
    GossipMode mode = NodeLimits{}.gossip; // the node's own default (node.h)
    TimeNs txAnnounceInterval = NodeLimits{}.txAnnounceInterval;
};

struct NodeSettings
{
    uint64_t mempoolTxMax = NodeLimits{}.mempoolTxMax; // the node's own default (node.h)
    uint64_t peerSendQueueBytesMax = 8 * 1024 * 1024;
    uint32_t tcpDelAckCount = 2; // ns-3's own default
};

// Defences against network attackers (issue 19): the peer guard of every full node
// (model/node/peer-guard.h) and an eclipse victim's own peer selection
// (model/run/eclipse-topology.h). All off by default, so a scenario without them runs as before.
struct DefenceSettings
{
    bool scores = PeerGuardConfig{}.scores;
    double banScore = PeerGuardConfig{}.banScore;
    double banSeconds = ToSeconds(PeerGuardConfig{}.banDuration);
    double decayPerSecond = PeerGuardConfig{}.decayPerSecond;
    double messagesPerSecond = PeerGuardConfig{}.messagesPerSecond;
    double signaturesPerSecond = PeerGuardConfig{}.signaturesPerSecond;
    double burstSeconds = PeerGuardConfig{}.burstSeconds;
    uint32_t outboundPeers = 0;
    uint32_t addressGroupSize = 8;
    // ns-3: reset a connection whose peer read under drainBytesPerSecond while data waited for
    // drainSeconds (model/ns3/slow-peer.h); 0: off.
    double drainSeconds = 0;
    double drainBytesPerSecond = 1024;
    // Abstract engine, run-time peer selection (model/sim/peer-upkeep.h): a node that bans a
    // peer takes a new one; an eclipse victim rotates its oldest own peer every rotateSeconds.
    bool replaceBanned = false;
    double rotateSeconds = 0;
};

struct ChannelsConfig
{
    bool active = false; // the scenario has a `channels:` section
    double openAtSeconds = 2;
    uint32_t channelsPerNode = 2;
    uint64_t deposit = 20000;
    uint64_t operatorDeposit = 20000;
    uint64_t txFee = 10;
    double beaconIntervalSeconds = 1;
    double rangeM = 300;
    uint64_t pricePerMessage = 10;
    uint64_t operatorFeeBase = 1;
    uint64_t operatorFeePpm = 10000;
    double challengePeriodSeconds = 10;
    double hopDeltaSeconds = 5;
    uint32_t confirmations = 2;
    double stayMinSeconds = 30;
    double stayMaxSeconds = 100;
    double drainSeconds = 2;
    double cheaterShare = 0.2;
    double offlineShare = 0.5;
    bool watchtower = true;
    uint32_t batchMax = 1;
    double reestablishSeconds = 3;
};

struct TraceSettings
{
    uint32_t batchRecords = 4096;
};

template <>
struct ConfigNames<GrantRule>
{
    static constexpr const char* kNames[] = {"best-chain", "irreversible"};
};

template <>
struct ConfigNames<ChunkingMode>
{
    static constexpr const char* kNames[] = {"fixed", "content-defined"};
};

struct DataStorageConfig
{
    uint32_t files = 2;
    uint64_t fileBytes = 65536;
    ChunkingMode chunking = ChunkingMode::kFixed;
    uint64_t chunkBytes = 4096;
    uint32_t k = 8;
    uint32_t alpha = 3;
    double putAtSeconds = 3;
    uint32_t getters = 4;
    double getIntervalSeconds = 4;
    bool names = true;
    // A node opens a direct connection (RunHost::Connect) to at most this many of the non-peers
    // it sends storage messages to (DHT contacts, providers); 0: every such message is relayed.
    uint32_t directContacts = 0;
};

// The audited key-value store inside a run (paper 3.5.2, the `data.kv` keys): the first `stores`
// devices each keep one, write `batch_ops` readings to it every batch_interval_s from start_at_s
// until stop_at_s, and put each batch's chained hash on chain. `dir` is not a key: the run sets
// it from its output path (the stores go under it).
struct DataKvConfig
{
    uint32_t stores = 0; // 0: none
    uint32_t batchOps = 50;
    double batchIntervalSeconds = 1;
    double startAtSeconds = 3;
    double stopAtSeconds = 40;
    std::string dir;
};

struct DataConfig
{
    bool active = false; // the scenario has a `data:` section
    uint32_t devices = 2;
    uint32_t grantees = 3;
    uint32_t revoked = 1;
    uint32_t outsiders = 1;
    GrantRule rule = GrantRule::kBestChain;
    bool rotate = false;
    double badRequestShare = 0.1;
    double requestIntervalSeconds = 1;
    double registerAtSeconds = 2;
    double grantAtSeconds = 5;
    double revokeAtSeconds = 30;
    uint64_t streamBytes = 2048;
    DataStorageConfig storage;
    DataKvConfig kv;
    // Not scenario keys. A program that adds its own DataFeature instance (RunOptions::features)
    // sets `ownInstance`: the plan then funds the owners' keys but adds no feature of its own.
    // `lostOwnerTxs`: the first that many owner submissions are lost before they reach the node
    // (tests of the owner's resubmission).
    bool ownInstance = false;
    uint32_t lostOwnerTxs = 0;
};

struct GovernanceProposalConfig
{
    TimeNs at = 0;
    std::string param;
    double value = 0;
};

struct GovernanceFreezeConfig
{
    TimeNs at = 0;
    uint32_t account = 0;
    double overturnShare = 0;
};

struct GovernanceConfig
{
    double holdSeconds = 60;
    double testSeconds = 60;
    double windowSeconds = 60;
    std::vector<GovernanceProposalConfig> proposals;
    double approveShare = 0.85;
    double rejectShare = 0.05;
    double voteSpreadSeconds = 20;
    double upgradeMinSeconds = 5;
    double upgradeMaxSeconds = 30;
    double neverUpgradeShare = 0.2;
    std::vector<GovernanceFreezeConfig> freezes;
};

struct ScenarioConfig
{
    std::string name = "default";
    uint64_t seed = 1;
    double durationSeconds = 600.0;
    EngineKind engine = EngineKind::kNs3;
    TopologyConfig topology;
    ConsensusConfig consensus;
    WorkloadConfig workload;
    FeesConfig fees;
    ContractsConfig contracts;
    DataConfig data;
    CzrConfig czr;
    FaultPlan faults;
    std::vector<AdversarySpec> adversaries;
    DefenceSettings defences;
    GossipSettings gossip;
    NodeSettings node;
    TraceSettings trace;
    ChannelsConfig channels;
    GovernanceConfig governance;

    // Where it came from: the path as given and the file's full text (kept in the trace).
    std::string sourcePath;
    std::string sourceText;
};

} // namespace canon

#endif
