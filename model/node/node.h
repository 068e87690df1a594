// Node: one CanonChain participant as a sans-IO state machine (DESIGN.md 3).
//
// Node::Step(now, input, actions) is the only entry point. The node gossips transactions and
// blocks in one of three modes (GossipMode below, de-duplicated by bounded caches),
// keeps a mempool, produces a block when the schedule gives it the slot, follows fork choice and
// finality through ConsensusChain, detects equivocation, and syncs when it sees a block whose
// parent it lacks or when its tip goes stale (it asks a peer for the blocks after its locator).
//
// Every node holds a key and produces whenever the schedule of its best chain gives that key the
// slot: producer sets change by election (PROTOCOL.md 2.2).
//
// Light peers (NodeConfig::lightPeers, light-node.h) get neither gossip nor blocks: the node
// pushes them the header of every block it accepts, answers their GetHeaders from its best chain
// and their GetProof from a bounded index of which block carries which transaction (at most
// NodeLimits::proofIdsPerPeerSlotMax ids per peer and slot), and takes and gossips the
// transactions they submit like any other. It never asks a light peer to sync. Who is light is
// configuration (the runner knows each node's role), not a hello message: the core sees no
// connection events to hang a hello on, and roles do not change during a run.
//
// Gossip modes (NodeLimits::gossip; the messages are in messages.h):
//   - push: every accepted block and transaction goes whole to every full peer but its source;
//   - announce: an accepted block's header goes to every full peer that has not announced it to
//     us; a node that lacks the block asks one announcer (GetBlock), and when no answer comes
//     within fetchTimeout asks the next one, round robin over at most kAnnouncersMax
//     announcers, fetchAttemptsMax asks in all, at most blockFetchesMax blocks at once (after
//     that, a child's orphan or the stale-tip check syncs it). Accepted transactions' ids are
//     queued per peer and announced in batches every txAnnounceInterval (at most
//     kTxIdBatchMax ids a message); the receiver asks the announcer for the ids it has not
//     seen (at most txFetchesMax outstanding), with the same timeout and fallback;
//   - compact: blocks go as compact blocks (compact-block.h) to every full peer that has not
//     sent us one; the receiver rebuilds the block from its mempool, asks the sender for the
//     missing transactions (GetBlockTxn), and fetches the full block (as in announce mode) when
//     it cannot rebuild it or the rebuilt block fails its header's Merkle root. Transactions go
//     as in announce mode.
// In every mode a node answers every request and accepts every message: an unsolicited full
// block or transaction (an adversary's, a sync batch) is handled as in push mode, and relayed
// in the node's own mode. Sync, evidence and light peers do not depend on the mode.
// The node has one timer (the engines keep one per kind): it is set for the earliest of the
// next slot start, the next fetch deadline and the next announcement flush, and each firing
// does whatever is due. In push mode it is exactly the slot timer.
//
// A Node is single-threaded and owns all its state. The only state that survives a crash is what
// the driver keeps outside it: the key and the last slot it signed (so a restarted producer
// never signs twice in one slot).
#ifndef CANONSIM_NODE_NODE_H
#define CANONSIM_NODE_NODE_H

#include "model/consensus/consensus-chain.h"
#include "model/consensus/equivocation.h"
#include "model/contracts/contract-node-hook.h"
#include "model/core/bounded-fifo-map.h"
#include "model/core/ring-queue.h"
#include "model/fees/block-filler.h"
#include "model/node/compact-block.h"
#include "model/node/mempool.h"
#include "model/node/node-io.h"
#include "model/node/node-service.h"
#include "model/node/orphan-pool.h"
#include "model/node/peer-guard.h"
#include "model/node/seen-tx-set.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

namespace canon
{

// Evidence transactions a producer puts in one block (each slashes a different producer).
constexpr std::size_t kEvidencePerBlockMax = 16;
// Peers remembered as holding one announced block or transaction (the fetch's fallbacks, and
// whom a relay skips): a handful is enough for fallback, and it caps the state per item.
constexpr std::size_t kAnnouncersMax = 8;

// How blocks and transactions spread (see the top of this file).
enum class GossipMode : uint8_t
{
    kPush,
    kAnnounce,
    kCompact,
};

struct NodeLimits
{
    std::size_t mempoolTxMax = 20000;
    std::size_t seenTxMax = 65536;
    std::size_t seenBlockMax = 8192;
    std::size_t orphanMax = 256;
    std::size_t orphanBytesMax = 32 * 1024 * 1024;
    std::size_t evidenceMax = 1024; // producers with stored evidence
    // A tip older than this many slots makes the node ask a peer for newer blocks.
    uint64_t staleTipSlots = 3;
    // Light peers only: transactions indexed by carrying block (about two minutes at 40 tx/s
    // and 64 bytes an entry, 4 MiB), and proof ids answered per light peer and slot.
    std::size_t txIndexMax = 65536;
    uint32_t proofIdsPerPeerSlotMax = 64;
    // Gossip (see the top of this file). The timeout is a few round trips of a slow wired path
    // (40 ms links, a 10 KiB block at 20 Mbit/s per hop) and well under a slot, so a silent
    // announcer costs less than a missed slot; four asks ride out a lossy minute.
    GossipMode gossip = GossipMode::kPush;
    TimeNs fetchTimeout = 500 * kMillisecond;
    uint32_t fetchAttemptsMax = 4;
    std::size_t blockFetchesMax = 64;
    std::size_t txFetchesMax = 8192;
    // As the ns-3 adapter's GossipFlushInterval: batches without a noticeable delay.
    TimeNs txAnnounceInterval = 50 * kMillisecond;
    // Defences against misbehaving peers (peer-guard.h); all off by default.
    PeerGuardConfig guard;
};

struct NodeConfig
{
    uint32_t id = 0;
    std::shared_ptr<const ChainParams> params;
    std::optional<KeyPair> producerKey; // the key it signs blocks with when elected
    std::vector<PeerId> peers;
    std::set<PeerId> lightPeers; // those of `peers` that are light participants
    NodeLimits limits;
    // The last slot this key signed a block for, carried across restarts.
    uint64_t lastSignedSlot = 0;
    // How this producer fills blocks under the chain's fee auction (model/fees, issue 15).
    FeeProducerPolicy fees;
    // Applications the node runs beside the protocol (node-service.h): each gets the messages
    // of the types it owns and every new best tip.
    NodeServices services;
    // The run's numbering of transaction ids for the seen set (seen-tx-set.h); null: the node
    // numbers them itself.
    std::shared_ptr<TxNumbering> txNumbering;
};

struct NodeCounters
{
    uint64_t blocksProduced = 0;
    uint64_t blocksAccepted = 0;
    uint64_t messagesDropped = 0;
    uint64_t duplicates = 0;
    uint64_t syncRequests = 0;
    uint64_t reorgs = 0;
    // Announce and compact gossip.
    uint64_t blockFetches = 0;      // GetBlock requests sent
    uint64_t txFetches = 0;         // transaction ids requested
    uint64_t fetchTimeouts = 0;     // requests that timed out (the next announcer is asked)
    uint64_t fetchesAbandoned = 0;  // items given up after fetchAttemptsMax asks
    uint64_t fetchesRefused = 0;    // announcements past blockFetchesMax or txFetchesMax
    uint64_t compactRebuilt = 0;    // compact blocks rebuilt (mempool, maybe a BlockTxn)
    uint64_t compactTxsMissing = 0; // transactions asked for with GetBlockTxn
    uint64_t compactFallbacks = 0;  // compact blocks that needed a full fetch
};

class Node : public Participant
{
  public:
    explicit Node(NodeConfig config);

    uint32_t Id() const { return m_config.id; }
    const ConsensusChain& Chain() const { return m_chain; }
    const Mempool& Pool() const { return m_mempool; }
    const NodeCounters& Counters() const { return m_counters; }
    // Contract callbacks sent from and arrived at this node (model/contracts).
    const ContractNodeHook& Callbacks() const { return m_contractHook; }
    // Whether the node's key is in the producer set in force at its best block.
    bool IsProducer() const;
    bool HoldsProducerKey() const { return m_config.producerKey.has_value(); }
    const std::vector<PeerId>& Peers() const { return m_config.peers; }
    // Replaces the peers that broadcasts and sync requests go to, for an adapter whose
    // connections change while the node runs (a vehicle handing over between roadside units).
    // Kept sorted and without duplicates; the node itself is never its own peer.
    // `lightPeers`: those of them that are light participants (see the top of this file).
    void SetPeers(std::vector<PeerId> peers, std::set<PeerId> lightPeers = {});
    uint64_t LastSignedSlot() const { return m_lastSignedSlot; }
    const std::vector<EquivocationEvidence>& Evidence() const { return m_evidence; }
    const PeerGuard& Guard() const { return m_guard; }

  private:
    void OnStart(TimeNs now, Actions& out) override;
    void OnMessage(TimeNs now, const MessageInput& in, Actions& out) override;
    void OnSlot(TimeNs now, Actions& out) override;
    void OnSubmit(TimeNs now, const Transaction& tx, Actions& out) override;
    void OnLocal(TimeNs now, const LocalWork& work, Actions& out) override;
    // The service that owns `in`'s message type, or null.
    NodeService* ServiceFor(const MessageInput& in) const;
    ServiceContext Context() const { return {m_now, m_config.id, m_chain, m_config.peers}; }
    // The slot's work (production, stale-tip sync); OnSlot calls it when the slot has started.
    void SlotTick(TimeNs now, Actions& out);

    // `wire`: the message exactly as it arrived, relayed as is (canonical encoding makes it
    // byte-identical to a re-encoding); nullptr for local input, which is encoded here.
    void HandleTransaction(TimeNs now, const TxPtr& tx, const SharedBytes& wire,
                           std::optional<PeerId> from, Actions& out);
    // `relay`: gossip onwards if accepted (blocks from sync batches are not relayed).
    // `knownCopy`: the hash of the block's encoding when the caller has it (a shared rebuilt
    // block, compact-block.h); otherwise it is computed here.
    void HandleBlock(TimeNs now, BlockPtr block, std::size_t size, const SharedBytes& wire,
                     std::optional<PeerId> from, bool relay, Actions& out,
                     const Hash256* knownCopy = nullptr);
    void HandleGetBlocks(const GetBlocksMessage& m, PeerId from, Actions& out);
    void HandleBlocks(TimeNs now, const BlocksMessage& m, PeerId from, Actions& out);
    void HandleEvidence(const EquivocationEvidence& ev, std::optional<PeerId> from, Actions& out);
    void HandleGetHeaders(const GetHeadersMessage& m, PeerId from, Actions& out);
    void HandleGetProof(TimeNs now, const GetProofMessage& m, PeerId from, Actions& out);
    TxProof ProveInclusion(const Hash256& txId) const;
    // Light peers: the accepted block's header, and its transactions in the proof index.
    void ServeLightPeers(const BlockEntry& e, Actions& out);
    bool IsLight(PeerId peer) const { return m_config.lightPeers.count(peer) != 0; }

    void CheckEquivocation(TimeNs now, const BlockHeader& header, Actions& out);
    void Accepted(const AddBlockResult& r, std::optional<PeerId> from, Actions& out);
    void ConnectOrphans(TimeNs now, const Hash256& parent, Actions& out);
    // Stores a block whose parent is missing if it is plausible (size, slot, a valid signature,
    // its Merkle root): only then may it wait, and only within the pool's count and byte
    // bounds. `copy` identifies this exact encoding.
    void AddOrphan(TimeNs now, BlockPtr block, std::size_t size, const Hash256& copy,
                   std::optional<PeerId> from, Actions& out);
    // Validates an orphan whose parent arrived (OrphanPool::Connect).
    OrphanFate AdoptOrphan(TimeNs now, const Hash256& copy, BlockPtr block, std::size_t size,
                           Actions& out);
    bool PlausibleHeader(TimeNs now, const BlockHeader& header) const;
    // Asks `peer` for the blocks after our locator; with `after`, after that block first (the
    // last block of a batch just received, so a branch longer than one batch is fetched batch
    // by batch even while it is not our best chain).
    void RequestSync(TimeNs now, PeerId peer, Actions& out,
                     std::optional<Hash256> after = std::nullopt);
    void Produce(TimeNs now, uint64_t slot, Actions& out);
    // Evidence transactions for a block at `height` on `state`, one per held evidence whose
    // producer that chain has not slashed yet, with consecutive nonces of the node's key.
    std::vector<Transaction> EvidenceTransactions(const LedgerState& state, uint64_t height) const;

    void Broadcast(MessageType type, const SharedBytes& bytes, std::optional<PeerId> except,
                   Actions& out) const;

    // Gossip in the announce and compact modes (see the top of this file).
    struct BlockFetch
    {
        BlockHeader header;
        std::vector<PeerId> announcers; // in order of arrival, at most kAnnouncersMax
        uint32_t attempts = 0;
        PeerId asked = 0;
        TimeNs deadline = 0;
        std::optional<PartialBlock> partial; // compact: waiting for a BlockTxn
    };
    struct TxFetch
    {
        std::vector<PeerId> announcers;
        uint32_t attempts = 0;
        PeerId asked = 0;
        TimeNs deadline = 0;
    };
    // An accepted block or transaction goes on in the node's mode.
    void RelayBlock(const BlockPtr& block, const SharedBytes& wire, std::optional<PeerId> from,
                    Actions& out);
    void RelayTransaction(TimeNs now, const SharedTransaction& tx, const SharedBytes& wire,
                          std::optional<PeerId> from, const std::vector<PeerId>& announcers,
                          Actions& out);
    void HandleAnnounceBlock(TimeNs now, const BlockHeader& header, PeerId from, Actions& out);
    void HandleGetBlock(const GetBlockMessage& m, PeerId from, Actions& out);
    void HandleAnnounceTxs(TimeNs now, const TxIdsMessage& m, PeerId from, Actions& out);
    void HandleGetTxs(const TxIdsMessage& m, PeerId from, Actions& out);
    void HandleCompactBlock(TimeNs now, const CompactBlockMessage& m, PeerId from, Actions& out);
    void HandleGetBlockTxn(const GetBlockTxnMessage& m, PeerId from, Actions& out);
    void HandleBlockTxn(TimeNs now, BlockTxnMessage m, PeerId from, Actions& out);
    // A block announced (header or compact) that we lack: the fetch entry to add it to, or
    // nullptr when it is known, already being fetched (`from` is then remembered), implausible
    // or over the bound.
    BlockFetch* NewBlockFetch(TimeNs now, const BlockHeader& header, MessageType type, PeerId from,
                              Actions& out);
    // Asks `peer` for the whole block.
    void AskBlock(TimeNs now, const Hash256& hash, BlockFetch& f, PeerId peer, Actions& out);
    // The next announcer, round robin, unless the attempts are spent (then it gives up).
    void AskNextAnnouncer(TimeNs now, const Hash256& hash, Actions& out);
    // A compact block with every slot filled: its Merkle root checked, then handled as a block.
    void FinishCompact(TimeNs now, const Hash256& hash, PeerId from, Actions& out);
    // After a Block message from `from`: a fetch it answered that did not yield the block
    // moves on at once.
    void SettleBlockFetch(TimeNs now, const Block& block, PeerId from, Actions& out);
    void ExpireFetches(TimeNs now, Actions& out);
    void FlushTxAnnouncements(Actions& out);
    // Sets the one timer for the earliest thing due, when that changed.
    void ArmTimer(Actions& out);
    // Planning protocols: when this node may next produce on its best tip (m_produceAt).
    void PlanProduction();
    // Whether this node may produce `slot` on `best` now.
    bool MayProduce(const BlockEntry* best, uint64_t slot) const;
    // Slots between ticks: 1, or for planning protocols the mean block interval.
    uint64_t TickSlots() const;
    bool IsPush() const { return m_config.limits.gossip == GossipMode::kPush; }
    void Drop(const std::string& reason, MessageType type, std::optional<PeerId> from,
              Actions& out);

    NodeConfig m_config;
    ConsensusChain m_chain;
    Mempool m_mempool;
    ContractNodeHook m_contractHook{m_config.id};
    // Keys seen in any producer set of an accepted block: who equivocation evidence may name.
    std::set<PublicKey> m_knownProducers;
    std::shared_ptr<const std::vector<PublicKey>> m_lastActiveSet;
    uint64_t m_lastSignedSlot;
    uint64_t m_lastSignedHeight = 0;
    SeenTxSet m_seenTx;
    BoundedHashSet m_seenBlocks;
    BoundedHashSet m_seenEvidence;
    EquivocationDetector m_detector;
    std::vector<EquivocationEvidence> m_evidence; // one per producer, at most evidenceMax
    std::set<PublicKey> m_evidenceAbout;
    // Blocks waiting for their parent, by the hash of their full encoding.
    OrphanPool<BlockPtr> m_orphans;
    // When we last asked each peer to sync, so one gap does not trigger a request per block.
    std::map<PeerId, TimeNs> m_lastSyncRequest;
    std::size_t m_syncCursor = 0;
    // Light peers: carrying block by transaction id (bounded, oldest out first), and the proof
    // ids each answered in its last slot.
    BoundedFifoMap<Hash256, Hash256, Hash256Hasher> m_txBlock;
    std::map<PeerId, std::pair<uint64_t, uint32_t>> m_proofBudget;
    NodeCounters m_counters;
    PeerGuard m_guard; // scores, bans and rate limits of peers (peer-guard.h)
    // Gossip state (announce and compact modes). Fetches by hash; their deadlines in the order
    // they were set (a fixed timeout makes that time order), stale entries skipped.
    // Looked up, never iterated: hashed.
    std::unordered_map<Hash256, BlockFetch, Hash256Hasher> m_blockFetches;
    std::unordered_map<Hash256, TxFetch, Hash256Hasher> m_txFetches;
    RingQueue<std::pair<TimeNs, Hash256>> m_blockDeadlines;
    RingQueue<std::pair<TimeNs, Hash256>> m_txDeadlines;
    std::map<PeerId, std::vector<Hash256>> m_txAnnounceQueue; // at most kTxIdBatchMax each
    TimeNs m_txAnnounceAt = 0;                                // 0: nothing queued
    TimeNs m_nextSlotAt = 0; // the next tick: production check and stale-tip sync
    // Protocols that plan production ahead (ConsensusEngine::PlanningHorizon > 1, PoW): when
    // this node may next produce on the best tip `m_planParent` (0: not planned).
    TimeNs m_produceAt = 0;
    Hash256 m_planParent{};
    Hash256 m_poolCzc{};  // the CZC hash the mempool's transactions carry (NextCzc)
    TimeNs m_now = 0;     // the time of the input being handled
    TimeNs m_timerAt = 0; // what the timer is set for
    // The last block served by GetBlock (a producer is asked by every peer in turn).
    std::pair<Hash256, SharedBytes> m_servedBlock;
};

// Assembles and signs a block for `slot` on `parent`: the `leading` transactions first (each
// applied to a copy of the parent's state in order; one that fails is left out), then the
// mempool's best by fee up to the block limits, passing over senders in `exclude`.
// The header carries the consensus protocol's proof for `key`, `slot` and `memory`. With an
// active `fees` policy the mempool's best are bids in the chain's fee auction instead, and the
// producer fills the block by the policy (model/fees/block-filler.h); under EIP-1559, which ranks
// by effective tip rather than by the bid (the cap) the mempool ranks by, every pending
// transaction is a candidate.
Block AssembleBlock(const ConsensusChain& chain, const BlockEntry& parent, uint64_t slot,
                    const KeyPair& key, const ProducerMemory& memory, const Mempool& pool,
                    std::vector<Transaction> leading, const std::set<Address>* exclude = nullptr,
                    const FeeProducerPolicy* fees = nullptr);

// The terms a transaction signed now must meet to enter the next block of `chain`'s best chain
// (issue 18): the CZC hash it carries (ConsensusChain::NextCzc: the one governance adopted, else
// the schedule's) and the lowest bid that chain takes (the fee floor in force,
// model/governance/in-force.h: the adopted floor, else the genesis floor mempools admit). Every
// submitter of a run that has a full node's chain to read signs by these (model/run); a light
// wallet has no ledger state and signs by its headers as before (model/run/workload.h).
struct SignerTerms
{
    Hash256 czc{};
    uint64_t feeFloor = 0;

    // `wanted`, raised to the floor.
    uint64_t Bid(uint64_t wanted) const { return std::max(wanted, feeFloor); }
};
SignerTerms TermsOn(const ConsensusChain& chain);

// A wallet's next nonce for `account`, whose transactions go through `node`: the wallet counts
// its own (`counter`), and starts again from the node's view of the account when that falls far
// behind or gets ahead (transactions lost with a crashed node, or included elsewhere).
uint64_t NextWalletNonce(uint64_t& counter, const Node& node, const Address& account);

} // namespace canon

#endif
