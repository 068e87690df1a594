// RunRecorder: turns the typed events of a run (every node's NodeEvents, the wallets'
// submissions, the CZR loop's epochs) into HDF5 trace records (model/trace/trace-records.h) and
// the run's summary figures, whichever engine runs it. Chain-wide facts (a block became
// irreversible somewhere, an election was announced, a producer set came into force) are
// recorded once, when the first node sees them. Without a writer it keeps the summary only
// (the property harness).
//
// Summarize() gives the run's figures at any moment: the event counts so far, plus what the
// reference node's chain says (run-summary.h), an agreement check of every live honest node's
// irreversible chain against the reference node's, and the stall note. RecordEnd() writes the
// reference chain's missed slots, the members' protocol weights and every block's fate to the
// trace, once, at the end. The protocol-specific datasets are ConsensusRecorder's.
//
// Owned by the run driver; reads node state through the host. Single-threaded.
#ifndef CANONSIM_RUN_RUN_RECORDER_H
#define CANONSIM_RUN_RUN_RECORDER_H

#include "model/run/consensus-recorder.h"
#include "model/run/czr-loop.h"
#include "model/run/fee-recorder.h"
#include "model/run/genesis.h"
#include "model/run/run-host.h"
#include "model/run/run-summary.h"
#include "model/trace/trace-writer.h"

#include <map>
#include <set>
#include <unordered_set>

namespace canon
{

class RunRecorder
{
  public:
    // `censored`: accounts a censor targets (their inclusion delays are reported apart).
    RunRecorder(TraceWriter* writer, RunSummary& summary, const RunHost& host,
                const RunGenesis& genesis, std::set<Address> censored);

    void OnEvent(uint32_t node, const NodeEvent& ev);
    void OnSubmitted(uint32_t node, uint32_t account, const Transaction& tx);
    void OnCzrEpoch(const CzrEpochReport& epoch);
    // The fee auction's datasets (fee-recorder.h), for runs with one; then every wallet bid.
    void EnableFees(FeeMechanism mechanism, const ValuationSpec& values);
    void OnBid(uint32_t node, uint32_t account, const Transaction& tx, double valuation);
    const FeeRecorder* Fees() const { return m_fees.get(); }
    // The producer set in force at `height` since `time` (genesis: time 0, height 0).
    void RecordProducerSet(double time, uint64_t height, const std::vector<PublicKey>& set);
    // Every node's position now, if the network has positions (RunHost::Positions).
    void RecordPositions(uint64_t epoch);
    // The figures now; `byzantine` producers and their kinds ("equivocator, censor").
    RunSummary Summarize(uint32_t byzantine, const std::string& kinds) const;
    void RecordEnd();

  private:
    void OnProduced(uint32_t node, const NodeEvent& ev);
    void OnReceived(uint32_t node, const NodeEvent& ev);
    void OnIrreversible(uint32_t node, const NodeEvent& ev);
    void OnDropped(uint32_t node, const NodeEvent& ev);
    void OnElection(const NodeEvent& ev);
    void OnActivation(uint32_t node, const NodeEvent& ev);
    void OnVerifiedIncluded(uint32_t node, const NodeEvent& ev);
    void AddTransactions(const BlockEntry& e, uint32_t node, TxEvent event);
    const BlockEntry* Lookup(uint32_t node, const Hash256& hash) const;
    // When `slot` started under the rules in force on node's best chain (issue 18).
    TimeNs SlotStartAt(uint32_t node, uint64_t slot) const;
    uint32_t NodeOf(const PublicKey& key) const;
    double Now() const { return ToSeconds(m_host.Now()); }
    template <typename Record>
    void Add(const Record& r)
    {
        if (m_writer)
        {
            m_writer->Add(r);
        }
    }
    void FillNodes(const Node& ref, RunSummary& s) const;
    void CheckAgreement(const Node& ref, RunSummary& s) const;
    void RecordWeights(const ConsensusChain& chain);
    void InclusionDelays(const ConsensusChain& chain, RunSummary& s) const;

    TraceWriter* m_writer;
    RunSummary& m_summary;
    const RunHost& m_host;
    const RunGenesis& m_genesis;
    std::map<Address, uint32_t> m_nodeOfAccount;
    std::set<Address> m_censored;
    std::map<Hash256, TimeNs> m_submittedAt; // only while some account is censored
    std::unordered_set<Hash256, Hash256Hasher> m_finalBlocks;
    std::unordered_set<Hash256, Hash256Hasher> m_elections;
    std::unordered_set<Hash256, Hash256Hasher> m_activations;
    uint64_t m_libHeightMax = 0;
    TimeNs m_lastFinalityAt = 0; // when an honest node's irreversible height last rose
    ConsensusRecorder m_consensus;
    std::unique_ptr<FeeRecorder> m_fees; // runs with a fee auction only
};

} // namespace canon

#endif
