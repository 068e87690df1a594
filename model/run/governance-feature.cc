#include "model/run/governance-feature.h"

#include "model/contracts/contract-tx.h"
#include "model/governance/in-force.h"
#include "model/trace/trace-writer.h"

#include <array>
#include <cmath>

namespace canon
{

namespace
{

enum EventKind : uint8_t
{
    kProposed = 0,
    kVoted = 1,
    kTally = 2,
    kPassed = 3,
    kSwitched = 4,
    kExcluded = 5,
    kFrozen = 6,
    kLifted = 7,
    kSignalled = 8,
    kPhase = 9,
    kInForce = 10,        // a parameter that opens no rule epoch acts from the next block
    kWindowExtended = 11, // an upgrade's window extended: too few producers upgraded
};

// Parameters that act from the block after the one that adopted them (in-force.h); T and N
// open rule epochs instead (kSwitched), an upgrade excludes (kExcluded).
bool
ActsNextBlock(GovParam p)
{
    return p != GovParam::kSlotDuration && p != GovParam::kProducers && p != GovParam::kUpgrade &&
           p != GovParam::kOverturnFreeze;
}

uint64_t
Prefix(const Hash256& h)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
    {
        v = v << 8 | h[static_cast<std::size_t>(i)];
    }
    return v;
}

// The on-chain value of a proposal the file writes: T in seconds, the rest as integers.
uint64_t
OnChainValue(GovParam p, double value)
{
    const double scaled =
        p == GovParam::kSlotDuration ? value * static_cast<double>(kSecond) : value;
    return static_cast<uint64_t>(std::llround(scaled));
}

double
Mean(const std::vector<double>& v)
{
    double sum = 0;
    for (double x : v)
    {
        sum += x;
    }
    return v.empty() ? 0 : sum / static_cast<double>(v.size());
}

} // namespace

GovernanceFeature::GovernanceFeature(GovernanceConfig config)
  : m_config(std::move(config))
{
}

GovernanceParams
GovernanceFeature::Durations(const GovernanceConfig& c)
{
    return {FromSeconds(c.holdSeconds), FromSeconds(c.testSeconds), FromSeconds(c.windowSeconds)};
}

void
GovernanceFeature::Attach(const FeatureContext& ctx)
{
    m_ctx.emplace(ctx);
    m_rng = Rng::Derive(ctx.seed, "governance");
    RunHost& host = ctx.host;
    for (uint32_t i = 0; i < host.NodeCount(); ++i)
    {
        const bool never = m_rng.Chance(m_config.neverUpgradeShare);
        const double delay =
            m_config.upgradeMinSeconds +
            m_rng.Uniform() * (m_config.upgradeMaxSeconds - m_config.upgradeMinSeconds);
        m_upgradeDelay.push_back(never ? -1 : FromSeconds(delay));
    }
    for (std::size_t i = 0; i < m_config.proposals.size(); ++i)
    {
        host.At(m_config.proposals[i].at, [this, i] { Propose(i); });
    }
    for (std::size_t i = 0; i < m_config.freezes.size(); ++i)
    {
        host.At(m_config.freezes[i].at, [this, i] { Freeze(i); });
    }
    host.At(host.Now() + kSecond, [this] { Poll(); });
}

const Node*
GovernanceFeature::Reference() const
{
    for (uint32_t i = 0; i < m_ctx->host.NodeCount(); ++i)
    {
        if (const Node* n = m_ctx->host.FullNode(i))
        {
            return n;
        }
    }
    return nullptr;
}

void
GovernanceFeature::Record(uint8_t kind, const Tracked* t, uint32_t node, uint64_t slot,
                          double value)
{
    ++m_counts[kind];
    if (!m_ctx->writer)
    {
        return;
    }
    GovernanceEventRecord r{};
    r.time = ToSeconds(m_ctx->host.Now());
    r.kind = kind;
    r.node = node;
    r.slot = slot;
    r.value = value;
    if (t)
    {
        r.proposal = Prefix(t->id);
        r.param = static_cast<uint8_t>(t->param);
        r.approving = t->approving;
        r.voting = t->voting;
        r.value = kind == kProposed || kind == kPassed || kind == kInForce ? t->value : value;
    }
    m_ctx->writer->Add(r);
}

std::optional<uint64_t>
GovernanceFeature::Send(uint32_t signer, TxType type, const Bytes& payload)
{
    const Node* ref = Reference();
    if (!ref)
    {
        return std::nullopt;
    }
    const KeyPair& key = m_ctx->genesis.nodeKeys[signer];
    const uint64_t nonce = m_ctx->nodeNonces->Take(key.GetAddress(), *ref, m_ctx->host.Now());
    // A fee that grows with time, so a transaction replaces an earlier one of ours stuck with
    // the same nonce (one the chain refused after the mempool took it); at least the floor.
    const SignerTerms terms = TermsOn(ref->Chain());
    const uint64_t fee = terms.Bid(1000) + static_cast<uint64_t>(m_ctx->host.Now() / kMillisecond);
    const Transaction tx = MakeTransaction(key, type, nonce, fee, terms.czc, payload);
    for (uint32_t i = 0; i < m_ctx->host.NodeCount(); ++i)
    {
        if (m_ctx->host.FullNode(i) == ref)
        {
            m_ctx->submit(i, tx);
            break;
        }
    }
    return nonce;
}

void
GovernanceFeature::Propose(std::size_t i)
{
    const GovernanceProposalConfig& c = m_config.proposals[i];
    Tracked t;
    t.param = *GovParamFromName(c.param);
    t.value = c.value;
    const std::string doc = std::string("CZC with ") + c.param + " = " + std::to_string(c.value);
    const std::optional<uint64_t> nonce =
        Send(0, TxType::kGovProposal,
             ProposalPayload{t.param, OnChainValue(t.param, c.value), Blake2b256(doc)}.Encode());
    if (!nonce)
    {
        return; // no full node runs
    }
    t.id = ProposalIdFor(m_ctx->genesis.nodeKeys[0].Public(), *nonce);
    m_tracked.push_back(t);
    Record(kProposed, &m_tracked.back());
}

void
GovernanceFeature::Freeze(std::size_t i)
{
    const RunGenesis& g = m_ctx->genesis;
    const Node* ref = Reference();
    if (!ref)
    {
        return;
    }
    const GovernanceBook& book = ref->Chain().BestState().Governance();
    const Address account = g.accountKeys[m_config.freezes[i].account].GetAddress();
    for (uint32_t node = 0; node < g.nodeKeys.size(); ++node)
    {
        // The producers in force approve (after a change of N, not every genesis producer).
        if (book.IsProducer(g.nodeKeys[node].Public()) && m_ctx->host.FullNode(node))
        {
            Send(node, TxType::kGovFreeze, GovFreezePayload{account}.Encode());
        }
    }
}

void
GovernanceFeature::ScheduleVotes(const Tracked& t)
{
    const double approve = t.freeze ? t.value : m_config.approveShare;
    for (uint32_t i = 0; i < m_ctx->host.NodeCount(); ++i)
    {
        const double r = m_rng.Uniform();
        const TimeNs at =
            m_ctx->host.Now() + FromSeconds(m_rng.Uniform() * m_config.voteSpreadSeconds);
        if (m_ctx->host.IsLightNode(i) || r >= approve + m_config.rejectShare)
        {
            continue;
        }
        const bool yes = r < approve;
        const Hash256 id = t.id;
        m_ctx->host.At(at,
                       [this, i, id, yes]
                       {
                           Send(i, TxType::kGovVote, GovVotePayload{id, yes}.Encode());
                           Tracked voted;
                           voted.id = id;
                           voted.approving = yes ? 1 : 0;
                           Record(kVoted, &voted, i);
                       });
    }
}

void
GovernanceFeature::ScheduleSignals(const Tracked& t)
{
    for (uint32_t i = 0; i < m_ctx->host.NodeCount(); ++i)
    {
        if (m_ctx->host.IsLightNode(i) || m_upgradeDelay[i] < 0)
        {
            continue;
        }
        const Hash256 id = t.id;
        m_ctx->host.At(m_ctx->host.Now() + m_upgradeDelay[i],
                       [this, i, id]
                       {
                           Send(i, TxType::kGovUpgradeSignal, GovSignalPayload{id}.Encode());
                           Record(kSignalled, nullptr, i);
                       });
    }
}

void
GovernanceFeature::PollProposal(const GovernanceBook& book, Tracked& t)
{
    const Proposal* p = book.proposals.Find(t.id);
    if (!p)
    {
        return;
    }
    if (!t.seen)
    {
        t.seen = true;
        ScheduleVotes(t);
    }
    if (p->approving != t.approving || p->voting != t.voting)
    {
        t.approving = p->approving;
        t.voting = p->voting;
        Record(kTally, &t);
    }
    if (p->windowExtensions > t.extensions)
    {
        t.extensions = p->windowExtensions;
        Record(kWindowExtended, &t, 0, p->passedHeight, t.extensions);
    }
    if (p->phase == t.phase)
    {
        return;
    }
    t.phase = p->phase;
    Record(kPhase, &t, 0, 0, static_cast<double>(p->phase));
    if (p->phase == ProposalPhase::kPassed || p->phase == ProposalPhase::kTesting)
    {
        Record(kPassed, &t);
    }
    if (p->phase == ProposalPhase::kPassed && ActsNextBlock(t.param))
    {
        Record(kInForce, &t, 0, p->passedHeight + 1, t.value);
        FirstSwitch(p->passedAt + 1, p->passedAt); // blocks after the adopting one
    }
    if (p->phase == ProposalPhase::kTesting)
    {
        // An upgrade's first vote passed: transactions carry its new CZC hash from the next block.
        FirstSwitch(p->passedAt + 1, p->passedAt);
        Send(0, TxType::kGovTestReport, GovTestReportPayload{t.id, true}.Encode());
    }
    if (p->phase == ProposalPhase::kSecondVote)
    {
        ScheduleVotes(t); // the test passed: the community votes again
    }
    if (p->phase == ProposalPhase::kWindow)
    {
        ScheduleSignals(t);
    }
    if (p->phase == ProposalPhase::kActive)
    {
        const RunGenesis& g = m_ctx->genesis;
        for (uint32_t i = 0; i < g.nodeKeys.size(); ++i)
        {
            if (g.producerOf[i] >= 0 && !p->upgraded.count(g.nodeKeys[i].Public()))
            {
                Record(kExcluded, &t, i);
            }
        }
    }
}

void
GovernanceFeature::PollSwitch(const Node& ref)
{
    const RuleEpochs& epochs = ref.Chain().BestState().Governance().epochs;
    const uint64_t slot = ref.Chain().Best()->slot;
    while (epochs && m_epochsSeen < epochs->size() && slot >= (*epochs)[m_epochsSeen].fromSlot)
    {
        const RuleEpoch& e = (*epochs)[m_epochsSeen++];
        Tracked rules;
        rules.approving = e.producers;
        Record(kSwitched, &rules, 0, e.fromSlot, ToSeconds(e.slotDuration));
        FirstSwitch(e.fromTime, e.fromTime);
        m_figures["slot_s_after"] = ToSeconds(e.slotDuration);
        m_figures["producers_after"] = e.producers;
    }
}

void
GovernanceFeature::FirstSwitch(TimeNs splitAt, TimeNs shownAt)
{
    if (!m_switchAt)
    {
        m_switchAt = splitAt;
        m_figures["switch_s"] = ToSeconds(shownAt);
    }
}

void
GovernanceFeature::PollFreezes(const GovernanceBook& book)
{
    for (const GovernanceFreezeConfig& c : m_config.freezes)
    {
        const Address account = m_ctx->genesis.accountKeys[c.account].GetAddress();
        const ::canon::Freeze* f = book.freezes.Find(account);
        const bool frozen = f && f->frozen;
        bool& was = m_frozen[account];
        if (frozen == was)
        {
            continue;
        }
        was = frozen;
        Record(frozen ? kFrozen : kLifted, nullptr, c.account);
        if (frozen)
        {
            Tracked vote;
            vote.id = f->overturnVote;
            vote.param = GovParam::kOverturnFreeze;
            vote.value = c.overturnShare;
            vote.freeze = true;
            m_tracked.push_back(vote);
        }
    }
}

void
GovernanceFeature::Poll()
{
    if (const Node* ref = Reference())
    {
        const GovernanceBook& book = ref->Chain().BestState().Governance();
        for (std::size_t i = 0; i < m_tracked.size(); ++i)
        {
            PollProposal(book, m_tracked[i]);
        }
        PollFreezes(book);
        PollSwitch(*ref);
    }
    m_ctx->host.At(m_ctx->host.Now() + kSecond, [this] { Poll(); });
}

void
GovernanceFeature::OnEvent(uint32_t node, const NodeEvent& ev)
{
    const Node* ref = Reference();
    if (ev.kind != NodeEventKind::kBlockIrreversible || !ref || m_ctx->host.FullNode(node) != ref)
    {
        return;
    }
    const TimeNs start = ref->Chain().BestClock().SlotStart(ev.slot);
    m_finality.emplace_back(start, m_ctx->host.Now() - start);
}

void
GovernanceFeature::BeforeAndAfter(std::map<std::string, double>& out) const
{
    const TimeNs split = m_switchAt.value_or(m_ctx->host.Now());
    std::vector<double> before;
    std::vector<double> after;
    for (const auto& [start, latency] : m_finality)
    {
        (start < split ? before : after).push_back(ToSeconds(latency));
    }
    out["finality_mean_s_before"] = Mean(before);
    out["finality_mean_s_after"] = Mean(after);
    const Node* ref = Reference();
    if (!ref)
    {
        return;
    }
    double txBefore = 0;
    double txAfter = 0;
    // Transfers (the workload's) and contract transactions (the contracts feature's).
    std::array<double, 2> transfers{};
    std::array<double, 2> contractTxs{};
    double blocksBefore = 0;
    double blocksAfter = 0;
    double bytesBefore = 0;
    double bytesAfter = 0;
    for (const BlockEntry* e = ref->Chain().Best(); e && e->parent; e = e->parent)
    {
        const bool early = e->block->header.timestamp < split;
        (early ? txBefore : txAfter) += static_cast<double>(e->block->txs.size());
        for (const Transaction& tx : e->block->txs)
        {
            transfers[early ? 0 : 1] += tx.type == TxType::kTransfer ? 1 : 0;
            contractTxs[early ? 0 : 1] += IsContractTx(tx.type) ? 1 : 0;
        }
        (early ? blocksBefore : blocksAfter) += 1;
        (early ? bytesBefore : bytesAfter) += static_cast<double>(e->encodedSize);
    }
    out["block_bytes_mean_before"] = blocksBefore > 0 ? bytesBefore / blocksBefore : 0;
    out["block_bytes_mean_after"] = blocksAfter > 0 ? bytesAfter / blocksAfter : 0;
    out["block_bytes_max_in_force"] = static_cast<double>(
        BlockSizeMaxIn(*m_ctx->genesis.params, ref->Chain().BestState().Governance()));
    const double spanBefore = ToSeconds(split - m_ctx->genesis.params->genesisTime);
    const double spanAfter = ToSeconds(m_ctx->host.Now() - split);
    out["tx_per_s_before"] = spanBefore > 0 ? txBefore / spanBefore : 0;
    out["tx_per_s_after"] = spanAfter > 0 ? txAfter / spanAfter : 0;
    out["transfers_per_s_before"] = spanBefore > 0 ? transfers[0] / spanBefore : 0;
    out["transfers_per_s_after"] = spanAfter > 0 ? transfers[1] / spanAfter : 0;
    out["contract_txs_per_s_before"] = spanBefore > 0 ? contractTxs[0] / spanBefore : 0;
    out["contract_txs_per_s_after"] = spanAfter > 0 ? contractTxs[1] / spanAfter : 0;
    out["blocks_per_s_before"] = spanBefore > 0 ? blocksBefore / spanBefore : 0;
    out["blocks_per_s_after"] = spanAfter > 0 ? blocksAfter / spanAfter : 0;
}

std::map<std::string, double>
GovernanceFeature::Figures() const
{
    std::map<std::string, double> out = m_figures;
    BeforeAndAfter(out);
    const char* names[] = {"proposals", "votes",         "tally_changes", "passed",
                           "switches",  "excluded",      "frozen",        "lifted",
                           "signals",   "phase_changes", "in_force",      "window_extensions"};
    for (const auto& [kind, count] : m_counts)
    {
        out[names[kind]] = count;
    }
    return out;
}

} // namespace canon
