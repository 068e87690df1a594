// Contract transactions in the ledger (PROTOCOL.md 4): the two calls LedgerState makes for
// TxType 20-24, and the host that gives a running contract the ledger.
//
// CheckContractTx runs before fee and nonce are settled and changes nothing: payload decodes,
// gas limit within ContractParams::gasLimitMax, fee bid covering gasLimit * gasPrice, the
// contract exists (or, for a deploy, the code fits), the device is registered. It names the
// value that moves to the contract with the fee (`amount`, `recipient`).
//
// ApplyContractTx runs after that: registrations are recorded; a deploy, call or device event
// runs the contract (a deploy stores the code, then runs init). When the run reverts (a Lua
// error, out of gas, out of memory, too deep), the state goes back to what it was after the
// fee, nonce and value moved, and the value goes back to the sender: every state change and
// value transfer is undone and the fee stays paid. Either way a receipt is recorded.
#ifndef CANONSIM_CONTRACTS_CONTRACT_EXECUTOR_H
#define CANONSIM_CONTRACTS_CONTRACT_EXECUTOR_H

#include "model/chain/ledger-state.h"

namespace canon
{

Status CheckContractTx(const LedgerState& state, const Transaction& tx, const TxContext& ctx,
                       uint64_t& amount, Address& recipient);
void ApplyContractTx(LedgerState& state, const Transaction& tx, const TxContext& ctx);

// The least a contract transaction pays (model/chain/fee-rule.h WithGasFloor): its gas limit
// x ContractParams::gasPrice for a deploy, call or device event whose payload decodes; 0 for
// every other transaction. The whole fee bid is paid under first-price; under an auction the
// gas is paid at least.
uint64_t GasFloor(const Transaction& tx, const TxContext& ctx);

// Whether `reg`'s predicate holds on `state` (false while its contract does not exist).
bool CallbackHolds(const ContractsState& state, const CallbackRegistration& reg);

} // namespace canon

#endif
