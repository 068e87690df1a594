// VisualOutputSpec: what `canonsim run --netanim PATH [--netanim-packets FROM:TO]
// [--netanim-packets-max N] --flowmon PATH` asks of the ns-3 tools (ns3-visual-output.h, which
// says what each file holds). Free of ns-3 headers, so that the command line can fill it in.
#ifndef CANONSIM_NS3_VISUAL_OUTPUT_SPEC_H
#define CANONSIM_NS3_VISUAL_OUTPUT_SPEC_H

#include <cstdint>
#include <string>

namespace canon
{

// The default bound on NetAnim packet records: about 20 MB of XML.
constexpr uint64_t kNetAnimPacketRecordsMax = 200000;
// How often, in simulated seconds, the packet records are counted against the bound.
constexpr double kPacketPollSeconds = 0.01;

struct VisualOutputSpec
{
    std::string netanimPath; // "": no animation
    // Packet records in simulated seconds [packetsFrom, packetsTo); none when packetsTo <= from.
    double packetsFrom = 0;
    double packetsTo = 0;
    uint64_t packetsMax = kNetAnimPacketRecordsMax;
    std::string flowmonPath; // "": no flow statistics

    bool Any() const { return !netanimPath.empty() || !flowmonPath.empty(); }
};

} // namespace canon

#endif
