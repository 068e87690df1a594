// CzrProbe: the CZR measurement engine's eyes in an ns-3 run (PROTOCOL.md 2.1).
//
// Every epoch (epochSlots slots) it reads, per node, the message bytes the node originated and
// relayed (CanonNodeApplication counters) and, per link, whether any frame crossed it (the
// point-to-point devices' PhyTxEnd traces; on radio, the graph `linkSource` reads); it scores the
// epoch with the CZR engine (model/czr/czr-epoch.h), has every live node that could become a
// candidate submit its signed contribution claim (what it measured of itself, times its over-claim
// factor: 1 for honest nodes), and two slots later publishes the CZR report, signed with the
// engine's key, through the live node with the best chain. Elections then run inside consensus
// (PopChain) on what the chain holds.
//
// Owned by the runner; lives until the simulator is destroyed. Single-threaded except inside
// the centrality computation, which may use several threads while the simulation waits.
#ifndef CANONSIM_NS3_CZR_PROBE_H
#define CANONSIM_NS3_CZR_PROBE_H

#include "model/czr/czr-epoch.h"
#include "model/ns3/canon-node-application.h"

#include "ns3/net-device.h"
#include "ns3/nstime.h"

#include <functional>
#include <map>
#include <vector>

namespace canon
{

struct CzrProbeConfig
{
    uint32_t epochSlots = 21;
    ContributionParams contribution;
    CentralitySettings centrality;
    KeyPair oracle = KeyPair::FromSeed(Hash256{});
    // Per node: who it is to CZR (account, region, applications, device) and how it claims.
    std::vector<NodeMeasurement> nodes;
    std::vector<KeyPair> nodeKeys;
    std::vector<double> overclaimFactor;
    // A node ranked at or below this place within its (region, application) group by the last
    // report on chain does not claim: it could not be a candidate, and claims cost every node
    // a transaction. 0: everyone claims.
    uint32_t claimRankMax = 0;
    // The links: their end nodes and the device at each end.
    std::vector<std::pair<uint32_t, uint32_t>> links;
    std::vector<std::pair<ns3::Ptr<ns3::NetDevice>, ns3::Ptr<ns3::NetDevice>>> linkDevices;
    // Radio topologies: when set, the epoch's graph is what this returns (edges a < b, the
    // network's own neighbour state, radio-topology.h) instead of the links that carried
    // frames; edges of dead nodes are left out.
    std::function<std::vector<std::pair<uint32_t, uint32_t>>()> linkSource;
    // Per node: whether it may claim (light participants do not). Empty: every node may.
    std::vector<bool> mayClaim;
};

// The on-chain measures CZR keeps beside the scores (PROTOCOL.md 2.1, paper 1.2.3), read from
// the best chain of the live node with the highest block, over the epoch's slots.
struct ChainMeasures
{
    uint32_t slots = 0;
    uint32_t blocks = 0;
    double meanBlockBytes = 0;
    double meanIntervalSeconds = 0;
    std::vector<uint32_t> blocksByNode; // producer participation
};

// What the runner records of an epoch.
struct CzrEpochReport
{
    ChainMeasures chain;
    EpochMeasurement measurement;
    EpochScores scores;
    std::vector<double> claimed; // per node, 0 where no claim was submitted
    double wallSeconds = 0;      // the engine's own cost this epoch
};

class CzrProbe
{
  public:
    CzrProbe(CzrProbeConfig config, std::vector<ns3::Ptr<CanonNodeApplication>> apps,
             std::shared_ptr<const ChainParams> params,
             std::function<void(const CzrEpochReport&)> onEpoch);

    void Start();
    // Wall-clock seconds spent in the engine (scoring) over the run.
    double EngineWallSeconds() const { return m_engineSeconds; }

  private:
    void EndEpoch();
    void PublishReport(CzrReportPayload report);
    ns3::Ptr<CanonNodeApplication> BestLiveApp() const;
    // Per node: whether the last report on the best chain leaves it a chance of candidacy.
    std::vector<bool> ClaimWorthwhile() const;
    ChainMeasures MeasureChain(uint64_t firstSlot, uint64_t endSlot) const;

    CzrProbeConfig m_config;
    std::vector<ns3::Ptr<CanonNodeApplication>> m_apps;
    std::shared_ptr<const ChainParams> m_params;
    std::function<void(const CzrEpochReport&)> m_onEpoch;
    ns3::Time m_epochLength;
    uint64_t m_epoch = 0;
    uint64_t m_epochStartSlot = 1;
    std::map<PublicKey, uint32_t> m_nodeOfKey;
    std::vector<uint64_t> m_lastOriginated, m_lastRelayed;
    std::vector<uint64_t> m_linkBytes; // this epoch, both directions
    std::vector<uint64_t> m_claimNonce;
    uint64_t m_oracleNonce = 0;
    double m_engineSeconds = 0;
};

} // namespace canon

#endif
