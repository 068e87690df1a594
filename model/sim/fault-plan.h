// Network faults a scenario schedules (scenario keys faults.links, faults.partitions and
// faults.bursts): plain data, read by the scenario parser and carried out by the ns-3 runner
// (model/ns3/network-faults.h). Each holds from atSeconds until untilSeconds.
#ifndef CANONSIM_SIM_FAULT_PLAN_H
#define CANONSIM_SIM_FAULT_PLAN_H

#include <cstdint>
#include <vector>

namespace canon
{

struct LinkFaultConfig
{
    uint32_t a = 0;
    uint32_t b = 0;
    double atSeconds = 0;
    double untilSeconds = 0;
};

struct PartitionFaultConfig
{
    std::vector<uint32_t> nodes;
    double atSeconds = 0;
    double untilSeconds = 0;
};

struct BurstFaultConfig
{
    double atSeconds = 0;
    double untilSeconds = 0;
    double loss = 0;    // [0, 1]
    double delayMs = 0; // added to every link's latency (>= 0)
};

struct NetworkFaultPlan
{
    std::vector<LinkFaultConfig> links;
    std::vector<PartitionFaultConfig> partitions;
    std::vector<BurstFaultConfig> bursts;

    bool Empty() const { return links.empty() && partitions.empty() && bursts.empty(); }
};

} // namespace canon

#endif
