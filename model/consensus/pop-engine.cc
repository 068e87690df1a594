#include "model/consensus/pop-engine.h"

#include "model/consensus/finality.h"
#include "model/consensus/producer-schedule.h"

#include <algorithm>

namespace canon
{

PopEngine::PopEngine(const ChainParams& params)
  : m_params(params)
  , m_n(static_cast<uint32_t>(params.producers.size()))
  , m_threshold(params.finalityThresholdOverride > 0 ? params.finalityThresholdOverride
                                                     : FinalityThreshold(m_n))
{
    CANON_ASSERT(m_n > 0, "PoP needs at least one producer");
    CANON_ASSERT(m_threshold <= m_n,
                 "finality threshold above the producer count can never be met");
}

ConsensusStatePtr
PopEngine::GenesisState(const ChainParams& /*params*/, const LedgerState& /*genesis*/) const
{
    return nullptr;
}

std::optional<uint64_t>
PopEngine::NextProductionSlot(const BlockEntry& parent, const PublicKey& key, uint64_t from,
                              uint64_t horizon) const
{
    for (uint64_t slot = std::max(from, parent.slot + 1); slot < from + horizon; ++slot)
    {
        if (ScheduledProducerKey(&parent, slot, m_n) == key)
        {
            return slot;
        }
    }
    return std::nullopt;
}

Bytes
PopEngine::MakeProof(const BlockEntry& /*parent*/, const KeyPair& /*key*/, uint64_t /*slot*/,
                     const ProducerMemory& /*memory*/) const
{
    return {};
}

Status
PopEngine::CheckProducer(const BlockEntry& parent, const BlockHeader& h) const
{
    const PublicKey& expected = ScheduledProducerKey(&parent, h.slot, m_n);
    if (h.producer != expected)
    {
        return Status::Invalid("wrong producer " + ShortHex(h.producer) + " for slot " +
                               std::to_string(h.slot) + " (expected " + ShortHex(expected) + ")");
    }
    if (!h.proof.empty())
    {
        return Status::Invalid("a PoP header carries no proof");
    }
    return Status::Ok();
}

ForkWeight
PopEngine::WeightOf(const BlockEntry& entry) const
{
    return {entry.height, 0};
}

const BlockEntry*
PopEngine::LibOf(const BlockEntry& entry) const
{
    return ComputeLib(&entry, m_threshold);
}

uint32_t
PopEngine::ProducerIndex(const BlockEntry& parent, const BlockHeader& header) const
{
    return ScheduledProducer(&parent, header.slot, m_n);
}

std::optional<uint32_t>
PopEngine::ScheduledProducerIndex(const BlockEntry& parent, uint64_t slot) const
{
    return ScheduledProducer(&parent, slot, m_n);
}

void
PopEngine::CountMissedSlots(const BlockEntry& entry, PopState& pop) const
{
    // A long stall only needs its last few cycles counted.
    const BlockEntry* parent = entry.parent;
    const uint64_t window = uint64_t{4} * m_n;
    const uint64_t firstMissed =
        std::max<uint64_t>(parent->slot + 1, entry.slot > window ? entry.slot - window : 0);
    for (uint64_t s = firstMissed; s < entry.slot; ++s)
    {
        ++pop.missedInRow[ScheduledProducerKey(parent, s, m_n)];
    }
    pop.missedInRow[entry.producer] = 0;
}

std::string
PopEngine::ElectionTrigger(const BlockEntry& entry, const PopState& pop,
                           const PublicKey*& missedRun) const
{
    const ElectionParams& ep = m_params.election;
    std::string trigger;
    if (pop.reportHeight == entry.height)
    {
        const double drift = RankingDrift(pop.lastElectionTop, TopByObservation(pop, m_n));
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
    for (const PublicKey& k : *entry.parent->activeSet)
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
    return trigger;
}

ConsensusStatePtr
PopEngine::Apply(const BlockEntry& entry, LedgerState& state, ConsensusEffects& effects) const
{
    const BlockEntry* parent = entry.parent;
    const ElectionParams& ep = m_params.election;
    PopState& pop = state.MutablePop();
    CountMissedSlots(entry, pop);
    const PublicKey* missedRun = nullptr;
    const std::string trigger = ElectionTrigger(entry, pop, missedRun);
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
            state, m_params, m_n, entry.height, parent->lib->hash, *parent->activeSet, trigger));
        pop.pending = outcome->elected;
        pop.pendingHeight = entry.height;
        pop.lastElectionTop = outcome->topByObservation;
        pop.lastElectionHeight = entry.height;
        ++pop.elections;
        effects.election = std::move(outcome);
    }
    // A pending set comes into force once its announcing block is irreversible on this chain.
    if (pop.pendingHeight > 0 && LibOf(entry)->height >= pop.pendingHeight)
    {
        effects.activatedSet =
            std::make_shared<const std::vector<PublicKey>>(std::move(pop.pending));
        pop.pending.clear();
        pop.pendingHeight = 0;
    }
    return nullptr;
}

} // namespace canon
