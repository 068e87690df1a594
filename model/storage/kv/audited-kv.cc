#include "model/storage/kv/audited-kv.h"

#include <leveldb/db.h>
#include <leveldb/write_batch.h>

#include <map>
#include <set>

namespace canon
{

namespace
{

const char kDataPrefix[] = "d/";
const char kLogPrefix[] = "l/";
const char kHeadKey[] = "h";

std::string
LogKey(uint64_t seq)
{
    std::string k = kLogPrefix;
    for (int shift = 56; shift >= 0; shift -= 8)
    {
        k.push_back(static_cast<char>((seq >> shift) & 0xff));
    }
    return k;
}

Status
FromLevelDb(const leveldb::Status& s, const std::string& path, const std::string& what)
{
    return s.ok() ? Status::Ok()
                  : Status(StatusCode::kIoError, path + ": " + what + ": " + s.ToString());
}

Result<std::unique_ptr<leveldb::DB>>
OpenDb(const std::string& path)
{
    leveldb::Options options;
    options.create_if_missing = true;
    leveldb::DB* raw = nullptr;
    leveldb::Status s = leveldb::DB::Open(options, path, &raw);
    if (!s.ok())
    {
        return FromLevelDb(s, path, "cannot open the key-value database");
    }
    return std::unique_ptr<leveldb::DB>(raw);
}

// Replays `batch` into `expected`, noting which batch last wrote each key.
void
Replay(const KvBatch& batch, uint64_t seq, std::map<std::string, std::string>& expected,
       std::map<std::string, uint64_t>& lastWriter)
{
    for (const KvOp& op : batch.ops)
    {
        lastWriter[op.key] = seq;
        if (op.erase)
        {
            expected.erase(op.key);
        }
        else
        {
            expected[op.key] = op.value;
        }
    }
}

KvAuditReport
Bad(uint64_t seq, uint64_t checked, std::string reason)
{
    return KvAuditReport{false, checked, seq, std::move(reason)};
}

} // namespace

AuditedKvStore::AuditedKvStore(std::unique_ptr<leveldb::DB> db, std::string path,
                               const Hash256& store)
  : m_db(std::move(db))
  , m_path(std::move(path))
  , m_store(store)
{
}

AuditedKvStore::~AuditedKvStore() = default;

Result<std::unique_ptr<AuditedKvStore>>
AuditedKvStore::Open(const std::string& path, const Hash256& store)
{
    auto db = OpenDb(path);
    if (!db.IsOk())
    {
        return db.GetStatus();
    }
    std::unique_ptr<AuditedKvStore> s(new AuditedKvStore(std::move(db).Value(), path, store));
    if (Status st = s->LoadHead(); !st.IsOk())
    {
        return st;
    }
    return s;
}

Status
AuditedKvStore::LoadHead()
{
    std::string head;
    leveldb::Status s = m_db->Get(leveldb::ReadOptions(), kHeadKey, &head);
    if (s.IsNotFound())
    {
        return Status::Ok();
    }
    if (!s.ok())
    {
        return FromLevelDb(s, m_path, "cannot read the head");
    }
    Reader r(reinterpret_cast<const uint8_t*>(head.data()), head.size(), "key-value head");
    m_headSeq = r.U64("sequence");
    m_headHash = r.Fixed<32>("hash");
    const Hash256 store = r.Fixed<32>("store");
    if (Status st = r.Finish(); !st.IsOk())
    {
        return Status(st.Code(), m_path + ": " + st.Message());
    }
    if (store != m_store)
    {
        return Status::Invalid(m_path + ": the database belongs to store " + ShortHex(store));
    }
    return Status::Ok();
}

Status
AuditedKvStore::Put(const std::string& key, const std::string& value)
{
    if (key.size() > kKvKeyBytesMax || value.size() > kKvValueBytesMax)
    {
        return Status(StatusCode::kResourceLimit, "key of " + std::to_string(key.size()) +
                                                      " or value of " +
                                                      std::to_string(value.size()) + " bytes");
    }
    if (m_pending.ops.size() >= kKvBatchOpsMax)
    {
        return Status(StatusCode::kResourceLimit, "batch full: commit first");
    }
    m_pending.ops.push_back(KvOp{false, key, value});
    return Status::Ok();
}

Status
AuditedKvStore::Erase(const std::string& key)
{
    if (key.size() > kKvKeyBytesMax || m_pending.ops.size() >= kKvBatchOpsMax)
    {
        return Status(StatusCode::kResourceLimit, "key too long or batch full");
    }
    m_pending.ops.push_back(KvOp{true, key, ""});
    return Status::Ok();
}

Result<KvCommit>
AuditedKvStore::Commit()
{
    if (m_pending.ops.empty())
    {
        return Status::Invalid("nothing to commit");
    }
    const Bytes encoded = m_pending.Encode();
    const uint64_t seq = m_headSeq + 1;
    const Hash256 hash = ChainBatchHash(m_store, seq, m_headHash, encoded);
    leveldb::WriteBatch wb;
    for (const KvOp& op : m_pending.ops)
    {
        if (op.erase)
        {
            wb.Delete(kDataPrefix + op.key);
        }
        else
        {
            wb.Put(kDataPrefix + op.key, op.value);
        }
    }
    wb.Put(LogKey(seq),
           leveldb::Slice(reinterpret_cast<const char*>(encoded.data()), encoded.size()));
    Bytes head;
    Writer w(head);
    w.U64(seq);
    w.Fixed(hash);
    w.Fixed(m_store);
    wb.Put(kHeadKey, leveldb::Slice(reinterpret_cast<const char*>(head.data()), head.size()));
    if (Status s = FromLevelDb(m_db->Write(leveldb::WriteOptions(), &wb), m_path,
                               "cannot write batch " + std::to_string(seq));
        !s.IsOk())
    {
        return s;
    }
    KvCommit c{seq, hash, m_pending.ops.size()};
    m_pending.ops.clear();
    m_headSeq = seq;
    m_headHash = hash;
    return c;
}

Result<std::optional<std::string>>
AuditedKvStore::Get(const std::string& key) const
{
    std::string value;
    leveldb::Status s = m_db->Get(leveldb::ReadOptions(), kDataPrefix + key, &value);
    if (s.IsNotFound())
    {
        return std::optional<std::string>{};
    }
    if (!s.ok())
    {
        return FromLevelDb(s, m_path, "cannot read key");
    }
    return std::optional<std::string>(std::move(value));
}

std::optional<KvAuditReport>
AuditedKvStore::ReplayLog(const ChainBatchLookup& chain, KvReplay& replay) const
{
    Hash256 previous{};
    for (uint64_t seq = 1; seq <= m_headSeq; ++seq)
    {
        std::string logged;
        if (!m_db->Get(leveldb::ReadOptions(), LogKey(seq), &logged).ok())
        {
            return Bad(seq, seq - 1, "the log has no batch " + std::to_string(seq));
        }
        const Bytes bytes(logged.begin(), logged.end());
        const Hash256 hash = ChainBatchHash(m_store, seq, previous, bytes);
        const auto onChain = chain(seq);
        if (!onChain)
        {
            return Bad(seq, seq - 1, "batch " + std::to_string(seq) + " is not on chain");
        }
        if (*onChain != hash)
        {
            return Bad(seq, seq - 1,
                       "batch " + std::to_string(seq) + " hashes to " + ShortHex(hash) +
                           ", the chain holds " + ShortHex(*onChain));
        }
        auto batch = KvBatch::Decode(bytes);
        if (!batch.IsOk())
        {
            return Bad(seq, seq - 1, batch.GetStatus().ToString());
        }
        Replay(batch.Value(), seq, replay.expected, replay.lastWriter);
        previous = hash;
    }
    return std::nullopt;
}

std::optional<KvAuditReport>
AuditedKvStore::CompareData(KvReplay& replay) const
{
    std::optional<std::pair<uint64_t, std::string>> first;
    auto note = [&first](uint64_t seq, std::string why)
    {
        if (!first || seq < first->first)
        {
            first = std::make_pair(seq, std::move(why));
        }
    };
    auto& writer = replay.lastWriter;
    std::unique_ptr<leveldb::Iterator> it(m_db->NewIterator(leveldb::ReadOptions()));
    std::set<std::string> seen;
    for (it->Seek(kDataPrefix); it->Valid() && it->key().starts_with(kDataPrefix); it->Next())
    {
        std::string key = it->key().ToString().substr(2);
        auto e = replay.expected.find(key);
        if (e == replay.expected.end())
        {
            note(writer.count(key) ? writer[key] : 0,
                 "key '" + key + "' is in the database but no batch left it there");
        }
        else if (e->second != it->value().ToString())
        {
            note(writer[key], "key '" + key + "' differs from what batch " +
                                  std::to_string(writer[key]) + " wrote");
        }
        seen.insert(std::move(key));
    }
    for (const auto& kv : replay.expected)
    {
        if (!seen.count(kv.first))
        {
            note(writer[kv.first], "key '" + kv.first + "' written by batch " +
                                       std::to_string(writer[kv.first]) + " is missing");
        }
    }
    if (first)
    {
        return Bad(first->first, m_headSeq, first->second);
    }
    return std::nullopt;
}

KvAuditReport
AuditedKvStore::Audit(const ChainBatchLookup& chain) const
{
    KvReplay replay;
    if (auto bad = ReplayLog(chain, replay))
    {
        return *bad;
    }
    // The data must be what the batches wrote: the first batch whose effect is gone.
    if (auto bad = CompareData(replay))
    {
        return *bad;
    }
    return KvAuditReport{true, m_headSeq, 0, ""};
}

Status
TamperKvValue(const std::string& path, const std::string& key, const std::string& value)
{
    auto db = OpenDb(path);
    if (!db.IsOk())
    {
        return db.GetStatus();
    }
    return FromLevelDb(db.Value()->Put(leveldb::WriteOptions(), kDataPrefix + key, value), path,
                       "cannot write key");
}

} // namespace canon
