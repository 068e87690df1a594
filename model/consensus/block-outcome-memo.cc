#include "model/consensus/block-outcome-memo.h"

#include "model/core/encoding.h"
#include "model/core/identity-memo.h"
#include "model/core/process-memo.h"

#include <cstring>

namespace canon
{

namespace
{

uint64_t
DoubleBits(double d)
{
    uint64_t bits = 0;
    std::memcpy(&bits, &d, sizeof bits);
    return bits;
}

ProcessMemo<BlockOutcomePtr>&
Memo()
{
    static ProcessMemo<BlockOutcomePtr> memo(kBlockOutcomeMemoMax);
    return memo;
}

ProcessMemo<std::shared_ptr<const LedgerState>>&
GenesisMemo()
{
    static ProcessMemo<std::shared_ptr<const LedgerState>> memo(kGenesisStateMemoMax);
    return memo;
}

} // namespace

namespace
{

Hash256
DigestWith(const ChainParams& params, const Hash256& genesisHash)
{
    // GenesisHash commits to every field but these (and to two doubles only to 1e-9) and the
    // contract rules.
    Bytes b;
    Writer w(b);
    const std::string tag = "canonsim/block-outcome/params/v1";
    w.Raw(reinterpret_cast<const uint8_t*>(tag.data()), tag.size());
    w.Fixed(genesisHash);
    w.U64(params.feeMin);
    w.I64(params.clockDriftMax);
    w.U64(DoubleBits(params.election.driftThreshold));
    w.U64(DoubleBits(params.election.overclaimTolerance));
    EncodeContractParams(w, params.contracts);
    return Blake2b256(b);
}

} // namespace

Hash256
ChainParamsDigest(const ChainParams& params)
{
    return DigestWith(params, params.GenesisHash());
}

Hash256
SharedChainParamsDigest(const std::shared_ptr<const ChainParams>& params)
{
    static IdentityMemo<ChainParams, Hash256> memo(kGenesisStateMemoMax);
    const Hash256 genesisHash = SharedGenesisHash(params);
    return memo.Get(params,
                    [&genesisHash](const ChainParams& p) { return DigestWith(p, genesisHash); });
}

Hash256
BlockOutcomeKey(const Hash256& parentKey, const Block& block, std::size_t encodedSize)
{
    const Bytes encoded = block.Encode();
    Bytes head;
    Writer w(head);
    w.Fixed(parentKey);
    w.U64(encodedSize);
    Blake2bHasher h;
    h.Update(head.data(), head.size());
    h.Update(encoded.data(), encoded.size());
    return h.Final();
}

BlockOutcomePtr
FindBlockOutcome(const Hash256& key)
{
    return Memo().Find(key).value_or(nullptr);
}

void
RememberBlockOutcome(const Hash256& key, BlockOutcomePtr outcome)
{
    Memo().Remember(key, std::move(outcome));
}

std::shared_ptr<const LedgerState>
SharedGenesisState(const ChainParams& params, const Hash256& digest)
{
    if (auto known = GenesisMemo().Find(digest))
    {
        return *known;
    }
    auto state = std::make_shared<const LedgerState>(LedgerState::FromGenesis(params));
    GenesisMemo().Remember(digest, state);
    return state;
}

void
SetBlockOutcomeMemoEnabled(bool enabled)
{
    Memo().SetEnabled(enabled);
}

void
ClearBlockOutcomeMemo()
{
    Memo().Clear();
    GenesisMemo().Clear();
}

BlockOutcomeMemoStats
GetBlockOutcomeMemoStats()
{
    return Memo().Stats();
}

} // namespace canon
