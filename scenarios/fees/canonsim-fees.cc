// canonsim-fees: the fee-auction comparison grid of issue 15 on the network-free fee market
// (model/fees/fee-market.h): every mechanism x producer policy x bidder strategy x demand level,
// one CSV row per cell. scenarios/fees/run-grid.py runs it and writes the table into
// scenarios/fees/README.md.
//
//   canonsim-fees [--blocks N] [--warmup N] [--seed N] [--capacity N] [--patience N]
//                 [--demand X,Y,...]   (arrivals per block over capacity)
//                 [--values uniform:MIN:MAX | lognormal:MU:SIGMA] [--decay PER_SECOND]
//                 [--shade F] [--tip N] [--base-fee N] [--reserve N]
//
// Exit codes: 0 done; 2 a bad command line (one line starting "canonsim-fees:").
#include "model/fees/fee-market.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <sstream>

namespace
{

using namespace canon;

struct Options
{
    MarketSpec base;
    std::vector<double> demand = {0.5, 1.0, 2.0};
    std::string values = "uniform:0:1000";
};

// "uniform:MIN:MAX" or "lognormal:MU:SIGMA".
bool
ParseValues(const std::string& text, ValuationSpec& out)
{
    std::istringstream in(text);
    std::string kind, a, b;
    if (!std::getline(in, kind, ':') || !std::getline(in, a, ':') || !std::getline(in, b))
    {
        return false;
    }
    try
    {
        const double x = std::stod(a), y = std::stod(b);
        if (kind == "uniform" && x >= 0 && y > x)
        {
            out.kind = ValuationKind::kUniform;
            out.min = x;
            out.max = y;
            return true;
        }
        if (kind == "lognormal" && y > 0)
        {
            out.kind = ValuationKind::kLognormal;
            out.mu = x;
            out.sigma = y;
            return true;
        }
    }
    catch (const std::exception&)
    {
    }
    return false;
}

struct Producer
{
    const char* name;
    FeeProducerPolicy policy;
};

std::vector<Producer>
Producers(uint64_t reserve)
{
    FeeProducerPolicy honest;
    honest.active = true;
    honest.reserve = reserve;
    FeeProducerPolicy cut = honest;
    cut.cut = ProducerCut::kRevenueMax;
    FeeProducerPolicy fakes = honest;
    fakes.fakeBidsAuto = true;
    return {{"honest", honest}, {"revenue-cut", cut}, {"fake-bids", fakes}};
}

void
PrintRow(const MarketSpec& s, const char* producer, double demand, const MarketResult& r)
{
    std::printf("%s,%s,%s,%.2f,%u,%llu,%.3f,%.3f,%.3f,%.3f,%.4f,%.4f,%.3f,%.3f,%.3f,%.4f\n",
                FeeMechanismName(s.rule.mechanism), producer, BidStrategyName(s.bidder.strategy),
                demand, r.blocks, static_cast<unsigned long long>(r.bidders), r.revenuePerBlock,
                r.burnedPerBlock, r.utilityPerBidder, r.welfare / std::max(1u, r.blocks),
                r.efficiency, r.fullness, r.gainOverActual, r.gainOverTruthful,
                r.gainOverTruthfulError, r.beatenShare);
}

void
RunGrid(const Options& o)
{
    std::printf("mechanism,producer,strategy,demand,blocks,bidders,revenue_per_block,"
                "burned_per_block,utility_per_bidder,welfare_per_block,efficiency,fullness,"
                "gain_over_actual,gain_over_truthful,gain_over_truthful_se,beaten_share\n");
    for (uint8_t m = 0; m < 4; ++m)
    {
        for (const Producer& p : Producers(o.base.producer.reserve))
        {
            for (uint8_t st = 0; st < 4; ++st)
            {
                for (double d : o.demand)
                {
                    MarketSpec s = o.base;
                    s.rule.mechanism = static_cast<FeeMechanism>(m);
                    s.producer = p.policy;
                    s.bidder.strategy = static_cast<BidStrategy>(st);
                    s.arrivalsPerBlock = d * s.capacity;
                    s.bidder.others = static_cast<uint32_t>(std::max(0.0, s.arrivalsPerBlock - 1));
                    s.bidder.units = s.capacity;
                    PrintRow(s, p.name, d, RunMarket(s));
                }
            }
        }
    }
}

} // namespace

int
main(int argc, char** argv)
{
    Options o;
    o.base.values.max = 1000;
    CLI::App app{"canonsim-fees: the fee-auction grid of issue 15 on the network-free market"};
    app.add_option("--blocks", o.base.blocks, "measured blocks per cell")
        ->check(CLI::Range(1u, 1000000u));
    app.add_option("--warmup", o.base.warmupBlocks, "unmeasured blocks first")
        ->check(CLI::Range(0u, 100000u));
    app.add_option("--seed", o.base.seed, "seed");
    app.add_option("--capacity", o.base.capacity, "transactions per block")
        ->check(CLI::Range(1u, 10000u));
    app.add_option("--patience", o.base.patienceBlocks, "blocks a bid waits before leaving")
        ->check(CLI::Range(1u, 100000u));
    app.add_option("--demand", o.demand, "arrivals per block over capacity")
        ->delimiter(',')
        ->check(CLI::Range(0.0, 100.0));
    app.add_option("--values", o.values, "uniform:MIN:MAX or lognormal:MU:SIGMA");
    app.add_option("--decay", o.base.values.decayPerSecond, "valuation decay per second waited")
        ->check(CLI::Range(0.0, 100.0));
    app.add_option("--shade", o.base.bidder.shade, "shading factor")->check(CLI::Range(0.01, 1.0));
    app.add_option("--tip", o.base.bidder.tip, "EIP-1559 tip");
    app.add_option("--base-fee", o.base.rule.initialBaseFee, "EIP-1559 first base fee");
    app.add_option("--reserve", o.base.producer.reserve, "producers' minimum fee");
    try
    {
        app.parse(argc, argv);
    }
    catch (const CLI::ParseError& e)
    {
        if (e.get_exit_code() == 0)
        {
            return app.exit(e);
        }
        std::fprintf(stderr, "canonsim-fees: %s\n", e.what());
        return 2;
    }
    if (!ParseValues(o.values, o.base.values))
    {
        std::fprintf(stderr,
                     "canonsim-fees: --values '%s' is not uniform:MIN:MAX (0 <= MIN < "
                     "MAX) or lognormal:MU:SIGMA (SIGMA > 0)\n",
                     o.values.c_str());
        return 2;
    }
    RunGrid(o);
    return 0;
}
