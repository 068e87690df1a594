// Fork choice (PROTOCOL.md 2.4), the one copy of the rule: the highest tip wins; among equally
// high tips the one with the lower hash. Full nodes apply it to the blocks of their BlockTree,
// light nodes to the headers of their header tree; both entry types have a `height`, a `hash`
// and a `parent` pointer (null above the root of a pruned tree).
//
// Stateless; the trees that call it own their entries.
#ifndef CANONSIM_CHAIN_FORK_CHOICE_H
#define CANONSIM_CHAIN_FORK_CHOICE_H

#include "model/core/hash.h"

#include <cstdint>

namespace canon
{

// True when the tip `a` is preferred to the tip `b`.
template <class Entry>
bool
IsBetterTip(const Entry& a, const Entry& b)
{
    if (a.height != b.height)
    {
        return a.height > b.height;
    }
    return a.hash < b.hash;
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
