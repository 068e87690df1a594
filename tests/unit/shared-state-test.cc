// Structurally shared ledger state (model/core/persistent-map.h, model/chain/ledger-state.h): a
// child state holds new nodes in proportion to what its block changed, sees its parent's values
// for everything else, leaves its parent untouched, and equals a full copy.
#include "model/chain/ledger-state.h"
#include "model/consensus/block-outcome-memo.h"
#include "model/core/persistent-map.h"
#include "model/core/rng.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

#include <map>

namespace canon
{
namespace
{

// About 1.45 log2(n + 2): the most nodes one changed key can copy.
std::size_t
PathMax(std::size_t n)
{
    std::size_t bits = 0;
    for (std::size_t v = n + 2; v > 1; v >>= 1)
    {
        ++bits;
    }
    return bits * 3 / 2 + 2;
}

class SharedStateTest : public ::testing::Test
{
  protected:
    static constexpr uint32_t kAccounts = 1000;
    test::TestChain tc{4, kAccounts};
    LedgerState genesis = LedgerState::FromGenesis(*tc.params);
    Address fees = test::Key("producer-fees").GetAddress();

    Status Transfer(LedgerState& s, std::size_t from, std::size_t to, uint64_t amount)
    {
        const Address a = tc.accounts[from].GetAddress();
        return s.ApplyTransaction(MakeTransfer(tc.accounts[from], s.NonceOf(a), 10, tc.Czc(),
                                               tc.accounts[to].GetAddress(), amount),
                                  test::Ctx(tc.Czc(), fees));
    }
};

TEST_F(SharedStateTest, ChildAfterABlockHoldsNodesInProportionToTheAccountsItChanged)
{
    LedgerState child = genesis;
    EXPECT_EQ(child.AccountNodesNotIn(genesis), 0u) << "a copy shares everything";
    for (std::size_t i = 0; i < 3; ++i)
    {
        ASSERT_TRUE(Transfer(child, i, 100 + i, 1000).IsOk());
    }
    // Changed: three senders, three recipients, the fee recipient (new).
    const std::size_t changed = 7;
    const std::size_t fresh = child.AccountNodesNotIn(genesis);
    EXPECT_GT(fresh, 0u);
    EXPECT_LE(fresh, changed * PathMax(child.AccountCount()));
    EXPECT_LT(fresh * 10, child.AccountCount()) << "far from a full copy";
}

TEST_F(SharedStateTest, ChildSeesParentValuesAndParentIsUntouched)
{
    LedgerState child = genesis;
    const uint64_t before0 = genesis.BalanceOf(tc.accounts[0].GetAddress());
    ASSERT_TRUE(Transfer(child, 0, 1, 1000).IsOk());
    EXPECT_EQ(genesis.BalanceOf(tc.accounts[0].GetAddress()), before0);
    EXPECT_EQ(genesis.NonceOf(tc.accounts[0].GetAddress()), 0u);
    EXPECT_EQ(genesis.BalanceOf(fees), 0u);
    EXPECT_EQ(child.BalanceOf(tc.accounts[0].GetAddress()), before0 - 1010);
    for (std::size_t i = 2; i < kAccounts; i += 97)
    {
        const Address a = tc.accounts[i].GetAddress();
        EXPECT_EQ(child.BalanceOf(a), genesis.BalanceOf(a));
    }
    EXPECT_EQ(child.TotalSupply(), kTotalSupply);
    EXPECT_EQ(genesis.TotalSupply(), kTotalSupply);
}

TEST_F(SharedStateTest, ALongChainOfSharedStatesEqualsAFullCopyAndConservesSupply)
{
    // Every block's state keeps its own values however many descendants share its nodes; each
    // equals a reference map kept as a full copy.
    Rng rng(7);
    std::vector<LedgerState> chain{genesis};
    std::vector<std::map<Address, uint64_t>> reference(1);
    for (std::size_t i = 0; i < kAccounts; ++i)
    {
        const Address a = tc.accounts[i].GetAddress();
        reference[0][a] = genesis.BalanceOf(a);
    }
    for (int block = 0; block < 40; ++block)
    {
        LedgerState next = chain.back();
        std::map<Address, uint64_t> ref = reference.back();
        for (int t = 0; t < 5; ++t)
        {
            const std::size_t from = rng.Below(kAccounts), to = rng.Below(kAccounts);
            ASSERT_TRUE(Transfer(next, from, to, 1 + rng.Below(1000)).IsOk());
        }
        chain.push_back(next);
        for (auto& [a, balance] : ref)
        {
            balance = next.BalanceOf(a);
        }
        reference.push_back(ref);
    }
    for (std::size_t b = 0; b < chain.size(); ++b)
    {
        for (const auto& [a, balance] : reference[b])
        {
            ASSERT_EQ(chain[b].BalanceOf(a), balance) << "block " << b;
        }
        EXPECT_EQ(chain[b].TotalSupply(), kTotalSupply) << "block " << b;
    }
    EXPECT_EQ(chain.front().BalanceOf(fees), 0u);
}

TEST_F(SharedStateTest, GenesisStateIsOneObjectPerParameterSet)
{
    const Hash256 digest = ChainParamsDigest(*tc.params);
    EXPECT_EQ(SharedGenesisState(*tc.params, digest).get(),
              SharedGenesisState(*tc.params, digest).get());
    ConsensusChain a(tc.params);
    ConsensusChain b(tc.params);
    EXPECT_EQ(a.MainChainAt(0)->state.get(), b.MainChainAt(0)->state.get());
}

// The persistent map against std::map: many versions, each written after copying, each equal
// to its own full-copy model, in the same order, with the tree invariants intact.
TEST(PersistentMap, EveryVersionEqualsItsFullCopyModel)
{
    Rng rng(11);
    std::vector<PersistentMap<uint32_t, uint64_t>> versions(1);
    std::vector<std::map<uint32_t, uint64_t>> models(1);
    for (int v = 0; v < 200; ++v)
    {
        const std::size_t base = rng.Below(versions.size());
        auto map = versions[base];
        auto model = models[base];
        for (int w = 0; w < 20; ++w)
        {
            const auto k = static_cast<uint32_t>(rng.Below(500));
            const uint64_t value = rng.Below(1000000);
            map[k] = value;
            model[k] = value;
        }
        versions.push_back(map);
        models.push_back(model);
    }
    for (std::size_t v = 0; v < versions.size(); ++v)
    {
        ASSERT_TRUE(versions[v].CheckInvariants()) << "version " << v;
        ASSERT_EQ(versions[v].size(), models[v].size());
        auto it = versions[v].begin();
        for (const auto& [k, value] : models[v])
        {
            ASSERT_NE(it, versions[v].end());
            ASSERT_EQ(it->first, k);
            ASSERT_EQ(it->second, value);
            ASSERT_EQ(versions[v].find(k)->second, value);
            ++it;
        }
        EXPECT_EQ(it, versions[v].end());
        EXPECT_EQ(versions[v].find(1000), versions[v].end());
        EXPECT_EQ(versions[v].count(1000), 0u);
    }
}

TEST(PersistentMap, FindGivesAnIteratorThatWalksOnInOrder)
{
    PersistentMap<int, int> m;
    for (int k = 0; k < 100; k += 2)
    {
        m[k] = k * 10;
    }
    auto it = m.find(40);
    ASSERT_NE(it, m.end());
    int expected = 40;
    for (; it != m.end(); ++it, expected += 2)
    {
        ASSERT_EQ(it->first, expected);
    }
    EXPECT_EQ(expected, 100);
}

TEST(PersistentMap, WriteToACopyCopiesOnlyThePath)
{
    PersistentMap<int, int> base;
    for (int k = 0; k < 4096; ++k)
    {
        base[k] = k;
    }
    auto child = base;
    child[77] = -1;
    EXPECT_EQ(base.at(77), 77);
    EXPECT_EQ(child.at(77), -1);
    EXPECT_LE(child.NodesNotIn(base), PathMax(4096));
    child[78] = -2; // shares most of the path just copied: copies little more
    EXPECT_LE(child.NodesNotIn(base), 2 * PathMax(4096));
}

} // namespace
} // namespace canon
