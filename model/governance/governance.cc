#include "model/governance/governance.h"

#include "model/chain/ledger-state.h"

#include <algorithm>

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
    return p >= static_cast<uint8_t>(GovParam::kFeeFloor) &&
           p <= static_cast<uint8_t>(GovParam::kUpgrade);
}

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
    }
    return "unknown";
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
                        const GovernanceParams& params, const RuleEpoch& genesisRules)
{
    const bool upgrade = p.payload.param == GovParam::kUpgrade;
    switch (p.phase)
    {
        case ProposalPhase::kOpen:
            if (!HeldAbove(p, now, params.hold))
            {
                return true;
            }
            adoptedCzc = p.payload.newCzc; // step 2: every transaction carries the new hash
            adoptedBy = id;
            p.passedAt = now;
            p.passedHeight = height;
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
            if (now < p.phaseEnds)
            {
                return true;
            }
            p.phase = ProposalPhase::kActive;
            adopted[static_cast<uint8_t>(GovParam::kUpgrade)] = p.payload.value;
            activeUpgrades.push_back(id);
            return false;
        default:
            return false;
    }
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
                         const BalanceFn& balanceOf, const RuleEpoch& genesisRules)
{
    std::vector<Hash256> stillOpen;
    for (const Hash256& id : open)
    {
        Proposal& p = proposals[id];
        Tally(p, balanceOf);
        if (Advance(id, p, now, height, params, genesisRules))
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
           type == TxType::kGovTestReport || type == TxType::kGovUpgradeSignal;
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

// T and N become consensus rules (rule-epochs.h): bounded so a slot clock cannot overflow and a
// cycle stays small.
Status
CheckRuleValue(const ProposalPayload& p)
{
    if (p.param == GovParam::kSlotDuration &&
        (p.value < static_cast<uint64_t>(kMillisecond) || p.value > uint64_t{3600} * kSecond))
    {
        return Status::Invalid("governance: slot duration " + std::to_string(p.value) +
                               " ns is outside 1 ms to 1 h");
    }
    if (p.param == GovParam::kProducers && (p.value < 1 || p.value > kGovProducersMax))
    {
        return Status::Invalid("governance: producer count " + std::to_string(p.value) +
                               " is outside 1 to " + std::to_string(kGovProducersMax));
    }
    return Status::Ok();
}

} // namespace

Status
CheckGovernanceTx(const GovernanceBook& book, const Transaction& tx)
{
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
    const GovVotePayload v = GovVotePayload::Decode(tx.payload).Value();
    book.proposals[v.proposal].votes[tx.SenderAddress()] = v.approve;
}

} // namespace canon
