// NonceBook: one nonce counter per signing key for every submitter of a run that signs with the
// node keys (genesis.nodeKeys): the CZR loop's claims (czr-loop.h), the governance feature's
// proposals, votes, test reports, signals and freezes (governance-feature.h), and the channels
// feature's funding transfers (channels-feature.h). Each used to count on its own, so two of them
// signing with one key handed out one nonce twice and the mempool or the ledger refused the
// second transaction (a nonce already pending, a stale nonce).
//
// Take(key, node, now) gives the key's next nonce and counts it. The counter follows the best
// chain and mempool of the node the transaction goes through:
//   - behind that state's nonce for the key (its transactions were included, or sent elsewhere):
//     it counts on from the state's nonce;
//   - kMempoolNonceAheadMax / 2 or more ahead of it (mempools would refuse): from the state's;
//   - ahead of it by more than the node's mempool holds of the key, while the state's nonce has
//     not moved for kNonceBookResync since the counter last caught up with it or saw it move: a
//     transaction of the key never made it (refused, or lost with a crashed node) and left a gap
//     that holds every later one back, so it counts again from the state's nonce (the next
//     transaction fills the gap). Transactions that only wait (full blocks) are not a gap;
//   - the chain's CZC hash changed (CZC governance adopted a new one, issue 18): what the key
//     signed under the old hash can never be included (nodes drop it from their mempools), so it
//     counts from the state's nonce.
// Without lost transactions the nonces are exactly consecutive, as a per-submitter counter's were.
//
// Ownership: the run driver owns the book and hands it (by reference) to the submitters it
// makes; it outlives the host's run. State: one entry per key that signed, so at most the run's
// node keys. Single-threaded (the host's).
#ifndef CANONSIM_RUN_NONCE_BOOK_H
#define CANONSIM_RUN_NONCE_BOOK_H

#include "model/node/node.h"

#include <map>

namespace canon
{

// How long a key's counter may stay ahead of a chain whose nonce for it does not move before it
// counts again from the chain's: longer than a transaction takes to be included in a
// well-running chain (a few slots), short enough that a lost transaction costs a few seconds.
constexpr TimeNs kNonceBookResync = 20 * kSecond;

class NonceBook
{
  public:
    // The next nonce of `key` for a transaction through `node` at `now`, counted (see the top of
    // this file).
    uint64_t Take(const Address& key, const Node& node, TimeNs now);
    // Keys the book counts for.
    std::size_t Keys() const { return m_entries.size(); }

  private:
    struct Entry
    {
        uint64_t next = 0;
        uint64_t chainNonce = 0; // the state's nonce when last seen
        Hash256 czc{};           // the chain's CZC hash (NextCzc) when last seen
        TimeNs since = 0;        // when the counter last caught up with it or saw it move
    };
    // Brings the key's entry up to the node's view at `now`.
    Entry& Sync(const Address& key, const Node& node, TimeNs now);

    std::map<Address, Entry> m_entries;
};

} // namespace canon

#endif
