// canonsim-contracts: the paper's Contract 1 and Contract 2 (section 3.2) on the abstract engine,
// and a benchmark of the contract VM (scenarios/contracts/README.md).
//
//   canonsim-contracts coop|promoter [--seed N] [--nodes N] [--producers N] [--duration S]
//                      [--contracts DIR] [--log]
//   canonsim-contracts bench [--iterations N]
//
// A run prints a Markdown report: the contract transactions by method (calls, reverts, gas),
// the callbacks (latency from the triggering transaction's submission and from its block's
// timestamp to the arrival at the device), and whether every node ends on the same state root.
// Exit codes: 0 done; 1 the run failed or nodes disagree; 2 a bad command line.
#include "model/chain/block-validator.h"
#include "model/contracts/contract-executor.h"
#include "scenarios/contracts/contract-scenarios.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

namespace
{

using namespace canon;

double
Quantile(std::vector<double> v, double q)
{
    if (v.empty())
    {
        return 0;
    }
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5)];
}

void
PrintMethods(const ContractScenarioReport& r)
{
    struct Row
    {
        uint64_t calls = 0, reverted = 0, gasSum = 0, gasMax = 0;
        std::string reasons;
    };
    std::map<std::string, Row> rows;
    for (const ContractReceipt& c : r.receipts)
    {
        Row& row = rows[c.method];
        ++row.calls;
        row.gasSum += c.gasUsed;
        row.gasMax = std::max(row.gasMax, c.gasUsed);
        if (c.revert != RevertKind::kNone)
        {
            ++row.reverted;
            row.reasons += (row.reasons.empty() ? "" : "; ") + c.reason;
        }
    }
    std::printf("| method | calls | reverted | gas mean | gas max | revert reasons |\n");
    std::printf("|---|---:|---:|---:|---:|---|\n");
    for (const auto& [method, row] : rows)
    {
        std::printf("| %s | %llu | %llu | %llu | %llu | %s |\n", method.c_str(),
                    static_cast<unsigned long long>(row.calls),
                    static_cast<unsigned long long>(row.reverted),
                    static_cast<unsigned long long>(row.gasSum / row.calls),
                    static_cast<unsigned long long>(row.gasMax), row.reasons.c_str());
    }
}

void
PrintCallbacks(const ContractScenarioReport& r)
{
    std::vector<double> trigger;
    std::vector<double> block;
    for (const CallbackSample& c : r.callbacks)
    {
        if (c.triggerToArrival >= 0)
        {
            trigger.push_back(c.triggerToArrival);
        }
        block.push_back(c.blockToArrival);
    }
    std::printf("\n| callbacks | trigger to arrival p50 / p95 / max (s) | block to arrival p50 / "
                "max (s) |\n|---:|---|---|\n");
    std::printf("| %zu | %.3f / %.3f / %.3f | %.3f / %.3f |\n", r.callbacks.size(),
                Quantile(trigger, 0.5), Quantile(trigger, 0.95), Quantile(trigger, 1.0),
                Quantile(block, 0.5), Quantile(block, 1.0));
    std::printf("\n| device | data | trigger to arrival (s) |\n|---|---|---:|\n");
    for (const CallbackSample& c : r.callbacks)
    {
        std::printf("| %s | %s | %.3f |\n", c.device.c_str(), c.data.c_str(), c.triggerToArrival);
    }
}

int
RunScenario(const ContractScenarioOptions& o, bool log)
{
    auto r = RunContractScenario(o);
    if (!r.IsOk())
    {
        std::fprintf(stderr, "canonsim-contracts: %s\n", r.GetStatus().ToString().c_str());
        return 1;
    }
    const ContractScenarioReport& rep = r.Value();
    std::printf("### %s (seed %llu, %u nodes, %u producers, %.0f s, %llu blocks)\n\n",
                o.which.c_str(), static_cast<unsigned long long>(o.seed), o.nodes, o.producers,
                ToSeconds(o.duration), static_cast<unsigned long long>(rep.blocks));
    PrintMethods(rep);
    PrintCallbacks(rep);
    std::printf("\nEvery node on the same state root, equal to an independent replay: %s\n",
                rep.statesAgree ? "yes" : "NO");
    if (log)
    {
        std::printf("\n```\n");
        for (const std::string& line : rep.log)
        {
            std::printf("%s\n", line.c_str());
        }
        for (const auto& [key, value] : rep.storage)
        {
            if (key.find(':') != std::string::npos)
            {
                continue; // per-device entries: 64-digit keys
            }
            std::printf("storage %s = %s\n", key.c_str(), value.ToString().c_str());
        }
        std::printf("contract balance %llu\n```\n",
                    static_cast<unsigned long long>(rep.contractBalance));
    }
    return rep.statesAgree ? 0 : 1;
}

const char* kBenchCode = R"(
local M = {}
function M.spin(n) local s = 0 for i = 1, n do s = s + i % 7 end return s end
function M.bump() chain.set('n', (chain.get('n') or 0) + 1) end
return M
)";

// Gas per second of the VM, and the time of a contract call against a plain transfer.
int
RunBench(uint32_t iterations)
{
    using Clock = std::chrono::steady_clock;
    auto params = std::make_shared<ChainParams>();
    std::vector<KeyPair> keys;
    std::vector<Address> investors;
    for (uint32_t i = 0; i < 4; ++i)
    {
        keys.push_back(DeriveKeyPair(1, "bench", i));
        investors.push_back(keys.back().GetAddress());
    }
    params->genesis = MakeGenesisAllocation(investors, Address{}, Address{});
    params->czc.push_back({0, Blake2b256(std::string("czc"))});
    const Hash256 czc = params->czc.front().czcHash;
    LedgerState st = LedgerState::FromGenesis(*params);
    const TxContext ctx = MakeTxContext(*params, 1, Address{}, 0);
    const uint64_t fee = 1'000'000;
    (void) st.ApplyTransaction(MakeTransaction(keys[0], TxType::kContractDeploy, 0, fee, czc,
                                               DeployPayload{kBenchCode, {}, 0, fee}.Encode()),
                               ctx);
    const Address c = ContractAddress(keys[0].GetAddress(), 0);
    auto timeTxs = [&](const std::function<Transaction(uint64_t)>& make, uint32_t n)
    {
        std::vector<Transaction> txs;
        for (uint64_t i = 0; i < n; ++i)
        {
            txs.push_back(make(i));
        }
        const auto t0 = Clock::now();
        for (const auto& tx : txs)
        {
            (void) st.ApplyTransaction(tx, ctx);
        }
        return std::chrono::duration<double>(Clock::now() - t0).count() / n;
    };
    const double transfer = timeTxs(
        [&](uint64_t i) { return MakeTransfer(keys[1], i, 10, czc, investors[3], 1); }, iterations);
    const double call = timeTxs(
        [&](uint64_t i)
        {
            return MakeTransaction(keys[2], TxType::kContractCall, i, fee, czc,
                                   CallPayload{c, "bump", {}, 0, fee}.Encode());
        },
        iterations);
    const auto t0 = Clock::now();
    uint64_t gas = 0;
    for (uint32_t i = 0; i < 20; ++i)
    {
        (void) st.ApplyTransaction(
            MakeTransaction(
                keys[3], TxType::kContractCall, i, 5'000'000, czc,
                CallPayload{c, "spin", {ContractValue::Int(1'000'000)}, 0, 5'000'000}.Encode()),
            ctx);
        gas += st.Contracts().ReceiptsAt(1).back().gasUsed;
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    std::printf("| measure | value |\n|---|---:|\n");
    std::printf("| plain transfer, applied to the ledger | %.2f us |\n", transfer * 1e6);
    std::printf("| contract call (one storage read and write), applied | %.2f us |\n", call * 1e6);
    std::printf("| call / transfer | %.0fx |\n", call / transfer);
    std::printf("| gas of one call to bump | %llu |\n",
                static_cast<unsigned long long>(st.Contracts().ReceiptsAt(1)[iterations].gasUsed));
    std::printf("| VM speed, a tight Lua loop | %.1f Mgas/s |\n",
                static_cast<double>(gas) / seconds / 1e6);
    return 0;
}

} // namespace

int
main(int argc, char** argv)
{
    CLI::App app{"canonsim-contracts: the paper's contracts on the abstract engine"};
    ContractScenarioOptions o;
    o.luaDir = CANONSIM_SOURCE_DIR "/scenarios/contracts";
    double duration = ToSeconds(o.duration);
    bool log = false;
    uint32_t iterations = 2000;
    app.add_option("scenario", o.which, "coop, promoter or bench")->required();
    app.add_option("--seed", o.seed, "run seed");
    app.add_option("--nodes", o.nodes, "full nodes")->check(CLI::Range(4u, 1000u));
    app.add_option("--producers", o.producers, "genesis producers")->check(CLI::Range(1u, 100u));
    app.add_option("--duration", duration, "seconds of simulated time")
        ->check(CLI::Range(40.0, 3600.0));
    app.add_option("--contracts", o.luaDir, "directory of the .lua contracts");
    app.add_flag("--log", log, "print what the participants did and the contract's scalar storage");
    app.add_option("--iterations", iterations, "bench: transactions per measure")
        ->check(CLI::Range(100u, 1000000u));
    try
    {
        app.parse(argc, argv);
    }
    catch (const CLI::ParseError& e)
    {
        return app.exit(e) == 0 ? 0 : 2;
    }
    o.duration = static_cast<TimeNs>(duration * 1e9) + 500 * kMillisecond;
    return o.which == "bench" ? RunBench(iterations) : RunScenario(o, log);
}
