// PlanFromScenario: the one mapping from a scenario file's configuration (scenario-config.h) to
// the run driver's plan (run-driver.h), used by both engines, so one file means one run
// whichever engine carries it out. The engine supplies what only its topology builder knows:
// the node count and which nodes run full nodes.
//
// CZR's view of each node (region, applications, device) comes from the scenario: regions and
// applications round robin by index, device classes drawn by share from
// Rng::Derive(seed, "devices"); the bridge of a bridge topology has the scenario's bridge
// device (halved per identity when it is a sybil pair). Under PoW the same draws give each
// node's hash power unless consensus.hash_power is equal.
#ifndef CANONSIM_RUN_SCENARIO_PLAN_H
#define CANONSIM_RUN_SCENARIO_PLAN_H

#include "model/run/run-driver.h"
#include "model/run/scenario-config.h"

namespace canon
{

// `fullNode`: per node (empty: every node is full).
RunPlan PlanFromScenario(const ScenarioConfig& config, uint32_t nodes,
                         const std::vector<bool>& fullNode);

// The fee auction of a plan from a scenario's `fees:` section (issue 15): the chain's rule, the
// producers' policy and the wallets as bidders; the equilibrium bidders expect the arrivals of
// one slot (txPerSecond * slotSeconds) to compete for blockTxMax places. PlanFromScenario calls
// it, and so does the property harness (model/sim/harness.h) for its fee options.
void PlanFees(const FeesConfig& f, double txPerSecond, double slotSeconds, uint32_t blockTxMax,
              RunPlan& p);

// Each node's device (CZR's view of it, and PoW hash power), drawn as the file comment says.
std::vector<DeviceProfile> NodeDevices(const ScenarioConfig& config, uint32_t nodes);

} // namespace canon

#endif
