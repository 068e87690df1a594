// The scenario's rules (scenario-checks.h), section by section in file layout order; the
// topology's are in topology-checks.cc.
#include "scenarios/scenario-checks.h"

#include "model/consensus/consensus-engine.h"
#include "model/storage/kv-audit.h"

#include "scenarios/yaml-reader.h"

#include <algorithm>
#include <cstdlib>
#include <set>

namespace canon
{
namespace
{

constexpr double kSlotSecondsMin = 0.05;
constexpr double kSlotSecondsMax = 3600.0;
constexpr uint64_t kBlockSizeBytesMin = 1024;
constexpr uint64_t kPeerSendQueueBytesMin = 64 * 1024;
constexpr double kBurstDelayMaxMs = 60000.0;

// "[1, 2, 3]" for error messages.
std::string
FormatReals(const std::vector<double>& values)
{
    std::string out;
    for (double value : values)
    {
        out += (out.empty() ? "" : ", ") + FormatReal(value);
    }
    return "[" + out + "]";
}

// A time in nanoseconds as the file wrote it, in seconds.
Shown
Seconds(TimeNs t)
{
    return Real(ToSeconds(t));
}

Check
CheckEngine(const ScenarioConfig& c)
{
    if (c.engine == EngineKind::kAbstract && IsRadio(c.topology.kind))
    {
        return Violation{"engine",
                         std::string("abstract does not model radio (topology.kind ") +
                             Name(c.topology.kind) + "); use engine: ns3",
                         "topology.kind"};
    }
    return std::nullopt;
}

Check
CheckProducers(const ScenarioConfig& c)
{
    const uint32_t producers = c.consensus.producers;
    const auto nodes = NodeCountOf(c.topology);
    return FirstOf({nodes ? Between("consensus.producers", Count(producers), Count(1), nodes->bound,
                                    nodes->key)
                          : std::nullopt,
                    AtLeast("consensus.producers", Count(producers), Count(1))});
}

Check
CheckFinalityThreshold(const ConsensusConfig& k)
{
    if (k.finalityThreshold > k.producers)
    {
        return Violation{"consensus.finality_threshold",
                         "must be 0 (automatic) or between 1 and consensus.producers (" +
                             std::to_string(k.producers) + "), got " +
                             std::to_string(k.finalityThreshold),
                         "consensus.producers"};
    }
    return std::nullopt;
}

Check
CheckOfflineProducers(const ConsensusConfig& k)
{
    std::set<uint32_t> seen;
    const Shown producers = NamedCount("consensus.producers", k.producers);
    return CheckEach(
        k.offlineProducers, "consensus.offline_producers",
        [&](uint32_t index, const std::string& item) -> Check
        {
            if (!seen.insert(index).second)
            {
                return Violation{item, "producer " + std::to_string(index) + " is listed twice",
                                 "consensus.offline_producers"};
            }
            return IndexBelow(item, "a producer", index, producers, "consensus.offline_producers");
        });
}

Check
CheckBaselines(const ConsensusConfig& k)
{
    if (!HasConsensusEngine(k.protocol))
    {
        return Violation{"consensus.protocol",
                         std::string("'") + Name(k.protocol) + "' has no engine in this build",
                         "consensus.protocol"};
    }
    return FirstOf(
        {Between("consensus.pow.mean_interval_s", Real(ToSeconds(k.pow.meanInterval)),
                 Real(k.slotSeconds), Real(kSlotSecondsMax * 100), "consensus.slot_s"),
         AtLeast("consensus.pow.confirmations", Count(k.pow.confirmations), Count(1)),
         Between("consensus.pow.gamma", Real(k.pow.gamma), Real(0), Real(1)),
         Between("consensus.pos.active_slot_coefficient", Real(k.pos.activeSlotCoefficient),
                 Real(1e-4), Real(1)),
         AtLeast("consensus.pos.confirmations", Count(k.pos.confirmations), Count(1)),
         AtLeast("consensus.pos.epoch_slots", Count(k.pos.epochSlots), Count(10)),
         Between("consensus.dpos.producers", Count(k.dpos.producers), Count(1), Count(125)),
         Between("consensus.dpos.repetitions", Count(k.dpos.repetitions), Count(1), Count(100)),
         Between("consensus.dpos.votes_max", Count(k.dpos.votesMax), Count(1), Count(100)),
         Between("consensus.poi.target_interval_s", Real(ToSeconds(k.poi.targetInterval)),
                 Real(k.slotSeconds), Real(kSlotSecondsMax * 100), "consensus.slot_s"),
         AtLeast("consensus.poi.recompute_blocks", Count(k.poi.recomputeBlocks), Count(1)),
         AtLeast("consensus.poi.finality_depth", Count(k.poi.finalityDepth), Count(1)),
         Between("consensus.poi.vested_min_czr", Count(k.poi.vestedMin), Count(1),
                 Count(kTotalSupplyCzr))});
}

Check
CheckConsensus(const ScenarioConfig& c)
{
    const ConsensusConfig& k = c.consensus;
    return FirstOf({CheckProducers(c),
                    Between("consensus.slot_s", Real(k.slotSeconds), Real(kSlotSecondsMin),
                            Real(kSlotSecondsMax)),
                    AtLeast("consensus.block_size_bytes_max", Count(k.blockSizeBytesMax),
                            Count(kBlockSizeBytesMin)),
                    AtLeast("consensus.block_tx_max", Count(k.blockTxMax), Count(1)),
                    CheckFinalityThreshold(k), CheckOfflineProducers(k), CheckBaselines(k)});
}

Check
CheckWorkload(const WorkloadConfig& w)
{
    const FeeConfig& f = w.fee;
    return FirstOf({NotNegative("workload.tx_per_s", w.txPerSecond),
                    AtLeast("workload.accounts", Count(w.accounts), Count(2)),
                    NotNegative("workload.fee.min", f.min, "workload.fee"),
                    NotNegative("workload.fee.max", f.max, "workload.fee"),
                    NotNegative("workload.fee.value", f.value, "workload.fee"),
                    AtLeast("workload.fee.max", Real(f.max), NamedReal("workload.fee.min", f.min),
                            "workload.fee"),
                    Positive("workload.fee.mean", f.mean, "workload.fee")});
}

Check
CheckFeeValuations(const FeeValuationsConfig& v)
{
    const std::string s = "fees.valuations";
    Check file = std::nullopt;
    if (v.distribution == ValuationKind::kFile && v.file.empty())
    {
        file = Violation{s + ".file", "distribution 'file' needs a file of valuations", s};
    }
    return FirstOf({NotNegative(s + ".min", v.min, s),
                    AtLeast(s + ".max", Real(v.max), NamedReal(s + ".min", v.min), s),
                    Positive(s + ".sigma", v.sigma, s),
                    NotNegative(s + ".decay_per_s", v.decayPerSecond, s), file});
}

// The fee auction (issue 15): checked only when the scenario has a `fees:` section.
Check
CheckFees(const FeesConfig& f, uint32_t producers)
{
    if (!f.active)
    {
        return std::nullopt;
    }
    if (f.reserves.size() > producers)
    {
        return Violation{"fees.reserves",
                         std::to_string(f.reserves.size()) + " reserves for " +
                             std::to_string(producers) + " producers (consensus.producers)",
                         "consensus.producers"};
    }
    Check fakes = std::nullopt;
    if (f.fakeBids > 0 && f.producers != FeeProducerKind::kFakeBids)
    {
        fakes = Violation{"fees.fake_bids",
                          "needs fees.producers: fake-bids, got '" +
                              std::string(Name(f.producers)) + "'",
                          "fees.producers"};
    }
    return FirstOf({PositiveAtMost("fees.target_fullness", f.targetFullness, Real(1)), fakes,
                    PositiveAtMost("fees.bidders.shade", f.bidders.shade, Real(1)),
                    Between("fees.bidders.history_blocks", Count(f.bidders.historyBlocks), Count(1),
                            Count(1000)),
                    CheckFeeValuations(f.valuations)});
}

// Issue 17's data and storage (model/run/data-feature.h): only with a `data:` section.
Check
CheckDataStorage(const DataStorageConfig& d, const Shown& nodes)
{
    const std::string s = "data.storage";
    return FirstOf(
        {Between(s + ".file_bytes", Count(d.fileBytes), Count(1), Count(16777216), s),
         Between(s + ".chunk_bytes", Count(d.chunkBytes), Count(64), Count(65536), s),
         Between(s + ".k", Count(d.k), Count(1), Count(64), s),
         Between(s + ".alpha", Count(d.alpha), Count(1), NamedCount(s + ".k", d.k), s),
         NotNegative(s + ".put_at_s", d.putAtSeconds, s),
         AtLeastBelow(s + ".getters", Count(d.getters), Count(0), nodes, s),
         Positive(s + ".get_interval_s", d.getIntervalSeconds, s),
         AtLeastBelow(s + ".direct_contacts", Count(d.directContacts), Count(0), nodes, s)});
}

// Direct connections (RunHost::Connect) need an engine that can open one: the abstract network,
// or ns-3 on a radio topology (every node one address).
Check
CheckDirectContacts(const ScenarioConfig& c)
{
    if (c.data.storage.directContacts == 0 || c.engine != EngineKind::kNs3 ||
        IsRadio(c.topology.kind))
    {
        return std::nullopt;
    }
    return Violation{"data.storage.direct_contacts",
                     std::string("needs a radio topology on the ns-3 engine (topology.kind '") +
                         Name(c.topology.kind) + "' is wired), or engine: abstract",
                     "data.storage"};
}

// The audited stores (data.kv): at most one per device, batches within the kv store's bound,
// and the writing window inside the run.
Check
CheckDataKv(const DataKvConfig& d, uint32_t devices, double duration)
{
    const std::string s = "data.kv";
    if (d.stores == 0)
    {
        return Between(s + ".stores", Count(d.stores), Count(0),
                       NamedCount("data.devices", devices), s);
    }
    return FirstOf(
        {Between(s + ".stores", Count(d.stores), Count(0), NamedCount("data.devices", devices), s),
         Between(s + ".batch_ops", Count(d.batchOps), Count(1), Count(kKvBatchOpsMax), s),
         Positive(s + ".batch_interval_s", d.batchIntervalSeconds, s),
         NotNegative(s + ".start_at_s", d.startAtSeconds, s),
         AtLeastBelow(s + ".stop_at_s", Real(d.stopAtSeconds),
                      NamedReal(s + ".start_at_s", d.startAtSeconds),
                      NamedReal("duration_s", duration), s)});
}

Check
CheckData(const ScenarioConfig& c)
{
    const DataConfig& d = c.data;
    if (!d.active)
    {
        return std::nullopt;
    }
    const auto nodes = NodeCountOf(c.topology);
    const Shown bound = nodes ? nodes->bound : Count(200000);
    return FirstOf(
        {Between("data.devices", Count(d.devices), Count(1), bound, "data"),
         AtLeastBelow("data.grantees", Count(d.grantees), Count(1), bound, "data"),
         Between("data.revoked", Count(d.revoked), Count(0),
                 NamedCount("data.grantees", d.grantees), "data"),
         AtLeastBelow("data.outsiders", Count(d.outsiders), Count(0), bound, "data"),
         InInterval("data.bad_request_share", d.badRequestShare, Real(0), Real(0.5), "data"),
         Positive("data.request_interval_s", d.requestIntervalSeconds, "data"),
         NotNegative("data.register_at_s", d.registerAtSeconds, "data"),
         AtLeast("data.grant_at_s", Real(d.grantAtSeconds),
                 NamedReal("data.register_at_s", d.registerAtSeconds), "data"),
         AtLeast("data.revoke_at_s", Real(d.revokeAtSeconds),
                 NamedReal("data.grant_at_s", d.grantAtSeconds), "data"),
         Between("data.stream_bytes", Count(d.streamBytes), Count(1), Count(65000), "data"),
         CheckDataStorage(d.storage, bound), CheckDataKv(d.kv, d.devices, c.durationSeconds),
         CheckDirectContacts(c)});
}

// A list the file must write with exactly `count` entries ("5 weights [w_C, ...]").
Check
CheckCount(const std::string& key, size_t size, size_t count, const std::string& what)
{
    if (size != count)
    {
        return Violation{key,
                         "must list exactly " + std::to_string(count) + " " + what + ", got " +
                             std::to_string(size),
                         ""};
    }
    return std::nullopt;
}

Check
CheckCzrWeights(const std::vector<double>& weights)
{
    if (Check bad = CheckCount("czr.weights", weights.size(), CzrConfig::kWeightCount,
                               "weights [w_C, w_M, w_B, w_D, w_I]"))
    {
        return bad;
    }
    if (Check bad = CheckEach(weights, "czr.weights",
                              [](double w, const std::string& item)
                              { return NotNegative(item, w, "czr.weights"); }))
    {
        return bad;
    }
    if (std::none_of(weights.begin(), weights.end(), [](double w) { return w > 0.0; }))
    {
        return Violation{"czr.weights",
                         "at least one weight must be greater than 0, got " + FormatReals(weights),
                         ""};
    }
    return std::nullopt;
}

Check
CheckCzrLevelValues(const std::vector<double>& values)
{
    if (Check bad = CheckCount("czr.level_values", values.size(), CzrConfig::kLevelValueCount,
                               "values [low, middle, high]"))
    {
        return bad;
    }
    for (size_t i = 0; i < values.size(); ++i)
    {
        const std::string item = "czr.level_values[" + std::to_string(i) + "]";
        if (Check bad = Positive(item, values[i], "czr.level_values"))
        {
            return bad;
        }
        if (i > 0 && !(values[i - 1] < values[i]))
        {
            return Violation{
                "czr.level_values",
                "must be strictly ascending (low < middle < high), got " + FormatReals(values), ""};
        }
    }
    return std::nullopt;
}

Check
CheckCzrApplications(const CzrConfig& z)
{
    if (z.applications.empty())
    {
        return Violation{"czr.applications", "must list at least one application", ""};
    }
    return AtLeast("czr.regions", Count(z.regions), Count(1));
}

Check
CheckCzrElection(const CzrConfig& z)
{
    return FirstOf(
        {PositiveBelow("czr.epsilon", z.epsilon, Real(1)),
         AtLeast("czr.exact_max_nodes", Count(z.exactMaxNodes), Count(2)),
         PositiveBelow("czr.delta", z.delta, Real(1)),
         AtLeast("czr.candidates_per_group", Count(z.candidatesPerGroup), Count(1)),
         Between("czr.drift_threshold", Real(z.driftThreshold), Real(0), Real(1)),
         AtLeast("czr.missed_slots_max", Count(z.missedSlotsMax), Count(1)),
         Between("czr.voters.share", Real(z.voters.share), Real(0), Real(1), "czr.voters")});
}

Check
CheckDeviceClass(const DeviceClass& d, const std::string& item)
{
    return FirstOf({Positive(item + ".share", d.share, item), Positive(item + ".cpu", d.cpu, item),
                    Positive(item + ".memory", d.memory, item),
                    Positive(item + ".storage", d.storage, item)});
}

Check
CheckCzrDevices(const CzrConfig& z)
{
    if (z.deviceClasses.empty())
    {
        return Violation{"czr.device_classes", "must list at least one device class", ""};
    }
    return FirstOf({CheckEach(z.deviceClasses, "czr.device_classes", CheckDeviceClass),
                    AtLeast("czr.overclaim_factor", Real(z.overclaimFactor), Count(1))});
}

Check
CheckCzr(const CzrConfig& z)
{
    return FirstOf({PositiveAtMost("czr.gamma", z.gamma, Real(1)), NotNegative("czr.beta", z.beta),
                    CheckCzrWeights(z.weights), CheckCzrLevelValues(z.levelValues),
                    CheckCzrApplications(z), CheckCzrElection(z), CheckCzrDevices(z)});
}

// `at` lies within the run: at least 0 and before duration_s.
Check
CheckStart(const ScenarioConfig& c, const std::string& key, const std::string& item, TimeNs at)
{
    return AtLeastBelow(key, Seconds(at), Count(0), NamedReal("duration_s", c.durationSeconds),
                        item);
}

// The window [at_s, until_s) of `item` lies within the run and is not empty.
Check
CheckWindow(const ScenarioConfig& c, const std::string& item, TimeNs at, TimeNs until)
{
    if (Check bad = CheckStart(c, item + ".at_s", item, at))
    {
        return bad;
    }
    if (!(until > at))
    {
        return Violation{
            item + ".until_s",
            "must be after at_s (" + Seconds(at).text + "), got " + Seconds(until).text, item};
    }
    return std::nullopt;
}

// A node index, checked when the node count is known before the topology is built.
Check
CheckNode(const std::optional<NodeCount>& nodes, const std::string& key, uint32_t node,
          const std::string& related)
{
    return nodes ? IndexBelow(key, "a node", node, nodes->bound, related) : std::nullopt;
}

// The contract of a run (issue 16): checked only when the scenario has a `contracts:` section.
constexpr uint64_t kContractDeployGasFactor = 5; // a deploy's gas limit: 5 x gas_limit
constexpr std::size_t kContractDevicesMax = 4096;

// An order comparison needs an integer operand; `set` takes none.
Check
CheckContractCallback(const ContractCallbackConfig& cb, const std::string& item)
{
    const bool order = cb.op != ContractPredicateOp::kEq && cb.op != ContractPredicateOp::kNe &&
                       cb.op != ContractPredicateOp::kSet;
    char* end = nullptr;
    const long long v = std::strtoll(cb.value.c_str(), &end, 10);
    static_cast<void>(v);
    if (order && (cb.value.empty() || *end != '\0'))
    {
        return Violation{item + ".value",
                         std::string("op '") + Name(cb.op) + "' compares integers, got '" +
                             cb.value + "'",
                         item};
    }
    if (cb.key.empty())
    {
        return Violation{item + ".key", "must name a storage key", item};
    }
    return std::nullopt;
}

Check
CheckContractDevice(const ScenarioConfig& c, const ContractDeviceConfig& d, const std::string& item)
{
    const auto nodes = NodeCountOf(c.topology);
    const Check home = d.home == kContractHomeAuto
                           ? std::nullopt
                           : CheckNode(nodes, item + ".home", d.home, item + ".home");
    Check param = std::nullopt;
    if (d.param > static_cast<uint64_t>(INT64_MAX))
    {
        param =
            Violation{item + ".param", "must be below 2^63, got " + std::to_string(d.param), item};
    }
    return FirstOf({CheckNode(nodes, item + ".node", d.node, item + ".node"), home, param});
}

// Each device on its own node.
Check
CheckContractDeviceNodes(const ContractsConfig& k)
{
    std::set<uint32_t> seen;
    for (std::size_t i = 0; i < k.devices.size(); ++i)
    {
        if (!seen.insert(k.devices[i].node).second)
        {
            const std::string item = "contracts.devices[" + std::to_string(i) + "]";
            return Violation{item + ".node",
                             "node " + std::to_string(k.devices[i].node) + " already runs a device",
                             item};
        }
    }
    if (k.devices.size() > kContractDevicesMax)
    {
        return Violation{"contracts.devices",
                         "at most " + std::to_string(kContractDevicesMax) + " devices, got " +
                             std::to_string(k.devices.size()),
                         ""};
    }
    return std::nullopt;
}

// A call happens after the deploy and within the run.
Check
CheckContractCall(const ScenarioConfig& c, const ContractCallConfig& call, const std::string& item)
{
    if (call.method.empty())
    {
        return std::nullopt;
    }
    return FirstOf({AtLeastBelow(item + ".at_s", Real(call.atS),
                                 NamedReal("contracts.deploy_at_s", c.contracts.deployAtS),
                                 NamedReal("duration_s", c.durationSeconds), item),
                    NotNegative(item + ".every_s", call.everyS, item)});
}

Check
CheckContractEvents(const ContractsConfig& k)
{
    const ContractEventsConfig& e = k.events;
    const std::string s = "contracts.events";
    Check types = std::nullopt;
    if (e.types.empty() && (e.ratePerS > 0 || e.onCallback == ContractReaction::kEvent))
    {
        types = Violation{s + ".types", "devices that send events need at least one type", s};
    }
    Check join = std::nullopt;
    if (e.onCallback == ContractReaction::kJoin && k.join.method.empty())
    {
        join = Violation{s + ".on_callback", "'join' needs contracts.join.method", s};
    }
    return FirstOf({NotNegative(s + ".rate_per_s", e.ratePerS, s),
                    NotNegative(s + ".start_s", e.startS, s), types, join});
}

Check
CheckContracts(const ScenarioConfig& c)
{
    const ContractsConfig& k = c.contracts;
    if (!k.active)
    {
        return std::nullopt;
    }
    const uint64_t gasMax = ContractParams{}.gasLimitMax / kContractDeployGasFactor;
    // A join at 0 starts the devices 5 s after the deploy (contracts-feature.h).
    ContractCallConfig join = k.join;
    join.atS = join.atS > 0 ? join.atS : k.deployAtS + 5;
    return FirstOf({CheckNode(NodeCountOf(c.topology), "contracts.owner_node", k.ownerNode,
                              "contracts.owner_node"),
                    AtLeastBelow("contracts.deploy_at_s", Real(k.deployAtS), Real(0),
                                 NamedReal("duration_s", c.durationSeconds)),
                    Positive("contracts.deploy_at_s", k.deployAtS),
                    Between("contracts.gas_limit", Count(k.gasLimit), Count(1), Count(gasMax)),
                    Between("contracts.gas_price", Count(k.gasPrice), Count(0), Count(1'000'000)),
                    CheckEach(k.devices, "contracts.devices",
                              [&](const ContractDeviceConfig& d, const std::string& key)
                              { return CheckContractDevice(c, d, key); }),
                    CheckContractDeviceNodes(k),
                    CheckEach(k.callbacks, "contracts.callbacks", CheckContractCallback),
                    CheckContractCall(c, join, "contracts.join"),
                    CheckEach(k.calls, "contracts.calls",
                              [&](const ContractCallConfig& call, const std::string& key)
                              { return CheckContractCall(c, call, key); }),
                    CheckContractEvents(k)});
}

Check
CheckCrash(const ScenarioConfig& c, const CrashFault& f, const std::string& item)
{
    return FirstOf({CheckNode(NodeCountOf(c.topology), item + ".node", f.node, item),
                    CheckStart(c, item + ".at_s", item, f.at),
                    NotNegative(item + ".restart_s", ToSeconds(f.restartAt), item)});
}

Check
CheckLinkFault(const ScenarioConfig& c, const LinkFault& f, const std::string& item)
{
    const auto nodes = NodeCountOf(c.topology);
    const Check same =
        f.a == f.b ? Check(Violation{item + ".b",
                                     "must differ from a (" + std::to_string(f.a) + ")", item})
                   : std::nullopt;
    return FirstOf({CheckNode(nodes, item + ".a", f.a, item + ".a"),
                    CheckNode(nodes, item + ".b", f.b, item + ".b"), same,
                    CheckWindow(c, item, f.start, f.end)});
}

Check
CheckPartition(const ScenarioConfig& c, const PartitionFault& f, const std::string& item)
{
    if (f.nodes.empty())
    {
        return Violation{item + ".nodes", "must name at least one node", item};
    }
    const auto nodes = NodeCountOf(c.topology);
    return FirstOf({CheckEach(f.nodes, item + ".nodes",
                              [&](uint32_t node, const std::string& key)
                              { return CheckNode(nodes, key, node, key); }),
                    CheckWindow(c, item, f.start, f.end)});
}

Check
CheckBurst(const ScenarioConfig& c, const BurstFault& f, const std::string& item)
{
    const double delayMs = static_cast<double>(f.extraDelay) / static_cast<double>(kMillisecond);
    return FirstOf({InInterval(item + ".loss", f.loss, Count(0), Count(1), item),
                    InInterval(item + ".delay_ms", delayMs, Count(0), Real(kBurstDelayMaxMs), item),
                    CheckWindow(c, item, f.start, f.end)});
}

// Links, partitions and bursts act on point-to-point links: wired topologies only.
Check
CheckWiredOnly(const ScenarioConfig& c)
{
    const FaultPlan& f = c.faults;
    if (f.NetworkEmpty() || !IsRadio(c.topology.kind))
    {
        return std::nullopt;
    }
    const char* which = !f.links.empty()        ? "faults.links"
                        : !f.partitions.empty() ? "faults.partitions"
                                                : "faults.bursts";
    return Violation{which,
                     std::string("acts on wired links; topology.kind '") + Name(c.topology.kind) +
                         "' has none (use faults.crashes there)",
                     which};
}

// `check(c, item, "<list>[i]")` for each item.
template <typename T>
Check
CheckEachFault(const ScenarioConfig& c, const std::vector<T>& items, const std::string& list,
               Check (*check)(const ScenarioConfig&, const T&, const std::string&))
{
    return CheckEach(items, list,
                     [&](const T& item, const std::string& key) { return check(c, item, key); });
}

Check
CheckFaults(const ScenarioConfig& c)
{
    const FaultPlan& f = c.faults;
    return FirstOf({CheckEachFault(c, f.crashes, "faults.crashes", CheckCrash), CheckWiredOnly(c),
                    CheckEachFault(c, f.links, "faults.links", CheckLinkFault),
                    CheckEachFault(c, f.partitions, "faults.partitions", CheckPartition),
                    CheckEachFault(c, f.bursts, "faults.bursts", CheckBurst)});
}

// Which producer an adversary sits on: a genesis producer that starts, and only one adversary.
Check
CheckAdversaryProducer(const ScenarioConfig& c, size_t i, const std::string& item)
{
    const uint32_t producer = c.adversaries[i].producer;
    const ConsensusConfig& k = c.consensus;
    for (size_t j = 0; j < i; ++j)
    {
        if (c.adversaries[j].producer == producer)
        {
            return Violation{item + ".producer",
                             "producer " + std::to_string(producer) +
                                 " already hosts adversaries[" + std::to_string(j) + "]",
                             item};
        }
    }
    const auto& offline = k.offlineProducers;
    if (std::find(offline.begin(), offline.end(), producer) != offline.end())
    {
        return Violation{item + ".producer",
                         "producer " + std::to_string(producer) +
                             " is offline (consensus.offline_producers) and never produces",
                         item};
    }
    return std::nullopt;
}

// The window [from_s, until_s): until_s 0 means to the end, except for a withholder, which
// releases its private chain at until_s.
Check
CheckAdversaryWindow(const ScenarioConfig& c, const AdversarySpec& a, const std::string& item)
{
    if (Check bad = CheckStart(c, item + ".from_s", item, a.from))
    {
        return bad;
    }
    const std::string after =
        "after from_s (" + Seconds(a.from).text + "), got " + Seconds(a.until).text;
    if (a.kind == AdversaryKind::kWithholder && !(a.until > a.from))
    {
        return Violation{item + ".until_s",
                         "a withholder releases its chain at until_s, which must be " + after,
                         item};
    }
    if (!(a.until == 0 || a.until > a.from))
    {
        return Violation{item + ".until_s", "must be 0 (to the end of the run) or " + after, item};
    }
    return std::nullopt;
}

// Censored accounts: a censor's only, at least one, each a workload account.
Check
CheckCensoredAccounts(const ScenarioConfig& c, const AdversarySpec& a, const std::string& item)
{
    const bool censor = a.kind == AdversaryKind::kCensor;
    const std::string key = item + ".censored_accounts";
    if (!censor && !a.censoredAccounts.empty())
    {
        return Violation{
            key, std::string("only a censor censors; kind is ") + AdversaryKindName(a.kind), item};
    }
    if (censor && a.censoredAccounts.empty())
    {
        return Violation{key, "a censor must name at least one account", item};
    }
    const Shown accounts = NamedCount("workload.accounts", c.workload.accounts);
    return CheckEach(a.censoredAccounts, key,
                     [&](uint32_t account, const std::string& k)
                     { return IndexBelow(k, "an account", account, accounts, key); });
}

// A selfish miner withholds mined blocks: PoW only (model/node/adversary.h).
Check
CheckAdversaryProtocol(const ScenarioConfig& c, const AdversarySpec& a, const std::string& item)
{
    if (a.kind == AdversaryKind::kSelfishMiner && c.consensus.protocol != Protocol::kPow)
    {
        return Violation{item + ".kind",
                         std::string("selfish-miner mines under proof of work only; "
                                     "consensus.protocol is ") +
                             ProtocolName(c.consensus.protocol),
                         item};
    }
    return std::nullopt;
}

// The variants a network attacker's kind takes (model/node/network-attack.h).
bool
VariantFits(AdversaryKind k, AttackVariant v)
{
    switch (k)
    {
        case AdversaryKind::kTxSpam:
            return v == AttackVariant::kValid || v == AttackVariant::kBadSignature;
        case AdversaryKind::kFlood:
            return v == AttackVariant::kOversized || v == AttackVariant::kMalformed ||
                   v == AttackVariant::kDuplicate;
        case AdversaryKind::kEclipse:
            return v == AttackVariant::kWithhold || v == AttackVariant::kPrivateBranch;
        default:
            return true;
    }
}

// An eclipse: a victim that is a node, not the attacker nor another adversary; the abstract
// engine, which gives the victim its attackers as peers (model/run/eclipse-topology.h).
Check
CheckEclipse(const ScenarioConfig& c, const AdversarySpec& a, const std::string& item)
{
    const std::string key = item + ".victim";
    if (a.victim == kNotPlaced)
    {
        return Violation{key, "an eclipse needs the index of its victim node", item};
    }
    for (const AdversarySpec& other : c.adversaries)
    {
        if (IsNetworkAttack(other.kind) && other.node == a.victim)
        {
            return Violation{key, "node " + std::to_string(a.victim) + " is an attacker itself",
                             item};
        }
    }
    if (c.engine != EngineKind::kAbstract)
    {
        return Violation{item + ".kind", "an eclipse runs on the abstract engine only", "engine"};
    }
    return CheckNode(NodeCountOf(c.topology), key, a.victim, item);
}

// A jammer: a disc and a window on a radio topology, which only the ns-3 engine models.
Check
CheckJammer(const ScenarioConfig& c, const AdversarySpec& a, const std::string& item)
{
    if (a.node != kNotPlaced || a.producer != kNotPlaced)
    {
        return Violation{item + ".node", "a jammer runs on no node: give centre_m and radius_m",
                         item};
    }
    if (!IsRadio(c.topology.kind) || c.engine != EngineKind::kNs3)
    {
        return Violation{item + ".kind",
                         "a jammer needs a radio topology (mesh, vehicular) on engine ns3",
                         "topology.kind"};
    }
    return FirstOf({Positive(item + ".radius_m", a.radius, item),
                    InInterval(item + ".loss", a.loss, Count(0), Count(1), item),
                    CheckAdversaryWindow(c, a, item)});
}

// A network attacker: on a node of its own, a variant of its kind, a positive rate.
Check
CheckNetworkAttacker(const ScenarioConfig& c, size_t i, const std::string& item)
{
    const AdversarySpec& a = c.adversaries[i];
    const std::string kind = AdversaryKindName(a.kind);
    if (a.kind == AdversaryKind::kJammer)
    {
        return CheckJammer(c, a, item);
    }
    if (a.node == kNotPlaced || a.producer != kNotPlaced)
    {
        return Violation{item + ".node",
                         "kind " + kind + " runs on a node: give `node`, not `producer`", item};
    }
    for (size_t j = 0; j < i; ++j)
    {
        if (IsNetworkAttack(c.adversaries[j].kind) && c.adversaries[j].node == a.node)
        {
            return Violation{item + ".node",
                             "node " + std::to_string(a.node) + " already hosts adversaries[" +
                                 std::to_string(j) + "]",
                             item};
        }
    }
    if (!VariantFits(a.kind, a.variant))
    {
        return Violation{item + ".variant",
                         "kind " + kind + " has no variant " + AttackVariantName(a.variant), item};
    }
    if (a.kind == AdversaryKind::kSlowPeer && c.engine != EngineKind::kNs3)
    {
        return Violation{item + ".kind",
                         "a slow peer needs engine ns3 (the abstract engine has no TCP flow "
                         "control nor send queues to fill)",
                         "engine"};
    }
    return FirstOf({CheckNode(NodeCountOf(c.topology), item + ".node", a.node, item),
                    Positive(item + ".rate_per_s", a.rate, item),
                    NotNegative(item + ".read_bytes_per_s", a.readBytesPerSecond),
                    a.kind == AdversaryKind::kEclipse ? CheckEclipse(c, a, item) : std::nullopt,
                    CheckAdversaryWindow(c, a, item)});
}

// A byzantine producer: on a genesis producer, without the network attackers' keys.
Check
CheckByzantineProducer(const ScenarioConfig& c, size_t i, const std::string& item)
{
    const AdversarySpec& a = c.adversaries[i];
    if (a.producer == kNotPlaced || a.node != kNotPlaced)
    {
        return Violation{item + ".producer",
                         std::string("kind ") + AdversaryKindName(a.kind) +
                             " runs on a genesis producer: give `producer`, not `node`",
                         item};
    }
    if (a.victim != kNotPlaced)
    {
        return Violation{item + ".victim", "only an eclipse has a victim", item};
    }
    const Shown producers = NamedCount("consensus.producers", c.consensus.producers);
    return FirstOf({IndexBelow(item + ".producer", "a producer", a.producer, producers, item),
                    CheckAdversaryProducer(c, i, item), CheckAdversaryWindow(c, a, item)});
}

Check
CheckAdversaries(const ScenarioConfig& c)
{
    for (size_t i = 0; i < c.adversaries.size(); ++i)
    {
        const std::string item = "adversaries[" + std::to_string(i) + "]";
        const AdversarySpec& a = c.adversaries[i];
        if (Check bad = FirstOf(
                {IsNetworkAttack(a.kind) ? CheckNetworkAttacker(c, i, item)
                                         : CheckByzantineProducer(c, i, item),
                 CheckCensoredAccounts(c, a, item), CheckAdversaryProtocol(c, a, item),
                 AtLeast(item + ".overclaim_factor", Real(a.overclaimFactor), Count(1), item)}))
        {
            return bad;
        }
    }
    return std::nullopt;
}

// The settings one engine has: peer upkeep on the abstract engine; the drain watch and TCP's
// delayed acknowledgements on ns-3.
Check
CheckEngineOnlySettings(const ScenarioConfig& c)
{
    const DefenceSettings& d = c.defences;
    if (c.engine != EngineKind::kAbstract && (d.replaceBanned || d.rotateSeconds > 0))
    {
        return Violation{d.replaceBanned ? "defences.replace_banned" : "defences.rotate_s",
                         "run-time peer changes are an abstract-engine defence (engine is ns3)",
                         "engine"};
    }
    if (c.engine != EngineKind::kNs3 && c.node.tcpDelAckCount != NodeSettings{}.tcpDelAckCount)
    {
        return Violation{"node.tcp_del_ack_count",
                         "TCP's delayed acknowledgements are an ns-3 setting (the abstract engine "
                         "has no TCP)",
                         "engine"};
    }
    if (c.engine != EngineKind::kNs3 && d.drainSeconds > 0)
    {
        return Violation{"defences.drain_s",
                         "the drain watch is an ns-3 defence (the abstract engine has no send "
                         "queues)",
                         "engine"};
    }
    return std::nullopt;
}

Check
CheckDefences(const DefenceSettings& d)
{
    return FirstOf({Positive("defences.ban_score", d.banScore),
                    Positive("defences.ban_s", d.banSeconds),
                    NotNegative("defences.decay_per_s", d.decayPerSecond),
                    NotNegative("defences.messages_per_s", d.messagesPerSecond),
                    NotNegative("defences.signatures_per_s", d.signaturesPerSecond),
                    Positive("defences.burst_s", d.burstSeconds),
                    AtLeast("defences.address_group_size", Count(d.addressGroupSize), Count(1)),
                    NotNegative("defences.drain_s", d.drainSeconds),
                    NotNegative("defences.drain_bytes_per_s", d.drainBytesPerSecond),
                    NotNegative("defences.rotate_s", d.rotateSeconds)});
}

Check
CheckSettings(const ScenarioConfig& c)
{
    return FirstOf(
        {AtLeast("node.mempool_tx_max", Count(c.node.mempoolTxMax), Count(1)),
         AtLeast("node.peer_send_queue_bytes_max", Count(c.node.peerSendQueueBytesMax),
                 Count(kPeerSendQueueBytesMin)),
         Between("node.tcp_del_ack_count", Count(c.node.tcpDelAckCount), Count(1), Count(64)),
         AtLeast("trace.batch_records", Count(c.trace.batchRecords), Count(1)),
         Between("gossip.tx_announce_interval_ms",
                 Real(ToSeconds(c.gossip.txAnnounceInterval) * 1e3), Real(1), Real(60000))});
}

// Payment channels (issue 18): checked only when the scenario has a `channels:` section.
Check
CheckChannels(const ChannelsConfig& h)
{
    if (!h.active)
    {
        return std::nullopt;
    }
    const std::string s = "channels";
    return FirstOf(
        {NotNegative(s + ".open_at_s", h.openAtSeconds),
         Between(s + ".channels_per_node", Count(h.channelsPerNode), Count(1), Count(64)),
         Positive(s + ".deposit", static_cast<double>(h.deposit)),
         Positive(s + ".operator_deposit", static_cast<double>(h.operatorDeposit)),
         Positive(s + ".beacon_interval_s", h.beaconIntervalSeconds),
         Positive(s + ".range_m", h.rangeM),
         Positive(s + ".price_per_message", static_cast<double>(h.pricePerMessage)),
         Positive(s + ".challenge_period_s", h.challengePeriodSeconds),
         Positive(s + ".hop_delta_s", h.hopDeltaSeconds),
         Positive(s + ".stay_min_s", h.stayMinSeconds),
         AtLeast(s + ".stay_max_s", Real(h.stayMaxSeconds),
                 NamedReal(s + ".stay_min_s", h.stayMinSeconds), s + ".stay_min_s"),
         NotNegative(s + ".drain_s", h.drainSeconds),
         InInterval(s + ".cheater_share", h.cheaterShare, Real(0), Real(1)),
         InInterval(s + ".offline_share", h.offlineShare, Real(0), Real(1)),
         Between(s + ".batch_max", Count(h.batchMax), Count(1), Count(1024)),
         NotNegative(s + ".reestablish_s", h.reestablishSeconds)});
}

// A proposal names a parameter a proposal may change, with a value it may take.
Check
CheckGovernanceProposal(const ScenarioConfig& c, const GovernanceProposalConfig& p,
                        const std::string& item)
{
    if (Check bad = CheckStart(c, item + ".at_s", item, p.at))
    {
        return bad;
    }
    const auto param = GovParamFromName(p.param);
    if (!param || *param == GovParam::kOverturnFreeze)
    {
        return Violation{item + ".param",
                         "must be slot-duration, producers, fee-floor, block-size-max, "
                         "czr-gamma, czr-beta, czr-weights, candidates-per-group, reward-split "
                         "or upgrade, "
                         "got '" +
                             p.param + "'",
                         ""};
    }
    // The chain's own bounds (GovValueBounds); T is written in seconds.
    const auto range = GovValueBounds(*param);
    if (!range)
    {
        return NotNegative(item + ".value", p.value);
    }
    const double unit = *param == GovParam::kSlotDuration ? static_cast<double>(kSecond) : 1.0;
    return InInterval(item + ".value", p.value, Real(static_cast<double>(range->min) / unit),
                      Real(static_cast<double>(range->max) / unit));
}

Check
CheckGovernance(const ScenarioConfig& c)
{
    const GovernanceConfig& g = c.governance;
    Check shares = FirstOf(
        {Positive("governance.hold_s", g.holdSeconds), Positive("governance.test_s", g.testSeconds),
         Positive("governance.window_s", g.windowSeconds),
         InInterval("governance.approve_share", g.approveShare, Real(0), Real(1)),
         InInterval("governance.reject_share", g.rejectShare, Real(0), Real(1 - g.approveShare),
                    "governance.approve_share"),
         Positive("governance.vote_spread_s", g.voteSpreadSeconds),
         NotNegative("governance.upgrade_s", g.upgradeMinSeconds),
         AtLeast("governance.upgrade_s", Real(g.upgradeMaxSeconds), Real(g.upgradeMinSeconds)),
         InInterval("governance.never_upgrade_share", g.neverUpgradeShare, Real(0), Real(1))});
    if (shares)
    {
        return shares;
    }
    for (std::size_t i = 0; i < g.proposals.size(); ++i)
    {
        const std::string item = "governance.proposals[" + std::to_string(i) + "]";
        if (Check bad = CheckGovernanceProposal(c, g.proposals[i], item))
        {
            return bad;
        }
    }
    for (std::size_t i = 0; i < g.freezes.size(); ++i)
    {
        const GovernanceFreezeConfig& f = g.freezes[i];
        const std::string item = "governance.freezes[" + std::to_string(i) + "]";
        if (Check bad =
                FirstOf({CheckStart(c, item + ".at_s", item, f.at),
                         IndexBelow(item + ".account", "an account", f.account,
                                    NamedCount("workload.accounts", c.workload.accounts)),
                         InInterval(item + ".overturn_share", f.overturnShare, Real(0), Real(1))}))
        {
            return bad;
        }
    }
    return std::nullopt;
}

} // namespace

Check
FindViolation(const ScenarioConfig& c)
{
    return FirstOf({Positive("duration_s", c.durationSeconds), CheckTopology(c.topology),
                    CheckEngine(c), CheckConsensus(c), CheckWorkload(c.workload),
                    CheckFees(c.fees, c.consensus.producers), CheckContracts(c), CheckData(c),
                    CheckCzr(c.czr), CheckFaults(c), CheckAdversaries(c), CheckDefences(c.defences),
                    CheckEngineOnlySettings(c), CheckSettings(c), CheckChannels(c.channels),
                    CheckGovernance(c)});
}

} // namespace canon
