#include "model/consensus/pop-chain.h"

#include "model/chain/block-validator.h"
#include "model/consensus/finality.h"
#include "model/consensus/producer-schedule.h"

#include <algorithm>

namespace canon
{

namespace
{

std::unique_ptr<BlockEntry>
MakeGenesisEntry(const ChainParams& params, const Hash256& paramsDigest)
{
    auto block = std::make_shared<Block>();
    block->header.timestamp = params.genesisTime;
    auto e = std::make_unique<BlockEntry>();
    e->hash = params.GenesisHash();
    e->block = block;
    e->state = SharedGenesisState(params, paramsDigest);
    e->outcomeKey = paramsDigest;
    e->lib = e.get();
    e->activeSet = std::make_shared<const std::vector<PublicKey>>(params.producers);
    return e;
}

} // namespace

PopChain::PopChain(std::shared_ptr<const ChainParams> params)
  : m_params(std::move(params))
  , m_paramsDigest(ChainParamsDigest(*m_params))
  , m_threshold(m_params->finalityThresholdOverride > 0
                    ? m_params->finalityThresholdOverride
                    : FinalityThreshold(static_cast<uint32_t>(m_params->producers.size())))
  , m_tree(MakeGenesisEntry(*m_params, m_paramsDigest))
  , m_lib(m_tree.Genesis())
{
    CANON_ASSERT(!m_params->producers.empty(), "PoP needs at least one producer");
    CANON_ASSERT(m_threshold <= m_params->producers.size(),
                 "finality threshold above the producer count can never be met");
}

uint32_t
PopChain::ProducerFor(const BlockEntry* parent, uint64_t slot) const
{
    return ScheduledProducer(parent, slot, ProducerCount());
}

const PublicKey&
PopChain::ProducerKeyFor(const BlockEntry* parent, uint64_t slot) const
{
    return ScheduledProducerKey(parent, slot, ProducerCount());
}

Status
PopChain::CheckPlace(const Block& block, const Hash256& hash, TimeNs now,
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
    if (!m_params->IsSlotStarted(block.header.slot, now))
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

BlockOutcomePtr
PopChain::ComputeOutcome(const BlockEntry& entry, TimeNs now) const
{
    // `now` has passed CheckPlace's from-the-future check, which CheckHeader repeats: the
    // outcome does not depend on it (block-outcome-memo.h).
    BlockContext ctx;
    ctx.params = m_params.get();
    ctx.parent = &entry.parent->block->header;
    ctx.parentState = entry.parent->state.get();
    ctx.expectedProducer = ProducerKeyFor(entry.parent, entry.slot);
    ctx.now = now;
    auto state = ValidateBlock(*entry.block, entry.encodedSize, ctx);
    auto out = std::make_shared<BlockOutcome>();
    if (!state.IsOk())
    {
        out->status = state.GetStatus();
        return out;
    }
    LedgerState next = std::move(state).Value();
    ApplyPopRules(entry, next, *out);
    out->state = std::make_shared<const LedgerState>(std::move(next));
    return out;
}

AddBlockResult
PopChain::AddBlock(BlockPtr block, std::size_t encodedSize, TimeNs now)
{
    AddBlockResult result;
    const Hash256 hash = block->Hash();
    const BlockEntry* parent = nullptr;
    result.status = CheckPlace(*block, hash, now, parent);
    if (!result.status.IsOk())
    {
        return result;
    }
    auto e = std::make_unique<BlockEntry>();
    e->block = std::move(block);
    e->hash = hash;
    e->height = e->block->header.height;
    e->slot = e->block->header.slot;
    e->encodedSize = encodedSize;
    e->parent = parent;
    e->producer = e->block->header.producer;
    e->producerIndex = ProducerFor(parent, e->slot);
    e->lib = ComputeLib(e.get(), m_threshold);
    e->outcomeKey = BlockOutcomeKey(parent->outcomeKey, *e->block, encodedSize);
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
    e->activeSet = outcome->activatedSet ? outcome->activatedSet : parent->activeSet;
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
PopChain::ApplyPopRules(const BlockEntry& entry, LedgerState& state, BlockOutcome& out) const
{
    const BlockEntry* parent = entry.parent;
    const ElectionParams& ep = m_params->election;
    const uint32_t n = ProducerCount();
    PopState& pop = state.MutablePop();
    // Missed slots: every slot skipped since the parent was someone's. A long stall only needs
    // its last few cycles counted.
    const uint64_t window = uint64_t{4} * n;
    const uint64_t firstMissed =
        std::max<uint64_t>(parent->slot + 1, entry.slot > window ? entry.slot - window : 0);
    for (uint64_t s = firstMissed; s < entry.slot; ++s)
    {
        ++pop.missedInRow[ProducerKeyFor(parent, s)];
    }
    pop.missedInRow[entry.producer] = 0;

    std::string trigger;
    if (pop.reportHeight == entry.height)
    {
        const double drift = RankingDrift(pop.lastElectionTop, TopByObservation(pop, n));
        // The first election waits until voters have had a report to vote on (or, if nobody
        // votes, for a second report), so that the community's votes count from the start.
        if (pop.lastElectionTop.empty())
        {
            if (!pop.votes.empty() || pop.reports >= 2)
            {
                trigger = "first-election";
            }
        }
        else if (drift > ep.driftThreshold)
        {
            trigger = "contribution-drift " + std::to_string(drift).substr(0, 4);
        }
    }
    const PublicKey* missedRun = nullptr;
    for (const PublicKey& k : *parent->activeSet)
    {
        // A member slashed since the last election: elect a set without it (PROTOCOL.md 2.4).
        // Unlike the other triggers this one waits out a pending election instead of being lost.
        const uint64_t* slashedAt = pop.slashed.Find(k);
        if (trigger.empty() && slashedAt && *slashedAt > pop.lastElectionHeight)
        {
            trigger = "slashed " + ShortHex(k);
        }
        const uint32_t* missed = pop.missedInRow.Find(k);
        if (trigger.empty() && missed && *missed >= ep.missedSlotsMax)
        {
            trigger = "missed-slots " + ShortHex(k) + " x" + std::to_string(*missed);
            missedRun = &k;
        }
    }
    // While an election is pending, triggers wait: the pending set takes over first.
    if (!trigger.empty() && pop.pendingHeight == 0)
    {
        if (missedRun)
        {
            // One election per run of misses; the count stays high until the key produces
            // again, so the election does not re-elect it (see election.h).
            pop.missedInRow[*missedRun] = ep.missedSlotsMax > 0 ? ep.missedSlotsMax : 1;
        }
        auto outcome = std::make_shared<ElectionOutcome>(RunElection(
            state, *m_params, n, entry.height, parent->lib->hash, *parent->activeSet, trigger));
        pop.pending = outcome->elected;
        pop.pendingHeight = entry.height;
        pop.lastElectionTop = outcome->topByObservation;
        pop.lastElectionHeight = entry.height;
        ++pop.elections;
        out.election = std::move(outcome);
    }
    // A pending set comes into force once its announcing block is irreversible on this chain.
    if (pop.pendingHeight > 0 && entry.lib->height >= pop.pendingHeight)
    {
        out.activatedSet = std::make_shared<const std::vector<PublicKey>>(std::move(pop.pending));
        pop.pending.clear();
        pop.pendingHeight = 0;
    }
}

void
PopChain::AdvanceLib(AddBlockResult& result)
{
    const BlockEntry* candidate = m_tree.Best()->lib;
    if (candidate->height <= m_lib->height)
    {
        return;
    }
    CANON_ASSERT(BlockTree::AncestorAt(candidate, m_lib->height) == m_lib,
                 "new irreversible block does not descend from the old one");
    for (const BlockEntry* e = candidate; e != m_lib; e = e->parent)
    {
        result.newlyIrreversible.push_back(e);
    }
    std::reverse(result.newlyIrreversible.begin(), result.newlyIrreversible.end());
    m_lib = candidate;
    m_tree.PruneTo(m_lib);
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
PopChain::Locator() const
{
    std::vector<Hash256> out;
    for (uint64_t h : LocatorHeights(m_tree.Best()->height))
    {
        out.push_back(m_tree.MainChainAt(h)->hash);
    }
    return out;
}

std::vector<BlockPtr>
PopChain::BlocksAfter(const std::vector<Hash256>& locator, uint32_t maxBlocks,
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
