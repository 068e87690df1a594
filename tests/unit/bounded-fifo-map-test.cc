#include "model/core/bounded-fifo-map.h"
#include "model/node/orphan-pool.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace canon
{
namespace
{

using IntMap = BoundedFifoMap<int, std::string>;

std::vector<int>
KeysOldestFirst(const IntMap& m)
{
    std::vector<int> keys;
    m.ForEach([&](int k, const std::string&) { keys.push_back(k); });
    return keys;
}

TEST(BoundedFifoMap, FindsWhatWasInserted)
{
    IntMap m(4);
    EXPECT_TRUE(m.Insert(1, "one"));
    EXPECT_TRUE(m.Insert(2, "two"));
    ASSERT_NE(m.Find(2), nullptr);
    EXPECT_EQ(*m.Find(2), "two");
    EXPECT_TRUE(m.Contains(1));
    EXPECT_FALSE(m.Contains(3));
    EXPECT_EQ(m.Find(3), nullptr);
}

TEST(BoundedFifoMap, InsertOfAHeldKeyChangesNothing)
{
    IntMap m(4);
    m.Insert(1, "one");
    EXPECT_FALSE(m.Insert(1, "uno"));
    EXPECT_EQ(*m.Find(1), "one");
    EXPECT_EQ(m.Size(), 1u);
    EXPECT_EQ(m.Slots(), 1u);
}

TEST(BoundedFifoMap, NeverHoldsMoreThanItsCapacity)
{
    IntMap m(3);
    for (int i = 0; i < 10; ++i)
    {
        m.Insert(i, std::to_string(i));
        EXPECT_LE(m.Size(), 3u);
        EXPECT_LE(m.Slots(), 3u);
    }
    EXPECT_EQ(m.Size(), 3u);
}

TEST(BoundedFifoMap, EvictsTheOldestInsertionFirst)
{
    IntMap m(3);
    m.Insert(5, "a");
    m.Insert(1, "b");
    m.Insert(9, "c");
    m.Insert(3, "d");
    EXPECT_FALSE(m.Contains(5));
    EXPECT_EQ(KeysOldestFirst(m), (std::vector<int>{1, 9, 3}));
    m.Insert(7, "e");
    EXPECT_EQ(KeysOldestFirst(m), (std::vector<int>{9, 3, 7}));
}

TEST(BoundedFifoMap, AssigningAHeldKeyKeepsItsPlaceInTheOrder)
{
    IntMap m(2);
    m.Insert(1, "one");
    m.Insert(2, "two");
    EXPECT_FALSE(m.InsertOrAssign(1, "uno"));
    EXPECT_EQ(*m.Find(1), "uno");
    EXPECT_TRUE(m.InsertOrAssign(3, "three"));
    EXPECT_FALSE(m.Contains(1)); // still the oldest, so the first out
    EXPECT_EQ(KeysOldestFirst(m), (std::vector<int>{2, 3}));
}

TEST(BoundedFifoMap, EraseFreesTheEntryAndItsSlot)
{
    IntMap m(3);
    m.Insert(1, "a");
    m.Insert(2, "b");
    m.Insert(3, "c");
    EXPECT_EQ(m.Erase(2), std::optional<std::string>("b"));
    EXPECT_EQ(m.Erase(2), std::nullopt);
    EXPECT_EQ(m.Slots(), 2u);
    m.Insert(4, "d"); // fits in the freed slot: nothing evicted
    EXPECT_EQ(KeysOldestFirst(m), (std::vector<int>{1, 3, 4}));
}

TEST(BoundedFifoMap, TakenEntryKeepsItsSlotUntilItReachesTheFront)
{
    IntMap m(3);
    m.Insert(1, "a");
    m.Insert(2, "b");
    m.Insert(3, "c");
    EXPECT_EQ(m.Take(1), std::optional<std::string>("a"));
    EXPECT_EQ(m.Take(1), std::nullopt);
    EXPECT_EQ(m.Size(), 2u);
    EXPECT_EQ(m.Slots(), 3u);
    m.Insert(4, "d"); // pops the taken slot of 1: 2 and 3 stay
    EXPECT_EQ(KeysOldestFirst(m), (std::vector<int>{2, 3, 4}));
    m.Take(3);
    m.Insert(5, "e"); // the taken slot of 3 is not at the front: 2 goes
    EXPECT_EQ(KeysOldestFirst(m), (std::vector<int>{4, 5}));
    EXPECT_EQ(m.Slots(), 3u);
}

TEST(BoundedFifoMap, PopOldestReturnsTheEvictedEntryOrNothingForATakenSlot)
{
    IntMap m(3);
    m.Insert(1, "a");
    m.Insert(2, "b");
    m.Take(1);
    EXPECT_EQ(m.PopOldest(), std::nullopt);
    auto evicted = m.PopOldest();
    ASSERT_TRUE(evicted.has_value());
    EXPECT_EQ(evicted->first, 2);
    EXPECT_EQ(evicted->second, "b");
    EXPECT_EQ(m.Slots(), 0u);
}

TEST(BoundedFifoMap, ClearForgetsEverything)
{
    IntMap m(2);
    m.Insert(1, "a");
    m.Clear();
    EXPECT_EQ(m.Size(), 0u);
    EXPECT_EQ(m.Slots(), 0u);
    EXPECT_TRUE(m.Insert(1, "a"));
}

TEST(BoundedHashSet, ForgetsItsOldestMemberWhenFull)
{
    BoundedHashSet s(2);
    const Hash256 a = Blake2b256("a"), b = Blake2b256("b"), c = Blake2b256("c");
    EXPECT_TRUE(s.Insert(a));
    EXPECT_FALSE(s.Insert(a));
    s.Insert(b);
    s.Insert(c);
    EXPECT_FALSE(s.Contains(a));
    EXPECT_TRUE(s.Contains(b));
    EXPECT_TRUE(s.Contains(c));
    EXPECT_EQ(s.Size(), 2u);
}

TEST(BoundedHashSet, AgreesWithTheFifoMapUnderChurnIncludingCollidingHomes)
{
    // Hashes that share their first bytes land on one home slot and probe past each other;
    // eviction must close those gaps (a lost member would read as unseen).
    std::vector<Hash256> pool;
    for (int i = 0; i < 300; ++i)
    {
        Hash256 h = Blake2b256("m" + std::to_string(i));
        if (i % 3 == 0)
        {
            std::fill(h.begin(), h.begin() + 8, uint8_t{7}); // one home, one tag
        }
        pool.push_back(h);
    }
    for (std::size_t capacity : {std::size_t{0}, std::size_t{1}, std::size_t{37}, std::size_t{500}})
    {
        BoundedHashSet set(capacity);
        BoundedFifoMap<Hash256, int, Hash256Hasher> reference(capacity);
        uint64_t x = 12345;
        for (int step = 0; step < 6000; ++step)
        {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            const Hash256& h = pool[(x >> 33) % pool.size()];
            ASSERT_EQ(set.Insert(h), reference.Insert(h, 0)) << capacity << " step " << step;
            ASSERT_EQ(set.Size(), reference.Size());
        }
        for (const Hash256& h : pool)
        {
            EXPECT_EQ(set.Contains(h), reference.Contains(h)) << capacity;
        }
    }
}

// Members are kept by their first 16 bytes (a fingerprint): hashes that differ only after them
// read as one member; hashes that share their first 8 (one home, one tag) but not 16 stay two.
TEST(BoundedHashSet, KeepsMembersByTheirFirstSixteenBytes)
{
    BoundedHashSet s(8);
    Hash256 a = Blake2b256("a");
    Hash256 tail = a;
    tail[31] ^= 1;
    Hash256 middle = a;
    middle[12] ^= 1;
    EXPECT_TRUE(s.Insert(a));
    EXPECT_TRUE(s.Contains(tail)) << "same fingerprint";
    EXPECT_FALSE(s.Insert(tail));
    EXPECT_FALSE(s.Contains(middle));
    EXPECT_TRUE(s.Insert(middle));
    EXPECT_EQ(s.Size(), 2u);
}

// The orphan pool on top of it: bounds in count and bytes, and connection order.
using Pool = OrphanPool<int>;

Hash256
H(const std::string& s)
{
    return Blake2b256(s);
}

Pool::Orphan
O(const std::string& self, const std::string& parent, std::size_t bytes, int value)
{
    return {H(self), H(parent), bytes, value};
}

TEST(OrphanPool, EvictsTheOldestArrivalWhenOverCountOrBytes)
{
    Pool pool(3, 100);
    pool.Add(H("a"), O("a", "x", 10, 1));
    pool.Add(H("b"), O("b", "x", 10, 2));
    pool.Add(H("c"), O("c", "x", 10, 3));
    pool.Add(H("d"), O("d", "x", 10, 4)); // over count: a goes
    EXPECT_FALSE(pool.Contains(H("a")));
    pool.Add(H("e"), O("e", "x", 85, 5)); // b goes for the count, c for the bytes
    EXPECT_FALSE(pool.Contains(H("b")));
    EXPECT_FALSE(pool.Contains(H("c")));
    EXPECT_TRUE(pool.Contains(H("d")));
    EXPECT_EQ(pool.Bytes(), 95u);
    EXPECT_EQ(pool.Size(), 2u);
}

TEST(OrphanPool, ConnectsParentsBeforeChildrenAndSiblingsInIdOrder)
{
    Pool pool(8);
    pool.Add(H("c"), O("c", "b", 0, 3));
    pool.Add(H("b2"), O("b2", "root", 0, 22));
    pool.Add(H("b"), O("b", "root", 0, 2));
    std::vector<int> order;
    pool.Connect(H("root"),
                 [&](const Hash256&, const Pool::Orphan& o)
                 {
                     order.push_back(o.value);
                     return OrphanFate::kJoined;
                 });
    const bool bFirst = H("b") < H("b2");
    EXPECT_EQ(order, bFirst ? (std::vector<int>{2, 22, 3}) : (std::vector<int>{22, 2, 3}));
    EXPECT_EQ(pool.Size(), 0u);
}

TEST(OrphanPool, RejectedOrphanLeavesAndItsChildrenWait)
{
    Pool pool(8);
    pool.Add(H("b"), O("b", "root", 4, 2));
    pool.Add(H("c"), O("c", "b", 4, 3));
    pool.Connect(H("root"),
                 [](const Hash256&, const Pool::Orphan&) { return OrphanFate::kRejected; });
    EXPECT_FALSE(pool.Contains(H("b")));
    EXPECT_TRUE(pool.Contains(H("c")));
    EXPECT_EQ(pool.Bytes(), 4u);
}

TEST(OrphanPool, ConnectedOrphansStillCountTowardTheBoundUntilTheirSlotIsReached)
{
    Pool pool(2);
    pool.Add(H("b"), O("b", "root", 0, 1));
    pool.Add(H("z"), O("z", "y", 0, 2));
    pool.Connect(H("root"),
                 [](const Hash256&, const Pool::Orphan&) { return OrphanFate::kJoined; });
    pool.Add(H("w"), O("w", "v", 0, 3)); // b's slot goes first: z stays
    EXPECT_TRUE(pool.Contains(H("z")));
    pool.Add(H("u"), O("u", "t", 0, 4)); // now z is the oldest arrival
    EXPECT_FALSE(pool.Contains(H("z")));
    EXPECT_TRUE(pool.Contains(H("w")));
}

} // namespace
} // namespace canon
