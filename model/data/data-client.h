// DataClient: the requester's side of the data request protocol (paper 3.4). It signs each
// request with its key and a fresh id, matches each response to its request, and for a served
// response opens the data: it unseals the data key from its own grant record in a chain state,
// decrypts, and checks the plaintext against the digest the stream was registered with.
//
// Bounds: at most outstandingMax requests wait for an answer; the oldest is forgotten (counted
// as lost) when a new one would exceed it. Responses to unknown ids are counted and ignored.
// Single-threaded; owns its key and its outstanding requests.
#ifndef CANONSIM_DATA_DATA_CLIENT_H
#define CANONSIM_DATA_DATA_CLIENT_H

#include "model/chain/ledger-state.h"
#include "model/data/data-messages.h"

#include <map>
#include <optional>

namespace canon
{

constexpr std::size_t kDataOutstandingMax = 4096;

// The outcome of one request as the requester sees it.
struct DataOutcome
{
    Hash256 stream{};
    uint64_t requestId = 0;
    DataDecision decision = DataDecision::kRefused;
    DataRefusal reason = DataRefusal::kNone;
    TimeNs sentAt = 0;
    TimeNs latency = 0;
    uint64_t bytes = 0;    // the response's encoded size
    bool readable = false; // served, and the requester could open it and the digest matched
};

class DataClient
{
  public:
    explicit DataClient(KeyPair key);

    const KeyPair& Key() const { return m_key; }
    // A signed request for `stream`, remembered as outstanding.
    DataRequest MakeRequest(TimeNs now, const Hash256& stream);
    // Waits again for an answer to `request` (a resend of one already answered: a replay).
    void Remember(const DataRequest& request);
    // Matches `response` (`size` bytes on the wire) to its request; nullopt for an unknown id.
    // `state`: the chain state the requester reads its grant and the stream's digest from.
    std::optional<DataOutcome> OnResponse(TimeNs now, const DataResponse& response,
                                          std::size_t size, const LedgerState& state);
    uint64_t Unmatched() const { return m_unmatched; }
    uint64_t Lost() const { return m_lost; }

  private:
    bool Readable(const DataResponse& response, const LedgerState& state) const;

    KeyPair m_key;
    uint64_t m_nextId = 1;
    std::map<uint64_t, DataRequest> m_outstanding;
    uint64_t m_unmatched = 0;
    uint64_t m_lost = 0;
};

} // namespace canon

#endif
