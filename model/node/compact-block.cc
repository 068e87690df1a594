#include "model/node/compact-block.h"

#include "model/chain/merkle.h"

#include <deque>
#include <map>
#include <mutex>
#include <sodium.h>
#include <unordered_map>

namespace canon
{

namespace
{
constexpr uint64_t kShortIdMask = (uint64_t{1} << (8 * kShortTxIdBytes)) - 1;

// The shared rebuilt blocks, by key and by the address of their block (held, so not reused).
class SharedBlockMemo
{
  public:
    SharedBlockPtr Find(const Hash256& key)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        auto it = m_byKey.find(key);
        return it == m_byKey.end() ? nullptr : it->second;
    }
    SharedBlockPtr FindBlock(const Block* block)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        auto it = m_byBlock.find(block);
        return it == m_byBlock.end() ? nullptr : it->second;
    }
    // The entry held for `key`, or `made` once held.
    SharedBlockPtr Remember(const Hash256& key, SharedBlockPtr made)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        auto [it, added] = m_byKey.emplace(key, made);
        if (!added)
        {
            return it->second;
        }
        m_byBlock.emplace(made->block.get(), made);
        m_order.push_back(key);
        while (m_order.size() > kSharedBlockMemoMax)
        {
            auto old = m_byKey.find(m_order.front());
            m_byBlock.erase(old->second->block.get());
            m_byKey.erase(old);
            m_order.pop_front();
        }
        return made;
    }

  private:
    std::mutex m_mutex;
    std::unordered_map<Hash256, SharedBlockPtr, Hash256Hasher> m_byKey;
    std::unordered_map<const Block*, SharedBlockPtr> m_byBlock;
    std::deque<Hash256> m_order; // oldest first
};

SharedBlockMemo&
Blocks()
{
    static SharedBlockMemo memo;
    return memo;
}

} // namespace

std::vector<Hash256>
TxIdsOf(const Block& block)
{
    if (SharedBlockPtr known = Blocks().FindBlock(&block))
    {
        return known->txIds;
    }
    std::vector<Hash256> ids;
    ids.reserve(block.txs.size());
    for (const Transaction& tx : block.txs)
    {
        ids.push_back(tx.Id());
    }
    return ids;
}

ShortIdKey
MakeShortIdKey(const Hash256& blockHash, uint64_t salt)
{
    Bytes seed(blockHash.begin(), blockHash.end());
    Writer w(seed);
    w.U64(salt);
    const Hash256 h = Blake2b256(seed);
    ShortIdKey key{};
    std::copy(h.begin(), h.begin() + key.size(), key.begin());
    return key;
}

uint64_t
ShortTxIdOf(const ShortIdKey& key, const Hash256& txId)
{
    static_assert(crypto_shorthash_KEYBYTES == 16 && crypto_shorthash_BYTES == 8);
    std::array<uint8_t, crypto_shorthash_BYTES> out{};
    crypto_shorthash(out.data(), txId.data(), txId.size(), key.data());
    uint64_t v = 0;
    for (std::size_t i = 0; i < out.size(); ++i)
    {
        v |= static_cast<uint64_t>(out[i]) << (8 * i);
    }
    return v & kShortIdMask;
}

std::optional<CompactBlockMessage>
MakeCompactBlock(const Block& block, uint64_t salt)
{
    CompactBlockMessage m;
    m.header = block.header;
    m.salt = salt;
    const ShortIdKey key = MakeShortIdKey(block.Hash(), salt);
    const std::vector<Hash256> ids = TxIdsOf(block);
    std::set<uint64_t> used;
    for (std::size_t i = 0; i < block.txs.size(); ++i)
    {
        const Transaction& tx = block.txs[i];
        if (tx.type == TxType::kEvidence)
        {
            m.prefilled.push_back({static_cast<uint32_t>(i), tx});
            continue;
        }
        const uint64_t id = ShortTxIdOf(key, ids[i]);
        if (!used.insert(id).second)
        {
            return std::nullopt;
        }
        m.shortIds.push_back(id);
    }
    return m;
}

PartialBlock::PartialBlock(const CompactBlockMessage& m, const Mempool& pool)
  : m_header(m.header)
  , m_txs(m.TxCount())
{
    for (const PrefilledTx& p : m.prefilled)
    {
        m_txs[p.index] = ShareTransaction(p.tx); // indexes checked by the decoder: in range
    }
    // Slot of each short id, in block order over the slots not prefilled.
    std::map<uint64_t, uint32_t> slotOf;
    uint32_t slot = 0;
    for (uint64_t id : m.shortIds)
    {
        while (m_txs[slot])
        {
            ++slot;
        }
        if (!slotOf.emplace(id, slot).second)
        {
            m_rebuildable = false;
            return;
        }
        ++slot;
    }
    const ShortIdKey key = MakeShortIdKey(m.header.Hash(), m.salt);
    std::vector<bool> ambiguous(m_txs.size(), false);
    pool.ForEach(
        [&](const TxPtr& tx)
        {
            auto it = slotOf.find(ShortTxIdOf(key, tx->Id()));
            if (it == slotOf.end())
            {
                return;
            }
            if (m_txs[it->second])
            {
                ambiguous[it->second] = true; // two mempool matches: trust neither
                return;
            }
            m_txs[it->second] = tx;
        });
    for (const auto& [id, s] : slotOf)
    {
        if (ambiguous[s])
        {
            m_txs[s].reset();
        }
    }
    for (uint32_t i = 0; i < m_txs.size(); ++i)
    {
        if (!m_txs[i])
        {
            m_missing.push_back(i);
        }
    }
    m_fromMempool = slotOf.size() - m_missing.size();
}

bool
PartialBlock::Fill(std::vector<TxPtr> txs)
{
    if (txs.size() != m_missing.size())
    {
        return false;
    }
    for (std::size_t i = 0; i < txs.size(); ++i)
    {
        m_txs[m_missing[i]] = std::move(txs[i]);
    }
    m_missing.clear();
    return true;
}

Block
PartialBlock::Assemble() const
{
    CANON_ASSERT(m_missing.empty(), "a partial block assembled with missing transactions");
    Block b;
    b.header = m_header;
    b.txs.reserve(m_txs.size());
    for (const auto& tx : m_txs)
    {
        b.txs.push_back(tx->Tx());
    }
    return b;
}

SharedBlockPtr
PartialBlock::Share() const
{
    CANON_ASSERT(m_missing.empty(), "a partial block shared with missing transactions");
    std::vector<Hash256> ids;
    ids.reserve(m_txs.size());
    Bytes head;
    Writer w(head);
    m_header.Encode(w);
    Blake2bHasher h;
    h.Update(head);
    for (const TxPtr& tx : m_txs)
    {
        ids.push_back(tx->Id());
        h.Update(tx->Id());
    }
    const Hash256 key = h.Final();
    if (SharedBlockPtr known = Blocks().Find(key))
    {
        return known;
    }
    auto made = std::make_shared<SharedBlock>();
    made->block = std::make_shared<const Block>(Assemble());
    made->wire = EncodeBlockMessage(*made->block);
    made->copy = Blake2b256(made->wire->data() + 2, made->wire->size() - 2);
    made->txRoot = MerkleRoot(ids);
    made->txIds = std::move(ids);
    return Blocks().Remember(key, std::move(made));
}

} // namespace canon
