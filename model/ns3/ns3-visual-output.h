// Ns3VisualOutput: the ns-3 tools' own views of one run, on request (`canonsim run --netanim PATH`,
// `--flowmon PATH`): a NetAnim animation written by ns-3's AnimationInterface, and FlowMonitor
// statistics.
//
// NetAnim: every node with its position, and its movement for the rest of the run (the interface
// polls positions every 0.25 s and writes every course change). Wired nodes have no position, so
// they get one for the animation: evenly on a circle in node order (ConstantPositionMobilityModel;
// nothing in the wired network reads it). Packets are off unless a window is given. ns-3's
// interface cannot start logging packets later than it starts itself, so with a window from t0 to
// t1 the animation starts at t0 (positions from then on) and packets stop at t1 or at packetsMax
// packet records, whichever comes first. The bound is checked every kPacketPollSeconds of
// simulated time, so it can be passed by what that interval carries: packet logging grows by
// about 100 bytes a record, and an 802.11s mesh of 25 nodes writes thousands of records a second.
//
// FlowMonitor: per IPv4 flow (one direction of one TCP connection) the packets and bytes sent and
// received, delay and jitter sums, lost packets and first/last packet times, as ns-3 serialises
// them (FlowMonitor::SerializeToXmlFile; histograms and probe statistics left out to keep the
// file small). analysis/report.py reads it.
//
// Both files are written under "<path>.partial" and renamed by Finish, so a file at the final path
// is always whole. Install after the network is built and before Simulator::Run; Finish after the
// run and before Simulator::Destroy. Neither tool changes what the nodes do: their tags ride as
// packet metadata (no bytes on the wire), and the events they schedule only read state. One
// read has a side effect in ns-3: a moving node's position is the sum of the distances moved
// between reads (ConstantVelocityHelper), so NetAnim's polling shifts positions in the last
// bits of a double (1e-12 m in tests/python/test_explore_ns3.py, whose traces are otherwise
// identical with and without both tools).
// Single-threaded; one per run (ns-3 keeps one simulator per process).
#ifndef CANONSIM_NS3_NS3_VISUAL_OUTPUT_H
#define CANONSIM_NS3_NS3_VISUAL_OUTPUT_H

#include "model/core/status.h"
#include "model/ns3/visual-output-spec.h"

#include "ns3/node-container.h"

#include <memory>
#include <string>

namespace canon
{

class Ns3VisualOutput
{
  public:
    // Checks that each requested file can be written (creating its folder), places wired nodes,
    // and starts the tools on `nodes`.
    static Result<std::unique_ptr<Ns3VisualOutput>> Install(const VisualOutputSpec& spec,
                                                            const ns3::NodeContainer& nodes);
    ~Ns3VisualOutput();
    Ns3VisualOutput(const Ns3VisualOutput&) = delete;
    Ns3VisualOutput& operator=(const Ns3VisualOutput&) = delete;

    // Closes the animation and writes the flow statistics, each renamed into place.
    Status Finish();

    // Packet records in the animation, and whether packetsMax stopped them.
    uint64_t PacketRecords() const;
    bool PacketsCapped() const;

  private:
    struct Impl;
    explicit Ns3VisualOutput(std::unique_ptr<Impl> impl);

    std::unique_ptr<Impl> m_impl;
};

} // namespace canon

#endif
