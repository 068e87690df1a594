#include "model/governance/governance.h"

#include "model/chain/ledger-state.h"
#include "model/consensus/finality.h"

#include <algorithm>
#include <cmath>

namespace canon
{

namespace
{

const char kProposalDomain[] = "CanonChain/proposal-id/v1";

template <typename T>
Result<T>
Finished(Reader& r, T value)
{
    Status s = r.Finish();
    if (!s.IsOk())
    {
        return s;
    }
    return value;
}

bool
KnownParam(uint8_t p)
{
    return (p >= static_cast<uint8_t>(GovParam::kFeeFloor) &&
            p <= static_cast<uint8_t>(GovParam::kUpgrade)) ||
           p == static_cast<uint8_t>(GovParam::kCzrWeights);
}

constexpr unsigned kCzrWeightBits = 10;
constexpr uint64_t kCzrWeightMask = (uint64_t{1} << kCzrWeightBits) - 1;

// Approving stake and voting stake of one proposal now.
void
Tally(Proposal& p, const BalanceFn& balanceOf)
{
    p.approving = 0;
    p.voting = 0;
    for (const auto& [voter, approve] : p.votes)
    {
        const uint64_t stake = balanceOf(voter);
        p.voting += stake;
        p.approving += approve ? stake : 0;
    }
}

// More than 3/4. Stakes are balances, whose sum is the total supply (below 2^61), so the
// products cannot overflow.
bool
AboveBar(const Proposal& p)
{
    CANON_ASSERT(p.voting < (uint64_t{1} << 61), "voting stake above the total supply");
    return p.voting > 0 && p.approving * 4 > p.voting * 3;
}

} // namespace

const char*
GovParamName(GovParam p)
{
    switch (p)
    {
        case GovParam::kFeeFloor:
            return "fee-floor";
        case GovParam::kSlotDuration:
            return "slot-duration";
        case GovParam::kBlockSizeMax:
            return "block-size-max";
        case GovParam::kProducers:
            return "producers";
        case GovParam::kCzrGamma:
            return "czr-gamma";
        case GovParam::kCzrBeta:
            return "czr-beta";
        case GovParam::kCandidatesPerGroup:
            return "candidates-per-group";
        case GovParam::kRewardSplit:
            return "reward-split";
        case GovParam::kUpgrade:
            return "upgrade";
        case GovParam::kOverturnFreeze:
            return "overturn-freeze";
        case GovParam::kCzrWeights:
            return "czr-weights";
    }
    return "unknown";
}

std::optional<GovParam>
GovParamFromName(const std::string& name)
{
    for (uint8_t p = static_cast<uint8_t>(GovParam::kFeeFloor);
         p <= static_cast<uint8_t>(GovParam::kCzrWeights); ++p)
    {
        if (name == GovParamName(static_cast<GovParam>(p)))
        {
            return static_cast<GovParam>(p);
        }
    }
    return std::nullopt;
}

uint64_t
PackCzrWeights(const std::array<double, kCzrWeightCount>& weights)
{
    uint64_t packed = 0;
    for (std::size_t k = 0; k < kCzrWeightCount; ++k)
    {
        const double hundredths = std::round(std::clamp(weights[k], 0.0, 10.23) * 100);
        packed |= static_cast<uint64_t>(hundredths) << (kCzrWeightBits * k);
    }
    return packed;
}

std::array<double, kCzrWeightCount>
UnpackCzrWeights(uint64_t packed)
{
    std::array<double, kCzrWeightCount> out{};
    for (std::size_t k = 0; k < kCzrWeightCount; ++k)
    {
        out[k] = static_cast<double>(packed >> (kCzrWeightBits * k) & kCzrWeightMask) / 100;
    }
    return out;
}

Bytes
ProposalPayload::Encode() const
{
    Bytes out;
    Writer w(out);
    w.U8(static_cast<uint8_t>(param));
    w.U64(value);
    w.Fixed(newCzc);
    return out;
}

Result<ProposalPayload>
ProposalPayload::Decode(const Bytes& payload)
{
    Reader r(payload, "governance proposal payload");
    ProposalPayload p;
    const uint8_t param = r.U8("parameter");
    if (r.IsOk() && !KnownParam(param))
    {
        r.Fail("unknown governance parameter " + std::to_string(param));
    }
    p.param = static_cast<GovParam>(param);
    p.value = r.U64("value");
    p.newCzc = r.Fixed<32>("new CZC hash");
    return Finished(r, p);
}

Bytes
GovTestReportPayload::Encode() const
{
    Bytes out;
    Writer w(out);
    w.Fixed(proposal);
    w.U8(passed ? 1 : 0);
    return out;
}

Result<GovTestReportPayload>
GovTestReportPayload::Decode(const Bytes& payload)
{
    Reader r(payload, "governance test report payload");
    GovTestReportPayload p;
    p.proposal = r.Fixed<32>("proposal");
    const uint8_t passed = r.U8("passed");
    if (r.IsOk() && passed > 1)
    {
        r.Fail("passed is not 0 or 1");
    }
    p.passed = passed == 1;
    return Finished(r, p);
}

Bytes
GovSignalPayload::Encode() const
{
    Bytes out;
    Writer w(out);
    w.Fixed(proposal);
    return out;
}

Result<GovSignalPayload>
GovSignalPayload::Decode(const Bytes& payload)
{
    Reader r(payload, "governance upgrade signal payload");
    GovSignalPayload p;
    p.proposal = r.Fixed<32>("proposal");
    return Finished(r, p);
}

Bytes
GovVotePayload::Encode() const
{
    Bytes out;
    Writer w(out);
    w.Fixed(proposal);
    w.U8(approve ? 1 : 0);
    return out;
}

Result<GovVotePayload>
GovVotePayload::Decode(const Bytes& payload)
{
    Reader r(payload, "governance vote payload");
    GovVotePayload p;
    p.proposal = r.Fixed<32>("proposal");
    const uint8_t approve = r.U8("approve");
    if (r.IsOk() && approve > 1)
    {
        r.Fail("approve is not 0 or 1");
    }
    p.approve = approve == 1;
    return Finished(r, p);
}

Bytes
GovFreezePayload::Encode() const
{
    Bytes out;
    Writer w(out);
    w.Fixed(account);
    return out;
}

Result<GovFreezePayload>
GovFreezePayload::Decode(const Bytes& payload)
{
    Reader r(payload, "governance freeze payload");
    GovFreezePayload p;
    p.account = r.Fixed<32>("account");
    return Finished(r, p);
}

Hash256
ProposalIdFor(const PublicKey& proposer, uint64_t nonce)
{
    Bytes b;
    Writer w(b);
    w.Fixed(proposer);
    w.U64(nonce);
    Blake2bHasher h;
    h.Update(reinterpret_cast<const uint8_t*>(kProposalDomain), sizeof kProposalDomain - 1);
    h.Update(b);
    return h.Final();
}

std::optional<uint64_t>
GovernanceBook::AdoptedValue(GovParam p) const
{
    const uint64_t* v = adopted.Find(static_cast<uint8_t>(p));
    return v ? std::optional<uint64_t>(*v) : std::nullopt;
}

namespace
{

// Whether the proposal has now held above the bar for `hold` (a dip restarts the clock).
bool
HeldAbove(Proposal& p, TimeNs now, TimeNs hold)
{
    if (!AboveBar(p))
    {
        p.aboveSince.reset();
    }
    else if (!p.aboveSince)
    {
        p.aboveSince = now;
    }
    return p.aboveSince && now - *p.aboveSince >= hold;
}

} // namespace

bool
GovernanceBook::Advance(const Hash256& id, Proposal& p, TimeNs now, uint64_t height,
                        const GovernanceParams& params, const RuleEpoch& genesisRules,
                        uint32_t thresholdOverride)
{
    const bool upgrade = p.payload.param == GovParam::kUpgrade;
    switch (p.phase)
    {
        case ProposalPhase::kOpen:
            if (!HeldAbove(p, now, params.hold))
            {
                return true;
            }
            p.passedAt = now;
            p.passedHeight = height;
            if (p.payload.param == GovParam::kOverturnFreeze)
            {
                Lift(p.subject);
                p.phase = ProposalPhase::kPassed;
                return false;
            }
            adoptedCzc = p.payload.newCzc; // step 2: every transaction carries the new hash
            adoptedBy = id;
            if (!upgrade)
            {
                adopted[static_cast<uint8_t>(p.payload.param)] = p.payload.value;
                p.phase = ProposalPhase::kPassed;
                OpenEpoch(p.payload, now, height, genesisRules);
                return false;
            }
            p.phase = ProposalPhase::kTesting;
            p.phaseEnds = now + params.testPeriod;
            return true;
        case ProposalPhase::kTesting:
            if (now < p.phaseEnds)
            {
                return true;
            }
            p.phase = p.testsPassed > p.testsFailed ? ProposalPhase::kSecondVote
                                                    : ProposalPhase::kRejected;
            p.votes.clear();
            p.aboveSince.reset();
            return p.phase == ProposalPhase::kSecondVote;
        case ProposalPhase::kSecondVote:
            if (HeldAbove(p, now, params.hold))
            {
                p.phase = ProposalPhase::kWindow;
                p.phaseEnds = now + params.upgradeWindow;
            }
            return true;
        case ProposalPhase::kWindow:
            return now < p.phaseEnds || EndWindow(id, p, now, params, thresholdOverride);
        default:
            return false;
    }
}

std::size_t
GovernanceBook::UpgradedProducers(const Proposal& p) const
{
    std::size_t count = 0;
    for (const PublicKey& k : producers ? *producers : std::vector<PublicKey>{})
    {
        count += p.upgraded.count(k) != 0 ? 1U : 0U;
    }
    return count;
}

uint32_t
GovernanceBook::UpgradeQuorum(uint32_t thresholdOverride) const
{
    const auto n = static_cast<uint32_t>(producers ? producers->size() : 0);
    return FinalityThresholdOf(n, thresholdOverride);
}

bool
GovernanceBook::EndWindow(const Hash256& id, Proposal& p, TimeNs now,
                          const GovernanceParams& params, uint32_t thresholdOverride)
{
    if (UpgradedProducers(p) < UpgradeQuorum(thresholdOverride))
    {
        // The finality stall rule (governance.h): too few upgraded producers to keep finality.
        p.phaseEnds = now + params.upgradeWindow;
        ++p.windowExtensions;
        return true;
    }
    p.phase = ProposalPhase::kActive;
    adopted[static_cast<uint8_t>(GovParam::kUpgrade)] = p.payload.value;
    activeUpgrades.push_back(id);
    return false;
}

void
GovernanceBook::OpenEpoch(const ProposalPayload& change, TimeNs now, uint64_t height,
                          const RuleEpoch& genesisRules)
{
    if (change.param == GovParam::kSlotDuration)
    {
        epochs = AdoptRule(genesisRules, epochs, now, height, static_cast<TimeNs>(change.value), 0);
    }
    else if (change.param == GovParam::kProducers)
    {
        epochs =
            AdoptRule(genesisRules, epochs, now, height, 0, static_cast<uint32_t>(change.value));
    }
}

void
GovernanceBook::EndBlock(TimeNs now, uint64_t height, const GovernanceParams& params,
                         const BalanceFn& balanceOf, const RuleEpoch& genesisRules,
                         uint32_t thresholdOverride)
{
    std::vector<Hash256> stillOpen;
    for (const Hash256& id : open)
    {
        Proposal& p = proposals[id];
        Tally(p, balanceOf);
        if (Advance(id, p, now, height, params, genesisRules, thresholdOverride))
        {
            stillOpen.push_back(id);
        }
    }
    open = std::move(stillOpen);
}

std::string
GovernanceBook::ExclusionOf(const PublicKey& producer) const
{
    for (const Hash256& id : activeUpgrades)
    {
        const Proposal& p = proposals.at(id);
        if (!p.upgraded.count(producer))
        {
            return "producer " + ShortHex(producer) + " never upgraded to version " +
                   std::to_string(p.payload.value) + " (proposal " + ShortHex(id) + "): excluded";
        }
    }
    return {};
}

bool
IsGovernanceTx(TxType type)
{
    return type == TxType::kGovProposal || type == TxType::kGovVote ||
           type == TxType::kGovTestReport || type == TxType::kGovUpgradeSignal ||
           type == TxType::kGovFreeze;
}

namespace
{

// The proposal a report or signal names, in a phase that takes it.
Status
CheckUpgradeStep(const GovernanceBook& book, const Transaction& tx)
{
    Hash256 id{};
    if (tx.type == TxType::kGovTestReport)
    {
        auto r = GovTestReportPayload::Decode(tx.payload);
        if (!r.IsOk())
        {
            return r.GetStatus();
        }
        id = r.Value().proposal;
    }
    else
    {
        auto r = GovSignalPayload::Decode(tx.payload);
        if (!r.IsOk())
        {
            return r.GetStatus();
        }
        id = r.Value().proposal;
    }
    const Proposal* p = book.proposals.Find(id);
    const bool testing = p && p->phase == ProposalPhase::kTesting;
    const bool upgrading = p && p->payload.param == GovParam::kUpgrade &&
                           p->phase != ProposalPhase::kOpen && p->phase != ProposalPhase::kRejected;
    if (tx.type == TxType::kGovTestReport ? !testing : !upgrading)
    {
        return Status::Invalid(
            "governance: proposal " + ShortHex(id) + " takes no " +
            (tx.type == TxType::kGovTestReport ? "test report" : "upgrade signal") + " now");
    }
    return Status::Ok();
}

// Every adoptable value is bounded, so that whatever passes is usable where it acts: T and N
// become consensus rules (a slot clock cannot overflow, a cycle stays small), a block size fits
// a frame, gamma stays in (0, 1] (model/czr/contribution.h), a split is per mille.
struct RuleBound
{
    GovParam param;
    uint64_t min;
    uint64_t max;
    const char* unit;
};

constexpr RuleBound kRuleBounds[] = {
    {GovParam::kSlotDuration, static_cast<uint64_t>(kMillisecond), uint64_t{3600} * kSecond, " ns"},
    {GovParam::kProducers, 1, kGovProducersMax, ""},
    {GovParam::kFeeFloor, 0, kGovFeeFloorMax, ""},
    {GovParam::kBlockSizeMax, kGovBlockSizeMin, kGovBlockSizeMax, " bytes"},
    {GovParam::kCzrGamma, 1, kGovFixedPoint, " (1e6 = 1)"},
    {GovParam::kCzrBeta, 0, kGovCzrBetaMax, " (1e6 = 1)"},
    {GovParam::kCandidatesPerGroup, 1, kGovCandidatesMax, ""},
    {GovParam::kRewardSplit, 0, 1000, " per mille"},
    {GovParam::kCzrWeights, 0, (uint64_t{1} << (kCzrWeightBits * kCzrWeightCount)) - 1,
     " (packed weights)"},
};

} // namespace

std::optional<GovValueRange>
GovValueBounds(GovParam p)
{
    for (const RuleBound& b : kRuleBounds)
    {
        if (b.param == p)
        {
            return GovValueRange{b.min, b.max};
        }
    }
    return std::nullopt;
}

namespace
{

Status
CheckRuleValue(const ProposalPayload& p)
{
    for (const RuleBound& b : kRuleBounds)
    {
        if (b.param == p.param && (p.value < b.min || p.value > b.max))
        {
            return Status::Invalid("governance: " + std::string(GovParamName(p.param)) + " " +
                                   std::to_string(p.value) + b.unit + " is outside " +
                                   std::to_string(b.min) + " to " + std::to_string(b.max));
        }
    }
    return Status::Ok();
}

// A freeze approval: by a producer of the set in force, once per account and freeze.
Status
CheckFreeze(const GovernanceBook& book, const Transaction& tx)
{
    auto f = GovFreezePayload::Decode(tx.payload);
    if (!f.IsOk())
    {
        return f.GetStatus();
    }
    const Address& account = f.Value().account;
    if (!book.IsProducer(tx.sender))
    {
        return Status::Invalid("governance: freeze approval by " + ShortHex(tx.sender) +
                               ", which is not a producer of the set in force");
    }
    const Freeze* freeze = book.freezes.Find(account);
    if (freeze && freeze->frozen)
    {
        return Status::Invalid("governance: account " + ShortHex(account) + " is frozen already");
    }
    if (freeze && freeze->approvals.count(tx.sender))
    {
        return Status::Invalid("governance: producer " + ShortHex(tx.sender) +
                               " approved freezing " + ShortHex(account) + " already");
    }
    if (book.open.size() >= kOpenProposalsMax)
    {
        return Status(StatusCode::kResourceLimit,
                      "governance: " + std::to_string(kOpenProposalsMax) +
                          " proposals are open already");
    }
    return Status::Ok();
}

} // namespace

bool
GovernanceBook::IsProducer(const PublicKey& key) const
{
    return producers && std::find(producers->begin(), producers->end(), key) != producers->end();
}

void
GovernanceBook::ApproveFreeze(const Transaction& tx, TimeNs now, uint64_t height)
{
    const Address account = GovFreezePayload::Decode(tx.payload).Value().account;
    Freeze& f = freezes[account];
    f.approvals[tx.sender] = height;
    std::size_t approving = 0;
    for (const auto& [key, at] : f.approvals)
    {
        approving += IsProducer(key) ? 1U : 0U;
    }
    // At least 2/3 of the producers in force.
    if (approving * 3 < producers->size() * 2)
    {
        return;
    }
    f.frozen = true;
    f.frozenHeight = height;
    f.frozenAt = now;
    f.overturnVote = ProposalIdFor(tx.sender, tx.nonce);
    Proposal vote;
    vote.payload.param = GovParam::kOverturnFreeze;
    vote.subject = account;
    vote.height = height;
    proposals[f.overturnVote] = vote;
    open.push_back(f.overturnVote);
}

void
GovernanceBook::Lift(const Address& account)
{
    Freeze& f = freezes[account];
    f.frozen = false;
    f.approvals.clear();
    ++f.overturns;
}

std::string
GovernanceBook::RefusalOf(const PublicKey& sender) const
{
    const Address account = AddressOf(sender);
    if (const Freeze* f = freezes.Find(account); f && f->frozen)
    {
        return "account " + ShortHex(account) + " is frozen by the producers since height " +
               std::to_string(f->frozenHeight) + " (community overturn vote " +
               ShortHex(f->overturnVote) + ")";
    }
    if (IsProducer(sender))
    {
        if (std::string why = ExclusionOf(sender); !why.empty())
        {
            return "transaction from a node that is " + why;
        }
    }
    return {};
}

namespace
{

void
WriteEpochs(Writer& w, const RuleEpochs& epochs)
{
    w.U32(epochs ? static_cast<uint32_t>(epochs->size()) : 0);
    for (const RuleEpoch& e : epochs ? *epochs : std::vector<RuleEpoch>{})
    {
        w.U64(e.fromSlot);
        w.I64(e.fromTime);
        w.I64(e.slotDuration);
        w.U32(e.producers);
        w.U64(e.adoptedHeight);
        w.U8(e.electSet ? 1 : 0);
        w.U32(static_cast<uint32_t>(e.producerSet.size()));
        for (const PublicKey& k : e.producerSet)
        {
            w.Fixed(k);
        }
    }
}

void
WriteProposal(Writer& w, const Hash256& id, const Proposal& p)
{
    w.Fixed(id);
    const Bytes payload = p.payload.Encode();
    w.Raw(payload.data(), payload.size());
    w.Fixed(p.subject);
    w.U64(p.height);
    w.U8(static_cast<uint8_t>(p.phase));
    w.I64(p.aboveSince.value_or(-1));
    w.I64(p.passedAt);
    w.U64(p.passedHeight);
    w.I64(p.phaseEnds);
    w.U32(p.testsPassed);
    w.U32(p.testsFailed);
    w.U32(p.windowExtensions);
    w.U32(static_cast<uint32_t>(p.votes.size()));
    for (const auto& [voter, approve] : p.votes)
    {
        w.Fixed(voter);
        w.U8(approve ? 1 : 0);
    }
    w.U32(static_cast<uint32_t>(p.upgraded.size()));
    for (const auto& [node, at] : p.upgraded)
    {
        w.Fixed(node);
        w.U64(at);
    }
}

} // namespace

Hash256
GovernanceBook::Root() const
{
    Bytes out;
    Writer w(out);
    w.U32(static_cast<uint32_t>(proposals.size()));
    for (const auto& [id, p] : proposals)
    {
        WriteProposal(w, id, p);
    }
    for (const Hash256& id : open)
    {
        w.Fixed(id);
    }
    w.Fixed(adoptedCzc.value_or(Hash256{}));
    w.Fixed(adoptedBy.value_or(Hash256{}));
    for (const auto& [param, value] : adopted)
    {
        w.U8(param);
        w.U64(value);
    }
    for (const Hash256& id : activeUpgrades)
    {
        w.Fixed(id);
    }
    WriteEpochs(w, epochs);
    for (const auto& [account, f] : freezes)
    {
        w.Fixed(account);
        w.U8(f.frozen ? 1 : 0);
        w.U64(f.frozenHeight);
        w.U32(f.overturns);
        w.U32(static_cast<uint32_t>(f.approvals.size()));
        for (const auto& [key, at] : f.approvals)
        {
            w.Fixed(key);
        }
    }
    return Blake2b256(out);
}

Status
CheckGovernanceTx(const GovernanceBook& book, const Transaction& tx)
{
    if (tx.type == TxType::kGovFreeze)
    {
        return CheckFreeze(book, tx);
    }
    if (tx.type == TxType::kGovTestReport || tx.type == TxType::kGovUpgradeSignal)
    {
        return CheckUpgradeStep(book, tx);
    }
    if (tx.type == TxType::kGovProposal)
    {
        auto p = ProposalPayload::Decode(tx.payload);
        if (p.IsOk())
        {
            if (Status s = CheckRuleValue(p.Value()); !s.IsOk())
            {
                return s;
            }
        }
        if (p.IsOk() && book.open.size() >= kOpenProposalsMax)
        {
            return Status(StatusCode::kResourceLimit,
                          "governance: " + std::to_string(kOpenProposalsMax) +
                              " proposals are open already");
        }
        return p.GetStatus();
    }
    auto v = GovVotePayload::Decode(tx.payload);
    if (!v.IsOk())
    {
        return v.GetStatus();
    }
    const Proposal* p = book.proposals.Find(v.Value().proposal);
    if (!p || (p->phase != ProposalPhase::kOpen && p->phase != ProposalPhase::kSecondVote))
    {
        return Status::Invalid("governance: no open proposal " + ShortHex(v.Value().proposal));
    }
    if (!p->votes.count(tx.SenderAddress()) && p->votes.size() >= kVotersPerProposalMax)
    {
        return Status(StatusCode::kResourceLimit, "governance: proposal has too many voters");
    }
    return Status::Ok();
}

void
RecordGovernanceTx(GovernanceBook& book, const Transaction& tx, const TxContext& ctx)
{
    if (tx.type == TxType::kGovProposal)
    {
        const Hash256 id = ProposalIdFor(tx.sender, tx.nonce);
        Proposal p;
        p.payload = ProposalPayload::Decode(tx.payload).Value();
        p.height = ctx.height;
        book.proposals[id] = p;
        book.open.push_back(id);
        return;
    }
    if (tx.type == TxType::kGovTestReport)
    {
        const GovTestReportPayload r = GovTestReportPayload::Decode(tx.payload).Value();
        Proposal& p = book.proposals[r.proposal];
        ++(r.passed ? p.testsPassed : p.testsFailed);
        return;
    }
    if (tx.type == TxType::kGovUpgradeSignal)
    {
        const Hash256 id = GovSignalPayload::Decode(tx.payload).Value().proposal;
        book.proposals[id].upgraded[tx.sender] = ctx.height;
        return;
    }
    if (tx.type == TxType::kGovFreeze)
    {
        book.ApproveFreeze(tx, ctx.now, ctx.height);
        return;
    }
    const GovVotePayload v = GovVotePayload::Decode(tx.payload).Value();
    book.proposals[v.proposal].votes[tx.SenderAddress()] = v.approve;
}

} // namespace canon
