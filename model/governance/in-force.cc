#include "model/governance/in-force.h"

#include <algorithm>

namespace canon
{

uint64_t
FeeFloorIn(const ChainParams& params, const GovernanceBook& book)
{
    return AdoptedFeeFloor(book).value_or(params.feeMin);
}

std::optional<uint64_t>
AdoptedFeeFloor(const GovernanceBook& book)
{
    return book.AdoptedValue(GovParam::kFeeFloor);
}

uint64_t
BlockSizeMaxIn(const ChainParams& params, const GovernanceBook& book)
{
    return book.AdoptedValue(GovParam::kBlockSizeMax).value_or(params.blockSizeBytesMax);
}

uint64_t
BlockSizeBound(const ChainParams& params)
{
    return std::max(params.blockSizeBytesMax, kGovBlockSizeMax);
}

ElectionParams
ElectionRulesIn(const ElectionParams& base, const GovernanceBook& book)
{
    ElectionParams p = base;
    if (auto v = book.AdoptedValue(GovParam::kCandidatesPerGroup))
    {
        p.candidatesPerGroup = static_cast<uint32_t>(*v);
    }
    return p;
}

double
CzrParamIn(GovParam p, double genesis, const GovernanceBook& book)
{
    const std::optional<uint64_t> v = book.AdoptedValue(p);
    return v ? static_cast<double>(*v) / kGovFixedPoint : genesis;
}

std::array<double, kCzrWeightCount>
CzrWeightsIn(const std::array<double, kCzrWeightCount>& genesis, const GovernanceBook& book)
{
    const std::optional<uint64_t> v = book.AdoptedValue(GovParam::kCzrWeights);
    return v ? UnpackCzrWeights(*v) : genesis;
}

} // namespace canon
