#include "model/node/messages.h"

#include "model/consensus/pop-chain.h"

namespace canon
{

namespace
{

Bytes
Envelope(MessageType type)
{
    return Bytes{kMessageVersion, static_cast<uint8_t>(type)};
}

SharedBytes
Share(Bytes b)
{
    return std::make_shared<const Bytes>(std::move(b));
}

// Decodes `size` bytes at `data` as a block and reports its encoded size.
Result<std::pair<BlockPtr, std::size_t>>
DecodeBlockAt(const uint8_t* data, std::size_t size)
{
    auto b = Block::Decode(data, size);
    if (!b.IsOk())
    {
        return b.GetStatus();
    }
    return std::make_pair(std::make_shared<const Block>(std::move(b).Value()), size);
}

void
WriteLocator(Writer& w, const std::vector<Hash256>& locator, uint32_t max)
{
    w.U32(static_cast<uint32_t>(locator.size()));
    for (const auto& h : locator)
    {
        w.Fixed(h);
    }
    w.U32(max);
}

// The light-participant messages (everything after the envelope, read through `r`).
Result<DecodedMessage>
Finished(Reader& r, DecodedMessage m)
{
    if (Status s = r.Finish(); !s.IsOk())
    {
        return s;
    }
    return m;
}

Result<DecodedMessage>
DecodeHeader(Reader& r, DecodedMessage m)
{
    m.body = BlockHeader::ReadFrom(r);
    return Finished(r, std::move(m));
}

Result<DecodedMessage>
DecodeGetHeaders(Reader& r, DecodedMessage m)
{
    GetHeadersMessage g;
    const uint32_t n = r.Count("locator", static_cast<uint32_t>(kLocatorMax));
    for (uint32_t i = 0; i < n && r.IsOk(); ++i)
    {
        g.locator.push_back(r.Fixed<32>("locator hash"));
    }
    g.maxHeaders = r.U32("max headers");
    m.body = std::move(g);
    return Finished(r, std::move(m));
}

Result<DecodedMessage>
DecodeHeaders(Reader& r, DecodedMessage m)
{
    HeadersMessage h;
    const uint32_t n = r.Count("header count", kHeaderBatchMax);
    for (uint32_t i = 0; i < n && r.IsOk(); ++i)
    {
        h.headers.push_back(BlockHeader::ReadFrom(r));
    }
    m.body = std::move(h);
    return Finished(r, std::move(m));
}

Result<DecodedMessage>
DecodeGetProof(Reader& r, DecodedMessage m)
{
    GetProofMessage g;
    const uint32_t n = r.Count("transaction id count", kProofBatchMax);
    for (uint32_t i = 0; i < n && r.IsOk(); ++i)
    {
        g.txIds.push_back(r.Fixed<32>("transaction id"));
    }
    m.body = std::move(g);
    return Finished(r, std::move(m));
}

TxProof
ReadProof(Reader& r)
{
    TxProof p;
    p.txId = r.Fixed<32>("transaction id");
    const uint8_t found = r.U8("found");
    if (r.IsOk() && found > 1)
    {
        r.Fail("found flag " + std::to_string(found) + " is not 0 or 1");
    }
    p.found = found == 1;
    if (!p.found || !r.IsOk())
    {
        return p;
    }
    p.header = BlockHeader::ReadFrom(r);
    p.index = r.U32("leaf index");
    p.leafCount = r.U32("leaf count");
    if (r.IsOk() && (p.leafCount > kBlockDecodeTxMax || p.index >= p.leafCount))
    {
        r.Fail("leaf " + std::to_string(p.index) + " of " + std::to_string(p.leafCount) +
               " is outside a block");
    }
    const uint32_t n = r.Count("branch length", static_cast<uint32_t>(kMerkleBranchMax));
    for (uint32_t i = 0; i < n && r.IsOk(); ++i)
    {
        p.branch.push_back(r.Fixed<32>("branch hash"));
    }
    return p;
}

Result<DecodedMessage>
DecodeProof(Reader& r, DecodedMessage m)
{
    ProofMessage pm;
    const uint32_t n = r.Count("proof count", kProofBatchMax);
    for (uint32_t i = 0; i < n && r.IsOk(); ++i)
    {
        pm.proofs.push_back(ReadProof(r));
    }
    m.body = std::move(pm);
    return Finished(r, std::move(m));
}

} // namespace

const char*
MessageTypeName(MessageType t)
{
    switch (t)
    {
        case MessageType::kTransaction:
            return "transaction";
        case MessageType::kBlock:
            return "block";
        case MessageType::kGetBlocks:
            return "get-blocks";
        case MessageType::kBlocks:
            return "blocks";
        case MessageType::kEvidence:
            return "evidence";
        case MessageType::kHeader:
            return "header";
        case MessageType::kGetHeaders:
            return "get-headers";
        case MessageType::kHeaders:
            return "headers";
        case MessageType::kGetProof:
            return "get-proof";
        case MessageType::kProof:
            return "proof";
    }
    return "unknown";
}

SharedBytes
EncodeTransactionMessage(const Transaction& tx)
{
    Bytes out = Envelope(MessageType::kTransaction);
    Writer w(out);
    tx.Encode(w);
    return Share(std::move(out));
}

SharedBytes
EncodeBlockMessage(const Block& block)
{
    Bytes out = Envelope(MessageType::kBlock);
    Bytes b = block.Encode();
    out.insert(out.end(), b.begin(), b.end());
    return Share(std::move(out));
}

SharedBytes
EncodeGetBlocksMessage(const GetBlocksMessage& m)
{
    Bytes out = Envelope(MessageType::kGetBlocks);
    Writer w(out);
    WriteLocator(w, m.locator, m.maxBlocks);
    return Share(std::move(out));
}

SharedBytes
EncodeBlocksMessage(const std::vector<BlockPtr>& blocks)
{
    Bytes out = Envelope(MessageType::kBlocks);
    Writer w(out);
    w.U32(static_cast<uint32_t>(blocks.size()));
    for (const auto& b : blocks)
    {
        w.Var(b->Encode());
    }
    return Share(std::move(out));
}

SharedBytes
EncodeEvidenceMessage(const EquivocationEvidence& ev)
{
    Bytes out = Envelope(MessageType::kEvidence);
    Bytes b = ev.Encode();
    out.insert(out.end(), b.begin(), b.end());
    return Share(std::move(out));
}

SharedBytes
EncodeHeaderMessage(const BlockHeader& header)
{
    Bytes out = Envelope(MessageType::kHeader);
    Writer w(out);
    header.Encode(w);
    return Share(std::move(out));
}

SharedBytes
EncodeGetHeadersMessage(const GetHeadersMessage& m)
{
    Bytes out = Envelope(MessageType::kGetHeaders);
    Writer w(out);
    WriteLocator(w, m.locator, m.maxHeaders);
    return Share(std::move(out));
}

SharedBytes
EncodeHeadersMessage(const std::vector<BlockHeader>& headers)
{
    Bytes out = Envelope(MessageType::kHeaders);
    Writer w(out);
    w.U32(static_cast<uint32_t>(headers.size()));
    for (const auto& h : headers)
    {
        h.Encode(w);
    }
    return Share(std::move(out));
}

SharedBytes
EncodeGetProofMessage(const GetProofMessage& m)
{
    Bytes out = Envelope(MessageType::kGetProof);
    Writer w(out);
    w.U32(static_cast<uint32_t>(m.txIds.size()));
    for (const auto& id : m.txIds)
    {
        w.Fixed(id);
    }
    return Share(std::move(out));
}

SharedBytes
EncodeProofMessage(const ProofMessage& m)
{
    Bytes out = Envelope(MessageType::kProof);
    Writer w(out);
    w.U32(static_cast<uint32_t>(m.proofs.size()));
    for (const TxProof& p : m.proofs)
    {
        w.Fixed(p.txId);
        w.U8(p.found ? 1 : 0);
        if (!p.found)
        {
            continue;
        }
        p.header.Encode(w);
        w.U32(p.index);
        w.U32(p.leafCount);
        w.U32(static_cast<uint32_t>(p.branch.size()));
        for (const auto& h : p.branch)
        {
            w.Fixed(h);
        }
    }
    return Share(std::move(out));
}

Result<DecodedMessage>
DecodeMessage(const Bytes& bytes)
{
    Reader r(bytes, "message");
    r.Version(kMessageVersion);
    uint8_t type = r.U8("type");
    Status s = r.IsOk() ? Status::Ok() : r.Finish();
    if (!s.IsOk())
    {
        return s;
    }
    DecodedMessage m;
    m.size = bytes.size();
    m.type = static_cast<MessageType>(type);
    const uint8_t* body = bytes.data() + 2;
    const std::size_t bodySize = bytes.size() - 2;
    switch (m.type)
    {
        case MessageType::kTransaction:
        {
            auto tx = Transaction::Decode(body, bodySize);
            if (!tx.IsOk())
            {
                return tx.GetStatus();
            }
            m.body = std::move(tx).Value();
            return m;
        }
        case MessageType::kBlock:
        {
            auto b = DecodeBlockAt(body, bodySize);
            if (!b.IsOk())
            {
                return b.GetStatus();
            }
            m.body = std::move(b).Value();
            return m;
        }
        case MessageType::kGetBlocks:
        {
            GetBlocksMessage g;
            uint32_t n = r.Count("locator", static_cast<uint32_t>(kLocatorMax));
            for (uint32_t i = 0; i < n && r.IsOk(); ++i)
            {
                g.locator.push_back(r.Fixed<32>("locator hash"));
            }
            g.maxBlocks = r.U32("max blocks");
            if (s = r.Finish(); !s.IsOk())
            {
                return s;
            }
            m.body = std::move(g);
            return m;
        }
        case MessageType::kBlocks:
        {
            BlocksMessage bm;
            uint32_t n = r.Count("block count", kSyncBatchMax);
            for (uint32_t i = 0; i < n && r.IsOk(); ++i)
            {
                uint32_t len = r.U32("block length");
                if (r.IsOk() && len > r.Remaining())
                {
                    r.Fail("block length " + std::to_string(len) + " exceeds the message");
                    break;
                }
                auto b = DecodeBlockAt(bytes.data() + r.Position(), len);
                if (!b.IsOk())
                {
                    return b.GetStatus();
                }
                bm.blocks.push_back(std::move(b).Value());
                r.Skip(len, "block"); // decoded in place just above
            }
            if (s = r.Finish(); !s.IsOk())
            {
                return s;
            }
            m.body = std::move(bm);
            return m;
        }
        case MessageType::kEvidence:
        {
            auto ev = EquivocationEvidence::Decode(Bytes(body, body + bodySize));
            if (!ev.IsOk())
            {
                return ev.GetStatus();
            }
            m.body = std::move(ev).Value();
            return m;
        }
        case MessageType::kHeader:
            return DecodeHeader(r, std::move(m));
        case MessageType::kGetHeaders:
            return DecodeGetHeaders(r, std::move(m));
        case MessageType::kHeaders:
            return DecodeHeaders(r, std::move(m));
        case MessageType::kGetProof:
            return DecodeGetProof(r, std::move(m));
        case MessageType::kProof:
            return DecodeProof(r, std::move(m));
    }
    return Status::Malformed("message: unknown type " + std::to_string(type));
}

} // namespace canon
