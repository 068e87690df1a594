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
           p <= static_cast<uint8_t>(GovParam::kRewardSplit);
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

void
GovernanceBook::EndBlock(TimeNs now, uint64_t height, TimeNs hold, const BalanceFn& balanceOf)
{
    std::vector<Hash256> stillOpen;
    for (const Hash256& id : open)
    {
        Proposal& p = proposals[id];
        Tally(p, balanceOf);
        if (!AboveBar(p))
        {
            p.aboveSince.reset(); // a dip restarts the clock
        }
        else if (!p.aboveSince)
        {
            p.aboveSince = now;
        }
        if (p.aboveSince && now - *p.aboveSince >= hold)
        {
            p.phase = ProposalPhase::kPassed;
            p.passedAt = now;
            p.passedHeight = height;
            adopted[static_cast<uint8_t>(p.payload.param)] = p.payload.value;
            adoptedCzc = p.payload.newCzc;
            adoptedBy = id;
            continue;
        }
        stillOpen.push_back(id);
    }
    open = std::move(stillOpen);
}

bool
IsGovernanceTx(TxType type)
{
    return type == TxType::kGovProposal || type == TxType::kGovVote;
}

Status
CheckGovernanceTx(const GovernanceBook& book, const Transaction& tx)
{
    if (tx.type == TxType::kGovProposal)
    {
        auto p = ProposalPayload::Decode(tx.payload);
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
    if (!p || p->phase != ProposalPhase::kOpen)
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
    const GovVotePayload v = GovVotePayload::Decode(tx.payload).Value();
    book.proposals[v.proposal].votes[tx.SenderAddress()] = v.approve;
}

} // namespace canon
