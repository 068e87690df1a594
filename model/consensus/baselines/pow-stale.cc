#include "model/consensus/baselines/pow-stale.h"

namespace canon
{

PowBlockFate
PowFateOf(uint64_t height, const Hash256& hash, const Hash256& mainAtHeight,
          uint64_t finalLibHeight)
{
    if (height > finalLibHeight)
    {
        return PowBlockFate::kUndecided;
    }
    return hash == mainAtHeight ? PowBlockFate::kMain : PowBlockFate::kStale;
}

void
PowStaleCount::Add(PowBlockFate fate)
{
    if (fate == PowBlockFate::kMain)
    {
        ++main;
    }
    else if (fate == PowBlockFate::kStale)
    {
        ++stale;
    }
}

double
PowStaleCount::Rate() const
{
    const uint64_t decided = main + stale;
    return decided == 0 ? 0.0 : static_cast<double>(stale) / static_cast<double>(decided);
}

} // namespace canon
