#include "model/consensus/baselines/poi-vesting.h"

#include "model/core/status.h"

namespace canon
{

namespace
{

// Day boundaries (positive multiples of blocksPerDay) in [from, to).
uint64_t
BoundariesBetween(uint64_t from, uint64_t to, uint64_t blocksPerDay)
{
    const uint64_t a = from < 1 ? 1 : from;
    if (to <= a)
    {
        return 0;
    }
    return (to - 1) / blocksPerDay - (a - 1) / blocksPerDay;
}

// floor(x · 9 / 10) without overflow.
uint64_t
NineTenths(uint64_t x)
{
    return x / 10 * 9 + x % 10 * 9 / 10;
}

} // namespace

PoiBalance
PoiBalance::Vested(uint64_t amount, uint64_t height)
{
    PoiBalance b;
    b.vested = amount;
    b.height = height;
    return b;
}

PoiBalance
PoiBalance::At(uint64_t at, uint64_t blocksPerDay) const
{
    CANON_ASSERT(blocksPerDay > 0, "vesting needs blocksPerDay > 0");
    CANON_ASSERT(at >= height, "vesting asked for a height before its last change");
    PoiBalance b = *this;
    // Each step shrinks a positive unvested part, so the loop ends within ~420 steps whatever
    // the number of boundaries.
    for (uint64_t k = BoundariesBetween(height, at, blocksPerDay); k > 0 && b.unvested > 0; --k)
    {
        const uint64_t kept = NineTenths(b.unvested);
        b.vested += b.unvested - kept;
        b.unvested = kept;
    }
    b.height = at;
    return b;
}

void
PoiBalance::Receive(uint64_t at, uint64_t amount, uint64_t blocksPerDay)
{
    *this = At(at, blocksPerDay);
    unvested += amount;
}

void
PoiBalance::Send(uint64_t at, uint64_t amount, uint64_t blocksPerDay)
{
    *this = At(at, blocksPerDay);
    CANON_ASSERT(amount <= Total(), "PoI vesting: a send above the balance");
    if (amount == 0)
    {
        return;
    }
    const double ratio = static_cast<double>(unvested) / static_cast<double>(Total());
    uint64_t fromUnvested = static_cast<uint64_t>(ratio * static_cast<double>(amount));
    fromUnvested = fromUnvested > unvested ? unvested : fromUnvested;
    const uint64_t fromVested = amount - fromUnvested;
    if (fromVested > vested)
    {
        unvested -= fromUnvested + (fromVested - vested);
        vested = 0;
    }
    else
    {
        unvested -= fromUnvested;
        vested -= fromVested;
    }
}

void
PoiBalance::MoveTo(uint64_t at, uint64_t total, uint64_t blocksPerDay)
{
    if (total > Total())
    {
        Receive(at, total - Total(), blocksPerDay);
    }
    else if (total < Total())
    {
        Send(at, Total() - total, blocksPerDay);
    }
}

} // namespace canon
