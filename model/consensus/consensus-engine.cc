#include "model/consensus/consensus-engine.h"

#include "model/consensus/baselines/pow-engine.h"
#include "model/consensus/pop-engine.h"

namespace canon
{

std::unique_ptr<ConsensusEngine>
MakeConsensusEngine(const ChainParams& params)
{
    switch (params.consensus.protocol)
    {
        case Protocol::kPop:
            return std::make_unique<PopEngine>(params);
        case Protocol::kPow:
            return MakePowEngine(params);
        default:
            break;
    }
    CANON_ASSERT(false, "no engine for this consensus protocol in this build");
    return nullptr;
}

} // namespace canon
