// FaultPlan: the faults a run schedules, in one vocabulary for both engines (the ns-3 runner and
// the abstract network of model/sim). Times are integer nanoseconds of simulated time; scenario
// files say seconds (faults.*.at_s, until_s) and the parser converts once. Plain data: the
// engines carry it out (model/ns3/network-faults.h, model/sim/abstract-network.h), and
// DrawRandomFaults (random-faults.h) fills one from a seed for the property runs.
//
// Meanings, the same on both engines:
//   - crash: `node` loses everything but its key and last signed slot at `at`, and starts afresh
//     from genesis at `restartAt` (never, when restartAt <= at);
//   - link: the link between a and b carries nothing, either way, in [start, end);
//   - partition: in [start, end) the nodes listed lose every link to the nodes not listed;
//   - burst: in [start, end) every link also loses each frame with probability `loss` and is
//     `extraDelay` slower (added to its latency).
#ifndef CANONSIM_RUN_FAULT_PLAN_H
#define CANONSIM_RUN_FAULT_PLAN_H

#include "model/core/time.h"

#include "model/core/status.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace canon
{

struct CrashFault
{
    uint32_t node = 0;
    TimeNs at = 0;
    TimeNs restartAt = 0; // <= at: never
};

struct LinkFault
{
    uint32_t a = 0;
    uint32_t b = 0;
    TimeNs start = 0;
    TimeNs end = 0;
};

struct PartitionFault
{
    std::vector<uint32_t> nodes; // one side; everyone else is the other
    TimeNs start = 0;
    TimeNs end = 0;
};

struct BurstFault
{
    TimeNs start = 0;
    TimeNs end = 0;
    double loss = 0;       // [0, 1]
    TimeNs extraDelay = 0; // >= 0
};

struct FaultPlan
{
    std::vector<CrashFault> crashes;
    std::vector<LinkFault> links;
    std::vector<PartitionFault> partitions;
    std::vector<BurstFault> bursts;

    // No link, partition or burst (crashes aside).
    bool NetworkEmpty() const { return links.empty() && partitions.empty() && bursts.empty(); }
};

// Every node a fault names is below `nodes`, and every link fault names two nodes that share
// one of `edges`. Errors name the scenario key ("faults.links[2]: ...").
Status CheckFaultPlan(const FaultPlan& plan, uint32_t nodes,
                      const std::vector<std::pair<uint32_t, uint32_t>>& edges);

} // namespace canon

#endif
