// The CZC parameters in force on a chain (issue 18, paper 1.2.4): each is the chain's genesis
// value (ChainParams) until a proposal for it passes, then the value governance adopted. One
// function per parameter, read at the one place where the parameter acts, always from a ledger
// state of the chain in question, so that every node holding the same blocks reads the same value,
// on replay and on either side of a reorg (a branch that never adopted keeps the genesis value).
//
// The boundary: a proposal passes in the tally at the end of a block (GovernanceBook::EndBlock),
// so its value is in the state after that block and acts on everything built on it:
//   - fee floor: transactions of the next block on (ledger validation refuses a lower bid once a
//     floor was adopted) and mempool admission on that chain (the genesis floor before);
//   - maximum block size: blocks whose parent's state adopted it (producer and validator);
//   - candidate rule (candidates per group): elections run after the adopting block's tally,
//     the adopting block's own included (PopEngine runs them on the state after the block);
//   - CZR weights, gamma and beta: the first CZR epoch that ends after the adopting block is on the
//     engine's view of the best chain (model/run/czr-loop.h: the engine reads them at each epoch);
//   - T and N open rule epochs at the next cycle boundary instead (rule-epochs.h), and the reward
//     split acts from the next block's reward (LedgerState::PayBlockReward).
//
// Values are bounded when proposed (CheckGovernanceTx), so whatever is adopted is usable.
//
// Signers read the floor and the CZC hash a transaction must carry on a node's best chain
// through one function, TermsOn (model/node/node.h), used by every submitter of a run
// (model/run): the workload's wallets, the contracts, channels and data features, the CZR loop
// and the governance feature.
#ifndef CANONSIM_GOVERNANCE_IN_FORCE_H
#define CANONSIM_GOVERNANCE_IN_FORCE_H

#include "model/chain/chain-params.h"

namespace canon
{

// The lowest bid mempools admit on the chain whose state holds `book`.
uint64_t FeeFloorIn(const ChainParams& params, const GovernanceBook& book);
// The floor the ledger enforces on a block built on `book`'s state: the adopted one, if any
// (the genesis floor is a mempool policy, not a validity rule, as it was before governance).
std::optional<uint64_t> AdoptedFeeFloor(const GovernanceBook& book);
// The largest encoded block a producer may make and a validator accepts on `book`'s chain.
uint64_t BlockSizeMaxIn(const ChainParams& params, const GovernanceBook& book);
// The bound any block must respect before its parent is known (orphans): whatever governance
// could adopt, and the genesis value.
uint64_t BlockSizeBound(const ChainParams& params);
// The election rules in force: `base` with the adopted candidate rule.
ElectionParams ElectionRulesIn(const ElectionParams& base, const GovernanceBook& book);
// A CZR fixed-point parameter (kCzrGamma, kCzrBeta: 1e6 = 1.0) in force, or `genesis`.
double CzrParamIn(GovParam p, double genesis, const GovernanceBook& book);
// The CZR resource weights in force (kCzrWeights), or `genesis`.
std::array<double, kCzrWeightCount> CzrWeightsIn(const std::array<double, kCzrWeightCount>& genesis,
                                                 const GovernanceBook& book);

} // namespace canon

#endif
