#include "model/fees/bidding.h"

#include <algorithm>
#include <cmath>

namespace canon
{

namespace
{
const auto& kStrategyNames = BidStrategyNames::kNames;
constexpr int kEquilibriumSteps = 512;
constexpr int kLearnerGrid = 50;

double
LowestValuation(const ValuationSpec& spec)
{
    switch (spec.kind)
    {
        case ValuationKind::kUniform:
            return spec.min;
        case ValuationKind::kLognormal:
            return 0;
        case ValuationKind::kFile:
            return *std::min_element(spec.values.begin(), spec.values.end());
    }
    return 0;
}

// P(fewer than `units` of `others` independent valuations exceed x).
double
FewerAbove(const ValuationSpec& spec, double x, uint32_t others, uint32_t units)
{
    const double f = ValuationCdf(spec, x);
    if (units > others)
    {
        return 1;
    }
    double sum = 0;
    const double n = others;
    for (uint32_t j = 0; j < units; ++j)
    {
        const double jd = j;
        // C(n, j) (1 - F)^j F^(n - j), in logs so that large n stay finite.
        const double logC = std::lgamma(n + 1) - std::lgamma(jd + 1) - std::lgamma(n - jd + 1);
        const double up = jd == 0 ? 0 : jd * std::log1p(-std::min(f, 1.0 - 1e-300));
        const double down = n - jd == 0 ? 0 : (n - jd) * std::log(std::max(f, 1e-300));
        sum += std::exp(logC + up + down);
    }
    return std::min(sum, 1.0);
}

uint64_t
ToUnits(double x)
{
    return x <= 0 ? 0 : static_cast<uint64_t>(std::llround(x));
}

// What the bid b would have gained in block `o` under mechanism m (valuation v).
double
Hindsight(FeeMechanism m, double v, uint64_t b, const ObservedBlock& o)
{
    // A full block's cutoff is met by ties only sometimes; the learner counts only bids above it,
    // or learners meeting each other at the cutoff would walk it down to nothing.
    if (o.full && b <= o.cutoff)
    {
        return 0;
    }
    const double bid = static_cast<double>(b);
    switch (m)
    {
        case FeeMechanism::kFirstPrice:
            return v - bid;
        case FeeMechanism::kUniform:
        case FeeMechanism::kMonopolistic:
            return v - static_cast<double>(o.price);
        case FeeMechanism::kEip1559:
            return v < static_cast<double>(o.price) ? 0 : v - static_cast<double>(o.price) - bid;
    }
    return 0;
}
} // namespace

const char*
BidStrategyName(BidStrategy s)
{
    return kStrategyNames[static_cast<std::size_t>(s)];
}

std::optional<BidStrategy>
ParseBidStrategy(const std::string& name)
{
    for (uint8_t i = 0; i < 4; ++i)
    {
        if (name == kStrategyNames[i])
        {
            return static_cast<BidStrategy>(i);
        }
    }
    return std::nullopt;
}

double
DrawValuation(const ValuationSpec& spec, Rng& rng)
{
    switch (spec.kind)
    {
        case ValuationKind::kUniform:
            return spec.min + rng.Uniform() * (spec.max - spec.min);
        case ValuationKind::kLognormal:
        {
            // Box-Muller: 1 - U is in (0, 1], so the logarithm is finite.
            const double r = std::sqrt(-2.0 * std::log(1.0 - rng.Uniform()));
            const double z = r * std::cos(2.0 * M_PI * rng.Uniform());
            return std::exp(spec.mu + spec.sigma * z);
        }
        case ValuationKind::kFile:
            return spec.values[rng.Below(spec.values.size())];
    }
    return 0;
}

double
Decayed(const ValuationSpec& spec, double valuation, double seconds)
{
    return spec.decayPerSecond == 0 ? valuation
                                    : valuation * std::exp(-spec.decayPerSecond * seconds);
}

double
ValuationCdf(const ValuationSpec& spec, double x)
{
    switch (spec.kind)
    {
        case ValuationKind::kUniform:
            return spec.max <= spec.min
                       ? (x >= spec.min ? 1.0 : 0.0)
                       : std::clamp((x - spec.min) / (spec.max - spec.min), 0.0, 1.0);
        case ValuationKind::kLognormal:
            return x <= 0 ? 0.0
                          : 0.5 * std::erfc(-(std::log(x) - spec.mu) / (spec.sigma * M_SQRT2));
        case ValuationKind::kFile:
        {
            const auto below = std::count_if(spec.values.begin(), spec.values.end(),
                                             [x](double y) { return y <= x; });
            return static_cast<double>(below) / static_cast<double>(spec.values.size());
        }
    }
    return 0;
}

double
EquilibriumBid(const ValuationSpec& spec, double v, uint32_t others, uint32_t units)
{
    const double lo = std::min(LowestValuation(spec), v);
    const double gv = FewerAbove(spec, v, others, units);
    if (v <= lo || gv <= 0)
    {
        return lo;
    }
    const double h = (v - lo) / kEquilibriumSteps;
    double integral = 0.5 * (FewerAbove(spec, lo, others, units) + gv);
    for (int i = 1; i < kEquilibriumSteps; ++i)
    {
        integral += FewerAbove(spec, lo + h * i, others, units);
    }
    return std::clamp(v - integral * h / gv, lo, v);
}

uint64_t
LearnerBid(FeeMechanism m, double v, const std::vector<ObservedBlock>& history, uint64_t fixedTip)
{
    const bool tipOnly = m == FeeMechanism::kEip1559;
    if (history.empty())
    {
        return tipOnly ? fixedTip : ToUnits(v);
    }
    // EIP-1559: tips up to the largest surplus over the base fee seen; otherwise bids up to v.
    double top = v;
    if (tipOnly)
    {
        top = 0;
        for (const ObservedBlock& o : history)
        {
            top = std::max(top, v - static_cast<double>(o.price));
        }
    }
    uint64_t best = 0;
    double bestScore = -1;
    for (int g = 0; g <= kLearnerGrid; ++g)
    {
        const uint64_t b = ToUnits(top * g / kLearnerGrid);
        double score = 0;
        for (const ObservedBlock& o : history)
        {
            score += Hindsight(m, v, b, o);
        }
        if (score > bestScore)
        {
            best = b;
            bestScore = score;
        }
    }
    return best;
}

FeeBid
PlaceBid(FeeMechanism m, const BidderSpec& spec, const ValuationSpec& values, double v,
         const std::vector<ObservedBlock>& history)
{
    FeeBid b;
    const bool eip = m == FeeMechanism::kEip1559;
    b.tip = eip ? spec.tip : 0;
    switch (spec.strategy)
    {
        case BidStrategy::kTruthful:
            b.bid = ToUnits(v);
            break;
        case BidStrategy::kShade:
            b.bid = ToUnits(spec.shade * v);
            break;
        case BidStrategy::kEquilibrium:
            // EIP-1559's cap is a limit, not a payment: the equilibrium bidder caps at its value.
            b.bid = eip ? ToUnits(v) : ToUnits(EquilibriumBid(values, v, spec.others, spec.units));
            break;
        case BidStrategy::kLearner:
        {
            const uint64_t learnt = LearnerBid(m, v, history, spec.tip);
            b.bid = eip ? ToUnits(v) : learnt;
            b.tip = eip ? learnt : 0;
            break;
        }
    }
    // Below the floor a bid cannot get in: a bidder who values that much bids the floor.
    if (v >= static_cast<double>(spec.minBid + (eip ? spec.minTip : 0)))
    {
        b.bid = std::max(b.bid, spec.minBid);
        b.tip = eip ? std::max(b.tip, spec.minTip) : b.tip;
    }
    return b;
}

} // namespace canon
