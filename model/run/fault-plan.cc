#include "model/run/fault-plan.h"

#include <algorithm>
#include <set>
#include <string>

namespace canon
{

namespace
{

Status
NodeOutOfRange(const std::string& key, uint32_t node, uint32_t nodes)
{
    return Status::Invalid(key + ": the topology has " + std::to_string(nodes) + " nodes, got " +
                           std::to_string(node));
}

} // namespace

Status
CheckFaultPlan(const FaultPlan& plan, uint32_t nodes,
               const std::vector<std::pair<uint32_t, uint32_t>>& edges)
{
    for (std::size_t i = 0; i < plan.crashes.size(); ++i)
    {
        if (plan.crashes[i].node >= nodes)
        {
            return NodeOutOfRange("faults.crashes[" + std::to_string(i) + "].node",
                                  plan.crashes[i].node, nodes);
        }
    }
    for (std::size_t i = 0; i < plan.partitions.size(); ++i)
    {
        for (uint32_t node : plan.partitions[i].nodes)
        {
            if (node >= nodes)
            {
                return NodeOutOfRange("faults.partitions[" + std::to_string(i) + "].nodes", node,
                                      nodes);
            }
        }
    }
    std::set<std::pair<uint32_t, uint32_t>> linked;
    for (const auto& [a, b] : edges)
    {
        linked.insert({std::min(a, b), std::max(a, b)});
    }
    for (std::size_t i = 0; i < plan.links.size(); ++i)
    {
        const LinkFault& l = plan.links[i];
        if (linked.count({std::min(l.a, l.b), std::max(l.a, l.b)}) == 0)
        {
            return Status::Invalid("faults.links[" + std::to_string(i) + "]: nodes " +
                                   std::to_string(l.a) + " and " + std::to_string(l.b) +
                                   " share no link in the built topology");
        }
    }
    return Status::Ok();
}

} // namespace canon
