// canonsim-harness: runs the deterministic in-process harness (model/sim) and prints a summary.
// Until the ns-3 runner lands this is the main job of the README.
//
//   canonsim-harness [--seed N] [--nodes N] [--producers N] [--duration SECONDS]
//                    [--tx-rate PER_SECOND] [--faults-until SECONDS] [--csv PATH]
//                    [--czr-epoch-slots N]   (CZR engine and elections in the loop; 0: off)
//
// --csv writes one row per finality and propagation sample for plotting.
#include "model/sim/harness.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

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
                 "[--producers N] [--duration S] [--tx-rate R] [--faults-until S] [--csv PATH] "
                 "[--czr-epoch-slots N]\n",
                 why);
    return 2;
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
    std::string csv;
    for (int i = 1; i < argc; ++i)
    {
        std::string flag = argv[i];
        if (i + 1 >= argc)
        {
            return Usage(("missing value for " + flag).c_str());
        }
        const char* value = argv[++i];
        double v = 0;
        if (flag == "--csv")
        {
            csv = value;
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
        else if (flag == "--faults-until")
            faultsUntil = v;
        else if (flag == "--czr-epoch-slots")
            config.czrEpochSlots = static_cast<uint32_t>(v);
        else
            return Usage(("unknown option " + flag).c_str());
    }
    if (config.producerCount == 0 || config.producerCount > config.nodeCount)
    {
        return Usage("--producers must be between 1 and --nodes");
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
    if (!csv.empty())
    {
        std::ofstream out(csv);
        out << "metric,seconds\n";
        for (double s : report.finalityLatencySeconds)
            out << "finality," << s << "\n";
        for (double s : report.propagationSeconds)
            out << "propagation," << s << "\n";
        if (!out)
        {
            std::fprintf(stderr, "canonsim-harness: could not write %s\n", csv.c_str());
            return 1;
        }
    }
    return report.Safe() ? 0 : 1;
}
