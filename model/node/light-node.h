// LightNode: a CanonChain light participant as a sans-IO state machine, driven like Node through
// Participant::Step with the inputs and actions of node-io.h (DESIGN.md 3).
//
// The paper's vehicles and devices "run light participants or full nodes"; it does not define
// the light protocol, so this is the reading CanonSim takes (an SPV client, Nakamoto 2008 s. 8):
//   - No ledger, no mempool, no block bodies. Full peers push it the header of every block they
//     accept (MessageType::kHeader); it asks for the headers after its locator
//     (GetHeaders/Headers) at start, when a header's parent is missing and when its tip goes
//     stale.
//   - Each header is checked for what a header alone can show: its slot has started and its
//     timestamp is that slot's start, it extends a known header (height + 1, a later slot) and
//     the producer key it names signed it. Slots are timed as full nodes time them, by the rule
//     epochs of the header's chain (T and N adopted by governance, rule-epochs.h): full peers
//     send them with every header (the last header's for a Headers batch), each header entry
//     keeps them, and a header whose epochs change one of its parent's that has already begun
//     by its slot is refused. The light node's own slot timer follows its best header's epochs.
//     Headers whose parent is unknown wait in a bounded orphan pool (after the same checks but
//     linkage). The header tree is bounded: headers more than `keepDepth` below the best tip are
//     pruned with every branch that forks below them.
//   - Fork choice is the full nodes' (PROTOCOL.md 2.4, fork-choice.h): the highest header wins,
//     ties go to the lower hash.
//   - Its wallets' transactions go to every full peer, which check and gossip them. It learns
//     that one is included by asking a full peer for a Merkle inclusion proof (GetProof/Proof)
//     whenever its best chain grew since it last asked, and verifies the branch against the
//     txRoot of a header on its best chain; then it traces kTxVerifiedIncluded with the latency
//     since submission. A reorg that drops the carrying header puts the transaction back to
//     pending. Pending transactions are bounded, resent a few times if no proof comes, and
//     given up on after `giveUpSlots`.
//
// What it trusts, honestly: it cannot check that the rule epochs its peers send are the ones the
// chain adopted (that needs the ledger state); a lying peer can time its headers by other rules,
// but never rewrite an epoch that a header it already holds was timed by. Nor can it check that
// the producer named in a header was the one
// the schedule gave the slot to. Producer sets change by elections that live in the full ledger
// state (claims, reports, votes, PROTOCOL.md 2.2), which it does not hold, so it takes the key a
// header names as the producer and trusts its full peers not to feed it a chain signed by keys
// that were never elected; nor does it check transactions, balances or finality. A peer that
// lies can make it follow a fork no honest full node follows (at most one header per elapsed
// slot, since a header from a slot not yet started is refused), or withhold proofs and headers;
// it cannot make it accept a transaction the header chain it follows does not commit to.
// Irreversibility is not tracked: inclusion means "on the best header chain".
//
// A LightNode is single-threaded and owns its state. Nothing survives a crash; a restarted
// light participant asks its peers for headers again.
#ifndef CANONSIM_NODE_LIGHT_NODE_H
#define CANONSIM_NODE_LIGHT_NODE_H

#include "model/chain/chain-params.h"
#include "model/chain/fork-choice.h"
#include "model/core/bounded-fifo-map.h"
#include "model/node/node-io.h"
#include "model/node/orphan-pool.h"

#include <map>
#include <memory>

namespace canon
{

struct LightNodeLimits
{
    // Headers kept below the best tip (about 17 minutes of 1 s slots): far deeper than any fork
    // a full node can still switch to, since PoP finality buries blocks in about 2N/3 slots.
    uint64_t keepDepth = 1024;
    std::size_t orphanMax = 64;       // headers waiting for their parent
    std::size_t pendingTxMax = 1024;  // own transactions not yet proven included
    std::size_t includedMax = 1024;   // proven inclusions remembered (re-checked on a reorg)
    uint32_t proofIdsPerSlotMax = 64; // transaction ids asked for per slot
    uint64_t proofRetrySlots = 2;     // ask again after this long even if no new header came
    uint64_t resendSlots = 10;        // send a transaction again if no proof after this long
    uint32_t resendMax = 3;
    uint64_t giveUpSlots = 120; // forget a pending transaction after this long
    uint64_t staleTipSlots = 3; // no new best header for this long: ask a peer for headers
};

struct LightNodeConfig
{
    uint32_t id = 0;
    std::shared_ptr<const ChainParams> params;
    std::vector<PeerId> peers; // full peers only: light participants do not talk to each other
    LightNodeLimits limits;
};

struct LightNodeCounters
{
    uint64_t headersAccepted = 0;
    uint64_t txSubmitted = 0;
    uint64_t txVerified = 0;
    uint64_t txGivenUp = 0;
    uint64_t proofsRequested = 0; // transaction ids asked for
    uint64_t messagesDropped = 0;
    uint64_t duplicates = 0;
    uint64_t syncRequests = 0;
    uint64_t reorgs = 0;
};

// One header in the tree. `parent` is null for the root (genesis, later the pruning point).
struct HeaderEntry
{
    BlockHeader header;
    Hash256 hash{};
    uint64_t height = 0;
    uint64_t slot = 0;
    ForkWeight weight; // the height: light nodes follow the longest header chain (fork-choice.h)
    const HeaderEntry* parent = nullptr;
    RuleEpochs rules; // the rule epochs of the chain ending here, as full peers sent them
};

// A header with the rule epochs of its chain (MessageType::kHeader, kHeaders).
struct RuledHeader
{
    BlockHeader header;
    RuleEpochs rules;
};

class LightNode : public Participant
{
  public:
    explicit LightNode(LightNodeConfig config);

    uint32_t Id() const { return m_config.id; }
    const ChainParams& Params() const { return *m_config.params; }
    const HeaderEntry* Best() const { return m_best; }
    const HeaderEntry* Find(const Hash256& hash) const;
    // Whether `hash` is on the best header chain.
    bool OnBestChain(const Hash256& hash) const;
    std::size_t HeaderCount() const { return m_headers.size(); }
    std::size_t OrphanCount() const { return m_orphans.Size(); }
    std::size_t PendingCount() const { return m_pending.size(); }
    bool IsVerifiedIncluded(const Hash256& txId) const { return m_included.Contains(txId); }
    // One past the highest nonce of `account` proven included (0: none): the wallet's floor.
    uint64_t ConfirmedNonce(const Address& account) const;
    const LightNodeCounters& Counters() const { return m_counters; }
    const std::vector<PeerId>& Peers() const { return m_config.peers; }
    // Replaces its full peers while it runs (a vehicle handing over between roadside units).
    // Kept sorted and without duplicates; it is never its own peer.
    void SetPeers(std::vector<PeerId> peers);
    // The locator of the best header chain (tip first, ending with genesis).
    std::vector<Hash256> Locator() const;

  private:
    struct Pending
    {
        Transaction tx;
        uint64_t seq = 0;
        TimeNs submittedAt = 0;
        TimeNs sentAt = 0;
        TimeNs askedAt = -1;      // -1: never asked
        uint64_t askedHeight = 0; // best height when last asked
        uint32_t resends = 0;
    };
    struct Included
    {
        Pending pending;
        Hash256 block{};
        uint64_t height = 0;
    };

    void OnStart(TimeNs now, Actions& out) override;
    void OnMessage(TimeNs now, const MessageInput& in, Actions& out) override;
    void OnSlot(TimeNs now, Actions& out) override;
    void OnSubmit(TimeNs now, const Transaction& tx, Actions& out) override;

    // Checks and inserts one header; `from` for the event, orphans and sync.
    void HandleHeader(TimeNs now, const RuledHeader& ruled, std::optional<PeerId> from,
                      Actions& out);
    void HandleHeaders(TimeNs now, const HeadersMessage& m, const RuleEpochs& rules, PeerId from,
                       Actions& out);
    void HandleProof(TimeNs now, const ProofMessage& m, PeerId from, Actions& out);
    // What a header shows on its own: slot started, timestamp, signature. "" when fine.
    std::string CheckAlone(TimeNs now, const RuledHeader& ruled) const;
    // Height + 1, a later slot, and the parent's begun rule epochs kept.
    static bool Follows(const RuledHeader& ruled, const HeaderEntry& parent);
    void Insert(TimeNs now, const RuledHeader& ruled, const Hash256& hash,
                const HeaderEntry* parent, std::optional<PeerId> from, Actions& out);
    void AddOrphan(TimeNs now, const RuledHeader& ruled, const Hash256& hash,
                   std::optional<PeerId> from, Actions& out);
    void ConnectOrphans(TimeNs now, const Hash256& parent, Actions& out);
    // Places an orphan header whose parent arrived, if that parent is still held.
    OrphanFate AdoptOrphan(TimeNs now, const Hash256& hash, const RuledHeader& ruled, Actions& out);
    // The slot clock of a chain with `rules`, of the best header's chain, and its T now.
    SlotClock ClockOf(const RuleEpochs& rules) const;
    SlotClock Clock() const;
    TimeNs SlotLength() const;
    void Prune();
    // Inclusions whose header left the best chain go back to pending.
    void RecheckIncluded();

    void RequestHeaders(TimeNs now, PeerId peer, Actions& out);
    // Asks for proofs of pending transactions the best chain may carry by now; `prefer` gets
    // the first batch (the peer whose header just extended the chain).
    void RequestProofs(TimeNs now, std::optional<PeerId> prefer, Actions& out);
    void ResendOrGiveUp(TimeNs now, Actions& out);
    PeerId NextPeer();
    void SendTransaction(const Transaction& tx, Actions& out) const;
    void Drop(const std::string& reason, MessageType type, std::optional<PeerId> from,
              Actions& out);

    LightNodeConfig m_config;
    std::map<Hash256, std::unique_ptr<HeaderEntry>> m_headers;
    const HeaderEntry* m_best = nullptr;
    const HeaderEntry* m_root = nullptr;
    TimeNs m_bestSince = 0; // when the best tip last changed
    // Orphan headers by hash (the oldest go first).
    OrphanPool<RuledHeader> m_orphans;
    std::map<Hash256, Pending> m_pending;
    uint64_t m_pendingSeq = 0;
    BoundedFifoMap<Hash256, Included, Hash256Hasher> m_included; // the oldest go first
    std::map<Address, uint64_t> m_confirmedNonce;
    uint64_t m_proofSlot = 0; // the slot whose proof budget `m_proofIdsThisSlot` counts
    uint32_t m_proofIdsThisSlot = 0;
    std::map<PeerId, TimeNs> m_lastHeaderRequest;
    std::size_t m_peerCursor = 0;
    LightNodeCounters m_counters;
    RuleEpoch m_genesisRules; // T and N at genesis (ChainParams::GenesisRules)
};

// A light wallet's next nonce (the light counterpart of NextWalletNonce in node.h): the wallet
// counts its own, and falls back to the node's proven floor when it gets far ahead of it.
uint64_t NextWalletNonce(uint64_t& counter, const LightNode& node, const Address& account);

} // namespace canon

#endif
