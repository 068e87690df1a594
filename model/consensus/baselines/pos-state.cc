#include "model/consensus/baselines/pos-state.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace canon
{

namespace
{

const char kGenesisNonceDomain[] = "CanonChain/pos-genesis-nonce/v1";
const char kBlockNonceDomain[] = "CanonChain/pos-block-nonce/v1";

Hash256
HashPair(const Hash256& a, const Hash256& b)
{
    Blake2bHasher h;
    h.Update(a);
    h.Update(b);
    return h.Final();
}

Hash256
Tagged(const char* domain, std::size_t domainSize, const Hash256& x)
{
    Blake2bHasher h;
    h.Update(reinterpret_cast<const uint8_t*>(domain), domainSize);
    h.Update(x);
    return h.Final();
}

} // namespace

PosEpochs
PosEpochs::From(const PosParams& pos)
{
    PosEpochs e;
    e.epochSlots = std::max<uint64_t>(pos.epochSlots, 1);
    // min(3k/f, epochSlots / 3), taken in double first so a tiny f cannot overflow the cast.
    double praos = std::ceil(3.0 * pos.confirmations / pos.activeSlotCoefficient);
    double cap = static_cast<double>(e.epochSlots / 3);
    e.stabilityWindow = static_cast<uint64_t>(std::min(praos, cap));
    return e;
}

PosState
PosGenesisState(const Hash256& genesisHash, const StakeSnapshotPtr& genesisStake)
{
    PosState s;
    s.epochNonce = Tagged(kGenesisNonceDomain, sizeof kGenesisNonceDomain - 1, genesisHash);
    s.evolvingNonce = s.epochNonce;
    s.candidateNonce = s.epochNonce;
    s.lastHashBeforeEpoch = genesisHash;
    s.active = genesisStake;
    s.next = genesisStake;
    return s;
}

Hash256
NextEpochNonce(const Hash256& candidate, const Hash256& lastHashBeforeEpoch)
{
    return HashPair(candidate, lastHashBeforeEpoch);
}

EpochView
ViewAt(const PosState& s, const Hash256& hash, uint64_t epoch, const SnapshotSource& take)
{
    CANON_ASSERT(epoch >= s.epoch, "PoS: a chain cannot go back to an earlier epoch");
    if (epoch == s.epoch)
    {
        return {epoch, s.epochNonce, s.active};
    }
    if (epoch == s.epoch + 1)
    {
        return {epoch, NextEpochNonce(s.candidateNonce, s.lastHashBeforeEpoch), s.next};
    }
    return {epoch, NextEpochNonce(s.candidateNonce, hash), take()};
}

PosState
TickTo(const PosState& s, const Hash256& hash, uint64_t epoch, const SnapshotSource& take)
{
    CANON_ASSERT(epoch >= s.epoch, "PoS: a chain cannot go back to an earlier epoch");
    PosState t = s;
    uint64_t ticks = std::min<uint64_t>(epoch - s.epoch, 2);
    StakeSnapshotPtr fresh = ticks > 0 ? take() : nullptr;
    for (uint64_t i = 0; i < ticks; ++i)
    {
        t.epochNonce = NextEpochNonce(t.candidateNonce, t.lastHashBeforeEpoch);
        t.lastHashBeforeEpoch = hash;
        t.active = t.next;
        t.next = fresh;
    }
    t.epoch = epoch;
    return t;
}

void
EvolveNonce(PosState& s, const Hash256& output, bool updateCandidate)
{
    Hash256 blockNonce = Tagged(kBlockNonceDomain, sizeof kBlockNonceDomain - 1, output);
    s.evolvingNonce = HashPair(s.evolvingNonce, blockNonce);
    if (updateCandidate)
    {
        s.candidateNonce = s.evolvingNonce;
    }
}

} // namespace canon
