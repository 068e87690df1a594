// DataServer: a device that holds streams' data encrypted under their owners' keys and serves
// it only to requesters the owner granted access on chain (paper 3.4, PROTOCOL.md 5). Sans-IO:
// it takes a request and the chain states it may read, and returns the response; whoever hosts
// it (Node, a scenario driver) moves the bytes.
//
// Checks, in order, each refusal with its reason (DataRefusal): the device holds the stream;
// the request's signature verifies; it was sent within the freshness window; its (requester,
// id) was not seen before; then, in the chain state the rule names, the stream is registered
// and the requester holds a live grant. The rule (GrantRule) is a parameter: the best chain's
// state serves a grant as soon as a block carries it and stops at once when a block carries the
// revocation, but a reorg may undo either; the last irreversible block's state never serves a
// grant a reorg could undo, but starts later and keeps serving a revoked grant until the
// revocation is irreversible. The scenario in scenarios/data/ measures both costs.
//
// Bounds: the replay memory holds the (requester, id) of every request accepted within the
// freshness window, at most replayMax; when it is full the device refuses (kBusy) rather than
// forget, so a replay is never served. The device never holds a data key: it serves ciphertext.
// Single-threaded; owns its held data and its replay memory.
#ifndef CANONSIM_DATA_DATA_SERVER_H
#define CANONSIM_DATA_DATA_SERVER_H

#include "model/chain/ledger-state.h"
#include "model/data/data-messages.h"

#include <deque>
#include <map>
#include <set>

namespace canon
{

enum class GrantRule : uint8_t
{
    kBestChain,   // grants as the best chain's state has them
    kIrreversible // grants as the last irreversible block's state has them
};

const char* GrantRuleName(GrantRule r);

struct DataServerConfig
{
    GrantRule rule = GrantRule::kBestChain;
    // A request older (or newer) than this is refused as stale: the bound that lets the replay
    // memory forget. A few seconds covers any path's delay in the scenarios.
    TimeNs requestMaxAge = 30 * kSecond;
    std::size_t replayMax = 65536;
};

struct HeldStream
{
    uint32_t keyVersion = 0;
    EncryptedData data;
};

struct DataServerCounters
{
    uint64_t served = 0;
    uint64_t refused[static_cast<std::size_t>(DataRefusal::kRefusalCodesEnd)] = {};
};

class DataServer
{
  public:
    explicit DataServer(DataServerConfig config = {});

    const DataServerConfig& Config() const { return m_config; }
    // Stores (or replaces, after the owner rotated its key) a stream's encrypted data.
    void Hold(const Hash256& stream, HeldStream data);
    bool Holds(const Hash256& stream) const { return m_held.count(stream) != 0; }

    // The answer to `request` at `now`, reading grants from `best` or `irreversible` as the rule
    // says.
    DataResponse Answer(TimeNs now, const DataRequest& request, const LedgerState& best,
                        const LedgerState& irreversible);
    const DataServerCounters& Counters() const { return m_counters; }

  private:
    DataRefusal Check(TimeNs now, const DataRequest& request, const LedgerState& best,
                      const LedgerState& irreversible);
    DataRefusal CheckFresh(TimeNs now, const DataRequest& request);
    void Forget(TimeNs now);

    DataServerConfig m_config;
    std::map<Hash256, HeldStream> m_held;
    // Accepted (requester, id) pairs by hash, and when each was sent, oldest first.
    std::set<Hash256> m_seen;
    std::deque<std::pair<TimeNs, Hash256>> m_seenOrder;
    DataServerCounters m_counters;
};

// What the grant rules read: whether `requester` may read `stream` in `state` (kNone if so).
DataRefusal GrantStatusIn(const LedgerState& state, const Hash256& stream,
                          const Address& requester);

} // namespace canon

#endif
