// AdversarySpec: one byzantine producer a run hosts (scenario key `adversaries:`, the
// harness's --adversary flag), in the vocabulary both engines share. Plain data; the run driver
// turns it into an Adversary (model/node/adversary.h) on the node that holds genesis producer
// `producer`.
//
// The window [from, until) is when it misbehaves (until == 0: from `from` to the end of the run);
// outside it the adversary produces honestly. For a withholder the window is its private chain:
// it builds it from `from` and releases it at `until`. A selfish miner (PoW only) mines selfishly
// inside it and publishes whatever it still holds at `until`; its tie share gamma is no field
// here: it emerges from the network (model/node/adversary.h says how to shape it).
#ifndef CANONSIM_RUN_ADVERSARY_SPEC_H
#define CANONSIM_RUN_ADVERSARY_SPEC_H

#include "model/core/time.h"
#include "model/node/adversary.h"

#include <cstdint>
#include <vector>

namespace canon
{

struct AdversarySpec
{
    AdversaryKind kind = AdversaryKind::kEquivocator;
    uint32_t producer = 0; // genesis producer index
    TimeNs from = 0;
    TimeNs until = 0;
    std::vector<uint32_t> censoredAccounts; // censor: workload account indices
    double overclaimFactor = 3.0;           // over-claimer (>= 1)
};

} // namespace canon

#endif
