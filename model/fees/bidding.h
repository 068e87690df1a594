// Users as bidders in the fee auctions (issue 15), sans-IO: valuations, their decay while a
// transaction waits, and the bid strategies.
//
// Valuations (per transaction, in fee units): uniform in [min, max]; lognormal with parameters
// mu, sigma of the underlying normal; or drawn uniformly from a list read from a file. A
// valuation may decay while the transaction waits: v * exp(-decay * seconds waited).
//
// Strategies: truthful (bid the valuation); shading (bid factor * valuation); the symmetric
// first-price equilibrium for the valuation distribution, with `others` competing bidders for
// `units` places: b(v) = v - (integral from the lowest valuation to v of G) / G(v), G(x) the
// chance that fewer than `units` of the others value above x (for one unit, the textbook
// v - int F^(n-1) / F(v)^(n-1)); and a best-response learner, which picks from a grid of
// fractions of its valuation the bid that would have done best against the recent blocks it
// observed (their cutoff and price), assuming the same blocks again; in a full block only a bid
// above the cutoff counts as getting in.
// Under EIP-1559 the rule sets the fee cap (the equilibrium bidder, like the truthful one, caps at
// its valuation: a cap is a limit, not a payment); the tip is a fixed amount, except for the
// learner, which learns the tip (its cap stays its valuation).
//
// The equilibrium is numeric: a 512-step trapezoid rule over [lowest valuation, v]; lognormal
// valuations start the integral at 0 and a file's at its least value.
#ifndef CANONSIM_FEES_BIDDING_H
#define CANONSIM_FEES_BIDDING_H

#include "model/core/rng.h"
#include "model/fees/fee-auction.h"

#include <optional>
#include <string>
#include <vector>

namespace canon
{

enum class ValuationKind : uint8_t
{
    kUniform = 0,
    kLognormal = 1,
    kFile = 2,
};

struct ValuationSpec
{
    ValuationKind kind = ValuationKind::kUniform;
    double min = 0;             // uniform
    double max = 1000;          // uniform
    double mu = 5;              // lognormal: of the underlying normal
    double sigma = 1;           // lognormal
    std::vector<double> values; // file: non-negative, at least one
    double decayPerSecond = 0;  // 0: valuations do not decay
};

enum class BidStrategy : uint8_t
{
    kTruthful = 0,
    kShade = 1,
    kEquilibrium = 2,
    kLearner = 3,
};

// The names of the strategies and valuation kinds in enum order (scenario files write these).
struct BidStrategyNames
{
    static constexpr const char* kNames[] = {"truthful", "shade", "equilibrium", "learner"};
};
struct ValuationKindNames
{
    static constexpr const char* kNames[] = {"uniform", "lognormal", "file"};
};
const char* BidStrategyName(BidStrategy s);
std::optional<BidStrategy> ParseBidStrategy(const std::string& name);

struct BidderSpec
{
    BidStrategy strategy = BidStrategy::kTruthful;
    double shade = 0.8;   // shading: the bid's fraction of the valuation, in (0, 1]
    uint32_t others = 10; // equilibrium: competing bidders for a block
    uint32_t units = 5;   // equilibrium: places in a block
    uint64_t tip = 1;     // EIP-1559: the tip (not the learner's)
    // The least bid (EIP-1559: cap) and tip that can get in (the mempools' floor, the producers'
    // reserve): a bidder valuing at least that much never bids less.
    uint64_t minBid = 0;
    uint64_t minTip = 0;
};

// What a bidder saw of one block: the least bid (EIP-1559: effective tip) that got in, whether
// the block was full (if not, any eligible bid got in), and the price paid (uniform and
// monopolistic: the clearing price; EIP-1559: the base fee; first-price: unused).
struct ObservedBlock
{
    uint64_t cutoff = 0;
    bool full = false;
    uint64_t price = 0;
};

double DrawValuation(const ValuationSpec& spec, Rng& rng);
// The valuation after waiting `seconds`.
double Decayed(const ValuationSpec& spec, double valuation, double seconds);
// P(valuation <= x).
double ValuationCdf(const ValuationSpec& spec, double x);

// The symmetric first-price equilibrium bid of a bidder valuing at v.
double EquilibriumBid(const ValuationSpec& spec, double v, uint32_t others, uint32_t units);

// The learner's bid (EIP-1559: its tip) for valuation v against the observed blocks; with no
// history it bids truthfully (EIP-1559: the fixed tip).
uint64_t LearnerBid(FeeMechanism m, double v, const std::vector<ObservedBlock>& history,
                    uint64_t fixedTip);

// The bid and tip a bidder of `spec` places for valuation v.
FeeBid PlaceBid(FeeMechanism m, const BidderSpec& spec, const ValuationSpec& values, double v,
                const std::vector<ObservedBlock>& history);

} // namespace canon

#endif
