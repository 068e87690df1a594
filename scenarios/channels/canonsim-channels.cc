// canonsim-channels: runs the vehicular payment-channel scenario (issue 18,
// model/channels/vehicular-channel-run.h) and prints its summary; optionally writes the trace
// (the channel_events dataset; the chain datasets stay empty, as this run has no PoP chain) and
// the summary as JSON.
//
//   canonsim-channels run FILE [--seed N] [--duration S] [--watchtower on|off]
//                              [--offline-share X] [--cheater-share X] [--vehicles N]
//                              [--out TRACE.h5] [--summary-json PATH] [--quiet]
#include "canonsim-version.h"
#include "model/chain/chain-params.h"
#include "model/trace/trace-writer.h"
#include "scenarios/channels/channel-scenario.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace
{

using namespace canon;

struct Options
{
    std::string file;
    std::string out;
    std::string summaryJson;
    bool quiet = false;
};

int
Usage(const std::string& error)
{
    std::fprintf(stderr,
                 "%s%susage: canonsim-channels run FILE [--seed N] [--duration S] "
                 "[--watchtower on|off]\n"
                 "         [--offline-share X] [--cheater-share X] [--vehicles N] "
                 "[--out TRACE.h5] [--summary-json PATH] [--quiet]\n",
                 error.c_str(), error.empty() ? "" : "\n");
    return 2;
}

// Applies one "--key value" override; an error names the option.
std::string
Override(const std::string& key, const std::string& value, VehicularChannelConfig& c, Options& o)
{
    char* end = nullptr;
    const double number = std::strtod(value.c_str(), &end);
    const bool numeric = end != value.c_str() && *end == '\0' && number >= 0;
    if (key == "--out" || key == "--summary-json")
    {
        (key == "--out" ? o.out : o.summaryJson) = value;
        return {};
    }
    if (key == "--watchtower")
    {
        if (value != "on" && value != "off")
        {
            return "--watchtower: expected on or off, got '" + value + "'";
        }
        c.watchtower = value == "on";
        return {};
    }
    if (!numeric)
    {
        return key + ": expected a non-negative number, got '" + value + "'";
    }
    if (key == "--seed")
        c.seed = static_cast<uint64_t>(number);
    else if (key == "--duration")
        c.duration = FromSeconds(number);
    else if (key == "--offline-share" && number <= 1)
        c.offlineShare = number;
    else if (key == "--cheater-share" && number <= 1)
        c.cheaterShare = number;
    else if (key == "--vehicles" && number >= 2 && number <= 2000)
        c.vehicles = static_cast<uint32_t>(number);
    else
        return key + ": unknown option or value out of range ('" + value + "')";
    return {};
}

double
Percentile(std::vector<double> v, double q)
{
    if (v.empty())
    {
        return 0;
    }
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
}

void
PrintSummary(const VehicularChannelSummary& s, const VehicularChannelConfig& c)
{
    const double d = s.durationSeconds;
    std::printf("vehicles %u, %.0f s, watchtower %s, cheater share %.2f, offline share %.2f\n",
                c.vehicles, d, c.watchtower ? "on" : "off", c.cheaterShare, c.offlineShare);
    std::printf("off-chain payments settled %llu (%.1f/s), failed %llu, abandoned %llu, no route "
                "%llu; direct %llu, multi-hop %llu\n",
                static_cast<unsigned long long>(s.paymentsSettled),
                static_cast<double>(s.paymentsSettled) / d,
                static_cast<unsigned long long>(s.paymentsFailed),
                static_cast<unsigned long long>(s.paymentsAbandoned),
                static_cast<unsigned long long>(s.noRoute),
                static_cast<unsigned long long>(s.paymentsDirect),
                static_cast<unsigned long long>(s.paymentsMultiHop));
    std::printf("off-chain updates %llu, messages %llu; on-chain transactions %llu (%.2f/s), "
                "refused %llu\n",
                static_cast<unsigned long long>(s.offChainUpdates),
                static_cast<unsigned long long>(s.offChainMessages),
                static_cast<unsigned long long>(s.onChainTxs),
                static_cast<double>(s.onChainTxs) / d,
                static_cast<unsigned long long>(s.onChainRefused));
    std::printf("channels opened %llu, closed %llu, open or closing at end %llu; lifetime p50 "
                "%.1f s, max %.1f s\n",
                static_cast<unsigned long long>(s.channelsOpened),
                static_cast<unsigned long long>(s.channelsClosed),
                static_cast<unsigned long long>(s.channelsOpenAtEnd),
                Percentile(s.lifetimesSeconds, 0.5), Percentile(s.lifetimesSeconds, 1.0));
    for (const CheatAttempt& a : s.cheats)
    {
        std::printf("cheat at %.1f s: vehicle %u vs %u, stale seq %llu of %llu, +%llu if "
                    "unchallenged, victim %s: %s (challenger %s)\n",
                    a.time, a.cheater, a.victim, static_cast<unsigned long long>(a.staleSeq),
                    static_cast<unsigned long long>(a.latestSeq),
                    static_cast<unsigned long long>(a.gainIfUnchallenged),
                    a.victimOnline ? "online" : "offline", a.outcome.c_str(), a.challenger.c_str());
    }
    std::printf("supply conserved: %s; wall %.2f s\n", s.supplyAtEnd == kTotalSupply ? "yes" : "NO",
                s.wallSeconds);
}

Status
WriteTrace(const std::string& path, const ChannelScenario& sc, const VehicularChannelResult& r)
{
    TraceMetadata meta;
    meta.seed = sc.config.seed;
    meta.scenario = sc.sourceText;
    meta.scenarioPath = sc.sourcePath;
    meta.codeVersion = CANONSIM_CODE_VERSION;
    meta.ns3Version = "none";
    meta.durationSeconds = ToSeconds(sc.config.duration);
    meta.nodes = sc.config.vehicles + 1;
    meta.slotSeconds = ToSeconds(sc.config.slot);
    meta.engine = "abstract";
    auto writer = TraceWriter::Create(path, meta, 1024);
    if (!writer.IsOk())
    {
        return writer.GetStatus();
    }
    for (const ChannelEvent& e : r.events)
    {
        writer.Value()->Add(ChannelEventRecord{
            e.time, e.channel, e.partyA, e.partyB, static_cast<uint8_t>(e.kind),
            static_cast<uint8_t>(e.stale ? 1 : 0), e.updates, e.amountA, e.amountB, e.actor});
    }
    return writer.Value()->Finish();
}

void
WriteJson(const std::string& path, const VehicularChannelSummary& s)
{
    std::ofstream o(path);
    o << "{\"duration_s\": " << s.durationSeconds << ", \"payments_settled\": " << s.paymentsSettled
      << ", \"payments_failed\": " << s.paymentsFailed
      << ", \"payments_abandoned\": " << s.paymentsAbandoned << ", \"no_route\": " << s.noRoute
      << ", \"payments_direct\": " << s.paymentsDirect
      << ", \"payments_multi_hop\": " << s.paymentsMultiHop
      << ", \"off_chain_updates\": " << s.offChainUpdates
      << ", \"off_chain_messages\": " << s.offChainMessages
      << ", \"on_chain_txs\": " << s.onChainTxs << ", \"on_chain_refused\": " << s.onChainRefused
      << ", \"channels_opened\": " << s.channelsOpened
      << ", \"channels_closed\": " << s.channelsClosed
      << ", \"channels_open_at_end\": " << s.channelsOpenAtEnd
      << ", \"lifetime_p50_s\": " << Percentile(s.lifetimesSeconds, 0.5)
      << ", \"lifetime_max_s\": " << Percentile(s.lifetimesSeconds, 1.0)
      << ", \"supply_conserved\": " << (s.supplyAtEnd == kTotalSupply ? "true" : "false")
      << ", \"wall_s\": " << s.wallSeconds << ", \"cheats\": [";
    for (std::size_t i = 0; i < s.cheats.size(); ++i)
    {
        const CheatAttempt& a = s.cheats[i];
        o << (i ? ", " : "") << "{\"time\": " << a.time << ", \"cheater\": " << a.cheater
          << ", \"victim\": " << a.victim << ", \"stale_seq\": " << a.staleSeq
          << ", \"latest_seq\": " << a.latestSeq << ", \"gain\": " << a.gainIfUnchallenged
          << ", \"victim_online\": " << (a.victimOnline ? "true" : "false")
          << ", \"watchtower\": " << (a.watchtower ? "true" : "false") << ", \"outcome\": \""
          << a.outcome << "\", \"challenger\": \"" << a.challenger << "\"}";
    }
    o << "]}\n";
}

} // namespace

int
main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() < 2 || args[0] != "run")
    {
        return Usage(args.empty() || args[0] == "--help" ? "" : "expected: run FILE");
    }
    auto sc = LoadChannelScenario(args[1]);
    if (!sc.IsOk())
    {
        std::fprintf(stderr, "canonsim-channels: %s\n", sc.GetStatus().Message().c_str());
        return 1;
    }
    Options o;
    VehicularChannelConfig& c = sc.Value().config;
    for (std::size_t i = 2; i < args.size(); ++i)
    {
        if (args[i] == "--quiet")
        {
            o.quiet = true;
            continue;
        }
        const std::string error = i + 1 < args.size() ? Override(args[i], args[i + 1], c, o)
                                                      : args[i] + ": needs a value";
        if (!error.empty())
        {
            return Usage("canonsim-channels: " + error);
        }
        ++i;
    }
    const VehicularChannelResult r = RunVehicularChannels(c);
    if (!o.quiet)
    {
        PrintSummary(r.summary, c);
    }
    if (!o.summaryJson.empty())
    {
        WriteJson(o.summaryJson, r.summary);
    }
    if (!o.out.empty())
    {
        Status s = WriteTrace(o.out, sc.Value(), r);
        if (!s.IsOk())
        {
            std::fprintf(stderr, "canonsim-channels: %s\n", s.Message().c_str());
            return 1;
        }
    }
    return r.summary.supplyAtEnd == kTotalSupply ? 0 : 3;
}
