// The vehicular payment-channel scenario file (issue 18): YAML with one top-level section,
// `vehicular_channels`, read into VehicularChannelConfig (model/channels/vehicular-channel-run.h)
// with the scenario reader's errors ("<file>:<line>: <key>: <what>"). Every key is optional; the
// defaults are VehicularChannelConfig's. Ranges are checked after reading, naming the key.
#ifndef CANONSIM_SCENARIOS_CHANNELS_CHANNEL_SCENARIO_H
#define CANONSIM_SCENARIOS_CHANNELS_CHANNEL_SCENARIO_H

#include "model/channels/vehicular-channel-run.h"
#include "model/core/status.h"

#include <string>

namespace canon
{

struct ChannelScenario
{
    VehicularChannelConfig config;
    std::string sourcePath;
    std::string sourceText;
};

Result<ChannelScenario> ParseChannelScenario(const std::string& text, const std::string& path);
Result<ChannelScenario> LoadChannelScenario(const std::string& path);

} // namespace canon

#endif
