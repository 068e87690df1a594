#include "model/consensus/baselines/poi-harvest.h"

#include <cmath>

namespace canon
{

namespace
{

__extension__ typedef unsigned __int128 Uint128;

constexpr double kTwoTo54 = 18014398509481984.0;

Hash256
TaggedHash(const char* tag, const Hash256& a, const uint8_t* b, std::size_t bSize)
{
    Blake2bHasher h;
    h.Update(reinterpret_cast<const uint8_t*>(tag), std::char_traits<char>::length(tag));
    h.Update(a);
    h.Update(b, bSize);
    return h.Final();
}

} // namespace

Hash256
PoiGenesisGenerationHash(const Hash256& genesisHash)
{
    return TaggedHash("canonsim/poi/generation/genesis", genesisHash, nullptr, 0);
}

Hash256
PoiGenerationHash(const Hash256& parentGenerationHash, const PublicKey& harvester)
{
    return TaggedHash("canonsim/poi/generation", parentGenerationHash, harvester.data(),
                      harvester.size());
}

uint64_t
PoiHit(const Hash256& generationHash)
{
    uint64_t g = 0;
    for (std::size_t i = 0; i < 8; ++i)
    {
        g = g << 8 | generationHash[i];
    }
    const double fraction = std::ldexp(static_cast<double>(g > 0 ? g : 1), -64);
    return static_cast<uint64_t>(kTwoTo54 * std::fabs(std::log(fraction)));
}

bool
PoiHitsTarget(uint64_t hit, uint64_t ticks, uint64_t effectiveImportance, uint64_t difficulty)
{
    CANON_ASSERT(difficulty > 0, "PoI difficulty must be positive");
    const Uint128 product = Uint128{ticks} * effectiveImportance;
    if (product >> 64 != 0)
    {
        return true; // target >= 2^128 / difficulty > 2^64 > hit
    }
    return Uint128{hit} < (product << 64) / difficulty;
}

std::optional<uint64_t>
PoiTicksToHit(uint64_t hit, uint64_t effectiveImportance, uint64_t difficulty)
{
    CANON_ASSERT(difficulty > 0, "PoI difficulty must be positive");
    if (effectiveImportance == 0)
    {
        return std::nullopt;
    }
    // hit < floor(Δt E 2^64 / D)  <=>  Δt E 2^64 >= (hit + 1) D. Both sides stay below 2^127:
    // hit < 2^60 (|ln| <= 44.4), D < 2^64, E < 2^63.
    const Uint128 need = (Uint128{hit} + 1) * difficulty;
    const Uint128 perTick = Uint128{effectiveImportance} << 64;
    const Uint128 ticks = need / perTick + (need % perTick != 0 ? 1 : 0);
    const uint64_t t = ticks > 0 ? static_cast<uint64_t>(ticks) : 1;
    CANON_ASSERT(PoiHitsTarget(hit, t, effectiveImportance, difficulty) &&
                     (t == 1 || !PoiHitsTarget(hit, t - 1, effectiveImportance, difficulty)),
                 "PoI closed-form wait disagrees with the target rule");
    return t;
}

uint64_t
PoiNextDifficulty(const std::vector<PoiBlockTime>& window, const PoiRules& rules)
{
    CANON_ASSERT(!window.empty() && window.size() <= kPoiDifficultyWindow,
                 "PoI difficulty window out of range");
    if (window.size() < 2)
    {
        return rules.initialDifficulty;
    }
    const uint64_t n = window.size();
    Uint128 sum = 0;
    for (const PoiBlockTime& b : window)
    {
        sum += b.difficulty;
    }
    const Uint128 average = sum / n;
    CANON_ASSERT(window.back().slot > window.front().slot, "PoI slots must increase");
    const Uint128 span =
        Uint128{window.back().slot - window.front().slot} * static_cast<uint64_t>(rules.tick);
    Uint128 d = average * static_cast<uint64_t>(rules.targetInterval) * (n - 1) / span;
    const Uint128 old = window.back().difficulty;
    if (19 * old > 20 * d)
    {
        d = 19 * old / 20;
    }
    else if (21 * old < 20 * d)
    {
        d = 21 * old / 20;
    }
    d = d < rules.difficultyMin ? rules.difficultyMin : d;
    d = d > rules.difficultyMax ? rules.difficultyMax : d;
    return static_cast<uint64_t>(d);
}

uint64_t
PoiBlockScore(uint64_t difficulty, uint64_t ticks)
{
    return difficulty > ticks ? difficulty - ticks : 0;
}

} // namespace canon
