#include "model/consensus/finality.h"

#include <algorithm>
#include <vector>

namespace canon
{

uint32_t
FinalityThreshold(uint32_t n)
{
    uint32_t t = 2 * n / 3 + 2;
    return t < n ? t : n;
}

uint32_t
FinalityThresholdOf(uint32_t n, uint32_t thresholdOverride)
{
    return thresholdOverride == 0 ? FinalityThreshold(n) : std::min(thresholdOverride, n);
}

const BlockEntry*
ComputeLib(const BlockEntry* tip, uint32_t threshold)
{
    const BlockEntry* floor = tip->parent ? tip->parent->lib : tip;
    std::vector<PublicKey> seen; // at most `threshold` keys: a linear scan beats a set here
    seen.reserve(threshold);
    for (const BlockEntry* e = tip; e && e->height > floor->height; e = e->parent)
    {
        if (std::find(seen.begin(), seen.end(), e->producer) == seen.end())
        {
            seen.push_back(e->producer);
            if (seen.size() >= threshold)
            {
                return e;
            }
        }
    }
    return floor;
}

} // namespace canon
