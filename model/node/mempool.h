// The mempool: pending transactions a node has validated and may put in a block.
//
// Ordered by fee bid, highest first (PROTOCOL.md 3); ties go to the lower transaction id so the
// order never depends on arrival or memory layout. Per sender, transactions are kept by nonce and
// only the next nonce in line is eligible, so a block never contains a nonce gap.
//
// Entries hold the process-wide SharedTransaction (shared-transaction.h), never a copy.
//
// The per-sender queues sit in an ordered map (ForEach, RemoveApplied and Select walk senders in
// address order, and block contents follow that order) and are found through a hash index
// (m_queueOf: one per sender in m_bySender, always the same set), since a lookup in a tree of
// 32-byte keys costs a byte comparison per level and every node admits every transaction.
//
// Bounds (DESIGN.md 4.7): at most `capacity` transactions and kMempoolBytesMax payload bytes in
// all (when full, a new transaction must outbid the cheapest, which is evicted) and at most
// kMempoolNonceAheadMax nonces ahead of the sender's account nonce.
#ifndef CANONSIM_NODE_MEMPOOL_H
#define CANONSIM_NODE_MEMPOOL_H

#include "model/chain/ledger-state.h"
#include "model/node/shared-transaction.h"

#include <map>
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
    // Not copyable: m_queueOf points into m_bySender.
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
    // Calls f(shared) for every pending transaction, by sender then nonce (compact blocks are
    // rebuilt from these).
    template <typename F>
    void ForEach(F&& f) const
    {
        for (const auto& [sender, queue] : m_bySender)
        {
            for (const auto& [nonce, entry] : queue)
            {
                f(entry);
            }
        }
    }
    // Transactions queued from this sender (for a wallet choosing its next nonce).
    std::size_t PendingFrom(const Address& sender) const;

  private:
    // (fee, id) descending by fee then ascending id: begin() is the best, rbegin() the worst.
    struct FeeOrder
    {
        bool operator()(const std::pair<uint64_t, Hash256>& a,
                        const std::pair<uint64_t, Hash256>& b) const
        {
            if (a.first != b.first)
            {
                return a.first > b.first;
            }
            return a.second < b.second;
        }
    };
    using SenderQueue = std::map<uint64_t, TxPtr>;
    using BySender = std::map<Address, SenderQueue>;
    void Erase(const Address& sender, uint64_t nonce);
    // The sender's queue, made empty if it has none.
    SenderQueue& QueueOf(const Address& sender);
    // Null when the sender has no queue.
    const SenderQueue* FindQueue(const Address& sender) const;
    BySender::iterator DropSender(BySender::iterator it);

    std::size_t m_capacity;
    BySender m_bySender;
    std::unordered_map<Address, BySender::iterator, Hash256Hasher> m_queueOf;
    std::map<std::pair<uint64_t, Hash256>, std::pair<Address, uint64_t>, FeeOrder> m_byFee;
    // The same entries, by id: looked up, never iterated, so hashed (per-node maps are cold in
    // the cache at scale, and each tree level is a miss).
    std::unordered_map<Hash256, TxPtr, Hash256Hasher> m_byId;
    std::size_t m_bytes = 0;
};

} // namespace canon

#endif
