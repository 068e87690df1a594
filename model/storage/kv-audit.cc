#include "model/storage/kv-audit.h"

namespace canon
{

Bytes
KvBatch::Encode() const
{
    Bytes out;
    Writer w(out);
    w.U32(static_cast<uint32_t>(ops.size()));
    for (const KvOp& op : ops)
    {
        w.U8(op.erase ? 1 : 0);
        w.Var(Bytes(op.key.begin(), op.key.end()));
        w.Var(Bytes(op.value.begin(), op.value.end()));
    }
    return out;
}

Result<KvBatch>
KvBatch::Decode(const Bytes& b)
{
    Reader r(b, "key-value batch");
    KvBatch batch;
    const uint32_t n = r.Count("op count", kKvBatchOpsMax);
    for (uint32_t i = 0; i < n && r.IsOk(); ++i)
    {
        KvOp op;
        const uint8_t erase = r.U8("op kind");
        if (r.IsOk() && erase > 1)
        {
            r.Fail("op kind " + std::to_string(erase) + " is not 0 (put) or 1 (erase)");
        }
        op.erase = erase == 1;
        const Bytes key = r.Var("key", kKvKeyBytesMax);
        const Bytes value = r.Var("value", kKvValueBytesMax);
        if (r.IsOk() && op.erase && !value.empty())
        {
            r.Fail("an erase carries a value");
        }
        op.key.assign(key.begin(), key.end());
        op.value.assign(value.begin(), value.end());
        batch.ops.push_back(std::move(op));
    }
    if (Status s = r.Finish(); !s.IsOk())
    {
        return s;
    }
    return batch;
}

Hash256
ChainBatchHash(const Hash256& store, uint64_t seq, const Hash256& previous,
               const Bytes& encodedBatch)
{
    Blake2bHasher h;
    const std::string tag = "CanonChain/kv-batch/v1";
    h.Update(reinterpret_cast<const uint8_t*>(tag.data()), tag.size());
    h.Update(store);
    Bytes s;
    Writer(s).U64(seq);
    h.Update(s);
    h.Update(previous);
    h.Update(encodedBatch);
    return h.Final();
}

Bytes
KvAuditPayload::Encode() const
{
    Bytes out;
    Writer w(out);
    w.Fixed(store);
    w.U64(seq);
    w.Fixed(batchHash);
    return out;
}

Result<KvAuditPayload>
KvAuditPayload::Decode(const Bytes& payload)
{
    Reader r(payload, "key-value audit payload");
    KvAuditPayload p;
    p.store = r.Fixed<32>("store");
    p.seq = r.U64("sequence");
    p.batchHash = r.Fixed<32>("batch hash");
    if (Status s = r.Finish(); !s.IsOk())
    {
        return s;
    }
    return p;
}

Status
CheckKvAuditTx(const KvAuditState& state, const Transaction& tx)
{
    auto p = KvAuditPayload::Decode(tx.payload);
    if (!p.IsOk())
    {
        return p.GetStatus();
    }
    const KvStoreHead* head = state.heads.Find(p.Value().store);
    const uint64_t after = head ? head->seq : 0;
    if (head && head->owner != tx.SenderAddress())
    {
        return Status::Invalid("key-value store " + ShortHex(p.Value().store) + " is audited by " +
                               ShortHex(head->owner) + ", not by " + ShortHex(tx.SenderAddress()));
    }
    if (p.Value().seq <= after)
    {
        return Status::Invalid("key-value store " + ShortHex(p.Value().store) + ": batch " +
                               std::to_string(p.Value().seq) + " is not after batch " +
                               std::to_string(after));
    }
    return Status::Ok();
}

void
RecordKvAuditTx(KvAuditState& state, const Transaction& tx, uint64_t /* height */)
{
    const auto p = KvAuditPayload::Decode(tx.payload).Value();
    state.heads[p.store] = KvStoreHead{tx.SenderAddress(), p.seq, p.batchHash};
    state.batches[{p.store, p.seq}] = p.batchHash;
}

} // namespace canon
