// RunSummary: the figures every run reports, whichever engine drives the nodes (the abstract
// network or ns-3), gathered from the nodes' typed events (run-recorder.h) and the reference
// node's chain, with one reference-node rule and one stall rule for both.
#ifndef CANONSIM_SIM_RUN_SUMMARY_H
#define CANONSIM_SIM_RUN_SUMMARY_H

#include "model/consensus/consensus-chain.h"
#include "model/node/node-io.h"
#include "model/run/run-host.h"

#include <array>
#include <map>
#include <string>
#include <vector>

namespace canon
{

// Transaction kinds as the summary counts them: one per TxType (model/chain/transaction.h), in
// this order. TxKindIndex maps a type to its index; TxKindName gives "transfer", "claim",
// "czr-report", "vote", "evidence", then one kind per range of later types: "contract" (20-29),
// "data" (30-39), "channel" (40-49), "governance" (50-59); any other type is "other".
constexpr std::size_t kTxKinds = 10;
std::size_t TxKindIndex(TxType type);
const char* TxKindName(std::size_t kind);

struct RunSummary
{
    uint64_t seed = 0;
    TimeNs simulatedTime = 0;
    std::vector<std::string> violations;
    uint64_t blocksProduced = 0;
    uint64_t slotsElapsed = 0;
    uint64_t missedSlots = 0;  // scheduled slots without a block on node 0's best chain
    uint64_t bestHeight = 0;   // node 0
    uint64_t libHeightMin = 0; // over live nodes
    uint64_t libHeightMax = 0;
    // Transactions handed to nodes: wallets' transfers and votes, the CZR loop's claims and
    // reports (evidence is made by the nodes themselves and never submitted); and those in the
    // reference node's irreversible chain, every kind. Each total is the sum of its row by kind.
    uint64_t txSubmitted = 0;
    uint64_t txIrreversible = 0;
    std::array<uint64_t, kTxKinds> txSubmittedByKind{};
    std::array<uint64_t, kTxKinds> txIrreversibleByKind{};
    uint64_t reorgs = 0;
    // Depth-rule finality (PoW, PoS, PoI): reorgs past a node's irreversible block, counted per
    // node, and the deepest (blocks). Under PoP and DPoS such a reorg is a safety violation.
    uint64_t finalityViolations = 0;
    uint64_t finalityViolationDepthMax = 0;
    uint64_t messagesDropped = 0;
    // Drop reasons with numbers and hashes replaced by '#', and how often each occurred.
    std::map<std::string, uint64_t> dropsByReason;
    // Connections the ns-3 transport lost, failed to make or abandoned (drops of type
    // kConnectionEvent), apart from bad or unwanted messages: they are retried, not dropped data.
    uint64_t connectionEvents = 0;
    std::map<std::string, uint64_t> connectionsByReason;
    uint64_t equivocations = 0;
    // Adversaries (harness): byzantine producers, keys slashed on the reference chain, and why
    // finality stopped if it did ("" while it moves).
    uint32_t byzantineProducers = 0;
    std::string byzantineKinds; // "equivocator, censor"
    uint64_t slashedKeys = 0;
    std::string stall;
    // Each run feature's figures (run-feature.h), by feature name.
    std::map<std::string, std::map<std::string, double>> features;
    // Frames the scenario's network faults dropped, by reason (ns-3 runs).
    std::map<std::string, uint64_t> faultDrops;
    // Times CanonTcpSocket's guards against ns-3 3.37 TCP bugs fired in this run, by guard
    // (model/ns3/canon-tcp-socket.h; ns-3 runs; empty when none fired).
    std::map<std::string, uint64_t> tcpGuards;
    // Seconds from submission to the first best-chain block carrying a transfer, for the
    // accounts a censor targets and for everyone else (-1: no such transfer included).
    double censoredDelayMeanSeconds = -1;
    double otherDelayMeanSeconds = -1;
    uint64_t elections = 0; // on the reference node's best chain
    uint64_t bytesSent = 0;
    uint32_t nodes = 0;
    std::vector<double> finalityLatencySeconds; // block start to irreversible, per node
    std::vector<double> propagationSeconds;     // block start to acceptance, per other node
    // Light participants (light-node.h): how many, the bytes they sent (within bytesSent), and
    // per verified inclusion proof the seconds from the wallet's submission to the proof.
    uint32_t lightNodes = 0;
    uint64_t bytesSentLight = 0;
    uint64_t lightTxVerified = 0;
    std::vector<double> lightInclusionSeconds;

    bool Safe() const { return violations.empty(); }

    // Counts one transaction handed to a node (txSubmitted and its kind).
    void CountSubmitted(const Transaction& tx);

    // Accounts for one event of node `self` (a block it accepted from itself is its own: not a
    // propagation sample).
    // `slotStart`: when ev.slot started under the rules in force on the node's chain (T may
    // change by governance, issue 18).
    void Observe(TimeNs now, uint32_t self, const NodeEvent& ev, TimeNs slotStart);
    // Chain-derived figures from the reference node: best height, missed slots on its best
    // chain, transactions in its irreversible prefix, elections and slashed keys.
    void FillFromChain(const ConsensusChain& chain);
};

// The reference node whose chain the summary, the CZR report and the missed-slot records read:
// the running honest full node with the highest irreversible height (then the highest best
// height, then the lowest index); -1 when none runs.
int ReferenceNode(const RunHost& host);

// Finality has stalled when no honest node's irreversible block moved for more than three
// cycles (3 N T) before `now`: the note says since when, how many producers were byzantine and
// how many distinct producers finality needs. "" while it moves.
std::string StallNote(TimeNs now, TimeNs lastFinalityAt, const ChainParams& params,
                      uint32_t byzantineProducers);

// The figures a run prints (the main job's summary).
std::string FormatSummary(const RunSummary& r);
// Percentile p in [0, 100] of unsorted values (nearest rank); 0 for none.
double Percentile(std::vector<double> values, double p);
// "block 1a2b3c4d: invalid: slot 12 ..." -> "block #: invalid: slot # ...": reasons that differ
// only in the numbers and hashes they name fall into one category.
std::string ReasonCategory(const std::string& reason);

} // namespace canon

#endif
