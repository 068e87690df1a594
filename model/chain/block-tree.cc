#include "model/chain/block-tree.h"

#include <algorithm>

namespace canon
{

BlockTree::BlockTree(std::unique_ptr<BlockEntry> genesis, bool firstSeenWins)
  : m_firstSeenWins(firstSeenWins)
{
    CANON_ASSERT(genesis && genesis->height == 0 && genesis->state, "genesis entry is malformed");
    m_genesis = genesis.get();
    m_best = m_genesis;
    m_pruneRoot = m_genesis;
    m_mainChain.push_back(m_genesis);
    m_entries.emplace(genesis->hash, std::move(genesis));
}

const BlockEntry*
BlockTree::Find(const Hash256& hash) const
{
    auto it = m_entries.find(hash);
    return it == m_entries.end() ? nullptr : it->second.get();
}

const BlockEntry*
BlockTree::MainChainAt(uint64_t height) const
{
    return height < m_mainChain.size() ? m_mainChain[height] : nullptr;
}

const BlockEntry*
BlockTree::AncestorAt(const BlockEntry* e, uint64_t height)
{
    return canon::AncestorAt(e, height);
}

const BlockEntry*
BlockTree::Insert(std::unique_ptr<BlockEntry> entry, std::vector<const BlockEntry*>* disconnected)
{
    CANON_ASSERT(entry->parent && Find(entry->parent->hash) == entry->parent,
                 "block tree insert without its parent");
    BlockEntry* e = entry.get();
    auto [it, inserted] = m_entries.emplace(e->hash, std::move(entry));
    CANON_ASSERT(inserted, "block tree insert of a known block");
    m_unpruned.push_back(e);
    if (IsBetter(*e, *m_best))
    {
        SetBest(e, disconnected);
    }
    return e;
}

void
BlockTree::SetBest(const BlockEntry* best, std::vector<const BlockEntry*>* disconnected)
{
    // Walk the new chain back until it meets the old main chain, then replace the tail.
    std::vector<const BlockEntry*> added;
    const BlockEntry* e = best;
    while (e->height >= m_mainChain.size() || m_mainChain[e->height] != e)
    {
        added.push_back(e);
        e = e->parent;
    }
    const uint64_t forkHeight = e->height;
    for (uint64_t h = m_mainChain.size() - 1; h > forkHeight; --h)
    {
        if (disconnected)
        {
            disconnected->push_back(m_mainChain[h]);
        }
    }
    m_mainChain.resize(forkHeight + 1);
    for (auto it = added.rbegin(); it != added.rend(); ++it)
    {
        m_mainChain.push_back(*it);
    }
    m_best = best;
}

void
BlockTree::PruneTo(const BlockEntry* lib)
{
    CANON_ASSERT(MainChainAt(lib->height) == lib, "irreversible block is not on the best chain");
    if (lib->height <= m_pruneRoot->height)
    {
        return;
    }
    // States between the old and the new irreversible block are no longer needed.
    for (const BlockEntry* e = lib->parent; e && e->height >= m_pruneRoot->height; e = e->parent)
    {
        const_cast<BlockEntry*>(e)->state.reset();
    }
    std::vector<BlockEntry*> keep;
    std::vector<Hash256> remove;
    for (BlockEntry* e : m_unpruned)
    {
        if (e->height <= lib->height)
        {
            if (m_mainChain[e->height] != e)
            {
                remove.push_back(e->hash);
            }
        }
        else if (AncestorAt(e, lib->height) != lib)
        {
            remove.push_back(e->hash);
        }
        else
        {
            keep.push_back(e);
        }
    }
    m_unpruned.swap(keep);
    for (const auto& h : remove)
    {
        m_entries.erase(h);
    }
    m_pruneRoot = lib;
}

} // namespace canon
