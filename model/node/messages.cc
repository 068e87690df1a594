#include "model/node/messages.h"

#include "model/consensus/consensus-chain.h"
#include "model/node/shared-block-decode.h"

namespace canon
{

Bytes
MessageEnvelope(MessageType type)
{
    return Bytes{kMessageVersion, static_cast<uint8_t>(type)};
}

SharedBytes
ShareBytes(Bytes b)
{
    return std::make_shared<const Bytes>(std::move(b));
}

namespace
{

// Decodes `size` bytes at `data` as a block, through the process-wide table
// (shared-block-decode.h), and reports its encoded size.
Result<std::pair<BlockPtr, std::size_t>>
DecodeBlockAt(const uint8_t* data, std::size_t size)
{
    auto b = DecodeSharedBlock(data, size); // one decoded copy per process
    if (!b.IsOk())
    {
        return b.GetStatus();
    }
    return std::make_pair(std::move(b).Value(), size);
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

// A header pushed to a light participant, with its chain's rule epochs.
Result<DecodedMessage>
DecodeHeaderPush(Reader& r, DecodedMessage m)
{
    m.body = BlockHeader::ReadFrom(r);
    m.rules = ReadRuleEpochs(r);
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
    m.rules = ReadRuleEpochs(r);
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

// The announce and compact gossip messages.
Result<DecodedMessage>
DecodeGetBlock(Reader& r, DecodedMessage m)
{
    GetBlockMessage g;
    g.hash = r.Fixed<32>("block hash");
    m.body = g;
    return Finished(r, std::move(m));
}

Result<DecodedMessage>
DecodeTxIds(Reader& r, DecodedMessage m)
{
    TxIdsMessage t;
    const uint32_t n = r.Count("transaction id count", kTxIdBatchMax);
    for (uint32_t i = 0; i < n && r.IsOk(); ++i)
    {
        t.ids.push_back(r.Fixed<32>("transaction id"));
    }
    m.body = std::move(t);
    return Finished(r, std::move(m));
}

// `count` transactions, each read in place (Transaction::ReadFrom bounds its payload) or found
// decoded already (shared-transaction.h).
std::vector<TxPtr>
ReadTransactions(Reader& r, uint32_t count)
{
    std::vector<TxPtr> txs;
    for (uint32_t i = 0; i < count && r.IsOk(); ++i)
    {
        txs.push_back(ReadSharedTransaction(r));
    }
    return txs;
}

Result<DecodedMessage>
DecodeTxs(Reader& r, DecodedMessage m)
{
    TxsMessage t;
    t.txs = ReadTransactions(r, r.Count("transaction count", kTxIdBatchMax));
    m.body = std::move(t);
    return Finished(r, std::move(m));
}

uint64_t
ReadShortId(Reader& r)
{
    const auto b = r.Fixed<kShortTxIdBytes>("short id");
    uint64_t v = 0;
    for (std::size_t i = 0; i < kShortTxIdBytes; ++i)
    {
        v |= static_cast<uint64_t>(b[i]) << (8 * i);
    }
    return v;
}

Result<DecodedMessage>
DecodeCompactBlock(Reader& r, DecodedMessage m)
{
    CompactBlockMessage c;
    c.header = BlockHeader::ReadFrom(r);
    c.salt = r.U64("salt");
    const uint32_t total = r.Count("transaction count", kBlockDecodeTxMax);
    const uint32_t prefilled = r.Count("prefilled count", total);
    for (uint32_t i = 0; i < prefilled && r.IsOk(); ++i)
    {
        PrefilledTx p;
        p.index = r.U32("prefilled index");
        if (r.IsOk() && (p.index >= total || (i > 0 && p.index <= c.prefilled.back().index)))
        {
            r.Fail("prefilled index " + std::to_string(p.index) +
                   " is not ascending below the transaction count " + std::to_string(total));
        }
        p.tx = Transaction::ReadFrom(r);
        c.prefilled.push_back(std::move(p));
    }
    const std::size_t shortCount = r.IsOk() ? total - prefilled : 0;
    // Checked before anything is allocated for them: the count is the peer's word.
    if (r.IsOk() && r.Remaining() < shortCount * kShortTxIdBytes)
    {
        r.Fail(std::to_string(shortCount) + " short ids exceed the message");
    }
    for (std::size_t i = 0; i < shortCount && r.IsOk(); ++i)
    {
        c.shortIds.push_back(ReadShortId(r));
    }
    m.body = std::move(c);
    return Finished(r, std::move(m));
}

Result<DecodedMessage>
DecodeGetBlockTxn(Reader& r, DecodedMessage m)
{
    GetBlockTxnMessage g;
    g.hash = r.Fixed<32>("block hash");
    const uint32_t n = r.Count("index count", kBlockDecodeTxMax);
    for (uint32_t i = 0; i < n && r.IsOk(); ++i)
    {
        const uint32_t index = r.U32("index");
        if (r.IsOk() && (index >= kBlockDecodeTxMax || (i > 0 && index <= g.indexes.back())))
        {
            r.Fail("index " + std::to_string(index) + " is not ascending within a block");
        }
        g.indexes.push_back(index);
    }
    m.body = std::move(g);
    return Finished(r, std::move(m));
}

Result<DecodedMessage>
DecodeBlockTxn(Reader& r, DecodedMessage m)
{
    BlockTxnMessage b;
    b.hash = r.Fixed<32>("block hash");
    b.txs = ReadTransactions(r, r.Count("transaction count", kBlockDecodeTxMax));
    m.body = std::move(b);
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
        case MessageType::kAnnounceBlock:
            return "announce-block";
        case MessageType::kGetBlock:
            return "get-block";
        case MessageType::kAnnounceTxs:
            return "announce-txs";
        case MessageType::kGetTxs:
            return "get-txs";
        case MessageType::kTxs:
            return "txs";
        case MessageType::kCompactBlock:
            return "compact-block";
        case MessageType::kGetBlockTxn:
            return "get-block-txn";
        case MessageType::kBlockTxn:
            return "block-txn";
        case MessageType::kDataRequest:
            return "data-request";
        case MessageType::kDataResponse:
            return "data-response";
        case MessageType::kDhtFindProviders:
            return "dht-find-providers";
        case MessageType::kDhtProviders:
            return "dht-providers";
        case MessageType::kDhtAddProvider:
            return "dht-add-provider";
        case MessageType::kWantContent:
            return "want-content";
        case MessageType::kContentBlocks:
            return "content-blocks";
        case MessageType::kDontHave:
            return "dont-have";
        case MessageType::kOverlayRelay:
            return "overlay-relay";
    }
    return "unknown";
}

SharedBytes
EncodeTransactionMessage(const Transaction& tx)
{
    Bytes out = MessageEnvelope(MessageType::kTransaction);
    Writer w(out);
    tx.Encode(w);
    return ShareBytes(std::move(out));
}

SharedBytes
EncodeBlockMessage(const Block& block)
{
    Bytes out = MessageEnvelope(MessageType::kBlock);
    Bytes b = block.Encode();
    out.insert(out.end(), b.begin(), b.end());
    return ShareBytes(std::move(out));
}

SharedBytes
EncodeGetBlocksMessage(const GetBlocksMessage& m)
{
    Bytes out = MessageEnvelope(MessageType::kGetBlocks);
    Writer w(out);
    WriteLocator(w, m.locator, m.maxBlocks);
    return ShareBytes(std::move(out));
}

SharedBytes
EncodeBlocksMessage(const std::vector<BlockPtr>& blocks)
{
    Bytes out = MessageEnvelope(MessageType::kBlocks);
    Writer w(out);
    w.U32(static_cast<uint32_t>(blocks.size()));
    for (const auto& b : blocks)
    {
        w.Var(b->Encode());
    }
    return ShareBytes(std::move(out));
}

SharedBytes
EncodeEvidenceMessage(const EquivocationEvidence& ev)
{
    Bytes out = MessageEnvelope(MessageType::kEvidence);
    Bytes b = ev.Encode();
    out.insert(out.end(), b.begin(), b.end());
    return ShareBytes(std::move(out));
}

SharedBytes
EncodeHeaderMessage(const BlockHeader& header, const RuleEpochs& rules)
{
    Bytes out = MessageEnvelope(MessageType::kHeader);
    Writer w(out);
    header.Encode(w);
    WriteRuleEpochs(w, rules);
    return ShareBytes(std::move(out));
}

SharedBytes
EncodeGetHeadersMessage(const GetHeadersMessage& m)
{
    Bytes out = MessageEnvelope(MessageType::kGetHeaders);
    Writer w(out);
    WriteLocator(w, m.locator, m.maxHeaders);
    return ShareBytes(std::move(out));
}

SharedBytes
EncodeHeadersMessage(const std::vector<BlockHeader>& headers, const RuleEpochs& rules)
{
    Bytes out = MessageEnvelope(MessageType::kHeaders);
    Writer w(out);
    w.U32(static_cast<uint32_t>(headers.size()));
    for (const auto& h : headers)
    {
        h.Encode(w);
    }
    WriteRuleEpochs(w, rules);
    return ShareBytes(std::move(out));
}

SharedBytes
EncodeGetProofMessage(const GetProofMessage& m)
{
    Bytes out = MessageEnvelope(MessageType::kGetProof);
    Writer w(out);
    w.U32(static_cast<uint32_t>(m.txIds.size()));
    for (const auto& id : m.txIds)
    {
        w.Fixed(id);
    }
    return ShareBytes(std::move(out));
}

SharedBytes
EncodeProofMessage(const ProofMessage& m)
{
    Bytes out = MessageEnvelope(MessageType::kProof);
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
    return ShareBytes(std::move(out));
}

SharedBytes
EncodeAnnounceBlockMessage(const BlockHeader& header)
{
    Bytes out = MessageEnvelope(MessageType::kAnnounceBlock);
    Writer w(out);
    header.Encode(w);
    return ShareBytes(std::move(out));
}

SharedBytes
EncodeTransactionMessage(const SharedTransaction& tx)
{
    Bytes out = MessageEnvelope(MessageType::kTransaction);
    out.insert(out.end(), tx.Encoding().begin(), tx.Encoding().end());
    return ShareBytes(std::move(out));
}

SharedBytes
EncodeGetBlockMessage(const GetBlockMessage& m)
{
    Bytes out = MessageEnvelope(MessageType::kGetBlock);
    Writer w(out);
    w.Fixed(m.hash);
    return ShareBytes(std::move(out));
}

SharedBytes
EncodeTxIdsMessage(MessageType type, const TxIdsMessage& m)
{
    Bytes out = MessageEnvelope(type);
    Writer w(out);
    w.U32(static_cast<uint32_t>(m.ids.size()));
    for (const auto& id : m.ids)
    {
        w.Fixed(id);
    }
    return ShareBytes(std::move(out));
}

SharedBytes
EncodeTxsMessage(const std::vector<const Transaction*>& txs)
{
    Bytes out = MessageEnvelope(MessageType::kTxs);
    Writer w(out);
    w.U32(static_cast<uint32_t>(txs.size()));
    for (const Transaction* tx : txs)
    {
        tx->Encode(w);
    }
    return ShareBytes(std::move(out));
}

SharedBytes
EncodeSharedTxsMessage(const std::vector<TxPtr>& txs)
{
    Bytes out = MessageEnvelope(MessageType::kTxs);
    Writer w(out);
    w.U32(static_cast<uint32_t>(txs.size()));
    for (const TxPtr& tx : txs)
    {
        w.Raw(tx->Encoding().data(), tx->Encoding().size());
    }
    return ShareBytes(std::move(out));
}

SharedBytes
EncodeCompactBlockMessage(const CompactBlockMessage& m)
{
    Bytes out = MessageEnvelope(MessageType::kCompactBlock);
    Writer w(out);
    m.header.Encode(w);
    w.U64(m.salt);
    w.U32(static_cast<uint32_t>(m.TxCount()));
    w.U32(static_cast<uint32_t>(m.prefilled.size()));
    for (const PrefilledTx& p : m.prefilled)
    {
        w.U32(p.index);
        p.tx.Encode(w);
    }
    for (uint64_t id : m.shortIds)
    {
        for (std::size_t i = 0; i < kShortTxIdBytes; ++i)
        {
            w.U8(static_cast<uint8_t>(id >> (8 * i)));
        }
    }
    return ShareBytes(std::move(out));
}

SharedBytes
EncodeGetBlockTxnMessage(const GetBlockTxnMessage& m)
{
    Bytes out = MessageEnvelope(MessageType::kGetBlockTxn);
    Writer w(out);
    w.Fixed(m.hash);
    w.U32(static_cast<uint32_t>(m.indexes.size()));
    for (uint32_t i : m.indexes)
    {
        w.U32(i);
    }
    return ShareBytes(std::move(out));
}

SharedBytes
EncodeBlockTxnMessage(const Hash256& hash, const std::vector<const Transaction*>& txs)
{
    Bytes out = MessageEnvelope(MessageType::kBlockTxn);
    Writer w(out);
    w.Fixed(hash);
    w.U32(static_cast<uint32_t>(txs.size()));
    for (const Transaction* tx : txs)
    {
        tx->Encode(w);
    }
    return ShareBytes(std::move(out));
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
            auto tx = DecodeSharedTransaction(body, bodySize);
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
            return DecodeHeaderPush(r, std::move(m));
        case MessageType::kGetHeaders:
            return DecodeGetHeaders(r, std::move(m));
        case MessageType::kHeaders:
            return DecodeHeaders(r, std::move(m));
        case MessageType::kGetProof:
            return DecodeGetProof(r, std::move(m));
        case MessageType::kProof:
            return DecodeProof(r, std::move(m));
        case MessageType::kAnnounceBlock:
            return DecodeHeader(r, std::move(m));
        case MessageType::kGetBlock:
            return DecodeGetBlock(r, std::move(m));
        case MessageType::kAnnounceTxs:
        case MessageType::kGetTxs:
            return DecodeTxIds(r, std::move(m));
        case MessageType::kTxs:
            return DecodeTxs(r, std::move(m));
        case MessageType::kCompactBlock:
            return DecodeCompactBlock(r, std::move(m));
        case MessageType::kGetBlockTxn:
            return DecodeGetBlockTxn(r, std::move(m));
        case MessageType::kBlockTxn:
            return DecodeBlockTxn(r, std::move(m));
        case MessageType::kDataRequest:
        case MessageType::kDataResponse:
            return Status::Malformed("message: data messages are decoded by DecodeDataMessage "
                                     "(model/data/data-messages.h)");
        case MessageType::kDhtFindProviders:
        case MessageType::kDhtProviders:
        case MessageType::kDhtAddProvider:
        case MessageType::kWantContent:
        case MessageType::kContentBlocks:
        case MessageType::kDontHave:
            return Status::Malformed("message: storage messages are decoded by "
                                     "DecodeStorageMessage (model/storage/storage-messages.h)");
        case MessageType::kOverlayRelay:
            return Status::Malformed("message: relayed messages are decoded by "
                                     "DecodeOverlayRelay (model/data/overlay-relay.h)");
    }
    return Status::Malformed("message: unknown type " + std::to_string(type));
}

} // namespace canon
