#include "model/fees/fee-auction.h"

#include <algorithm>
#include <numeric>

namespace canon
{

namespace
{
__extension__ typedef unsigned __int128 Uint128;

const auto& kMechanismNames = FeeMechanismNames::kNames;

// The amount a bid is ordered and judged by: the bid, or under EIP-1559 the effective tip.
uint64_t
KeyOf(const FeeBid& b, FeeMechanism m, uint64_t baseFee)
{
    return m == FeeMechanism::kEip1559 ? EffectiveTip(b.bid, b.tip, baseFee) : b.bid;
}

bool
Eligible(const FeeBid& b, const ClearingRule& rule)
{
    if (rule.mechanism == FeeMechanism::kEip1559 && b.bid < rule.baseFee)
    {
        return false;
    }
    return KeyOf(b, rule.mechanism, rule.baseFee) >= rule.reserve;
}

// Eligible bids in priority order: a prefix of the priority order, since eligibility is a floor
// on the ordering key (and, under EIP-1559, a cap below the base fee has effective tip 0).
std::vector<std::size_t>
EligibleOrder(const std::vector<FeeBid>& bids, const ClearingRule& rule, std::size_t& next)
{
    std::vector<std::size_t> order = PriorityOrder(bids, rule.mechanism, rule.baseFee);
    std::size_t n = 0;
    while (n < order.size() && Eligible(bids[order[n]], rule))
    {
        ++n;
    }
    next = n;
    return order;
}

// The uniform price when the first n bids of `order` are included.
uint64_t
UniformPrice(const std::vector<FeeBid>& bids, const std::vector<std::size_t>& order, std::size_t n,
             uint64_t reserve)
{
    const uint64_t excluded = n < order.size() ? bids[order[n]].bid : 0;
    return std::max(reserve, excluded);
}

// The n in [1, limit] maximising n * price(n); ties towards larger n. 0 when limit is 0.
template <typename PriceFn>
std::size_t
BestCut(std::size_t limit, PriceFn price)
{
    std::size_t best = 0;
    Uint128 bestRevenue = 0;
    for (std::size_t n = 1; n <= limit; ++n)
    {
        const Uint128 revenue = static_cast<Uint128>(n) * price(n);
        if (revenue >= bestRevenue)
        {
            best = n;
            bestRevenue = revenue;
        }
    }
    return best;
}

void
Settle(const std::vector<FeeBid>& bids, const ClearingRule& rule, Clearing& c)
{
    for (std::size_t i : c.included)
    {
        const FeeCharge ch =
            *ChargeFor(rule.mechanism, bids[i].bid, bids[i].tip, c.price, rule.baseFee);
        c.revenue += ch.toProducer;
        c.burned += ch.burned;
    }
}
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

std::vector<std::size_t>
PriorityOrder(const std::vector<FeeBid>& bids, FeeMechanism m, uint64_t baseFee)
{
    std::vector<std::size_t> order(bids.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b)
              {
                  const uint64_t ka = KeyOf(bids[a], m, baseFee);
                  const uint64_t kb = KeyOf(bids[b], m, baseFee);
                  if (ka != kb)
                  {
                      return ka > kb;
                  }
                  if (bids[a].arrival != bids[b].arrival)
                  {
                      return bids[a].arrival < bids[b].arrival;
                  }
                  return bids[a].id < bids[b].id;
              });
    return order;
}

Clearing
Clear(const std::vector<FeeBid>& bids, const ClearingRule& rule)
{
    std::size_t eligible = 0;
    const std::vector<std::size_t> order = EligibleOrder(bids, rule, eligible);
    const std::size_t limit = std::min<std::size_t>(eligible, rule.capacity);
    std::size_t n = limit;
    Clearing c;
    if (rule.mechanism == FeeMechanism::kUniform && rule.cut == ProducerCut::kRevenueMax)
    {
        n = BestCut(limit,
                    [&](std::size_t k) { return UniformPrice(bids, order, k, rule.reserve); });
    }
    else if (rule.mechanism == FeeMechanism::kMonopolistic)
    {
        n = BestCut(limit, [&](std::size_t k) { return bids[order[k - 1]].bid; });
    }
    c.included.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n));
    switch (rule.mechanism)
    {
        case FeeMechanism::kUniform:
            c.price = UniformPrice(bids, order, n, rule.reserve);
            break;
        case FeeMechanism::kEip1559:
            c.price = rule.baseFee;
            break;
        default:
            c.price = n == 0 ? 0 : bids[order[n - 1]].bid;
    }
    Settle(bids, rule, c);
    return c;
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

} // namespace canon
