#include "model/consensus/baselines/poi-rules.h"

#include <algorithm>
#include <string>

namespace canon
{

namespace
{

__extension__ typedef unsigned __int128 Uint128;

// kNemInitialDifficulty · (supply / NEM supply) · (target ticks / 60), unclamped.
Uint128
ScaledInitialDifficulty(const ChainParams& params)
{
    const Uint128 num = Uint128{kNemInitialDifficulty} * kTotalSupplyCzr *
                        static_cast<uint64_t>(params.consensus.poi.targetInterval);
    const Uint128 den =
        Uint128{kNemSupplyWhole} * kNemTargetSeconds * static_cast<uint64_t>(params.slotDuration);
    return num / den;
}

} // namespace

Status
CheckPoiParams(const ChainParams& params)
{
    const PoiParams& p = params.consensus.poi;
    if (params.slotDuration <= 0)
    {
        return Status::Invalid("slotDuration must be positive (the PoI tick)");
    }
    if (p.targetInterval < params.slotDuration || p.targetInterval > kPoiTargetIntervalMax)
    {
        return Status::Invalid("consensus.poi.targetInterval must be from one tick "
                               "(slotDuration) to ten days, got " +
                               std::to_string(p.targetInterval) + " ns");
    }
    if (ScaledInitialDifficulty(params) * 10 > UINT64_MAX)
    {
        return Status::Invalid("consensus.poi.targetInterval spans too many ticks (slotDuration): "
                               "the difficulty would not fit 64 bits");
    }
    if (p.recomputeBlocks == 0)
    {
        return Status::Invalid("consensus.poi.recomputeBlocks must be at least 1");
    }
    if (p.finalityDepth == 0)
    {
        return Status::Invalid("consensus.poi.finalityDepth must be at least 1");
    }
    if (p.vestedMin == 0 || p.vestedMin > kTotalSupplyCzr)
    {
        return Status::Invalid("consensus.poi.vestedMin must be from 1 to the total supply (" +
                               std::to_string(kTotalSupplyCzr) + " CZR)");
    }
    if (params.consensus.members.empty())
    {
        return Status::Invalid("consensus.members (the PoI harvesters) is empty");
    }
    return Status::Ok();
}

PoiRules
MakePoiRules(const ChainParams& params)
{
    const Status s = CheckPoiParams(params);
    CANON_ASSERT(s.IsOk(), s.Message().c_str());
    const PoiParams& p = params.consensus.poi;
    PoiRules r;
    r.vestedMin = p.vestedMin * kUnitsPerCzr;
    r.blocksPerDay = std::max<uint64_t>(1, static_cast<uint64_t>(kDay / p.targetInterval));
    r.outlinkWindowBlocks = 30 * r.blocksPerDay;
    r.recomputeBlocks = p.recomputeBlocks;
    r.finalityDepth = p.finalityDepth;
    r.tick = params.slotDuration;
    r.targetInterval = p.targetInterval;
    const Uint128 d = ScaledInitialDifficulty(params);
    r.initialDifficulty = d > 0 ? static_cast<uint64_t>(d) : 1;
    r.difficultyMin = r.initialDifficulty / 10 > 0 ? r.initialDifficulty / 10 : 1;
    r.difficultyMax = r.initialDifficulty * 10;
    r.importance.outlinkMin = static_cast<double>(kPoiOutlinkMinCzr * kUnitsPerCzr);
    return r;
}

} // namespace canon
