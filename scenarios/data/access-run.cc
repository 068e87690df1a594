#include "scenarios/data/access-run.h"

#include "model/core/rng.h"
#include "model/data/access-tx.h"
#include "model/data/data-client.h"
#include "model/data/data-service.h"
#include "model/sim/harness.h"

#include <functional>
#include <map>
#include <memory>

namespace canon
{

namespace
{

// Node roles: the owner's wallet talks to node 1, the device runs on node 2, grantee i on node
// 3 + i (the harness's node 0 is its reference node).
constexpr uint32_t kOwnerNode = 1;
constexpr uint32_t kDeviceNode = 2;
constexpr uint32_t kFirstGranteeNode = 3;

struct Grantee
{
    std::unique_ptr<DataClient> client;
    uint32_t node = 0;
    bool revoked = false;
    TimeNs grantedAt = 0;
    TimeNs firstServedSentAt = -1;
    TimeNs lastServedAt = -1;
    // Per outstanding request: whether the device saw the revocation, or the grant, in its best
    // chain when it answered.
    std::map<uint64_t, std::pair<bool, bool>> seenAtAnswer;
};

class AccessRun
{
  public:
    explicit AccessRun(const AccessRunSpec& spec);
    AccessRunResult Run();

  private:
    using Action = std::function<void()>;
    void At(TimeNs t, Action a) { m_events.emplace(std::make_pair(t, m_seq++), std::move(a)); }
    void SubmitOwnerTx(TimeNs t, std::function<Transaction(const TxSigner&)> make);
    void ScheduleChain();
    void ScheduleRequests(uint32_t g);
    TimeNs PathDelay(std::size_t bytes);
    void Request(uint32_t g);
    void Answer(uint32_t g, SharedBytes bytes);
    void Receive(uint32_t g, SharedBytes bytes);
    void Rotate();
    void Summarise();
    // The first live node from `node` on (a crashed node's wallet or client moves on).
    uint32_t LiveFrom(uint32_t node) const;

    AccessRunSpec m_spec;
    std::unique_ptr<Harness> m_harness;
    Rng m_rng;
    KeyPair m_owner;
    uint64_t m_ownerNonce = 0;
    Bytes m_data;
    Hash256 m_stream{};
    Hash256 m_keySeed{};
    DataServer m_device;
    std::vector<Grantee> m_grantees;
    std::multimap<std::pair<TimeNs, uint64_t>, Action> m_events;
    uint64_t m_seq = 0;
    AccessRunResult m_result;
};

uint32_t
AccessRun::LiveFrom(uint32_t node) const
{
    for (uint32_t i = 0; i < m_spec.nodes; ++i)
    {
        const uint32_t n = (node + i) % m_spec.nodes;
        if (m_harness->GetNode(n))
        {
            return n;
        }
    }
    CANON_ASSERT(false, "every node is down");
    return node;
}

HarnessConfig
ChainConfig(const AccessRunSpec& spec)
{
    HarnessConfig c;
    c.seed = spec.seed;
    c.nodeCount = spec.nodes;
    c.producerCount = spec.producers;
    c.txPerSecond = 0; // the data transactions only: the owner's wallet is the only sender
    c.randomFaultsUntil = spec.randomFaultsUntil;
    return c;
}

DataServerConfig
DeviceConfig(const AccessRunSpec& spec)
{
    DataServerConfig c;
    c.rule = spec.rule;
    return c;
}

AccessRun::AccessRun(const AccessRunSpec& spec)
  : m_spec(spec)
  , m_harness(std::make_unique<Harness>(ChainConfig(spec)))
  , m_rng(Rng::Derive(spec.seed, "data-path"))
  , m_owner(DeriveKeyPair(spec.seed, "account", 0))
  , m_device(DeviceConfig(spec))
{
    CANON_ASSERT(spec.nodes >= kFirstGranteeNode + spec.grantees, "too few nodes for grantees");
    CANON_ASSERT(spec.revoked <= spec.grantees, "more revoked than grantees");
    for (uint32_t i = 0; i < 512; ++i)
    {
        m_data.push_back(static_cast<uint8_t>(m_rng.Below(256)));
    }
    m_stream = StreamIdOf(Blake2b256(m_data));
    m_keySeed = Blake2b256(std::string("owner data key seed ") + std::to_string(spec.seed));
    m_device.Hold(m_stream, HeldStream{1, EncryptData(DeriveDataKey(m_keySeed, 1), m_data)});
    for (uint32_t g = 0; g < spec.grantees; ++g)
    {
        Grantee x;
        x.client = std::make_unique<DataClient>(DeriveKeyPair(spec.seed, "data-grantee", g));
        x.node = kFirstGranteeNode + g;
        m_grantees.push_back(std::move(x));
    }
}

void
AccessRun::SubmitOwnerTx(TimeNs t, std::function<Transaction(const TxSigner&)> make)
{
    const uint64_t nonce = m_ownerNonce++;
    At(t,
       [this, nonce, make]
       {
           const TxSigner s{m_owner, nonce, 10, m_harness->Params().czc.front().czcHash};
           m_harness->SubmitTransaction(LiveFrom(kOwnerNode), make(s));
       });
}

void
AccessRun::ScheduleChain()
{
    const Hash256 digest = Blake2b256(m_data);
    SubmitOwnerTx(2 * kSecond,
                  [digest](const TxSigner& s) { return MakeRegisterStreamTx(s, digest); });
    const DataKey v1 = DeriveDataKey(m_keySeed, 1);
    for (auto& g : m_grantees)
    {
        g.grantedAt = 5 * kSecond;
        const PublicKey pk = g.client->Key().Public();
        SubmitOwnerTx(g.grantedAt, [this, pk, v1](const TxSigner& s)
                      { return MakeGrantTx(s, m_stream, pk, 1, v1); });
    }
    for (uint32_t i = 0; i < m_spec.revoked; ++i)
    {
        m_grantees[i].revoked = true;
        const Address who = m_grantees[i].client->Key().GetAddress();
        SubmitOwnerTx(m_spec.revokeAt,
                      [this, who](const TxSigner& s) { return MakeRevokeTx(s, m_stream, who); });
    }
    if (!m_spec.rotate)
    {
        return;
    }
    At(m_spec.revokeAt, [this] { Rotate(); });
    const DataKey v2 = DeriveDataKey(m_keySeed, 2);
    for (uint32_t i = m_spec.revoked; i < m_spec.grantees; ++i)
    {
        const PublicKey pk = m_grantees[i].client->Key().Public();
        SubmitOwnerTx(m_spec.revokeAt, [this, pk, v2](const TxSigner& s)
                      { return MakeGrantTx(s, m_stream, pk, 2, v2); });
    }
}

void
AccessRun::Rotate()
{
    m_device.Hold(m_stream, HeldStream{2, EncryptData(DeriveDataKey(m_keySeed, 2), m_data)});
}

TimeNs
AccessRun::PathDelay(std::size_t bytes)
{
    const LinkModel link; // the harness's links
    TimeNs d = 0;
    for (uint32_t h = 0; h < m_spec.hops; ++h)
    {
        d += link.latency + static_cast<TimeNs>(m_rng.Below(static_cast<uint64_t>(link.jitter)));
        d += static_cast<TimeNs>(static_cast<double>(bytes) / link.bandwidthBytesPerSecond * 1e9);
    }
    return d;
}

void
AccessRun::ScheduleRequests(uint32_t g)
{
    for (TimeNs t = m_grantees[g].grantedAt; t < m_spec.duration; t += m_spec.requestInterval)
    {
        At(t, [this, g] { Request(g); });
    }
}

void
AccessRun::Request(uint32_t g)
{
    const TimeNs now = m_harness->Now();
    const SharedBytes bytes = EncodeDataRequest(m_grantees[g].client->MakeRequest(now, m_stream));
    ++m_result.requests;
    At(now + PathDelay(bytes->size()), [this, g, bytes] { Answer(g, bytes); });
}

void
AccessRun::Answer(uint32_t g, SharedBytes bytes)
{
    const TimeNs now = m_harness->Now();
    auto decoded = DecodeDataMessage(*bytes);
    CANON_ASSERT(decoded.IsOk(), "a request the scenario encoded does not decode");
    const auto& request = std::get<DataRequest>(decoded.Value().body);
    const Node* device = m_harness->GetNode(kDeviceNode);
    if (!device)
    {
        ++m_result.lost; // the device is down: no answer
        return;
    }
    const ConsensusChain& chain = device->Chain();
    const DataRefusal inBest =
        GrantStatusIn(chain.BestState(), m_stream, AddressOf(request.requester));
    m_grantees[g].seenAtAnswer[request.requestId] = {inBest == DataRefusal::kRevoked,
                                                     inBest == DataRefusal::kNone};
    const DataResponse r =
        m_device.Answer(now, request, chain.BestState(), IrreversibleState(chain));
    const SharedBytes out = EncodeDataResponse(r);
    At(now + PathDelay(out->size()), [this, g, out] { Receive(g, out); });
}

void
AccessRun::Receive(uint32_t g, SharedBytes bytes)
{
    const TimeNs now = m_harness->Now();
    Grantee& x = m_grantees[g];
    auto decoded = DecodeDataMessage(*bytes);
    CANON_ASSERT(decoded.IsOk(), "a response the scenario encoded does not decode");
    const auto& r = std::get<DataResponse>(decoded.Value().body);
    const Node* view = m_harness->GetNode(LiveFrom(x.node));
    auto o = x.client->OnResponse(now, r, bytes->size(), view->Chain().BestState());
    CANON_ASSERT(o.has_value(), "a response without its request");
    const auto [revokeVisible, grantVisible] = x.seenAtAnswer.at(o->requestId);
    x.seenAtAnswer.erase(o->requestId);
    m_result.latencies.push_back(ToSeconds(o->latency));
    m_result.records.push_back({ToSeconds(now), x.node, HashPrefix64(o->stream), o->decision,
                                o->reason, ToSeconds(o->latency), o->bytes, o->readable});
    if (o->decision != DataDecision::kServed)
    {
        ++m_result.refused[static_cast<std::size_t>(o->reason)];
        m_result.refusedWhileGrantVisible += !x.revoked && grantVisible ? 1u : 0u;
        return;
    }
    ++m_result.served;
    x.firstServedSentAt = x.firstServedSentAt < 0 ? o->sentAt : x.firstServedSentAt;
    x.lastServedAt = now;
    if (x.revoked && o->sentAt >= m_spec.revokeAt)
    {
        ++m_result.servedAfterRevokeSent;
        m_result.servedAfterRevokeVisible += revokeVisible ? 1u : 0u;
        m_result.readableAfterRevokeVisible += revokeVisible && o->readable ? 1u : 0u;
    }
    m_result.grantedUnreadable += !x.revoked && !o->readable ? 1u : 0u;
}

void
AccessRun::Summarise()
{
    double grantSum = 0, revokeSum = 0;
    uint32_t granted = 0, revoked = 0;
    for (const Grantee& x : m_grantees)
    {
        if (x.firstServedSentAt >= 0)
        {
            grantSum += ToSeconds(x.firstServedSentAt - x.grantedAt);
            ++granted;
        }
        if (x.revoked)
        {
            revokeSum += x.lastServedAt > m_spec.revokeAt
                             ? ToSeconds(x.lastServedAt - m_spec.revokeAt)
                             : 0.0;
            ++revoked;
        }
    }
    m_result.grantToServedMean = granted ? grantSum / granted : -1;
    m_result.revokeToLastServedMean = revoked ? revokeSum / revoked : 0;
    const HarnessReport report = m_harness->Report();
    m_result.reorgs = report.reorgs;
    m_result.violations = report.violations;
}

AccessRunResult
AccessRun::Run()
{
    ScheduleChain();
    for (uint32_t g = 0; g < m_grantees.size(); ++g)
    {
        ScheduleRequests(g);
    }
    while (!m_events.empty() && m_events.begin()->first.first <= m_spec.duration)
    {
        auto it = m_events.begin();
        m_harness->RunUntil(it->first.first);
        Action a = std::move(it->second);
        m_events.erase(it);
        a();
    }
    m_harness->RunUntil(m_spec.duration);
    Summarise();
    return m_result;
}

} // namespace

AccessRunResult
RunAccessScenario(const AccessRunSpec& spec)
{
    AccessRun run(spec);
    return run.Run();
}

} // namespace canon
