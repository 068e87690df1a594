#include "model/consensus/consensus-engine.h"

#include "model/consensus/baselines/dpos-engine.h"
#include "model/consensus/baselines/poi-engine.h"
#include "model/consensus/baselines/poi-rules.h"
#include "model/consensus/baselines/pos-engine.h"
#include "model/consensus/baselines/pos-leader.h"
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
        case Protocol::kPos:
            return MakePosEngine(params);
        case Protocol::kDpos:
            return MakeDposEngine(params);
        case Protocol::kPoi:
            return MakePoiEngine(params);
    }
    return nullptr;
}

Status
CheckConsensusParams(const ChainParams& params)
{
    switch (params.consensus.protocol)
    {
        case Protocol::kPoi:
            return CheckPoiParams(params);
        case Protocol::kPos:
            return CheckPosParams(params);
        case Protocol::kPow:
            return ValidatePowParams(params);
        default:
            return Status::Ok();
    }
}

bool
HasConsensusEngine(Protocol protocol)
{
    switch (protocol)
    {
        case Protocol::kPop:
        case Protocol::kPow:
        case Protocol::kPos:
        case Protocol::kDpos:
        case Protocol::kPoi:
            return true;
    }
    return false;
}

} // namespace canon
