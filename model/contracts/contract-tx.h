// The payloads of the contract transaction types (TxType 20-24, PROTOCOL.md 4) and their
// canonical encodings. Every decoder bounds its lengths and counts, rejects unknown predicate
// operators and trailing bytes, and names the field that is wrong.
//
//   deploy            code (Lua text), init arguments, value, gas limit; the sender deploys
//   call              contract, method, arguments, value, gas limit
//   device register   a device's key and where it sits on the network (its node, and the full
//                     node that notifies it); the sender becomes the device's owner
//   device event      signed by a registered device key: contract, event type, data, gas limit;
//                     runs the contract's on_event(device, type, data...)
//   callback register signed by a registered device key: contract and a predicate on one of its
//                     storage values; the device's full node notifies the device when a block
//                     makes the predicate true
#ifndef CANONSIM_CONTRACTS_CONTRACT_TX_H
#define CANONSIM_CONTRACTS_CONTRACT_TX_H

#include "model/chain/transaction.h"
#include "model/contracts/contract-value.h"

namespace canon
{

constexpr std::size_t kContractCodeWireMax = 60 * 1024;
constexpr std::size_t kContractNameBytesMax = 64;  // method names, event types
constexpr std::size_t kPredicateKeyWireMax = 1024; // ContractParams bounds it further

bool IsContractTx(TxType type);

struct DeployPayload
{
    std::string code;
    std::vector<ContractValue> args;
    uint64_t value = 0;
    uint64_t gasLimit = 0;

    Bytes Encode() const;
    static Result<DeployPayload> Decode(const Bytes& payload);
};

struct CallPayload
{
    Address contract{};
    std::string method;
    std::vector<ContractValue> args;
    uint64_t value = 0;
    uint64_t gasLimit = 0;

    Bytes Encode() const;
    static Result<CallPayload> Decode(const Bytes& payload);
};

struct DeviceRegisterPayload
{
    PublicKey device{};
    uint32_t deviceNode = 0; // the device's network address (node index)
    uint32_t homeNode = 0;   // the full node that notifies it

    Bytes Encode() const;
    static Result<DeviceRegisterPayload> Decode(const Bytes& payload);
};

struct DeviceEventPayload
{
    Address contract{};
    std::string eventType;
    std::vector<ContractValue> data;
    uint64_t gasLimit = 0;

    Bytes Encode() const;
    static Result<DeviceEventPayload> Decode(const Bytes& payload);
};

// A predicate on one storage value of a contract: value <op> operand. Order comparisons hold
// only between two integers; kSet holds when the key has a non-nil value.
enum class PredicateOp : uint8_t
{
    kEq = 0,
    kNe = 1,
    kLt = 2,
    kLe = 3,
    kGt = 4,
    kGe = 5,
    kSet = 6,
};

struct Predicate
{
    std::string key;
    PredicateOp op = PredicateOp::kEq;
    ContractValue operand;

    bool Holds(const ContractValue& value) const;
    void Encode(Writer& w) const;
    static Predicate ReadFrom(Reader& r);
};

struct CallbackRegisterPayload
{
    Address contract{};
    Predicate predicate;

    Bytes Encode() const;
    static Result<CallbackRegisterPayload> Decode(const Bytes& payload);
};

} // namespace canon

#endif
