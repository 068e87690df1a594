#include "model/chain/transaction.h"

namespace canon
{

namespace
{
const char kTxDomain[] = "CanonChain/tx/v1";

void
WriteUnsigned(Writer& w, const Transaction& tx)
{
    w.U8(tx.tip == 0 ? kTransactionVersion : kTransactionVersionWithTip);
    w.U8(static_cast<uint8_t>(tx.type));
    w.Fixed(tx.sender);
    w.U64(tx.nonce);
    w.U64(tx.fee);
    if (tx.tip != 0)
    {
        w.U64(tx.tip);
    }
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

std::size_t
PayloadMaxFor(uint8_t type)
{
    switch (static_cast<TxType>(type))
    {
        case TxType::kTransfer:
        case TxType::kContributionClaim:
        case TxType::kVote:
        case TxType::kEvidence:
        case TxType::kChannelOpen:
        case TxType::kChannelCoopClose:
        case TxType::kChannelClose:
        case TxType::kChannelChallenge:
        case TxType::kChannelHtlcClaim:
        case TxType::kChannelSettle:
        case TxType::kGovProposal:
        case TxType::kGovVote:
        case TxType::kGovTestReport:
        case TxType::kGovUpgradeSignal:
        case TxType::kGovFreeze:
        case TxType::kDataRegister:
        case TxType::kDataGrant:
        case TxType::kDataRevoke:
        case TxType::kKvAudit:
            return kTxPayloadMax;
        case TxType::kCzrReport:
            return kCzrReportPayloadMax;
        case TxType::kContractDeploy:
        case TxType::kContractCall:
        case TxType::kDeviceRegister:
        case TxType::kDeviceEvent:
        case TxType::kCallbackRegister:
            return kContractPayloadMax;
    }
    return 0;
}

Bytes
ClaimPayload::Encode() const
{
    Bytes out;
    Writer w(out);
    w.U64(epoch);
    w.U64(score);
    w.U32(region);
    w.U8(application);
    return out;
}

Result<ClaimPayload>
ClaimPayload::Decode(const Bytes& payload)
{
    Reader r(payload, "claim payload");
    ClaimPayload p;
    p.epoch = r.U64("epoch");
    p.score = r.U64("score");
    p.region = r.U32("region");
    p.application = r.U8("application");
    Status s = r.Finish();
    if (!s.IsOk())
    {
        return s;
    }
    return p;
}

Bytes
CzrReportPayload::Encode() const
{
    Bytes out;
    Writer w(out);
    w.U64(epoch);
    w.U32(static_cast<uint32_t>(entries.size()));
    for (const auto& e : entries)
    {
        w.Fixed(e.account);
        w.U64(e.resource);
        w.U64(e.betweenness);
        w.U64(e.total);
        w.U32(e.region);
        w.U8(e.application);
    }
    if (unnamedCount > 0)
    {
        w.U32(unnamedCount);
        w.U64(unnamedTotal);
    }
    return out;
}

Result<CzrReportPayload>
CzrReportPayload::Decode(const Bytes& payload)
{
    Reader r(payload, "CZR report payload");
    CzrReportPayload p;
    p.epoch = r.U64("epoch");
    constexpr uint32_t kEntryBytes = 32 + 8 + 8 + 8 + 4 + 1;
    const uint32_t n =
        r.Count("entry count", static_cast<uint32_t>(kCzrReportPayloadMax / kEntryBytes));
    for (uint32_t i = 0; i < n && r.IsOk(); ++i)
    {
        CzrReportEntry e;
        e.account = r.Fixed<32>("account");
        e.resource = r.U64("resource");
        e.betweenness = r.U64("betweenness");
        e.total = r.U64("total");
        e.region = r.U32("region");
        e.application = r.U8("application");
        if (r.IsOk() && !p.entries.empty() && !(p.entries.back().account < e.account))
        {
            r.Fail("entries not sorted by account or duplicated");
        }
        p.entries.push_back(e);
    }
    if (r.Remaining() > 0)
    {
        p.unnamedCount = r.U32("unnamed count");
        p.unnamedTotal = r.U64("unnamed total");
        if (r.IsOk() && p.unnamedCount == 0)
        {
            r.Fail("unnamed count 0 with a trailer (a report naming everyone has none)");
        }
    }
    Status s = r.Finish();
    if (!s.IsOk())
    {
        return s;
    }
    return p;
}

Bytes
VotePayload::Encode() const
{
    Bytes out;
    Writer w(out);
    w.U32(static_cast<uint32_t>(candidates.size()));
    for (const auto& c : candidates)
    {
        w.Fixed(c);
    }
    return out;
}

Result<VotePayload>
VotePayload::Decode(const Bytes& payload)
{
    Reader r(payload, "vote payload");
    VotePayload p;
    const uint32_t n = r.Count("candidate count", kVoteCandidatesMax);
    for (uint32_t i = 0; i < n && r.IsOk(); ++i)
    {
        p.candidates.push_back(r.Fixed<32>("candidate"));
        for (std::size_t k = 0; r.IsOk() && k + 1 < p.candidates.size(); ++k)
        {
            if (p.candidates[k] == p.candidates.back())
            {
                r.Fail("candidate listed twice");
            }
        }
    }
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
    const uint8_t version = r.U8("version");
    if (r.IsOk() && version != kTransactionVersion && version != kTransactionVersionWithTip)
    {
        r.Fail("unknown version " + std::to_string(version) + " (this build reads " +
               std::to_string(kTransactionVersion) + " and " +
               std::to_string(kTransactionVersionWithTip) + ")");
    }
    uint8_t type = r.U8("type");
    if (r.IsOk() && PayloadMaxFor(type) == 0)
    {
        r.Fail("unknown transaction type " + std::to_string(type));
    }
    tx.type = static_cast<TxType>(type);
    tx.sender = r.Fixed<32>("sender");
    tx.nonce = r.U64("nonce");
    tx.fee = r.U64("fee");
    if (version == kTransactionVersionWithTip)
    {
        tx.tip = r.U64("tip");
        if (r.IsOk() && tx.tip == 0)
        {
            r.Fail("zero tip in a version 2 transaction (version 1 carries no tip)");
        }
    }
    tx.czcHash = r.Fixed<32>("czc hash");
    tx.payload = r.Var("payload", PayloadMaxFor(type));
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
MakeTransaction(const KeyPair& from, TxType type, uint64_t nonce, uint64_t fee,
                const Hash256& czcHash, Bytes payload)
{
    Transaction tx;
    tx.type = type;
    tx.nonce = nonce;
    tx.fee = fee;
    tx.czcHash = czcHash;
    tx.payload = std::move(payload);
    tx.SignWith(from);
    return tx;
}

Transaction
MakeTransfer(const KeyPair& from, uint64_t nonce, uint64_t fee, const Hash256& czcHash,
             const Address& to, uint64_t amount)
{
    return MakeTransaction(from, TxType::kTransfer, nonce, fee, czcHash,
                           TransferPayload{to, amount}.Encode());
}

} // namespace canon
