// DataState: everything issue 17 keeps in the ledger, as the one member of LedgerState it adds:
// data streams and access grants (access-state.h, paper 3.4) and the audit trail of key-value
// stores (model/storage/kv-audit.h, paper 3.5.2). Both are persistent maps, so copying a ledger
// state stays O(1).
#ifndef CANONSIM_DATA_DATA_STATE_H
#define CANONSIM_DATA_DATA_STATE_H

#include "model/data/access-state.h"
#include "model/storage/kv-audit.h"

namespace canon
{

struct DataState
{
    AccessState access;
    KvAuditState audits;
};

inline bool
IsDataTx(TxType type)
{
    return IsAccessTx(type) || type == TxType::kKvAudit;
}

// The type's rules for `tx` (IsDataTx) on `state`, without applying it.
Status CheckDataTx(const DataState& state, const Transaction& tx);
// Applies `tx`, which CheckDataTx accepted, carried by the block at `height`.
void RecordDataTx(DataState& state, const Transaction& tx, uint64_t height);

} // namespace canon

#endif
