#include "model/core/rng.h"

#include "model/core/hash.h"
#include "model/core/status.h"

#include <cmath>

namespace canon
{

namespace
{

uint64_t
SplitMix64(uint64_t& x)
{
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t
Rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

} // namespace

Rng::Rng(uint64_t seed)
{
    uint64_t x = seed;
    for (auto& s : m_s)
    {
        s = SplitMix64(x);
    }
}

Rng
Rng::Derive(uint64_t seed, const std::string& purpose, uint64_t index)
{
    std::string label = std::to_string(seed) + "/" + purpose + "/" + std::to_string(index);
    return Rng(HashPrefix64(Blake2b256(label)));
}

uint64_t
Rng::Next()
{
    uint64_t result = Rotl(m_s[1] * 5, 7) * 9;
    uint64_t t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = Rotl(m_s[3], 45);
    return result;
}

uint64_t
Rng::Below(uint64_t bound)
{
    CANON_ASSERT(bound > 0, "Rng::Below needs a positive bound");
    uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    uint64_t v;
    do
    {
        v = Next();
    } while (v >= limit);
    return v % bound;
}

double
Rng::Uniform()
{
    return static_cast<double>(Next() >> 11) * 0x1.0p-53;
}

double
Rng::Exponential(double mean)
{
    return -mean * std::log1p(-Uniform());
}

} // namespace canon
