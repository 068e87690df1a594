#include "model/consensus/pop-engine.h"

#include "model/consensus/finality.h"
#include "model/consensus/producer-schedule.h"

#include <algorithm>

namespace canon
{

PopEngine::PopEngine(const ChainParams& params)
  : m_params(params)
  , m_genesisRules(params.GenesisRules())
  , m_n(static_cast<uint32_t>(params.producers.size()))
  , m_threshold(params.finalityThresholdOverride > 0 ? params.finalityThresholdOverride
                                                     : FinalityThreshold(m_n))
{
    CANON_ASSERT(m_n > 0, "PoP needs at least one producer");
    CANON_ASSERT(m_threshold <= m_n,
                 "finality threshold above the producer count can never be met");
}

SlotClock
PopEngine::ClockOn(const BlockEntry& e) const
{
    return SlotClock(m_genesisRules, e.epochs);
}

uint32_t
PopEngine::ThresholdFor(uint32_t n) const
{
    return FinalityThresholdOf(n, m_params.finalityThresholdOverride);
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
    const SlotClock clock = ClockOn(parent);
    for (uint64_t slot = std::max(from, parent.slot + 1); slot < from + horizon; ++slot)
    {
        if (ScheduledProducerKey(&parent, slot, clock) == key)
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
    const PublicKey& expected = ScheduledProducerKey(&parent, h.slot, ClockOn(parent));
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
    // The parent's rules: an epoch this block opens starts after its slot (and while the outcome
    // is computed the entry has no state yet).
    const uint32_t n = entry.parent ? ClockOn(*entry.parent).RulesAt(entry.slot).producers : m_n;
    return ComputeLib(&entry, ThresholdFor(n));
}

uint32_t
PopEngine::ProducerIndex(const BlockEntry& parent, const BlockHeader& header) const
{
    return ScheduledProducer(&parent, header.slot, ClockOn(parent));
}

std::optional<uint32_t>
PopEngine::ScheduledProducerIndex(const BlockEntry& parent, uint64_t slot) const
{
    return ScheduledProducer(&parent, slot, ClockOn(parent));
}

void
PopEngine::CountMissedSlots(const BlockEntry& entry, PopState& pop) const
{
    // A long stall only needs its last few cycles counted.
    const BlockEntry* parent = entry.parent;
    const SlotClock clock = ClockOn(*parent);
    const uint64_t window = uint64_t{4} * clock.RulesAt(entry.slot).producers;
    const uint64_t firstMissed =
        std::max<uint64_t>(parent->slot + 1, entry.slot > window ? entry.slot - window : 0);
    for (uint64_t s = firstMissed; s < entry.slot; ++s)
    {
        ++pop.missedInRow[ScheduledProducerKey(parent, s, clock)];
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
        const uint32_t n = ClockOn(*entry.parent).RulesAt(entry.slot).producers;
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
    const SlotClock clock = ClockOn(*parent);
    const uint32_t n = clock.RulesAt(entry.slot).producers;
    SwitchEpoch(entry, clock, pop, effects);
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
            state, m_params, n, entry.height, parent->lib->hash, *parent->activeSet, trigger));
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
    ElectForEpoch(entry, state, effects);
    if (effects.activatedSet)
    {
        state.MutableGovernance().SetProducers(*effects.activatedSet); // who may freeze (1.2.4)
    }
    return nullptr;
}

void
PopEngine::SwitchEpoch(const BlockEntry& entry, const SlotClock& clock, PopState& pop,
                       ConsensusEffects& effects) const
{
    const std::vector<RuleEpoch>* adopted = clock.Adopted();
    if (!adopted)
    {
        return;
    }
    for (const RuleEpoch& e : *adopted)
    {
        if (e.fromSlot > entry.parent->slot && e.fromSlot <= entry.slot && !e.producerSet.empty())
        {
            // The set elected for the new N takes over; an election of the old N is void.
            effects.activatedSet = std::make_shared<const std::vector<PublicKey>>(e.producerSet);
            pop.pending.clear();
            pop.pendingHeight = 0;
        }
    }
}

void
PopEngine::ElectForEpoch(const BlockEntry& entry, LedgerState& state,
                         ConsensusEffects& effects) const
{
    const RuleEpochs& epochs = state.Governance().epochs;
    if (!epochs || epochs->empty() || !epochs->back().electSet ||
        epochs->back().adoptedHeight != entry.height)
    {
        return;
    }
    auto next = std::make_shared<std::vector<RuleEpoch>>(*epochs);
    RuleEpoch& e = next->back();
    auto outcome = std::make_shared<ElectionOutcome>(
        RunElection(state, m_params, e.producers, entry.height, entry.parent->lib->hash,
                    *entry.parent->activeSet, "governance N=" + std::to_string(e.producers)));
    e.producerSet = outcome->elected;
    // Too few candidates and members to fill N: the epoch runs with the set it got.
    e.producers = static_cast<uint32_t>(e.producerSet.size());
    e.electSet = false;
    state.MutableGovernance().epochs = std::move(next);
    effects.election = std::move(outcome);
}

} // namespace canon
