#include "model/node/mempool.h"

#include <algorithm>
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
    BySender::iterator queue = m_bySender.find(sender);
    if (queue != m_bySender.end())
    {
        auto at = NonceAt(queue->second, tx.nonce);
        if (at != queue->second.end() && (**at)->Tx().nonce == tx.nonce)
        {
            const TxPtr& held = **at;
            if (held->Id() == id)
            {
                return Status(StatusCode::kDuplicate, "transaction already pending");
            }
            // Replace-by-fee: a second transaction for one nonce must bid strictly more.
            if (tx.fee <= held->Tx().fee)
            {
                return Status::Invalid("nonce " + std::to_string(tx.nonce) +
                                       " already pending with a fee at least as high");
            }
            Erase(queue, at);
        }
    }
    while (!m_byFee.empty() &&
           (m_byFee.size() >= m_capacity || m_bytes + tx.payload.size() > kMempoolBytesMax))
    {
        const TxPtr& worst = *std::prev(m_byFee.end());
        if (!FeeOrder()(shared, worst))
        {
            return Status(StatusCode::kResourceLimit, "mempool full and fee too low");
        }
        EraseEntry(worst);
    }
    m_bytes += tx.payload.size();
    const Entry entry = m_byFee.insert(shared).first;
    m_byId.Insert(&*entry);
    SenderQueue& mine = m_bySender[sender];
    mine.insert(NonceAt(mine, tx.nonce), entry);
    return Status::Ok();
}

Mempool::SenderQueue::const_iterator
Mempool::NonceAt(const SenderQueue& queue, uint64_t nonce)
{
    return std::lower_bound(queue.begin(), queue.end(), nonce,
                            [](const Entry& e, uint64_t n) { return (*e)->Tx().nonce < n; });
}

void
Mempool::Unindex(Entry gone)
{
    m_bytes -= (*gone)->Tx().payload.size();
    m_byId.Erase((*gone)->Id());
    m_byFee.erase(gone);
}

void
Mempool::Erase(BySender::iterator sender, SenderQueue::const_iterator at)
{
    SenderQueue& queue = sender->second;
    Unindex(*at);
    queue.erase(at);
    if (queue.empty())
    {
        m_bySender.erase(sender);
    }
}

void
Mempool::EraseEntry(const TxPtr& tx)
{
    const BySender::iterator sender = m_bySender.find(tx->Sender());
    Erase(sender, NonceAt(sender->second, tx->Tx().nonce));
}

void
Mempool::RemoveApplied(const LedgerState& state)
{
    for (auto sit = m_bySender.begin(); sit != m_bySender.end();)
    {
        SenderQueue& queue = sit->second;
        const auto applied = NonceAt(queue, state.NonceOf(sit->first));
        std::for_each(queue.cbegin(), applied, [this](Entry gone) { Unindex(gone); });
        queue.erase(queue.cbegin(), applied);
        sit = queue.empty() ? m_bySender.erase(sit) : std::next(sit);
    }
}

void
Mempool::RemoveStaleCzc(const Hash256& czc)
{
    std::vector<TxPtr> stale;
    for (const TxPtr& entry : m_byFee)
    {
        if (entry->Tx().czcHash != czc)
        {
            stale.push_back(entry);
        }
    }
    for (const TxPtr& tx : stale)
    {
        EraseEntry(tx);
    }
}

std::vector<Transaction>
Mempool::Select(LedgerState& state, const TxContext& ctx, uint32_t maxTxs, std::size_t maxBytes,
                const std::set<Address>* exclude) const
{
    // A heap of each sender's next eligible transaction, best fee on top.
    struct Head
    {
        const SenderQueue* queue;
        SenderQueue::const_iterator at;
        const TxPtr& Tx() const { return **at; }
    };
    auto worse = [](const Head& a, const Head& b) { return FeeOrder()(b.Tx(), a.Tx()); };
    std::priority_queue<Head, std::vector<Head>, decltype(worse)> heads(worse);
    for (const auto& [sender, queue] : m_bySender)
    {
        if (exclude && exclude->count(sender))
        {
            continue;
        }
        const uint64_t nonce = state.NonceOf(sender);
        auto at = NonceAt(queue, nonce);
        if (at != queue.end() && (**at)->Tx().nonce == nonce)
        {
            heads.push({&queue, at});
        }
    }
    std::vector<Transaction> out;
    std::size_t bytes = 0;
    while (!heads.empty() && out.size() < maxTxs)
    {
        Head h = heads.top();
        heads.pop();
        const Transaction& tx = h.Tx()->Tx();
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
        auto next = std::next(h.at);
        if (next != h.queue->end() && (**next)->Tx().nonce == tx.nonce + 1)
        {
            heads.push({h.queue, next});
        }
    }
    return out;
}

const Transaction*
Mempool::Find(const Hash256& id) const
{
    const TxPtr* entry = m_byId.Find(id);
    return entry ? &(*entry)->Tx() : nullptr;
}

TxPtr
Mempool::FindShared(const Hash256& id) const
{
    const TxPtr* entry = m_byId.Find(id);
    return entry ? *entry : nullptr;
}

std::size_t
Mempool::PendingFrom(const Address& sender) const
{
    auto it = m_bySender.find(sender);
    return it == m_bySender.end() ? 0 : it->second.size();
}

Status
Mempool::CheckInvariants() const
{
    std::size_t queued = 0;
    std::size_t bytes = 0;
    for (const auto& [sender, queue] : m_bySender)
    {
        if (queue.empty())
        {
            return Status::Invalid("an empty sender queue is kept");
        }
        for (auto at = queue.begin(); at != queue.end(); ++at)
        {
            const TxPtr& tx = **at;
            const bool ascending =
                at == queue.begin() || (**std::prev(at))->Tx().nonce < tx->Tx().nonce;
            if (tx->Sender() != sender || !ascending || m_byId.Find(tx->Id()) != &**at)
            {
                return Status::Invalid("entry " + ShortHex(tx->Id()) + " misplaced");
            }
            bytes += tx->Tx().payload.size();
        }
        queued += queue.size();
    }
    if (queued != m_byFee.size() || m_byId.Size() != m_byFee.size() || bytes != m_bytes)
    {
        return Status::Invalid("structures disagree: " + std::to_string(m_byFee.size()) +
                               " by fee, " + std::to_string(queued) + " queued, " +
                               std::to_string(m_byId.Size()) + " by id");
    }
    return Status::Ok();
}

} // namespace canon
