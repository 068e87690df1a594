#include "model/run/nonce-book.h"

namespace canon
{

NonceBook::Entry&
NonceBook::Sync(const Address& key, const Node& node, TimeNs now)
{
    const ConsensusChain& chain = node.Chain();
    const uint64_t confirmed = chain.BestState().NonceOf(key);
    auto [it, added] = m_entries.try_emplace(key);
    Entry& e = it->second;
    if (added || confirmed != e.chainNonce)
    {
        e.chainNonce = confirmed;
        e.since = now;
    }
    const bool gap = e.next > confirmed && node.Pool().PendingFrom(key) < e.next - confirmed &&
                     now - e.since > kNonceBookResync;
    const Hash256 czc = chain.NextCzc();
    const bool newCzc = !added && czc != e.czc;
    e.czc = czc;
    if (e.next < confirmed || e.next >= confirmed + kMempoolNonceAheadMax / 2 || gap || newCzc)
    {
        e.next = confirmed;
    }
    if (e.next == confirmed)
    {
        e.since = now; // caught up: a transaction sent now starts the wait
    }
    return e;
}

uint64_t
NonceBook::Take(const Address& key, const Node& node, TimeNs now)
{
    return Sync(key, node, now).next++;
}

} // namespace canon
