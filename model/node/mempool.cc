#include "model/node/mempool.h"

#include <queue>

namespace canon
{

Status
Mempool::Add(const TxPtr& shared, const LedgerState& state, const TxContext& ctx, uint64_t feeMin)
{
    const Transaction& tx = shared->Tx();
    const Hash256& id = shared->Id();
    if (tx.fee < feeMin)
    {
        return Status::Invalid("fee " + std::to_string(tx.fee) + " below the floor " +
                               std::to_string(feeMin));
    }
    const Address& sender = shared->Sender();
    const uint64_t accountNonce = state.NonceOf(sender);
    if (tx.nonce < accountNonce)
    {
        return Status::Invalid("stale nonce " + std::to_string(tx.nonce) + " (account at " +
                               std::to_string(accountNonce) + ")");
    }
    if (tx.nonce >= accountNonce + kMempoolNonceAheadMax)
    {
        return Status(StatusCode::kResourceLimit, "nonce " + std::to_string(tx.nonce) +
                                                      " too far ahead of " +
                                                      std::to_string(accountNonce));
    }
    uint64_t amount = 0;
    Status shape = state.CheckPayloadFor(tx, ctx, amount);
    if (!shape.IsOk())
    {
        return shape;
    }
    const uint64_t spendable = state.SpendableOf(sender, ctx.now);
    if (amount > spendable || tx.fee > spendable - amount)
    {
        return Status::Invalid("sender cannot afford amount plus fee");
    }
    SenderQueue& queue = QueueOf(sender);
    if (auto it = queue.find(tx.nonce); it != queue.end())
    {
        if (it->second->Id() == id)
        {
            return Status(StatusCode::kDuplicate, "transaction already pending");
        }
        // Replace-by-fee: a second transaction for one nonce must bid strictly more.
        if (tx.fee <= it->second->Tx().fee)
        {
            return Status::Invalid("nonce " + std::to_string(tx.nonce) +
                                   " already pending with a fee at least as high");
        }
        Erase(sender, tx.nonce);
    }
    while (!m_byFee.empty() &&
           (m_byFee.size() >= m_capacity || m_bytes + tx.payload.size() > kMempoolBytesMax))
    {
        auto worst = std::prev(m_byFee.end());
        if (!FeeOrder()({tx.fee, id}, worst->first))
        {
            if (QueueOf(sender).empty())
            {
                DropSender(m_queueOf.at(sender));
            }
            return Status(StatusCode::kResourceLimit, "mempool full and fee too low");
        }
        auto [evSender, evNonce] = worst->second;
        Erase(evSender, evNonce);
    }
    m_bytes += tx.payload.size();
    QueueOf(sender)[tx.nonce] = shared;
    m_byFee.emplace(std::make_pair(tx.fee, id), std::make_pair(sender, tx.nonce));
    m_byId.emplace(id, shared);
    return Status::Ok();
}

Mempool::SenderQueue&
Mempool::QueueOf(const Address& sender)
{
    auto [index, added] = m_queueOf.try_emplace(sender);
    if (added)
    {
        index->second = m_bySender.try_emplace(sender).first;
    }
    return index->second->second;
}

const Mempool::SenderQueue*
Mempool::FindQueue(const Address& sender) const
{
    auto it = m_queueOf.find(sender);
    return it == m_queueOf.end() ? nullptr : &it->second->second;
}

Mempool::BySender::iterator
Mempool::DropSender(BySender::iterator it)
{
    m_queueOf.erase(it->first);
    return m_bySender.erase(it);
}

void
Mempool::Erase(const Address& sender, uint64_t nonce)
{
    auto index = m_queueOf.find(sender);
    if (index == m_queueOf.end())
    {
        return;
    }
    const BySender::iterator sit = index->second;
    auto it = sit->second.find(nonce);
    if (it == sit->second.end())
    {
        return;
    }
    const SharedTransaction& gone = *it->second;
    m_byFee.erase({gone.Tx().fee, gone.Id()});
    m_byId.erase(gone.Id());
    m_bytes -= gone.Tx().payload.size();
    sit->second.erase(it);
    if (sit->second.empty())
    {
        DropSender(sit);
    }
}

void
Mempool::RemoveApplied(const LedgerState& state)
{
    for (auto sit = m_bySender.begin(); sit != m_bySender.end();)
    {
        const uint64_t accountNonce = state.NonceOf(sit->first);
        auto& queue = sit->second;
        while (!queue.empty() && queue.begin()->first < accountNonce)
        {
            const SharedTransaction& gone = *queue.begin()->second;
            m_byFee.erase({gone.Tx().fee, gone.Id()});
            m_byId.erase(gone.Id());
            m_bytes -= gone.Tx().payload.size();
            queue.erase(queue.begin());
        }
        sit = queue.empty() ? DropSender(sit) : std::next(sit);
    }
}

void
Mempool::RemoveStaleCzc(const Hash256& czc)
{
    std::vector<std::pair<Address, uint64_t>> stale;
    for (const auto& [sender, queue] : m_bySender)
    {
        for (const auto& [nonce, entry] : queue)
        {
            if (entry->Tx().czcHash != czc)
            {
                stale.emplace_back(sender, nonce);
            }
        }
    }
    for (const auto& [sender, nonce] : stale)
    {
        Erase(sender, nonce);
    }
}

std::vector<Transaction>
Mempool::Select(LedgerState& state, const TxContext& ctx, uint32_t maxTxs, std::size_t maxBytes,
                const std::set<Address>* exclude) const
{
    // A heap of each sender's next eligible transaction, best fee on top.
    struct Head
    {
        uint64_t fee;
        Hash256 id;
        const Address* sender;
        std::map<uint64_t, TxPtr>::const_iterator it;
    };
    auto worse = [](const Head& a, const Head& b) {
        return FeeOrder()({b.fee, b.id}, {a.fee, a.id});
    };
    std::priority_queue<Head, std::vector<Head>, decltype(worse)> heads(worse);
    for (const auto& [sender, queue] : m_bySender)
    {
        if (exclude && exclude->count(sender))
        {
            continue;
        }
        auto it = queue.find(state.NonceOf(sender));
        if (it != queue.end())
        {
            heads.push({it->second->Tx().fee, it->second->Id(), &sender, it});
        }
    }
    std::vector<Transaction> out;
    std::size_t bytes = 0;
    while (!heads.empty() && out.size() < maxTxs)
    {
        Head h = heads.top();
        heads.pop();
        const Transaction& tx = h.it->second->Tx();
        const std::size_t size = tx.EncodedSize();
        if (bytes + size > maxBytes)
        {
            continue;
        }
        if (!state.ApplyTransaction(tx, ctx).IsOk())
        {
            continue; // this sender's later nonces cannot follow either
        }
        out.push_back(tx);
        bytes += size;
        auto next = std::next(h.it);
        const SenderQueue& queue = *FindQueue(*h.sender);
        if (next != queue.end() && next->first == tx.nonce + 1)
        {
            heads.push({next->second->Tx().fee, next->second->Id(), h.sender, next});
        }
    }
    return out;
}

const Transaction*
Mempool::Find(const Hash256& id) const
{
    auto it = m_byId.find(id);
    return it == m_byId.end() ? nullptr : &it->second->Tx();
}

TxPtr
Mempool::FindShared(const Hash256& id) const
{
    auto it = m_byId.find(id);
    return it == m_byId.end() ? nullptr : it->second;
}

std::size_t
Mempool::PendingFrom(const Address& sender) const
{
    const SenderQueue* queue = FindQueue(sender);
    return queue ? queue->size() : 0;
}

} // namespace canon
