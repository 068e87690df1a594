#include "model/node/shared-transaction.h"

#include <deque>
#include <mutex>
#include <string_view>
#include <unordered_map>

namespace canon
{

SharedTransaction::SharedTransaction(Transaction tx, Bytes encoding)
  : m_tx(std::move(tx))
  , m_encoding(std::move(encoding))
  , m_id(Blake2b256(m_encoding))
{
}

bool
SharedTransaction::HasValidSignature() const
{
    uint8_t known = m_signature.load(std::memory_order_relaxed);
    if (known == 0)
    {
        known = m_tx.HasValidSignature() ? 1 : 2;
        m_signature.store(known, std::memory_order_relaxed);
    }
    return known == 1;
}

namespace
{

// The table's key: a view of an interned object's own encoding (valid while it is held).
std::string_view
View(const uint8_t* data, std::size_t size)
{
    return {reinterpret_cast<const char*>(data), size};
}

class InternTable
{
  public:
    TxPtr Find(std::string_view encoding)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        auto it = m_enabled ? m_byEncoding.find(encoding) : m_byEncoding.end();
        ++(it != m_byEncoding.end() ? m_stats.hits : m_stats.misses);
        return it != m_byEncoding.end() ? it->second : nullptr;
    }

    // The object held for tx's encoding, or `made` once held.
    TxPtr Remember(TxPtr made)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (!m_enabled)
        {
            return made;
        }
        const Bytes& e = made->Encoding();
        auto [it, added] = m_byEncoding.emplace(View(e.data(), e.size()), made);
        if (!added)
        {
            return it->second; // another thread was first
        }
        m_order.push_back(made);
        m_bytes += e.size();
        while (m_order.size() > kSharedTxMemoMax || m_bytes > kSharedTxMemoBytesMax)
        {
            const Bytes& old = m_order.front()->Encoding();
            m_byEncoding.erase(View(old.data(), old.size()));
            m_bytes -= old.size();
            m_order.pop_front();
        }
        return made;
    }

    void SetEnabled(bool enabled)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_enabled = enabled;
    }

    void Clear()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_byEncoding.clear();
        m_order.clear();
        m_bytes = 0;
        m_stats = {};
    }

    MemoStats Stats()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        MemoStats s = m_stats;
        s.size = m_order.size();
        return s;
    }

  private:
    std::mutex m_mutex;
    bool m_enabled = true;
    std::unordered_map<std::string_view, TxPtr> m_byEncoding;
    std::deque<TxPtr> m_order; // oldest first
    std::size_t m_bytes = 0;
    MemoStats m_stats;
};

InternTable&
Table()
{
    static InternTable table;
    return table;
}

// Where the payload length sits in an encoded transaction: version, type, sender, nonce, fee,
// czc hash (transaction.cc's layout; kTransactionEncodedMin counts it with the signature).
constexpr std::size_t kPayloadLengthAt = 1 + 1 + 32 + 8 + 8 + 32;

// The size of the encoded transaction at `data`, as its payload length says, or 0 when the
// `size` readable bytes cannot hold it.
std::size_t
EncodedSizeAt(const uint8_t* data, std::size_t size)
{
    if (size < kTransactionEncodedMin)
    {
        return 0;
    }
    std::size_t payload = 0;
    for (std::size_t i = 0; i < 4; ++i)
    {
        payload |= std::size_t{data[kPayloadLengthAt + i]} << (8 * i);
    }
    const std::size_t total = kTransactionEncodedMin + payload;
    return total <= size ? total : 0;
}

TxPtr
Share(Transaction tx, const uint8_t* data, std::size_t size)
{
    return Table().Remember(
        std::make_shared<const SharedTransaction>(std::move(tx), Bytes(data, data + size)));
}

} // namespace

TxPtr
ShareTransaction(const Transaction& tx)
{
    Bytes encoding = tx.Encode();
    if (TxPtr known = Table().Find(View(encoding.data(), encoding.size())))
    {
        return known;
    }
    return Table().Remember(std::make_shared<const SharedTransaction>(tx, std::move(encoding)));
}

TxPtr
ReadSharedTransaction(Reader& r)
{
    if (const std::size_t size = EncodedSizeAt(r.Here(), r.Remaining()))
    {
        if (TxPtr known = Table().Find(View(r.Here(), size)))
        {
            r.Skip(size, "transaction");
            return known;
        }
    }
    const uint8_t* start = r.Here();
    const std::size_t before = r.Position();
    Transaction tx = Transaction::ReadFrom(r);
    if (!r.IsOk())
    {
        return nullptr;
    }
    return Share(std::move(tx), start, r.Position() - before);
}

Result<TxPtr>
DecodeSharedTransaction(const uint8_t* data, std::size_t size)
{
    if (size != 0 && EncodedSizeAt(data, size) == size)
    {
        if (TxPtr known = Table().Find(View(data, size)))
        {
            return known;
        }
    }
    auto tx = Transaction::Decode(data, size);
    if (!tx.IsOk())
    {
        return tx.GetStatus();
    }
    return Share(std::move(tx).Value(), data, size);
}

void
SetSharedTransactionsEnabled(bool enabled)
{
    Table().SetEnabled(enabled);
}

void
ClearSharedTransactions()
{
    Table().Clear();
}

MemoStats
GetSharedTransactionStats()
{
    return Table().Stats();
}

} // namespace canon
