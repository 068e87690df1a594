// Deterministic random streams (DESIGN.md 4.4): every stream is derived from the run seed and a
// purpose label, so adding a consumer of randomness in one place never shifts another's draws.
// The generator is SplitMix64-seeded xoshiro256**; the distributions are written here rather
// than taken from <random>, whose distributions differ between standard libraries.
#ifndef CANONSIM_CORE_RNG_H
#define CANONSIM_CORE_RNG_H

#include <cstdint>
#include <string>

namespace canon
{

class Rng
{
  public:
    explicit Rng(uint64_t seed);
    // A stream for one purpose: Rng::Derive(seed, "faults", nodeIndex).
    static Rng Derive(uint64_t seed, const std::string& purpose, uint64_t index = 0);

    uint64_t Next();
    // Uniform in [0, bound) without modulo bias; bound > 0.
    uint64_t Below(uint64_t bound);
    // Uniform in [0, 1).
    double Uniform();
    bool Chance(double p) { return Uniform() < p; }
    // Exponential with the given mean.
    double Exponential(double mean);

  private:
    uint64_t m_s[4];
};

} // namespace canon

#endif
