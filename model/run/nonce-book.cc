#include "model/run/nonce-book.h"

#include "model/node/mempool.h"

namespace canon
{

NonceBook::Entry&
NonceBook::Sync(const Address& key, const ConsensusChain& chain, TimeNs now)
{
    const uint64_t confirmed = chain.BestState().NonceOf(key);
    auto [it, added] = m_entries.try_emplace(key);
    Entry& e = it->second;
    if (added || confirmed != e.chainNonce)
    {
        e.chainNonce = confirmed;
        e.since = now;
    }
    const bool gap = e.next > confirmed && now - e.since > kNonceBookResync;
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
NonceBook::Take(const Address& key, const ConsensusChain& chain, TimeNs now)
{
    return Sync(key, chain, now).next++;
}

uint64_t
NonceBook::Peek(const Address& key, const ConsensusChain& chain, TimeNs now)
{
    return Sync(key, chain, now).next;
}

} // namespace canon
