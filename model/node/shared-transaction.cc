#include "model/node/shared-transaction.h"

#include "model/core/intern-table.h"

namespace canon
{

SharedTransaction::SharedTransaction(Transaction tx, Bytes encoding)
  : m_tx(std::move(tx))
  , m_encoding(std::move(encoding))
  , m_id(Blake2b256(m_encoding))
  , m_sender(m_tx.SenderAddress())
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

InternTable<SharedTransaction>&
Table()
{
    static InternTable<SharedTransaction> table(kSharedTxMemoMax, kSharedTxMemoBytesMax);
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
    if (TxPtr known = Table().Find(EncodingView(encoding.data(), encoding.size())))
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
        if (TxPtr known = Table().Find(EncodingView(r.Here(), size)))
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
        if (TxPtr known = Table().Find(EncodingView(data, size)))
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
