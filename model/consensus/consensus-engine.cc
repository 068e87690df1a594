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
            return nullptr;
    }
}

bool
HasConsensusEngine(Protocol protocol)
{
    return protocol == Protocol::kPop || protocol == Protocol::kPow;
}

} // namespace canon
