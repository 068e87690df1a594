#include "scenarios/run-summary-json.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <numeric>

namespace canon
{

namespace
{

std::string
Quote(const std::string& text)
{
    std::string out = "\"";
    for (char c : text)
    {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\')
        {
            out += '\\';
            out += c;
        }
        else if (byte < 0x20)
        {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(byte));
            out += escaped;
        }
        else
        {
            out += c;
        }
    }
    return out + "\"";
}

std::string
Number(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", value);
    return text;
}

class ObjectWriter
{
  public:
    void Add(const std::string& key, const std::string& json)
    {
        m_text += (m_text.empty() ? "{\n  " : ",\n  ") + Quote(key) + ": " + json;
    }
    void Add(const std::string& key, double value) { Add(key, Number(value)); }
    void Add(const std::string& key, uint64_t value) { Add(key, std::to_string(value)); }
    std::string Finish() const { return m_text + "\n}\n"; }

  private:
    std::string m_text;
};

// {"transfer": 3, "claim": 0, ...}: every kind, in TxKindName order.
std::string
ByKind(const std::array<uint64_t, kTxKinds>& counts)
{
    std::string out = "{";
    for (std::size_t k = 0; k < kTxKinds; ++k)
    {
        out += (k ? ", " : "") + Quote(TxKindName(k)) + ": " + std::to_string(counts[k]);
    }
    return out + "}";
}

// {"contracts": {"calls": 3, ...}, ...}: each run feature's figures (run-feature.h); a figure
// that is not a finite number is null.
std::string
Features(const std::map<std::string, std::map<std::string, double>>& features)
{
    std::string out = "{";
    for (const auto& [feature, figures] : features)
    {
        out += (out.size() > 1 ? ", " : "") + Quote(feature) + ": {";
        bool first = true;
        for (const auto& [name, value] : figures)
        {
            out += (first ? "" : ", ") + Quote(name) + ": " +
                   (std::isfinite(value) ? Number(value) : std::string("null"));
            first = false;
        }
        out += "}";
    }
    return out + "}";
}

} // namespace

std::string
RunSummaryJson(const RunResult& result)
{
    const RunSummary& s = result.summary;
    const double simulated = static_cast<double>(s.simulatedTime) / 1e9;
    const auto& fin = s.finalityLatencySeconds;
    const double finMean = fin.empty() ? 0.0
                                       : std::accumulate(fin.begin(), fin.end(), 0.0) /
                                             static_cast<double>(fin.size());
    std::string violations = "[";
    for (std::size_t i = 0; i < s.violations.size(); ++i)
    {
        violations += (i ? ", " : "") + Quote(s.violations[i]);
    }
    violations += "]";

    ObjectWriter w;
    w.Add("seed", s.seed);
    w.Add("simulated_s", simulated);
    w.Add("nodes", uint64_t{s.nodes});
    w.Add("safe", std::string(s.Safe() ? "true" : "false"));
    w.Add("violations", violations);
    w.Add("blocks_produced", s.blocksProduced);
    w.Add("slots_elapsed", s.slotsElapsed);
    w.Add("missed_slots", s.missedSlots);
    w.Add("best_height", s.bestHeight);
    w.Add("lib_height_min", s.libHeightMin);
    w.Add("lib_height_max", s.libHeightMax);
    w.Add("tx_submitted", s.txSubmitted);
    w.Add("tx_irreversible", s.txIrreversible);
    // Evidence is never submitted (nodes make it): its submitted count is always 0.
    w.Add("tx_submitted_by_kind", ByKind(s.txSubmittedByKind));
    w.Add("tx_irreversible_by_kind", ByKind(s.txIrreversibleByKind));
    w.Add("tx_per_s", simulated > 0 ? static_cast<double>(s.txIrreversible) / simulated : 0.0);
    w.Add("reorgs", s.reorgs);
    w.Add("finality_violations", s.finalityViolations);
    w.Add("finality_violation_depth_max", s.finalityViolationDepthMax);
    w.Add("messages_dropped", s.messagesDropped);
    w.Add("connection_events", s.connectionEvents);
    w.Add("equivocations", s.equivocations);
    w.Add("elections", s.elections);
    w.Add("bytes_sent", s.bytesSent);
    w.Add("bytes_per_node",
          s.nodes ? static_cast<double>(s.bytesSent) / static_cast<double>(s.nodes) : 0.0);
    const uint32_t full = s.nodes - s.lightNodes;
    w.Add("light_nodes", uint64_t{s.lightNodes});
    w.Add("light_tx_verified", s.lightTxVerified);
    w.Add("light_inclusion_p50_s", Percentile(s.lightInclusionSeconds, 50));
    w.Add("light_inclusion_p95_s", Percentile(s.lightInclusionSeconds, 95));
    w.Add("bytes_per_light_node",
          s.lightNodes ? static_cast<double>(s.bytesSentLight) / s.lightNodes : 0.0);
    w.Add("bytes_per_full_node",
          full ? static_cast<double>(s.bytesSent - s.bytesSentLight) / full : 0.0);
    w.Add("finality_samples", uint64_t{fin.size()});
    w.Add("finality_mean_s", finMean);
    w.Add("finality_p50_s", Percentile(fin, 50));
    w.Add("finality_p95_s", Percentile(fin, 95));
    w.Add("propagation_p50_s", Percentile(s.propagationSeconds, 50));
    w.Add("propagation_p90_s", Percentile(s.propagationSeconds, 90));
    w.Add("wall_s", result.wallSeconds);
    w.Add("events", result.events);
    w.Add("czr_engine_s", result.czrEngineSeconds);
    w.Add("peak_rss_bytes", result.peakResidentBytes);
    w.Add("rss_per_node_bytes",
          s.nodes ? static_cast<double>(result.peakResidentBytes) / static_cast<double>(s.nodes)
                  : 0.0);
    w.Add("features", Features(s.features));
    w.Add("trace", Quote(result.tracePath));
    return w.Finish();
}

Status
WriteRunSummaryJson(const RunResult& result, const std::string& path)
{
    const std::string text = RunSummaryJson(result);
    const std::string partial = path + ".partial";
    std::FILE* f = std::fopen(partial.c_str(), "wb");
    if (!f)
    {
        return Status::Invalid(path + ": cannot write the summary: " + std::strerror(errno));
    }
    const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    const bool closed = std::fclose(f) == 0;
    if (!written || !closed || std::rename(partial.c_str(), path.c_str()) != 0)
    {
        std::remove(partial.c_str());
        return Status::Invalid(path + ": cannot write the summary: " + std::strerror(errno));
    }
    return Status::Ok();
}

} // namespace canon
