// canonsim-data-kv: the audited key-value store (model/storage/kv/audited-kv.h) from the
// command line.
//   canonsim-data-kv demo --db DIR --chain FILE [--batches N] [--seed N]
//       writes N batches of 100 writes into a new store at DIR, one a second, and puts each
//       batch's hash on chain (kKvAudit transactions in a harness run: 8 nodes, 4 PoP
//       producers); then writes the batch hashes the chain holds as irreversible to FILE
//       (first line: the store id; then "sequence,hash" lines, hex)
//   (the audit of a store against FILE is `canonsim audit --db DIR --chain FILE`)
//   canonsim-data-kv tamper --db DIR --key K --value V
//       edits a value in the database behind the store's back
//   canonsim-data-kv bench --db DIR [--ops N]
//       writes and reads per second, LevelDB alone and through the audited store
#include "model/chain/ledger-state.h"
#include "model/core/rng.h"
#include "model/data/data-service.h"
#include "model/sim/harness.h"
#include "model/storage/kv/audited-kv.h"
#include "model/storage/kv/kv-audit-file.h"

#include <leveldb/db.h>
#include <leveldb/write_batch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

namespace
{

using namespace canon;

[[noreturn]] void
Fail(const std::string& why, int code = 2)
{
    std::fprintf(stderr, "canonsim-data-kv: %s\n", why.c_str());
    std::exit(code);
}

std::string
Arg(const std::map<std::string, std::string>& args, const std::string& name)
{
    auto it = args.find(name);
    if (it == args.end())
    {
        Fail("--" + name + " is required");
    }
    return it->second;
}

uint64_t
Count(const std::map<std::string, std::string>& args, const std::string& name, uint64_t dflt,
      uint64_t hi)
{
    auto it = args.find(name);
    if (it == args.end())
    {
        return dflt;
    }
    char* end = nullptr;
    const unsigned long long v = std::strtoull(it->second.c_str(), &end, 10);
    if (it->second.empty() || *end || it->second[0] == '-' || v < 1 || v > hi)
    {
        Fail("--" + name + " needs an integer in [1, " + std::to_string(hi) + "], got '" +
             it->second + "'");
    }
    return v;
}

std::unique_ptr<AuditedKvStore>
OpenStore(const std::string& dir, const Hash256& id)
{
    auto s = AuditedKvStore::Open(dir, id);
    if (!s.IsOk())
    {
        Fail(s.GetStatus().ToString(), 1);
    }
    return std::move(s).Value();
}

void
CommitBatch(AuditedKvStore& store, Rng& rng, Harness& h, uint64_t nonce)
{
    for (int i = 0; i < 100; ++i)
    {
        (void) store.Put("sensor/" + std::to_string(rng.Below(1000)),
                         std::to_string(rng.Below(1000000)));
    }
    auto c = store.Commit();
    if (!c.IsOk())
    {
        Fail(c.GetStatus().ToString(), 1);
    }
    const KeyPair owner = DeriveKeyPair(h.Config().seed, "account", 0);
    h.SubmitTransaction(
        1,
        MakeTransaction(owner, TxType::kKvAudit, nonce, 10, h.Params().czc.front().czcHash,
                        KvAuditPayload{store.StoreId(), c.Value().seq, c.Value().hash}.Encode()));
}

int
Demo(const std::map<std::string, std::string>& args)
{
    const std::string dir = Arg(args, "db"), chainPath = Arg(args, "chain");
    const uint64_t batches = Count(args, "batches", 20, 10000);
    if (std::filesystem::exists(dir))
    {
        Fail(dir + " exists: demo makes a new store");
    }
    HarnessConfig c;
    c.seed = Count(args, "seed", 1, UINT64_MAX);
    c.nodeCount = 8;
    c.producerCount = 4;
    c.txPerSecond = 0;
    Harness h(c);
    const Hash256 id = Blake2b256("kv-store/" + std::to_string(c.seed));
    auto store = OpenStore(dir, id);
    Rng rng = Rng::Derive(c.seed, "kv-demo");
    for (uint64_t b = 0; b < batches; ++b)
    {
        h.RunUntil(static_cast<TimeNs>(b + 1) * kSecond);
        CommitBatch(*store, rng, h, b);
    }
    h.RunUntil(static_cast<TimeNs>(batches + 20) * kSecond);
    const LedgerState& irreversible = IrreversibleState(h.GetNode(0)->Chain());
    KvChainFile file;
    file.storeId = id;
    uint64_t onChain = 0;
    for (uint64_t seq = 1; const Hash256* hash = irreversible.Data().audits.BatchHash(id, seq);
         ++seq, ++onChain)
    {
        file.batches[seq] = *hash;
    }
    Status written = WriteKvChainFile(chainPath, file);
    if (!written.IsOk())
    {
        Fail(written.Message(), 1);
    }
    std::printf("store %s: %llu batches written, %llu irreversible on chain, written to %s\n",
                ShortHex(id).c_str(), static_cast<unsigned long long>(batches),
                static_cast<unsigned long long>(onChain), chainPath.c_str());
    return 0;
}

double
PerSecond(uint64_t n, std::chrono::steady_clock::time_point start)
{
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return static_cast<double>(n) / s;
}

int
Bench(const std::map<std::string, std::string>& args)
{
    const std::string dir = Arg(args, "db");
    const uint64_t ops = Count(args, "ops", 200000, 100000000);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    leveldb::Options options;
    options.create_if_missing = true;
    leveldb::DB* raw = nullptr;
    if (!leveldb::DB::Open(options, dir + "/plain", &raw).ok())
    {
        Fail("cannot open " + dir + "/plain", 1);
    }
    std::unique_ptr<leveldb::DB> plain(raw);
    auto store = OpenStore(dir + "/audited", Blake2b256(std::string("bench")));
    const auto key = [](uint64_t i) { return "k" + std::to_string(i * 7919 % 1000003); };
    auto t = std::chrono::steady_clock::now();
    for (uint64_t i = 0; i < ops; i += 100)
    {
        leveldb::WriteBatch wb;
        for (uint64_t j = i; j < i + 100; ++j)
        {
            wb.Put("d/" + key(j), "value-" + std::to_string(j));
        }
        (void) plain->Write(leveldb::WriteOptions(), &wb);
    }
    const double plainWrites = PerSecond(ops, t);
    t = std::chrono::steady_clock::now();
    for (uint64_t i = 0; i < ops; i += 100)
    {
        for (uint64_t j = i; j < i + 100; ++j)
        {
            (void) store->Put(key(j), "value-" + std::to_string(j));
        }
        (void) store->Commit();
    }
    const double auditedWrites = PerSecond(ops, t);
    std::string v;
    t = std::chrono::steady_clock::now();
    for (uint64_t i = 0; i < ops; ++i)
    {
        (void) plain->Get(leveldb::ReadOptions(), "d/" + key(i * 31 % ops), &v);
    }
    const double plainReads = PerSecond(ops, t);
    t = std::chrono::steady_clock::now();
    for (uint64_t i = 0; i < ops; ++i)
    {
        (void) store->Get(key(i * 31 % ops));
    }
    const double auditedReads = PerSecond(ops, t);
    std::printf("ops,plain_writes_per_s,audited_writes_per_s,plain_reads_per_s,"
                "audited_reads_per_s\n%llu,%.0f,%.0f,%.0f,%.0f\n",
                static_cast<unsigned long long>(ops), plainWrites, auditedWrites, plainReads,
                auditedReads);
    return 0;
}

} // namespace

int
main(int argc, char** argv)
{
    if (argc < 2)
    {
        Fail("usage: canonsim-data-kv demo|tamper|bench --db DIR [options]");
    }
    const std::string command = argv[1];
    std::map<std::string, std::string> args;
    for (int i = 2; i < argc; i += 2)
    {
        const std::string flag = argv[i];
        if (flag.rfind("--", 0) != 0 || i + 1 >= argc)
        {
            Fail("expected '--name value', got '" + flag + "'");
        }
        args[flag.substr(2)] = argv[i + 1];
    }
    if (command == "demo")
    {
        return Demo(args);
    }
    if (command == "audit")
    {
        Fail("the audit is `canonsim audit --db DIR --chain FILE`");
    }
    if (command == "tamper")
    {
        Status s = TamperKvValue(Arg(args, "db"), Arg(args, "key"), Arg(args, "value"));
        if (!s.IsOk())
        {
            Fail(s.ToString(), 1);
        }
        return 0;
    }
    if (command == "bench")
    {
        return Bench(args);
    }
    Fail("unknown command '" + command + "' (demo, audit, tamper, bench)");
}
