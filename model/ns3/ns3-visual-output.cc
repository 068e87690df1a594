#include "model/ns3/ns3-visual-output.h"

#include "ns3/animation-interface.h"
#include "ns3/constant-position-mobility-model.h"
#include "ns3/flow-monitor-helper.h"
#include "ns3/ipv4.h"
#include "ns3/mobility-model.h"
#include "ns3/simulator.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <sstream>

namespace canon
{

using namespace ns3;

namespace
{

// Wired nodes: evenly on a circle whose circumference gives each node about 20 units.
constexpr double kWiredSpacing = 20.0;
constexpr double kPi = 3.14159265358979323846;

std::string
Partial(const std::string& path)
{
    return path + ".partial";
}

// Creates the folder of `path` and checks that its .partial file can be written.
Status
CheckWritable(const std::string& path, const char* what)
{
    std::error_code ec;
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty())
    {
        std::filesystem::create_directories(parent, ec);
    }
    std::FILE* f = std::fopen(Partial(path).c_str(), "wb");
    if (!f)
    {
        return Status::Invalid(path + ": cannot write the " + what + ": " + std::strerror(errno));
    }
    std::fclose(f);
    return Status::Ok();
}

Status
RenameIntoPlace(const std::string& path, const char* what)
{
    if (std::rename(Partial(path).c_str(), path.c_str()) != 0)
    {
        return Status::Invalid(path + ": cannot write the " + what + ": " + std::strerror(errno));
    }
    return Status::Ok();
}

void
PlaceWiredNodes(const NodeContainer& nodes)
{
    const double n = static_cast<double>(nodes.GetN());
    const double radius = std::max(50.0, n * kWiredSpacing / (2 * kPi));
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        if (nodes.Get(i)->GetObject<MobilityModel>())
        {
            continue;
        }
        const double angle = 2 * kPi * static_cast<double>(i) / n;
        AnimationInterface::SetConstantPosition(nodes.Get(i), radius * (1 + std::cos(angle)),
                                                radius * (1 + std::sin(angle)));
    }
}

// <CanonSimNodes><Node id="3" address="10.1.0.2"/>...</CanonSimNodes>: which node holds each
// IPv4 address of the flow classifier, so that flows read as node pairs.
std::string
NodeAddresses(const NodeContainer& nodes)
{
    std::string out = "  <CanonSimNodes>\n";
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        Ptr<Ipv4> ipv4 = nodes.Get(i)->GetObject<Ipv4>();
        for (uint32_t f = 0; ipv4 && f < ipv4->GetNInterfaces(); ++f)
        {
            for (uint32_t a = 0; a < ipv4->GetNAddresses(f); ++a)
            {
                const Ipv4Address local = ipv4->GetAddress(f, a).GetLocal();
                if (local.IsLocalhost())
                {
                    continue;
                }
                std::ostringstream line;
                line << "    <Node id=\"" << i << "\" address=\"" << local << "\" />\n";
                out += line.str();
            }
        }
    }
    return out + "  </CanonSimNodes>\n";
}

} // namespace

struct Ns3VisualOutput::Impl
{
    VisualOutputSpec spec;
    NodeContainer nodes;
    std::unique_ptr<AnimationInterface> anim;
    FlowMonitorHelper flowHelper;
    Ptr<FlowMonitor> monitor;
    uint64_t packetRecords = 0;
    bool capped = false;

    bool WantsPackets() const { return spec.packetsTo > spec.packetsFrom; }

    void StartAnimation()
    {
        anim = std::make_unique<AnimationInterface>(Partial(spec.netanimPath));
        // The interface would start a new file after this many records; the bound is ours.
        anim->SetMaxPktsPerTraceFile(std::numeric_limits<uint64_t>::max());
        if (!WantsPackets())
        {
            anim->SkipPacketTracing();
            return;
        }
        Simulator::Schedule(Seconds(spec.packetsTo - spec.packetsFrom), &Impl::StopPackets, this);
        Simulator::Schedule(Seconds(kPacketPollSeconds), &Impl::PollPackets, this);
    }

    void StopPackets()
    {
        if (anim)
        {
            packetRecords = anim->GetTracePktCount();
            anim->SkipPacketTracing();
        }
    }

    void PollPackets()
    {
        if (!anim || Simulator::Now().GetSeconds() >= spec.packetsTo)
        {
            return;
        }
        packetRecords = anim->GetTracePktCount();
        if (packetRecords >= spec.packetsMax)
        {
            capped = true;
            anim->SkipPacketTracing();
            return;
        }
        Simulator::Schedule(Seconds(kPacketPollSeconds), &Impl::PollPackets, this);
    }

    Status FinishAnimation()
    {
        if (!anim)
        {
            return spec.netanimPath.empty()
                       ? Status::Ok()
                       : Status::Invalid(spec.netanimPath +
                                         ": the animation never started (the run ended before "
                                         "the packet window)");
        }
        packetRecords = std::max(packetRecords, anim->GetTracePktCount());
        anim.reset(); // closes the XML document
        return RenameIntoPlace(spec.netanimPath, "NetAnim file");
    }

    Status FinishFlows()
    {
        if (!monitor)
        {
            return Status::Ok();
        }
        monitor->CheckForLostPackets();
        std::string xml = flowHelper.SerializeToXmlString(0, false, false);
        const std::size_t end = xml.rfind("</FlowMonitor>");
        if (end != std::string::npos)
        {
            xml.insert(end, NodeAddresses(nodes));
        }
        std::FILE* f = std::fopen(Partial(spec.flowmonPath).c_str(), "wb");
        const bool written = f && std::fwrite(xml.data(), 1, xml.size(), f) == xml.size();
        const bool closed = f && std::fclose(f) == 0;
        if (!written || !closed)
        {
            return Status::Invalid(spec.flowmonPath +
                                   ": cannot write the FlowMonitor file: " + std::strerror(errno));
        }
        return RenameIntoPlace(spec.flowmonPath, "FlowMonitor file");
    }
};

Ns3VisualOutput::Ns3VisualOutput(std::unique_ptr<Impl> impl)
  : m_impl(std::move(impl))
{
}

Ns3VisualOutput::~Ns3VisualOutput() = default;

Result<std::unique_ptr<Ns3VisualOutput>>
Ns3VisualOutput::Install(const VisualOutputSpec& spec, const NodeContainer& nodes)
{
    auto impl = std::make_unique<Impl>();
    impl->spec = spec;
    impl->nodes = nodes;
    if (!spec.netanimPath.empty())
    {
        Status ok = CheckWritable(spec.netanimPath, "NetAnim file");
        if (!ok.IsOk())
        {
            return ok;
        }
        PlaceWiredNodes(nodes);
        Impl* raw = impl.get();
        if (impl->WantsPackets() && spec.packetsFrom > 0)
        {
            Simulator::Schedule(Seconds(spec.packetsFrom), &Impl::StartAnimation, raw);
        }
        else
        {
            raw->StartAnimation();
        }
    }
    if (!spec.flowmonPath.empty())
    {
        Status ok = CheckWritable(spec.flowmonPath, "FlowMonitor file");
        if (!ok.IsOk())
        {
            return ok;
        }
        impl->monitor = impl->flowHelper.Install(nodes);
    }
    return std::unique_ptr<Ns3VisualOutput>(new Ns3VisualOutput(std::move(impl)));
}

Status
Ns3VisualOutput::Finish()
{
    Status anim = m_impl->FinishAnimation();
    Status flows = m_impl->FinishFlows();
    return anim.IsOk() ? flows : anim;
}

uint64_t
Ns3VisualOutput::PacketRecords() const
{
    return m_impl->packetRecords;
}

bool
Ns3VisualOutput::PacketsCapped() const
{
    return m_impl->capped;
}

} // namespace canon
