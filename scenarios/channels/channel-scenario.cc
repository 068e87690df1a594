#include "scenarios/channels/channel-scenario.h"

#include "model/channels/channel-payloads.h"

#include "scenarios/yaml-reader.h"

#include <fstream>
#include <sstream>

namespace canon
{

namespace
{

std::vector<Field>
ChannelFields(YamlReader& r, VehicularChannelConfig& c)
{
    return {{"seed", r.Integer(c.seed)},
            {"vehicles", r.Integer(c.vehicles)},
            {"road_length_m", r.Number(c.roadLengthM)},
            {"speed_min_mps", r.Number(c.speedMinMps)},
            {"speed_max_mps", r.Number(c.speedMaxMps)},
            {"range_m", r.Number(c.rangeM)},
            {"beacon_interval_s", r.Time(c.beaconInterval, kSecond)},
            {"price_per_message", r.Integer(c.pricePerMessage)},
            {"vehicle_deposit", r.Integer(c.vehicleDeposit)},
            {"hub_deposit", r.Integer(c.hubDeposit)},
            {"direct_channels", r.Integer(c.directChannels)},
            {"hub_fee_base", r.Integer(c.hubFee.base)},
            {"hub_fee_ppm", r.Integer(c.hubFee.ppm)},
            {"slot_s", r.Time(c.slot, kSecond)},
            {"challenge_period_s", r.Time(c.challengePeriod, kSecond)},
            {"hop_delta_s", r.Time(c.hopDelta, kSecond)},
            {"radio_latency_ms", r.Time(c.radioLatency, kMillisecond)},
            {"backhaul_latency_ms", r.Time(c.backhaulLatency, kMillisecond)},
            {"duration_s", r.Time(c.duration, kSecond)},
            {"stay_min_s", r.Time(c.stayMin, kSecond)},
            {"stay_max_s", r.Time(c.stayMax, kSecond)},
            {"drain_s", r.Time(c.drain, kSecond)},
            {"cheater_share", r.Number(c.cheaterShare)},
            {"offline_share", r.Number(c.offlineShare)},
            {"watchtower", r.Bool(c.watchtower)}};
}

struct TopLevel
{
    VehicularChannelConfig config;
};

std::vector<Field>
TopFields(YamlReader& r, TopLevel& t)
{
    return {{"vehicular_channels", r.Section(t.config, &ChannelFields), kRequired}};
}

// The first key whose value is out of its range, with what is wrong; empty when all are good.
std::pair<std::string, std::string>
Violation(const VehicularChannelConfig& c)
{
    auto share = [](double v) { return v >= 0 && v <= 1; };
    const std::pair<bool, std::pair<std::string, std::string>> checks[] = {
        {c.vehicles < 2 || c.vehicles > 2000, {"vehicles", "must be 2..2000"}},
        {!(c.roadLengthM > 0), {"road_length_m", "must be positive"}},
        {!(c.speedMinMps >= 0) || c.speedMaxMps < c.speedMinMps,
         {"speed_max_mps", "must be at least speed_min_mps, which must be non-negative"}},
        {!(c.rangeM > 0), {"range_m", "must be positive"}},
        {c.beaconInterval <= 0, {"beacon_interval_s", "must be positive"}},
        {c.pricePerMessage == 0, {"price_per_message", "must be positive"}},
        {c.vehicleDeposit == 0 || c.hubDeposit == 0,
         {"vehicle_deposit", "deposits must be positive"}},
        {c.slot <= 0, {"slot_s", "must be positive"}},
        {c.challengePeriod < kChallengePeriodMin || c.challengePeriod > kChallengePeriodMax,
         {"challenge_period_s", "must be 1 s .. 30 days (the ledger's bounds)"}},
        {c.hopDelta <= 0, {"hop_delta_s", "must be positive"}},
        {c.duration <= 0, {"duration_s", "must be positive"}},
        {c.stayMin <= 0 || c.stayMax < c.stayMin,
         {"stay_max_s", "must be at least stay_min_s, which must be positive"}},
        {!share(c.cheaterShare), {"cheater_share", "must be in [0, 1]"}},
        {!share(c.offlineShare), {"offline_share", "must be in [0, 1]"}},
    };
    for (const auto& [bad, what] : checks)
    {
        if (bad)
        {
            return what;
        }
    }
    return {};
}

Result<ChannelScenario>
ParseDocument(const std::string& text, const std::string& path)
{
    YamlReader reader(path);
    const YAML::Node doc = YAML::Load(text);
    if (!doc.IsMap())
    {
        return Status::Malformed(reader.Prefix(LineOf(doc)) +
                                 "top level must be a mapping with vehicular_channels, got " +
                                 Describe(doc));
    }
    TopLevel top;
    Status s = reader.ReadMapping(doc, "", LineOf(doc), TopFields(reader, top));
    if (!s.IsOk())
    {
        return s;
    }
    const auto [key, what] = Violation(top.config);
    if (!key.empty())
    {
        const std::string dotted = "vehicular_channels." + key;
        return Status::Invalid(reader.Prefix(reader.LineFor({dotted})) + dotted + ": " + what);
    }
    return ChannelScenario{top.config, path, text};
}

} // namespace

Result<ChannelScenario>
ParseChannelScenario(const std::string& text, const std::string& path)
{
    // yaml-cpp reports problems by throwing (yaml-reader.h): one try around the whole read.
    try
    {
        return ParseDocument(text, path);
    }
    catch (const YAML::ParserException& e)
    {
        const int line = e.mark.is_null() ? 0 : e.mark.line + 1;
        return Status::Malformed(path + (line > 0 ? ":" + std::to_string(line) : "") + ": " +
                                 e.msg);
    }
    catch (const std::exception& e)
    {
        return Status::Malformed(path + ": cannot parse: " + e.what());
    }
}

Result<ChannelScenario>
LoadChannelScenario(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        return Status(StatusCode::kIoError, path + ": cannot read");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return ParseChannelScenario(text.str(), path);
}

} // namespace canon
