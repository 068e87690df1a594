#include "model/run/scenario-plan.h"

#include "model/core/rng.h"
#include "model/run/channels-feature.h"
#include "model/run/contracts-feature.h"
#include "model/run/data-feature.h"
#include "model/run/governance-feature.h"

#include <cmath>

namespace canon
{

namespace
{

const DeviceClass&
DrawClass(const std::vector<DeviceClass>& classes, Rng& rng)
{
    double total = 0;
    for (const auto& c : classes)
    {
        total += c.share;
    }
    double x = rng.Uniform() * total;
    for (const auto& c : classes)
    {
        if (x < c.share)
        {
            return c;
        }
        x -= c.share;
    }
    return classes.back();
}

// The bridge node(s) of the paper's Figure 4, on wires or on radio.
bool
IsBridge(const TopologyConfig& t, uint32_t i)
{
    if (t.kind == TopologyKind::kBridge)
    {
        return i >= 2 * t.clusterSize;
    }
    return t.kind == TopologyKind::kMesh && t.mesh.layout == MeshLayout::kBridge &&
           i == 2 * t.mesh.clusterSize;
}

CzrLoopSpec
CzrSpec(const ScenarioConfig& config, uint32_t nodes, const std::vector<bool>& fullNode)
{
    const CzrConfig& c = config.czr;
    CzrLoopSpec s;
    s.epochSlots = c.epochSlots > 0 ? c.epochSlots : config.consensus.producers;
    s.contribution.levelValues = {c.levelValues[0], c.levelValues[1], c.levelValues[2]};
    for (int k = 0; k < 5; ++k)
    {
        s.contribution.weights(k) = c.weights[static_cast<std::size_t>(k)];
    }
    s.contribution.gamma = c.gamma;
    s.contribution.beta = c.beta;
    s.centrality.exact = c.centrality == CentralityMode::kExact && nodes <= c.exactMaxNodes;
    // `exact` above exactMaxNodes samples shortest paths when they are the cheaper kind (sparse,
    // small-diameter graphs), else sources; `paths` and `sampled` always sample their kind.
    s.centrality.sampling = CentralitySampling::kCheaper;
    if (c.centrality != CentralityMode::kExact)
    {
        s.centrality.sampling = c.centrality == CentralityMode::kPaths
                                    ? CentralitySampling::kPaths
                                    : CentralitySampling::kSources;
    }
    s.centrality.epsilon = c.epsilon;
    s.centrality.samplesMax = c.samplesMax;
    s.centrality.delta = c.delta;
    s.centrality.seed = config.seed;
    s.overclaimFactor = c.overclaimFactor;
    s.claimRankMax = ClaimRankMaxFor(c.candidatesPerGroup);
    s.mayClaim = fullNode;
    const std::vector<DeviceProfile> devices = NodeDevices(config, nodes);
    for (uint32_t i = 0; i < nodes; ++i)
    {
        NodeMeasurement nm;
        nm.region = i % c.regions;
        nm.applications = {c.applications[i % c.applications.size()]};
        nm.device = devices[i];
        s.nodes.push_back(nm);
    }
    return s;
}

// The baselines' parameters, and PoW hash power per node (device CPU or equal).
void
SetConsensus(const ScenarioConfig& config, uint32_t nodes, GenesisSpec& g)
{
    const ConsensusConfig& k = config.consensus;
    ConsensusParams& c = g.base.consensus;
    c.protocol = k.protocol;
    c.pow = k.pow;
    c.pos = k.pos;
    c.dpos = k.dpos;
    c.poi = k.poi;
    if (k.protocol != Protocol::kPow)
    {
        return;
    }
    g.nodeHashPower.assign(nodes, 1.0);
    if (k.hashPower == HashPowerMode::kDevice)
    {
        const std::vector<DeviceProfile> devices = NodeDevices(config, nodes);
        for (uint32_t i = 0; i < nodes; ++i)
        {
            g.nodeHashPower[i] = devices[i].cpu;
        }
    }
}

} // namespace

std::vector<DeviceProfile>
NodeDevices(const ScenarioConfig& config, uint32_t nodes)
{
    Rng rng = Rng::Derive(config.seed, "devices");
    const TopologyConfig& t = config.topology;
    std::vector<DeviceProfile> out;
    for (uint32_t i = 0; i < nodes; ++i)
    {
        const DeviceClass& drawn = DrawClass(config.czr.deviceClasses, rng);
        const bool bridge = IsBridge(t, i);
        const DeviceClass& d = bridge ? t.bridgeDevice : drawn;
        const double split = bridge && t.sybil ? 0.5 : 1.0;
        out.push_back({d.cpu * split, d.memory * split, d.storage * split});
    }
    return out;
}

void
PlanFees(const FeesConfig& f, double txPerSecond, double slotSeconds, uint32_t blockTxMax,
         RunPlan& p)
{
    FeeRuleParams& rule = p.genesis.base.fees;
    rule.mechanism = f.mechanism;
    rule.initialBaseFee = f.initialBaseFee;
    rule.targetPermille = static_cast<uint32_t>(std::lround(f.targetFullness * 1000));
    p.feePolicy.active = true;
    p.feePolicy.reserve = f.reserve;
    p.feeReserves = f.reserves;
    p.feePolicy.cut = f.producers == FeeProducerKind::kRevenueCut ? ProducerCut::kRevenueMax
                                                                  : ProducerCut::kHonest;
    p.feePolicy.fakeBids = f.producers == FeeProducerKind::kFakeBids ? f.fakeBids : 0;
    p.feePolicy.fakeBidsAuto = f.producers == FeeProducerKind::kFakeBids && f.fakeBids == 0;
    FeeBidding& b = p.workload.bidding;
    b.active = true;
    b.mechanism = f.mechanism;
    const FeeValuationsConfig& v = f.valuations;
    b.values = {v.distribution, v.min, v.max, v.mu, v.sigma, v.values, v.decayPerSecond};
    b.bidder.strategy = f.bidders.strategy;
    b.bidder.shade = f.bidders.shade;
    b.bidder.tip = f.bidders.tip;
    const uint64_t floor = p.genesis.base.feeMin;
    const bool eip = f.mechanism == FeeMechanism::kEip1559;
    b.bidder.minBid = eip ? floor : std::max(floor, f.reserve);
    b.bidder.minTip = eip ? f.reserve : 0;
    // The equilibrium bidder's rivals: the transactions arriving in one slot, for its places.
    const double perSlot = txPerSecond * slotSeconds;
    b.bidder.others = static_cast<uint32_t>(std::max(0.0, std::round(perSlot) - 1));
    b.bidder.units = blockTxMax;
    b.historyBlocks = f.bidders.historyBlocks;
}

namespace
{

// The contract of the run (issue 16): its gas price, its participants' funds, the feature.
void
PlanContracts(const ScenarioConfig& config, RunPlan& p)
{
    p.genesis.base.contracts.gasPrice = config.contracts.gasPrice;
    p.genesis.funded = ContractsFeature::FundedAddresses(config.contracts, config.seed);
    p.features.push_back(
        std::make_shared<ContractsFeature>(config.contracts, config.seed, p.duration));
}

} // namespace

RunPlan
PlanFromScenario(const ScenarioConfig& config, uint32_t nodes, const std::vector<bool>& fullNode)
{
    RunPlan p;
    p.seed = config.seed;
    p.duration = FromSeconds(config.durationSeconds);
    GenesisSpec& g = p.genesis;
    g.seed = config.seed;
    g.nodes = nodes;
    g.fullNode = fullNode;
    g.producers = config.consensus.producers;
    g.accounts = config.workload.accounts;
    g.offlineProducers = config.consensus.offlineProducers;
    g.czr = config.czr.enabled;
    ChainParams& b = g.base;
    b.slotDuration = FromSeconds(config.consensus.slotSeconds);
    b.blockSizeBytesMax = config.consensus.blockSizeBytesMax;
    b.blockTxMax = config.consensus.blockTxMax;
    b.finalityThresholdOverride = config.consensus.finalityThreshold;
    SetConsensus(config, nodes, g);
    b.election.candidatesPerGroup = config.czr.candidatesPerGroup;
    b.election.stakeWeighted = config.czr.voteWeight == VoteWeight::kStake;
    b.election.driftThreshold = config.czr.driftThreshold;
    b.election.missedSlotsMax = config.czr.missedSlotsMax;
    p.limits.mempoolTxMax = config.node.mempoolTxMax;
    p.limits.gossip = config.gossip.mode;
    p.limits.txAnnounceInterval = config.gossip.txAnnounceInterval;
    const DefenceSettings& d = config.defences;
    p.limits.guard.scores = d.scores;
    p.limits.guard.banScore = d.banScore;
    p.limits.guard.banDuration = FromSeconds(d.banSeconds);
    p.limits.guard.decayPerSecond = d.decayPerSecond;
    p.limits.guard.messagesPerSecond = d.messagesPerSecond;
    p.limits.guard.signaturesPerSecond = d.signaturesPerSecond;
    p.limits.guard.burstSeconds = d.burstSeconds;
    WorkloadSpec& w = p.workload;
    w.seed = config.seed;
    w.txPerSecond = config.workload.txPerSecond;
    w.fee = config.workload.fee;
    w.voting = config.czr.enabled;
    w.voterShare = config.czr.voters.share;
    w.voteTop = config.czr.voters.behaviour == VoterBehaviour::kTop;
    w.approvals = config.consensus.producers;
    if (config.czr.enabled)
    {
        p.czr = CzrSpec(config, nodes, fullNode);
    }
    p.faults = config.faults;
    p.adversaries = config.adversaries;
    if (config.fees.active)
    {
        PlanFees(config.fees, config.workload.txPerSecond, config.consensus.slotSeconds,
                 config.consensus.blockTxMax, p);
    }
    if (config.contracts.active)
    {
        PlanContracts(config, p);
    }
    if (config.data.active)
    {
        const auto owners = DataFeature::FundedAddresses(config.data, config.seed);
        p.genesis.funded.insert(p.genesis.funded.end(), owners.begin(), owners.end());
        if (!config.data.ownInstance)
        {
            p.features.push_back(
                std::make_shared<DataFeature>(config.data, FromSeconds(config.durationSeconds)));
        }
    }
    if (config.channels.active)
    {
        const bool cars = config.topology.kind == TopologyKind::kVehicular;
        p.features.push_back(std::make_shared<ChannelsFeature>(
            config.channels, cars ? config.topology.vehicular.vehicles : nodes));
    }
    if (!config.governance.proposals.empty() || !config.governance.freezes.empty())
    {
        b.governance = GovernanceFeature::Durations(config.governance); // issue 18
        p.features.push_back(std::make_shared<GovernanceFeature>(config.governance));
    }
    return p;
}

} // namespace canon
