#include "model/consensus/finality.h"

#include <vector>

namespace canon
{

uint32_t
FinalityThreshold(uint32_t n)
{
    uint32_t t = 2 * n / 3 + 2;
    return t < n ? t : n;
}

const BlockEntry*
ComputeLib(const BlockEntry* tip, uint32_t n, uint32_t threshold)
{
    const BlockEntry* floor = tip->parent ? tip->parent->lib : tip;
    std::vector<bool> seen(n, false);
    uint32_t distinct = 0;
    for (const BlockEntry* e = tip; e && e->height > floor->height; e = e->parent)
    {
        if (!seen[e->producerIndex])
        {
            seen[e->producerIndex] = true;
            if (++distinct >= threshold)
            {
                return e;
            }
        }
    }
    return floor;
}

} // namespace canon
