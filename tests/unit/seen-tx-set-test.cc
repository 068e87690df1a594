#include "model/core/bounded-fifo-map.h"
#include "model/core/number-window.h"
#include "model/node/seen-tx-set.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace canon
{
namespace
{

TEST(NumberWindow, HoldsWhatWasInsertedWithinTheSpanOfTheHighest)
{
    constexpr uint64_t kSpan = 200;
    std::mt19937_64 rng(3);
    NumberWindow window(kSpan);
    std::set<uint64_t> inserted; // the reference, with the floor applied when read
    uint64_t highest = 0;
    for (uint64_t step = 1; step < 20000; ++step)
    {
        // Mostly new numbers, some late ones and repeats, as transactions arrive.
        const int64_t late = rng() % 4 == 0 ? 300 : 0;
        const auto n = static_cast<uint64_t>(
            std::max<int64_t>(1, static_cast<int64_t>(step / 2 + rng() % 40) - late));
        const uint64_t floor = std::max(highest, n) > kSpan ? std::max(highest, n) - kSpan : 0;
        const bool held = inserted.count(n) && n > (highest > kSpan ? highest - kSpan : 0);
        ASSERT_EQ(window.Insert(n), !held) << "step " << step << " n " << n;
        if (n > floor)
        {
            inserted.insert(n);
            highest = std::max(highest, n);
        }
        for (uint64_t k = (highest > 260 ? highest - 260 : 1); k <= highest + 2; ++k)
        {
            const bool want = inserted.count(k) && k > (highest > kSpan ? highest - kSpan : 0);
            ASSERT_EQ(window.Contains(k), want) << "step " << step << " k " << k;
        }
        ASSERT_LE(window.Words(), kSpan / 64 + 66);
    }
    EXPECT_FALSE(window.Contains(0));
}

Hash256
IdOf(uint64_t k)
{
    return Blake2b256(reinterpret_cast<const uint8_t*>(&k), sizeof k);
}

// With its own numbering, the set is the first-in first-out set of `window` ids it replaced.
TEST(SeenTxSet, OwnNumberingForgetsTheOldestAsAFifoSetOfTheSameSize)
{
    std::mt19937_64 rng(9);
    SeenTxSet seen(nullptr, 50);
    BoundedHashSet fifo(50);
    for (int step = 0; step < 5000; ++step)
    {
        const Hash256 id = IdOf(rng() % 120);
        ASSERT_EQ(seen.Contains(id), fifo.Contains(id)) << "step " << step;
        ASSERT_EQ(seen.Insert(id), fifo.Insert(id)) << "step " << step;
    }
}

// Nodes sharing a run's numbering each see exactly their own ids while the run fits.
TEST(SeenTxSet, NodesSharingANumberingKeepTheirOwnRecords)
{
    auto numbering = std::make_shared<TxNumbering>(1000);
    SeenTxSet a(numbering, 1000);
    SeenTxSet b(numbering, 1000);
    for (uint64_t k = 0; k < 600; ++k)
    {
        EXPECT_TRUE((k % 3 == 0 ? a : b).Insert(IdOf(k)));
    }
    for (uint64_t k = 0; k < 600; ++k)
    {
        EXPECT_EQ(a.Contains(IdOf(k)), k % 3 == 0) << k;
        EXPECT_EQ(b.Contains(IdOf(k)), k % 3 != 0) << k;
    }
    EXPECT_FALSE(a.Contains(IdOf(700))); // never numbered
    EXPECT_FALSE(a.Insert(IdOf(0)));
    EXPECT_TRUE(b.Insert(IdOf(0)));
}

} // namespace
} // namespace canon
