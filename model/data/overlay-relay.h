// Overlay relay: how a data request or a storage message reaches a node that is not one of the
// sender's peers (paper 3.4 and 3.5.1 address arbitrary nodes: a device, a DHT contact). The
// engines carry a node's messages to its peers only (node-service.h), so such a message is
// wrapped in an OverlayRelay envelope and passed on hop by hop along a shortest path of the
// peer overlay, each hop a real message (a TCP frame in ns-3, a link delivery in the abstract
// engine). The receiving node unwraps it and hands the inner message to its service as if the
// origin had sent it directly; an answer travels back the same way.
//
// Wire format: the node envelope [version u8][type u8 = kOverlayRelay], then origin u32,
// target u32, hops u8 (hops travelled so far), the inner message (var bytes: a framed data or
// storage message, at most kRelayInnerMax). Decoding rejects trailing bytes, an inner message
// that is itself a relay, and hops over kRelayHopsMax (a loop guard).
//
// OverlayRoutes: the static peer graph of a run (each node's configured peers) and next hops on
// shortest paths (BFS from the target, computed on first use and cached; ties broken by the
// lowest node id, so routes are the same in every run). Bounds: one distance vector per target
// asked for (n entries each). Single-threaded.
#ifndef CANONSIM_DATA_OVERLAY_RELAY_H
#define CANONSIM_DATA_OVERLAY_RELAY_H

#include "model/core/status.h"
#include "model/node/messages.h"

#include <map>
#include <optional>
#include <vector>

namespace canon
{

constexpr std::size_t kRelayInnerMax = 4 * 1024 * 1024;
constexpr uint8_t kRelayHopsMax = 64;

struct OverlayRelayMessage
{
    uint32_t origin = 0;
    uint32_t target = 0;
    uint8_t hops = 0;
    Bytes inner;
};

SharedBytes EncodeOverlayRelay(const OverlayRelayMessage& m);
Result<OverlayRelayMessage> DecodeOverlayRelay(const Bytes& bytes);

class OverlayRoutes
{
  public:
    // Node `node`'s peers (called again on a restart with the same peers: replaces them).
    void SetPeers(uint32_t node, const std::vector<uint32_t>& peers);
    // The peer of `from` on a shortest path to `to`; none when `to` is unreachable or `from`.
    std::optional<uint32_t> NextHop(uint32_t from, uint32_t to);
    // Overlay hops from `from` to `to`; none when unreachable.
    std::optional<uint32_t> Distance(uint32_t from, uint32_t to);

  private:
    const std::vector<uint32_t>& DistancesTo(uint32_t to);

    std::map<uint32_t, std::vector<uint32_t>> m_peers;
    std::map<uint32_t, std::vector<uint32_t>> m_distTo; // per target, per node; UINT32_MAX: none
    uint32_t m_size = 0;                                // one past the largest node id seen
};

} // namespace canon

#endif
