#include "model/data/data-state.h"

namespace canon
{

Status
CheckDataTx(const DataState& state, const Transaction& tx)
{
    return tx.type == TxType::kKvAudit ? CheckKvAuditTx(state.audits, tx)
                                       : CheckAccessTx(state.access, tx);
}

void
RecordDataTx(DataState& state, const Transaction& tx, uint64_t height)
{
    if (tx.type == TxType::kKvAudit)
    {
        RecordKvAuditTx(state.audits, tx, height);
    }
    else
    {
        RecordAccessTx(state.access, tx, height);
    }
}

} // namespace canon
