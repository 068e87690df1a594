// CzrLoop: the CZR measurement engine in the loop (PROTOCOL.md 2.1, 2.2), one copy for both
// engines. Every epoch (epochSlots slots) it reads, per node, the message bytes the node
// originated and relayed (RunHost::Traffic) and the epoch's graph (RunHost::TakeEpochGraph:
// links that carried traffic, or a radio network's neighbour state); scores the epoch with the
// engine (model/czr/czr-epoch.h); has every live node that may and could become a candidate
// submit its signed contribution claim (what it measured of itself, times its claim scale: 1
// for honest nodes, more for an over-claiming adversary), at most claimRankMax per (region,
// application) group by the claim rule (model/czr/claim-rule.h), so an epoch costs a bounded
// number of claims at any node count; and two slots later publishes the report (cut to the
// accounts the chain reads, model/czr/report-cut.h), signed with the engine's key, through the
// reference node (run-summary.h). Gamma and beta (and the resource weights) are the scenario's
// until CZC governance adopts others: each epoch scores with the values the reference node's
// best chain holds when it ends (model/governance/in-force.h).
// Elections then run inside consensus (ConsensusChain) on what the chain holds; votes come from
// the workload's voter wallets (workload.h).
//
// Owned by the run driver. Single-threaded except inside the centrality computation.
#ifndef CANONSIM_RUN_CZR_LOOP_H
#define CANONSIM_RUN_CZR_LOOP_H

#include "model/czr/claim-rule.h"
#include "model/czr/czr-epoch.h"
#include "model/run/genesis.h"
#include "model/run/nonce-book.h"
#include "model/run/run-host.h"

#include <functional>

namespace canon
{

struct CzrLoopSpec
{
    uint32_t epochSlots = 21;
    ContributionParams contribution;
    CentralitySettings centrality;
    // Per node: who it is to CZR (region, applications, device); accounts are filled in from
    // the node keys.
    std::vector<NodeMeasurement> nodes;
    double overclaimFactor = 1.0; // every honest node's claim scale (scenario czr.overclaim_factor)
    // The claim rule's bound (model/czr/claim-rule.h): a node ranked at or beyond this place
    // within its (region, application) group, by the last report on chain or by this epoch's
    // claims, does not claim: it could not be a candidate, and a claim costs every node a
    // transaction. At most claimRankMax claims per group an epoch. 0: everyone claims. This is
    // the genesis candidate rule's bound; ClaimRankMaxInForce follows an adopted rule.
    uint32_t claimRankMax = 0;
    std::vector<bool> mayClaim; // per node (light participants may not); empty: all may
};

// The on-chain measures CZR keeps beside the scores (PROTOCOL.md 2.1, paper 1.2.3), read from
// the reference node's best chain over the epoch's slots.
struct ChainMeasures
{
    uint32_t slots = 0;
    uint32_t blocks = 0;
    double meanBlockBytes = 0;
    double meanIntervalSeconds = 0;
    std::vector<uint32_t> blocksByNode; // producer participation
};

// What the recorder keeps of an epoch.
struct CzrEpochReport
{
    ChainMeasures chain;
    EpochMeasurement measurement;
    EpochScores scores;
    std::vector<double> claimed; // per node, 0 where no claim was submitted
    double wallSeconds = 0;      // the engine's own cost this epoch
};

// The contribution parameters an epoch scores with: the scenario's, with weights, gamma and beta as
// CZC governance adopted them in `book` (model/governance/in-force.h; null: the scenario's).
ContributionParams ContributionInForce(const ContributionParams& scenario,
                                       const GovernanceBook* book);

// The claim rule's bound in force: `genesisRankMax` (0: no bound) until governance adopts a
// candidate rule on the chain whose state holds `book`, then the adopted rule's bound.
uint32_t ClaimRankMaxInForce(uint32_t genesisRankMax, const ChainParams& params,
                             const GovernanceBook* book);

class CzrLoop
{
  public:
    // `nodeNonces`: the run's counters of the node keys' nonces, shared with every other
    // submitter that signs with them (nonce-book.h).
    CzrLoop(CzrLoopSpec spec, RunHost& host, const RunGenesis& genesis, NonceBook& nodeNonces,
            std::function<void(const CzrEpochReport&)> onEpoch);

    void Start();
    // Called with every claim and report the loop hands a node (the summary counts them).
    void OnSubmitted(std::function<void(const Transaction&)> fn) { m_onSubmitted = std::move(fn); }
    // Wall-clock seconds spent scoring over the run.
    double EngineWallSeconds() const { return m_engineSeconds; }

  private:
    void EndEpoch();
    void Measure(EpochMeasurement& m);
    void Claim(const EpochMeasurement& m, CzrEpochReport& rec);
    // What node i would claim this epoch (its own measurement times its claim scale).
    ClaimEntry ClaimAt(uint32_t i, const EpochMeasurement& m, const EpochScores& scores) const;
    void SubmitClaim(uint32_t i, const ClaimEntry& e, CzrEpochReport& rec);
    void PublishReport(const CzrReportPayload& report);
    void Submit(uint32_t node, const Transaction& tx);
    // Per node: whether the last report on the best chain leaves it a chance of candidacy.
    std::vector<bool> ClaimWorthwhile() const;
    ChainMeasures MeasureChain(uint64_t firstSlot, uint64_t endSlot) const;
    // Parameters passed in from CZC governance (model/governance/in-force.h), as the reference
    // node's best chain holds them at the end of each epoch: gamma and beta for the scoring,
    // and the fee floor the claims and reports bid.
    const GovernanceBook* GovernanceSeen() const;
    uint32_t ClaimRankMax() const;
    uint32_t ReportRankMax() const;
    uint64_t FeeInForce() const;

    CzrLoopSpec m_spec;
    RunHost& m_host;
    const RunGenesis& m_genesis;
    NonceBook& m_nodeNonces;
    std::function<void(const CzrEpochReport&)> m_onEpoch;
    std::function<void(const Transaction&)> m_onSubmitted;
    TimeNs m_epochLength = 0;
    uint64_t m_epoch = 0;
    uint64_t m_epochStartSlot = 1;
    std::vector<NodeTraffic> m_last;
    uint64_t m_oracleNonce = 0;
    double m_engineSeconds = 0;
};

} // namespace canon

#endif
