#include "model/chain/chain-params.h"

#include "model/core/encoding.h"
#include "model/core/identity-memo.h"
#include "model/core/status.h"

namespace canon
{

Address
PopPoolAddress()
{
    return Blake2b256(std::string("CanonChain/pop-incentive-pool"));
}

Hash256
ChainParams::CzcHashAt(uint64_t height) const
{
    CANON_ASSERT(!czc.empty() && czc.front().height == 0, "CZC schedule must start at height 0");
    Hash256 active = czc.front().czcHash;
    for (const auto& a : czc)
    {
        if (a.height <= height)
        {
            active = a.czcHash;
        }
    }
    return active;
}

uint64_t
ChainParams::SlotAt(TimeNs t) const
{
    if (t <= genesisTime)
    {
        return 0;
    }
    return static_cast<uint64_t>((t - genesisTime) / slotDuration);
}

Hash256
ChainParams::GenesisHash() const
{
    Bytes b;
    Writer w(b);
    const std::string tag = "CanonChain/genesis/v1";
    w.Raw(reinterpret_cast<const uint8_t*>(tag.data()), tag.size());
    w.I64(genesisTime);
    w.I64(slotDuration);
    w.U32(static_cast<uint32_t>(producers.size()));
    for (const auto& p : producers)
    {
        w.Fixed(p);
    }
    w.U64(blockSizeBytesMax);
    w.U32(blockTxMax);
    w.U64(blockReward);
    w.U32(finalityThresholdOverride);
    w.U32(evidenceRewardPermille);
    w.Fixed(czrOracle);
    w.U32(election.candidatesPerGroup);
    w.U8(election.stakeWeighted ? 1 : 0);
    w.U64(static_cast<uint64_t>(election.driftThreshold * 1e9));
    w.U32(election.missedSlotsMax);
    w.U64(election.claimLifetimeBlocks);
    w.U64(static_cast<uint64_t>(election.overclaimTolerance * 1e9));
    w.U32(static_cast<uint32_t>(genesis.size()));
    for (const auto& g : genesis)
    {
        w.Fixed(g.address);
        w.U64(g.amount);
        w.U8(g.teamVesting ? 1 : 0);
    }
    for (const auto& c : czc)
    {
        w.U64(c.height);
        w.Fixed(c.czcHash);
    }
    // PoP chains hash as they did before the consensus seam.
    if (consensus.protocol != Protocol::kPop)
    {
        WriteConsensusParams(w, consensus);
    }
    // First-price chains hash as they did before the fee auctions (issue 15).
    if (fees.mechanism != FeeMechanism::kFirstPrice)
    {
        const std::string feeTag = "fees";
        w.Raw(reinterpret_cast<const uint8_t*>(feeTag.data()), feeTag.size());
        w.U8(static_cast<uint8_t>(fees.mechanism));
        w.U64(fees.initialBaseFee);
        w.U32(fees.targetPermille);
        w.U32(fees.baseFeeChangeDenominator);
    }
    // Chains with the paper's governance durations hash as they did before issue 18 committed
    // to them.
    if (governance.hold != GovernanceParams{}.hold ||
        governance.testPeriod != GovernanceParams{}.testPeriod ||
        governance.upgradeWindow != GovernanceParams{}.upgradeWindow)
    {
        const std::string govTag = "governance";
        w.Raw(reinterpret_cast<const uint8_t*>(govTag.data()), govTag.size());
        w.I64(governance.hold);
        w.I64(governance.testPeriod);
        w.I64(governance.upgradeWindow);
    }
    return Blake2b256(b);
}

Hash256
SharedGenesisHash(const std::shared_ptr<const ChainParams>& params)
{
    static IdentityMemo<ChainParams, Hash256> memo(16);
    return memo.Get(params, [](const ChainParams& p) { return p.GenesisHash(); });
}

std::vector<GenesisAccount>
MakeGenesisAllocation(const std::vector<Address>& investors, const Address& team,
                      const Address& community)
{
    CANON_ASSERT(!investors.empty(), "genesis needs at least one investor account");
    const uint64_t investorShare = kTotalSupply / 100 * 40;
    const uint64_t teamShare = kTotalSupply / 100 * 10;
    const uint64_t communityShare = kTotalSupply / 100 * 20;
    const uint64_t poolShare = kTotalSupply - investorShare - teamShare - communityShare;

    std::vector<GenesisAccount> out;
    const uint64_t each = investorShare / investors.size();
    for (std::size_t i = 0; i < investors.size(); ++i)
    {
        uint64_t amount = each + (i == 0 ? investorShare % investors.size() : 0);
        out.push_back({investors[i], amount, false});
    }
    out.push_back({team, teamShare, true});
    out.push_back({community, communityShare, false});
    out.push_back({PopPoolAddress(), poolShare, false});
    return out;
}

} // namespace canon
