// A fee market without a network (issue 15): bidders arrive, bid and wait; one producer clears
// each block with the same rules the chain uses (ClearAsProducer, ChargeFor, NextBaseFee). Fast
// enough for sweeps over many blocks; the chain runs (the abstract engine, ns-3) add network
// delay, forks and many producers on top of the same rules.
//
// Per block: a Poisson number of arrivals (mean `arrivalsPerBlock`), each with a valuation and a
// bid from the bidder strategy (bidding.h); bids wait in the pool until included, or leave
// unserved after `patienceBlocks`; valuations decay with the time waited, and then every waiting
// bidder bids again each block for its valuation now, replacing its waiting bid (a MarketBid
// keeps the last bid and tip placed). The producer clears
// the pool under its policy. A learner sees the last `historyBlocks` blocks.
//
// Measured (MarketResult): revenue and burn per block, user utility (decayed valuation minus
// payment, 0 for the unserved), welfare (decayed valuations served), efficiency (welfare over the
// sum of the largest capacity * blocks valuations that arrived: an upper bound that ignores
// arrival times), and the deviation search: in each block one bidder of those who arrived in it,
// drawn at random, tries every bid of a grid (0 to 1.5 times its valuation in 60 steps, the others'
// bids ranked within three places of capacity and one unit either side; EIP-1559: tips from 0 to
// its valuation less the base fee) against the others' fixed bids and the producer's policy, this
// block only. Its gain is the best utility found less the utility of its actual bid (and of its
// truthful bid). A gain of 0 means no deviation the search found does better.
//
// Deterministic: Rng::Derive(seed, "fee-market", 0..2). Memory: O(blocks) when records are kept.
#ifndef CANONSIM_FEES_FEE_MARKET_H
#define CANONSIM_FEES_FEE_MARKET_H

#include "model/fees/bidding.h"
#include "model/fees/block-filler.h"

namespace canon
{

struct MarketSpec
{
    uint64_t seed = 1;
    FeeRuleParams rule;
    uint32_t capacity = 10;
    double arrivalsPerBlock = 10;
    double blockSeconds = 1;
    uint32_t blocks = 1000;
    uint32_t warmupBlocks = 50; // not measured: the pool and the learners settle
    uint32_t patienceBlocks = 10;
    uint32_t historyBlocks = 20;
    ValuationSpec values;
    BidderSpec bidder;
    FeeProducerPolicy producer;
};

struct MarketBid
{
    uint32_t arrivedBlock = 0;
    double valuation = 0;
    uint64_t bid = 0;
    uint64_t tip = 0;
    bool included = false;
    uint64_t payment = 0;
    uint32_t waitedBlocks = 0;
    double utility = 0;
};

struct MarketBlock
{
    uint32_t block = 0;
    uint64_t price = 0;   // uniform, monopolistic: the price; EIP-1559: the base fee
    uint64_t revenue = 0; // from real bids, to the producer
    uint64_t burned = 0;
    uint32_t included = 0; // real bids
    uint32_t fakes = 0;
    uint32_t pool = 0; // bids waiting when it was cleared
};

struct MarketResult
{
    uint32_t blocks = 0;  // measured
    uint64_t bidders = 0; // arrived while measuring
    uint64_t served = 0;
    double revenuePerBlock = 0;
    double burnedPerBlock = 0;
    double utilityPerBidder = 0;
    double welfare = 0;
    double efficiency = 0;
    double fullness = 0; // real bids per block over capacity
    uint64_t deviationSamples = 0;
    double gainOverActual = 0;          // mean
    double gainOverTruthful = 0;        // mean
    double gainOverTruthfulError = 0;   // its standard error
    double gainOverTruthfulSquares = 0; // while running: the sum of squares
    double beatenShare = 0;             // samples whose actual bid a deviation beat by > 1% of v
};

MarketResult RunMarket(const MarketSpec& spec, std::vector<MarketBid>* bids = nullptr,
                       std::vector<MarketBlock>* blocks = nullptr);

} // namespace canon

#endif
