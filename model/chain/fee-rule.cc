#include "model/chain/fee-rule.h"

#include <algorithm>

namespace canon
{

namespace
{
__extension__ typedef unsigned __int128 Uint128;

const auto& kMechanismNames = FeeMechanismNames::kNames;
} // namespace

const char*
FeeMechanismName(FeeMechanism m)
{
    return kMechanismNames[static_cast<std::size_t>(m)];
}

std::optional<FeeMechanism>
ParseFeeMechanism(const std::string& name)
{
    for (uint8_t i = 0; i < 4; ++i)
    {
        if (name == kMechanismNames[i])
        {
            return static_cast<FeeMechanism>(i);
        }
    }
    return std::nullopt;
}

uint64_t
EffectiveTip(uint64_t cap, uint64_t tip, uint64_t baseFee)
{
    return cap < baseFee ? 0 : std::min(tip, cap - baseFee);
}

std::optional<FeeCharge>
ChargeFor(FeeMechanism m, uint64_t bid, uint64_t tip, uint64_t price, uint64_t baseFee)
{
    switch (m)
    {
        case FeeMechanism::kFirstPrice:
            return FeeCharge{bid, bid, 0};
        case FeeMechanism::kUniform:
        case FeeMechanism::kMonopolistic:
            if (bid < price)
            {
                return std::nullopt;
            }
            return FeeCharge{price, price, 0};
        case FeeMechanism::kEip1559:
        {
            if (bid < baseFee)
            {
                return std::nullopt;
            }
            const uint64_t t = EffectiveTip(bid, tip, baseFee);
            return FeeCharge{baseFee + t, t, baseFee};
        }
    }
    return std::nullopt;
}

uint64_t
NextBaseFee(uint64_t baseFee, uint64_t used, uint64_t capacity, const FeeRuleParams& params)
{
    const uint64_t target = std::max<uint64_t>(
        1, static_cast<uint64_t>(static_cast<Uint128>(capacity) * params.targetPermille / 1000));
    const uint64_t denominator = std::max<uint32_t>(1, params.baseFeeChangeDenominator);
    if (used == target)
    {
        return baseFee;
    }
    // The gap counts at most the target: the base fee moves by at most 1/denominator a block.
    const uint64_t gap = std::min(used > target ? used - target : target - used, target);
    const auto delta =
        static_cast<uint64_t>(static_cast<Uint128>(baseFee) * gap / target / denominator);
    if (used > target)
    {
        const uint64_t up = std::max<uint64_t>(delta, 1);
        return baseFee > UINT64_MAX - up ? UINT64_MAX : baseFee + up;
    }
    return baseFee - std::min(delta, baseFee);
}

std::optional<uint64_t>
PreviousBaseFee(uint64_t after, uint64_t used, uint64_t capacity, const FeeRuleParams& params)
{
    // NextBaseFee does not fall as its base fee grows: the least b reaching `after` is found by
    // bisection, in at most 64 steps.
    uint64_t lo = 0, hi = UINT64_MAX;
    while (lo < hi)
    {
        const uint64_t mid = lo + (hi - lo) / 2;
        if (NextBaseFee(mid, used, capacity, params) >= after)
        {
            hi = mid;
        }
        else
        {
            lo = mid + 1;
        }
    }
    if (NextBaseFee(lo, used, capacity, params) != after)
    {
        return std::nullopt;
    }
    return lo;
}

Address
FeeBurnAddress()
{
    return Blake2b256(std::string("CanonChain/fee-burn"));
}

bool
InFeeAuction(TxType type)
{
    switch (type)
    {
        case TxType::kContributionClaim:
        case TxType::kCzrReport:
        case TxType::kVote:
        case TxType::kEvidence:
            return false;
        default:
            return true;
    }
}

std::optional<FeeCharge>
WithGasFloor(std::optional<FeeCharge> charge, uint64_t floor)
{
    if (charge && charge->paid < floor)
    {
        charge->toProducer += floor - charge->paid;
        charge->paid = floor;
    }
    return charge;
}

} // namespace canon
