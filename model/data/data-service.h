// The hook by which a Node serves data requests (paper 3.4): data messages (kDataRequest,
// kDataResponse) bypass the node's gossip decoder and come here. A node configured as a data
// device (NodeConfig::dataServer) answers a request from its own chain: the best chain's state
// and its last irreversible block's state, as its DataServer's rule picks. A node that is not a
// device, and any response (a full node makes no requests), is a traced drop.
//
// Stateless: the DataServer (shared with the driver, which stores the owners' encrypted
// uploads in it) holds the device's state; the caller owns its drop counter and its actions.
#ifndef CANONSIM_DATA_DATA_SERVICE_H
#define CANONSIM_DATA_DATA_SERVICE_H

#include "model/consensus/consensus-chain.h"
#include "model/data/data-server.h"
#include "model/node/node-io.h"

namespace canon
{

// Handles one data message `in` at a full node whose chain is `chain`; `server` may be null.
void HandleDataMessage(TimeNs now, const MessageInput& in, DataServer* server,
                       const ConsensusChain& chain, uint64_t& dropped, Actions& out);

// The state of `chain`'s last irreversible block (the genesis state before any finality).
const LedgerState& IrreversibleState(const ConsensusChain& chain);

} // namespace canon

#endif
