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
    w.U32(static_cast<uint32_t>(m.locator.size()));
    for (const auto& h : m.locator)
    {
        w.Fixed(h);
    }
    w.U32(m.maxBlocks);
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
    }
    return Status::Malformed("message: unknown type " + std::to_string(type));
}

} // namespace canon
