// The contract part of the ledger state (PROTOCOL.md 4): contract accounts (code hash, code,
// storage), registered devices, callback registrations, and the receipts of the contract
// transactions of the latest block that had any. One member of LedgerState.
//
// A value type like LedgerState: every map is a PersistentMap, so a copy is O(1) and a block that
// writes k storage values copies O(k log n) nodes. Contract balances are ordinary accounts of
// LedgerState (so the supply invariant covers them); only code and storage live here. Storage is
// a sorted map the host owns: no Lua table order reaches state. There is no erase: a value set
// to nil stays as a nil entry, which Root() skips, so a deleted key and a never-set key commit
// alike.
//
// Bounds: contracts, devices and registrations each need their own fee-paying transaction;
// storage entries per contract grow only by metered, fee-paid writes.
#ifndef CANONSIM_CONTRACTS_CONTRACT_STATE_H
#define CANONSIM_CONTRACTS_CONTRACT_STATE_H

#include "model/contracts/contract-tx.h"
#include "model/contracts/lua-vm.h"
#include "model/core/persistent-map.h"

#include <memory>

namespace canon
{

struct ContractAccount
{
    Hash256 codeHash{};
    std::shared_ptr<const std::string> code; // shared by every copy of the state
    Address creator{};
    uint64_t createdHeight = 0;
    PersistentMap<std::string, ContractValue> storage;

    // Nil when the key was never set or was set to nil.
    ContractValue Get(const std::string& key) const;
};

struct DeviceRecord
{
    PublicKey key{};
    Address owner{};
    uint32_t deviceNode = 0;
    uint32_t homeNode = 0;
    uint64_t height = 0; // the block that registered it
};

struct CallbackRegistration
{
    Hash256 id{}; // the registering transaction's id
    Address device{};
    Address contract{};
    Predicate predicate;
    uint64_t height = 0;
};

// What one contract transaction did (the `contract_calls` trace record is made from it).
struct ContractReceipt
{
    Hash256 txId{};
    TxType type = TxType::kContractCall;
    Address contract{};
    std::string method;
    Address caller{};
    uint64_t gasUsed = 0;
    uint64_t gasLimit = 0;
    RevertKind revert = RevertKind::kNone;
    std::string reason;
    ContractValue result;
    std::vector<std::pair<std::string, ContractValue>> events;    // empty after a revert
    std::vector<std::pair<Address, ContractValue>> notifications; // chain.notify requests
};

struct ContractsState
{
    PersistentMap<Address, ContractAccount> contracts;
    PersistentMap<Address, DeviceRecord> devices; // by the device key's address
    PersistentMap<Hash256, CallbackRegistration> callbacks;
    // Receipts of the contract transactions at receiptsHeight (replaced, not grown, by the
    // first contract transaction of a later block). Shared between copies of the state; a
    // write copies the list only while another copy holds it.
    uint64_t receiptsHeight = 0;
    std::shared_ptr<std::vector<ContractReceipt>> receipts;

    const ContractAccount* Find(const Address& a) const { return contracts.Find(a); }
    // The receipts of the block at `height` (empty when it had no contract transaction).
    const std::vector<ContractReceipt>& ReceiptsAt(uint64_t height) const;
    void AddReceipt(uint64_t height, ContractReceipt r);
    // Commits to every contract's code hash and non-nil storage, the devices and the
    // registrations, in key order.
    Hash256 Root() const;
};

// The address a deploy by `sender` with `nonce` creates (a hash, so no key can sign for it).
Address ContractAddress(const Address& sender, uint64_t nonce);

} // namespace canon

#endif
