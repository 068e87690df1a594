// What a data device reads from its node's chain (paper 3.4): the best chain's state, and the
// state of its last irreversible block, which the DataServer's irreversible-only grant rule
// reads. The device itself runs in DataNodeService (data-node-service.h), on the node's feature
// seam.
#ifndef CANONSIM_DATA_DATA_SERVICE_H
#define CANONSIM_DATA_DATA_SERVICE_H

#include "model/consensus/consensus-chain.h"

namespace canon
{

// The state of `chain`'s last irreversible block (the genesis state before any finality).
const LedgerState& IrreversibleState(const ConsensusChain& chain);

} // namespace canon

#endif
