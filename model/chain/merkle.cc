#include "model/chain/merkle.h"

namespace canon
{

Hash256
MerkleRoot(std::vector<Hash256> leaves)
{
    if (leaves.empty())
    {
        return Blake2b256(nullptr, 0);
    }
    for (auto& leaf : leaves)
    {
        Blake2bHasher h;
        const uint8_t kLeaf = 0;
        h.Update(&kLeaf, 1);
        h.Update(leaf);
        leaf = h.Final();
    }
    while (leaves.size() > 1)
    {
        std::vector<Hash256> next;
        next.reserve((leaves.size() + 1) / 2);
        for (std::size_t i = 0; i + 1 < leaves.size(); i += 2)
        {
            Blake2bHasher h;
            const uint8_t kInner = 1;
            h.Update(&kInner, 1);
            h.Update(leaves[i]);
            h.Update(leaves[i + 1]);
            next.push_back(h.Final());
        }
        if (leaves.size() % 2 == 1)
        {
            next.push_back(leaves.back());
        }
        leaves.swap(next);
    }
    return leaves[0];
}

} // namespace canon
