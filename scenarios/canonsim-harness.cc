// canonsim-harness: the property-test driver. Runs the deterministic harness (model/sim: the
// abstract engine on a random graph with faults and adversaries drawn from the seed, checkers
// after every step) and prints the summary; exit code 1 on a safety violation. Property test
// failures print the command that reproduces them. For traces and reports, run a scenario file
// on either engine instead (`canonsim run FILE --engine abstract`).
//
//   canonsim-harness [--seed N] [--nodes N] [--producers N] [--duration SECONDS]
//                    [--tx-rate PER_SECOND] [--accounts N] [--faults-until SECONDS]
//                    [--czr-epoch-slots N]   (CZR engine and elections in the loop; 0: off)
//                    [--adversary KIND:PRODUCER[:FROM_S:TO_S]]...   (a byzantine producer)
//                    [--random-adversaries N]  (up to N more, drawn from the seed)
//                    [--light-nodes N]  (light participants on top of the --nodes full ones)
//                    [--gossip push|announce|compact]  (how blocks and transactions spread)
//                    [--block-tx-max N]  (transactions a block holds; 0: the chain's default)
//                    [--fees SECTION]  (the fee auction: a scenario file's `fees:` section)
//
// SECTION is YAML, read by the scenario reader as a scenario file's `fees:` section beside this
// command line's nodes, producers and block size, so the keys, defaults and checks are the
// file's (model/run/scenario-config.h), and planned as a scenario's is (PlanFees, with --tx-rate
// as the arrival rate): e.g. --fees '{mechanism: uniform, producers: fake-bids, bidders:
// {strategy: learner}}'. With it the summary ends with the fee figures of the irreversible
// blocks.
//
// KIND is equivocator, withholder (FROM_S..TO_S: the withholding window), invalid-blocks,
// censor (it censors workload account 0) or over-claimer (it claims 3x what it measured).
//
// The command line is parsed by CLI11 (`canonsim-harness --help` lists every option with its
// default; `--version` prints the code and trace schema versions). Exit codes: 0 safe; 1 a safety
// violation; 2 a bad command line (one line starting "canonsim-harness:").
#include "model/run/scenario-config.h"
#include "model/sim/harness.h"
#include "model/trace/trace-records.h"
#include "scenarios/process-memory.h"
#include "scenarios/scenario-config.h"

#include "canonsim-version.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace
{

bool
ParseNumber(const char* text, double& out)
{
    char* end = nullptr;
    out = std::strtod(text, &end);
    return end && *end == '\0' && end != text;
}

int
Usage(const std::string& why)
{
    std::fprintf(stderr, "canonsim-harness: %s\nRun with --help for more information.\n",
                 why.c_str());
    return 2;
}

// "withholder:3:10:40" -> a spec; nullopt when malformed.
std::optional<canon::AdversarySpec>
ParseAdversary(const std::string& text)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t colon; (colon = text.find(':', start)) != std::string::npos; start = colon + 1)
    {
        parts.push_back(text.substr(start, colon - start));
    }
    parts.push_back(text.substr(start));
    auto kind = canon::ParseAdversaryKind(parts[0]);
    double producer = 0, from = 0, to = 0;
    if (!kind || (parts.size() != 2 && parts.size() != 4) ||
        !ParseNumber(parts[1].c_str(), producer) || producer < 0 ||
        (parts.size() == 4 && (!ParseNumber(parts[2].c_str(), from) ||
                               !ParseNumber(parts[3].c_str(), to) || to <= from || from < 0)))
    {
        return std::nullopt;
    }
    canon::AdversarySpec spec;
    spec.kind = *kind;
    spec.producer = static_cast<uint32_t>(producer);
    spec.from = static_cast<canon::TimeNs>(from * 1e9);
    spec.until = static_cast<canon::TimeNs>(to * 1e9);
    spec.censoredAccounts = {0};
    return spec;
}

// What the command line gives besides the HarnessConfig fields it fills in directly.
struct HarnessArgs
{
    double duration = 600;
    double faultsUntil = 0;
    std::vector<std::string> adversaries;
    std::string gossip = "push";
    std::string protocol = "pop";
    std::string fees; // a `fees:` section, YAML; "" for none
};

void
AddOptions(CLI::App& app, canon::HarnessConfig& c, HarnessArgs& a)
{
    app.add_option("--seed", c.seed, "The run's seed (faults, adversaries, graph, workload)")
        ->capture_default_str();
    app.add_option("--nodes", c.nodeCount, "Full nodes")->capture_default_str();
    app.add_option("--producers", c.producerCount, "Producers N (at most --nodes)")
        ->capture_default_str();
    app.add_option("--duration", a.duration, "Simulated seconds")
        ->check(CLI::NonNegativeNumber.description(""))
        ->capture_default_str();
    app.add_option("--tx-rate", c.txPerSecond, "Transactions per second over the whole network")
        ->check(CLI::NonNegativeNumber.description(""))
        ->capture_default_str();
    app.add_option("--accounts", c.accounts, "Workload accounts")->capture_default_str();
    app.add_option("--faults-until", a.faultsUntil,
                   "Draw faults (loss, duplication, delay, partitions, crashes, link failures, "
                   "bursts) from the seed until this many seconds; 0: none")
        ->check(CLI::NonNegativeNumber.description(""))
        ->capture_default_str();
    app.add_option("--czr-epoch-slots", c.czrEpochSlots,
                   "CZR epoch length in slots: the CZR engine and elections in the loop; 0: off")
        ->capture_default_str();
    app.add_option("--adversary", a.adversaries,
                   "A byzantine producer, KIND:PRODUCER[:FROM_S:TO_S] (repeatable); KIND is "
                   "equivocator, withholder, invalid-blocks, censor, over-claimer or selfish-miner "
                   "(PoW). Default: "
                   "none")
        ->allow_extra_args(false)
        ->type_name("KIND:PRODUCER[:FROM_S:TO_S]");
    app.add_option("--random-adversaries", c.randomAdversariesMax,
                   "Up to this many more adversaries, drawn from the seed")
        ->capture_default_str();
    app.add_option("--random-attackers", c.randomAttackersMax,
                   "Up to this many network attackers (tx-spam, flood) on nodes without a "
                   "producer key, drawn from the seed")
        ->capture_default_str();
    app.add_option("--light-nodes", c.lightNodes,
                   "Light participants on top of the --nodes full ones")
        ->capture_default_str();
    app.add_option("--gossip", a.gossip, "How blocks and transactions spread")
        ->check(CLI::IsMember({"push", "announce", "compact"}).description(""))
        ->capture_default_str()
        ->type_name("push|announce|compact");
    app.add_option("--block-tx-max", c.blockTxMax,
                   "Transactions a block holds (0: the chain's default)")
        ->capture_default_str();
    app.add_option("--fees", a.fees,
                   "The fee auction, as a scenario file's fees: section in YAML, e.g. "
                   "'{mechanism: uniform, producers: fake-bids}' (scenarios/default.yaml lists "
                   "the keys). Default: none (each transaction pays its bid)")
        ->type_name("SECTION");
    app.add_option("--protocol", a.protocol,
                   "Consensus protocol, at the harness's timings (model/sim/harness.h UseProtocol)")
        ->check(CLI::IsMember({"pop", "pow", "pos", "dpos", "poi"}).description(""))
        ->capture_default_str()
        ->type_name("pop|pow|pos|dpos|poi");
}

// Reads --fees as the `fees:` section of a scenario with this command line's sizes, so that the
// scenario reader's keys, defaults and checks apply; "" when it is good.
std::string
ReadFees(canon::HarnessConfig& config, const std::string& section)
{
    std::string text = "fees: " + section + "\n";
    text += "topology: {kind: random, nodes: " + std::to_string(config.nodeCount) + "}\n";
    text += "consensus: {producers: " + std::to_string(config.producerCount) +
            (config.blockTxMax > 0 ? ", block_tx_max: " + std::to_string(config.blockTxMax) : "") +
            ", slot_s: " + std::to_string(canon::ToSeconds(config.slotDuration)) + "}\n";
    text += "workload: {accounts: " + std::to_string(std::max(2u, config.accounts)) + "}\n";
    auto scenario = canon::ParseScenario(text, "--fees");
    if (!scenario.IsOk())
    {
        return scenario.GetStatus().Message();
    }
    config.fees = scenario.Value().fees;
    return "";
}

// The checks across options; "" when the config is runnable.
std::string
CheckConfig(canon::HarnessConfig& config, const HarnessArgs& a)
{
    for (const std::string& text : a.adversaries)
    {
        auto spec = ParseAdversary(text);
        if (!spec)
        {
            return "bad adversary '" + text +
                   "' (KIND:PRODUCER or withholder:PRODUCER:FROM_S:TO_S)";
        }
        if (canon::IsNetworkAttack(spec->kind))
        {
            return "--adversary takes byzantine producers; network attackers come from "
                   "--random-attackers";
        }
        config.adversaries.push_back(*spec);
    }
    config.limits.gossip = *canon::ParseName<canon::GossipMode>(a.gossip);
    canon::Protocol protocol = canon::Protocol::kPop;
    canon::ParseProtocol(a.protocol, protocol);
    canon::UseProtocol(protocol, config);
    if (config.producerCount == 0 || config.producerCount > config.nodeCount)
    {
        return "--producers must be between 1 and --nodes";
    }
    for (const auto& adversary : config.adversaries)
    {
        if (adversary.producer >= config.producerCount)
        {
            return "--adversary names a producer at or above --producers";
        }
    }
    if (config.randomAdversariesMax + config.adversaries.size() > config.producerCount)
    {
        return "more adversaries than producers";
    }
    config.randomFaultsUntil = static_cast<canon::TimeNs>(a.faultsUntil * 1e9);
    return a.fees.empty() ? "" : ReadFees(config, a.fees);
}

// The fee auction's figures over the irreversible blocks (model/run/fee-recorder.h); `bids`: the
// transfers the wallets submitted (each a bid), `capacity`: transactions a block holds.
void
PrintFees(const canon::FeeTotals& t, canon::FeeMechanism mechanism, uint64_t bids,
          uint32_t capacity)
{
    const double blocks = std::max<double>(1, static_cast<double>(t.blocks));
    const double included = std::max<double>(1, static_cast<double>(t.included));
    std::printf("fee mechanism             %s\n", canon::FeeMechanismName(mechanism));
    std::printf("fee blocks                %llu irreversible\n",
                static_cast<unsigned long long>(t.blocks));
    std::printf("fee fullness              %.3f\n",
                static_cast<double>(t.included + t.fakes) / blocks / std::max(1u, capacity));
    std::printf("fee bids                  %llu\n", static_cast<unsigned long long>(bids));
    std::printf("fee revenue/block         %.1f\n", static_cast<double>(t.revenue) / blocks);
    std::printf("fee burned/block          %.1f\n", static_cast<double>(t.burned) / blocks);
    std::printf("fee bids included         %llu\n", static_cast<unsigned long long>(t.included));
    std::printf("fee welfare/block         %.1f\n", t.welfare / blocks);
    std::printf("fee utility/included bid  %.1f\n", t.utility / included);
    std::printf("fee fake bids             %llu\n", static_cast<unsigned long long>(t.fakes));
}

} // namespace

int
main(int argc, char** argv)
{
    canon::HarnessConfig config;
    config.nodeCount = 50;
    config.producerCount = 21;
    config.txPerSecond = 50;
    HarnessArgs args;
    CLI::App app{"canonsim-harness: the property-test driver. Runs the deterministic harness "
                 "(the abstract engine on a random graph, faults and adversaries drawn from the "
                 "seed, safety checkers after every step) and prints the summary.",
                 "canonsim-harness"};
    app.set_version_flag("--version",
                         std::string("canonsim-harness ") + CANONSIM_CODE_VERSION +
                             " (no ns-3: the abstract engine; trace schema " +
                             std::to_string(canon::kTraceSchemaVersion) + ")",
                         "Print the code and trace schema versions and exit");
    app.footer("Exit codes: 0 safe; 1 a safety violation; 2 a bad command line.");
    AddOptions(app, config, args);
    try
    {
        app.parse(argc, argv);
    }
    catch (const CLI::ParseError& e)
    {
        return e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success) ? app.exit(e)
                                                                              : Usage(e.what());
    }
    const std::string bad = CheckConfig(config, args);
    if (!bad.empty())
    {
        return Usage(bad);
    }

    auto wallStart = std::chrono::steady_clock::now();
    canon::Harness harness(config);
    harness.RunUntil(static_cast<canon::TimeNs>(args.duration * 1e9));
    canon::HarnessReport report = harness.Report();
    double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();

    std::printf("CanonSim in-process harness: N=%u producers, T=%.1f s\n", config.producerCount,
                canon::ToSeconds(config.slotDuration));
    std::printf("%s", canon::FormatSummary(report).c_str());
    if (const canon::FeeTotals* fees = harness.Fees())
    {
        PrintFees(*fees, config.fees.mechanism,
                  report.txSubmittedByKind[canon::TxKindIndex(canon::TxType::kTransfer)],
                  harness.Params().blockTxMax);
    }
    std::printf("wall time                 %.2f s\n", wall);
    const double mib = static_cast<double>(canon::PeakResidentBytes()) / (1024.0 * 1024.0);
    std::printf("memory                    peak RSS %.0f MiB (%.0f KiB per node)\n", mib,
                report.nodes ? mib * 1024.0 / report.nodes : 0.0);
    return report.Safe() ? 0 : 1;
}
