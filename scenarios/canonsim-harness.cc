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
//
// KIND is equivocator, withholder (FROM_S..TO_S: the withholding window), invalid-blocks,
// censor (it censors workload account 0) or over-claimer (it claims 3x what it measured).
#include "model/run/scenario-config.h"
#include "model/sim/harness.h"

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
Usage(const char* why)
{
    std::fprintf(stderr,
                 "canonsim-harness: %s\nusage: canonsim-harness [--seed N] [--nodes N] "
                 "[--producers N] [--duration S] [--tx-rate R] [--accounts N] [--faults-until S] "
                 "[--czr-epoch-slots N] [--adversary KIND:PRODUCER[:FROM_S:TO_S]] "
                 "[--random-adversaries N] [--light-nodes N] [--gossip push|announce|compact]\n",
                 why);
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

} // namespace

int
main(int argc, char** argv)
{
    canon::HarnessConfig config;
    config.nodeCount = 50;
    config.producerCount = 21;
    config.txPerSecond = 50;
    double duration = 600;
    double faultsUntil = 0;
    for (int i = 1; i < argc; ++i)
    {
        std::string flag = argv[i];
        if (i + 1 >= argc)
        {
            return Usage(("missing value for " + flag).c_str());
        }
        const char* value = argv[++i];
        double v = 0;
        if (flag == "--adversary")
        {
            auto spec = ParseAdversary(value);
            if (!spec)
            {
                return Usage(("bad adversary '" + std::string(value) +
                              "' (KIND:PRODUCER or withholder:PRODUCER:FROM_S:TO_S)")
                                 .c_str());
            }
            config.adversaries.push_back(*spec);
            continue;
        }
        if (flag == "--gossip")
        {
            auto mode = canon::ParseName<canon::GossipMode>(value);
            if (!mode)
            {
                return Usage(
                    ("bad gossip mode '" + std::string(value) + "' (push, announce or compact)")
                        .c_str());
            }
            config.limits.gossip = *mode;
            continue;
        }
        if (!ParseNumber(value, v) || v < 0)
        {
            return Usage(("bad value '" + std::string(value) + "' for " + flag).c_str());
        }
        if (flag == "--seed")
            config.seed = static_cast<uint64_t>(v);
        else if (flag == "--nodes")
            config.nodeCount = static_cast<uint32_t>(v);
        else if (flag == "--producers")
            config.producerCount = static_cast<uint32_t>(v);
        else if (flag == "--duration")
            duration = v;
        else if (flag == "--tx-rate")
            config.txPerSecond = v;
        else if (flag == "--accounts")
            config.accounts = static_cast<uint32_t>(v);
        else if (flag == "--faults-until")
            faultsUntil = v;
        else if (flag == "--czr-epoch-slots")
            config.czrEpochSlots = static_cast<uint32_t>(v);
        else if (flag == "--random-adversaries")
            config.randomAdversariesMax = static_cast<uint32_t>(v);
        else if (flag == "--light-nodes")
            config.lightNodes = static_cast<uint32_t>(v);
        else
            return Usage(("unknown option " + flag).c_str());
    }
    if (config.producerCount == 0 || config.producerCount > config.nodeCount)
    {
        return Usage("--producers must be between 1 and --nodes");
    }
    for (const auto& a : config.adversaries)
    {
        if (a.producer >= config.producerCount)
        {
            return Usage("--adversary names a producer at or above --producers");
        }
    }
    if (config.randomAdversariesMax + config.adversaries.size() > config.producerCount)
    {
        return Usage("more adversaries than producers");
    }
    config.randomFaultsUntil = static_cast<canon::TimeNs>(faultsUntil * 1e9);

    auto wallStart = std::chrono::steady_clock::now();
    canon::Harness harness(config);
    harness.RunUntil(static_cast<canon::TimeNs>(duration * 1e9));
    canon::HarnessReport report = harness.Report();
    double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();

    std::printf("CanonSim in-process harness: N=%u producers, T=%.1f s\n", config.producerCount,
                canon::ToSeconds(config.slotDuration));
    std::printf("%s", canon::FormatSummary(report).c_str());
    std::printf("wall time                 %.2f s\n", wall);
    return report.Safe() ? 0 : 1;
}
