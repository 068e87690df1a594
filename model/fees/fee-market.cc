#include "model/fees/fee-market.h"

#include <algorithm>
#include <cmath>

namespace canon
{

namespace
{

struct Pending
{
    std::size_t record = 0; // index into the run's bids
    FeeBid bid;
};

struct MarketState
{
    explicit MarketState(const MarketSpec& s)
      : spec(s)
      , arrivals(Rng::Derive(s.seed, "fee-market", 0))
      , values(Rng::Derive(s.seed, "fee-market", 1))
      , deviations(Rng::Derive(s.seed, "fee-market", 2))
      , baseFee(s.rule.mechanism == FeeMechanism::kEip1559 ? s.rule.initialBaseFee : 0)
    {
    }

    const MarketSpec& spec;
    Rng arrivals;
    Rng values;
    Rng deviations;
    std::vector<MarketBid> bids;
    std::vector<Pending> pool;
    std::vector<ObservedBlock> history;
    uint64_t baseFee = 0;
    uint64_t sequence = 0;
    std::size_t arrivedNow = 0; // the last this many of the pool arrived this block
    MarketResult result;
};

uint32_t
PoissonCount(Rng& rng, double mean)
{
    uint32_t n = 0;
    for (double t = rng.Exponential(1.0); t < mean; t += rng.Exponential(1.0))
    {
        ++n;
    }
    return n;
}

double
Waited(const MarketSpec& spec, uint32_t blocks)
{
    return static_cast<double>(blocks) * spec.blockSeconds;
}

void
Arrive(MarketState& m, uint32_t block)
{
    const MarketSpec& s = m.spec;
    const uint32_t n = PoissonCount(m.arrivals, s.arrivalsPerBlock);
    m.arrivedNow = n;
    for (uint32_t i = 0; i < n; ++i)
    {
        MarketBid b;
        b.arrivedBlock = block;
        b.valuation = DrawValuation(s.values, m.values);
        FeeBid fb = PlaceBid(s.rule.mechanism, s.bidder, s.values, b.valuation, m.history);
        fb.arrival = ++m.sequence;
        fb.id[0] = static_cast<uint8_t>(fb.arrival);
        b.bid = fb.bid;
        b.tip = fb.tip;
        m.pool.push_back({m.bids.size(), fb});
        m.bids.push_back(b);
    }
}

// With decaying valuations every waiting bidder bids again at the start of each block, by its
// strategy for its valuation now, and its new bid replaces its waiting one (keeping its place
// among equal bids).
void
Rebid(MarketState& m, uint32_t block)
{
    const MarketSpec& s = m.spec;
    if (s.values.decayPerSecond == 0)
    {
        return;
    }
    for (Pending& p : m.pool)
    {
        MarketBid& b = m.bids[p.record];
        const double now = Decayed(s.values, b.valuation, Waited(s, block - b.arrivedBlock));
        const FeeBid fb = PlaceBid(s.rule.mechanism, s.bidder, s.values, now, m.history);
        p.bid.bid = b.bid = fb.bid;
        p.bid.tip = b.tip = fb.tip;
    }
}

std::vector<FeeBid>
PoolBids(const MarketState& m)
{
    std::vector<FeeBid> out;
    for (const Pending& p : m.pool)
    {
        out.push_back(p.bid);
    }
    return out;
}

// The utility bidder `who` (an index into the pool) gets this block bidding `b`.
double
UtilityWith(const MarketState& m, std::size_t who, const FeeBid& b, const ClearingRule& rule,
            double value)
{
    std::vector<FeeBid> real = PoolBids(m);
    real[who].bid = b.bid;
    real[who].tip = b.tip;
    const ProducerClearing pc = ClearAsProducer(real, rule, m.spec.producer);
    const std::size_t index = who + pc.fakes;
    const auto& inc = pc.clearing.included;
    if (std::find(inc.begin(), inc.end(), index) == inc.end())
    {
        return 0;
    }
    const FeeCharge ch = *ChargeFor(rule.mechanism, b.bid, b.tip, pc.clearing.price, rule.baseFee);
    return value - static_cast<double>(ch.paid);
}

std::vector<FeeBid>
DeviationGrid(const MarketState& m, double value, const FeeBid& actual, const ClearingRule& rule)
{
    std::vector<FeeBid> grid;
    const bool eip = rule.mechanism == FeeMechanism::kEip1559;
    const double top = eip ? std::max(0.0, value - static_cast<double>(rule.baseFee)) : 1.5 * value;
    const auto cap = static_cast<uint64_t>(std::max(0.0, value));
    auto add = [&](uint64_t amount) {
        grid.push_back(eip ? FeeBid{cap, amount, 0, {}} : FeeBid{amount, 0, 0, {}});
    };
    for (int g = 0; g <= 60; ++g)
    {
        add(static_cast<uint64_t>(top * g / 60));
    }
    // The others' bids near the cut (three places either side of capacity), and a unit either
    // side of each: where a bid's fate changes.
    const std::vector<FeeBid> others = PoolBids(m);
    const std::vector<std::size_t> order = PriorityOrder(others, rule.mechanism, rule.baseFee);
    const std::size_t from = rule.capacity > 3 ? rule.capacity - 3 : 0;
    for (std::size_t r = from; r < order.size() && r <= std::size_t{rule.capacity} + 3; ++r)
    {
        const FeeBid& p = others[order[r]];
        const uint64_t x = eip ? EffectiveTip(p.bid, p.tip, rule.baseFee) : p.bid;
        for (uint64_t d : {x > 0 ? x - 1 : 0, x, x + 1})
        {
            add(d);
        }
    }
    grid.push_back(actual);
    return grid;
}

void
SearchDeviation(MarketState& m, uint32_t block, const ClearingRule& rule)
{
    if (m.arrivedNow == 0)
    {
        return;
    }
    const std::size_t who = m.pool.size() - 1 - m.deviations.Below(m.arrivedNow);
    const MarketBid& rec = m.bids[m.pool[who].record];
    const double value =
        Decayed(m.spec.values, rec.valuation, Waited(m.spec, block - rec.arrivedBlock));
    const double actual = UtilityWith(m, who, m.pool[who].bid, rule, value);
    const FeeBid truthful{
        static_cast<uint64_t>(std::llround(std::max(0.0, value))), m.pool[who].bid.tip, 0, {}};
    const double truth = UtilityWith(m, who, truthful, rule, value);
    double best = std::max(actual, truth);
    for (const FeeBid& b : DeviationGrid(m, value, m.pool[who].bid, rule))
    {
        best = std::max(best, UtilityWith(m, who, b, rule, value));
    }
    MarketResult& r = m.result;
    ++r.deviationSamples;
    r.gainOverActual += best - actual;
    r.gainOverTruthful += best - truth;
    r.gainOverTruthfulSquares += (best - truth) * (best - truth);
    r.beatenShare += best - actual > 0.01 * value ? 1 : 0;
}

// Settles the included bids, drops the impatient, returns what the block recorded.
MarketBlock
Settle(MarketState& m, uint32_t block, const ProducerClearing& pc, const ClearingRule& rule)
{
    MarketBlock out;
    out.block = block;
    out.fakes = pc.fakes;
    out.pool = static_cast<uint32_t>(m.pool.size());
    out.price = pc.clearing.price;
    std::vector<bool> served(m.pool.size(), false);
    for (std::size_t i : pc.clearing.included)
    {
        const FeeCharge ch =
            *ChargeFor(rule.mechanism, pc.bids[i].bid, pc.bids[i].tip, out.price, rule.baseFee);
        out.burned += ch.burned;
        if (i < pc.fakes)
        {
            continue;
        }
        served[i - pc.fakes] = true;
        MarketBid& b = m.bids[m.pool[i - pc.fakes].record];
        b.included = true;
        b.payment = ch.paid;
        b.waitedBlocks = block - b.arrivedBlock;
        b.utility = Decayed(m.spec.values, b.valuation, Waited(m.spec, b.waitedBlocks)) -
                    static_cast<double>(ch.paid);
        out.revenue += ch.toProducer;
        ++out.included;
    }
    std::vector<Pending> rest;
    for (std::size_t i = 0; i < m.pool.size(); ++i)
    {
        MarketBid& b = m.bids[m.pool[i].record];
        b.waitedBlocks = block - b.arrivedBlock;
        if (!served[i] && b.waitedBlocks + 1 < m.spec.patienceBlocks)
        {
            rest.push_back(m.pool[i]);
        }
    }
    m.pool = std::move(rest);
    return out;
}

ObservedBlock
Observe(const ProducerClearing& pc, const ClearingRule& rule)
{
    ObservedBlock o;
    o.full = pc.clearing.included.size() >= rule.capacity;
    o.price = pc.clearing.price;
    o.cutoff = UINT64_MAX;
    for (std::size_t i : pc.clearing.included)
    {
        const FeeBid& b = pc.bids[i];
        o.cutoff = std::min(o.cutoff, rule.mechanism == FeeMechanism::kEip1559
                                          ? EffectiveTip(b.bid, b.tip, rule.baseFee)
                                          : b.bid);
    }
    o.cutoff = o.cutoff == UINT64_MAX ? 0 : o.cutoff;
    return o;
}

void
Measure(MarketState& m, const MarketBlock& b)
{
    MarketResult& r = m.result;
    ++r.blocks;
    r.revenuePerBlock += static_cast<double>(b.revenue);
    r.burnedPerBlock += static_cast<double>(b.burned);
    r.fullness += b.included;
}

void
RunBlock(MarketState& m, uint32_t block, std::vector<MarketBlock>* blocks)
{
    const MarketSpec& s = m.spec;
    Rebid(m, block);
    Arrive(m, block);
    const ClearingRule rule = RuleFor(s.rule.mechanism, s.capacity, m.baseFee, s.producer);
    const bool measured = block >= s.warmupBlocks;
    if (measured)
    {
        SearchDeviation(m, block, rule);
    }
    const ProducerClearing pc = ClearAsProducer(PoolBids(m), rule, s.producer);
    m.history.push_back(Observe(pc, rule));
    if (m.history.size() > s.historyBlocks)
    {
        m.history.erase(m.history.begin());
    }
    const MarketBlock b = Settle(m, block, pc, rule);
    if (s.rule.mechanism == FeeMechanism::kEip1559)
    {
        m.baseFee = NextBaseFee(m.baseFee, b.included + b.fakes, s.capacity, s.rule);
    }
    if (measured)
    {
        Measure(m, b);
    }
    if (blocks)
    {
        blocks->push_back(b);
    }
}

void
Summarise(MarketState& m)
{
    MarketResult& r = m.result;
    const MarketSpec& s = m.spec;
    std::vector<double> values;
    for (const MarketBid& b : m.bids)
    {
        if (b.arrivedBlock < s.warmupBlocks)
        {
            continue;
        }
        ++r.bidders;
        r.served += b.included ? 1 : 0;
        r.utilityPerBidder += b.utility;
        r.welfare += b.included ? b.utility + static_cast<double>(b.payment) : 0;
        values.push_back(b.valuation);
    }
    std::sort(values.rbegin(), values.rend());
    const std::size_t slots =
        std::min<std::size_t>(values.size(), std::size_t{r.blocks} * s.capacity);
    double bound = 0;
    for (std::size_t i = 0; i < slots; ++i)
    {
        bound += values[i];
    }
    const double blocksD = std::max(1.0, static_cast<double>(r.blocks));
    r.efficiency = bound > 0 ? r.welfare / bound : 0;
    r.revenuePerBlock /= blocksD;
    r.burnedPerBlock /= blocksD;
    r.fullness /= blocksD * std::max(1u, s.capacity);
    r.utilityPerBidder /= std::max(1.0, static_cast<double>(r.bidders));
    const double samples = std::max(1.0, static_cast<double>(r.deviationSamples));
    r.gainOverActual /= samples;
    r.gainOverTruthful /= samples;
    const double variance = std::max(0.0, r.gainOverTruthfulSquares / samples -
                                              r.gainOverTruthful * r.gainOverTruthful);
    r.gainOverTruthfulError = std::sqrt(variance / samples);
    r.beatenShare /= samples;
}

} // namespace

MarketResult
RunMarket(const MarketSpec& spec, std::vector<MarketBid>* bids, std::vector<MarketBlock>* blocks)
{
    MarketState m(spec);
    for (uint32_t block = 0; block < spec.warmupBlocks + spec.blocks; ++block)
    {
        RunBlock(m, block, blocks);
    }
    Summarise(m);
    if (bids)
    {
        *bids = std::move(m.bids);
    }
    return m.result;
}

} // namespace canon
