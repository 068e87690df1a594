#include "model/chain/transaction.h"

namespace canon
{

namespace
{
const char kTxDomain[] = "CanonChain/tx/v1";

void
WriteUnsigned(Writer& w, const Transaction& tx)
{
    w.U8(kTransactionVersion);
    w.U8(static_cast<uint8_t>(tx.type));
    w.Fixed(tx.sender);
    w.U64(tx.nonce);
    w.U64(tx.fee);
    w.Fixed(tx.czcHash);
    w.Var(tx.payload);
}
} // namespace

Bytes
TransferPayload::Encode() const
{
    Bytes out;
    Writer w(out);
    w.Fixed(to);
    w.U64(amount);
    return out;
}

Result<TransferPayload>
TransferPayload::Decode(const Bytes& payload)
{
    Reader r(payload, "transfer payload");
    TransferPayload p;
    p.to = r.Fixed<32>("to");
    p.amount = r.U64("amount");
    Status s = r.Finish();
    if (!s.IsOk())
    {
        return s;
    }
    return p;
}

Bytes
Transaction::SigningBytes() const
{
    Bytes out(kTxDomain, kTxDomain + sizeof kTxDomain - 1);
    Writer w(out);
    WriteUnsigned(w, *this);
    return out;
}

void
Transaction::Encode(Writer& w) const
{
    WriteUnsigned(w, *this);
    w.Fixed(signature);
}

Bytes
Transaction::Encode() const
{
    Bytes out;
    Writer w(out);
    Encode(w);
    return out;
}

Transaction
Transaction::ReadFrom(Reader& r)
{
    Transaction tx;
    r.Version(kTransactionVersion);
    uint8_t type = r.U8("type");
    if (r.IsOk() && type != static_cast<uint8_t>(TxType::kTransfer))
    {
        r.Fail("unknown transaction type " + std::to_string(type));
    }
    tx.type = static_cast<TxType>(type);
    tx.sender = r.Fixed<32>("sender");
    tx.nonce = r.U64("nonce");
    tx.fee = r.U64("fee");
    tx.czcHash = r.Fixed<32>("czc hash");
    tx.payload = r.Var("payload", kTxPayloadMax);
    tx.signature = r.Fixed<64>("signature");
    return tx;
}

Result<Transaction>
Transaction::Decode(const uint8_t* data, std::size_t size)
{
    Reader r(data, size, "transaction");
    Transaction tx = ReadFrom(r);
    Status s = r.Finish();
    if (!s.IsOk())
    {
        return s;
    }
    return tx;
}

Hash256
Transaction::Id() const
{
    return Blake2b256(Encode());
}

void
Transaction::SignWith(const KeyPair& key)
{
    sender = key.Public();
    signature = key.Sign(SigningBytes());
}

bool
Transaction::HasValidSignature() const
{
    return VerifySignature(sender, SigningBytes(), signature);
}

Transaction
MakeTransfer(const KeyPair& from, uint64_t nonce, uint64_t fee, const Hash256& czcHash,
             const Address& to, uint64_t amount)
{
    Transaction tx;
    tx.type = TxType::kTransfer;
    tx.nonce = nonce;
    tx.fee = fee;
    tx.czcHash = czcHash;
    tx.payload = TransferPayload{to, amount}.Encode();
    tx.SignWith(from);
    return tx;
}

} // namespace canon
