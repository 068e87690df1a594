// The contract rules every node of one chain must agree on (PROTOCOL.md 4): the gas table that
// prices Lua execution and host calls, the fixed gas price, and the sandbox's bounds. A member of
// ChainParams (`contracts`); defaults live here and only here (DESIGN.md 4.9).
//
// Gas: every Lua VM instruction costs `instruction`, charged by an instruction-count hook in
// blocks of kGasHookInstructions (so a call's gas is deterministic but rounded up to a block);
// every host call costs its entry below. A contract transaction's fee bid must cover
// gasLimit * gasPrice. Under first-price it pays the whole bid, success or revert; under a fee
// auction (model/fees) it pays the auction's charge for its place but at least
// gasLimit * gasPrice (WithGasFloor in model/chain/fee-rule.h, GasFloor in
// contract-executor.h), with no refund of unused gas either way.
#ifndef CANONSIM_CONTRACTS_CONTRACT_PARAMS_H
#define CANONSIM_CONTRACTS_CONTRACT_PARAMS_H

#include "model/core/encoding.h"

#include <cstddef>
#include <cstdint>

namespace canon
{

// Instructions between two gas charges (the count hook's period).
constexpr int kGasHookInstructions = 64;

struct ContractGasTable
{
    uint64_t instruction = 1;     // per Lua VM instruction
    uint64_t callBase = 2000;     // every call, deploy, device event and nested call
    uint64_t codeByte = 1;        // per byte of code loaded for a call (compiling it)
    uint64_t deployByte = 50;     // per byte of code stored by a deploy
    uint64_t storageRead = 200;   // chain.get
    uint64_t storageWrite = 5000; // chain.set
    uint64_t storageByte = 20;    // per byte of key and value written
    uint64_t transfer = 2000;     // chain.transfer
    uint64_t event = 500;         // chain.emit
    uint64_t notify = 1000;       // chain.notify (a callback request to a device)
    uint64_t contractCall = 1000; // chain.call, on top of the callee's callBase
    uint64_t balance = 100;       // chain.balance
    uint64_t repeatByte = 1;      // per byte string.rep builds
    uint64_t moveElement = 2;     // per element table.move copies
    uint64_t pairsKey = 2;        // per key and level of the sort pairs does (1 + log2 n levels)
};

struct ContractParams
{
    ContractGasTable gas;
    // Units of the smallest CZR unit per gas: the least a contract transaction pays per unit of
    // its gas limit (the scenario's contracts.gas_price).
    uint64_t gasPrice = 1;
    // The largest gas limit one transaction may ask for.
    uint64_t gasLimitMax = 5'000'000;
    // The Lua allocator refuses beyond this many bytes, summed over every nested call's state.
    std::size_t memoryBytesMax = 4 * 1024 * 1024;
    // Contract-to-contract calls nest at most this deep (the outermost call is depth 1).
    uint32_t callDepthMax = 8;
    std::size_t codeBytesMax = 32 * 1024;
    std::size_t storageKeyBytesMax = 128;
    std::size_t storageValueBytesMax = 1024;
    // Events and callback requests one transaction may emit.
    uint32_t eventsPerTxMax = 64;
};

// Every field, for digests of the chain parameters (the block outcome memo's key).
void EncodeContractParams(Writer& w, const ContractParams& p);

} // namespace canon

#endif
