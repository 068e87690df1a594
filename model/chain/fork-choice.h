// Fork choice, the one copy of the rule: the tip with the highest fork weight wins; among equal
// weights the one with the lower hash (PROTOCOL.md 2.4), or for protocols whose tie rule is
// "first seen" (PoW) the tip already held. The weight is the consensus engine's (PoP and the
// longest-chain baselines: the height; PoW: accumulated work; DPoS: the LIB, then the height).
// Full nodes apply it to the blocks of their BlockTree, light nodes to the headers of their
// header tree (whose weight is the height: light nodes follow the longest header chain under
// every protocol); both entry types have a `height`, a `weight`, a `hash` and a `parent` pointer
// (null above the root of a pruned tree).
//
// Stateless; the trees that call it own their entries.
#ifndef CANONSIM_CHAIN_FORK_CHOICE_H
#define CANONSIM_CHAIN_FORK_CHOICE_H

#include "model/core/hash.h"

#include <cstdint>

namespace canon
{

// The fork choice weight of a chain: the higher (primary, secondary) wins.
struct ForkWeight
{
    uint64_t primary = 0;
    uint64_t secondary = 0;

    bool operator==(const ForkWeight& o) const
    {
        return primary == o.primary && secondary == o.secondary;
    }
    bool operator>(const ForkWeight& o) const
    {
        return primary != o.primary ? primary > o.primary : secondary > o.secondary;
    }
};

// True when the tip `a` is preferred to the tip `b`, the current best.
template <class Entry>
bool
IsBetterTip(const Entry& a, const Entry& b, bool firstSeenWins = false)
{
    if (!(a.weight == b.weight))
    {
        return a.weight > b.weight;
    }
    return !firstSeenWins && a.hash < b.hash;
}

// Walks from `e` to its ancestor at `height` (e itself when equal); nullptr when `e` is null,
// lower than `height`, or its chain is cut (pruned) above `height`.
template <class Entry>
const Entry*
AncestorAt(const Entry* e, uint64_t height)
{
    while (e && e->height > height)
    {
        e = e->parent;
    }
    return e && e->height == height ? e : nullptr;
}

} // namespace canon

#endif
