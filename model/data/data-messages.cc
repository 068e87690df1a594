#include "model/data/data-messages.h"

namespace canon
{

namespace
{

const char kRequestDomain[] = "CanonChain/data-request/v1";

void
WriteRequestFields(Writer& w, const DataRequest& m)
{
    w.Fixed(m.requester);
    w.Fixed(m.stream);
    w.U64(m.requestId);
    w.I64(m.sentAt);
}

Result<DecodedDataMessage>
Finished(Reader& r, DecodedDataMessage m)
{
    if (Status s = r.Finish(); !s.IsOk())
    {
        return s;
    }
    return m;
}

Result<DecodedDataMessage>
DecodeRequest(Reader& r)
{
    DataRequest q;
    q.requester = r.Fixed<32>("requester");
    q.stream = r.Fixed<32>("stream");
    q.requestId = r.U64("request id");
    q.sentAt = r.I64("sent at");
    q.signature = r.Fixed<64>("signature");
    return Finished(r, DecodedDataMessage{MessageType::kDataRequest, q});
}

// Reads the decision, the reason and, when served, the data; checks they agree.
void
ReadOutcome(Reader& r, DataResponse& p)
{
    const uint8_t decision = r.U8("decision");
    const uint8_t reason = r.U8("reason");
    if (r.IsOk() && decision > static_cast<uint8_t>(DataDecision::kRefused))
    {
        r.Fail("decision " + std::to_string(decision) + " is not 0 (served) or 1 (refused)");
    }
    if (r.IsOk() && reason >= static_cast<uint8_t>(DataRefusal::kRefusalCodesEnd))
    {
        r.Fail("unknown refusal reason " + std::to_string(reason));
    }
    if (r.IsOk() && (decision == 0) != (reason == 0))
    {
        r.Fail("a served response carries no reason and a refusal one");
    }
    p.decision = static_cast<DataDecision>(decision);
    p.reason = static_cast<DataRefusal>(reason);
}

Result<DecodedDataMessage>
DecodeResponse(Reader& r)
{
    DataResponse p;
    p.requestId = r.U64("request id");
    p.stream = r.Fixed<32>("stream");
    ReadOutcome(r, p);
    p.keyVersion = r.U32("key version");
    p.data.nonce = r.Fixed<24>("nonce");
    p.data.ciphertext = r.Var("ciphertext", kDataResponseBytesMax);
    if (r.IsOk() && p.decision == DataDecision::kRefused &&
        (!p.data.ciphertext.empty() || p.keyVersion != 0 || p.data.nonce != DataNonce{}))
    {
        r.Fail("a refusal carries data");
    }
    return Finished(r, DecodedDataMessage{MessageType::kDataResponse, p});
}

} // namespace

const char*
DataRefusalName(DataRefusal r)
{
    switch (r)
    {
        case DataRefusal::kNone:
            return "none";
        case DataRefusal::kNoGrant:
            return "no-grant";
        case DataRefusal::kRevoked:
            return "revoked";
        case DataRefusal::kBadSignature:
            return "bad-signature";
        case DataRefusal::kReplayed:
            return "replayed";
        case DataRefusal::kStale:
            return "stale";
        case DataRefusal::kUnknownStream:
            return "unknown-stream";
        case DataRefusal::kNotRegistered:
            return "not-registered";
        case DataRefusal::kBusy:
            return "busy";
        case DataRefusal::kRefusalCodesEnd:
            break;
    }
    return "unknown";
}

const char*
DataDecisionName(DataDecision d)
{
    return d == DataDecision::kServed ? "served" : "refused";
}

Bytes
DataRequest::SigningBytes() const
{
    Bytes out(kRequestDomain, kRequestDomain + sizeof kRequestDomain - 1);
    Writer w(out);
    WriteRequestFields(w, *this);
    return out;
}

bool
DataRequest::HasValidSignature() const
{
    return VerifySignature(requester, SigningBytes(), signature);
}

SharedBytes
EncodeDataRequest(const DataRequest& m)
{
    Bytes out = MessageEnvelope(MessageType::kDataRequest);
    Writer w(out);
    WriteRequestFields(w, m);
    w.Fixed(m.signature);
    return std::make_shared<const Bytes>(std::move(out));
}

SharedBytes
EncodeDataResponse(const DataResponse& m)
{
    CANON_ASSERT(m.data.ciphertext.size() <= kDataResponseBytesMax, "data response oversize");
    CANON_ASSERT((m.decision == DataDecision::kServed) == (m.reason == DataRefusal::kNone),
                 "a served response carries no reason and a refusal one");
    Bytes out = MessageEnvelope(MessageType::kDataResponse);
    Writer w(out);
    w.U64(m.requestId);
    w.Fixed(m.stream);
    w.U8(static_cast<uint8_t>(m.decision));
    w.U8(static_cast<uint8_t>(m.reason));
    w.U32(m.keyVersion);
    w.Fixed(m.data.nonce);
    w.Var(m.data.ciphertext);
    return std::make_shared<const Bytes>(std::move(out));
}

Result<DecodedDataMessage>
DecodeDataMessage(const Bytes& bytes)
{
    Reader r(bytes, "data message");
    r.Version(kMessageVersion);
    const uint8_t type = r.U8("type");
    if (!r.IsOk())
    {
        return r.Finish();
    }
    if (type == static_cast<uint8_t>(MessageType::kDataRequest))
    {
        return DecodeRequest(r);
    }
    if (type == static_cast<uint8_t>(MessageType::kDataResponse))
    {
        return DecodeResponse(r);
    }
    return Status::Malformed("data message: unknown type " + std::to_string(type));
}

} // namespace canon
