// The contract VM (PROTOCOL.md 4): one call of a contract method in a sandboxed, metered Lua 5.4
// state. No ns-3, no clock, no randomness: the same code, arguments, host answers and limits give
// the same outcome, gas and host calls on every node.
//
// Sandbox: a fresh lua_State per call (a nested contract call gets its own), opened with base,
// table, string, math and utf8 only. Removed: load, loadfile, dofile, require, collectgarbage,
// print, warn, next, string.dump, string.match/gmatch/gsub (a pattern match is one instruction
// with unbounded backtracking time, so metering could not bound it), math.random and
// math.randomseed; no io, os, debug, package or coroutine. Replaced: pairs iterates in sorted key
// order (numbers, then strings, then booleans; other key types are an error), sorted by the host
// so that neither the order nor the gas of an iteration depends on Lua's string hash seed; tostring
// never shows an address; string.format refuses %p and tables or functions as arguments;
// string.find always matches plainly; setmetatable refuses __gc, __mode and __len (finalisers and
// weak tables run at the collector's whim; a __len could make the table library loop for ever);
// string.rep and table.move charge gas per byte or element; pcall and xpcall re-raise a fatal stop
// (gas, memory, depth) instead of catching it. Code is loaded as text only (precompiled bytecode is
// refused).
//
// A contract is a chunk that returns a table of methods; a call runs the chunk, then
// methods[method](args...). The host API is the global table `chain`: get, set, balance,
// transfer, emit, notify, call, contribution, self, caller, origin, value, height, now (addresses
// are 64 lowercase hex digits; amounts are integers).
//
// Metering: gas from an instruction-count hook (ContractGasTable::instruction per instruction,
// charged every kGasHookInstructions), plus the host calls' entries; memory through the
// allocator, summed over every state of the transaction, refused beyond memoryBytesMax; nested
// calls at most callDepthMax deep. Out of gas, out of memory and too deep are fatal: they stop
// the whole transaction even under pcall. A Lua error stops the call (a caller may catch it).
//
// Lua raises errors with longjmp, which skips C++ destructors: the Lua-facing C functions keep
// C++ objects in VmCall members, never as locals live across a Lua API call that may raise.
#ifndef CANONSIM_CONTRACTS_LUA_VM_H
#define CANONSIM_CONTRACTS_LUA_VM_H

#include "model/contracts/contract-params.h"
#include "model/contracts/contract-value.h"
#include "model/core/keys.h"
#include "model/core/status.h"
#include "model/core/time.h"

#include <string>
#include <vector>

namespace canon
{

// Why a call reverted; kNone when it did not.
enum class RevertKind : uint8_t
{
    kNone = 0,
    kError = 1, // a Lua error, a bad argument, a refused host call, an unknown method
    kOutOfGas = 2,
    kOutOfMemory = 3,
    kCallDepth = 4,
};

const char* RevertKindName(RevertKind k);

// The budget of one transaction, shared by its nested calls.
struct Meter
{
    uint64_t gasLimit = 0;
    uint64_t gasUsed = 0;
    std::size_t memoryBytesMax = 0;
    std::size_t memoryBytes = 0; // held now by every open state
    std::size_t memoryPeak = 0;
    uint32_t depth = 0; // calls open now
    RevertKind fatal = RevertKind::kNone;

    // Adds `gas`; past the limit, uses all of it and records out of gas. False then.
    bool Charge(uint64_t gas);
};

// The chain side of a call. Every failure Status becomes a Lua error in the contract; the VM has
// charged the gas table's price before it asks.
class ContractHost
{
  public:
    virtual ~ContractHost() = default;
    virtual Result<ContractValue> Get(const std::string& key) = 0;
    virtual Status Set(const std::string& key, const ContractValue& value) = 0;
    virtual uint64_t Balance(const Address& account) = 0;
    virtual Status Transfer(const Address& to, uint64_t amount) = 0;
    virtual Status Emit(const std::string& name, const ContractValue& data) = 0;
    virtual Status Notify(const Address& device, const ContractValue& data) = 0;
    // The account's total contribution in the latest CZR report (fixed-point, kScoreUnits) and
    // that report's epoch; false when the report does not name it (PROTOCOL.md 2.1; at scale a
    // report names each group's best and the claimants only: model/czr/report-cut.h).
    virtual bool Contribution(const Address& account, uint64_t& total, uint64_t& epoch) = 0;
    // A nested call; the host runs it (RunContract with the same meter) and reverts the callee's
    // changes when it fails.
    virtual Result<ContractValue> Call(const Address& contract, const std::string& method,
                                       const std::vector<ContractValue>& args, uint64_t value) = 0;
};

struct CallContext
{
    Address self{};
    Address caller{}; // the account or contract that called
    Address origin{}; // the transaction's sender
    uint64_t value = 0;
    uint64_t height = 0;
    TimeNs now = 0; // the block's time: the only clock a contract sees
};

struct VmOutcome
{
    RevertKind revert = RevertKind::kNone;
    std::string reason; // empty when it did not revert
    ContractValue result;

    bool Ok() const { return revert == RevertKind::kNone; }
};

// Runs methods[method](args...) of `code`. Charges callBase and codeByte first; the meter keeps
// the gas used and any fatal stop for the caller.
VmOutcome RunContract(const std::string& code, const std::string& method,
                      const std::vector<ContractValue>& args, const CallContext& ctx,
                      ContractHost& host, Meter& meter, const ContractParams& params);

// Addresses as contracts see them: 64 lowercase hex digits.
std::string AddressToLua(const Address& a);
bool AddressFromLua(const std::string& s, Address& out);

} // namespace canon

#endif
