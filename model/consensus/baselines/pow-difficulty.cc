#include "model/consensus/baselines/pow-difficulty.h"

#include "model/core/status.h"

#include <algorithm>
#include <cstdint>

namespace canon
{

namespace
{

// GCC's 128-bit integer: D (< 2^41) times a duration (< 2^63) needs more than 64 bits.
__extension__ typedef unsigned __int128 Uint128;

} // namespace

bool
IsRetargetHeight(uint64_t height, uint32_t window)
{
    return window > 0 && height > 0 && height % window == 0;
}

uint64_t
RetargetDifficulty(uint64_t difficulty, TimeNs actual, TimeNs expected)
{
    CANON_ASSERT(expected > 0, "retargeting needs a positive expected duration");
    const uint64_t want = static_cast<uint64_t>(expected);
    const uint64_t lo = std::max<uint64_t>(1, want / kPowRetargetClamp);
    const uint64_t hi =
        want > UINT64_MAX / kPowRetargetClamp ? UINT64_MAX : want * kPowRetargetClamp;
    const uint64_t span =
        std::clamp<uint64_t>(actual > 0 ? static_cast<uint64_t>(actual) : 0, lo, hi);
    const Uint128 scaled = static_cast<Uint128>(difficulty) * want / span;
    if (scaled > kPowDifficultyMax)
    {
        return kPowDifficultyMax;
    }
    return std::max<uint64_t>(kPowDifficultyMin, static_cast<uint64_t>(scaled));
}

} // namespace canon
