#include "model/data/data-service.h"

namespace canon
{

const LedgerState&
IrreversibleState(const ConsensusChain& chain)
{
    CANON_ASSERT(chain.Lib() && chain.Lib()->state, "the irreversible block keeps its state");
    return *chain.Lib()->state;
}

} // namespace canon
