// The mempool: pending transactions a node has validated and may put in a block.
//
// Ordered by fee bid, highest first (PROTOCOL.md 3); ties go to the lower transaction id so the
// order never depends on arrival or memory layout. Per sender, transactions are kept by nonce and
// only the next nonce in line is eligible, so a block never contains a nonce gap.
//
// Entries hold the process-wide SharedTransaction (shared-transaction.h), never a copy.
//
// State (every pending transaction is in all three, always the same set):
// - m_byFee owns the entries (TxPtr) in fee order; its nodes never move, so the other two hold
//   iterators and pointers into it;
// - m_bySender: per sender, its entries by nonce, in a vector (at most kMempoolNonceAheadMax);
// - m_byId: the entries by transaction id (FlatPointerIndex: one slot per entry).
// Nothing a node does depends on the order of the hash tables: Select ranks by (fee, id),
// ForEach walks m_byFee, and RemoveApplied and RemoveStaleCzc have one result in any order.
// Memory per pending transaction is about 90 bytes plus about 120 per sender with any pending
// (session 28: one tree and three hash maps held about 480 at one transaction per sender), and
// every simulated node keeps a mempool (bench/scale/README.md).
//
// Bounds (DESIGN.md 4.7): at most `capacity` transactions and kMempoolBytesMax payload bytes in
// all (when full, a new transaction must outbid the cheapest, which is evicted) and at most
// kMempoolNonceAheadMax nonces ahead of the sender's account nonce.
#ifndef CANONSIM_NODE_MEMPOOL_H
#define CANONSIM_NODE_MEMPOOL_H

#include "model/chain/ledger-state.h"
#include "model/core/flat-pointer-index.h"
#include "model/node/shared-transaction.h"

#include <set>
#include <unordered_map>
#include <vector>

namespace canon
{

constexpr uint64_t kMempoolNonceAheadMax = 64;
constexpr std::size_t kMempoolBytesMax = 64 * 1024 * 1024;

class Mempool
{
  public:
    explicit Mempool(std::size_t capacity)
      : m_capacity(capacity)
    {
    }
    // Not copyable: m_bySender and m_byId point into m_byFee.
    Mempool(const Mempool&) = delete;
    Mempool& operator=(const Mempool&) = delete;
    Mempool(Mempool&&) = default;
    Mempool& operator=(Mempool&&) = default;

    // Admits a transaction whose signature and CZC hash the caller has checked. Rejects bids
    // below `feeMin`, payloads its type does not allow (LedgerState::CheckPayloadFor),
    // duplicates, stale or far-future nonces and transactions the sender cannot afford.
    Status Add(const TxPtr& shared, const LedgerState& state, const TxContext& ctx,
               uint64_t feeMin);
    // Drops transactions whose nonce the state has passed (they are in a block now).
    void RemoveApplied(const LedgerState& state);
    // Drops transactions that do not carry `czc`, the CZC hash the next block's transactions
    // must carry (it changed: CZC governance adopted a new one, issue 18). One pass over the pool.
    void RemoveStaleCzc(const Hash256& czc);

    // The transactions for a block on top of `state`, applied to `state` as they are chosen:
    // highest fee first, next nonce per sender, up to the limits. Senders in `exclude` are
    // passed over (honest producers pass none; a censoring adversary names its targets).
    std::vector<Transaction> Select(LedgerState& state, const TxContext& ctx, uint32_t maxTxs,
                                    std::size_t maxBytes,
                                    const std::set<Address>* exclude = nullptr) const;

    std::size_t Size() const { return m_byFee.size(); }
    // The pending transaction with this id, or nullptr (announce and compact gossip serve
    // transaction requests from here).
    const Transaction* Find(const Hash256& id) const;
    // The same, shared (null when not pending).
    TxPtr FindShared(const Hash256& id) const;
    // Calls f(shared) for every pending transaction, best fee first (compact blocks are rebuilt
    // from these).
    template <typename F>
    void ForEach(F&& f) const
    {
        for (const TxPtr& entry : m_byFee)
        {
            f(entry);
        }
    }
    // Transactions queued from this sender (for a wallet choosing its next nonce).
    std::size_t PendingFrom(const Address& sender) const;
    // Checks the state's invariants in full (for tests): the three structures hold the same
    // entries, each queue ascends by nonce under its own sender, the byte count is their sum.
    Status CheckInvariants() const;

  private:
    // Descending fee, then ascending id: begin() is the best, rbegin() the worst.
    struct FeeOrder
    {
        bool operator()(const TxPtr& a, const TxPtr& b) const
        {
            if (a->Tx().fee != b->Tx().fee)
            {
                return a->Tx().fee > b->Tx().fee;
            }
            return a->Id() < b->Id();
        }
    };
    struct IdOf
    {
        const Hash256& operator()(const TxPtr& tx) const { return tx->Id(); }
    };
    using FeeSet = std::set<TxPtr, FeeOrder>;
    using Entry = FeeSet::const_iterator;
    using SenderQueue = std::vector<Entry>; // ascending nonce, distinct
    using BySender = std::unordered_map<Address, SenderQueue, Hash256Hasher>;

    // The position in `queue` of `nonce`, or of the first entry above it.
    static SenderQueue::const_iterator NonceAt(const SenderQueue& queue, uint64_t nonce);
    // Removes queue[at] from all three structures; drops the sender's queue when it empties.
    void Erase(BySender::iterator sender, SenderQueue::const_iterator at);
    // Removes one pending transaction (it must be pending).
    void EraseEntry(const TxPtr& tx);
    // Removes an entry from m_byFee and m_byId (its sender's queue still names it).
    void Unindex(Entry gone);

    std::size_t m_capacity;
    FeeSet m_byFee;
    BySender m_bySender;
    FlatPointerIndex<TxPtr, IdOf, Hash256Hasher> m_byId;
    std::size_t m_bytes = 0;
};

} // namespace canon

#endif
