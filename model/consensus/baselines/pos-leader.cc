#include "model/consensus/baselines/pos-leader.h"

#include "model/core/encoding.h"

#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <string>

namespace canon
{

namespace
{

const char kLeaderDomain[] = "CanonChain/pos-leader/v1";

Status
CheckMembers(const std::vector<PublicKey>& members)
{
    if (members.empty())
    {
        return Status::Invalid("consensus.members is empty: PoS needs at least one stakeholder");
    }
    std::map<PublicKey, std::size_t> seen;
    for (std::size_t i = 0; i < members.size(); ++i)
    {
        auto [it, fresh] = seen.emplace(members[i], i);
        if (!fresh)
        {
            return Status::Invalid("consensus.members[" + std::to_string(i) +
                                   "] repeats consensus.members[" + std::to_string(it->second) +
                                   "] (" + ShortHex(members[i]) + ")");
        }
    }
    return Status::Ok();
}

// The members' share of the genesis allocation.
uint64_t
GenesisStakeOf(const ChainParams& params)
{
    std::set<Address> isMember;
    for (const PublicKey& k : params.consensus.members)
    {
        isMember.insert(AddressOf(k));
    }
    uint64_t total = 0;
    for (const GenesisAccount& g : params.genesis)
    {
        if (isMember.count(g.address) != 0)
        {
            total += g.amount;
        }
    }
    return total;
}

} // namespace

double
LeaderProbability(double f, double alpha)
{
    return -std::expm1(alpha * std::log1p(-f));
}

uint64_t
LeaderThreshold(double f, uint64_t stake, uint64_t total)
{
    if (stake == 0 || total == 0)
    {
        return 0;
    }
    double alpha = static_cast<double>(stake) / static_cast<double>(total);
    double phi = LeaderProbability(f, std::min(alpha, 1.0));
    if (phi >= 1.0)
    {
        return std::numeric_limits<uint64_t>::max();
    }
    // phi < 1 is at most 1 - 2^-53, so 2^64 * phi < 2^64 and the conversion takes the floor.
    return static_cast<uint64_t>(std::ldexp(phi, 64));
}

StakeSnapshotPtr
TakeStakeSnapshot(const std::vector<PublicKey>& members, double f, const LedgerState& state)
{
    auto snap = std::make_shared<StakeSnapshot>();
    snap->stake.reserve(members.size());
    for (const PublicKey& k : members)
    {
        snap->stake.push_back(state.BalanceOf(AddressOf(k)));
        snap->total += snap->stake.back();
    }
    snap->threshold.reserve(members.size());
    for (uint64_t s : snap->stake)
    {
        snap->threshold.push_back(LeaderThreshold(f, s, snap->total));
    }
    return snap;
}

Bytes
LeaderMessage(const Hash256& epochNonce, uint64_t slot)
{
    const std::size_t domainSize = sizeof kLeaderDomain - 1;
    Bytes out;
    out.reserve(domainSize + epochNonce.size() + 8);
    Writer w(out);
    w.Raw(reinterpret_cast<const uint8_t*>(kLeaderDomain), domainSize);
    w.Fixed(epochNonce);
    w.U64(slot);
    return out;
}

Signature
MakeLeaderProof(const KeyPair& key, const Hash256& epochNonce, uint64_t slot)
{
    return key.Sign(LeaderMessage(epochNonce, slot));
}

Hash256
LeaderOutput(const Signature& proof)
{
    return Blake2b256(proof.data(), proof.size());
}

uint64_t
LeaderValue(const Hash256& output)
{
    uint64_t v = 0;
    for (std::size_t i = 0; i < 8; ++i)
    {
        v = (v << 8) | output[i];
    }
    return v;
}

Result<Signature>
ParseLeaderProof(const Bytes& proof)
{
    if (proof.size() != kPosProofBytes)
    {
        return Status::Invalid("PoS leader proof has " + std::to_string(proof.size()) +
                               " bytes, expected " + std::to_string(kPosProofBytes) +
                               " (an ed25519 signature)");
    }
    Signature sig{};
    std::copy(proof.begin(), proof.end(), sig.begin());
    return sig;
}

Status
CheckPosParams(const ChainParams& params)
{
    const PosParams& pos = params.consensus.pos;
    Status members = CheckMembers(params.consensus.members);
    if (!members.IsOk())
    {
        return members;
    }
    if (!(pos.activeSlotCoefficient > 0.0 && pos.activeSlotCoefficient <= 1.0))
    {
        return Status::Invalid("consensus.pos.activeSlotCoefficient " +
                               std::to_string(pos.activeSlotCoefficient) + " is outside (0, 1]");
    }
    if (pos.confirmations == 0)
    {
        return Status::Invalid("consensus.pos.confirmations is 0: k must be at least 1");
    }
    if (pos.epochSlots == 0)
    {
        return Status::Invalid("consensus.pos.epochSlots is 0: an epoch needs at least 1 slot");
    }
    if (GenesisStakeOf(params) == 0)
    {
        return Status::Invalid("no member of consensus.members holds genesis stake: no slot "
                               "would ever have a leader");
    }
    return Status::Ok();
}

} // namespace canon
