#include "model/chain/block.h"

#include "model/chain/merkle.h"

namespace canon
{

namespace
{
const char kBlockDomain[] = "CanonChain/block/v1";

void
WriteUnsigned(Writer& w, const BlockHeader& h)
{
    const uint8_t version = h.feePrice != 0   ? kBlockVersionWithPrice
                            : h.proof.empty() ? kBlockVersion
                                              : kBlockVersionWithProof;
    w.U8(version);
    w.U64(h.height);
    w.U64(h.slot);
    w.Fixed(h.parent);
    w.Fixed(h.producer);
    w.Fixed(h.txRoot);
    w.I64(h.timestamp);
    if (version == kBlockVersionWithPrice)
    {
        w.U64(h.feePrice);
    }
    if (version != kBlockVersion)
    {
        w.Var(h.proof);
    }
}
} // namespace

Bytes
BlockHeader::SigningBytes() const
{
    Bytes out(kBlockDomain, kBlockDomain + sizeof kBlockDomain - 1);
    Writer w(out);
    WriteUnsigned(w, *this);
    return out;
}

void
BlockHeader::Encode(Writer& w) const
{
    WriteUnsigned(w, *this);
    w.Fixed(signature);
}

Bytes
BlockHeader::Encode() const
{
    Bytes out;
    Writer w(out);
    Encode(w);
    return out;
}

BlockHeader
BlockHeader::ReadFrom(Reader& r)
{
    BlockHeader h;
    const uint8_t version = r.U8("version");
    if (r.IsOk() && (version < kBlockVersion || version > kBlockVersionWithPrice))
    {
        r.Fail("unknown version " + std::to_string(version) + " (this build reads " +
               std::to_string(kBlockVersion) + " to " + std::to_string(kBlockVersionWithPrice) +
               ")");
    }
    h.height = r.U64("height");
    h.slot = r.U64("slot");
    h.parent = r.Fixed<32>("parent");
    h.producer = r.Fixed<32>("producer");
    h.txRoot = r.Fixed<32>("tx root");
    h.timestamp = r.I64("timestamp");
    if (version == kBlockVersionWithPrice)
    {
        h.feePrice = r.U64("fee price");
        h.proof = r.Var("proof", kBlockProofMax);
        if (r.IsOk() && h.feePrice == 0)
        {
            r.Fail("zero fee price in a version 3 header (versions 1 and 2 carry none)");
        }
    }
    if (version == kBlockVersionWithProof)
    {
        h.proof = r.Var("proof", kBlockProofMax);
        if (r.IsOk() && h.proof.empty())
        {
            r.Fail("empty proof in a version 2 header (version 1 carries no proof)");
        }
    }
    h.signature = r.Fixed<64>("signature");
    return h;
}

Result<BlockHeader>
BlockHeader::Decode(const Bytes& b)
{
    Reader r(b, "block header");
    BlockHeader h = ReadFrom(r);
    Status s = r.Finish();
    if (!s.IsOk())
    {
        return s;
    }
    return h;
}

Hash256
BlockHeader::Hash() const
{
    return Blake2b256(SigningBytes());
}

void
BlockHeader::SignWith(const KeyPair& key)
{
    producer = key.Public();
    signature = key.Sign(SigningBytes());
}

bool
BlockHeader::HasValidSignature() const
{
    return VerifySignature(producer, SigningBytes(), signature);
}

Bytes
Block::Encode() const
{
    Bytes out;
    Writer w(out);
    header.Encode(w);
    w.U32(static_cast<uint32_t>(txs.size()));
    for (const auto& tx : txs)
    {
        tx.Encode(w);
    }
    return out;
}

Result<Block>
Block::Decode(const uint8_t* data, std::size_t size)
{
    if (size > kBlockDecodeBytesMax)
    {
        return Status::Malformed("block: " + std::to_string(size) + " bytes exceeds limit " +
                                 std::to_string(kBlockDecodeBytesMax));
    }
    Reader r(data, size, "block");
    Block b;
    b.header = BlockHeader::ReadFrom(r);
    uint32_t n = r.Count("transaction count", kBlockDecodeTxMax);
    // A count the remaining bytes cannot hold is rejected before anything is allocated for it.
    if (r.IsOk() && n > r.Remaining() / kTransactionEncodedMin)
    {
        r.Fail("transaction count " + std::to_string(n) + " does not fit in " +
               std::to_string(r.Remaining()) + " bytes");
    }
    b.txs.reserve(r.IsOk() ? n : 0);
    for (uint32_t i = 0; i < n && r.IsOk(); ++i)
    {
        b.txs.push_back(Transaction::ReadFrom(r));
    }
    Status s = r.Finish();
    if (!s.IsOk())
    {
        return s;
    }
    return b;
}

Hash256
Block::ComputeTxRoot() const
{
    std::vector<Hash256> ids;
    ids.reserve(txs.size());
    for (const auto& tx : txs)
    {
        ids.push_back(tx.Id());
    }
    return MerkleRoot(std::move(ids));
}

} // namespace canon
