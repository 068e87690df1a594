#include "model/consensus/consensus-engine.h"

#include "model/consensus/baselines/poi-engine.h"
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
        case Protocol::kPoi:
            return MakePoiEngine(params);
        default:
            return nullptr;
    }
}

bool
HasConsensusEngine(Protocol protocol)
{
    return protocol == Protocol::kPop || protocol == Protocol::kPoi;
}

} // namespace canon
