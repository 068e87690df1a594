#include "model/consensus/block-outcome-memo.h"

#include "model/core/bounded-fifo-map.h"
#include "model/core/encoding.h"

#include <cstring>
#include <mutex>

namespace canon
{

namespace
{

uint64_t
DoubleBits(double d)
{
    uint64_t bits = 0;
    std::memcpy(&bits, &d, sizeof bits);
    return bits;
}

class OutcomeMemo
{
  public:
    BlockOutcomePtr Find(const Hash256& key)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        const BlockOutcomePtr* known = m_enabled ? m_table.Find(key) : nullptr;
        ++(known ? m_stats.hits : m_stats.misses);
        return known ? *known : nullptr;
    }

    void Remember(const Hash256& key, BlockOutcomePtr outcome)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_enabled)
        {
            m_table.Insert(key, std::move(outcome));
        }
    }

    std::shared_ptr<const LedgerState> Genesis(const ChainParams& params, const Hash256& digest)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (const auto* known = m_genesis.Find(digest))
        {
            return *known;
        }
        auto state = std::make_shared<const LedgerState>(LedgerState::FromGenesis(params));
        m_genesis.Insert(digest, state);
        return state;
    }

    void SetEnabled(bool enabled)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_enabled = enabled;
    }

    void Clear()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_table.Clear();
        m_genesis.Clear();
        m_stats = {};
    }

    BlockOutcomeMemoStats Stats()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        BlockOutcomeMemoStats s = m_stats;
        s.size = m_table.Size();
        return s;
    }

  private:
    std::mutex m_mutex;
    bool m_enabled = true;
    BoundedFifoMap<Hash256, BlockOutcomePtr, Hash256Hasher> m_table{kBlockOutcomeMemoMax};
    BoundedFifoMap<Hash256, std::shared_ptr<const LedgerState>, Hash256Hasher> m_genesis{
        kGenesisStateMemoMax};
    BlockOutcomeMemoStats m_stats;
};

OutcomeMemo&
Memo()
{
    static OutcomeMemo memo;
    return memo;
}

} // namespace

Hash256
ChainParamsDigest(const ChainParams& params)
{
    // GenesisHash commits to every field but these (and to two doubles only to 1e-9).
    Bytes b;
    Writer w(b);
    const std::string tag = "canonsim/block-outcome/params/v1";
    w.Raw(reinterpret_cast<const uint8_t*>(tag.data()), tag.size());
    w.Fixed(params.GenesisHash());
    w.U64(params.feeMin);
    w.I64(params.clockDriftMax);
    w.U64(DoubleBits(params.election.driftThreshold));
    w.U64(DoubleBits(params.election.overclaimTolerance));
    return Blake2b256(b);
}

Hash256
BlockOutcomeKey(const Hash256& parentKey, const Block& block, std::size_t encodedSize)
{
    const Bytes encoded = block.Encode();
    Bytes head;
    Writer w(head);
    w.Fixed(parentKey);
    w.U64(encodedSize);
    Blake2bHasher h;
    h.Update(head.data(), head.size());
    h.Update(encoded.data(), encoded.size());
    return h.Final();
}

BlockOutcomePtr
FindBlockOutcome(const Hash256& key)
{
    return Memo().Find(key);
}

void
RememberBlockOutcome(const Hash256& key, BlockOutcomePtr outcome)
{
    Memo().Remember(key, std::move(outcome));
}

std::shared_ptr<const LedgerState>
SharedGenesisState(const ChainParams& params, const Hash256& digest)
{
    return Memo().Genesis(params, digest);
}

void
SetBlockOutcomeMemoEnabled(bool enabled)
{
    Memo().SetEnabled(enabled);
}

void
ClearBlockOutcomeMemo()
{
    Memo().Clear();
}

BlockOutcomeMemoStats
GetBlockOutcomeMemoStats()
{
    return Memo().Stats();
}

} // namespace canon
