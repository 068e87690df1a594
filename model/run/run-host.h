// RunHost: what the shared run driver (run-driver.h) needs from an engine. The ns-3 runner
// (scenarios/ns3-engine.cc) and the abstract network (model/sim/abstract-network.h) each
// implement it; everything above it (genesis, workload, the CZR loop, crashes, adversaries, the
// recorder and the summary) is one copy for both.
//
// The host owns the participants and the clock; the driver only reads their state, submits
// local transactions and schedules its own callbacks. Single-threaded.
#ifndef CANONSIM_RUN_RUN_HOST_H
#define CANONSIM_RUN_RUN_HOST_H

#include "model/node/adversary.h"
#include "model/node/light-node.h"
#include "model/node/node.h"

#include <functional>
#include <utility>
#include <vector>

namespace canon
{

// A node's cumulative message bytes: all it sent, and (for CZR, PROTOCOL.md 2.1) what it
// originated apart from what it relayed.
struct NodeTraffic
{
    uint64_t sent = 0;
    uint64_t originated = 0;
    uint64_t relayed = 0;
};

using Edge = std::pair<uint32_t, uint32_t>; // a < b

class RunHost
{
  public:
    virtual ~RunHost() = default;

    virtual TimeNs Now() const = 0;
    // Runs `fn` at simulated time `at` (>= Now()).
    virtual void At(TimeNs at, std::function<void()> fn) = 0;
    virtual uint32_t NodeCount() const = 0;
    // Whether node i is a light participant (for the whole run, running or not).
    virtual bool IsLightNode(uint32_t i) const = 0;
    // The running full node (an adversary's follower included); nullptr while down or light.
    virtual const Node* FullNode(uint32_t i) const = 0;
    // The running light participant; nullptr while down or full.
    virtual const LightNode* Light(uint32_t i) const = 0;
    // The running adversary; nullptr while down or honest.
    virtual const Adversary* AdversaryAt(uint32_t i) const = 0;
    // A local wallet hands node i a transaction (no network hop); ignored while it is down.
    virtual void Submit(uint32_t i, const Transaction& tx) = 0;
    // Runs a feature's `work` at node i now, as its own application would (node-io.h
    // LocalWork); the engine carries out the actions it returns. Ignored while node i is down;
    // light participants and adversaries ignore it.
    virtual void AtNode(uint32_t i, LocalWork work) = 0;
    virtual NodeTraffic Traffic(uint32_t i) const = 0;
    // The CZR graph of the epoch that ends now: links between live nodes that carried traffic
    // since the last call (or, on radio, the network's own neighbour state).
    virtual std::vector<Edge> TakeEpochGraph() = 0;
    // Every node's position now (metres: x, y) where the network has positions (radio
    // topologies); empty where it has none. Only recorded: nothing in a run depends on it.
    virtual std::vector<std::pair<double, double>> Positions() const { return {}; }
    // Opens a connection between full nodes a and b, each then a peer of the other (a feature's
    // direct connection, e.g. to a DHT contact); false where the engine cannot (the default).
    // Not from inside a node's step: schedule it with At.
    virtual bool Connect(uint32_t /*a*/, uint32_t /*b*/) { return false; }
    virtual void Crash(uint32_t i) = 0;
    virtual void Restart(uint32_t i) = 0;

    bool Running(uint32_t i) const { return FullNode(i) || Light(i); }
};

} // namespace canon

#endif
