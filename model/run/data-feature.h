// DataFeature: issue 17 inside a run (paper 3.4, 3.5.1), on the feature seam (run-feature.h),
// from a scenario's `data:` section (DataConfig, scenario-config.h).
//
// Roles (drawn from the node ids, the same on both engines): `devices` device nodes spread
// evenly over the node ids (the first full node at or after i * nodes / devices); each holds one
// stream's data encrypted (model/data/data-server.h). The stream's owner signs with a key of its
// own, DeriveKeyPair(seed, "data-owner", d), funded at genesis (FundedAddresses, through
// GenesisSpec::funded), so its nonces are its own whatever the node's key signs (CZR claims).
// Each device has `grantees` and `outsiders` requester nodes, the full nodes after it at an even
// stride, so requests cross several overlay hops. Every full node runs a DataNodeService
// (model/data/data-node-service.h): it relays, serves if it is a device, requests if it is a
// requester, and stores if storage is on.
//
// Timeline: owners register at register_at_s, grant at grant_at_s and revoke the first
// `revoked` grantees at revoke_at_s (with `rotate`, the owner also re-encrypts under key
// version 2 and grants it to the rest), each through the feature context's Submit at the
// owner's own node, in order, and each not before the record it depends on (the stream, the
// grant) is in that node's best chain. The owner's wallet watches that chain: a transaction whose
// nonce the best state has not passed kOwnerResendSlots slots after it was sent is sent again,
// the same transaction with the same nonce, until it lands (a lost submission, a mempool that
// dropped it). Every owner transaction is signed by the terms of the owner's node's best chain
// (TermsOn, model/node/node.h: its CZC hash, a bid of at least its fee floor); one in flight when
// those change (CZC governance adopted a new hash or floor, issue 18) is signed again with the
// same nonce and the new terms and sent at once (the old one can never be included). Requesters ask
// from grant_at_s every request_interval_s (a phase drawn per requester); each request is forged or
// a replay of its last with bad_request_share each. Storage: every node bootstraps its DHT at 1 s
// from its overlay peers; device f % devices puts file f at put_at_s + f / 2 s, with its name
// published when `names`; then `getters` other nodes fetch it (and resolve its name), one every
// get_interval_s from 6 s after the put. Storage timers are served by a 200 ms tick at every
// storage node; queries and wants time out after 4 s.
//
// Audited key-value stores (paper 3.5.2, data.kv): the first `kv.stores` devices each keep a
// real LevelDB store (model/storage/kv/audited-kv.h) at KvStoreDir(kv.dir, device), store id
// Blake2b256("kv-store/<seed>/<device>"). The device writes kv.batch_ops readings
// ("reading/<n>", and "latest") every kv.batch_interval_s from kv.start_at_s until kv.stop_at_s,
// commits each batch, and puts the batch's chained hash on chain in a kKvAudit transaction
// signed by its writer key DeriveKeyPair(seed, "data-kv-writer", k) (funded at genesis like the
// owners'), through a wallet like the owners' (so it is resent if lost). Just before the end the
// feature writes the batch hashes the device node's irreversible state holds to
// KvStoreDir(...) + ".chain" (kv-audit-file.h) and closes the store: `canonsim audit --db DIR
// --chain DIR.chain` then checks the store against its chain.
//
// Messages to non-peers travel over the peer overlay (overlay-relay.h). With
// storage.direct_contacts > 0, a node sending a storage message to a non-peer (a DHT contact, a
// provider) also asks for a direct connection to it, up to that many per node: the feature
// opens it through RunHost::Connect (both nodes become peers of each other, so later messages
// go straight, and so do gossip and blocks), and counts the connections the engine refused.
// Records: the datasets data_requests and storage_ops (trace-records.h), written at Finish; figures
// for the summary. Deterministic: one Rng from the run seed; ordered maps. Ownership: the feature
// owns its services (shared with the nodes' configs) and the log.
#ifndef CANONSIM_RUN_DATA_FEATURE_H
#define CANONSIM_RUN_DATA_FEATURE_H

#include "model/data/access-tx.h"
#include "model/data/data-node-service.h"
#include "model/run/run-feature.h"
#include "model/run/scenario-config.h"
#include "model/storage/kv/audited-kv.h"

#include <deque>
#include <map>
#include <set>

namespace canon
{

class DataFeature : public RunFeature
{
  public:
    DataFeature(DataConfig config, TimeNs duration);

    std::string Name() const override { return "data"; }
    void ConfigureNode(uint32_t id, NodeConfig& config) const override;
    void Attach(const FeatureContext& ctx) override;
    void Finish() override;
    std::map<std::string, double> Figures() const override;

    // What the run recorded (tests read them).
    const DataServiceShared& Log() const { return *m_shared; }
    DataNodeService* ServiceAt(uint32_t node) const;
    // Where device `node`'s audited store lives under a run's store folder `dir`.
    static std::string KvStoreDir(const std::string& dir, uint32_t node);
    // A run's store folder for its trace at `outPath`: the path without its extension, ".kv".
    static std::string KvDirFor(const std::string& outPath);
    // The owners' addresses (one per device), then the store writers', for GenesisSpec::funded.
    static std::vector<Address> FundedAddresses(const DataConfig& config, uint64_t seed);

  private:
    using OwnerReady = std::function<bool(const LedgerState&)>;
    struct OwnerAction
    {
        TimeNs at = 0;
        OwnerReady ready;
        std::function<Transaction(const TxSigner&)> make;
    };
    struct InFlight
    {
        Transaction tx;
        TimeNs sentAt = 0;
    };
    // A key that signs at one node: its transactions still to submit, in order, and those
    // submitted that the node's best state has not yet passed.
    struct Wallet
    {
        KeyPair key = KeyPair::FromSeed(Hash256{});
        uint32_t node = 0;
        uint64_t nonce = 0;
        std::deque<OwnerAction> pending;
        std::deque<InFlight> inFlight;
    };
    struct Stream
    {
        uint32_t device = 0;
        Wallet owner; // at the device's node
        Hash256 id{};
        Hash256 keySeed{};
        Bytes data;
        std::vector<uint32_t> grantees, outsiders;
    };
    struct KvRun
    {
        uint32_t device = 0;
        Wallet writer; // the device's key for its audits, at the device's node
        Hash256 id{};
        std::string dir;
        std::unique_ptr<AuditedKvStore> db;
        uint64_t readings = 0, batches = 0, onChain = 0, onBest = 0;
    };

    // Node `id`'s service, made on first use (nodes may start after Attach).
    std::shared_ptr<DataNodeService> Service(uint32_t id) const;
    void PlanRoles(const FeatureContext& ctx);
    std::vector<uint32_t> NodesAfter(uint32_t from, uint32_t count, uint32_t skip) const;
    uint32_t FullAtOrAfter(uint32_t i) const;
    void ScheduleOwner(const FeatureContext& ctx, Stream& s);
    void OwnerTx(const FeatureContext& ctx, TimeNs at, Wallet& w, OwnerReady ready,
                 std::function<Transaction(const TxSigner&)> make);
    void OwnerStep(const FeatureContext& ctx, Wallet& w, TimeNs at);
    void OwnerSend(const FeatureContext& ctx, const Wallet& w, const Transaction& tx);
    void ResendLost(const FeatureContext& ctx, Wallet& w, const ConsensusChain& chain, TimeNs now);
    void ScheduleRequests(const FeatureContext& ctx, const Stream& s);
    void RequestLoop(RunHost& host, uint32_t node, uint32_t device, Hash256 stream, TimeNs at);
    void ScheduleStorage(const FeatureContext& ctx);
    using StorageWork = std::function<void(const ServiceContext&, StoragePeer&, StorageOutput&)>;
    // `work` on node's storage peer at `at`, as the node's own application.
    void StorageAt(RunHost& host, uint32_t node, TimeNs at, StorageWork work);
    void Tick(RunHost& host, uint32_t node, TimeNs at);
    void PutFile(const FeatureContext& ctx, uint32_t file);
    void ScheduleGets(const FeatureContext& ctx, uint32_t owner, std::size_t slot,
                      std::optional<Hash256> nameKey, TimeNs putAt);

    void StartKv(const FeatureContext& ctx);
    void KvBatch(const FeatureContext& ctx, std::size_t k, TimeNs at);
    void CloseKv(const FeatureContext& ctx);
    void WantDirect(RunHost& host, uint32_t from, uint32_t to);

    DataConfig m_config;
    TimeNs m_duration;
    std::shared_ptr<DataServiceShared> m_shared;
    mutable std::map<uint32_t, std::shared_ptr<DataNodeService>> m_services;
    std::vector<bool> m_full;
    std::vector<Stream> m_streams; // fixed after PlanRoles (wallets are referenced)
    std::vector<ContentId> m_files;
    Rng m_rng{1};
    TraceWriter* m_writer = nullptr;
    uint64_t m_ownerTxs = 0;
    uint64_t m_ownerResent = 0;
    uint64_t m_auditTxs = 0;
    std::vector<KvRun> m_kv;
    std::map<uint32_t, uint32_t> m_directAsked;       // per node: connections it asked for
    std::set<std::pair<uint32_t, uint32_t>> m_direct; // pairs asked for (lower id first)
    uint64_t m_directOpened = 0,
             m_directRefused = 0; // reserved before the first is added (wallets are referenced)
    uint64_t m_ownerLost = 0;     // submissions lost on purpose (DataConfig::lostOwnerTxs)
};

} // namespace canon

#endif
