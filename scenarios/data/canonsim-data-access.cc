// canonsim-data-access: one run of the access-rule scenario (access-run.h), printed as one CSV
// row (with --header, the header first). scenarios/data/run-access.py sweeps it and writes the
// table in README.md.
//   canonsim-data-access [--header] [--seed N] [--rule best|irreversible] [--rotate]
//                        [--nodes N] [--duration S] [--faults-until S]
// (Per-request records are the data_requests dataset of a `canonsim run` with a `data:`
// section: model/run/data-feature.h, analysis/data.py.)
#include "scenarios/data/access-run.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace
{

using namespace canon;

[[noreturn]] void
Usage(const std::string& why)
{
    std::fprintf(stderr,
                 "canonsim-data-access: %s\nusage: canonsim-data-access [--header] [--seed N] "
                 "[--rule best|irreversible] [--rotate] [--nodes N] [--duration S] "
                 "[--faults-until S]\n",
                 why.c_str());
    std::exit(2);
}

uint64_t
Number(const char* flag, const char* text)
{
    char* end = nullptr;
    const unsigned long long v = std::strtoull(text, &end, 10);
    if (!text[0] || *end || text[0] == '-')
    {
        Usage(std::string(flag) + " needs a non-negative integer, got '" + text + "'");
    }
    return v;
}

double
Quantile(std::vector<double> v, double q)
{
    if (v.empty())
    {
        return 0;
    }
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
}

const char kHeader[] =
    "seed,rule,rotate,faults_until_s,requests,served,refused_no_grant,refused_not_registered,"
    "refused_revoked,refused_other,lost,"
    "latency_p50_ms,latency_p90_ms,grant_to_served_s,served_after_revoke_sent,"
    "served_after_revoke_visible,readable_after_revoke_visible,revoke_to_last_served_s,"
    "granted_unreadable,refused_while_grant_visible,reorgs,violations";

void
PrintRow(const AccessRunSpec& s, const AccessRunResult& r)
{
    const auto refused = [&](DataRefusal x) { return r.refused[static_cast<std::size_t>(x)]; };
    uint64_t other = 0;
    for (uint64_t n : r.refused)
    {
        other += n;
    }
    other -= refused(DataRefusal::kNoGrant) + refused(DataRefusal::kNotRegistered) +
             refused(DataRefusal::kRevoked);
    std::printf(
        "%llu,%s,%d,%.0f,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%.1f,%.1f,%.3f,%llu,%llu,%llu,%.3f,%"
        "llu,%llu,"
        "%llu,%zu\n",
        static_cast<unsigned long long>(s.seed), GrantRuleName(s.rule), s.rotate ? 1 : 0,
        ToSeconds(s.randomFaultsUntil), static_cast<unsigned long long>(r.requests),
        static_cast<unsigned long long>(r.served),
        static_cast<unsigned long long>(refused(DataRefusal::kNoGrant)),
        static_cast<unsigned long long>(refused(DataRefusal::kNotRegistered)),
        static_cast<unsigned long long>(refused(DataRefusal::kRevoked)),
        static_cast<unsigned long long>(other), static_cast<unsigned long long>(r.lost),
        1e3 * Quantile(r.latencies, 0.5), 1e3 * Quantile(r.latencies, 0.9), r.grantToServedMean,
        static_cast<unsigned long long>(r.servedAfterRevokeSent),
        static_cast<unsigned long long>(r.servedAfterRevokeVisible),
        static_cast<unsigned long long>(r.readableAfterRevokeVisible), r.revokeToLastServedMean,
        static_cast<unsigned long long>(r.grantedUnreadable),
        static_cast<unsigned long long>(r.refusedWhileGrantVisible),
        static_cast<unsigned long long>(r.reorgs), r.violations.size());
}

} // namespace

int
main(int argc, char** argv)
{
    AccessRunSpec spec;
    for (int i = 1; i < argc; ++i)
    {
        const std::string a = argv[i];
        const bool hasValue = i + 1 < argc;
        if (a == "--header")
        {
            std::printf("%s\n", kHeader);
        }
        else if (a == "--rotate")
        {
            spec.rotate = true;
        }
        else if (a == "--rule" && hasValue)
        {
            const std::string r = argv[++i];
            if (r != "best" && r != "irreversible")
            {
                Usage("--rule is best or irreversible, got '" + r + "'");
            }
            spec.rule = r == "best" ? GrantRule::kBestChain : GrantRule::kIrreversible;
        }
        else if (a == "--seed" && hasValue)
        {
            spec.seed = Number("--seed", argv[++i]);
        }
        else if (a == "--nodes" && hasValue)
        {
            spec.nodes =
                static_cast<uint32_t>(std::clamp<uint64_t>(Number("--nodes", argv[++i]), 8, 1000));
        }
        else if (a == "--duration" && hasValue)
        {
            spec.duration = static_cast<TimeNs>(
                                std::clamp<uint64_t>(Number("--duration", argv[++i]), 35, 3600)) *
                            kSecond;
        }
        else if (a == "--faults-until" && hasValue)
        {
            spec.randomFaultsUntil =
                static_cast<TimeNs>(std::min<uint64_t>(Number("--faults-until", argv[++i]), 3600)) *
                kSecond;
        }
        else
        {
            Usage("unknown or incomplete argument '" + a + "'");
        }
    }
    const AccessRunResult r = RunAccessScenario(spec);
    for (const std::string& v : r.violations)
    {
        std::fprintf(stderr, "safety violation: %s\n", v.c_str());
    }
    PrintRow(spec, r);
    return r.violations.empty() ? 0 : 1;
}
