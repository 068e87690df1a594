#include "model/run/channels-feature.h"

#include "model/channels/channel-tx.h"
#include "model/channels/hearing-grid.h"
#include "model/channels/watchtower.h"
#include "model/core/rng.h"
#include "model/node/node-service.h"
#include "model/trace/trace-writer.h"

#include <algorithm>
#include <cmath>

namespace canon
{

namespace
{

// Times a leaving vehicle waits for a channel's updates in flight before closing it anyway.
constexpr uint32_t kCloseRetriesMax = 5;
// States a cheater keeps to pick its best stale one from.
constexpr std::size_t kCheaterHistory = 64;
// Safety-message phases are multiples of this.
constexpr TimeNs kBeaconQuantum = 10 * kMillisecond;

struct ChannelInfo
{
    uint32_t a = 0;
    uint32_t b = 0;
    bool endA = false; // party a's end exists (its node held the open deep enough)
    bool endB = false;
    bool seen = false; // the open was seen on some party's chain
    TimeNs openedAt = 0;
    ChannelPhase phase = ChannelPhase::kOpen;
    uint32_t challenges = 0;
    bool closeSubmitted = false;
    uint32_t closer = 0;
    bool challengedA = false; // party a (or the tower for it) sent its challenge
    bool challengedB = false;
    bool towerChallenged = false;
    TimeNs towerSawClose = -1; // when the tower's node first showed the close
    uint32_t challenger = 0;
    bool settleSubmitted = false;
    TimeNs closeSentAt = 0;
    std::function<Transaction(const TxSender&)> closeTx; // sent again if it is lost
    bool stale = false;
    bool finished = false;
    int cheat = -1;
};

TimeNs
Seconds(double s)
{
    return static_cast<TimeNs>(std::llround(s * 1e9));
}

} // namespace

struct ChannelsFeature::Impl
{
    ChannelsConfig cfg;
    uint32_t vehicles = 0;
    RunHost* host = nullptr;
    const RunGenesis* genesis = nullptr;
    TraceWriter* writer = nullptr;
    std::function<void(uint32_t, const Transaction&)> submit;
    Rng rng{1};
    std::vector<std::unique_ptr<ChannelNode>> parties; // null: not a party
    // Each party's channel account: its own key, funded by its node's account at the start, so
    // its nonces are the feature's alone (the node's account also sends CZR claims).
    std::vector<KeyPair> keys;
    NonceBook* nodeNonces = nullptr; // the node accounts', shared (funding transfers)
    std::vector<std::pair<uint32_t, uint32_t>> toOpen; // (opener, peer) waiting for funds
    uint32_t openRounds = 0;
    TimeNs lastTime = 0;
    std::vector<std::vector<uint32_t>> peers; // party peers, read at open time
    std::vector<uint64_t> nonces;
    std::vector<Hash256> signedCzc; // per party: the CZC hash its last transaction carried
    std::vector<bool> leaving;
    std::vector<bool> cheater;
    std::vector<std::vector<ChannelId>> byParty;
    std::map<ChannelId, ChannelInfo> channels;
    // Safety messages due, by time: phases fall on a kBeaconQuantum grid, so the vehicles share
    // few instants and one position snapshot serves every sender of an instant.
    std::map<TimeNs, std::vector<uint32_t>> beaconsDue;
    HearingGrid hearing{1, 1};
    std::vector<ChannelId> order; // in order of submission
    int64_t tower = -1;
    Watchtower watchtower;
    uint64_t invoices = 0;
    uint64_t undeliverable = 0;
    uint64_t refusedMessages = 0;
    uint64_t reestablishes = 0;
    uint64_t txsSubmitted = 0;
    uint64_t coopNotLast = 0; // cooperative closes that paid other than the last state
    bool summarised = false;
    std::vector<ChannelEvent> events;
    ChannelRunSummary sum;

    bool IsVehicle(uint32_t i) const { return i < vehicles; }
    bool IsParty(uint32_t i) const { return i < parties.size() && parties[i] != nullptr; }
    void Start(uint64_t seed);
    void ReadPeers(uint32_t i, const ServiceContext& c);
    void OpenAll();
    void Fund(uint32_t i);
    bool Funded(const Node& node, uint32_t i) const;
    void TryOpens();
    void Open(uint32_t i, uint32_t p, const Node& node);
    const KeyPair& Key(uint32_t i) const { return keys[i]; }
    void SubmitFrom(uint32_t i, std::function<Transaction(const TxSender&)> make);
    // Party i's sender on `node`'s chain: its next nonce and that chain's terms (TermsOn). A new
    // CZC hash makes it count again from the chain: what it signed under the old one is dead.
    TxSender SenderOn(uint32_t i, const Node& node);
    void Emit(const ServiceContext& c, ChannelOutput& out, Actions& a);
    void OnMessage(uint32_t self, const ServiceContext& c, const MessageInput& in, Actions& a);
    void OnTip(uint32_t self, const ServiceContext& c, Actions& a);
    void AddEnd(uint32_t self, const ChannelId& id, const OnChainChannel& c);
    void Observe(const ChannelId& id, const OnChainChannel& c, TimeNs now);
    void Challenge(uint32_t self, const ChannelId& id, const OnChainChannel& c);
    void TowerTip(const ServiceContext& c);
    bool Ready(const ChannelId& id) const;
    void ScheduleBeacon(uint32_t v, TimeNs at);
    void BeaconRound(TimeNs at);
    bool Listens(uint32_t w) const;
    std::vector<uint32_t> Listeners() const;
    std::vector<uint32_t> PeerListeners(uint32_t v) const;
    void Pay(uint32_t payer, uint32_t payee, const ServiceContext& c, Actions& a);
    ChannelRouter Router() const;
    void Leave(uint32_t v);
    void CloseAll(uint32_t v, uint32_t attempt);
    void Close(uint32_t v, const ChannelId& id, const ServiceContext& c, Actions& a);
    const SignedChannelState* BestStale(uint32_t v, const ChannelEndpoint& end) const;
    void SubmitClose(uint32_t v, const ChannelId& id,
                     std::function<Transaction(const TxSender&)> make);
    void CloseStale(uint32_t v, const ChannelId& id, const SignedChannelState& s);
    void Record(TimeNs t, const ChannelId& id, ChannelEventKind kind, uint64_t amountA,
                uint64_t amountB, uint32_t actor);
    void Summarise();
    void TickLoop(uint32_t i);
    // Injected updates and payments (tests).
    std::map<ChannelId, std::pair<uint32_t, Bytes>> lastPropose; // kept while injections wait
    uint32_t injectionsWaiting = 0;
    std::vector<std::pair<double, std::function<void()>>> injections; // scheduled at Attach
    std::map<Hash256, std::size_t> injectedBytes; // hash of the message -> injectedUpdates index
    void Remember(uint32_t from, const Bytes& bytes);
    bool Quiet(const ChannelId& id) const;
    void SendInjected(InjectedUpdateKind kind);
    InjectedUpdate* Injected(uint32_t self, const MessageInput& in);
    void StartInjectedPayment(bool payeeKnowsInvoice);
    void OnOutcome(const PaymentOutcome& o);
    void SnapshotInjected();
    bool lossArmed = false;
    bool Lose(uint32_t from, const ChannelSend& s);
    void ReestablishAll(uint32_t i);
};

namespace
{

// A party's device on its node: it owns the channel message types and hands them, and every
// new best tip, to the party's off-chain state.
class ChannelService : public NodeService
{
  public:
    ChannelService(std::shared_ptr<ChannelsFeature::Impl> impl, uint32_t self)
      : m_impl(std::move(impl))
      , m_self(self)
    {
    }
    bool Owns(MessageType type) const override
    {
        const auto t = static_cast<uint8_t>(type);
        return t >= static_cast<uint8_t>(ChannelMessageType::kPropose) &&
               t <= static_cast<uint8_t>(ChannelMessageType::kReestablish);
    }
    void OnMessage(const ServiceContext& ctx, const MessageInput& in, Actions& out) override
    {
        m_impl->OnMessage(m_self, ctx, in, out);
    }
    void OnBestTip(const ServiceContext& ctx, Actions& out) override
    {
        m_impl->OnTip(m_self, ctx, out);
    }

  private:
    std::shared_ptr<ChannelsFeature::Impl> m_impl;
    uint32_t m_self;
};

} // namespace

void
ChannelsFeature::Impl::Start(uint64_t seed)
{
    const uint32_t n = host->NodeCount();
    parties.resize(n);
    peers.resize(n);
    nonces.assign(n, 0);
    signedCzc.assign(n, Hash256{});
    leaving.assign(n, false);
    cheater.assign(n, false);
    byParty.resize(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        keys.push_back(DeriveKeyPair(seed, "channel-party", i));
    }
    for (uint32_t i = 0; i < n; ++i)
    {
        if (host->IsLightNode(i) || genesis->offline[i])
        {
            continue;
        }
        parties[i] = std::make_unique<ChannelNode>(i, keys[i], cfg.batchMax);
        parties[i]->SetReestablish(cfg.reestablishSeconds > 0);
        host->At(kSecond, [this, i] { Fund(i); });
        cheater[i] = IsVehicle(i) && rng.Chance(cfg.cheaterShare);
        if (!IsVehicle(i) && tower < 0)
        {
            tower = i;
        }
    }
    for (uint32_t i = n; i-- > 0 && tower < 0;)
    {
        tower = IsParty(i) ? static_cast<int64_t>(i) : -1;
    }
    const TimeNs openAt = Seconds(cfg.openAtSeconds);
    for (uint32_t i = 0; i < n; ++i)
    {
        if (IsParty(i))
        {
            host->At(openAt,
                     [this, i] {
                         host->AtNode(i, [this, i](const ServiceContext& c, Actions&)
                                      { ReadPeers(i, c); });
                     });
        }
    }
    host->At(openAt + kMillisecond, [this] { OpenAll(); });
    if (cfg.reestablishSeconds > 0)
    {
        for (uint32_t i = 0; i < n; ++i)
        {
            if (IsParty(i))
            {
                host->At(openAt + Seconds(cfg.reestablishSeconds), [this, i] { TickLoop(i); });
            }
        }
    }
}

// Every half re-establish period: the party's node re-establishes its stalled channels.
void
ChannelsFeature::Impl::TickLoop(uint32_t i)
{
    const TimeNs timeout = Seconds(cfg.reestablishSeconds);
    host->At(host->Now() + timeout / 2, [this, i] { TickLoop(i); });
    if (!parties[i]->HasWork())
    {
        return;
    }
    host->AtNode(i,
                 [this, i, timeout](const ServiceContext& c, Actions& a)
                 {
                     ChannelOutput out;
                     parties[i]->Tick(c.now, timeout, out);
                     Emit(c, out, a);
                 });
}

// The party's node came back (a restart): it re-establishes every channel it has.
void
ChannelsFeature::Impl::ReestablishAll(uint32_t i)
{
    host->AtNode(i,
                 [this, i](const ServiceContext& c, Actions& a)
                 {
                     ChannelOutput out;
                     for (const auto& [id, end] : parties[i]->Channels())
                     {
                         parties[i]->Reestablish(id, out);
                     }
                     Emit(c, out, a);
                 });
}

void
ChannelsFeature::Impl::ReadPeers(uint32_t i, const ServiceContext& c)
{
    for (PeerId p : c.peers)
    {
        if (IsParty(p) && p != i)
        {
            peers[i].push_back(p);
        }
    }
    std::sort(peers[i].begin(), peers[i].end());
}

void
ChannelsFeature::Impl::Fund(uint32_t i)
{
    const Node* node = host->FullNode(i);
    if (!node)
    {
        return;
    }
    const uint64_t perChannel = IsVehicle(i) ? cfg.deposit : cfg.operatorDeposit;
    // Deposits of the channels it opens and accepts, and fees for every transaction it may send.
    const uint64_t amount = (perChannel + 100 * cfg.txFee) * (2 * cfg.channelsPerNode + 64);
    const KeyPair& k = genesis->nodeKeys[i];
    const SignerTerms terms = TermsOn(node->Chain());
    ++txsSubmitted;
    submit(i, MakeTransfer(k, nodeNonces->Take(k.GetAddress(), *node, host->Now()),
                           terms.Bid(cfg.txFee), terms.czc, keys[i].GetAddress(), amount));
}

bool
ChannelsFeature::Impl::Funded(const Node& node, uint32_t i) const
{
    return node.Chain().BestState().BalanceOf(keys[i].GetAddress()) > 0;
}

void
ChannelsFeature::Impl::OpenAll()
{
    std::vector<uint32_t> count(parties.size(), 0);
    for (uint32_t i = 0; i < parties.size(); ++i)
    {
        for (uint32_t p : peers[i])
        {
            if (p > i && count[i] < cfg.channelsPerNode)
            {
                ++count[i];
                toOpen.emplace_back(i, p);
            }
        }
    }
    TryOpens();
}

void
ChannelsFeature::Impl::Open(uint32_t i, uint32_t p, const Node& node)
{
    const uint64_t depA = IsVehicle(i) ? cfg.deposit : cfg.operatorDeposit;
    const uint64_t depB = IsVehicle(p) ? cfg.deposit : cfg.operatorDeposit;
    const TxSender s = SenderOn(i, node);
    const Transaction tx =
        MakeChannelOpenTx(s, keys[p], depA, depB, Seconds(cfg.challengePeriodSeconds));
    const ChannelId id = ChannelIdFor(keys[i].Public(), s.nonce);
    ChannelInfo info;
    info.a = i;
    info.b = p;
    channels[id] = info;
    order.push_back(id);
    byParty[i].push_back(id);
    byParty[p].push_back(id);
    ++txsSubmitted;
    submit(i, tx);
}

// Opens the channels both of whose accounts the opener's node sees funded; the rest a second
// later (a funding transfer lost with a fork is sent again every 10 tries).
void
ChannelsFeature::Impl::TryOpens()
{
    std::vector<std::pair<uint32_t, uint32_t>> later;
    for (const auto& [i, p] : toOpen)
    {
        const Node* node = host->FullNode(i);
        if (!node || !Funded(*node, i) || !Funded(*node, p))
        {
            later.emplace_back(i, p);
            continue;
        }
        Open(i, p, *node);
    }
    toOpen = std::move(later);
    if (toOpen.empty() || ++openRounds > 60)
    {
        return;
    }
    if (openRounds % 10 == 0)
    {
        for (uint32_t i = 0; i < parties.size(); ++i)
        {
            const Node* node = host->FullNode(i);
            if (IsParty(i) && node && !Funded(*node, i))
            {
                Fund(i);
            }
        }
    }
    host->At(host->Now() + kSecond, [this] { TryOpens(); });
}

TxSender
ChannelsFeature::Impl::SenderOn(uint32_t i, const Node& node)
{
    const SignerTerms terms = TermsOn(node.Chain());
    if (terms.czc != signedCzc[i])
    {
        signedCzc[i] = terms.czc;
        nonces[i] = 0; // NextWalletNonce counts again from the chain's nonce
    }
    const KeyPair& k = keys[i];
    return {&k, NextWalletNonce(nonces[i], node, k.GetAddress()), terms.Bid(cfg.txFee), terms.czc};
}

void
ChannelsFeature::Impl::SubmitFrom(uint32_t i, std::function<Transaction(const TxSender&)> make)
{
    // Later in this instant, outside the node's own handling of the input that asked for it.
    host->At(host->Now(),
             [this, i, make]
             {
                 const Node* node = host->FullNode(i);
                 if (!node)
                 {
                     return;
                 }
                 ++txsSubmitted;
                 submit(i, make(SenderOn(i, *node)));
             });
}

void
ChannelsFeature::Impl::Emit(const ServiceContext& c, ChannelOutput& out, Actions& a)
{
    for (ChannelSend& s : out.sends)
    {
        if (injectionsWaiting > 0)
        {
            Remember(c.self, s.bytes);
        }
        if (lossArmed && Lose(c.self, s))
        {
            continue;
        }
        const auto type = PeekMessageType(s.bytes);
        if (!type || std::find(c.peers.begin(), c.peers.end(), s.to) == c.peers.end())
        {
            ++undeliverable;
            continue;
        }
        a.sends.push_back({s.to, *type, ShareBytes(std::move(s.bytes)), false});
    }
    sum.offChainMessages += out.sends.size();
    sum.offChainUpdates += out.updates;
    refusedMessages += out.refused;
    reestablishes += out.reestablishes;
    for (const PaymentOutcome& o : out.outcomes)
    {
        OnOutcome(o);
        ++(o.settled ? sum.paymentsSettled
                     : (o.abandoned ? sum.paymentsAbandoned : sum.paymentsFailed));
    }
}

void
ChannelsFeature::Impl::OnMessage(uint32_t self, const ServiceContext& c, const MessageInput& in,
                                 Actions& a)
{
    if (!IsParty(self))
    {
        return;
    }
    // A message on a channel this party's node holds but whose end it has not added yet (its
    // chain just reached the depth): add it now.
    auto m = DecodeChannelMessage(*in.bytes);
    if (m.IsOk())
    {
        const ChannelId& id = ChannelOf(m.Value());
        const auto& book = c.chain.BestState().Channels().channels;
        auto on = book.find(id);
        if (on != book.end() && channels.count(id))
        {
            AddEnd(self, id, on->second);
        }
    }
    InjectedUpdate* injected = Injected(self, in);
    ChannelOutput out;
    parties[self]->OnMessage(in.from, *in.bytes, c.now, out);
    if (injected)
    {
        injected->refused = out.refused > 0;
        const ChannelEndpoint* end = parties[self]->Find(injected->channel);
        injected->seqAfter = end ? end->Latest().state.seq : 0;
    }
    Emit(c, out, a);
}

void
ChannelsFeature::Impl::AddEnd(uint32_t self, const ChannelId& id, const OnChainChannel& c)
{
    ChannelInfo& info = channels.at(id);
    bool& has = self == info.a ? info.endA : info.endB;
    if (has || (self != info.a && self != info.b))
    {
        return;
    }
    has = true;
    const bool isA = self == info.a;
    const uint32_t peer = isA ? info.b : info.a;
    ChannelEndpointConfig e;
    e.self = keys[self];
    e.peer = keys[peer].Public();
    e.selfIsA = isA;
    e.channel = id;
    e.depositA = c.closing.balanceA;
    e.depositB = c.closing.balanceB;
    e.historyMax = cheater[self] ? kCheaterHistory : 0;
    if (c.closing.seq == 0 && c.phase == ChannelPhase::kOpen)
    {
        parties[self]->AddChannel(peer, e);
    }
}

// The first time any party's node shows a channel in a new phase, or with a new challenge.
void
ChannelsFeature::Impl::Observe(const ChannelId& id, const OnChainChannel& c, TimeNs now)
{
    ChannelInfo& info = channels.at(id);
    if (c.phase < info.phase ||
        (c.phase == info.phase && c.challenges <= info.challenges && info.seen))
    {
        return; // a node behind the first that saw it (a lagging or restarted one)
    }
    if (!info.seen)
    {
        info.seen = true;
        info.openedAt = now;
        ++sum.channelsOpened;
        Record(now, id, ChannelEventKind::kOpen, c.closing.balanceA, c.closing.balanceB, info.a);
    }
    if (c.phase == ChannelPhase::kClosing && info.phase == ChannelPhase::kOpen)
    {
        Record(now, id, ChannelEventKind::kUnilateralClose, c.closing.balanceA, c.closing.balanceB,
               info.closer);
    }
    if (c.challenges > info.challenges)
    {
        const bool penalty = c.kind == ChannelCloseKind::kPenalty;
        Record(now, id, penalty ? ChannelEventKind::kPenalty : ChannelEventKind::kChallenge,
               c.closing.balanceA, c.closing.balanceB, info.challenger);
    }
    if (c.phase == ChannelPhase::kClosed && info.phase != ChannelPhase::kClosed)
    {
        if (c.kind == ChannelCloseKind::kCooperative)
        {
            // A cooperative close pays both as the last state both signed says.
            const ChannelEndpoint* end = parties[info.a]->Find(id);
            const bool last = end && end->Latest().state.balanceA == c.closing.balanceA &&
                              end->Latest().state.balanceB == c.closing.balanceB;
            coopNotLast += last ? 0u : 1u;
            Record(now, id, ChannelEventKind::kCoopClose, c.closing.balanceA, c.closing.balanceB,
                   info.closer);
        }
        else if (c.kind == ChannelCloseKind::kUnilateral)
        {
            Record(now, id, ChannelEventKind::kSettle, c.closing.balanceA, c.closing.balanceB,
                   info.closer);
        }
        info.finished = true;
        sum.lifetimesSeconds.push_back(ToSeconds(now - info.openedAt));
    }
    info.phase = c.phase;
    info.challenges = c.challenges;
}

void
ChannelsFeature::Impl::OnTip(uint32_t self, const ServiceContext& c, Actions&)
{
    lastTime = std::max(lastTime, c.now);
    if (static_cast<int64_t>(self) == tower)
    {
        TowerTip(c);
    }
    if (!IsParty(self))
    {
        return;
    }
    const auto& book = c.chain.BestState().Channels().channels;
    const uint64_t height = c.chain.Best()->height;
    // The best block's time: a node still syncing after a restart is behind the clock, and must
    // not settle on a state the chain has long left.
    const TimeNs chainTime = c.chain.Params().SlotStart(c.chain.Best()->slot);
    for (const ChannelId& id : byParty[self])
    {
        auto on = book.find(id);
        if (on == book.end())
        {
            continue;
        }
        const OnChainChannel& oc = on->second;
        ChannelInfo& info = channels.at(id);
        if (height >= oc.openHeight + cfg.confirmations)
        {
            AddEnd(self, id, oc);
        }
        Observe(id, oc, c.now);
        if (oc.phase == ChannelPhase::kOpen && info.closeTx && info.closer == self &&
            c.now > info.closeSentAt + 10 * kSecond)
        {
            nonces[self] = 0; // from the chain's nonce: an earlier transaction may have been lost
            SubmitClose(self, id, info.closeTx);
        }
        if (oc.phase != ChannelPhase::kClosing)
        {
            continue;
        }
        const bool closedBySelf = (oc.closedByA ? info.a : info.b) == self;
        if (!closedBySelf && c.now < oc.deadline)
        {
            Challenge(self, id, oc); // a node still syncing after a restart may be too late
        }
        else if (!info.settleSubmitted && chainTime > oc.deadline)
        {
            info.settleSubmitted = true;
            SubmitFrom(self, [id](const TxSender& s) { return MakeChannelSettleTx(s, id); });
        }
    }
}

void
ChannelsFeature::Impl::Challenge(uint32_t self, const ChannelId& id, const OnChainChannel& c)
{
    ChannelInfo& info = channels.at(id);
    bool& done = self == info.a ? info.challengedA : info.challengedB;
    const ChannelEndpoint* end = parties[self]->Find(id);
    if (done || !end)
    {
        return;
    }
    done = true;
    if (auto ch = ChallengeFor(id, c, EvidenceOf(*end)))
    {
        if (info.challenges == 0 && !info.towerChallenged)
        {
            info.challenger = self;
        }
        if (info.cheat >= 0 &&
            sum.cheats[static_cast<std::size_t>(info.cheat)].challenger == "none")
        {
            sum.cheats[static_cast<std::size_t>(info.cheat)].challenger = "victim";
        }
        SubmitFrom(self, [p = *ch](const TxSender& s) { return MakeChannelChallengeTx(s, p); });
    }
}

void
ChannelsFeature::Impl::TowerTip(const ServiceContext& c)
{
    const auto& book = c.chain.BestState().Channels().channels;
    for (auto& [id, info] : channels)
    {
        auto on = book.find(id);
        if (info.towerChallenged || on == book.end() || on->second.phase != ChannelPhase::kClosing)
        {
            continue;
        }
        // The tower gives the client half the period to answer for itself; a client that is
        // online has challenged by then, and the tower's chain shows it.
        if (info.towerSawClose < 0)
        {
            info.towerSawClose = c.now;
        }
        const TimeNs grace = Seconds(cfg.challengePeriodSeconds / 2);
        if (c.now - info.towerSawClose < grace || on->second.challenges > 0 ||
            c.now >= on->second.deadline)
        {
            continue;
        }
        info.towerChallenged = true;
        if (auto ch = watchtower.OnClose(id, on->second))
        {
            if (info.challenges == 0 && !info.challengedA && !info.challengedB)
            {
                info.challenger = static_cast<uint32_t>(tower);
            }
            if (info.cheat >= 0 &&
                sum.cheats[static_cast<std::size_t>(info.cheat)].challenger == "none")
            {
                sum.cheats[static_cast<std::size_t>(info.cheat)].challenger = "watchtower";
            }
            SubmitFrom(static_cast<uint32_t>(tower),
                       [p = *ch](const TxSender& s) { return MakeChannelChallengeTx(s, p); });
        }
    }
}

bool
ChannelsFeature::Impl::Ready(const ChannelId& id) const
{
    const ChannelInfo& info = channels.at(id);
    return info.endA && info.endB && !info.closeSubmitted && !leaving[info.a] && !leaving[info.b] &&
           !parties[info.a]->IsRetired(id);
}

ChannelRouter
ChannelsFeature::Impl::Router() const
{
    std::vector<NodeFee> fees(parties.size());
    for (uint32_t i = vehicles; i < fees.size(); ++i)
    {
        fees[i] = NodeFee{cfg.operatorFeeBase, cfg.operatorFeePpm};
    }
    ChannelRouter r(fees);
    for (const ChannelId& id : order)
    {
        if (!Ready(id))
        {
            continue;
        }
        const ChannelInfo& info = channels.at(id);
        for (uint32_t side : {info.a, info.b})
        {
            const ChannelEndpoint& end = parties[side]->Channels().at(id);
            r.AddEdge(ChannelEdge{side, side == info.a ? info.b : info.a, id, end.OwnBalance()});
        }
    }
    return r;
}

void
ChannelsFeature::Impl::ScheduleBeacon(uint32_t v, TimeNs at)
{
    auto& due = beaconsDue[at];
    if (due.empty())
    {
        host->At(at, [this, at] { BeaconRound(at); });
    }
    due.push_back(v);
}

// The vehicles whose safety message falls now send it; each vehicle that hears one pays.
void
ChannelsFeature::Impl::BeaconRound(TimeNs at)
{
    lastTime = std::max(lastTime, host->Now());
    const std::vector<uint32_t> due = std::move(beaconsDue[at]);
    beaconsDue.erase(at);
    std::vector<uint32_t> sending;
    for (uint32_t v : due)
    {
        if (leaving[v])
        {
            continue;
        }
        ScheduleBeacon(v, at + Seconds(cfg.beaconIntervalSeconds));
        if (host->FullNode(v))
        {
            sending.push_back(v);
        }
    }
    if (sending.empty())
    {
        return;
    }
    auto pos = host->Positions();
    const bool radio = !pos.empty();
    if (radio)
    {
        hearing.Update(std::move(pos), Listeners());
    }
    for (uint32_t v : sending)
    {
        for (uint32_t w : radio ? hearing.Near(v) : PeerListeners(v))
        {
            host->AtNode(w, [this, w, v](const ServiceContext& c, Actions& a) { Pay(w, v, c, a); });
        }
    }
}

bool
ChannelsFeature::Impl::Listens(uint32_t w) const
{
    return w < vehicles && IsParty(w) && !leaving[w] && host->FullNode(w);
}

std::vector<uint32_t>
ChannelsFeature::Impl::Listeners() const
{
    std::vector<uint32_t> out;
    for (uint32_t w = 0; w < parties.size(); ++w)
    {
        if (Listens(w))
        {
            out.push_back(w);
        }
    }
    return out;
}

// Without positions a vehicle's safety message reaches its peers (sorted at open time).
std::vector<uint32_t>
ChannelsFeature::Impl::PeerListeners(uint32_t v) const
{
    std::vector<uint32_t> out;
    for (uint32_t w : peers[v])
    {
        if (w != v && Listens(w))
        {
            out.push_back(w);
        }
    }
    return out;
}

void
ChannelsFeature::Impl::Pay(uint32_t payer, uint32_t payee, const ServiceContext& c, Actions& a)
{
    ChannelOutput out;
    for (const ChannelId& id : byParty[payer])
    {
        const ChannelInfo& info = channels.at(id);
        if ((info.a == payee || info.b == payee) && Ready(id))
        {
            ++sum.paymentsDirect;
            parties[payer]->PayDirect(id, cfg.pricePerMessage, out);
            Emit(c, out, a);
            return;
        }
    }
    auto route = Router().Cheapest(payer, payee, cfg.pricePerMessage);
    if (!route)
    {
        ++sum.noRoute;
        return;
    }
    ++sum.paymentsMultiHop;
    Bytes seed(8);
    for (std::size_t i = 0; i < 8; ++i)
    {
        seed[i] = static_cast<uint8_t>(invoices >> (8 * i));
    }
    ++invoices;
    const Hash256 preimage = Blake2b256(seed);
    parties[payee]->ExpectPayment(preimage);
    parties[payer]->PayRoute(*route, Blake2b256(preimage.data(), preimage.size()), c.now,
                             Seconds(cfg.hopDeltaSeconds), out);
    Emit(c, out, a);
}

void
ChannelsFeature::Impl::Leave(uint32_t v)
{
    leaving[v] = true;
    host->At(host->Now() + Seconds(cfg.drainSeconds), [this, v] { CloseAll(v, 0); });
}

void
ChannelsFeature::Impl::CloseAll(uint32_t v, uint32_t attempt)
{
    bool waiting = !host->FullNode(v);
    for (const ChannelId& id : byParty[v])
    {
        const ChannelInfo& info = channels.at(id);
        if (info.closeSubmitted || !info.endA || !info.endB || !host->FullNode(v))
        {
            continue;
        }
        const uint32_t peer = info.a == v ? info.b : info.a;
        const ChannelEndpoint* end = parties[v]->Find(id);
        const bool quiet =
            parties[v]->Idle(id) && parties[peer]->Idle(id) && end->Latest().state.htlcs.empty();
        if (!quiet && attempt < kCloseRetriesMax)
        {
            waiting = true;
            continue;
        }
        host->AtNode(v, [this, v, id](const ServiceContext& c, Actions& a) { Close(v, id, c, a); });
    }
    if (waiting && attempt < 4 * kCloseRetriesMax)
    {
        host->At(host->Now() + Seconds(std::max(cfg.drainSeconds, 1.0)),
                 [this, v, attempt] { CloseAll(v, attempt + 1); });
    }
}

const SignedChannelState*
ChannelsFeature::Impl::BestStale(uint32_t v, const ChannelEndpoint& end) const
{
    const SignedChannelState* best = nullptr;
    uint64_t bestOwn = end.OwnBalance();
    const bool isA = channels.at(end.Id()).a == v;
    for (const SignedChannelState& s : end.History())
    {
        const uint64_t own = isA ? s.state.balanceA : s.state.balanceB;
        if (own > bestOwn && s.state.htlcs.empty())
        {
            best = &s;
            bestOwn = own;
        }
    }
    return best;
}

void
ChannelsFeature::Impl::Close(uint32_t v, const ChannelId& id, const ServiceContext& c, Actions& a)
{
    ChannelInfo& info = channels.at(id);
    if (info.closeSubmitted)
    {
        return;
    }
    info.closeSubmitted = true;
    info.closer = v;
    ChannelOutput out;
    parties[info.a]->Retire(id, out);
    parties[info.b]->Retire(id, out);
    Emit(c, out, a);
    const uint32_t peer = info.a == v ? info.b : info.a;
    if (cfg.watchtower && tower >= 0)
    {
        // The peer's evidence from its last update (no update follows a retirement).
        watchtower.Watch(id, EvidenceOf(parties[peer]->Channels().at(id)));
    }
    const ChannelEndpoint& end = parties[v]->Channels().at(id);
    if (cheater[v])
    {
        if (const SignedChannelState* stale = BestStale(v, end))
        {
            CloseStale(v, id, *stale);
            return;
        }
    }
    SignedChannelState latest = end.Latest();
    const bool coop = latest.state.htlcs.empty();
    if (latest.state.seq == 0)
    {
        // An unused channel: the two sign the opening split off chain to close it together.
        latest.sigA = SignChannelState(keys[info.a], latest.state);
        latest.sigB = SignChannelState(keys[info.b], latest.state);
    }
    SubmitClose(v, id,
                [latest, coop](const TxSender& s) { return MakeChannelCloseTx(s, latest, coop); });
}

// A close is sent from the closer's node; the closer sends it again while its chain still shows
// the channel open 10 s later (a node that restarted may have given it a nonce already used).
void
ChannelsFeature::Impl::SubmitClose(uint32_t v, const ChannelId& id,
                                   std::function<Transaction(const TxSender&)> make)
{
    ChannelInfo& info = channels.at(id);
    info.closeTx = make;
    info.closeSentAt = host->Now();
    SubmitFrom(v, std::move(make));
}

void
ChannelsFeature::Impl::CloseStale(uint32_t v, const ChannelId& id, const SignedChannelState& s)
{
    ChannelInfo& info = channels.at(id);
    const uint32_t victim = info.a == v ? info.b : info.a;
    const ChannelEndpoint& end = parties[v]->Channels().at(id);
    CheatAttempt cheat;
    cheat.time = ToSeconds(host->Now());
    cheat.cheater = v;
    cheat.victim = victim;
    cheat.staleSeq = s.state.seq;
    cheat.latestSeq = end.Latest().state.seq;
    cheat.gainIfUnchallenged =
        (info.a == v ? s.state.balanceA : s.state.balanceB) - end.OwnBalance();
    // A victim already down (crashed for another cheat) is offline without a draw.
    const bool up = host->FullNode(victim) != nullptr;
    const bool canCrash = up && IsVehicle(victim) && genesis->producerOf[victim] < 0 &&
                          static_cast<int64_t>(victim) != tower;
    cheat.victimOnline = up && !(canCrash && rng.Chance(cfg.offlineShare));
    cheat.watchtower = cfg.watchtower && tower >= 0;
    cheat.outcome = "pending at end";
    cheat.challenger = "none";
    info.stale = true;
    info.cheat = static_cast<int>(sum.cheats.size());
    sum.cheats.push_back(cheat);
    if (!cheat.victimOnline)
    {
        host->Crash(victim);
        const TimeNs back = host->Now() + Seconds(cfg.challengePeriodSeconds * 1.5 + 5);
        host->At(back,
                 [this, victim]
                 {
                     host->Restart(victim);
                     if (cfg.reestablishSeconds > 0)
                     {
                         host->At(host->Now() + kSecond,
                                  [this, victim] { ReestablishAll(victim); });
                     }
                 });
    }
    SubmitClose(v, id, [s](const TxSender& tx) { return MakeChannelCloseTx(tx, s, false); });
}

void
ChannelsFeature::Impl::Record(TimeNs t, const ChannelId& id, ChannelEventKind kind,
                              uint64_t amountA, uint64_t amountB, uint32_t actor)
{
    const ChannelInfo& info = channels.at(id);
    ChannelEvent e;
    e.time = ToSeconds(t);
    e.channel = HashPrefix64(id);
    e.partyA = info.a;
    e.partyB = info.b;
    e.kind = kind;
    const ChannelEndpoint* end = parties[info.a]->Find(id);
    e.updates = end ? end->Latest().state.seq : 0;
    e.amountA = amountA;
    e.amountB = amountB;
    e.actor = actor;
    e.stale = info.stale;
    events.push_back(e);
    if (writer)
    {
        writer->Add(ChannelEventRecord{
            e.time, e.channel, e.partyA, e.partyB, static_cast<uint8_t>(e.kind),
            e.stale ? uint8_t{1} : uint8_t{0}, e.updates, e.amountA, e.amountB, e.actor});
    }
}

namespace
{

// A stale close's outcome on the final chain.
std::string
OutcomeOf(const CheatAttempt& cheat, const OnChainChannel* oc)
{
    if (!oc || oc->phase == ChannelPhase::kOpen)
    {
        return "close not included";
    }
    if (oc->kind == ChannelCloseKind::kPenalty)
    {
        return "penalised";
    }
    if (oc->kind == ChannelCloseKind::kUnilateral)
    {
        return oc->closing.seq > cheat.staleSeq ? "replaced by a newer state"
                                                : "stale state paid out";
    }
    return cheat.outcome;
}

} // namespace

void
ChannelsFeature::Impl::Summarise()
{
    if (summarised || !host)
    {
        return;
    }
    summarised = true;
    // The chain's final word: the longest chain among the nodes up now.
    const LedgerState* state = nullptr;
    uint64_t best = 0;
    for (uint32_t i = 0; i < host->NodeCount(); ++i)
    {
        const Node* n = host->FullNode(i);
        if (n && (!state || n->Chain().Best()->height > best))
        {
            state = &n->Chain().BestState();
            best = n->Chain().Best()->height;
        }
    }
    sum.durationSeconds = ToSeconds(lastTime);
    sum.channelsClosed = sum.lifetimesSeconds.size();
    SnapshotInjected();
    sum.channelsOpenAtEnd = sum.channelsOpened - sum.channelsClosed;
    sum.onChainTxs = txsSubmitted;
    for (const ChannelId& id : order)
    {
        const ChannelInfo& info = channels.at(id);
        if (info.cheat < 0 || !state)
        {
            continue;
        }
        CheatAttempt& cheat = sum.cheats[static_cast<std::size_t>(info.cheat)];
        auto on = state->Channels().channels.find(id);
        const OnChainChannel* oc = on == state->Channels().channels.end() ? nullptr : &on->second;
        cheat.outcome = OutcomeOf(cheat, oc);
    }
}

void
ChannelsFeature::Impl::Remember(uint32_t from, const Bytes& bytes)
{
    auto m = DecodeChannelMessage(bytes);
    if (m.IsOk() && std::holds_alternative<ChannelPropose>(m.Value()))
    {
        lastPropose[ChannelOf(m.Value())] = {from, bytes};
    }
}

// Both ends ready, nothing in flight or queued at either, both nodes up.
bool
ChannelsFeature::Impl::Quiet(const ChannelId& id) const
{
    const ChannelInfo& info = channels.at(id);
    return Ready(id) && parties[info.a]->Idle(id) && parties[info.b]->Idle(id) &&
           host->FullNode(info.a) && host->FullNode(info.b);
}

void
ChannelsFeature::Impl::SendInjected(InjectedUpdateKind kind)
{
    --injectionsWaiting;
    for (const ChannelId& id : order)
    {
        if (!Quiet(id))
        {
            continue;
        }
        const ChannelInfo& info = channels.at(id);
        InjectedUpdate u;
        u.kind = kind;
        u.time = ToSeconds(host->Now());
        u.channel = id;
        Bytes bytes;
        if (kind == InjectedUpdateKind::kReplay)
        {
            auto last = lastPropose.find(id);
            if (last == lastPropose.end())
            {
                continue;
            }
            u.from = last->second.first;
            bytes = last->second.second;
        }
        else
        {
            // The next state, paying the peer 1, signed by a key that is not a's.
            u.from = info.a;
            ChannelState next = parties[info.a]->Channels().at(id).Latest().state;
            ++next.seq;
            if (next.balanceA == 0)
            {
                continue;
            }
            --next.balanceA;
            ++next.balanceB;
            const KeyPair forger = DeriveKeyPair(0, "channel-forger", info.a);
            bytes =
                EncodeChannelMessage(ChannelPropose{next, SignChannelState(forger, next), {}, {}});
        }
        u.to = u.from == info.a ? info.b : info.a;
        injectedBytes[Blake2b256(bytes)] = sum.injectedUpdates.size();
        sum.injectedUpdates.push_back(u);
        host->AtNode(
            u.from,
            [to = u.to, bytes](const ServiceContext&, Actions& a) {
                a.sends.push_back({to, *PeekMessageType(bytes), ShareBytes(Bytes(bytes)), false});
            });
        return;
    }
}

// The injected update `in` is, if any, with the target's state number before handling it.
InjectedUpdate*
ChannelsFeature::Impl::Injected(uint32_t self, const MessageInput& in)
{
    if (injectedBytes.empty())
    {
        return nullptr;
    }
    auto it = injectedBytes.find(Blake2b256(*in.bytes));
    if (it == injectedBytes.end())
    {
        return nullptr;
    }
    InjectedUpdate& u = sum.injectedUpdates[it->second];
    injectedBytes.erase(it);
    const ChannelEndpoint* end = parties[self]->Find(u.channel);
    u.delivered = self == u.to && end;
    u.seqBefore = end ? end->Latest().state.seq : 0;
    return &u;
}

void
ChannelsFeature::Impl::StartInjectedPayment(bool payeeKnowsInvoice)
{
    --injectionsWaiting;
    SnapshotInjected();
    const ChannelRouter router = Router();
    for (uint32_t payer = 0; payer < parties.size(); ++payer)
    {
        for (uint32_t payee = 0; payee < parties.size() && IsParty(payer); ++payee)
        {
            auto route = payee == payer || !IsParty(payee)
                             ? std::nullopt
                             : router.Cheapest(payer, payee, cfg.pricePerMessage);
            const bool quiet =
                route && std::all_of(route->begin(), route->end(),
                                     [this](const RouteHop& h) { return Quiet(h.channel); });
            if (!route || route->size() < 2 || !quiet)
            {
                continue;
            }
            InjectedPayment p;
            p.time = ToSeconds(host->Now());
            p.payer = payer;
            p.payee = payee;
            p.payeeKnowsInvoice = payeeKnowsInvoice;
            p.route = *route;
            for (const RouteHop& h : p.route)
            {
                p.before.emplace_back(parties[h.from]->Channels().at(h.channel).OwnBalance(),
                                      parties[h.to]->Channels().at(h.channel).OwnBalance());
            }
            const Hash256 preimage =
                DeriveKeyPair(0, "injected-invoice",
                              static_cast<uint32_t>(sum.injectedPayments.size()))
                    .Public();
            p.paymentHash = Blake2b256(preimage.data(), preimage.size());
            if (payeeKnowsInvoice)
            {
                parties[payee]->ExpectPayment(preimage);
            }
            sum.injectedPayments.push_back(p);
            host->AtNode(payer,
                         [this, payer, route = *route,
                          hash = p.paymentHash](const ServiceContext& c, Actions& a)
                         {
                             ChannelOutput out;
                             parties[payer]->PayRoute(route, hash, c.now,
                                                      Seconds(cfg.hopDeltaSeconds), out);
                             Emit(c, out, a);
                         });
            return;
        }
    }
}

void
ChannelsFeature::Impl::OnOutcome(const PaymentOutcome& o)
{
    for (InjectedPayment& p : sum.injectedPayments)
    {
        if (!p.resolved && p.paymentHash == o.paymentHash && o.paymentHash != Hash256{})
        {
            p.resolved = true;
            p.settled = o.settled;
        }
    }
}

void
ChannelsFeature::Impl::SnapshotInjected()
{
    for (InjectedLoss& l : sum.injectedLosses)
    {
        const ChannelEndpoint* from = parties[l.from]->Find(l.channel);
        const ChannelEndpoint* to = parties[l.to]->Find(l.channel);
        l.endsAgree = from && to && from->Latest().state == to->Latest().state;
        l.stalled = (from && from->Busy()) || (to && to->Busy());
    }
    for (InjectedPayment& p : sum.injectedPayments)
    {
        if (!p.after.empty())
        {
            continue;
        }
        for (const RouteHop& h : p.route)
        {
            const ChannelEndpoint& from = parties[h.from]->Channels().at(h.channel);
            const ChannelEndpoint& to = parties[h.to]->Channels().at(h.channel);
            p.after.emplace_back(from.OwnBalance(), to.OwnBalance());
            for (const ChannelEndpoint* e : {&from, &to})
            {
                p.htlcsLeft += e->Latest().state.FindHtlc(p.paymentHash) ? 1u : 0u;
            }
        }
    }
}

bool
ChannelsFeature::Impl::Lose(uint32_t from, const ChannelSend& s)
{
    auto m = DecodeChannelMessage(s.bytes);
    if (!m.IsOk() || !(std::holds_alternative<ChannelPropose>(m.Value()) ||
                       std::holds_alternative<ChannelAccept>(m.Value())))
    {
        return false;
    }
    lossArmed = false;
    InjectedLoss loss;
    loss.time = ToSeconds(host->Now());
    loss.from = from;
    loss.to = s.to;
    loss.channel = ChannelOf(m.Value());
    loss.message = ChannelMessageName(m.Value());
    sum.injectedLosses.push_back(loss);
    return true;
}

void
ChannelsFeature::InjectLoss(double atSeconds)
{
    m_impl->injections.emplace_back(atSeconds, [m = m_impl.get()] { m->lossArmed = true; });
}

void
ChannelsFeature::InjectUpdate(InjectedUpdateKind kind, double atSeconds)
{
    ++m_impl->injectionsWaiting;
    m_impl->injections.emplace_back(atSeconds, [m = m_impl.get(), kind] { m->SendInjected(kind); });
}

void
ChannelsFeature::InjectPayment(double atSeconds, bool payeeKnowsInvoice)
{
    ++m_impl->injectionsWaiting;
    m_impl->injections.emplace_back(atSeconds, [m = m_impl.get(), payeeKnowsInvoice]
                                    { m->StartInjectedPayment(payeeKnowsInvoice); });
}

ChannelsFeature::ChannelsFeature(const ChannelsConfig& config, uint32_t vehicles)
  : m_impl(std::make_shared<Impl>())
{
    m_impl->cfg = config;
    m_impl->vehicles = vehicles;
}

ChannelsFeature::~ChannelsFeature() = default;

void
ChannelsFeature::ConfigureNode(uint32_t id, NodeConfig& config) const
{
    config.services.push_back(std::make_shared<ChannelService>(m_impl, id));
}

void
ChannelsFeature::Attach(const FeatureContext& ctx)
{
    Impl& m = *m_impl;
    m.host = &ctx.host;
    m.genesis = &ctx.genesis;
    m.writer = ctx.writer;
    m.submit = ctx.submit;
    m.nodeNonces = ctx.nodeNonces;
    m.rng = Rng::Derive(ctx.seed, "channels");
    m.hearing = HearingGrid(m.cfg.rangeM, m.cfg.rangeM / 2);
    m.Start(ctx.seed);
    for (const auto& [at, fn] : m.injections)
    {
        m.host->At(Seconds(at), fn);
    }
    const TimeNs start = Seconds(m.cfg.openAtSeconds);
    const double stayRange = m.cfg.stayMaxSeconds - m.cfg.stayMinSeconds;
    for (uint32_t v = 0; v < m.vehicles && v < m.parties.size(); ++v)
    {
        if (!m.IsParty(v))
        {
            continue;
        }
        const TimeNs stay = Seconds(m.cfg.stayMinSeconds + m.rng.Uniform() * stayRange);
        const auto slots = static_cast<uint64_t>(
            std::max<TimeNs>(1, Seconds(m.cfg.beaconIntervalSeconds) / kBeaconQuantum));
        const TimeNs phase = static_cast<TimeNs>(m.rng.Below(slots)) * kBeaconQuantum;
        m.host->At(start + stay, [&m, v] { m.Leave(v); });
        m.ScheduleBeacon(v, start + phase + Seconds(m.cfg.beaconIntervalSeconds));
    }
}

void
ChannelsFeature::Finish()
{
    m_impl->Summarise();
}

std::map<std::string, double>
ChannelsFeature::Figures() const
{
    m_impl->Summarise(); // the summary is made before Finish
    const ChannelRunSummary& s = m_impl->sum;
    const double secs = std::max(1e-9, ToSeconds(m_impl->lastTime));
    uint64_t penalised = 0, paidOut = 0, byTower = 0, offline = 0, gained = 0;
    for (const CheatAttempt& c : s.cheats)
    {
        penalised += c.outcome == "penalised" ? 1u : 0u;
        const bool paid = c.outcome == "stale state paid out";
        paidOut += paid ? 1u : 0u;
        gained += paid ? c.gainIfUnchallenged : 0u;
        byTower += c.challenger == "watchtower" ? 1u : 0u;
        offline += c.victimOnline ? 0u : 1u;
    }
    auto d = [](uint64_t x) { return static_cast<double>(x); };
    return {{"payments_settled", d(s.paymentsSettled)},
            {"payments_failed", d(s.paymentsFailed)},
            {"payments_abandoned", d(s.paymentsAbandoned)},
            {"payments_direct", d(s.paymentsDirect)},
            {"payments_multi_hop", d(s.paymentsMultiHop)},
            {"no_route", d(s.noRoute)},
            {"off_chain_updates", d(s.offChainUpdates)},
            {"off_chain_messages", d(s.offChainMessages)},
            {"undeliverable", d(m_impl->undeliverable)},
            {"refused_messages", d(m_impl->refusedMessages)},
            {"reestablishes", d(m_impl->reestablishes)},
            {"injected_updates", d(s.injectedUpdates.size())},
            {"injected_updates_refused", d(static_cast<uint64_t>(std::count_if(
                                             s.injectedUpdates.begin(), s.injectedUpdates.end(),
                                             [](const InjectedUpdate& u) { return u.refused; })))},
            {"channel_txs_submitted", d(m_impl->txsSubmitted)},
            {"channels_opened", d(s.channelsOpened)},
            {"channels_closed", d(s.lifetimesSeconds.size())},
            {"coop_closes_not_last_state", d(m_impl->coopNotLast)},
            {"cheats", d(s.cheats.size())},
            {"cheats_penalised", d(penalised)},
            {"cheats_paid_out", d(paidOut)},
            {"cheats_victim_offline", d(offline)},
            {"cheats_challenged_by_tower", d(byTower)},
            {"cheater_gain_paid_out", d(gained)},
            {"settled_per_s", d(s.paymentsSettled) / secs}};
}

const std::vector<ChannelEvent>&
ChannelsFeature::Events() const
{
    return m_impl->events;
}

const ChannelRunSummary&
ChannelsFeature::Summary() const
{
    return m_impl->sum;
}

} // namespace canon
