// The data request protocol between nodes (paper 3.4, PROTOCOL.md 5): a requester asks a
// device for a stream with a signed DataRequest; the device answers with a DataResponse that
// carries the stream's data, still encrypted under the owner's key, or a refusal with a reason.
//
// Wire format: the node envelope [version u8][type u8] (MessageType::kDataRequest and
// kDataResponse, messages.h), then the body below. Decoding rejects unknown versions and types,
// unknown decision and reason codes, oversize data and trailing bytes; it does not check the
// request's signature (the device does, DataServer). One value, one encoding: a decode that
// succeeds re-encodes to the same bytes.
#ifndef CANONSIM_DATA_DATA_MESSAGES_H
#define CANONSIM_DATA_DATA_MESSAGES_H

#include "model/core/keys.h"
#include "model/core/time.h"
#include "model/data/data-crypto.h"
#include "model/node/messages.h"

#include <variant>

namespace canon
{

// The largest encrypted stream a response carries: bigger data goes through content-addressed
// storage (model/storage/), not through one message.
constexpr std::size_t kDataResponseBytesMax = 64 * 1024;

struct DataRequest
{
    PublicKey requester{};
    Hash256 stream{};
    uint64_t requestId = 0; // unique per requester: the device refuses a replay
    TimeNs sentAt = 0;      // the device refuses requests older than its freshness window
    Signature signature{};

    // A domain tag and every field but the signature.
    Bytes SigningBytes() const;
    void SignWith(const KeyPair& key) { signature = key.Sign(SigningBytes()); }
    bool HasValidSignature() const;
};

enum class DataDecision : uint8_t
{
    kServed = 0,
    kRefused = 1,
};

// Why a request was refused (kNone when served). Codes are on the wire and in the trace.
enum class DataRefusal : uint8_t
{
    kNone = 0,
    kNoGrant = 1,         // the chain view the rule reads holds no grant for the requester
    kRevoked = 2,         // it holds a grant, revoked
    kBadSignature = 3,    // the request's signature does not verify
    kReplayed = 4,        // the requester already used this request id
    kStale = 5,           // sent outside the device's freshness window
    kUnknownStream = 6,   // the device does not hold the stream
    kNotRegistered = 7,   // the stream is not registered in the chain view the rule reads
    kBusy = 8,            // the device's replay memory is full
    kRefusalCodesEnd = 9, // not a code: one past the last
};

const char* DataRefusalName(DataRefusal r);
const char* DataDecisionName(DataDecision d);

struct DataResponse
{
    uint64_t requestId = 0;
    Hash256 stream{};
    DataDecision decision = DataDecision::kRefused;
    DataRefusal reason = DataRefusal::kNone;
    uint32_t keyVersion = 0; // served: the owner's data key version the data is under
    EncryptedData data;      // served only; empty otherwise
};

struct DecodedDataMessage
{
    MessageType type = MessageType::kDataRequest;
    std::variant<DataRequest, DataResponse> body;
};

inline bool
IsDataMessage(const Bytes& bytes)
{
    return bytes.size() >= 2 && (bytes[1] == static_cast<uint8_t>(MessageType::kDataRequest) ||
                                 bytes[1] == static_cast<uint8_t>(MessageType::kDataResponse));
}

SharedBytes EncodeDataRequest(const DataRequest& m);
SharedBytes EncodeDataResponse(const DataResponse& m);
Result<DecodedDataMessage> DecodeDataMessage(const Bytes& bytes);

} // namespace canon

#endif
