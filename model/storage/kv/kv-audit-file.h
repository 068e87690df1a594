// The chain side of an audit of an AuditedKvStore (paper 3.5.2) as a file, and the audit itself:
// what `canonsim audit` runs (scenarios/canonsim.cc) and `canonsim-data-kv demo` writes.
//
// File format (text): line 1 the store id (64 hex digits); then one "sequence,hash" line per
// batch hash the chain holds (sequence a decimal integer >= 1, hash 64 hex digits), as the
// irreversible chain's kKvAudit records have them. Reading rejects a missing or bad id, a line
// without a comma, a sequence that is not a positive integer, a hash that is not 64 hex digits,
// and a sequence given twice, each naming the file and the line.
#ifndef CANONSIM_STORAGE_KV_KV_AUDIT_FILE_H
#define CANONSIM_STORAGE_KV_KV_AUDIT_FILE_H

#include "model/storage/kv/audited-kv.h"

#include <map>
#include <string>

namespace canon
{

struct KvChainFile
{
    Hash256 storeId{};
    std::map<uint64_t, Hash256> batches; // sequence to the hash the chain holds
};

Result<KvChainFile> ReadKvChainFile(const std::string& path);
Status WriteKvChainFile(const std::string& path, const KvChainFile& file);
// Opens the store at `dir` (an existing one) and audits it against `chain`.
Result<KvAuditReport> AuditKvStore(const std::string& dir, const KvChainFile& chain);

} // namespace canon

#endif
