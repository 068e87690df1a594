#include "model/consensus/baselines/pow-mining.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace canon
{

namespace
{

constexpr uint64_t kTickMax = std::numeric_limits<uint64_t>::max();

uint64_t
SaturatingAdd(uint64_t a, uint64_t b)
{
    return a > kTickMax - b ? kTickMax : a + b;
}

// K = ceil(kPowChunkSuccesses / r), within [1, kPowChunkTicksMax]; 0 for a miner that never
// succeeds.
uint64_t
ChunkTicksFor(double rate)
{
    if (!(rate > 0.0) || !std::isfinite(rate))
    {
        return 0;
    }
    const double k = std::ceil(static_cast<double>(kPowChunkSuccesses) / rate);
    if (!(k < static_cast<double>(kPowChunkTicksMax)))
    {
        return kPowChunkTicksMax;
    }
    return std::max<uint64_t>(1, static_cast<uint64_t>(k));
}

Rng
ChunkRng(const Hash256& parent, const PublicKey& miner, uint64_t chunk)
{
    static const std::string kLabel = "canonsim/pow/ticks";
    Blake2bHasher h;
    h.Update(reinterpret_cast<const uint8_t*>(kLabel.data()), kLabel.size());
    h.Update(parent);
    h.Update(miner);
    uint8_t index[8];
    for (std::size_t i = 0; i < sizeof index; ++i)
    {
        index[i] = static_cast<uint8_t>(chunk >> (8 * i));
    }
    h.Update(index, sizeof index);
    return Rng(HashPrefix64(h.Final()));
}

} // namespace

PowSuccessTicks::PowSuccessTicks(const Hash256& parentHash, uint64_t parentSlot,
                                 const PublicKey& miner, double ratePerTick)
  : m_parentHash(parentHash)
  , m_parentSlot(parentSlot)
  , m_miner(miner)
  , m_rate(ratePerTick)
  , m_chunkTicks(ChunkTicksFor(ratePerTick))
{
}

uint64_t
PowSuccessTicks::DrawGap(Rng& rng) const
{
    const double x = rng.Exponential(1.0) / m_rate;
    if (!(x <= static_cast<double>(m_chunkTicks)))
    {
        return m_chunkTicks + 1;
    }
    return std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(x)));
}

std::optional<uint64_t>
PowSuccessTicks::FirstInChunk(uint64_t chunk, uint64_t lo) const
{
    Rng rng = ChunkRng(m_parentHash, m_miner, chunk);
    // chunk * K <= lo - parentSlot - 1: no overflow.
    const uint64_t start = m_parentSlot + chunk * m_chunkTicks;
    const uint64_t end = SaturatingAdd(start, m_chunkTicks);
    uint64_t tick = start;
    // Every gap is at least 1 tick, so at most K draws.
    while (true)
    {
        const uint64_t gap = DrawGap(rng);
        if (gap > end - tick)
        {
            return std::nullopt;
        }
        tick += gap;
        if (tick >= lo)
        {
            return tick;
        }
    }
}

std::optional<uint64_t>
PowSuccessTicks::FirstIn(uint64_t from, uint64_t horizon) const
{
    if (m_chunkTicks == 0 || m_parentSlot == kTickMax)
    {
        return std::nullopt;
    }
    const uint64_t end = SaturatingAdd(from, horizon); // exclusive
    uint64_t lo = std::max(from, m_parentSlot + 1);
    uint64_t chunk = (lo - m_parentSlot - 1) / m_chunkTicks;
    // Each pass moves lo to the next chunk: at most horizon / K + 1 passes.
    while (lo < end)
    {
        if (std::optional<uint64_t> tick = FirstInChunk(chunk, lo))
        {
            return *tick < end ? tick : std::nullopt;
        }
        const uint64_t chunkEnd = SaturatingAdd(m_parentSlot + chunk * m_chunkTicks, m_chunkTicks);
        if (chunkEnd == kTickMax)
        {
            return std::nullopt;
        }
        lo = chunkEnd + 1;
        ++chunk;
    }
    return std::nullopt;
}

bool
PowSuccessTicks::IsSuccess(uint64_t tick) const
{
    if (m_chunkTicks == 0 || tick <= m_parentSlot)
    {
        return false;
    }
    const uint64_t chunk = (tick - m_parentSlot - 1) / m_chunkTicks;
    const std::optional<uint64_t> first = FirstInChunk(chunk, tick);
    return first && *first == tick;
}

} // namespace canon
