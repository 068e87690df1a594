// AccessState: the on-chain records of data ownership and access grants (paper 3.4,
// PROTOCOL.md 5), one member of LedgerState.
//
// Streams and grants live in persistent maps (model/core/persistent-map.h), so a ledger state
// copy stays O(1) and a block that records one grant copies O(log n) nodes. Records are never
// removed: a grant and its revocation are public and irreversible (paper 3.4), so a revoked
// grant stays as a record with the height that revoked it, and a later grant of the same stream
// to the same grantee replaces it (a new record, a new height).
//
// Rules (checked by CheckAccessTx, applied by RecordAccessTx):
//   - register: the stream id (hash of the digest) is not registered yet; the sender owns it;
//   - grant: the stream exists, the sender owns it, the grantee is not the owner;
//   - revoke: the stream exists, the sender owns it, and the grantee holds a live grant.
// Invariant: every grant's stream is registered.
#ifndef CANONSIM_DATA_ACCESS_STATE_H
#define CANONSIM_DATA_ACCESS_STATE_H

#include "model/chain/transaction.h"
#include "model/core/persistent-map.h"
#include "model/data/access-payloads.h"

#include <utility>

namespace canon
{

struct StreamRecord
{
    Address owner{};
    Hash256 digest{};
    uint64_t height = 0; // the block that registered it
};

struct GrantRecord
{
    PublicKey grantee{};
    uint32_t keyVersion = 0;
    SealedKey sealedKey{};
    uint64_t grantedHeight = 0;
    uint64_t revokedHeight = 0; // 0: live

    bool Live() const { return revokedHeight == 0; }
};

using GrantId = std::pair<Hash256, Address>; // (stream, grantee address)

struct AccessState
{
    PersistentMap<Hash256, StreamRecord> streams;
    PersistentMap<GrantId, GrantRecord> grants;

    const StreamRecord* FindStream(const Hash256& stream) const { return streams.Find(stream); }
    const GrantRecord* FindGrant(const Hash256& stream, const Address& grantee) const
    {
        return grants.Find(GrantId{stream, grantee});
    }
};

inline bool
IsAccessTx(TxType type)
{
    return type == TxType::kDataRegister || type == TxType::kDataGrant ||
           type == TxType::kDataRevoke;
}

// The type's rules for `tx` (an access transaction) on `state`, without applying it.
Status CheckAccessTx(const AccessState& state, const Transaction& tx);
// Applies `tx`, which CheckAccessTx accepted on this state, carried by the block at `height`.
void RecordAccessTx(AccessState& state, const Transaction& tx, uint64_t height);

} // namespace canon

#endif
