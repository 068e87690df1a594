// The access-rule scenario (paper 3.4, issue 17): what the grant rule a data device applies
// (best chain or irreversible only, data-server.h) costs in latency and in requests wrongly
// served after a revocation.
//
// A co-simulation: the chain runs in the property harness (model/sim/harness.h: the abstract
// engine, real nodes, real blocks and finality), and the data protocol's messages, encoded and
// decoded as on the wire, travel between a requester and the device over a fixed number of
// hops, each with the harness's link latency, jitter and bandwidth. The device reads grants
// from the chain of the node it runs on, the requester its sealed key from its own node's (the
// next live node's while its own is down, as the owner's wallet submits to the next live node).
//
// Timeline: the owner registers a stream at 2 s and grants it to every grantee at 5 s; every
// grantee asks for it every requestInterval until the end; at revokeAt the owner revokes the
// first `revoked` grantees, and with `rotate` also stores the data under a new key on the device
// and grants the new key to the others (paper 3.4: rotation is the owner's choice).
// Deterministic: the same spec gives the same result.
#ifndef CANONSIM_SCENARIOS_DATA_ACCESS_RUN_H
#define CANONSIM_SCENARIOS_DATA_ACCESS_RUN_H

#include "model/data/data-server.h"

#include <array>
#include <string>

namespace canon
{

struct AccessRunSpec
{
    uint64_t seed = 1;
    GrantRule rule = GrantRule::kBestChain;
    bool rotate = false;
    uint32_t nodes = 20;
    uint32_t producers = 7;
    uint32_t grantees = 4;
    uint32_t revoked = 2;
    uint32_t hops = 3; // between a requester and the device
    TimeNs duration = 60 * kSecond;
    TimeNs requestInterval = 200 * kMillisecond;
    TimeNs revokeAt = 30 * kSecond;
    // Faults drawn from the seed before this time (harness.h): forks, so the best chain's
    // grants can be undone. 0: a healthy network.
    TimeNs randomFaultsUntil = 0;
};

// One answered request as the requester saw it (what the data_requests dataset holds).
struct DataRequestRecord
{
    double time = 0;        // when the answer arrived (s)
    uint32_t requester = 0; // the grantee's node
    uint64_t stream = 0;    // the stream id's first 8 bytes, little-endian
    DataDecision decision = DataDecision::kRefused;
    DataRefusal reason = DataRefusal::kNone;
    double latency = 0; // s
    uint64_t bytes = 0; // the response's size on the wire
    bool readable = false;
};

struct AccessRunResult
{
    std::vector<DataRequestRecord> records;
    uint64_t requests = 0;
    uint64_t served = 0;
    uint64_t lost = 0; // reached the device while it was down
    std::array<uint64_t, static_cast<std::size_t>(DataRefusal::kRefusalCodesEnd)> refused{};
    // Latency of every answered request (seconds), and from a grant's submission to the first
    // request that was served under it (mean over grantees; -1 when none was served).
    std::vector<double> latencies;
    double grantToServedMean = -1;
    // Revoked grantees: requests answered while the revocation was already on the device's best
    // chain but served anyway; of those, how many the grantee could read; and the time from the
    // revocation's submission to the last serve (mean; 0 when nothing was served after it).
    uint64_t servedAfterRevokeVisible = 0;
    uint64_t readableAfterRevokeVisible = 0;
    uint64_t servedAfterRevokeSent = 0;
    double revokeToLastServedMean = 0;
    // Grantees still granted: served responses they could not read (key rotated and the new
    // grant not yet in their node's chain, or their node lacks the grant at all) and requests
    // refused although their grant was in the device's best chain (the irreversible rule's wait).
    uint64_t grantedUnreadable = 0;
    uint64_t refusedWhileGrantVisible = 0;
    uint64_t reorgs = 0;
    std::vector<std::string> violations; // the harness's safety checkers
};

AccessRunResult RunAccessScenario(const AccessRunSpec& spec);

} // namespace canon

#endif
