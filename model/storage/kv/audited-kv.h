// AuditedKvStore: the NoSQL interface of paper 3.5.2, a real embedded key-value database
// (LevelDB) whose writes are recorded on chain so their history cannot be rewritten.
//
// Why LevelDB (Debian's libleveldb-dev) rather than RocksDB: one small library with a stable
// C++ API, an atomic WriteBatch, and nothing this store would use of RocksDB's column families,
// transactions or tuning; it is the database DESIGN.md already learns its Status style from.
//
// Writes are buffered (Put, Erase) and committed as one batch: one LevelDB WriteBatch holds the
// batch's writes under "d/<key>", the batch's canonical encoding in the log under
// "l/<sequence, big-endian>" and the new head ("h": sequence and hash), so a crash leaves either
// all of a batch or none of it. Commit returns the batch's chained hash (kv-audit.h), which
// the owner puts on chain in a kKvAudit transaction. Reads (Get) go straight to the database and
// see committed writes only: they stay local and never touch the chain.
//
// Audit replays the log: each batch's hash, recomputed from the logged bytes, must equal the
// hash the chain holds for that sequence, and the database's data must equal what the batches
// wrote. It names the first batch that does not match (a rewritten log entry, or a value edited
// behind the store's back: the batch that last wrote that key), or a key no batch wrote.
//
// Ownership: the store owns its database handle; one process opens a database at a time
// (LevelDB's lock). Single-threaded.
#ifndef CANONSIM_STORAGE_KV_AUDITED_KV_H
#define CANONSIM_STORAGE_KV_AUDITED_KV_H

#include "model/storage/kv-audit.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace leveldb
{
class DB;
}

namespace canon
{

struct KvCommit
{
    uint64_t seq = 0;
    Hash256 hash{};
    std::size_t ops = 0;
};

// What an audit found. ok: every batch matched; otherwise firstBadBatch (0: a key no batch
// wrote) and the reason.
struct KvAuditReport
{
    bool ok = true;
    uint64_t batchesChecked = 0;
    uint64_t firstBadBatch = 0;
    std::string reason;
};

// The hash the chain holds for batch `seq`, if any.
using ChainBatchLookup = std::function<std::optional<Hash256>(uint64_t seq)>;

class AuditedKvStore
{
  public:
    // Opens (creating if absent) the database at `path` for store `store`.
    static Result<std::unique_ptr<AuditedKvStore>> Open(const std::string& path,
                                                        const Hash256& store);
    ~AuditedKvStore();
    AuditedKvStore(const AuditedKvStore&) = delete;
    AuditedKvStore& operator=(const AuditedKvStore&) = delete;

    const Hash256& StoreId() const { return m_store; }
    // Buffered until Commit; a batch holds at most kKvBatchOpsMax writes.
    Status Put(const std::string& key, const std::string& value);
    Status Erase(const std::string& key);
    std::size_t Pending() const { return m_pending.ops.size(); }
    // Writes the pending batch atomically; nothing to commit is an error.
    Result<KvCommit> Commit();
    // The committed value; nullopt when absent.
    Result<std::optional<std::string>> Get(const std::string& key) const;
    uint64_t HeadSeq() const { return m_headSeq; }
    const Hash256& HeadHash() const { return m_headHash; }

    KvAuditReport Audit(const ChainBatchLookup& chain) const;

  private:
    // What the log's batches, replayed in order, leave: the value of every key, and which
    // batch last wrote it.
    struct KvReplay
    {
        std::map<std::string, std::string> expected;
        std::map<std::string, uint64_t> lastWriter;
    };
    AuditedKvStore(std::unique_ptr<leveldb::DB> db, std::string path, const Hash256& store);
    Status LoadHead();
    // The first batch whose logged bytes do not hash to the chain's hash; nullopt if none.
    std::optional<KvAuditReport> ReplayLog(const ChainBatchLookup& chain, KvReplay& replay) const;
    // The first batch whose writes the database no longer holds; nullopt if none.
    std::optional<KvAuditReport> CompareData(KvReplay& replay) const;

    std::unique_ptr<leveldb::DB> m_db;
    std::string m_path;
    Hash256 m_store;
    KvBatch m_pending;
    uint64_t m_headSeq = 0;
    Hash256 m_headHash{};
};

// Raw access to the database behind a store, for tests and the audit command's demonstration
// of tampering: sets "d/<key>" to `value` without a batch, as a process editing the files
// would.
Status TamperKvValue(const std::string& path, const std::string& key, const std::string& value);

} // namespace canon

#endif
