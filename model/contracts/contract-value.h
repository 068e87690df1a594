// The values that cross between the chain and a contract: method arguments, return values,
// storage values and event data. Only what is deterministic on every node: nil, booleans,
// 64-bit integers and byte strings (never floats, never tables, whose order or identity could
// differ between nodes).
//
// Encoding (PROTOCOL.md 1 style): a u8 kind, then for a boolean one byte (0 or 1), for an
// integer 8 bytes little-endian, for a string a u32-length-prefixed byte string. A list is a u32
// count, then its values. Decoding bounds every length and count and rejects unknown kinds,
// booleans other than 0 or 1, and trailing bytes.
#ifndef CANONSIM_CONTRACTS_CONTRACT_VALUE_H
#define CANONSIM_CONTRACTS_CONTRACT_VALUE_H

#include "model/core/encoding.h"

#include <string>
#include <vector>

namespace canon
{

// A list of values is at most this many (method arguments, a device event's data).
constexpr uint32_t kContractValuesMax = 32;
// One string value is at most this many bytes on the wire.
constexpr std::size_t kContractStringBytesMax = 64 * 1024;

struct ContractValue
{
    enum class Kind : uint8_t
    {
        kNil = 0,
        kBool = 1,
        kInt = 2,
        kString = 3,
    };
    Kind kind = Kind::kNil;
    int64_t integer = 0; // kInt; kBool: 0 or 1
    std::string bytes;   // kString

    static ContractValue Nil() { return {}; }
    static ContractValue Bool(bool b) { return {Kind::kBool, b ? 1 : 0, {}}; }
    static ContractValue Int(int64_t i) { return {Kind::kInt, i, {}}; }
    static ContractValue Str(std::string s) { return {Kind::kString, 0, std::move(s)}; }

    bool operator==(const ContractValue& o) const
    {
        return kind == o.kind && integer == o.integer && bytes == o.bytes;
    }
    bool operator!=(const ContractValue& o) const { return !(*this == o); }
    // For logs and tests: nil, true, 42, "text".
    std::string ToString() const;

    void Encode(Writer& w) const;
    Bytes Encode() const;
    static ContractValue ReadFrom(Reader& r);
    static Result<ContractValue> Decode(const Bytes& b);
};

void EncodeValues(Writer& w, const std::vector<ContractValue>& values);
std::vector<ContractValue> ReadValues(Reader& r);

} // namespace canon

#endif
