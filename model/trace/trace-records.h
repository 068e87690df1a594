// The CanonSim HDF5 trace schema, version 7: the one place it is defined (DESIGN.md 4.10).
// Version 2 added czr_scores, czr_chain, elections, election_members and producer_sets; version
// 3 the root attribute `engine`, since both engines write this schema; version 4 gave
// drops.message_type the value 255 for connection events (up to version 3 they were recorded as
// transaction drops, type 1, so a version 3 file cannot tell the two apart); version 5 added
// czr_links (the graph CZR measured each epoch), positions (radio nodes' coordinates), the root
// attribute `consensus.protocol` with the protocol's parameters (`consensus.<protocol>.<key>`,
// strings) and the dataset producer_weights (issue 14); version 6 the protocol-specific datasets
// block_fates (every protocol), dpos_blocks, dpos_schedules, pos_leaders and poi_importance
// (issue 14), each empty under the other protocols, and the optional datasets bids and clearing
// (issue 15), created only in runs that write a record to them (runs with a `fees:` section), and
// the root attributes interrupted (int32 1) and interrupted_at_s (float64), present only in the
// trace of a run a signal stopped early (issue 19). Version 7 added only optional datasets, each
// written by runs with its feature's section (the run features, model/run/run-feature.h):
// channel_events (`channels:`, issue 18), governance_events (`governance:`, issue 18),
// contract_calls and callbacks (`contracts:`, issue 16), data_requests and storage_ops (`data:`,
// issue 17); a version 6 file is therefore a version 7 file without them, and the analysis
// reads both.
//
// A trace file holds one dataset per record type below, each a 1-D, chunked, extendible array
// of the HDF5 compound type with exactly these field names, in this order. Times are simulated
// seconds (float64). Block and transaction identities are the first 8 bytes of their BLAKE2b-256
// hash read as a little-endian uint64 (`hash`, `parent`, `tx`): unique in practice within a run
// and convenient in pandas.
//
// Root attributes: schema_version (int32), seed (uint64), scenario (string: the scenario file's
// text), scenario_path (string), code_version (string: git describe at build time),
// ns3_version (string; "none" for the abstract engine), duration_s (float64), nodes (uint32),
// producers (uint32), slot_s (float64), engine (string: "ns3" or "abstract"),
// consensus.protocol (string: pop, pow, pos, dpos or poi) and, for a baseline protocol, its
// parameters under their scenario keys (strings, e.g. consensus.pow.mean_interval_s). A run writes
// to
// "<out>.partial" and renames to "<out>" only when complete, so a file named like a trace is always
// whole.
//
// Bump kTraceSchemaVersion on any change to a record or attribute, and update analysis/trace.py
// (which checks the version) in the same commit.
#ifndef CANONSIM_TRACE_TRACE_RECORDS_H
#define CANONSIM_TRACE_TRACE_RECORDS_H

#include <cstdint>

namespace canon
{

constexpr int32_t kTraceSchemaVersion = 7;
// The oldest version a reader takes as this one: 6 lacks only version 7's optional datasets.
constexpr int32_t kTraceSchemaVersionReadableMin = 6;

// Dataset "blocks_produced": a producer made and signed a block.
struct BlockProducedRecord
{
    double time;
    uint32_t node;
    uint32_t producer; // index into the producer set
    uint64_t height;
    uint64_t slot;
    uint64_t hash;
    uint64_t parent;
    uint32_t tx_count;
    uint32_t bytes;
};

// Dataset "block_arrivals": a node accepted a valid block into its tree (the producer's own
// block included, with from_node == node).
struct BlockArrivalRecord
{
    double time;
    uint32_t node;
    uint32_t from_node;
    uint64_t height;
    uint64_t slot;
    uint64_t hash;
    double slot_start; // when the block's slot began: time - slot_start is the propagation delay
};

// Dataset "irreversible": a node's last irreversible block passed this block.
struct IrreversibleRecord
{
    double time;
    uint32_t node;
    uint64_t height;
    uint64_t slot;
    uint64_t hash;
    double slot_start;
};

enum class TxEvent : uint8_t
{
    kSubmitted = 0,    // a wallet handed it to its node
    kIncluded = 1,     // a producer put it in a block (once per block that carries it)
    kIrreversible = 2, // the first time any node saw the block carrying it become irreversible
    // A light participant verified a Merkle proof that its best header chain carries it (once
    // per verification, by that light participant; `account` is not known there: UINT32_MAX).
    kVerifiedIncluded = 3
};

// Dataset "transactions".
struct TransactionRecord
{
    double time;
    uint64_t tx;
    uint8_t event; // TxEvent
    uint32_t node;
    uint32_t account; // index of the sending account in the workload
    uint64_t fee;
    uint64_t height; // 0 for kSubmitted
    uint64_t block;  // hash of the carrying block, 0 for kSubmitted
};

// Dataset "missed_slots": slots without a block on the final chain of the reference node (the
// live node with the highest irreversible block at the end, lowest index on ties), with the
// producer the schedule gave the slot to.
struct MissedSlotRecord
{
    uint64_t slot;
    uint32_t producer;
    double slot_start;
};

constexpr int kDropReasonChars = 96;

// drops.message_type of a connection event (kConnectionEvent in model/node/messages.h): not a
// message but the ns-3 transport's trouble with a peer (peer-connection.h): a connect attempt
// that failed or timed out, a connection lost or stalled, an inbound frame over the size limit.
// The reason says which. Never a message's type: no message type has this value.
constexpr uint8_t kDropConnectionEvent = 255;

// Dataset "drops": a message a node refused or could not send, or a connection event, with the
// reason (NUL-padded, truncated to kDropReasonChars).
struct DropRecord
{
    double time;
    uint32_t node;
    uint32_t peer;
    // MessageType in model/node/messages.h, or kDropConnectionEvent. For a message that does
    // not decode, the type byte it claims (0 if that is 255; 1 if it is too short to claim one).
    uint8_t message_type;
    char reason[kDropReasonChars];
};

// Dataset "czr_scores": one row per node per CZR epoch (PROTOCOL.md 2.1).
struct CzrScoreRecord
{
    double time;
    uint64_t epoch;
    uint32_t node;
    double resource;    // discounted P summed over the node's applications
    double betweenness; // normalised, in the graph of links that carried traffic this epoch
    double total;       // resource * (1 + beta * betweenness)
    double claimed;     // what the node claimed on chain for this epoch (0: no claim)
    uint64_t bytes_originated;
    uint64_t bytes_relayed;
    uint8_t articulation; // 1: a cut vertex of the measured graph
    uint8_t alive;
    uint32_t blocks; // blocks it produced on the reference chain this epoch (participation)
};

// Dataset "czr_chain": the on-chain measures CZR keeps per epoch, from the best chain of the live
// node with the highest block over the epoch's slots.
struct CzrChainRecord
{
    double time;
    uint64_t epoch;
    uint32_t slots;
    uint32_t blocks; // blocks / slots: producer participation
    double mean_block_bytes;
    double mean_interval_s;
};

// Dataset "elections": one row per election, when the first node accepted the announcing block.
struct ElectionRecord
{
    double time;
    uint64_t height; // the announcing block: the election's identity in election_members
    uint64_t slot;
    uint64_t block;
    uint32_t candidates;
    uint32_t elected;
    char trigger[kDropReasonChars]; // "first-election", "contribution-drift 0.40", "missed-slots
                                    // ..."
};

// Dataset "election_members": every candidate of every election.
struct ElectionMemberRecord
{
    uint64_t height; // the election (ElectionRecord::height)
    uint32_t node;
    double claimed;
    double observed;
    double effective; // min(claimed, observed)
    double votes;
    uint8_t elected;
    uint8_t overclaim; // claimed above observed beyond the tolerance: capped and flagged
};

// Dataset "producer_sets": a producer set came into force (the first node that saw it), one row
// per member in schedule order; the genesis set is written at time 0, height 0.
struct ProducerSetRecord
{
    double time;
    uint64_t height;
    uint32_t position;
    uint32_t node;
};

// Dataset "czr_links": the graph the CZR engine scored in an epoch (PROTOCOL.md 2.1): links
// between live nodes that carried traffic, or on radio the network's own neighbour state; one
// row per link, a < b.
struct CzrLinkRecord
{
    double time;
    uint64_t epoch;
    uint32_t a;
    uint32_t b;
};

// Dataset "positions": where each node of a radio topology was (metres, the ns-3 mobility
// model's x and y) at the start (epoch 0) and at the end of every CZR epoch. Empty for wired
// topologies, which have no positions.
struct PositionRecord
{
    double time;
    uint64_t epoch;
    uint32_t node;
    double x;
    double y;
};

// Dataset "producer_weights": under a baseline protocol, each member's weight in it at the end of
// the run on the reference node's best chain (hash share, stake, votes or importance: what the
// protocol gives production rights by); empty under PoP, whose weight is the CZR score.
struct ProducerWeightRecord
{
    uint32_t node;
    double weight;
};

// Dataset "block_fates": every block the run saw (made by a node, or only seen arriving), judged
// once at the end against the reference node's final best chain (model/chain/block-fate.h): on
// it at or below its irreversible block (main), off it at or below that height (stale), or above
// it (undecided). Under PoW these are the stale blocks; under any protocol, the forks. When and
// where each node first saw a block is in block_arrivals (join on hash).
struct BlockFateRecord
{
    double time; // first seen by any node
    uint64_t hash;
    uint64_t parent;
    uint64_t height;
    uint64_t slot;
    uint32_t node;         // whose key produced it; UINT32_MAX for a key no node holds
    uint32_t reached;      // full nodes that accepted it into their tree
    uint8_t fate;          // BlockFate: 0 main, 1 stale, 2 undecided
    uint32_t branch_depth; // stale: blocks from the fork off the main chain to it, itself
                           // included (a race lost by one block is 1); 0 otherwise
};

// Dataset "dpos_blocks": DPoS only: each block's header state as the first node to accept it
// computed it (NOTES.md 1 of the baselines): the active schedule's version and the proposed
// (PLIB) and final (LIB) irreversible block numbers the block's chain reached with it.
struct DposBlockRecord
{
    double time;
    uint64_t hash;
    uint64_t height;
    uint64_t slot;
    uint32_t node; // the producer's node
    uint32_t schedule_version;
    uint64_t plib;
    uint64_t lib;
};

// Dataset "dpos_schedules": DPoS only: a producer schedule version became active with a block
// (the genesis schedule, version 0, at height 0), one row per producer in schedule order.
struct DposScheduleRecord
{
    double time;
    uint64_t height;
    uint64_t block;
    uint32_t version;
    uint32_t position;
    uint32_t node;
};

// Dataset "pos_leaders": PoS only: every member that won the private leader election of a slot on
// the chain ending at `parent`, for each slot after `parent` up to the latest child of it any node
// accepted (slots after the run's last blocks are not judged). Several rows for a slot are a
// multi-leader slot; none, an empty one. Whether a leader produced is in blocks_produced.
struct PosLeaderRecord
{
    uint64_t slot;
    uint64_t epoch;
    uint64_t parent;
    uint32_t node;
    double stake; // the member's relative stake in the epoch's snapshot (alpha)
};

// Dataset "poi_importance": PoI only: each importance table as a block on some branch computed it
// (the genesis table at height 0), one row per eligible account.
struct PoiImportanceRecord
{
    double time;
    uint64_t height; // the block that computed it
    uint64_t block;
    uint32_t node;    // the account's node, UINT32_MAX for a workload account
    uint32_t account; // the workload account's index, UINT32_MAX for a node's
    double importance;
    double page_rank;
    uint64_t effective; // whole CZR: floor(importance x supply)
};

// Dataset "bids" (optional, issue 15): one row per fee-auction bid, written when its block
// became irreversible (time: then) or, never included, at the end of the run. Fake bids (a
// producer's own transactions to itself, fake = 1) have account kFakeBidAccount, valuation 0,
// and the producing node as node.
constexpr uint32_t kFakeBidAccount = 0xFFFFFFFFu;
struct BidRecord
{
    double time;
    uint64_t tx;
    uint32_t node;
    uint32_t account;
    uint8_t fake;
    uint8_t included;
    double valuation; // at submission
    uint64_t bid;     // the fee bid (EIP-1559: the fee cap)
    uint64_t tip;
    uint64_t payment; // 0 when not included
    uint64_t height;  // 0 when not included
    double wait_s;    // from submission to its block's slot start, or to the end of the run
    double utility;   // valuation decayed over wait_s minus payment; 0 when not included
};

// Dataset "clearing" (optional, issue 15): one row per block of the irreversible chain, written
// when it became irreversible. mechanism: 0 first-price, 1 uniform, 2 monopolistic, 3 eip1559
// (model/fees/fee-auction.h); price: the declared price (uniform, monopolistic), else 0;
// revenue: what real bids paid the producer; burned: EIP-1559 base fees, fakes' included.
struct ClearingRecord
{
    double time;
    uint64_t height;
    uint64_t hash;
    uint32_t producer_node;
    uint8_t mechanism;
    uint64_t price;
    uint64_t base_fee;
    uint64_t revenue;
    uint64_t burned;
    uint32_t tx_count;
    uint32_t auctioned; // real bids in it
    uint32_t fakes;
    double fullness; // tx_count / block_tx_max
};

// Optional dataset "channel_events" (issue 18, model/run/channels-feature.h): what
// happened to each payment channel on chain. kind: 0 open, 1 cooperative close, 2 unilateral
// close (its challenge period starts), 3 challenge with a newer state, 4 penalty (the closer's
// revocation was shown: the other party took the channel), 5 settle after the period. amount_a
// and amount_b: the deposits at open, the state's balances at a close, challenge or settle (HTLCs
// excluded); at a penalty the winner's side holds the whole capacity. updates: the channel's
// off-chain updates (its state number) at that moment. actor: the node that sent the transaction.
// stale: the channel's unilateral close named a revoked state.
struct ChannelEventRecord
{
    double time;
    uint64_t channel; // first 8 bytes of the channel id
    uint32_t party_a;
    uint32_t party_b;
    uint8_t kind;
    uint8_t stale;
    uint64_t updates;
    uint64_t amount_a;
    uint64_t amount_b;
    uint32_t actor;
};

// Optional dataset "contract_calls" (issue 16, model/run/contracts-feature.h): one row per
// contract transaction that ran (deploy, call, device event) on the final best chain of the
// contract owner's node, written at the end of the run. time: the block's timestamp; contract,
// caller, tx: first 8 bytes of the address or id; caller_node: the device's or owner's node
// (UINT32_MAX for another sender); kind: the TxType (20 deploy, 21 call, 23 device event);
// method: the method, or the event type of a device event; result: 0 ran to completion, else
// the RevertKind (model/contracts/lua-vm.h) with reason its error text.
struct ContractCallRecord
{
    double time;
    uint64_t height;
    uint64_t tx;
    uint64_t contract;
    uint64_t caller;
    uint32_t caller_node;
    uint8_t kind;
    char method[kDropReasonChars];
    uint64_t gas_used;
    uint64_t gas_limit;
    uint8_t result;
    char reason[kDropReasonChars];
};

// Optional dataset "callbacks" (issue 16): one row per callback that reached a device's node.
// registration: first 8 bytes of the registering transaction's id (0 for a chain.notify
// request); trigger: of the triggering transaction; latency_s from the trigger's submission when
// the device submitted it itself (from_submission = 1), else from the triggering block's
// timestamp; home_node: the full node that sent it.
struct CallbackRecord
{
    double time;
    uint32_t device_node;
    uint32_t home_node;
    uint64_t contract;
    uint64_t registration;
    uint64_t trigger;
    uint64_t trigger_height;
    double latency_s;
    uint8_t from_submission;
};

// Optional dataset "data_requests" (issue 17, model/run/data-feature.h): one row per data
// request a requester's node got an answer to. decision: 0 served, 1 refused; reason: the
// refusal code (DataRefusal in model/data/data-messages.h, 0 when served); latency: from
// sending to the answer (s); bytes: the answer's size; hops: overlay hops it travelled;
// readable: served and the requester opened it; wrongly_served: served although the
// requester's own best chain already held the revocation of its grant.
struct DataRequestTraceRecord
{
    double time;
    uint32_t requester;
    uint32_t device;
    uint64_t stream; // first 8 bytes of the stream id
    uint8_t decision;
    uint8_t reason;
    uint8_t rule; // 0 best chain, 1 irreversible only (GrantRule)
    uint8_t readable;
    uint8_t wrongly_served;
    double latency;
    uint64_t bytes;
    uint32_t hops;
};

// Optional dataset "storage_ops" (issue 17, model/storage/storage-peer.h): one row per put,
// get or name operation that finished. op: 0 put, 1 get, 2 publish a name, 3 resolve a name;
// lookup_hops: round trips of the DHT lookup (0: none needed); source: the provider that
// delivered (get) or this node.
struct StorageOpTraceRecord
{
    double time;
    uint32_t node;
    uint8_t op;
    uint8_t ok;
    uint64_t root; // first 8 bytes of the root (or name) key
    uint32_t lookup_hops;
    uint32_t blocks;
    uint64_t bytes;
    double latency;
    uint32_t source;
};

// Optional dataset "governance_events" (issue 18, model/run/governance-feature.h): CZC
// governance in a `canonsim run` with a `governance:` section, as the run's reference node (the
// lowest-numbered running full node) sees its best chain, plus what the feature submitted. kind:
// 0 proposal submitted, 1 vote submitted (node: the voter's node; approving: 1 for, 0 against),
// 2 tally changed (approving and voting stake on chain), 3 passed (adopted; for an upgrade: its
// first hold is over), 4 rules switched (the epoch of a new T or N is in force at the reference
// node's best tip: value the new T in seconds or the new N, slot its first slot), 5 node excluded
// (an upgrade became active and the node never signalled), 6 account frozen (node: the account
// index), 7 freeze lifted by the community, 8 upgrade signal submitted (node), 9 phase changed
// (value: the ProposalPhase). proposal: first 8 bytes of the proposal id; param: GovParam.
struct GovernanceEventRecord
{
    double time;
    uint64_t proposal;
    uint8_t kind;
    uint8_t param;
    double value;
    uint64_t approving;
    uint64_t voting;
    uint32_t node;
    uint64_t slot;
};

} // namespace canon

#endif
