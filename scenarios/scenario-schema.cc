// The scenario file's schema (scenario-schema.h): one function per section, each a table of
// {key, reader of its member}, in the order model/run/scenario-config.h documents them.
#include "scenarios/scenario-schema.h"

namespace canon
{
namespace
{

// The names a scenario file writes for a config enum (ConfigNames, model/run/scenario-config.h).
template <typename E>
Choices<E>
Named()
{
    Choices<E> choices;
    for (const char* name : ConfigNames<E>::kNames)
    {
        choices.emplace_back(name, *ParseName<E>(name));
    }
    return choices;
}

// The application types of the paper's Table 2 (model/czr/application-type.h).
Choices<ApplicationType>
ApplicationTypes()
{
    Choices<ApplicationType> choices;
    for (ApplicationType t :
         {ApplicationType::kVehicularNetwork, ApplicationType::kMeshNetwork, ApplicationType::kCdn,
          ApplicationType::kDatabaseQuery, ApplicationType::kScientificComputation})
    {
        choices.emplace_back(ApplicationTypeName(t), t);
    }
    return choices;
}

// The adversary kinds of model/node/adversary.h.
Choices<AdversaryKind>
AdversaryKinds()
{
    Choices<AdversaryKind> choices;
    for (AdversaryKind k :
         {AdversaryKind::kEquivocator, AdversaryKind::kWithholder, AdversaryKind::kInvalidBlocks,
          AdversaryKind::kCensor, AdversaryKind::kOverClaimer, AdversaryKind::kSelfishMiner,
          AdversaryKind::kTxSpam, AdversaryKind::kFlood, AdversaryKind::kEclipse,
          AdversaryKind::kJammer, AdversaryKind::kSlowPeer})
    {
        choices.emplace_back(AdversaryKindName(k), k);
    }
    return choices;
}

// The network attackers' variants (model/node/network-attack.h).
Choices<AttackVariant>
AttackVariants()
{
    Choices<AttackVariant> choices;
    for (auto v = static_cast<uint8_t>(AttackVariant::kValid);
         v <= static_cast<uint8_t>(AttackVariant::kPrivateBranch); ++v)
    {
        choices.emplace_back(AttackVariantName(static_cast<AttackVariant>(v)),
                             static_cast<AttackVariant>(v));
    }
    return choices;
}

std::vector<Field>
AccessClassFields(YamlReader& r, AccessClass& a)
{
    return {{"share", r.Number(a.share)}, {"bandwidth_mbps", r.Number(a.bandwidthMbps)}};
}

std::vector<Field>
DeviceClassFields(YamlReader& r, DeviceClass& d)
{
    return {{"share", r.Number(d.share)},
            {"cpu", r.Number(d.cpu)},
            {"memory", r.Number(d.memory)},
            {"storage", r.Number(d.storage)}};
}

// The bridge node's capacity multipliers; its share is not drawn, so not a key.
std::vector<Field>
BridgeDeviceFields(YamlReader& r, DeviceClass& d)
{
    return {
        {"cpu", r.Number(d.cpu)}, {"memory", r.Number(d.memory)}, {"storage", r.Number(d.storage)}};
}

std::vector<Field>
RadioFields(YamlReader& r, RadioConfig& c)
{
    return {{"range_m", r.Number(c.rangeM)}, {"peers", r.Integer(c.peers)}};
}

std::vector<Field>
MeshFields(YamlReader& r, MeshConfig& m)
{
    return {{"layout", r.Choice(m.layout, Named<MeshLayout>())},
            {"nodes", r.Integer(m.nodes)},
            {"spacing_m", r.Number(m.spacingM)},
            {"area_m", r.Number(m.areaM)},
            {"clusters", r.Integer(m.clusters)},
            {"cluster_radius_m", r.Number(m.clusterRadiusM)},
            {"speed_m_s", r.Number(m.speedMps)},
            {"cluster_size", r.Integer(m.clusterSize)},
            // "1 elements": the wording this error has always had (tests assert it).
            {"bridge_away_s", r.Numbers({&m.bridgeAwayS, &m.bridgeBackS},
                                        "two numbers [away, back]", "1 elements")}};
}

std::vector<Field>
SpeedFields(YamlReader& r, SpeedConfig& s)
{
    return {{"mean", r.Number(s.mean)},
            {"stddev", r.Number(s.stddev)},
            {"min", r.Number(s.min)},
            {"max", r.Number(s.max)}};
}

std::vector<Field>
VehicularFields(YamlReader& r, VehicularConfig& v)
{
    return {{"vehicles", r.Integer(v.vehicles)},
            {"rsus", r.Integer(v.rsus)},
            {"lanes", r.Integer(v.lanes)},
            {"length_m", r.Number(v.lengthM)},
            {"speed_m_s", r.Section(v.speed, SpeedFields)},
            {"full_node_share", r.Number(v.fullNodeShare)},
            {"mobility", r.Choice(v.mobility, Named<VehicularMobility>())},
            {"trace_file", r.String(v.traceFile)},
            {"peering", r.Choice(v.peering, Named<VehicularPeering>())},
            {"roadside_peers", r.Integer(v.roadsidePeers)}};
}

std::vector<Field>
TopologyFields(YamlReader& r, TopologyConfig& t)
{
    return {{"kind", r.Choice(t.kind, Named<TopologyKind>())},
            {"cluster_size", r.Integer(t.clusterSize)},
            {"bridge_links", r.Integer(t.bridgeLinks)},
            {"sybil", r.Bool(t.sybil)},
            {"bridge_device", r.Section(t.bridgeDevice, BridgeDeviceFields)},
            {"nodes", r.Integer(t.nodes)},
            {"average_degree", r.Number(t.averageDegree)},
            {"file", r.String(t.file)},
            {"format", r.Choice(t.format, Named<TopologyFormat>())},
            {"link_latency_ms", r.Numbers({&t.linkLatencyMinMs, &t.linkLatencyMaxMs},
                                          "two numbers [min, max]", "1 elements")},
            {"link_bandwidth_mbps", r.Number(t.linkBandwidthMbps)},
            {"access", r.MappingList(t.access, AccessClassFields)},
            {"radio", r.Section(t.radio, RadioFields)},
            {"mesh", r.Section(t.mesh, MeshFields)},
            {"vehicular", r.Section(t.vehicular, VehicularFields)}};
}

std::vector<Field>
PowFields(YamlReader& r, PowParams& p)
{
    return {{"mean_interval_s", r.Time(p.meanInterval, kSecond)},
            {"confirmations", r.Integer(p.confirmations)},
            {"retarget_blocks", r.Integer(p.retargetBlocks)},
            {"gamma", r.Number(p.gamma)}};
}

std::vector<Field>
PosFields(YamlReader& r, PosParams& p)
{
    return {{"active_slot_coefficient", r.Number(p.activeSlotCoefficient)},
            {"confirmations", r.Integer(p.confirmations)},
            {"epoch_slots", r.Integer(p.epochSlots)}};
}

std::vector<Field>
DposFields(YamlReader& r, DposParams& p)
{
    return {{"producers", r.Integer(p.producers)},
            {"repetitions", r.Integer(p.repetitions)},
            {"votes_max", r.Integer(p.votesMax)},
            {"single_stage_lib", r.Bool(p.singleStageLib)}};
}

std::vector<Field>
PoiFields(YamlReader& r, PoiParams& p)
{
    return {{"target_interval_s", r.Time(p.targetInterval, kSecond)},
            {"recompute_blocks", r.Integer(p.recomputeBlocks)},
            {"vested_min_czr", r.Integer(p.vestedMin)},
            {"finality_depth", r.Integer(p.finalityDepth)}};
}

std::vector<Field>
ConsensusFields(YamlReader& r, ConsensusConfig& k)
{
    return {{"protocol", r.Choice(k.protocol, Named<Protocol>())},
            {"producers", r.Integer(k.producers)},
            {"slot_s", r.Number(k.slotSeconds)},
            {"block_size_bytes_max", r.Integer(k.blockSizeBytesMax)},
            {"block_tx_max", r.Integer(k.blockTxMax)},
            {"finality_threshold", r.Integer(k.finalityThreshold)},
            {"offline_producers", r.IntegerList(k.offlineProducers)},
            {"hash_power", r.Choice(k.hashPower, Named<HashPowerMode>())},
            {"pow", r.Section(k.pow, PowFields)},
            {"pos", r.Section(k.pos, PosFields)},
            {"dpos", r.Section(k.dpos, DposFields)},
            {"poi", r.Section(k.poi, PoiFields)}};
}

std::vector<Field>
FeeFields(YamlReader& r, FeeConfig& f)
{
    return {{"distribution", r.Choice(f.distribution, Named<FeeDistribution>())},
            {"min", r.Number(f.min)},
            {"max", r.Number(f.max)},
            {"mean", r.Number(f.mean)},
            {"value", r.Number(f.value)}};
}

std::vector<Field>
WorkloadFields(YamlReader& r, WorkloadConfig& w)
{
    return {{"tx_per_s", r.Number(w.txPerSecond)},
            {"accounts", r.Integer(w.accounts)},
            {"fee", r.Section(w.fee, FeeFields)}};
}

std::vector<Field>
FeeValuationFields(YamlReader& r, FeeValuationsConfig& v)
{
    return {{"distribution", r.Choice(v.distribution, Named<ValuationKind>())},
            {"min", r.Number(v.min)},
            {"max", r.Number(v.max)},
            {"mu", r.Number(v.mu)},
            {"sigma", r.Number(v.sigma)},
            {"file", r.String(v.file)},
            {"decay_per_s", r.Number(v.decayPerSecond)}};
}

std::vector<Field>
FeeBidderFields(YamlReader& r, FeeBiddersConfig& b)
{
    return {{"strategy", r.Choice(b.strategy, Named<BidStrategy>())},
            {"shade", r.Number(b.shade)},
            {"tip", r.Integer(b.tip)},
            {"history_blocks", r.Integer(b.historyBlocks)}};
}

std::vector<Field>
FeesFields(YamlReader& r, FeesConfig& f)
{
    return {{"mechanism", r.Choice(f.mechanism, Named<FeeMechanism>())},
            {"reserve", r.Integer(f.reserve)},
            {"reserves", r.IntegerList(f.reserves)},
            {"producers", r.Choice(f.producers, Named<FeeProducerKind>())},
            {"fake_bids", r.Integer(f.fakeBids)},
            {"initial_base_fee", r.Integer(f.initialBaseFee)},
            {"target_fullness", r.Number(f.targetFullness)},
            {"valuations", r.Section(f.valuations, FeeValuationFields)},
            {"bidders", r.Section(f.bidders, FeeBidderFields)}};
}

// The `fees:` section; its presence turns the fee auction on.
FieldReader
FeesSection(YamlReader& r, FeesConfig& f)
{
    FieldReader inner = r.Section(f, FeesFields);
    return [inner, &f](const YAML::Node& v, const std::string& key, int line)
    {
        auto status = inner(v, key, line);
        f.active = status.IsOk();
        return status;
    };
}

// A list of text values (contract arguments): every scalar as written.
FieldReader
Texts(YamlReader& r, std::vector<std::string>& out)
{
    return r.List<std::string>(out, [&r](std::string& s) { return r.String(s); });
}

std::vector<Field>
ContractDeviceFields(YamlReader& r, ContractDeviceConfig& d)
{
    return {{"node", r.Integer(d.node), kRequired},
            {"home", r.Integer(d.home)},
            {"param", r.Integer(d.param)}};
}

std::vector<Field>
ContractCallbackFields(YamlReader& r, ContractCallbackConfig& c)
{
    return {{"key", r.String(c.key), kRequired},
            {"op", r.Choice(c.op, Named<ContractPredicateOp>())},
            {"value", r.String(c.value)}};
}

std::vector<Field>
ContractCallFields(YamlReader& r, ContractCallConfig& c)
{
    return {{"method", r.String(c.method)},
            {"args", Texts(r, c.args)},
            {"value", r.Integer(c.value)},
            {"at_s", r.Number(c.atS)},
            {"every_s", r.Number(c.everyS)}};
}

// An owner's call names its method.
std::vector<Field>
OwnerCallFields(YamlReader& r, ContractCallConfig& c)
{
    std::vector<Field> fields = ContractCallFields(r, c);
    fields.front().required = kRequired;
    return fields;
}

std::vector<Field>
ContractEventFields(YamlReader& r, ContractEventsConfig& e)
{
    return {{"types", Texts(r, e.types)},
            {"data", Texts(r, e.data)},
            {"rate_per_s", r.Number(e.ratePerS)},
            {"start_s", r.Number(e.startS)},
            {"count", r.Integer(e.count)},
            {"on_callback", r.Choice(e.onCallback, Named<ContractReaction>())}};
}

std::vector<Field>
ContractsFields(YamlReader& r, ContractsConfig& c)
{
    return {{"file", r.String(c.file), kRequired},
            {"init", Texts(r, c.init)},
            {"value", r.Integer(c.value)},
            {"owner_node", r.Integer(c.ownerNode)},
            {"deploy_at_s", r.Number(c.deployAtS)},
            {"gas_price", r.Integer(c.gasPrice)},
            {"gas_limit", r.Integer(c.gasLimit)},
            {"bid", r.Integer(c.bid)},
            {"devices", r.MappingList(c.devices, ContractDeviceFields)},
            {"callbacks", r.MappingList(c.callbacks, ContractCallbackFields)},
            {"join", r.Section(c.join, ContractCallFields)},
            {"events", r.Section(c.events, ContractEventFields)},
            {"calls", r.MappingList(c.calls, OwnerCallFields)}};
}

// The `contracts:` section; its presence puts the contract in the run.
FieldReader
ContractsSection(YamlReader& r, ContractsConfig& c)
{
    FieldReader inner = r.Section(c, ContractsFields);
    return [inner, &c](const YAML::Node& v, const std::string& key, int line)
    {
        auto status = inner(v, key, line);
        c.active = status.IsOk();
        return status;
    };
}

std::vector<Field>
DataStorageFields(YamlReader& r, DataStorageConfig& d)
{
    return {{"files", r.Integer(d.files)},
            {"file_bytes", r.Integer(d.fileBytes)},
            {"chunking", r.Choice(d.chunking, Named<ChunkingMode>())},
            {"chunk_bytes", r.Integer(d.chunkBytes)},
            {"k", r.Integer(d.k)},
            {"alpha", r.Integer(d.alpha)},
            {"put_at_s", r.Number(d.putAtSeconds)},
            {"getters", r.Integer(d.getters)},
            {"get_interval_s", r.Number(d.getIntervalSeconds)},
            {"names", r.Bool(d.names)},
            {"direct_contacts", r.Integer(d.directContacts)}};
}

std::vector<Field>
DataKvFields(YamlReader& r, DataKvConfig& d)
{
    return {{"stores", r.Integer(d.stores)},
            {"batch_ops", r.Integer(d.batchOps)},
            {"batch_interval_s", r.Number(d.batchIntervalSeconds)},
            {"start_at_s", r.Number(d.startAtSeconds)},
            {"stop_at_s", r.Number(d.stopAtSeconds)}};
}

std::vector<Field>
DataFields(YamlReader& r, DataConfig& d)
{
    return {{"devices", r.Integer(d.devices)},
            {"grantees", r.Integer(d.grantees)},
            {"revoked", r.Integer(d.revoked)},
            {"outsiders", r.Integer(d.outsiders)},
            {"rule", r.Choice(d.rule, Named<GrantRule>())},
            {"rotate", r.Bool(d.rotate)},
            {"bad_request_share", r.Number(d.badRequestShare)},
            {"request_interval_s", r.Number(d.requestIntervalSeconds)},
            {"register_at_s", r.Number(d.registerAtSeconds)},
            {"grant_at_s", r.Number(d.grantAtSeconds)},
            {"revoke_at_s", r.Number(d.revokeAtSeconds)},
            {"stream_bytes", r.Integer(d.streamBytes)},
            {"storage", r.Section(d.storage, DataStorageFields)},
            {"kv", r.Section(d.kv, DataKvFields)}};
}

// The `data:` section; its presence turns issue 17's feature on.
FieldReader
DataSection(YamlReader& r, DataConfig& d)
{
    FieldReader inner = r.Section(d, DataFields);
    return [inner, &d](const YAML::Node& v, const std::string& key, int line)
    {
        auto status = inner(v, key, line);
        d.active = status.IsOk();
        return status;
    };
}

std::vector<Field>
VoterFields(YamlReader& r, VoterConfig& v)
{
    return {{"share", r.Number(v.share)},
            {"behaviour", r.Choice(v.behaviour, Named<VoterBehaviour>())}};
}

// A list of exactly `count` numbers (the weights, the level values); `out` changes only if all
// are good.
FieldReader
FixedNumbers(YamlReader& r, std::vector<double>& out, size_t count, const std::string& shape)
{
    return [&r, &out, count, shape](const YAML::Node& v, const std::string& key, int line)
    {
        std::vector<double> values(count);
        std::vector<double*> targets;
        for (double& value : values)
        {
            targets.push_back(&value);
        }
        auto status = r.Numbers(targets, shape)(v, key, line);
        if (status.IsOk())
        {
            out = std::move(values);
        }
        return status;
    };
}

std::vector<Field>
CzrFields(YamlReader& r, CzrConfig& z)
{
    return {{"enabled", r.Bool(z.enabled)},
            {"epoch_slots", r.Integer(z.epochSlots)},
            {"gamma", r.Number(z.gamma)},
            {"beta", r.Number(z.beta)},
            {"weights", FixedNumbers(r, z.weights, CzrConfig::kWeightCount,
                                     "five numbers [w_C, w_M, w_B, w_D, w_I]")},
            {"level_values", FixedNumbers(r, z.levelValues, CzrConfig::kLevelValueCount,
                                          "three numbers [low, middle, high]")},
            {"applications", r.ChoiceList(z.applications, ApplicationTypes())},
            {"regions", r.Integer(z.regions)},
            {"centrality", r.Choice(z.centrality, Named<CentralityMode>())},
            {"exact_max_nodes", r.Integer(z.exactMaxNodes)},
            {"samples_max", r.Integer(z.samplesMax)},
            {"epsilon", r.Number(z.epsilon)},
            {"delta", r.Number(z.delta)},
            {"candidates_per_group", r.Integer(z.candidatesPerGroup)},
            {"drift_threshold", r.Number(z.driftThreshold)},
            {"missed_slots_max", r.Integer(z.missedSlotsMax)},
            {"vote_weight", r.Choice(z.voteWeight, Named<VoteWeight>())},
            {"voters", r.Section(z.voters, VoterFields)},
            {"device_classes", r.MappingList(z.deviceClasses, DeviceClassFields)},
            {"overclaim_factor", r.Number(z.overclaimFactor)}};
}

std::vector<Field>
CrashFields(YamlReader& r, CrashFault& c)
{
    return {{"node", r.Integer(c.node)},
            {"at_s", r.Time(c.at, kSecond)},
            {"restart_s", r.Time(c.restartAt, kSecond)}};
}

std::vector<Field>
LinkFaultFields(YamlReader& r, LinkFault& l)
{
    return {{"a", r.Integer(l.a)},
            {"b", r.Integer(l.b)},
            {"at_s", r.Time(l.start, kSecond)},
            {"until_s", r.Time(l.end, kSecond)}};
}

std::vector<Field>
PartitionFields(YamlReader& r, PartitionFault& p)
{
    return {{"nodes", r.IntegerList(p.nodes)},
            {"at_s", r.Time(p.start, kSecond)},
            {"until_s", r.Time(p.end, kSecond)}};
}

std::vector<Field>
BurstFields(YamlReader& r, BurstFault& b)
{
    return {{"at_s", r.Time(b.start, kSecond)},
            {"until_s", r.Time(b.end, kSecond)},
            {"loss", r.Number(b.loss)},
            {"delay_ms", r.Time(b.extraDelay, kMillisecond)}};
}

std::vector<Field>
FaultsFields(YamlReader& r, FaultPlan& f)
{
    return {{"crashes", r.MappingList(f.crashes, CrashFields)},
            {"links", r.MappingList(f.links, LinkFaultFields)},
            {"partitions", r.MappingList(f.partitions, PartitionFields)},
            {"bursts", r.MappingList(f.bursts, BurstFields)}};
}

std::vector<Field>
AdversaryFields(YamlReader& r, AdversarySpec& a)
{
    // kind and where it runs must be written: an adversary on a default producer is a mistake.
    // A byzantine producer kind needs `producer`, a network attacker `node`
    // (scenario-checks.cc); each starts unplaced.
    a.producer = kNotPlaced;
    return {{"kind", r.Choice(a.kind, AdversaryKinds()), kRequired},
            {"producer", r.Integer(a.producer)},
            {"node", r.Integer(a.node)},
            {"from_s", r.Time(a.from, kSecond)},
            {"until_s", r.Time(a.until, kSecond)},
            {"censored_accounts", r.IntegerList(a.censoredAccounts)},
            {"overclaim_factor", r.Number(a.overclaimFactor)},
            {"variant", r.Choice(a.variant, AttackVariants())},
            {"rate_per_s", r.Number(a.rate)},
            {"victim", r.Integer(a.victim)},
            {"centre_m", r.Numbers({&a.centreX, &a.centreY}, "two numbers [x, y]")},
            {"radius_m", r.Number(a.radius)},
            {"loss", r.Number(a.loss)},
            {"read_bytes_per_s", r.Number(a.readBytesPerSecond)}};
}

std::vector<Field>
DefenceFields(YamlReader& r, DefenceSettings& d)
{
    return {{"scores", r.Bool(d.scores)},
            {"ban_score", r.Number(d.banScore)},
            {"ban_s", r.Number(d.banSeconds)},
            {"decay_per_s", r.Number(d.decayPerSecond)},
            {"messages_per_s", r.Number(d.messagesPerSecond)},
            {"signatures_per_s", r.Number(d.signaturesPerSecond)},
            {"burst_s", r.Number(d.burstSeconds)},
            {"outbound_peers", r.Integer(d.outboundPeers)},
            {"address_group_size", r.Integer(d.addressGroupSize)},
            {"drain_s", r.Number(d.drainSeconds)},
            {"drain_bytes_per_s", r.Number(d.drainBytesPerSecond)},
            {"replace_banned", r.Bool(d.replaceBanned)},
            {"rotate_s", r.Number(d.rotateSeconds)}};
}

std::vector<Field>
GossipFields(YamlReader& r, GossipSettings& g)
{
    return {{"mode", r.Choice(g.mode, Named<GossipMode>())},
            {"tx_announce_interval_ms", r.Time(g.txAnnounceInterval, kMillisecond)}};
}

std::vector<Field>
NodeFields(YamlReader& r, NodeSettings& n)
{
    return {{"mempool_tx_max", r.Integer(n.mempoolTxMax)},
            {"peer_send_queue_bytes_max", r.Integer(n.peerSendQueueBytesMax)},
            {"tcp_del_ack_count", r.Integer(n.tcpDelAckCount)}};
}

std::vector<Field>
TraceFields(YamlReader& r, TraceSettings& t)
{
    return {{"batch_records", r.Integer(t.batchRecords)}};
}

std::vector<Field>
ChannelsFields(YamlReader& r, ChannelsConfig& h)
{
    return {{"open_at_s", r.Number(h.openAtSeconds)},
            {"channels_per_node", r.Integer(h.channelsPerNode)},
            {"deposit", r.Integer(h.deposit)},
            {"operator_deposit", r.Integer(h.operatorDeposit)},
            {"tx_fee", r.Integer(h.txFee)},
            {"beacon_interval_s", r.Number(h.beaconIntervalSeconds)},
            {"range_m", r.Number(h.rangeM)},
            {"price_per_message", r.Integer(h.pricePerMessage)},
            {"operator_fee_base", r.Integer(h.operatorFeeBase)},
            {"operator_fee_ppm", r.Integer(h.operatorFeePpm)},
            {"challenge_period_s", r.Number(h.challengePeriodSeconds)},
            {"hop_delta_s", r.Number(h.hopDeltaSeconds)},
            {"confirmations", r.Integer(h.confirmations)},
            {"stay_min_s", r.Number(h.stayMinSeconds)},
            {"stay_max_s", r.Number(h.stayMaxSeconds)},
            {"drain_s", r.Number(h.drainSeconds)},
            {"cheater_share", r.Number(h.cheaterShare)},
            {"offline_share", r.Number(h.offlineShare)},
            {"watchtower", r.Bool(h.watchtower)},
            {"batch_max", r.Integer(h.batchMax)},
            {"reestablish_s", r.Number(h.reestablishSeconds)}};
}

// The `channels:` section; its presence turns payment channels on.
FieldReader
ChannelsSection(YamlReader& r, ChannelsConfig& h)
{
    FieldReader inner = r.Section(h, ChannelsFields);
    return [inner, &h](const YAML::Node& v, const std::string& key, int line)
    {
        auto status = inner(v, key, line);
        h.active = status.IsOk();
        return status;
    };
}

std::vector<Field>
GovernanceProposalFields(YamlReader& r, GovernanceProposalConfig& p)
{
    return {{"at_s", r.Time(p.at, kSecond)},
            {"param", r.String(p.param)},
            {"value", r.Number(p.value)}};
}

std::vector<Field>
GovernanceFreezeFields(YamlReader& r, GovernanceFreezeConfig& f)
{
    return {{"at_s", r.Time(f.at, kSecond)},
            {"account", r.Integer(f.account)},
            {"overturn_share", r.Number(f.overturnShare)}};
}

std::vector<Field>
GovernanceFields(YamlReader& r, GovernanceConfig& g)
{
    return {{"hold_s", r.Number(g.holdSeconds)},
            {"test_s", r.Number(g.testSeconds)},
            {"window_s", r.Number(g.windowSeconds)},
            {"proposals", r.MappingList(g.proposals, GovernanceProposalFields)},
            {"approve_share", r.Number(g.approveShare)},
            {"reject_share", r.Number(g.rejectShare)},
            {"vote_spread_s", r.Number(g.voteSpreadSeconds)},
            {"upgrade_s",
             r.Numbers({&g.upgradeMinSeconds, &g.upgradeMaxSeconds}, "two numbers [min, max]")},
            {"never_upgrade_share", r.Number(g.neverUpgradeShare)},
            {"freezes", r.MappingList(g.freezes, GovernanceFreezeFields)}};
}

} // namespace

std::vector<Field>
ScenarioFields(YamlReader& r, ScenarioConfig& c)
{
    return {{"name", r.String(c.name)},
            {"seed", r.Integer(c.seed)},
            {"duration_s", r.Number(c.durationSeconds)},
            {"engine", r.Choice(c.engine, Named<EngineKind>())},
            {"topology", r.Section(c.topology, TopologyFields)},
            {"consensus", r.Section(c.consensus, ConsensusFields)},
            {"workload", r.Section(c.workload, WorkloadFields)},
            {"fees", FeesSection(r, c.fees)},
            {"contracts", ContractsSection(r, c.contracts)},
            {"data", DataSection(r, c.data)},
            {"czr", r.Section(c.czr, CzrFields)},
            {"faults", r.Section(c.faults, FaultsFields)},
            {"adversaries", r.MappingList(c.adversaries, AdversaryFields)},
            {"defences", r.Section(c.defences, DefenceFields)},
            {"gossip", r.Section(c.gossip, GossipFields)},
            {"node", r.Section(c.node, NodeFields)},
            {"trace", r.Section(c.trace, TraceFields)},
            {"channels", ChannelsSection(r, c.channels)},
            {"governance", r.Section(c.governance, GovernanceFields)}};
}

} // namespace canon
