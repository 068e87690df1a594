// RunRecorder: turns the typed events of an ns-3 run (node TraceSources, the workload's
// submissions, the CZR probe's epochs) into HDF5 trace records (model/trace/trace-records.h)
// and the run's summary figures. Chain-wide facts (a block became irreversible somewhere, an
// election was announced, a producer set came into force) are recorded once, when the first
// node sees them.
#ifndef CANONSIM_SCENARIOS_RUN_RECORDER_H
#define CANONSIM_SCENARIOS_RUN_RECORDER_H

#include "model/ns3/canon-node-application.h"
#include "model/ns3/czr-probe.h"
#include "model/run/run-summary.h"
#include "model/trace/trace-writer.h"

#include <map>
#include <unordered_set>
#include <vector>

namespace canon
{

class RunRecorder
{
  public:
    // `nodeOfKey` and `accountIndex` map keys and workload accounts to node and account indices.
    RunRecorder(TraceWriter& writer, RunSummary& summary, const ChainParams& params,
                const std::vector<ns3::Ptr<CanonNodeApplication>>& apps,
                std::map<PublicKey, uint32_t> nodeOfKey, std::map<Address, uint32_t> accountIndex);

    // Connects to every application's trace sources.
    void Connect();
    void OnSubmitted(uint32_t node, uint32_t account, const Transaction& tx);
    void OnCzrEpoch(const CzrEpochReport& epoch);
    // The producer set in force at `height` since `time` (genesis: time 0, height 0).
    void RecordProducerSet(double time, uint64_t height, const std::vector<PublicKey>& set);

  private:
    void OnProduced(uint32_t node, const NodeEvent& ev);
    void OnReceived(uint32_t node, const NodeEvent& ev);
    void OnIrreversible(uint32_t node, const NodeEvent& ev);
    void OnDropped(uint32_t node, const NodeEvent& ev);
    void OnOther(uint32_t node, const NodeEvent& ev);
    void OnElection(const NodeEvent& ev);
    void OnActivation(uint32_t node, const NodeEvent& ev);

    void Observe(uint32_t node, const NodeEvent& ev);
    const BlockEntry* Lookup(uint32_t node, const Hash256& hash) const;
    void AddTransactions(const BlockEntry& e, uint32_t node, TxEvent event);
    uint32_t NodeOf(const PublicKey& key) const;

    TraceWriter& m_writer;
    RunSummary& m_summary;
    const ChainParams& m_params;
    const std::vector<ns3::Ptr<CanonNodeApplication>>& m_apps;
    std::map<PublicKey, uint32_t> m_nodeOfKey;
    std::map<Address, uint32_t> m_nodeOfAccount;
    std::map<Address, uint32_t> m_accountIndex;
    std::unordered_set<Hash256, Hash256Hasher> m_finalBlocks;
    std::unordered_set<Hash256, Hash256Hasher> m_elections;
    std::unordered_set<Hash256, Hash256Hasher> m_activations;
};

} // namespace canon

#endif
