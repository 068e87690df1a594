// RunFeature: one feature's part of a run (contracts, data and storage, payment channels,
// governance): the seam by which a feature joins both engines without growing the driver.
// PlanFromScenario (scenario-plan.h) adds a feature to RunPlan::features when the scenario has
// its section; the run driver (run-driver.h) then
//   1. calls ConfigureNode for every full node it makes (restarts included), where the feature
//      adds its NodeServices (model/node/node-service.h) or settings;
//   2. calls Attach once the engine hosts the nodes: the feature schedules its wallets and
//      devices on the host (At, AtNode, Submit through the context);
//   3. forwards every node event to OnEvent;
//   4. calls Finish after the host stopped (end-of-run records), and Figures whenever the
//      summary is made: printed under Name() by `canonsim run`, and written to the JSON summary
//      under "features".
// Determinism: a feature draws only from its own Rng seeded from the run seed, and schedules
// only on the host, so the same seed and config give the same trace on either engine.
//
// Ownership: the plan holds features by shared pointer; a feature outlives the host's run (its
// callbacks are scheduled on the host) and owns whatever it records. Single-threaded.
#ifndef CANONSIM_RUN_RUN_FEATURE_H
#define CANONSIM_RUN_RUN_FEATURE_H

#include "model/node/node.h"
#include "model/run/genesis.h"
#include "model/run/nonce-book.h"
#include "model/run/run-host.h"

#include <functional>
#include <map>
#include <string>

namespace canon
{

class TraceWriter;

// What a feature gets when the run starts.
struct FeatureContext
{
    RunHost& host;
    const RunGenesis& genesis;
    TraceWriter* writer; // null: no trace (summary only)
    uint64_t seed = 0;   // the run's seed
    // Hands node i a transaction the feature made, counting it in the summary's submitted
    // transactions (by kind) the way wallets' are.
    std::function<void(uint32_t node, const Transaction& tx)> submit;
    // The run's nonce counters of the node keys (nonce-book.h): a feature that signs with
    // genesis.nodeKeys takes their nonces here, never from a counter of its own. Null only for a
    // context made outside a run driver.
    NonceBook* nodeNonces = nullptr;
};

class RunFeature
{
  public:
    virtual ~RunFeature() = default;

    // Its name in the summary ("contracts", "data", ...).
    virtual std::string Name() const = 0;
    // Before node `id` starts: add services to `config.services`, or change its settings.
    virtual void ConfigureNode(uint32_t /*id*/, NodeConfig& /*config*/) const {}
    virtual void Attach(const FeatureContext& ctx) = 0;
    virtual void OnEvent(uint32_t /*node*/, const NodeEvent& /*ev*/) {}
    virtual void Finish() {}
    // Its figures now: name to value, in the order of the map.
    virtual std::map<std::string, double> Figures() const { return {}; }
};

} // namespace canon

#endif
