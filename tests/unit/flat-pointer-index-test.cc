#include "model/core/flat-pointer-index.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>

namespace canon
{
namespace
{

struct Item
{
    uint64_t key;
};
struct KeyOf
{
    uint64_t operator()(const Item& i) const { return i.key; }
};
// Few distinct homes, so probe runs are long and wrap around the table's end.
struct CrowdedHash
{
    std::size_t operator()(uint64_t k) const { return static_cast<std::size_t>(k % 5) * 7 + 5; }
};
using Index = FlatPointerIndex<Item, KeyOf, CrowdedHash>;

TEST(FlatPointerIndex, FindsWhatItHoldsThroughInsertsAndErasesInAnyOrder)
{
    std::mt19937_64 rng(11);
    Index index;
    std::map<uint64_t, std::unique_ptr<Item>> held; // the reference
    for (int step = 0; step < 20000; ++step)
    {
        const uint64_t key = rng() % 300;
        if (rng() % 3 != 0)
        {
            auto item = std::make_unique<Item>(Item{key});
            const bool added = index.Insert(item.get());
            EXPECT_EQ(added, held.count(key) == 0) << "step " << step;
            if (added)
            {
                held[key] = std::move(item);
            }
        }
        else
        {
            const bool erased = index.Erase(key); // before the reference frees the item
            EXPECT_EQ(erased, held.erase(key) == 1) << "step " << step;
        }
        ASSERT_EQ(index.Size(), held.size());
    }
    for (uint64_t key = 0; key < 300; ++key)
    {
        auto it = held.find(key);
        EXPECT_EQ(index.Find(key), it == held.end() ? nullptr : it->second.get()) << key;
    }
}

TEST(FlatPointerIndex, GrowsPastThreeQuartersAndGivesMemoryBackWhenDrained)
{
    std::vector<Item> items(1000);
    Index index;
    EXPECT_EQ(index.Slots(), 0u);
    for (uint64_t k = 0; k < items.size(); ++k)
    {
        items[k].key = k;
        ASSERT_TRUE(index.Insert(&items[k]));
        EXPECT_LE(index.Size() * 4, index.Slots() * 3);
    }
    EXPECT_EQ(index.Slots(), 2048u);
    for (uint64_t k = 0; k < items.size(); ++k)
    {
        ASSERT_TRUE(index.Erase(k));
        ASSERT_EQ(index.Find(k), nullptr);
    }
    EXPECT_EQ(index.Size(), 0u);
    EXPECT_EQ(index.Slots(), Index::kSlotsMin);
    EXPECT_FALSE(index.Erase(3));
}

} // namespace
} // namespace canon
