// RunSummaryJson: a finished run's summary as one JSON object, the machine-readable form of what
// `canonsim run` prints. `canonsim run --summary-json PATH`, the Python module and the sweeps read
// it, so every figure is computed once, here and in RunSummary, never parsed from the text.
//
// Keys (all always present): seed, simulated_s, nodes, safe, violations, blocks_produced,
// slots_elapsed, missed_slots, best_height, lib_height_min, lib_height_max, tx_submitted,
// tx_irreversible, tx_submitted_by_kind and tx_irreversible_by_kind (objects with one count per
// transaction kind: transfer, claim, czr-report, vote, evidence), tx_per_s, reorgs,
// messages_dropped, equivocations, elections, bytes_sent, bytes_per_node, light_nodes,
// light_tx_verified, light_inclusion_p50_s, light_inclusion_p95_s, bytes_per_light_node,
// bytes_per_full_node (light participants, light-node.h), finality_samples, finality_mean_s,
// finality_p50_s, finality_p95_s, propagation_p50_s, propagation_p90_s, wall_s, events,
// czr_engine_s, trace. Numbers are written with 17 significant digits; the same seed and config
// give the same object except wall_s and czr_engine_s, which measure the machine.
#ifndef CANONSIM_SCENARIOS_RUN_SUMMARY_JSON_H
#define CANONSIM_SCENARIOS_RUN_SUMMARY_JSON_H

#include "scenarios/run-scenario.h"

#include <string>

namespace canon
{

std::string RunSummaryJson(const RunResult& result);

// Writes RunSummaryJson(result) to `path` through a temporary file renamed when complete, so a
// reader never sees half an object. Errors name the path.
Status WriteRunSummaryJson(const RunResult& result, const std::string& path);

} // namespace canon

#endif
