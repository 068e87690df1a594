#include "model/run/run-summary.h"

#include "model/consensus/consensus-engine.h"

#include "model/consensus/finality.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace canon
{

std::size_t
TxKindIndex(TxType type)
{
    const auto value = static_cast<std::size_t>(type);
    if (value >= 1 && value <= 5)
    {
        return value - 1; // the PoP core's own types, one kind each
    }
    // Each feature's range of ten types is one kind: contracts 20-29 ... governance 50-59.
    return value >= 20 && value < 60 ? 5 + (value - 20) / 10 : kTxKinds - 1;
}

const char*
TxKindName(std::size_t kind)
{
    static constexpr const char* kNames[kTxKinds] = {
        "transfer", "claim", "czr-report", "vote",       "evidence",
        "contract", "data",  "channel",    "governance", "other"};
    return kind < kTxKinds ? kNames[kind] : "unknown";
}

void
RunSummary::CountSubmitted(const Transaction& tx)
{
    ++txSubmitted;
    ++txSubmittedByKind[TxKindIndex(tx.type)];
}

void
RunSummary::Observe(TimeNs now, uint32_t self, const NodeEvent& ev, TimeNs slotStart)
{
    switch (ev.kind)
    {
        case NodeEventKind::kBlockProduced:
            ++blocksProduced;
            break;
        case NodeEventKind::kBlockAccepted:
            if (ev.peer != self)
            {
                propagationSeconds.push_back(ToSeconds(now - slotStart));
            }
            break;
        case NodeEventKind::kBlockIrreversible:
            finalityLatencySeconds.push_back(ToSeconds(now - slotStart));
            break;
        case NodeEventKind::kReorg:
            ++reorgs;
            break;
        case NodeEventKind::kFinalityViolation:
            ++finalityViolations;
            finalityViolationDepthMax = std::max<uint64_t>(finalityViolationDepthMax, ev.count);
            break;
        case NodeEventKind::kMessageDropped:
            if (ev.messageType == kConnectionEvent)
            {
                ++connectionEvents;
                ++connectionsByReason[ReasonCategory(ev.reason)];
                break;
            }
            ++messagesDropped;
            ++dropsByReason[ReasonCategory(ev.reason)];
            break;
        case NodeEventKind::kEquivocation:
            ++equivocations;
            break;
        case NodeEventKind::kTxVerifiedIncluded:
            ++lightTxVerified;
            lightInclusionSeconds.push_back(ToSeconds(ev.latency));
            break;
        default:
            break;
    }
}

void
RunSummary::FillFromChain(const ConsensusChain& chain)
{
    const BlockEntry* best = chain.Best();
    bestHeight = best->height;
    // Only a schedule makes an empty slot somebody's miss (PoP, DPoS).
    const bool scheduled = chain.Engine().ScheduledProducerIndex(*best, best->slot + 1).has_value();
    missedSlots = scheduled ? best->slot - best->height : 0;
    txIrreversible = 0;
    txIrreversibleByKind = {};
    for (const BlockEntry* e = chain.Lib(); e && e->height > 0; e = e->parent)
    {
        txIrreversible += e->block->txs.size();
        for (const Transaction& tx : e->block->txs)
        {
            ++txIrreversibleByKind[TxKindIndex(tx.type)];
        }
    }
    const PopState& pop = chain.BestState().Pop();
    elections = pop.elections;
    slashedKeys = pop.slashed.size();
}

int
ReferenceNode(const RunHost& host)
{
    int best = -1;
    uint64_t bestLib = 0, bestHeight = 0;
    for (uint32_t i = 0; i < host.NodeCount(); ++i)
    {
        const Node* n = host.FullNode(i);
        if (!n || host.AdversaryAt(i))
        {
            continue;
        }
        const uint64_t lib = n->Chain().Lib()->height;
        const uint64_t height = n->Chain().Best()->height;
        if (best < 0 || lib > bestLib || (lib == bestLib && height > bestHeight))
        {
            best = static_cast<int>(i);
            bestLib = lib;
            bestHeight = height;
        }
    }
    return best;
}

std::string
StallNote(TimeNs now, TimeNs lastFinalityAt, const ChainParams& params, uint32_t byzantineProducers)
{
    // Three cycles of N blocks at the protocol's mean block interval; under DPoS, whose LIB trails
    // the tip by about two rounds of N turns, three such rounds.
    const auto n = static_cast<uint32_t>(params.producers.size());
    auto interval = static_cast<TimeNs>(MakeConsensusEngine(params)->NominalIntervalSlots());
    if (params.consensus.protocol == Protocol::kDpos)
    {
        interval *= 2 * static_cast<TimeNs>(params.consensus.dpos.repetitions);
    }
    const TimeNs quiet = 3 * static_cast<TimeNs>(n) * interval * params.slotDuration;
    if (now - lastFinalityAt <= quiet)
    {
        return "";
    }
    const Protocol protocol = params.consensus.protocol;
    uint32_t needs = params.finalityThresholdOverride > 0 ? params.finalityThresholdOverride
                                                          : FinalityThreshold(n);
    needs = protocol == Protocol::kDpos ? 2 * n / 3 + 1 : needs;
    char buf[256];
    if (protocol != Protocol::kPop && protocol != Protocol::kDpos)
    {
        std::snprintf(buf, sizeof buf,
                      "finality stalled: nothing became irreversible after t=%.1f s (%s: the "
                      "chain stopped growing); %u of %u producers byzantine",
                      ToSeconds(lastFinalityAt), ProtocolName(protocol), byzantineProducers, n);
        return buf;
    }
    std::snprintf(buf, sizeof buf,
                  "finality stalled: nothing became irreversible after t=%.1f s; %u of %u "
                  "producers byzantine, finality needs %u distinct producers",
                  ToSeconds(lastFinalityAt), byzantineProducers, n, needs);
    return buf;
}

// "block 1a2b3c4d: invalid: slot 12 ..." -> "block #: invalid: slot # ...": reasons that differ
// only in the numbers and hashes they name fall into one category.
std::string
ReasonCategory(const std::string& reason)
{
    std::string out;
    bool inToken = false;
    for (std::size_t i = 0; i < reason.size(); ++i)
    {
        const char ch = reason[i];
        const bool hexish = std::isxdigit(static_cast<unsigned char>(ch)) != 0;
        const bool tokenStart =
            (i == 0 || !std::isalnum(static_cast<unsigned char>(reason[i - 1])));
        if (inToken && hexish)
        {
            continue;
        }
        inToken = false;
        if (tokenStart && hexish)
        {
            std::size_t j = i;
            bool digit = false;
            while (j < reason.size() && std::isxdigit(static_cast<unsigned char>(reason[j])))
            {
                digit = digit || std::isdigit(static_cast<unsigned char>(reason[j]));
                ++j;
            }
            const bool wordEnds =
                j == reason.size() || !std::isalpha(static_cast<unsigned char>(reason[j]));
            if (wordEnds && (digit || j - i == 8))
            {
                out += '#';
                inToken = true;
                continue;
            }
        }
        out += ch;
    }
    return out;
}

double
Percentile(std::vector<double> values, double p)
{
    if (values.empty())
    {
        return 0.0;
    }
    std::sort(values.begin(), values.end());
    auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
    rank = std::min(std::max<std::size_t>(rank, 1), values.size());
    return values[rank - 1];
}

namespace
{

// One row per kind that occurred (transfers always): submitted and irreversible side by side,
// so that neither total reads as a count of the other's kinds.
std::string
FormatTxKinds(const RunSummary& r)
{
    std::string out = "  by kind                 submitted  irreversible\n";
    const std::size_t evidence = TxKindIndex(TxType::kEvidence);
    for (std::size_t k = 0; k < kTxKinds; ++k)
    {
        if (k > 0 && r.txSubmittedByKind[k] == 0 && r.txIrreversibleByKind[k] == 0)
        {
            continue;
        }
        const std::string submitted = k == evidence ? "-" : std::to_string(r.txSubmittedByKind[k]);
        char line[128];
        std::snprintf(line, sizeof line, "    %-20s %11s %13llu\n", TxKindName(k),
                      submitted.c_str(),
                      static_cast<unsigned long long>(r.txIrreversibleByKind[k]));
        out += line;
    }
    return out;
}

} // namespace

std::string
FormatSummary(const RunSummary& r)
{
    auto mean = [](const std::vector<double>& v)
    {
        return v.empty() ? 0.0
                         : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    };
    const double seconds = ToSeconds(r.simulatedTime);
    char buf[2048];
    std::snprintf(
        buf, sizeof buf,
        "seed                      %llu\n"
        "simulated time            %.1f s, %u nodes\n"
        "blocks produced           %llu in %llu slots (missed on the best chain: %llu)\n"
        "best height               %llu, irreversible height %llu..%llu across live nodes\n"
        "finality latency          mean %.2f s, p50 %.2f s, p95 %.2f s\n"
        "block propagation         p50 %.3f s, p90 %.3f s\n"
        "transactions              %llu submitted, %llu irreversible, %.1f tx/s\n",
        static_cast<unsigned long long>(r.seed), seconds, r.nodes,
        static_cast<unsigned long long>(r.blocksProduced),
        static_cast<unsigned long long>(r.slotsElapsed),
        static_cast<unsigned long long>(r.missedSlots),
        static_cast<unsigned long long>(r.bestHeight),
        static_cast<unsigned long long>(r.libHeightMin),
        static_cast<unsigned long long>(r.libHeightMax), mean(r.finalityLatencySeconds),
        Percentile(r.finalityLatencySeconds, 50), Percentile(r.finalityLatencySeconds, 95),
        Percentile(r.propagationSeconds, 50), Percentile(r.propagationSeconds, 90),
        static_cast<unsigned long long>(r.txSubmitted),
        static_cast<unsigned long long>(r.txIrreversible),
        seconds > 0 ? static_cast<double>(r.txIrreversible) / seconds : 0.0);
    std::string out = buf + FormatTxKinds(r);
    std::snprintf(buf, sizeof buf,
                  "reorgs, drops, evidence   %llu, %llu, %llu\n"
                  "elections                 %llu\n"
                  "bytes sent per node       %.0f\n"
                  "safety                    %s\n",
                  static_cast<unsigned long long>(r.reorgs),
                  static_cast<unsigned long long>(r.messagesDropped),
                  static_cast<unsigned long long>(r.equivocations),
                  static_cast<unsigned long long>(r.elections),
                  r.nodes ? static_cast<double>(r.bytesSent) / r.nodes : 0.0,
                  r.Safe() ? "no violation" : "VIOLATED");
    out += buf;
    if (r.finalityViolations > 0)
    {
        std::snprintf(buf, sizeof buf,
                      "finality violations       %llu (depth rule; deepest %llu blocks)\n",
                      static_cast<unsigned long long>(r.finalityViolations),
                      static_cast<unsigned long long>(r.finalityViolationDepthMax));
        out += buf;
    }
    if (r.lightNodes > 0)
    {
        const uint32_t full = r.nodes - r.lightNodes;
        std::snprintf(buf, sizeof buf,
                      "light participants        %u nodes, %llu tx verified included "
                      "(latency mean %.2f s, p50 %.2f s, p95 %.2f s)\n"
                      "bytes sent per light node %.0f (per full node %.0f)\n",
                      r.lightNodes, static_cast<unsigned long long>(r.lightTxVerified),
                      mean(r.lightInclusionSeconds), Percentile(r.lightInclusionSeconds, 50),
                      Percentile(r.lightInclusionSeconds, 95),
                      static_cast<double>(r.bytesSentLight) / r.lightNodes,
                      full ? static_cast<double>(r.bytesSent - r.bytesSentLight) / full : 0.0);
        out += buf;
    }
    if (r.byzantineProducers > 0)
    {
        std::snprintf(buf, sizeof buf, "byzantine producers       %u (%s), keys slashed %llu\n",
                      r.byzantineProducers, r.byzantineKinds.c_str(),
                      static_cast<unsigned long long>(r.slashedKeys));
        out += buf;
    }
    if (r.censoredDelayMeanSeconds >= 0)
    {
        std::snprintf(buf, sizeof buf,
                      "inclusion delay           censored accounts %.2f s, others %.2f s\n",
                      r.censoredDelayMeanSeconds, r.otherDelayMeanSeconds);
        out += buf;
    }
    if (r.connectionEvents > 0)
    {
        const auto top =
            std::max_element(r.connectionsByReason.begin(), r.connectionsByReason.end(),
                             [](const auto& a, const auto& b) { return a.second < b.second; });
        std::snprintf(buf, sizeof buf, "connection events         %llu (most: %llux %s)\n",
                      static_cast<unsigned long long>(r.connectionEvents),
                      static_cast<unsigned long long>(top->second), top->first.c_str());
        out += buf;
    }
    if (!r.faultDrops.empty())
    {
        out += "frames dropped by faults ";
        for (const auto& [reason, count] : r.faultDrops)
        {
            out += " " + reason + " " + std::to_string(count) + ";";
        }
        out.back() = '\n';
    }
    if (!r.tcpGuards.empty())
    {
        out += "ns-3 TCP guards fired    ";
        for (const auto& [guard, count] : r.tcpGuards)
        {
            out += " " + guard + " " + std::to_string(count) + ";";
        }
        out.back() = '\n';
    }
    if (!r.stall.empty())
    {
        out += "liveness                  " + r.stall + "\n";
    }
    for (const auto& [feature, figures] : r.features)
    {
        out += feature + std::string(feature.size() < 26 ? 26 - feature.size() : 1, ' ');
        for (const auto& [name, value] : figures)
        {
            std::snprintf(buf, sizeof buf, "%s %.6g; ", name.c_str(), value);
            out += buf;
        }
        out.resize(out.size() - (figures.empty() ? 0 : 2));
        out += "\n";
    }
    std::vector<std::pair<uint64_t, std::string>> reasons;
    for (const auto& [reason, count] : r.dropsByReason)
    {
        reasons.emplace_back(count, reason);
    }
    std::sort(reasons.rbegin(), reasons.rend());
    for (std::size_t i = 0; i < reasons.size() && i < 3; ++i)
    {
        out += "  dropped " + std::to_string(reasons[i].first) + "x: " + reasons[i].second + "\n";
    }
    for (const auto& v : r.violations)
    {
        out += "  " + v + "\n";
    }
    return out;
}

} // namespace canon
