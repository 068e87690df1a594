// AbstractNetwork: the abstract engine (DESIGN.md 1): participants exchange whole messages over
// a packet model instead of ns-3 devices. Each link has a one-way latency and, per direction, a
// bandwidth at which its messages are serialised one after another (a per-link queue: no shared
// medium, no TCP); a message may also be delayed by uniform jitter, lost or duplicated. The
// FaultPlan's links, partitions and bursts (fault-plan.h) apply as on ns-3: a failed link or a
// partition drops what crosses it, a burst adds its loss and delay to every link. The run driver
// (model/run/run-driver.h) schedules crashes and everything else through RunHost.
//
// One event queue ordered by (time, sequence): the same spec, factory and seed give the same
// run, event for event. Randomness: Rng::Derive(seed, "network"). Single-threaded; owns its
// participants.
#ifndef CANONSIM_SIM_ABSTRACT_NETWORK_H
#define CANONSIM_SIM_ABSTRACT_NETWORK_H

#include "model/core/rng.h"
#include "model/node/participant-factory.h"
#include "model/run/fault-plan.h"
#include "model/run/run-host.h"
#include "model/sim/event-queue.h"

#include <map>
#include <memory>
#include <optional>
#include <unordered_map>

namespace canon
{

struct AbstractLink
{
    uint32_t a = 0;
    uint32_t b = 0;
    TimeNs latency = 20 * kMillisecond;
    double bytesPerSecondAb = 1.25e6; // a to b
    double bytesPerSecondBa = 1.25e6; // b to a
};

// Loss, duplication and jitter on every link.
struct LinkNoise
{
    TimeNs jitter = 0; // uniform extra delay in [0, jitter)
    double loss = 0;
    double duplicate = 0;
};

struct AbstractNetworkSpec
{
    uint64_t seed = 1;
    uint32_t nodes = 0;
    std::vector<AbstractLink> links;
    std::vector<bool> light;  // per node (empty: none)
    std::vector<bool> online; // per node: started at time 0 (empty: all)
    LinkNoise noise;
    // Until `noisyUntil`, `noisy` applies instead of `noise` (the property runs' fault window).
    TimeNs noisyUntil = 0;
    LinkNoise noisy;
    FaultPlan faults; // links, partitions and bursts; crashes are the driver's
};

// Called for each event a participant emits, and after each step (the checkers).
using EventSink = std::function<void(uint32_t, const NodeEvent&)>;
using StepObserver = std::function<void(uint32_t)>;

class AbstractNetwork : public RunHost
{
  public:
    AbstractNetwork(AbstractNetworkSpec spec, ParticipantFactory factory, EventSink onEvent);

    void SetStepObserver(StepObserver observer) { m_afterStep = std::move(observer); }
    // Runs every event up to and including time t.
    void RunUntil(TimeNs t);
    const Participant* ParticipantAt(uint32_t i) const { return m_nodes[i].participant.get(); }
    const std::vector<PeerId>& Neighbours(uint32_t i) const { return m_nodes[i].peers; }
    // Fault injection by hand (tests): only nodes on the same side exchange messages.
    void SetPartition(std::vector<uint32_t> side) { m_side = std::move(side); }
    void Heal() { m_side.assign(m_nodes.size(), 0); }
    uint64_t Incarnation(uint32_t i) const { return m_nodes[i].incarnation; }
    uint64_t EventCount() const { return m_seq; }

    // RunHost.
    TimeNs Now() const override { return m_now; }
    void At(TimeNs at, std::function<void()> fn) override;
    uint32_t NodeCount() const override { return static_cast<uint32_t>(m_nodes.size()); }
    bool IsLightNode(uint32_t i) const override { return m_nodes[i].light; }
    const Node* FullNode(uint32_t i) const override { return m_nodes[i].full; }
    const LightNode* Light(uint32_t i) const override { return m_nodes[i].lightNode; }
    const Adversary* AdversaryAt(uint32_t i) const override { return m_nodes[i].adversary; }
    void Submit(uint32_t i, const Transaction& tx) override;
    void AtNode(uint32_t i, LocalWork work) override;
    NodeTraffic Traffic(uint32_t i) const override { return m_nodes[i].traffic; }
    std::vector<Edge> TakeEpochGraph() override;
    void Crash(uint32_t i) override;
    void Restart(uint32_t i) override;

    // Peers changed during the run (issue 19, model/sim/peer-upkeep.h: a banned peer replaced,
    // an own peer rotated). Peer makes a and b each other's peers, over a new link like `like`
    // (its ends and latency; each direction at the sender's rate in `like`) unless they share
    // one; Unpeer makes them stop being peers (their link stays, so what is under way still
    // arrives). Both tell running participants their new peers.
    void Peer(uint32_t a, uint32_t b, const AbstractLink& like);
    void Unpeer(uint32_t a, uint32_t b);
    // RunHost::Connect peers a and b over a new link like `like` (set by the engine run; unset,
    // Connect refuses).
    void SetConnectLink(const AbstractLink& like) { m_connectLink = like; }
    bool Connect(uint32_t a, uint32_t b) override;

  private:
    enum class EventKind : uint8_t
    {
        kDeliver,
        kTimer,
        kCall,
        kPartitionBegin,
        kPartitionEnd,
    };
    struct Event
    {
        TimeNs at = 0;
        uint64_t seq = 0;
        EventKind kind = EventKind::kDeliver;
        uint32_t node = 0;
        uint32_t from = 0;
        uint64_t generation = 0; // timers: stale when it differs from the node's
        SharedBytes bytes;
    };
    struct Port // one end of a link, as its node sees it
    {
        uint32_t to = 0;
        uint32_t link = 0;
        double bytesPerSecond = 0;
        TimeNs busyUntil = 0;
    };
    struct SimNode
    {
        std::unique_ptr<Participant> participant;
        const Node* full = nullptr; // the participant's full node (an adversary's follower)
        const LightNode* lightNode = nullptr;
        const Adversary* adversary = nullptr;
        bool light = false;
        std::vector<Port> ports;
        std::vector<PeerId> peers; // sorted neighbours
        uint64_t timerGeneration = 0;
        uint64_t incarnation = 0;
        uint64_t lastSignedSlot = 0;
        NodeTraffic traffic;
    };

    void Schedule(Event e);
    void Dispatch(const Event& e);
    void Step(uint32_t i, const Input& input);
    void CarryOut(uint32_t i);
    void Send(uint32_t from, const SendAction& s);
    bool Blocked(uint32_t from, uint32_t to, uint32_t link) const;
    const LinkNoise& Noise() const
    {
        return m_now < m_spec.noisyUntil ? m_spec.noisy : m_spec.noise;
    }
    ParticipantSeat Seat(uint32_t i) const;
    void UpdatePeers(uint32_t i); // sn.peers to the participant

    AbstractNetworkSpec m_spec;
    ParticipantFactory m_factory;
    EventSink m_onEvent;
    StepObserver m_afterStep;
    std::vector<SimNode> m_nodes;
    std::vector<uint64_t> m_linkBytes; // per link, this CZR epoch
    std::vector<uint32_t> m_side;
    EventQueue<Event> m_queue;
    std::unordered_map<uint64_t, std::function<void()>> m_calls; // by event sequence
    uint64_t m_seq = 0;
    TimeNs m_now = 0;
    Rng m_rng;
    Actions m_actions;
    std::optional<AbstractLink> m_connectLink; // RunHost::Connect's links; unset: refused
};

} // namespace canon

#endif
