#include "model/run/data-feature.h"

#include "model/data/access-tx.h"
#include "model/data/data-service.h"
#include "model/storage/kademlia.h"
#include "model/storage/kv/kv-audit-file.h"
#include "model/trace/trace-writer.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace canon
{

namespace
{

constexpr TimeNs kStorageTick = 200 * kMillisecond;
constexpr TimeNs kBootstrapAt = 1 * kSecond;
constexpr uint64_t kOwnerFee = 10;
// How often an owner's wallet looks again at its node's chain for what its next transaction
// depends on.
constexpr TimeNs kOwnerRetry = 500 * kMillisecond;
// An owner's transaction not in its node's best state this many slots after it was sent is sent
// again: a block every slot carries it unless it was lost or its mempool dropped it.
constexpr int64_t kOwnerResendSlots = 5;
// A put's announcement (a DHT lookup, then AddProvider to the k closest) takes seconds on a
// radio mesh: gets start after it.
constexpr TimeNs kFirstGetAfterPut = 6 * kSecond;
// A DHT query or a want unanswered this long has failed: an overlay path over an 802.11s mesh
// has TCP tails of a few seconds (the data-mesh run's request latency p90 is over a second).
constexpr TimeNs kStorageRpcTimeout = 4 * kSecond;

Bytes
RandomBytes(Rng& rng, uint64_t n)
{
    Bytes b(n);
    for (uint8_t& x : b)
    {
        x = static_cast<uint8_t>(rng.Below(256));
    }
    return b;
}

std::string
FileName(uint32_t file)
{
    return "file-" + std::to_string(file);
}

KeyPair
OwnerKey(uint64_t seed, uint32_t device)
{
    return DeriveKeyPair(seed, "data-owner", device);
}

KeyPair
KvWriterKey(uint64_t seed, uint32_t store)
{
    return DeriveKeyPair(seed, "data-kv-writer", store);
}

} // namespace

std::vector<Address>
DataFeature::FundedAddresses(const DataConfig& config, uint64_t seed)
{
    std::vector<Address> out;
    for (uint32_t d = 0; d < config.devices; ++d)
    {
        out.push_back(OwnerKey(seed, d).GetAddress());
    }
    for (uint32_t k = 0; k < config.kv.stores && k < config.devices; ++k)
    {
        out.push_back(KvWriterKey(seed, k).GetAddress());
    }
    return out;
}

DataFeature::DataFeature(DataConfig config, TimeNs duration)
  : m_config(std::move(config))
  , m_duration(duration)
  , m_shared(std::make_shared<DataServiceShared>())
{
    m_shared->revokedIn = [](const LedgerState& state, const Hash256& stream, const Address& who)
    { return GrantStatusIn(state, stream, who) == DataRefusal::kRevoked; };
}

void
DataFeature::ConfigureNode(uint32_t id, NodeConfig& config) const
{
    m_shared->routes.SetPeers(id, config.peers);
    config.services.push_back(Service(id));
}

std::shared_ptr<DataNodeService>
DataFeature::Service(uint32_t id) const
{
    auto& service = m_services[id];
    if (!service)
    {
        service = std::make_shared<DataNodeService>(id, m_shared);
    }
    return service;
}

DataNodeService*
DataFeature::ServiceAt(uint32_t node) const
{
    auto it = m_services.find(node);
    return it == m_services.end() ? nullptr : it->second.get();
}

uint32_t
DataFeature::FullAtOrAfter(uint32_t i) const
{
    const auto n = static_cast<uint32_t>(m_full.size());
    for (uint32_t k = 0; k < n; ++k)
    {
        const uint32_t j = (i + k) % n;
        if (m_full[j])
        {
            return j;
        }
    }
    return i % n;
}

// `count` full nodes after `from` at an even stride, skipping the first `skip` of that sequence
// (so a device's grantees and outsiders differ).
std::vector<uint32_t>
DataFeature::NodesAfter(uint32_t from, uint32_t count, uint32_t skip) const
{
    const auto n = static_cast<uint32_t>(m_full.size());
    const uint32_t total = m_config.grantees + m_config.outsiders;
    const uint32_t stride = std::max<uint32_t>(1, (n - 1) / std::max<uint32_t>(1, total));
    std::vector<uint32_t> out;
    for (uint32_t k = skip; out.size() < count && k < skip + n; ++k)
    {
        const uint32_t node = FullAtOrAfter(from + 1 + k * stride);
        if (node != from && std::find(out.begin(), out.end(), node) == out.end())
        {
            out.push_back(node);
        }
    }
    return out;
}

void
DataFeature::PlanRoles(const FeatureContext& ctx)
{
    const uint32_t n = ctx.host.NodeCount();
    m_full.assign(n, false);
    for (uint32_t i = 0; i < n; ++i)
    {
        m_full[i] = !ctx.host.IsLightNode(i);
        if (m_full[i])
        {
            Service(i); // before the node starts: roles go on it now
        }
    }
    for (uint32_t d = 0; d < m_config.devices; ++d)
    {
        Stream s;
        s.device = FullAtOrAfter(static_cast<uint32_t>(uint64_t{d} * n / m_config.devices));
        s.owner.key = OwnerKey(ctx.seed, d);
        s.owner.node = s.device;
        s.data = RandomBytes(m_rng, m_config.streamBytes);
        s.id = StreamIdOf(Blake2b256(s.data));
        s.keySeed = Blake2b256(RandomBytes(m_rng, 32));
        s.grantees = NodesAfter(s.device, m_config.grantees, 0);
        s.outsiders = NodesAfter(s.device, m_config.outsiders, m_config.grantees);
        DataServerConfig dc;
        dc.rule = m_config.rule;
        DataNodeService* device = ServiceAt(s.device);
        if (!device->Device())
        {
            device->MakeDevice(dc);
        }
        device->Device()->Hold(s.id,
                               HeldStream{1, EncryptData(DeriveDataKey(s.keySeed, 1), s.data)});
        for (uint32_t r : s.grantees)
        {
            if (!ServiceAt(r)->Requester())
            {
                ServiceAt(r)->MakeRequester(DeriveKeyPair(ctx.seed, "data-requester", r));
            }
        }
        for (uint32_t r : s.outsiders)
        {
            if (!ServiceAt(r)->Requester())
            {
                ServiceAt(r)->MakeRequester(DeriveKeyPair(ctx.seed, "data-requester", r));
            }
        }
        m_streams.push_back(std::move(s));
    }
}

void
DataFeature::Attach(const FeatureContext& ctx)
{
    m_writer = ctx.writer;
    m_rng = Rng::Derive(ctx.seed, "data-feature");
    PlanRoles(ctx);
    for (Stream& s : m_streams)
    {
        ScheduleOwner(ctx, s);
        ScheduleRequests(ctx, s);
    }
    if (m_config.storage.files > 0)
    {
        ScheduleStorage(ctx);
    }
    if (m_config.storage.directContacts > 0)
    {
        RunHost& host = ctx.host;
        m_shared->wantDirect = [this, &host](uint32_t from, uint32_t to)
        { WantDirect(host, from, to); };
    }
    StartKv(ctx);
}

void
DataFeature::OwnerTx(const FeatureContext& ctx, TimeNs at, Wallet& w, OwnerReady ready,
                     std::function<Transaction(const TxSigner&)> make)
{
    w.pending.push_back(OwnerAction{at, std::move(ready), std::move(make)});
    if (w.pending.size() == 1 && w.inFlight.empty()) // otherwise a step is already scheduled
    {
        OwnerStep(ctx, w, at);
    }
}

// The wallet submits its transactions in order, each once it is due and the record it depends
// on (the stream, the grant) is in its own node's best chain: a grant sent before the
// registration is in a block would be refused by the node's mempool and lost. It keeps looking
// while any is in flight, to send again what did not land.
void
DataFeature::OwnerStep(const FeatureContext& ctx, Wallet& w, TimeNs at)
{
    const FeatureContext c = ctx;
    ctx.host.At(at,
                [this, c, &w]
                {
                    const Node* node = c.host.FullNode(w.node);
                    const TimeNs now = c.host.Now();
                    if (node)
                    {
                        ResendLost(c, w, node->Chain(), now);
                    }
                    while (!w.pending.empty() && w.pending.front().at <= now && node &&
                           w.pending.front().ready(node->Chain().BestState()))
                    {
                        const SignerTerms terms = TermsOn(node->Chain());
                        const TxSigner signer{w.key, w.nonce++, terms.Bid(kOwnerFee), terms.czc};
                        const Transaction tx = w.pending.front().make(signer);
                        w.pending.pop_front();
                        w.inFlight.push_back({tx, now});
                        OwnerSend(c, w, tx);
                        ++(tx.type == TxType::kKvAudit ? m_auditTxs : m_ownerTxs);
                    }
                    if (!w.inFlight.empty())
                    {
                        OwnerStep(c, w, now + kOwnerRetry);
                    }
                    else if (!w.pending.empty())
                    {
                        OwnerStep(c, w, std::max(now + kOwnerRetry, w.pending.front().at));
                    }
                });
}

void
DataFeature::OwnerSend(const FeatureContext& ctx, const Wallet& w, const Transaction& tx)
{
    if (m_ownerLost < m_config.lostOwnerTxs)
    {
        ++m_ownerLost; // lost on the way to the node
        return;
    }
    ctx.submit(w.node, tx);
}

// Drops what the best state's nonce has passed (landed), and sends again, with the same nonce,
// what has waited kOwnerResendSlots slots since it was last sent, or, signed again, what the
// chain's terms no longer take.
void
DataFeature::ResendLost(const FeatureContext& ctx, Wallet& w, const ConsensusChain& chain,
                        TimeNs now)
{
    const uint64_t next = chain.BestState().NonceOf(w.key.GetAddress());
    const SignerTerms terms = TermsOn(chain);
    while (!w.inFlight.empty() && w.inFlight.front().tx.nonce < next)
    {
        w.inFlight.pop_front();
    }
    const TimeNs bound = kOwnerResendSlots * ctx.genesis.params->slotDuration;
    for (InFlight& f : w.inFlight)
    {
        const bool stale = f.tx.czcHash != terms.czc || f.tx.fee < terms.feeFloor;
        if (stale)
        {
            f.tx.czcHash = terms.czc;
            f.tx.fee = terms.Bid(f.tx.fee);
            f.tx.SignWith(w.key);
        }
        if (stale || now - f.sentAt >= bound)
        {
            f.sentAt = now;
            OwnerSend(ctx, w, f.tx);
            ++m_ownerResent;
        }
    }
}

void
DataFeature::ScheduleOwner(const FeatureContext& ctx, Stream& s)
{
    const Hash256 digest = Blake2b256(s.data);
    const Hash256 stream = s.id;
    const OwnerReady always = [](const LedgerState&) { return true; };
    const OwnerReady registered = [stream](const LedgerState& st)
    { return st.Data().access.FindStream(stream) != nullptr; };
    OwnerTx(ctx, FromSeconds(m_config.registerAtSeconds), s.owner, always,
            [digest](const TxSigner& t) { return MakeRegisterStreamTx(t, digest); });
    const DataKey v1 = DeriveDataKey(s.keySeed, 1);
    for (uint32_t g : s.grantees)
    {
        const PublicKey pk = ServiceAt(g)->Requester()->Key().Public();
        OwnerTx(ctx, FromSeconds(m_config.grantAtSeconds), s.owner, registered,
                [stream, pk, v1](const TxSigner& t) { return MakeGrantTx(t, stream, pk, 1, v1); });
    }
    const TimeNs revokeAt = FromSeconds(m_config.revokeAtSeconds);
    for (uint32_t i = 0; i < m_config.revoked && i < s.grantees.size(); ++i)
    {
        const Address who = ServiceAt(s.grantees[i])->Requester()->Key().GetAddress();
        const OwnerReady granted = [stream, who](const LedgerState& st)
        {
            const GrantRecord* g = st.Data().access.FindGrant(stream, who);
            return g && g->Live();
        };
        OwnerTx(ctx, revokeAt, s.owner, granted,
                [stream, who](const TxSigner& t) { return MakeRevokeTx(t, stream, who); });
    }
    if (!m_config.rotate)
    {
        return;
    }
    // Rotation (paper 3.4, the owner's choice): the device holds the data under key 2 and the
    // grantees still granted get key 2; the revoked ones keep only key 1.
    const DataKey v2 = DeriveDataKey(s.keySeed, 2);
    for (std::size_t i = m_config.revoked; i < s.grantees.size(); ++i)
    {
        const PublicKey pk = ServiceAt(s.grantees[i])->Requester()->Key().Public();
        OwnerTx(ctx, revokeAt, s.owner, registered,
                [stream, pk, v2](const TxSigner& t) { return MakeGrantTx(t, stream, pk, 2, v2); });
    }
    DataServer* device = ServiceAt(s.device)->Device();
    const Bytes data = s.data;
    ctx.host.At(revokeAt,
                [device, stream, v2, data] {
                    device->Hold(stream, HeldStream{2, EncryptData(v2, data)});
                });
}

void
DataFeature::ScheduleRequests(const FeatureContext& ctx, const Stream& s)
{
    const TimeNs interval = FromSeconds(m_config.requestIntervalSeconds);
    std::vector<uint32_t> requesters = s.grantees;
    requesters.insert(requesters.end(), s.outsiders.begin(), s.outsiders.end());
    for (uint32_t r : requesters)
    {
        const TimeNs phase =
            static_cast<TimeNs>(m_rng.Below(static_cast<uint64_t>(std::max<TimeNs>(1, interval))));
        RequestLoop(ctx.host, r, s.device, s.id, FromSeconds(m_config.grantAtSeconds) + phase);
    }
}

void
DataFeature::RequestLoop(RunHost& host, uint32_t node, uint32_t device, Hash256 stream, TimeNs at)
{
    if (at >= m_duration)
    {
        return;
    }
    host.At(at,
            [this, &host, node, device, stream, at]
            {
                const double u = m_rng.Uniform();
                const double share = m_config.badRequestShare;
                const RequestKind kind = u < share       ? RequestKind::kForged
                                         : u < 2 * share ? RequestKind::kReplay
                                                         : RequestKind::kHonest;
                DataNodeService* service = ServiceAt(node);
                host.AtNode(node,
                            [service, device, stream, kind](const ServiceContext& c, Actions& out)
                            { service->Request(c, device, stream, kind, out); });
                RequestLoop(host, node, device, stream,
                            at + FromSeconds(m_config.requestIntervalSeconds));
            });
}

void
DataFeature::StorageAt(RunHost& host, uint32_t node, TimeNs at, StorageWork work)
{
    DataNodeService* service = ServiceAt(node);
    host.At(at,
            [&host, node, service, work]
            {
                host.AtNode(
                    node,
                    [service, work](const ServiceContext& c, Actions& out)
                    {
                        service->WithStorage(
                            c, [&c, &work](StoragePeer& p, StorageOutput& o) { work(c, p, o); },
                            out);
                    });
            });
}

void
DataFeature::Tick(RunHost& host, uint32_t node, TimeNs at)
{
    if (at >= m_duration)
    {
        return;
    }
    StorageAt(host, node, at,
              [](const ServiceContext& c, StoragePeer& p, StorageOutput& o)
              {
                  const auto next = p.NextDeadline();
                  if (next && *next <= c.now)
                  {
                      p.OnTimer(c.now, o);
                  }
              });
    host.At(at, [this, &host, node, at] { Tick(host, node, at + kStorageTick); });
}

void
DataFeature::ScheduleStorage(const FeatureContext& ctx)
{
    const DataStorageConfig& st = m_config.storage;
    StorageConfig sc;
    sc.k = st.k;
    sc.alpha = st.alpha;
    sc.rpcTimeout = kStorageRpcTimeout;
    sc.chunking.mode = st.chunking;
    sc.chunking.size = st.chunkBytes;
    sc.chunking.min = std::max<uint64_t>(64, st.chunkBytes / 4);
    sc.chunking.max = std::min<uint64_t>(kChunkBytesMax, st.chunkBytes * 4);
    for (uint32_t i = 0; i < m_full.size(); ++i)
    {
        if (!m_full[i])
        {
            continue;
        }
        ServiceAt(i)->MakeStorage(sc);
        StorageAt(ctx.host, i, kBootstrapAt,
                  [](const ServiceContext& c, StoragePeer& p, StorageOutput& o)
                  {
                      for (PeerId peer : c.peers)
                      {
                          p.AddContact({DhtIdOf(peer), peer});
                      }
                      p.Bootstrap(c.now, o);
                  });
        Tick(ctx.host, i, kBootstrapAt + kStorageTick);
    }
    for (uint32_t f = 0; f < st.files; ++f)
    {
        PutFile(ctx, f);
    }
}

void
DataFeature::PutFile(const FeatureContext& ctx, uint32_t file)
{
    const DataStorageConfig& st = m_config.storage;
    const uint32_t owner = m_streams[file % m_streams.size()].device;
    const KeyPair key = m_streams[file % m_streams.size()].owner.key;
    const Bytes content = RandomBytes(m_rng, st.fileBytes);
    const TimeNs putAt = FromSeconds(st.putAtSeconds) + file * (kSecond / 2);
    const bool names = st.names;
    m_files.push_back(ContentIdOf(Bytes{})); // replaced by the put's root
    const std::size_t slot = m_files.size() - 1;
    StorageAt(ctx.host, owner, putAt,
              [this, content, key, names, file, slot](const ServiceContext& c, StoragePeer& p,
                                                      StorageOutput& o)
              {
                  m_files[slot] = p.Put(c.now, content, o);
                  if (names)
                  {
                      const auto v =
                          MakeVersion(key, FileName(file), m_files[slot], c.now, nullptr);
                      (void) p.PublishName(c.now, v, o);
                  }
              });
    ScheduleGets(ctx, owner, slot,
                 names ? std::optional<Hash256>(NameKeyOf(key.Public(), FileName(file)))
                       : std::nullopt,
                 putAt);
}

void
DataFeature::ScheduleGets(const FeatureContext& ctx, uint32_t owner, std::size_t slot,
                          std::optional<Hash256> nameKey, TimeNs putAt)
{
    const DataStorageConfig& st = m_config.storage;
    const std::vector<uint32_t> getters = NodesAfter(owner, st.getters, 0);
    for (std::size_t g = 0; g < getters.size(); ++g)
    {
        const TimeNs at =
            putAt + kFirstGetAfterPut + static_cast<TimeNs>(g) * FromSeconds(st.getIntervalSeconds);
        if (at >= m_duration)
        {
            break;
        }
        StorageAt(ctx.host, getters[g], at,
                  [this, slot, nameKey](const ServiceContext& c, StoragePeer& p, StorageOutput& o)
                  {
                      p.Get(c.now, m_files[slot], o);
                      if (nameKey)
                      {
                          p.ResolveName(c.now, *nameKey, o);
                      }
                  });
    }
}

// Opens a connection from `from` to `to` unless the pair has one (or asked for one) or `from`
// has asked for its quota; after the current step, since peers change under it.
void
DataFeature::WantDirect(RunHost& host, uint32_t from, uint32_t to)
{
    const auto pair = std::minmax(from, to);
    uint32_t& asked = m_directAsked[from];
    if (asked >= m_config.storage.directContacts || !m_direct.insert(pair).second)
    {
        return;
    }
    ++asked;
    host.At(host.Now(), [this, &host, from, to]
            { ++(host.Connect(from, to) ? m_directOpened : m_directRefused); });
}

std::string
DataFeature::KvStoreDir(const std::string& dir, uint32_t node)
{
    return (std::filesystem::path(dir) / ("node-" + std::to_string(node))).string();
}

std::string
DataFeature::KvDirFor(const std::string& outPath)
{
    return std::filesystem::path(outPath).replace_extension(".kv").string();
}

// Opens a fresh store at each of the first kv.stores devices (a store left by an earlier run at
// the same path is removed first) and starts its batches.
void
DataFeature::StartKv(const FeatureContext& ctx)
{
    const DataKvConfig& kv = m_config.kv;
    m_kv.reserve(kv.stores);
    for (uint32_t k = 0; k < kv.stores && k < m_streams.size(); ++k)
    {
        KvRun r;
        const uint32_t device = m_streams[k].device;
        r.device = device;
        r.writer.key = KvWriterKey(ctx.seed, k);
        r.writer.node = device;
        r.id = Blake2b256("kv-store/" + std::to_string(ctx.seed) + "/" + std::to_string(device));
        r.dir = KvStoreDir(kv.dir.empty() ? "data.kv" : kv.dir, device);
        std::filesystem::remove_all(r.dir);
        std::filesystem::create_directories(r.dir);
        auto db = AuditedKvStore::Open(r.dir, r.id);
        if (!db.IsOk())
        {
            std::fprintf(stderr, "data.kv: no store at %s: %s\n", r.dir.c_str(),
                         db.GetStatus().Message().c_str());
            continue;
        }
        r.db = std::move(db).Value();
        m_kv.push_back(std::move(r));
        KvBatch(ctx, m_kv.size() - 1, FromSeconds(kv.startAtSeconds));
    }
    if (!m_kv.empty())
    {
        const FeatureContext c = ctx;
        ctx.host.At(std::max<TimeNs>(0, m_duration - kMillisecond), [this, c] { CloseKv(c); });
    }
}

// The device writes its readings, commits them as one batch, and puts the batch's chained hash
// on chain.
void
DataFeature::KvBatch(const FeatureContext& ctx, std::size_t k, TimeNs at)
{
    if (at > FromSeconds(m_config.kv.stopAtSeconds) || at >= m_duration)
    {
        return;
    }
    const FeatureContext c = ctx;
    ctx.host.At(at,
                [this, c, k, at]
                {
                    KvRun& r = m_kv[k];
                    std::string value;
                    for (uint32_t i = 0; i < m_config.kv.batchOps; ++i)
                    {
                        value = std::to_string(m_rng.Below(1000000));
                        (void) r.db->Put("reading/" + std::to_string(r.readings++), value);
                    }
                    (void) r.db->Put("latest", value);
                    auto commit = r.db->Commit();
                    if (commit.IsOk())
                    {
                        ++r.batches;
                        const KvAuditPayload p{r.id, commit.Value().seq, commit.Value().hash};
                        OwnerTx(
                            c, at, r.writer, [](const LedgerState&) { return true; },
                            [p](const TxSigner& t) {
                                return MakeTransaction(t.key, TxType::kKvAudit, t.nonce, t.fee,
                                                       t.czcHash, p.Encode());
                            });
                    }
                    KvBatch(c, k, at + FromSeconds(m_config.kv.batchIntervalSeconds));
                });
}

// Writes each store's chain file (the batch hashes its device node's irreversible state holds)
// and closes the store, so `canonsim audit` can open it.
void
DataFeature::CloseKv(const FeatureContext& ctx)
{
    for (KvRun& r : m_kv)
    {
        const Node* node = ctx.host.FullNode(r.device);
        KvChainFile file;
        file.storeId = r.id;
        if (node)
        {
            const KvAuditState& audits = IrreversibleState(node->Chain()).Data().audits;
            for (uint64_t seq = 1; const Hash256* hash = audits.BatchHash(r.id, seq); ++seq)
            {
                file.batches[seq] = *hash;
            }
            const KvAuditState& best = node->Chain().BestState().Data().audits;
            while (best.BatchHash(r.id, r.onBest + 1))
            {
                ++r.onBest;
            }
        }
        r.onChain = file.batches.size();
        const Status written = WriteKvChainFile(r.dir + ".chain", file);
        if (!written.IsOk())
        {
            std::fprintf(stderr, "data.kv: %s\n", written.Message().c_str());
        }
        r.db.reset();
    }
}

void
DataFeature::Finish()
{
    if (!m_writer)
    {
        return;
    }
    for (const DataRequestTraceRecord& r : m_shared->requests)
    {
        m_writer->Add(r);
    }
    for (const StorageOpTraceRecord& r : m_shared->storageOps)
    {
        m_writer->Add(r);
    }
}

std::map<std::string, double>
DataFeature::Figures() const
{
    std::map<std::string, double> f;
    uint64_t served = 0, wrong = 0;
    double latency = 0;
    for (const DataRequestTraceRecord& r : m_shared->requests)
    {
        latency += r.latency;
        const bool ok = r.decision == static_cast<uint8_t>(DataDecision::kServed);
        served += ok;
        wrong += ok && r.wrongly_served;
        if (!ok)
        {
            f[std::string("refused_") + DataRefusalName(static_cast<DataRefusal>(r.reason))] += 1;
        }
    }
    const auto n = static_cast<double>(m_shared->requests.size());
    f["owner_txs"] = static_cast<double>(m_ownerTxs);
    f["owner_txs_resent"] = static_cast<double>(m_ownerResent);
    if (m_config.storage.directContacts > 0)
    {
        f["direct_connections"] = static_cast<double>(m_directOpened);
        f["direct_refused"] = static_cast<double>(m_directRefused);
    }
    if (!m_kv.empty())
    {
        f["kv_audit_txs"] = static_cast<double>(m_auditTxs);
        for (const KvRun& r : m_kv)
        {
            f["kv_batches"] += static_cast<double>(r.batches);
            f["kv_batches_irreversible"] += static_cast<double>(r.onChain);
            f["kv_batches_best_chain"] += static_cast<double>(r.onBest);
        }
    }
    f["requests_answered"] = n;
    f["requests_served"] = static_cast<double>(served);
    f["requests_wrongly_served"] = static_cast<double>(wrong);
    f["request_latency_mean_s"] = n > 0 ? latency / n : 0;
    f["relay_hops"] = static_cast<double>(m_shared->relayed);
    f["no_route"] = static_cast<double>(m_shared->noRoute);
    f["dropped"] = static_cast<double>(m_shared->malformed);
    for (const StorageOpTraceRecord& r : m_shared->storageOps)
    {
        const auto op = static_cast<StorageOp>(r.op);
        if (op == StorageOp::kGet || op == StorageOp::kResolveName)
        {
            const std::string name = op == StorageOp::kGet ? "storage_gets" : "name_resolves";
            f[name] += 1;
            f[name + "_ok"] += r.ok;
        }
    }
    return f;
}

} // namespace canon
