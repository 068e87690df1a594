// The audited key-value store (paper 3.5.2): batches in LevelDB, their chained hashes on chain
// through kKvAudit transactions, and the audit that names the first batch that does not match:
// a value edited behind the store's back, or a rewritten log entry.
#include "model/chain/ledger-state.h"
#include "model/storage/kv/audited-kv.h"
#include "model/storage/kv/kv-audit-file.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

#include <leveldb/db.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

namespace canon
{
namespace
{

class KvAuditTest : public ::testing::Test
{
  protected:
    test::TestChain tc{4, 3};
    LedgerState state = LedgerState::FromGenesis(*tc.params);
    const KeyPair& owner = tc.accounts[0];
    Hash256 storeId = Blake2b256(std::string("store"));
    std::string dir;
    uint64_t nonce = 0;

    void SetUp() override
    {
        dir = (std::filesystem::temp_directory_path() /
               ("canonsim-kv-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                  .string();
        std::filesystem::remove_all(dir);
    }
    void TearDown() override { std::filesystem::remove_all(dir); }

    Transaction AuditTx(const KeyPair& k, uint64_t n, uint64_t seq, const Hash256& h) const
    {
        return MakeTransaction(k, TxType::kKvAudit, n, 1, tc.Czc(),
                               KvAuditPayload{storeId, seq, h}.Encode());
    }
    Status Apply(const Transaction& tx)
    {
        return state.ApplyTransaction(tx, test::Ctx(tc.Czc(), test::Key("fees").GetAddress()));
    }
    // Commits a batch and puts its hash on chain.
    KvCommit CommitOnChain(AuditedKvStore& s)
    {
        auto c = s.Commit();
        EXPECT_TRUE(c.IsOk());
        EXPECT_TRUE(Apply(AuditTx(owner, nonce++, c.Value().seq, c.Value().hash)).IsOk());
        return c.Value();
    }
    ChainBatchLookup Chain() const
    {
        return [this](uint64_t seq) -> std::optional<Hash256>
        {
            const Hash256* h = state.Data().audits.BatchHash(storeId, seq);
            return h ? std::optional<Hash256>(*h) : std::nullopt;
        };
    }
    std::unique_ptr<AuditedKvStore> Filled()
    {
        auto s = AuditedKvStore::Open(dir, storeId);
        EXPECT_TRUE(s.IsOk()) << s.GetStatus().ToString();
        auto store = std::move(s).Value();
        for (int b = 0; b < 5; ++b)
        {
            for (int i = 0; i < 10; ++i)
            {
                EXPECT_TRUE(
                    store->Put("k" + std::to_string(b * 10 + i), "v" + std::to_string(b)).IsOk());
            }
            if (b == 3)
            {
                EXPECT_TRUE(store->Erase("k0").IsOk());
            }
            CommitOnChain(*store);
        }
        return store;
    }
};

TEST_F(KvAuditTest, TheChainTakesEachStoresBatchesInIncreasingOrderFromItsOwnerOnly)
{
    const Hash256 h = Blake2b256(std::string("h"));
    EXPECT_NE(Apply(AuditTx(owner, 0, 0, h)).Message().find("is not after batch 0"),
              std::string::npos);
    ASSERT_TRUE(Apply(AuditTx(owner, 0, 1, h)).IsOk());
    EXPECT_NE(Apply(AuditTx(tc.accounts[1], 0, 2, h)).Message().find("is audited by"),
              std::string::npos);
    EXPECT_FALSE(Apply(AuditTx(owner, 1, 1, h)).IsOk()); // a batch cannot be replaced
    ASSERT_TRUE(Apply(AuditTx(owner, 1, 2, h)).IsOk());
    const KvStoreHead* head = state.Data().audits.heads.Find(storeId);
    ASSERT_NE(head, nullptr);
    EXPECT_EQ(head->seq, 2u);
    EXPECT_EQ(state.TotalSupply(), kTotalSupply);
}

TEST_F(KvAuditTest, ReadsSeeCommittedWritesAndTheHeadSurvivesReopening)
{
    auto store = Filled();
    EXPECT_EQ(store->Get("k12").Value(), std::optional<std::string>("v1"));
    EXPECT_FALSE(store->Get("k0").Value().has_value()); // erased in batch 4
    ASSERT_TRUE(store->Put("late", "x").IsOk());
    EXPECT_FALSE(store->Get("late").Value().has_value()); // not committed
    const Hash256 head = store->HeadHash();
    store.reset();
    auto reopened = AuditedKvStore::Open(dir, storeId);
    ASSERT_TRUE(reopened.IsOk());
    EXPECT_EQ(reopened.Value()->HeadSeq(), 5u);
    EXPECT_EQ(reopened.Value()->HeadHash(), head);
    EXPECT_FALSE(AuditedKvStore::Open(dir, Blake2b256(std::string("other"))).IsOk());
    EXPECT_FALSE(reopened.Value()->Commit().IsOk()); // nothing pending
}

TEST_F(KvAuditTest, AnUntouchedStorePassesItsAudit)
{
    auto store = Filled();
    const KvAuditReport r = store->Audit(Chain());
    EXPECT_TRUE(r.ok) << r.reason;
    EXPECT_EQ(r.batchesChecked, 5u);
}

TEST_F(KvAuditTest, AValueEditedBehindTheStoresBackNamesTheBatchThatWroteIt)
{
    Filled().reset(); // closed: another process may open the database
    ASSERT_TRUE(TamperKvValue(dir, "k25", "forged").IsOk());
    auto store = AuditedKvStore::Open(dir, storeId);
    ASSERT_TRUE(store.IsOk());
    EXPECT_EQ(store.Value()->Get("k25").Value(), std::optional<std::string>("forged"));
    const KvAuditReport r = store.Value()->Audit(Chain());
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.firstBadBatch, 3u); // k25 was written by batch 3
    EXPECT_NE(r.reason.find("'k25' differs"), std::string::npos) << r.reason;
}

TEST_F(KvAuditTest, ARewrittenLogEntryNamesItsBatchByHash)
{
    Filled().reset();
    {
        leveldb::DB* raw = nullptr;
        ASSERT_TRUE(leveldb::DB::Open(leveldb::Options(), dir, &raw).ok());
        std::unique_ptr<leveldb::DB> db(raw);
        KvBatch b;
        b.ops.push_back({false, "k20", "rewritten"});
        const Bytes enc = b.Encode();
        std::string key = "l/";
        key.append(7, '\0');
        key.push_back('\2'); // batch 2's log entry
        ASSERT_TRUE(
            db->Put(leveldb::WriteOptions(), key, std::string(enc.begin(), enc.end())).ok());
    }
    auto store = AuditedKvStore::Open(dir, storeId);
    ASSERT_TRUE(store.IsOk());
    const KvAuditReport r = store.Value()->Audit(Chain());
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.firstBadBatch, 2u);
    EXPECT_NE(r.reason.find("the chain holds"), std::string::npos) << r.reason;
}

TEST_F(KvAuditTest, ABatchNotYetOnChainIsReported)
{
    auto store = Filled();
    ASSERT_TRUE(store->Put("extra", "1").IsOk());
    ASSERT_TRUE(store->Commit().IsOk()); // batch 6, its audit transaction not sent
    const KvAuditReport r = store->Audit(Chain());
    EXPECT_EQ(r.firstBadBatch, 6u);
    EXPECT_NE(r.reason.find("not on chain"), std::string::npos);
}

TEST_F(KvAuditTest, AKeyNoBatchWroteIsReported)
{
    Filled().reset();
    ASSERT_TRUE(TamperKvValue(dir, "never-written", "x").IsOk());
    const KvAuditReport r = AuditedKvStore::Open(dir, storeId).Value()->Audit(Chain());
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.firstBadBatch, 0u);
    EXPECT_NE(r.reason.find("no batch left it there"), std::string::npos) << r.reason;
}

TEST_F(KvAuditTest, BatchesDecodeStrictly)
{
    KvBatch b;
    b.ops.push_back({false, "a", "1"});
    b.ops.push_back({true, "b", ""});
    EXPECT_EQ(KvBatch::Decode(b.Encode()).Value().Encode(), b.Encode());
    Bytes bad = b.Encode();
    bad[4] = 2; // op kind
    EXPECT_FALSE(KvBatch::Decode(bad).IsOk());
    KvBatch eraseWithValue;
    eraseWithValue.ops.push_back({true, "b", "v"});
    EXPECT_NE(KvBatch::Decode(eraseWithValue.Encode()).GetStatus().Message().find("erase carries"),
              std::string::npos);
}

// `canonsim audit` (scenarios/canonsim.cc): the chain's batch hashes as a file, the store
// audited against it; a value edited behind the store's back names its batch; bad input is exit
// 2 with a message naming the file and line.
struct CommandResult
{
    int code = -1;
    std::string out;
};

CommandResult
Canonsim(const std::string& args)
{
    CommandResult r;
    FILE* p = ::popen((std::string(CANONSIM_BINARY) + " " + args + " 2>&1").c_str(), "r");
    if (!p)
    {
        return r;
    }
    char buf[512];
    while (std::fgets(buf, sizeof buf, p))
    {
        r.out += buf;
    }
    const int status = ::pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

TEST_F(KvAuditTest, AuditCommandNamesTheFirstBadBatchAndRefusesBadInput)
{
    Filled().reset();
    KvChainFile chain;
    chain.storeId = storeId;
    for (uint64_t seq = 1; const Hash256* h = state.Data().audits.BatchHash(storeId, seq); ++seq)
    {
        chain.batches[seq] = *h;
    }
    ASSERT_EQ(chain.batches.size(), 5u);
    const std::string chainPath = dir + ".chain";
    ASSERT_TRUE(WriteKvChainFile(chainPath, chain).IsOk());
    const std::string args = "audit --db " + dir + " --chain " + chainPath;
    CommandResult ok = Canonsim(args);
    EXPECT_EQ(ok.code, 0) << ok.out;
    EXPECT_NE(ok.out.find("5 batches match"), std::string::npos) << ok.out;

    ASSERT_TRUE(TamperKvValue(dir, "k23", "forged").IsOk()); // batch 3 wrote k23
    CommandResult bad = Canonsim(args);
    EXPECT_EQ(bad.code, 1) << bad.out;
    EXPECT_NE(bad.out.find("batch 3 does not match"), std::string::npos) << bad.out;

    std::ofstream(chainPath, std::ios::app) << "7;abc\n";
    CommandResult malformed = Canonsim(args);
    EXPECT_EQ(malformed.code, 2) << malformed.out;
    EXPECT_NE(malformed.out.find(chainPath + ":7: expected 'sequence,hash'"), std::string::npos)
        << malformed.out;
    std::ofstream(chainPath) << "zz\n";
    CommandResult badId = Canonsim(args);
    EXPECT_EQ(badId.code, 2);
    EXPECT_NE(badId.out.find(chainPath + ":1: store id"), std::string::npos) << badId.out;
    CommandResult noStore = Canonsim("audit --db " + dir + "-missing --chain " + chainPath);
    EXPECT_EQ(noStore.code, 2);
    CommandResult noChain = Canonsim("audit --db " + dir);
    EXPECT_EQ(noChain.code, 2) << noChain.out;
    EXPECT_NE(noChain.out.find("--chain"), std::string::npos) << noChain.out;
    std::filesystem::remove(chainPath);
}

TEST(KvChainFileTest, BadLinesAreNamed)
{
    const std::string path =
        (std::filesystem::temp_directory_path() / ("kv-chain-" + std::to_string(::getpid())))
            .string();
    const std::string id(64, 'a');
    const std::string hash(64, 'b');
    for (const auto& [body, expect] : std::vector<std::pair<std::string, std::string>>{
             {id + "\n0," + hash + "\n", ":2: sequence 0"},
             {id + "\n1," + hash + "\n1," + hash + "\n", ":3: sequence 1 given twice"},
             {id + "\nx," + hash + "\n", ":2: sequence 'x'"},
             {id + "\n1," + hash.substr(1) + "\n", ":2: a hash is 64 hex digits"},
             {id + "\n1," + std::string(63, 'b') + "g\n", ":2: 'g' is not a hex digit"}})
    {
        std::ofstream(path) << body;
        auto r = ReadKvChainFile(path);
        ASSERT_FALSE(r.IsOk()) << body;
        EXPECT_NE(r.GetStatus().Message().find(path + expect), std::string::npos)
            << r.GetStatus().Message();
    }
    std::ofstream(path) << id << "\n1," << hash << "\n";
    auto good = ReadKvChainFile(path);
    ASSERT_TRUE(good.IsOk());
    EXPECT_EQ(ToHex(good.Value().batches.at(1)), hash);
    std::filesystem::remove(path);
}

} // namespace
} // namespace canon
