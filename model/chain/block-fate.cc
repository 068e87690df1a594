#include "model/chain/block-fate.h"

namespace canon
{

BlockFate
FateOf(uint64_t height, const Hash256& hash, const Hash256& mainAtHeight, uint64_t finalLibHeight)
{
    if (height > finalLibHeight)
    {
        return BlockFate::kUndecided;
    }
    return hash == mainAtHeight ? BlockFate::kMain : BlockFate::kStale;
}

void
StaleCount::Add(BlockFate fate)
{
    if (fate == BlockFate::kMain)
    {
        ++main;
    }
    else if (fate == BlockFate::kStale)
    {
        ++stale;
    }
}

double
StaleCount::Rate() const
{
    const uint64_t decided = main + stale;
    return decided == 0 ? 0.0 : static_cast<double>(stale) / static_cast<double>(decided);
}

} // namespace canon
