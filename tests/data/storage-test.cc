// Content-addressed storage (paper 3.5.1): chunking and the Merkle DAG with dedup, named
// versions, Kademlia routing and lookups, and peers exchanging real messages (a lying provider,
// malformed input).
#include "model/core/rng.h"
#include "model/storage/named-object.h"
#include "model/storage/storage-peer.h"
#include "scenarios/data/storage-run.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace canon
{
namespace
{

Bytes
Random(std::size_t n, uint64_t seed)
{
    Rng rng = Rng::Derive(seed, "test-file");
    Bytes b(n);
    for (auto& x : b)
    {
        x = static_cast<uint8_t>(rng.Below(256));
    }
    return b;
}

ChunkingParams
Cdc()
{
    ChunkingParams p;
    p.mode = ChunkingMode::kContentDefined;
    return p;
}

// Blocks of `b` that `a`'s import did not already hold, in bytes.
uint64_t
NewBytesFor(const Bytes& a, const Bytes& b, const ChunkingParams& p)
{
    BlockStore s;
    ImportFile(a, p, s);
    const uint64_t before = s.BytesHeld();
    ImportFile(b, p, s);
    return s.BytesHeld() - before;
}

TEST(ContentTest, FilesRoundTripThroughTheDagAtEverySize)
{
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{4096}, std::size_t{100000},
                          std::size_t{200 * 64 + 5}})
    {
        for (ChunkingParams p : {ChunkingParams{}, Cdc()})
        {
            if (n == 200 * 64 + 5)
            {
                p.mode = ChunkingMode::kFixed; // 201 chunks: two levels of nodes
                p.size = 64;
                p.min = 64;
                p.max = 64;
            }
            BlockStore s;
            const Bytes file = Random(n, n);
            const ContentId root = ImportFile(file, p, s);
            auto back = Assemble(root, s, 1 << 20);
            ASSERT_TRUE(back.IsOk()) << back.GetStatus().ToString();
            EXPECT_EQ(back.Value(), file) << n;
        }
    }
}

TEST(ContentTest, IdenticalContentIsStoredOnce)
{
    BlockStore s;
    const Bytes file = Random(50000, 1);
    const ContentId a = ImportFile(file, ChunkingParams{}, s);
    const uint64_t held = s.BytesHeld();
    const std::size_t blocks = s.BlockCount();
    EXPECT_EQ(ImportFile(file, ChunkingParams{}, s), a);
    EXPECT_EQ(s.BytesHeld(), held);
    EXPECT_EQ(s.BlockCount(), blocks);
    EXPECT_GE(s.BytesDeduplicated(), file.size());
    Bytes zeros(40960, 0); // ten identical 4 KiB chunks: one leaf stored
    BlockStore z;
    ImportFile(zeros, ChunkingParams{}, z);
    EXPECT_EQ(z.BlockCount(), 2u); // the leaf and the root over ten links to it
}

TEST(ContentTest, ContentDefinedChunksSurviveAnInsertionFixedOnesDoNot)
{
    const Bytes a = Random(256 * 1024, 2);
    Bytes b = a;
    b.insert(b.begin() + 100000, {1, 2, 3, 4, 5, 6, 7});
    const uint64_t fixedNew = NewBytesFor(a, b, ChunkingParams{});
    const uint64_t cdcNew = NewBytesFor(a, b, Cdc());
    EXPECT_GT(fixedNew, a.size() / 2); // every chunk after the insertion moved
    EXPECT_LT(cdcNew, 40000u);         // a chunk or two and the root
    const auto cuts = ChunkBoundaries(a, Cdc());
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i)
    {
        const std::size_t len = cuts[i] - (i ? cuts[i - 1] : 0);
        EXPECT_GE(len, Cdc().min);
        EXPECT_LE(len, Cdc().max);
    }
}

TEST(ContentTest, AssembleNamesAMissingBlockAndDecodeRefusesBadBlocks)
{
    BlockStore full;
    const Bytes file = Random(20000, 3);
    const ContentId root = ImportFile(file, ChunkingParams{}, full);
    BlockStore partial;
    partial.Put(*full.Get(root)); // the root alone
    auto r = Assemble(root, partial, 1 << 20);
    EXPECT_EQ(r.GetStatus().Code(), StatusCode::kNotFound);
    EXPECT_NE(r.GetStatus().Message().find("is missing"), std::string::npos);
    EXPECT_EQ(Assemble(root, full, 100).GetStatus().Code(), StatusCode::kResourceLimit);
    EXPECT_FALSE(DagBlock::Decode(Bytes{2}).IsOk());
    EXPECT_FALSE(DagBlock::Decode(Bytes{1, 0xff, 0xff, 0, 0}).IsOk()); // link count over bound
    Bytes trailing = DagBlock{}.Encode();
    trailing.push_back(0);
    EXPECT_FALSE(DagBlock::Decode(trailing).IsOk());
}

TEST(NamedObjectTest, VersionsFormAChainOnlyTheOwnerExtends)
{
    const KeyPair owner = KeyPair::FromSeed(Blake2b256(std::string("owner")));
    const KeyPair other = KeyPair::FromSeed(Blake2b256(std::string("other")));
    NameRegistry reg;
    const ContentId r1 = Blake2b256(std::string("r1")), r2 = Blake2b256(std::string("r2"));
    const ObjectVersion v1 = MakeVersion(owner, "sensors/temp", r1, 1, nullptr);
    ASSERT_TRUE(reg.Publish(v1).IsOk());
    const ObjectVersion v2 = MakeVersion(owner, "sensors/temp", r2, 2, reg.Head("sensors/temp"));
    EXPECT_FALSE(reg.Publish(MakeVersion(other, "sensors/temp", r2, 2, &v1)).IsOk());
    ObjectVersion forged = v2;
    forged.root = r1;
    EXPECT_NE(reg.Publish(forged).Message().find("bad signature"), std::string::npos);
    EXPECT_FALSE(reg.Publish(MakeVersion(owner, "sensors/temp", r2, 2, nullptr)).IsOk());
    ASSERT_TRUE(reg.Publish(v2).IsOk());
    EXPECT_FALSE(reg.Publish(v2).IsOk()); // replayed: no longer follows the head
    const auto h = reg.History("sensors/temp");
    ASSERT_EQ(h.size(), 2u);
    EXPECT_EQ(h[0].root, r2);
    EXPECT_EQ(h[0].predecessor, h[1].Hash());
    EXPECT_EQ(ObjectVersion::Decode(v2.Encode()).Value().Encode(), v2.Encode());
}

TEST(KademliaTest, BucketsKeepOldContactsAndClosestIsByXor)
{
    const DhtKey self = DhtIdOf(0);
    RoutingTable t(self, 2);
    std::vector<Contact> added;
    for (uint32_t i = 1; i < 200; ++i)
    {
        if (t.Add({DhtIdOf(i), i}))
        {
            added.push_back({DhtIdOf(i), i});
        }
    }
    EXPECT_LE(t.Size(), 2u * 256u);
    EXPECT_LT(t.Size(), 199u); // full buckets refused newcomers
    const DhtKey target = DhtIdOf(999);
    const auto closest = t.Closest(target, 5);
    ASSERT_EQ(closest.size(), 5u);
    for (std::size_t i = 1; i < closest.size(); ++i)
    {
        EXPECT_TRUE(CloserTo(target, closest[i - 1].id, closest[i].id));
    }
    std::sort(added.begin(), added.end(),
              [&](const Contact& a, const Contact& b) { return CloserTo(target, a.id, b.id); });
    EXPECT_EQ(closest.front(), added.front());
    EXPECT_FALSE(t.Add({self, 0}));
}

TEST(KademliaTest, IterativeLookupFindsTheKClosestOfTheWholeNetwork)
{
    // 200 nodes, each knowing 3 random others plus what it learns: answers come from tables.
    const uint32_t n = 200;
    std::vector<RoutingTable> tables;
    Rng rng = Rng::Derive(7, "kademlia-test");
    for (uint32_t i = 0; i < n; ++i)
    {
        tables.emplace_back(DhtIdOf(i), 8);
    }
    for (uint32_t i = 0; i < n; ++i)
    {
        for (uint32_t c = 0; c < 20; ++c)
        {
            const auto j = static_cast<uint32_t>(rng.Below(n));
            tables[i].Add({DhtIdOf(j), j});
        }
    }
    const DhtKey target = Blake2b256(std::string("content"));
    Lookup lookup(target, tables[0].Closest(target, 8), 8, 3);
    uint32_t rounds = 0;
    while (!lookup.Done() && rounds < 100)
    {
        ++rounds;
        for (const Contact& c : lookup.NextQueries())
        {
            lookup.OnReply(c.id, tables[c.peer].Closest(target, 8));
        }
    }
    std::vector<uint32_t> all(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        all[i] = i;
    }
    std::sort(all.begin(), all.end(),
              [&](uint32_t a, uint32_t b) { return CloserTo(target, DhtIdOf(a), DhtIdOf(b)); });
    const auto found = lookup.ClosestAnswered();
    ASSERT_FALSE(found.empty());
    EXPECT_EQ(found.front().peer, all.front());
    EXPECT_LT(rounds, 40u);
}

// Peers 0..n-1 on a line of radio hops, each bootstrapped from its neighbours in the line.
StorageNetwork
LineNetwork(uint32_t n)
{
    StorageNetwork net(n, StorageConfig{}, TopologyHops(StorageTopology::kRoad, n),
                       2 * kMillisecond, 1e6);
    for (uint32_t i = 0; i < n; ++i)
    {
        net.Peer(i).AddContact({DhtIdOf((i + 1) % n), (i + 1) % n});
        net.Peer(i).AddContact({DhtIdOf((i + 7) % n), (i + 7) % n});
        net.At(static_cast<TimeNs>(i) * kMillisecond, i,
               [](TimeNs now, StoragePeer& p, StorageOutput& o) { p.Bootstrap(now, o); });
    }
    net.RunUntil(2 * kSecond);
    return net;
}

TEST(StoragePeerTest, AFilePutAtOnePeerIsFoundThroughTheDhtAndFetchedByAnother)
{
    StorageNetwork net = LineNetwork(30);
    const Bytes file = Random(100000, 4);
    ContentId root{};
    net.At(3 * kSecond, 4,
           [&](TimeNs now, StoragePeer& p, StorageOutput& o) { root = p.Put(now, file, o); });
    net.RunUntil(5 * kSecond);
    net.At(6 * kSecond, 25,
           [&](TimeNs now, StoragePeer& p, StorageOutput& o) { p.Get(now, root, o); });
    net.RunUntil(20 * kSecond);
    std::vector<StorageOpRecord> gets;
    for (const auto& r : net.Records())
    {
        if (r.op == StorageOp::kGet)
        {
            gets.push_back(r);
        }
    }
    ASSERT_EQ(gets.size(), 1u);
    EXPECT_TRUE(gets[0].ok) << gets[0].reason;
    EXPECT_EQ(gets[0].source, 4u);
    EXPECT_GE(gets[0].lookupHops, 1u);
    EXPECT_GT(gets[0].latency, 0);
    auto back = Assemble(root, net.Peer(25).Store(), 1 << 20);
    ASSERT_TRUE(back.IsOk());
    EXPECT_EQ(back.Value(), file);
}

TEST(StoragePeerTest, ABlockThatDoesNotHashToItsIdIsRejectedAndItsProviderMarked)
{
    StorageNetwork net(3, StorageConfig{}, TopologyHops(StorageTopology::kRoad, 3), kMillisecond,
                       1e6);
    const Bytes file = Random(10000, 5);
    BlockStore scratch;
    const ContentId root = ImportFile(file, ChunkingParams{}, scratch);
    net.Peer(1).HoldRaw(root, DagBlock{true, Bytes{9, 9, 9}, {}}.Encode()); // a liar
    net.At(0, 2, [&](TimeNs now, StoragePeer& p, StorageOutput& o) { p.Put(now, file, o); });
    net.At(kMillisecond, 0,
           [&](TimeNs now, StoragePeer& p, StorageOutput& o)
           {
               // Both announce to peer 0; the liar first.
               p.OnMessage(now, 1, *EncodeAddProvider({DhtIdOf(1), root}), o);
               p.OnMessage(now, 2, *EncodeAddProvider({DhtIdOf(2), root}), o);
               p.Get(now, root, o);
           });
    net.RunUntil(5 * kSecond);
    EXPECT_EQ(net.Peer(0).Counters().badBlocks, 1u);
    EXPECT_TRUE(net.Peer(0).IsBadProvider(1));
    const auto& last = net.Records().back();
    EXPECT_EQ(last.op, StorageOp::kGet);
    EXPECT_TRUE(last.ok) << last.reason;
    EXPECT_EQ(last.source, 2u);
}

// Named versions through the DHT: the owner publishes version 1 and then version 2 (naming
// version 1 as predecessor) under the name's key; a far peer resolves the name through a lookup
// and the want-list exchange and gets version 2; a forged record for the name is rejected and
// its provider marked, like a bad block.
TEST(StoragePeerTest, NamedVersionsArePublishedAndResolvedThroughTheDht)
{
    StorageNetwork net = LineNetwork(30);
    const KeyPair owner = KeyPair::FromSeed(Blake2b256(std::string("name owner")));
    const Hash256 key = NameKeyOf(owner.Public(), "sensor-log");
    ObjectVersion v1, v2;
    net.At(3 * kSecond, 4,
           [&](TimeNs now, StoragePeer& p, StorageOutput& o)
           {
               v1 = MakeVersion(owner, "sensor-log", p.Put(now, Random(20000, 6), o), now, nullptr);
               ASSERT_TRUE(p.PublishName(now, v1, o).IsOk());
               EXPECT_FALSE(p.PublishName(now, v1, o).IsOk()); // not newer
               v2 = MakeVersion(owner, "sensor-log", p.Put(now, Random(20000, 7), o), now, &v1);
               ASSERT_TRUE(p.PublishName(now, v2, o).IsOk());
           });
    net.RunUntil(6 * kSecond);
    net.At(6 * kSecond, 25,
           [&](TimeNs now, StoragePeer& p, StorageOutput& o) { p.ResolveName(now, key, o); });
    net.RunUntil(15 * kSecond);
    const ObjectVersion* got = net.Peer(25).NameRecord(key);
    ASSERT_NE(got, nullptr);
    EXPECT_EQ(got->version, 2u);
    EXPECT_EQ(got->predecessor, v1.Hash());
    EXPECT_EQ(got->root, v2.root);
    const auto& last = net.Records().back();
    EXPECT_EQ(last.op, StorageOp::kResolveName);
    EXPECT_TRUE(last.ok) << last.reason;
    EXPECT_EQ(last.source, 4u);
    EXPECT_GE(last.lookupHops, 1u);
}

TEST(StoragePeerTest, AForgedNameRecordIsRejectedAndItsProviderMarked)
{
    StorageNetwork net(3, StorageConfig{}, TopologyHops(StorageTopology::kRoad, 3), kMillisecond,
                       1e6);
    const KeyPair owner = KeyPair::FromSeed(Blake2b256(std::string("name owner")));
    const KeyPair mallory = KeyPair::FromSeed(Blake2b256(std::string("mallory")));
    const Hash256 key = NameKeyOf(owner.Public(), "sensor-log");
    const ObjectVersion v1 = MakeVersion(owner, "sensor-log", Hash256{}, 0, nullptr);
    ObjectVersion forged = MakeVersion(mallory, "sensor-log", Hash256{}, 0, nullptr);
    forged.owner = owner.Public(); // claims the owner's name; the signature cannot match
    net.Peer(1).HoldRaw(key, forged.Encode()); // a liar
    net.At(0, 2,
           [&](TimeNs now, StoragePeer& p, StorageOutput& o)
           { ASSERT_TRUE(p.PublishName(now, v1, o).IsOk()); });
    net.At(kMillisecond, 0,
           [&](TimeNs now, StoragePeer& p, StorageOutput& o)
           {
               p.OnMessage(now, 1, *EncodeAddProvider({DhtIdOf(1), key}), o);
               p.OnMessage(now, 2, *EncodeAddProvider({DhtIdOf(2), key}), o);
               p.ResolveName(now, key, o);
           });
    net.RunUntil(5 * kSecond);
    EXPECT_TRUE(net.Peer(0).IsBadProvider(1));
    EXPECT_EQ(net.Peer(0).Counters().badBlocks, 1u);
    const ObjectVersion* got = net.Peer(0).NameRecord(key);
    ASSERT_NE(got, nullptr);
    EXPECT_EQ(got->Hash(), v1.Hash());
    const auto& last = net.Records().back();
    EXPECT_EQ(last.op, StorageOp::kResolveName);
    EXPECT_TRUE(last.ok) << last.reason;
    EXPECT_EQ(last.source, 2u);
}

TEST(StoragePeerTest, MalformedMessagesAreDroppedAndCounted)
{
    StoragePeer p(0, StorageConfig{});
    StorageOutput out;
    p.OnMessage(0, 1, Bytes{1, 37, 0}, out);
    p.OnMessage(0, 1, Bytes{1, 41, 0xff, 0xff, 0xff, 0xff}, out);
    p.OnMessage(0, 1, Bytes{2, 37}, out);
    p.OnMessage(0, 1, *EncodeProviders({99, DhtIdOf(1), {}, {}}), out); // no such query
    EXPECT_EQ(p.Counters().malformed, 3u);
    EXPECT_EQ(p.Counters().unsolicited, 1u);
    EXPECT_TRUE(out.sends.empty());
}

TEST(StoragePeerTest, AnUnknownFileFailsWithAReasonWhenNoProviderExists)
{
    StorageNetwork net = LineNetwork(10);
    net.At(3 * kSecond, 2,
           [](TimeNs now, StoragePeer& p, StorageOutput& o)
           { p.Get(now, Blake2b256(std::string("nobody has this")), o); });
    net.RunUntil(10 * kSecond);
    ASSERT_FALSE(net.Records().empty());
    EXPECT_FALSE(net.Records().back().ok);
    EXPECT_EQ(net.Records().back().reason, "no provider found");
}

} // namespace
} // namespace canon

namespace canon
{
namespace
{

StorageRunSpec
SmallStorageRun(StorageTopology t)
{
    StorageRunSpec s;
    s.topology = t;
    s.nodes = 36;
    s.files = 6;
    s.gets = 30;
    s.fileBytes = 16 * 1024;
    return s;
}

TEST(StorageScenarioTest, GetsSucceedOnAGridAndARoadAndFarProvidersCostMore)
{
    for (StorageTopology t : {StorageTopology::kGrid, StorageTopology::kRoad})
    {
        const StorageRunResult r = RunStorageScenario(SmallStorageRun(t));
        std::size_t gets = 0, ok = 0;
        double nearSum = 0, farSum = 0;
        std::size_t near = 0, far = 0;
        for (std::size_t i = 0; i < r.records.size(); ++i)
        {
            const StorageOpRecord& x = r.records[i];
            if (x.op != StorageOp::kGet)
            {
                continue;
            }
            ++gets;
            ok += x.ok ? 1u : 0u;
            if (x.ok && x.blocks > 0)
            {
                (r.networkHops[i] <= 3 ? nearSum : farSum) += ToSeconds(x.latency);
                (r.networkHops[i] <= 3 ? near : far) += 1;
            }
        }
        EXPECT_GE(gets, 25u);
        EXPECT_EQ(ok, gets);
        if (t == StorageTopology::kRoad && near > 0 && far > 0)
        {
            EXPECT_LT(nearSum / static_cast<double>(near), farSum / static_cast<double>(far));
        }
    }
}

TEST(StorageScenarioTest, SameSpecSameRecords)
{
    const StorageRunSpec s = SmallStorageRun(StorageTopology::kGrid);
    const StorageRunResult a = RunStorageScenario(s), b = RunStorageScenario(s);
    ASSERT_EQ(a.records.size(), b.records.size());
    for (std::size_t i = 0; i < a.records.size(); ++i)
    {
        EXPECT_EQ(a.records[i].latency, b.records[i].latency);
        EXPECT_EQ(a.records[i].root, b.records[i].root);
    }
    EXPECT_EQ(a.bytes, b.bytes);
}

} // namespace
} // namespace canon
