#include "model/channels/vehicular-channel-run.h"

#include "model/chain/ledger-state.h"
#include "model/channels/channel-tx.h"
#include "model/channels/watchtower.h"
#include "model/core/rng.h"

#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <queue>

namespace canon
{

namespace
{

constexpr uint32_t kHub = 0;
constexpr uint64_t kTxFee = 1;
// Times a leaving vehicle waits for a channel's updates in flight before closing it anyway.
constexpr uint32_t kCloseRetriesMax = 5;

enum class EventKind : uint8_t
{
    kBeacon,
    kDeliver,
    kBlock,
    kLeave,
    kClose,
    kSettle,
};

struct Event
{
    TimeNs time = 0;
    uint64_t seq = 0;
    EventKind kind = EventKind::kBlock;
    uint32_t a = 0;
    uint32_t b = 0;
    Bytes bytes;
    uint32_t attempt = 0;
    ChannelId channel{}; // kSettle
};

Event
At(TimeNs time, EventKind kind, uint32_t a = 0)
{
    Event e;
    e.time = time;
    e.kind = kind;
    e.a = a;
    return e;
}

struct Later
{
    bool operator()(const Event& x, const Event& y) const
    {
        return x.time != y.time ? x.time > y.time : x.seq > y.seq;
    }
};

struct PendingTx
{
    uint32_t sender = 0;
    std::function<Transaction(uint64_t nonce)> make;
    std::function<void(const Transaction&, TimeNs)> onApplied;
};

struct ChannelInfo
{
    uint32_t a = 0;
    uint32_t b = 0;
    TimeNs openedAt = 0;
    bool closeSubmitted = false;
    bool finished = false;
    bool stale = false;
    bool victimOffline = false;
    ChannelEvidence towerEvidence; // what the victim's watchtower held when it went offline
    int cheat = -1;                // index into the cheat attempts
};

uint64_t
Short(const ChannelId& id)
{
    return HashPrefix64(id);
}

class Run
{
  public:
    explicit Run(const VehicularChannelConfig& c);
    VehicularChannelResult Go();

  private:
    uint32_t Tower() const { return m_cfg.vehicles + 1; }
    uint32_t Producer() const { return m_cfg.vehicles + 2; }
    void Schedule(Event e);
    double Position(uint32_t v, TimeNs t) const;
    bool InRange(uint32_t v, uint32_t w, TimeNs t) const;
    void Setup();
    void OpenChannel(uint32_t a, uint32_t b, uint64_t depA, uint64_t depB);
    void OnOpened(const Transaction& tx, uint32_t a, uint32_t b, TimeNs t);
    void Submit(uint32_t sender, std::function<Transaction(const TxSender&)> make,
                std::function<void(const Transaction&, TimeNs)> onApplied = {});
    void OnBlock(TimeNs t);
    void OnBeacon(uint32_t v, TimeNs t);
    void Pay(uint32_t payer, uint32_t payee, TimeNs t);
    const ChannelId* DirectChannel(uint32_t v, uint32_t w) const;
    ChannelRouter BuildRouter() const;
    void Dispatch(uint32_t from, ChannelOutput& out, TimeNs t);
    void OnLeave(uint32_t v, TimeNs t);
    void OnClose(uint32_t v, TimeNs t, uint32_t attempt);
    void CloseChannel(uint32_t v, const ChannelId& id, TimeNs t);
    const SignedChannelState* BestStale(const ChannelEndpoint& end) const;
    void CloseStale(uint32_t v, const ChannelId& id, const SignedChannelState& s, TimeNs t);
    void OnClosing(const ChannelId& id, TimeNs t);
    void OnSettle(uint32_t closer, const ChannelId& id);
    void Record(TimeNs t, const ChannelId& id, ChannelEventKind kind, uint64_t amountA,
                uint64_t amountB, uint32_t actor);
    void Finish(const ChannelId& id, TimeNs t);
    void Summarise();

    VehicularChannelConfig m_cfg;
    Rng m_rng;
    std::vector<KeyPair> m_keys;
    std::vector<ChannelNode> m_nodes;
    std::vector<double> m_x0;
    std::vector<double> m_speed;
    std::vector<bool> m_onRoad;
    std::vector<bool> m_leaving;
    std::vector<bool> m_cheater;
    std::map<ChannelId, ChannelInfo> m_channels;
    std::vector<ChannelId> m_order; // channels in opening order
    std::shared_ptr<ChainParams> m_params;
    LedgerState m_ledger;
    Hash256 m_czc{};
    uint64_t m_height = 0;
    std::vector<PendingTx> m_pending;
    std::priority_queue<Event, std::vector<Event>, Later> m_events;
    uint64_t m_seq = 0;
    uint64_t m_invoices = 0;
    VehicularChannelResult m_result;
};

Run::Run(const VehicularChannelConfig& c)
  : m_cfg(c)
  , m_rng(Rng::Derive(c.seed, "vehicular-channels"))
{
    CANON_ASSERT(c.vehicles >= 2, "the vehicular channel run needs two vehicles");
    std::vector<Address> investors;
    for (uint32_t i = 0; i <= c.vehicles + 2; ++i)
    {
        m_keys.push_back(DeriveKeyPair(c.seed, "channel-party", i));
        investors.push_back(m_keys.back().GetAddress());
    }
    m_params = std::make_shared<ChainParams>();
    m_czc = Blake2b256(std::string("CZC for the vehicular channel run"));
    m_params->czc.push_back({0, m_czc});
    m_params->genesis = MakeGenesisAllocation(investors, Blake2b256(std::string("team")),
                                              Blake2b256(std::string("community")));
    m_ledger = LedgerState::FromGenesis(*m_params);
    for (uint32_t i = 0; i <= c.vehicles; ++i)
    {
        m_nodes.emplace_back(i, m_keys[i]);
    }
}

void
Run::Schedule(Event e)
{
    e.seq = m_seq++;
    m_events.push(std::move(e));
}

double
Run::Position(uint32_t v, TimeNs t) const
{
    return std::fmod(m_x0[v] + m_speed[v] * ToSeconds(t), m_cfg.roadLengthM);
}

bool
Run::InRange(uint32_t v, uint32_t w, TimeNs t) const
{
    const double d = std::fabs(Position(v, t) - Position(w, t));
    return std::min(d, m_cfg.roadLengthM - d) <= m_cfg.rangeM;
}

void
Run::Submit(uint32_t sender, std::function<Transaction(const TxSender&)> make,
            std::function<void(const Transaction&, TimeNs)> onApplied)
{
    const KeyPair* key = &m_keys[sender];
    const Hash256 czc = m_czc;
    m_pending.push_back(PendingTx{sender,
                                  [make, key, czc](uint64_t nonce) {
                                      return make(TxSender{key, nonce, kTxFee, czc});
                                  },
                                  std::move(onApplied)});
}

void
Run::OpenChannel(uint32_t a, uint32_t b, uint64_t depA, uint64_t depB)
{
    const KeyPair* kb = &m_keys[b];
    const TimeNs period = m_cfg.challengePeriod;
    Submit(
        a, [=](const TxSender& s) { return MakeChannelOpenTx(s, *kb, depA, depB, period); },
        [this, a, b](const Transaction& tx, TimeNs t) { OnOpened(tx, a, b, t); });
}

void
Run::OnOpened(const Transaction& tx, uint32_t a, uint32_t b, TimeNs t)
{
    const ChannelId id = ChannelIdFor(tx.sender, tx.nonce);
    const OnChainChannel& c = m_ledger.Channels().channels.at(id);
    const uint64_t depA = c.closing.balanceA, depB = c.closing.balanceB;
    const std::size_t historyA = m_cheater[a] ? 64 : 0, historyB = m_cheater[b] ? 64 : 0;
    m_nodes[a].AddChannel(b, {m_keys[a], m_keys[b].Public(), true, id, depA, depB, historyA});
    m_nodes[b].AddChannel(a, {m_keys[b], m_keys[a].Public(), false, id, depA, depB, historyB});
    ChannelInfo info;
    info.a = a;
    info.b = b;
    info.openedAt = t;
    m_channels[id] = info;
    m_order.push_back(id);
    Record(t, id, ChannelEventKind::kOpen, depA, depB, a);
}

void
Run::Setup()
{
    for (uint32_t v = 0; v <= m_cfg.vehicles; ++v)
    {
        m_x0.push_back(m_rng.Uniform() * m_cfg.roadLengthM);
        m_speed.push_back(m_cfg.speedMinMps +
                          m_rng.Uniform() * (m_cfg.speedMaxMps - m_cfg.speedMinMps));
        m_onRoad.push_back(v != kHub);
        m_leaving.push_back(false);
        m_cheater.push_back(v != kHub && m_rng.Chance(m_cfg.cheaterShare));
    }
    for (uint32_t v = 1; v <= m_cfg.vehicles; ++v)
    {
        OpenChannel(v, kHub, m_cfg.vehicleDeposit, m_cfg.hubDeposit);
        // The nearest vehicles ahead at the start (a platoon-like neighbourhood).
        std::vector<std::pair<double, uint32_t>> ahead;
        for (uint32_t w = 1; w <= m_cfg.vehicles; ++w)
        {
            const double gap = std::fmod(m_x0[w] - m_x0[v] + m_cfg.roadLengthM, m_cfg.roadLengthM);
            ahead.emplace_back(w == v ? m_cfg.roadLengthM * 2 : gap, w);
        }
        std::sort(ahead.begin(), ahead.end());
        for (uint32_t k = 0; k < m_cfg.directChannels && k + 1 < m_cfg.vehicles; ++k)
        {
            OpenChannel(v, ahead[k].second, m_cfg.vehicleDeposit, m_cfg.vehicleDeposit);
        }
        const TimeNs stay =
            m_cfg.stayMin +
            static_cast<TimeNs>(m_rng.Uniform() * ToSeconds(m_cfg.stayMax - m_cfg.stayMin) * 1e9);
        const auto phase =
            static_cast<TimeNs>(m_rng.Below(static_cast<uint64_t>(m_cfg.beaconInterval)));
        Schedule(At(m_cfg.slot + phase, EventKind::kBeacon, v));
        Schedule(At(stay, EventKind::kLeave, v));
    }
    Schedule(At(m_cfg.slot, EventKind::kBlock));
}

void
Run::OnBlock(TimeNs t)
{
    ++m_height;
    TxContext ctx;
    ctx.activeCzc = m_czc;
    ctx.feeRecipient = m_keys[Producer()].GetAddress();
    ctx.now = t;
    ctx.height = m_height;
    std::vector<PendingTx> txs = std::move(m_pending);
    m_pending.clear();
    for (PendingTx& p : txs)
    {
        const Transaction tx = p.make(m_ledger.NonceOf(m_keys[p.sender].GetAddress()));
        if (!m_ledger.ApplyTransaction(tx, ctx).IsOk())
        {
            ++m_result.summary.onChainRefused;
            continue;
        }
        ++m_result.summary.onChainTxs;
        if (p.onApplied)
        {
            p.onApplied(tx, t);
        }
    }
    CANON_ASSERT(m_ledger.TotalSupply() == kTotalSupply, "supply changed in the channel run");
    Schedule(At(t + m_cfg.slot, EventKind::kBlock));
}

const ChannelId*
Run::DirectChannel(uint32_t v, uint32_t w) const
{
    for (const auto& [id, end] : m_nodes[v].Channels())
    {
        if (m_nodes[v].PeerOf(id) == w && !m_nodes[v].IsRetired(id))
        {
            return &id;
        }
    }
    return nullptr;
}

ChannelRouter
Run::BuildRouter() const
{
    std::vector<NodeFee> fees{m_cfg.hubFee}; // the hub is node 0
    fees.resize(m_nodes.size());
    ChannelRouter r(fees);
    for (const ChannelId& id : m_order)
    {
        const ChannelInfo& info = m_channels.at(id);
        if (info.closeSubmitted || m_leaving[info.a] || m_leaving[info.b])
        {
            continue;
        }
        for (uint32_t side : {info.a, info.b})
        {
            const ChannelNode& n = m_nodes[side];
            const ChannelEndpoint& end = n.Channels().at(id);
            r.AddEdge(ChannelEdge{side, n.PeerOf(id), id, end.OwnBalance()});
        }
    }
    return r;
}

void
Run::Pay(uint32_t payer, uint32_t payee, TimeNs t)
{
    ChannelOutput out;
    if (const ChannelId* direct = DirectChannel(payer, payee))
    {
        ++m_result.summary.paymentsDirect;
        m_nodes[payer].PayDirect(*direct, m_cfg.pricePerMessage, out);
        Dispatch(payer, out, t);
        return;
    }
    auto route = BuildRouter().Cheapest(payer, payee, m_cfg.pricePerMessage);
    if (!route)
    {
        ++m_result.summary.noRoute;
        return;
    }
    ++m_result.summary.paymentsMultiHop;
    Bytes seed(8);
    for (int i = 0; i < 8; ++i)
    {
        seed[static_cast<std::size_t>(i)] = static_cast<uint8_t>(m_invoices >> (8 * i));
    }
    ++m_invoices;
    const Hash256 preimage = Blake2b256(seed);
    m_nodes[payee].ExpectPayment(preimage);
    m_nodes[payer].PayRoute(*route, Blake2b256(preimage.data(), preimage.size()), t, m_cfg.hopDelta,
                            out);
    Dispatch(payer, out, t);
}

void
Run::Dispatch(uint32_t from, ChannelOutput& out, TimeNs t)
{
    for (ChannelSend& s : out.sends)
    {
        const bool radio = from != kHub && s.to != kHub && InRange(from, s.to, t);
        const TimeNs delay = radio ? m_cfg.radioLatency : m_cfg.backhaulLatency;
        Event e = At(t + delay, EventKind::kDeliver, from);
        e.b = s.to;
        e.bytes = std::move(s.bytes);
        Schedule(std::move(e));
    }
    auto& sum = m_result.summary;
    sum.offChainMessages += out.sends.size();
    sum.offChainUpdates += out.updates;
    for (const PaymentOutcome& o : out.outcomes)
    {
        ++(o.settled ? sum.paymentsSettled
                     : (o.abandoned ? sum.paymentsAbandoned : sum.paymentsFailed));
    }
}

void
Run::OnBeacon(uint32_t v, TimeNs t)
{
    if (!m_onRoad[v] || m_leaving[v])
    {
        return;
    }
    for (uint32_t w = 1; w <= m_cfg.vehicles; ++w)
    {
        if (w != v && m_onRoad[w] && !m_leaving[w] && InRange(v, w, t))
        {
            Pay(w, v, t);
        }
    }
    Schedule(At(t + m_cfg.beaconInterval, EventKind::kBeacon, v));
}

void
Run::OnLeave(uint32_t v, TimeNs t)
{
    m_leaving[v] = true;
    Schedule(At(t + m_cfg.drain, EventKind::kClose, v));
}

void
Run::OnClose(uint32_t v, TimeNs t, uint32_t attempt)
{
    m_onRoad[v] = false;
    bool waiting = false;
    for (const auto& [id, end] : m_nodes[v].Channels())
    {
        const ChannelInfo& info = m_channels.at(id);
        if (info.closeSubmitted)
        {
            continue;
        }
        const uint32_t peer = m_nodes[v].PeerOf(id);
        const bool quiet =
            m_nodes[v].Idle(id) && m_nodes[peer].Idle(id) && end.Latest().state.htlcs.empty();
        if (!quiet && attempt < kCloseRetriesMax)
        {
            waiting = true;
            continue;
        }
        CloseChannel(v, id, t);
    }
    if (waiting)
    {
        Event again = At(t + m_cfg.drain, EventKind::kClose, v);
        again.attempt = attempt + 1;
        Schedule(again);
    }
}

const SignedChannelState*
Run::BestStale(const ChannelEndpoint& end) const
{
    const SignedChannelState* best = nullptr;
    uint64_t bestOwn = end.OwnBalance();
    const bool isA = end.Self() == m_keys[m_channels.at(end.Id()).a].Public();
    for (const SignedChannelState& s : end.History())
    {
        const uint64_t own = isA ? s.state.balanceA : s.state.balanceB;
        if (own > bestOwn)
        {
            best = &s;
            bestOwn = own;
        }
    }
    return best;
}

void
Run::CloseChannel(uint32_t v, const ChannelId& id, TimeNs t)
{
    ChannelInfo& info = m_channels.at(id);
    info.closeSubmitted = true;
    ChannelOutput out;
    m_nodes[info.a].Retire(id, out);
    m_nodes[info.b].Retire(id, out);
    Dispatch(v, out, t);
    const ChannelEndpoint& end = m_nodes[v].Channels().at(id);
    if (m_cheater[v])
    {
        if (const SignedChannelState* stale = BestStale(end))
        {
            CloseStale(v, id, *stale, t);
            return;
        }
    }
    SignedChannelState latest = end.Latest();
    const bool coop = latest.state.htlcs.empty();
    if (latest.state.seq == 0)
    {
        // An unused channel: the two sign the opening split off chain to close it together.
        latest.sigA = SignChannelState(m_keys[info.a], latest.state);
        latest.sigB = SignChannelState(m_keys[info.b], latest.state);
    }
    Submit(
        v, [latest, coop](const TxSender& s) { return MakeChannelCloseTx(s, latest, coop); },
        [this, id, coop, v](const Transaction&, TimeNs at)
        {
            if (coop)
            {
                const ChannelState& st = m_ledger.Channels().channels.at(id).closing;
                Record(at, id, ChannelEventKind::kCoopClose, st.balanceA, st.balanceB, v);
                Finish(id, at);
                return;
            }
            OnClosing(id, at);
        });
}

void
Run::CloseStale(uint32_t v, const ChannelId& id, const SignedChannelState& s, TimeNs t)
{
    ChannelInfo& info = m_channels.at(id);
    const uint32_t victim = info.a == v ? info.b : info.a;
    const ChannelEndpoint& end = m_nodes[v].Channels().at(id);
    const ChannelEndpoint& victimEnd = m_nodes[victim].Channels().at(id);
    CheatAttempt c;
    c.time = ToSeconds(t);
    c.cheater = v;
    c.victim = victim;
    c.staleSeq = s.state.seq;
    c.latestSeq = end.Latest().state.seq;
    const bool isA = info.a == v;
    c.gainIfUnchallenged = (isA ? s.state.balanceA : s.state.balanceB) - end.OwnBalance();
    c.victimOnline = victim == kHub || !m_rng.Chance(m_cfg.offlineShare);
    c.watchtower = m_cfg.watchtower;
    c.outcome = "pending at end";
    c.challenger = "none";
    info.stale = true;
    info.victimOffline = !c.victimOnline;
    info.towerEvidence = EvidenceOf(victimEnd);
    info.cheat = static_cast<int>(m_result.summary.cheats.size());
    m_result.summary.cheats.push_back(c);
    Submit(
        v, [s](const TxSender& tx) { return MakeChannelCloseTx(tx, s, false); },
        [this, id](const Transaction&, TimeNs at) { OnClosing(id, at); });
}

// A unilateral close is in a block: the victim or its watchtower may challenge; after the period
// the closer settles.
void
Run::OnClosing(const ChannelId& id, TimeNs t)
{
    ChannelInfo& info = m_channels.at(id);
    const OnChainChannel& c = m_ledger.Channels().channels.at(id);
    const uint32_t closer = c.closedByA ? info.a : info.b;
    const uint32_t victim = c.closedByA ? info.b : info.a;
    Record(t, id, ChannelEventKind::kUnilateralClose, c.closing.balanceA, c.closing.balanceB,
           closer);
    std::optional<ChannelChallengePayload> challenge;
    uint32_t challenger = victim;
    if (!info.victimOffline)
    {
        challenge = ChallengeFor(id, c, EvidenceOf(m_nodes[victim].Channels().at(id)));
    }
    else if (m_cfg.watchtower)
    {
        challenge = ChallengeFor(id, c, info.towerEvidence);
        challenger = Tower();
    }
    if (challenge)
    {
        Submit(
            challenger,
            [ch = *challenge](const TxSender& s) { return MakeChannelChallengeTx(s, ch); },
            [this, id, challenger](const Transaction&, TimeNs at)
            {
                const OnChainChannel& done = m_ledger.Channels().channels.at(id);
                const bool penalty = done.kind == ChannelCloseKind::kPenalty;
                Record(at, id, penalty ? ChannelEventKind::kPenalty : ChannelEventKind::kChallenge,
                       done.closing.balanceA, done.closing.balanceB, challenger);
                ChannelInfo& ci = m_channels.at(id);
                if (ci.cheat >= 0)
                {
                    auto& attempt = m_result.summary.cheats[static_cast<std::size_t>(ci.cheat)];
                    attempt.challenger = challenger == Tower() ? "watchtower" : "victim";
                    attempt.outcome = penalty ? "penalised" : "replaced by a newer state";
                }
                if (penalty)
                {
                    Finish(id, at);
                }
            });
    }
    // Settle once the period is over (unless a penalty closed it already).
    Event settle = At(c.deadline + m_cfg.slot, EventKind::kSettle, closer);
    settle.channel = id;
    Schedule(settle);
}

void
Run::OnSettle(uint32_t closer, const ChannelId& id)
{
    if (m_ledger.Channels().channels.at(id).phase != ChannelPhase::kClosing)
    {
        return;
    }
    Submit(
        closer, [id](const TxSender& s) { return MakeChannelSettleTx(s, id); },
        [this, id, closer](const Transaction&, TimeNs at)
        {
            const ChannelState& st = m_ledger.Channels().channels.at(id).closing;
            Record(at, id, ChannelEventKind::kSettle, st.balanceA, st.balanceB, closer);
            Finish(id, at);
        });
}

void
Run::Record(TimeNs t, const ChannelId& id, ChannelEventKind kind, uint64_t amountA,
            uint64_t amountB, uint32_t actor)
{
    const ChannelInfo& info = m_channels.at(id);
    ChannelEvent e;
    e.time = ToSeconds(t);
    e.channel = Short(id);
    e.partyA = info.a;
    e.partyB = info.b;
    e.kind = kind;
    const auto& ends = m_nodes[info.a].Channels();
    auto it = ends.find(id);
    e.updates = it == ends.end() ? 0 : it->second.Latest().state.seq;
    e.amountA = amountA;
    e.amountB = amountB;
    e.actor = actor;
    e.stale = info.stale;
    m_result.events.push_back(e);
}

void
Run::Finish(const ChannelId& id, TimeNs t)
{
    ChannelInfo& info = m_channels.at(id);
    info.finished = true;
    m_result.summary.lifetimesSeconds.push_back(ToSeconds(t - info.openedAt));
}

void
Run::Summarise()
{
    auto& sum = m_result.summary;
    sum.durationSeconds = ToSeconds(m_cfg.duration);
    sum.channelsOpened = m_order.size();
    for (const ChannelId& id : m_order)
    {
        (m_channels.at(id).finished ? sum.channelsClosed : sum.channelsOpenAtEnd) += 1;
        const ChannelInfo& info = m_channels.at(id);
        const OnChainChannel& c = m_ledger.Channels().channels.at(id);
        if (info.cheat >= 0 && c.kind == ChannelCloseKind::kUnilateral)
        {
            sum.cheats[static_cast<std::size_t>(info.cheat)].outcome = "stale state paid out";
        }
    }
    sum.supplyAtEnd = m_ledger.TotalSupply();
}

VehicularChannelResult
Run::Go()
{
    const auto start = std::chrono::steady_clock::now();
    Setup();
    while (!m_events.empty() && m_events.top().time <= m_cfg.duration)
    {
        Event e = m_events.top();
        m_events.pop();
        switch (e.kind)
        {
            case EventKind::kBeacon:
                OnBeacon(e.a, e.time);
                break;
            case EventKind::kDeliver:
            {
                ChannelOutput out;
                m_nodes[e.b].OnMessage(e.a, e.bytes, e.time, out);
                Dispatch(e.b, out, e.time);
                break;
            }
            case EventKind::kBlock:
                OnBlock(e.time);
                break;
            case EventKind::kLeave:
                OnLeave(e.a, e.time);
                break;
            case EventKind::kClose:
                OnClose(e.a, e.time, e.attempt);
                break;
            case EventKind::kSettle:
                OnSettle(e.a, e.channel);
                break;
        }
    }
    Summarise();
    m_result.summary.wallSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return m_result;
}

} // namespace

VehicularChannelResult
RunVehicularChannels(const VehicularChannelConfig& config)
{
    return Run(config).Go();
}

} // namespace canon
