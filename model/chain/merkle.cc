#include "model/chain/merkle.h"

#include <cassert>

namespace canon
{

namespace
{

constexpr uint8_t kLeafPrefix = 0;
constexpr uint8_t kInnerPrefix = 1;

Hash256
HashLeaf(const Hash256& leaf)
{
    Blake2bHasher h;
    h.Update(&kLeafPrefix, 1);
    h.Update(leaf);
    return h.Final();
}

Hash256
HashInner(const Hash256& left, const Hash256& right)
{
    Blake2bHasher h;
    h.Update(&kInnerPrefix, 1);
    h.Update(left);
    h.Update(right);
    return h.Final();
}

// One level up: pairs hashed, an odd last node carried unchanged.
std::vector<Hash256>
NextLevel(const std::vector<Hash256>& level)
{
    std::vector<Hash256> next;
    next.reserve((level.size() + 1) / 2);
    for (std::size_t i = 0; i + 1 < level.size(); i += 2)
    {
        next.push_back(HashInner(level[i], level[i + 1]));
    }
    if (level.size() % 2 == 1)
    {
        next.push_back(level.back());
    }
    return next;
}

} // namespace

Hash256
MerkleRoot(std::vector<Hash256> leaves)
{
    if (leaves.empty())
    {
        return Blake2b256(nullptr, 0);
    }
    for (auto& leaf : leaves)
    {
        leaf = HashLeaf(leaf);
    }
    while (leaves.size() > 1)
    {
        leaves = NextLevel(leaves);
    }
    return leaves[0];
}

std::vector<Hash256>
MerkleBranch(std::vector<Hash256> leaves, std::size_t index)
{
    assert(index < leaves.size());
    for (auto& leaf : leaves)
    {
        leaf = HashLeaf(leaf);
    }
    std::vector<Hash256> branch;
    while (leaves.size() > 1)
    {
        const std::size_t sibling = index ^ 1;
        if (sibling < leaves.size())
        {
            branch.push_back(leaves[sibling]);
        }
        leaves = NextLevel(leaves);
        index /= 2;
    }
    return branch;
}

bool
VerifyMerkleBranch(const Hash256& leaf, uint64_t index, uint64_t leafCount,
                   const std::vector<Hash256>& branch, const Hash256& root)
{
    if (index >= leafCount || branch.size() > kMerkleBranchMax)
    {
        return false;
    }
    Hash256 h = HashLeaf(leaf);
    std::size_t used = 0;
    for (uint64_t width = leafCount; width > 1; width = (width + 1) / 2, index /= 2)
    {
        if ((index ^ 1) >= width)
        {
            continue; // the odd node of this level, carried up
        }
        if (used == branch.size())
        {
            return false;
        }
        const Hash256& sibling = branch[used++];
        h = index % 2 == 0 ? HashInner(h, sibling) : HashInner(sibling, h);
    }
    return used == branch.size() && h == root;
}

} // namespace canon
