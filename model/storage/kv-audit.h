// The on-chain side of the audited key-value store (paper 3.5.2: "recording the user behavior
// in the chain to maintain the irreversibility of the database data"): a store writes in
// batches, and the hash of each batch, chained to the previous one, goes on chain in a
// kKvAudit transaction. The database itself (LevelDB) is in kv/audited-kv.h; this header has no
// database in it, so the ledger can hold the state.
//
// Batch hash: BLAKE2b-256 of (domain tag, store id, sequence number, previous batch hash, the
// batch's canonical encoding); batch 1's previous hash is zero. So the chain of hashes commits
// to every write in order, and changing any batch changes its hash and every later one.
//
// KvAuditState, in the ledger: per store, its owner (the sender of its first audit), the head
// (sequence and hash) and every batch hash by sequence, in persistent maps (O(log n) per
// audit). Rules: a store's first audit makes the sender its owner; every later audit comes from
// the owner; sequences only increase. They may skip: a mempool checks a transaction against
// the best state, where the owner's earlier audits may still be pending, so "head plus one"
// would refuse every audit sent before the previous one is in a block. The owner's nonces keep
// its audits in order; a batch the owner never sent is one the audit reports as not on chain.
#ifndef CANONSIM_STORAGE_KV_AUDIT_H
#define CANONSIM_STORAGE_KV_AUDIT_H

#include "model/chain/transaction.h"
#include "model/core/persistent-map.h"

#include <string>
#include <vector>

namespace canon
{

// Bounds of one batch: keys and values are small records, a batch a few thousand writes.
constexpr std::size_t kKvKeyBytesMax = 1024;
constexpr std::size_t kKvValueBytesMax = 64 * 1024;
constexpr uint32_t kKvBatchOpsMax = 65536;

struct KvOp
{
    bool erase = false;
    std::string key;
    std::string value; // empty for an erase
};

struct KvBatch
{
    std::vector<KvOp> ops;

    Bytes Encode() const;
    static Result<KvBatch> Decode(const Bytes& b);
};

Hash256 ChainBatchHash(const Hash256& store, uint64_t seq, const Hash256& previous,
                       const Bytes& encodedBatch);

struct KvAuditPayload
{
    Hash256 store{};
    uint64_t seq = 0;
    Hash256 batchHash{};

    Bytes Encode() const;
    static Result<KvAuditPayload> Decode(const Bytes& payload);
};

struct KvStoreHead
{
    Address owner{};
    uint64_t seq = 0;
    Hash256 hash{};
};

struct KvAuditState
{
    PersistentMap<Hash256, KvStoreHead> heads;
    PersistentMap<std::pair<Hash256, uint64_t>, Hash256> batches;

    // The hash the chain holds for batch `seq` of `store`; nullptr if none.
    const Hash256* BatchHash(const Hash256& store, uint64_t seq) const
    {
        return batches.Find({store, seq});
    }
};

Status CheckKvAuditTx(const KvAuditState& state, const Transaction& tx);
void RecordKvAuditTx(KvAuditState& state, const Transaction& tx, uint64_t height);

} // namespace canon

#endif
