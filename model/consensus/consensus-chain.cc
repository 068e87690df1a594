#include "model/consensus/consensus-chain.h"

#include "model/chain/block-validator.h"

#include <algorithm>

namespace canon
{

namespace
{

std::unique_ptr<ConsensusEngine>
NonNull(std::unique_ptr<ConsensusEngine> engine)
{
    CANON_ASSERT(engine != nullptr, "no engine for the chain's consensus protocol in this build");
    return engine;
}

std::unique_ptr<BlockEntry>
MakeGenesisEntry(const std::shared_ptr<const ChainParams>& shared, const Hash256& paramsDigest,
                 const ConsensusEngine& engine)
{
    const ChainParams& params = *shared;
    auto block = std::make_shared<Block>();
    block->header.timestamp = params.genesisTime;
    auto e = std::make_unique<BlockEntry>();
    e->hash = SharedGenesisHash(shared);
    e->block = block;
    e->state = SharedGenesisState(params, paramsDigest);
    e->consensus = engine.GenesisState(params, *e->state);
    e->outcomeKey = paramsDigest;
    e->lib = e.get();
    e->activeSet =
        std::make_shared<const std::vector<PublicKey>>(engine.GenesisProducerSet(params));
    e->weight = engine.WeightOf(*e);
    return e;
}

} // namespace

ConsensusChain::ConsensusChain(std::shared_ptr<const ChainParams> params)
  : ConsensusChain(params, MakeConsensusEngine(*params))
{
}

ConsensusChain::ConsensusChain(std::shared_ptr<const ChainParams> params,
                               std::unique_ptr<ConsensusEngine> engine)
  : m_params(std::move(params))
  , m_engine(NonNull(std::move(engine)))
  , m_paramsDigest(SharedChainParamsDigest(m_params))
  , m_genesisRules(m_params->GenesisRules())
  , m_tree(MakeGenesisEntry(m_params, m_paramsDigest, *m_engine), m_engine->FirstSeenWins())
  , m_lib(m_tree.Genesis())
{
}

Status
ConsensusChain::CheckPlace(const Block& block, const Hash256& hash, TimeNs now,
                           const BlockEntry*& parent) const
{
    if (m_tree.Find(hash))
    {
        return Status(StatusCode::kDuplicate, "block " + ShortHex(hash) + " known");
    }
    parent = m_tree.Find(block.header.parent);
    if (!parent)
    {
        return Status(StatusCode::kUnknownParent,
                      "unknown parent " + ShortHex(block.header.parent));
    }
    if (!parent->state)
    {
        return Status::Invalid("block forks below the irreversible block at height " +
                               std::to_string(m_lib->height));
    }
    if (!ClockOn(*parent).IsSlotStarted(block.header.slot, now, m_params->clockDriftMax))
    {
        return Status(StatusCode::kTooEarly,
                      "block from the future: slot " + std::to_string(block.header.slot));
    }
    if (block.header.slot <= parent->slot)
    {
        return Status::Invalid("slot " + std::to_string(block.header.slot) +
                               " not after parent slot " + std::to_string(parent->slot));
    }
    return Status::Ok();
}

bool
ConsensusChain::PlausibleTiming(const BlockHeader& h, TimeNs now) const
{
    const SlotClock clock = BestClock();
    const TimeNs latest = now + m_params->clockDriftMax;
    if (clock.IsSlotStarted(h.slot, now, m_params->clockDriftMax) &&
        h.timestamp == clock.SlotStart(h.slot))
    {
        return true;
    }
    // Governance bounds T below by 1 ms (CheckGovernanceTx): no chain's slots run faster.
    const uint64_t reachable =
        latest > m_params->genesisTime
            ? static_cast<uint64_t>((latest - m_params->genesisTime) / kMillisecond)
            : 0;
    return m_genesisRules.producers > 0 && h.timestamp <= latest && h.slot <= reachable;
}

BlockOutcomePtr
ConsensusChain::ComputeOutcome(const BlockEntry& entry, TimeNs now) const
{
    // `now` has passed CheckPlace's from-the-future check, which CheckHeader repeats: the
    // outcome does not depend on it (block-outcome-memo.h).
    BlockContext ctx;
    ctx.params = m_params.get();
    ctx.parent = &entry.parent->block->header;
    ctx.parentState = entry.parent->state.get();
    ctx.checkProducer = [&](const BlockHeader& h)
    { return m_engine->CheckProducer(*entry.parent, h); };
    ctx.now = now;
    auto state = ValidateBlock(*entry.block, entry.encodedSize, ctx);
    auto out = std::make_shared<BlockOutcome>();
    if (!state.IsOk())
    {
        out->status = state.GetStatus();
        return out;
    }
    LedgerState next = std::move(state).Value();
    ConsensusEffects effects;
    out->consensus = m_engine->Apply(entry, next, effects);
    out->election = std::move(effects.election);
    out->activatedSet = std::move(effects.activatedSet);
    out->state = std::make_shared<const LedgerState>(std::move(next));
    return out;
}

std::unique_ptr<BlockEntry>
ConsensusChain::MakeEntry(BlockPtr block, const Hash256& hash, std::size_t encodedSize,
                          const BlockEntry* parent) const
{
    auto e = std::make_unique<BlockEntry>();
    e->block = std::move(block);
    e->hash = hash;
    e->height = e->block->header.height;
    e->slot = e->block->header.slot;
    e->encodedSize = encodedSize;
    e->parent = parent;
    e->producer = e->block->header.producer;
    e->producerIndex = m_engine->ProducerIndex(*parent, e->block->header);
    e->outcomeKey = BlockOutcomeKey(parent->outcomeKey, *e->block, encodedSize);
    return e;
}

AddBlockResult
ConsensusChain::AddBlock(BlockPtr block, std::size_t encodedSize, TimeNs now)
{
    AddBlockResult result;
    const Hash256 hash = block->Hash();
    const BlockEntry* parent = nullptr;
    result.status = CheckPlace(*block, hash, now, parent);
    if (!result.status.IsOk())
    {
        return result;
    }
    auto e = MakeEntry(std::move(block), hash, encodedSize, parent);
    BlockOutcomePtr outcome = FindBlockOutcome(e->outcomeKey);
    if (!outcome)
    {
        outcome = ComputeOutcome(*e, now);
        RememberBlockOutcome(e->outcomeKey, outcome);
    }
    result.status = outcome->status;
    if (!result.status.IsOk())
    {
        return result;
    }
    e->state = outcome->state;
    e->epochs = outcome->state->Governance().epochs;
    e->consensus = outcome->consensus;
    e->activeSet = outcome->activatedSet ? outcome->activatedSet : parent->activeSet;
    e->lib = m_engine->LibOf(*e);
    e->weight = m_engine->WeightOf(*e);
    result.election = outcome->election;
    result.producerSetActivated = outcome->activatedSet != nullptr;

    const BlockEntry* oldBest = m_tree.Best();
    std::vector<const BlockEntry*> disconnected;
    result.entry = m_tree.Insert(std::move(e), &disconnected);
    result.bestChanged = m_tree.Best() != oldBest;
    for (const BlockEntry* d : disconnected)
    {
        result.disconnected.push_back(d->block);
    }
    if (result.bestChanged)
    {
        AdvanceLib(result);
    }
    return result;
}

void
ConsensusChain::AdvanceLib(AddBlockResult& result)
{
    const BlockEntry* candidate = m_tree.Best()->lib;
    if (candidate == m_lib)
    {
        return;
    }
    const bool descends = BlockTree::AncestorAt(candidate, m_lib->height) == m_lib;
    if (m_engine->DeterministicFinality())
    {
        if (candidate->height <= m_lib->height)
        {
            return;
        }
        CANON_ASSERT(descends, "new irreversible block does not descend from the old one");
    }
    else if (!descends)
    {
        // Behind ours on our own chain: nothing moves; anywhere else: a reorg past the rule.
        if (BlockTree::AncestorAt(m_lib, candidate->height) != candidate)
        {
            RevertLib(candidate, result);
        }
        return;
    }
    for (const BlockEntry* e = candidate; e != m_lib; e = e->parent)
    {
        result.newlyIrreversible.push_back(e);
    }
    std::reverse(result.newlyIrreversible.begin(), result.newlyIrreversible.end());
    m_lib = candidate;
    m_tree.PruneTo(PruneRoot());
}

void
ConsensusChain::RevertLib(const BlockEntry* candidate, AddBlockResult& result)
{
    const BlockEntry* a = m_lib;
    const BlockEntry* b = candidate;
    while (a != b)
    {
        if (a->height >= b->height)
        {
            a = a->parent;
        }
        else
        {
            b = b->parent;
        }
    }
    ++m_finalityViolations;
    result.finalityViolationDepth = m_lib->height - a->height;
    for (const BlockEntry* e = candidate; e != a; e = e->parent)
    {
        result.newlyIrreversible.push_back(e);
    }
    std::reverse(result.newlyIrreversible.begin(), result.newlyIrreversible.end());
    m_lib = candidate;
}

const BlockEntry*
ConsensusChain::PruneRoot() const
{
    const uint64_t depth = m_engine->PruneDepth();
    if (m_engine->DeterministicFinality() || depth == 0)
    {
        return m_lib;
    }
    const BlockEntry* best = m_tree.Best();
    const uint64_t height = best->height > depth ? best->height - depth : 0;
    return height >= m_lib->height ? m_lib : BlockTree::AncestorAt(best, height);
}

std::vector<uint64_t>
LocatorHeights(uint64_t best)
{
    std::vector<uint64_t> out;
    uint64_t h = best;
    uint64_t step = 1;
    while (out.size() + 1 < kLocatorMax)
    {
        out.push_back(h);
        if (h == 0)
        {
            return out;
        }
        if (out.size() >= 8)
        {
            step *= 2;
        }
        h = h > step ? h - step : 0;
    }
    out.push_back(0);
    return out;
}

std::vector<Hash256>
ConsensusChain::Locator() const
{
    std::vector<Hash256> out;
    for (uint64_t h : LocatorHeights(m_tree.Best()->height))
    {
        out.push_back(m_tree.MainChainAt(h)->hash);
    }
    return out;
}

std::vector<BlockPtr>
ConsensusChain::BlocksAfter(const std::vector<Hash256>& locator, uint32_t maxBlocks,
                            std::size_t maxBytes) const
{
    std::vector<BlockPtr> out;
    for (const Hash256& h : locator)
    {
        const BlockEntry* e = m_tree.Find(h);
        if (!e || m_tree.MainChainAt(e->height) != e)
        {
            continue;
        }
        std::size_t bytes = 0;
        for (uint64_t height = e->height + 1; out.size() < maxBlocks; ++height)
        {
            const BlockEntry* next = m_tree.MainChainAt(height);
            if (!next || (bytes > 0 && bytes + next->encodedSize > maxBytes))
            {
                break;
            }
            bytes += next->encodedSize;
            out.push_back(next->block);
        }
        break;
    }
    return out;
}

} // namespace canon
