#include "model/consensus/baselines/dpos-engine.h"

#include <algorithm>
#include <string>

namespace canon
{

namespace
{

// The first slot at or after `slot` inside turn `index` of a round of `round` slots.
uint64_t
NextTurnSlot(uint64_t slot, uint32_t index, uint32_t repetitions, uint64_t round)
{
    const uint64_t start = uint64_t{index} * repetitions;
    const uint64_t r = slot % round;
    if (r < start)
    {
        return slot + (start - r);
    }
    if (r < start + repetitions)
    {
        return slot;
    }
    return slot + (round - r) + start;
}

std::vector<std::pair<PublicKey, uint32_t>>
MakeRoster(const std::vector<PublicKey>& members, const DposSchedule& genesis)
{
    std::vector<std::pair<PublicKey, uint32_t>> roster;
    for (uint32_t i = 0; i < members.size(); ++i)
    {
        roster.emplace_back(members[i], i);
    }
    uint32_t next = static_cast<uint32_t>(members.size());
    for (const PublicKey& p : genesis.producers)
    {
        if (std::find(members.begin(), members.end(), p) == members.end())
        {
            roster.emplace_back(p, next++);
        }
    }
    std::sort(roster.begin(), roster.end());
    return roster;
}

} // namespace

Bytes
EncodeDposProof(uint64_t confirmed)
{
    CANON_ASSERT(confirmed <= kDposConfirmedMax, "dpos: confirmed does not fit its u16");
    return Bytes{static_cast<uint8_t>(confirmed & 0xff), static_cast<uint8_t>(confirmed >> 8)};
}

Result<uint64_t>
DecodeDposProof(const Bytes& proof)
{
    if (proof.size() != kDposProofSize)
    {
        return Status::Malformed("dpos proof: expected 2 bytes (confirmed, u16 little-endian), "
                                 "got " +
                                 std::to_string(proof.size()));
    }
    return uint64_t{proof[0]} | uint64_t{proof[1]} << 8;
}

const DposState&
DposStateOf(const BlockEntry& entry)
{
    const auto* s = dynamic_cast<const DposState*>(entry.consensus.get());
    CANON_ASSERT(s != nullptr, "dpos: block entry without a DPoS consensus state");
    return *s;
}

DposEngine::DposEngine(const ChainParams& params)
  : m_params(params.consensus.dpos)
  , m_genesis(MakeDposSchedule(0, params.producers))
  , m_candidates(params.consensus.members)
  , m_roster(MakeRoster(params.consensus.members, *m_genesis))
{
    CANON_ASSERT(m_params.producers >= 1 && m_params.producers <= kDposProducersMax,
                 "dpos: DposParams::producers must be 1 to kDposProducersMax");
    CANON_ASSERT(m_params.repetitions >= 1, "dpos: DposParams::repetitions must be at least 1");
    CANON_ASSERT(m_params.votesMax >= 1, "dpos: DposParams::votesMax must be at least 1");
}

std::vector<PublicKey>
DposEngine::GenesisProducerSet(const ChainParams& /*params*/) const
{
    return m_genesis->producers;
}

ConsensusStatePtr
DposEngine::GenesisState(const ChainParams& /*params*/, const LedgerState& /*genesis*/) const
{
    auto s = std::make_shared<DposState>();
    s->header = DposStartState(m_genesis, 0, 0);
    s->lastScheduleSize =
        std::min<uint32_t>(static_cast<uint32_t>(m_genesis->producers.size()), m_params.producers);
    return s;
}

std::optional<uint64_t>
DposEngine::NextProductionSlot(const BlockEntry& parent, const PublicKey& key, uint64_t from,
                               uint64_t horizon) const
{
    const DposSchedule& schedule = *DposStateOf(parent).header.active;
    const auto& producers = schedule.producers;
    auto it = std::lower_bound(producers.begin(), producers.end(), key);
    if (it == producers.end() || *it != key || horizon == 0)
    {
        return std::nullopt;
    }
    const uint64_t first = std::max(from, parent.slot + 1);
    const uint64_t round = producers.size() * uint64_t{m_params.repetitions};
    const auto index = static_cast<uint32_t>(it - producers.begin());
    const uint64_t slot = NextTurnSlot(first, index, m_params.repetitions, round);
    if (slot - from >= horizon)
    {
        return std::nullopt;
    }
    return slot;
}

Bytes
DposEngine::MakeProof(const BlockEntry& parent, const KeyPair& key, uint64_t /*slot*/,
                      const ProducerMemory& memory) const
{
    const DposHeaderState& head = DposStateOf(parent).header;
    // A producer that signed before but no longer knows the height (a restart) has no
    // watermark: it confirms nothing, as EOSIO's plugin does without one.
    if (memory.lastSignedSlot > 0 && memory.lastSignedHeight == 0)
    {
        return EncodeDposProof(0);
    }
    uint64_t confirmed = DposHonestConfirmations(head.blockNum, head.lib, memory.lastSignedHeight);
    // Never back to its own last block on this chain: with a true watermark this never binds;
    // with a stale one the block stays valid (EOSIO's plugin would fail to produce instead).
    if (const uint64_t* own = DposFind(head.lastProduced, key.Public()))
    {
        confirmed = std::min(confirmed, head.blockNum - *own);
    }
    return EncodeDposProof(confirmed);
}

Status
DposEngine::CheckProducer(const BlockEntry& parent, const BlockHeader& header) const
{
    const DposHeaderState& head = DposStateOf(parent).header;
    if (header.slot <= parent.slot)
    {
        return Status::Invalid("dpos: block in slot " + std::to_string(header.slot) +
                               " is not later than its parent's slot " +
                               std::to_string(parent.slot));
    }
    const DposSchedule& schedule = *head.active;
    const uint32_t index = DposScheduledIndex(schedule, header.slot, m_params.repetitions);
    if (header.producer != schedule.producers[index])
    {
        return Status::Invalid(
            "dpos: slot " + std::to_string(header.slot) + " belongs to " +
            ShortHex(schedule.producers[index]) + " (place " + std::to_string(index) + " of " +
            std::to_string(schedule.producers.size()) + " in schedule version " +
            std::to_string(schedule.version) + "), not to " + ShortHex(header.producer));
    }
    Result<uint64_t> confirmed = DecodeDposProof(header.proof);
    if (!confirmed.IsOk())
    {
        return confirmed.GetStatus();
    }
    return DposCheckConfirmed(head, header.producer, confirmed.Value());
}

ConsensusStatePtr
DposEngine::Apply(const BlockEntry& entry, LedgerState& state, ConsensusEffects& effects) const
{
    const DposState& parent = DposStateOf(*entry.parent);
    const BlockHeader& header = entry.block->header;
    Result<uint64_t> confirmed = DecodeDposProof(header.proof);
    CANON_ASSERT(confirmed.IsOk(), "dpos: Apply on a block CheckProducer did not accept");
    auto out = std::make_shared<DposState>();
    bool promoted = false;
    out->header =
        DposNextHeaderState(parent.header, header.slot, confirmed.Value(), m_params, &promoted);
    out->proposed = parent.proposed;
    out->proposedBlockNum = parent.proposedBlockNum;
    out->lastTallySlot = parent.lastTallySlot;
    out->lastScheduleSize = parent.lastScheduleSize;
    CANON_ASSERT(out->header.blockNum == entry.height, "dpos: block number is not the height");
    if (promoted)
    {
        const DposSchedulePtr& active = out->header.active;
        effects.activatedSet =
            std::shared_ptr<const std::vector<PublicKey>>(active, &active->producers);
    }
    MoveProposedToPending(parent, *out);
    if (header.slot - out->lastTallySlot > kDposTallyIntervalSlots)
    {
        Tally(entry, state, *out, effects);
    }
    return out;
}

void
DposEngine::MoveProposedToPending(const DposState& parent, DposState& out) const
{
    if (out.proposed && out.proposedBlockNum <= out.header.lib && !parent.header.pending)
    {
        DposSetPending(parent.header, out.header, std::move(out.proposed));
        out.proposed = nullptr;
        out.proposedBlockNum = 0;
    }
}

void
DposEngine::Tally(const BlockEntry& entry, LedgerState& ledger, DposState& out,
                  ConsensusEffects& effects) const
{
    out.lastTallySlot = entry.slot;
    const std::vector<uint64_t> votes = DposTallyVotes(ledger, m_candidates, m_params.votesMax);
    std::vector<PublicKey> top = DposTopProducers(m_candidates, votes, m_params.producers);
    // update_elected_producers: never fewer producers than last time; set_proposed_producers:
    // not while an earlier proposal waits, not the schedule already pending (else active).
    const DposSchedule& base = out.header.pending ? *out.header.pending : *out.header.active;
    if (top.empty() || top.size() < out.lastScheduleSize || out.proposed || top == base.producers)
    {
        return;
    }
    out.lastScheduleSize = static_cast<uint32_t>(top.size());
    out.proposed = MakeDposSchedule(base.version + 1, std::move(top));
    out.proposedBlockNum = out.header.blockNum;
    effects.election = Outcome(entry, votes, *out.proposed);
    // The chain's count of elections announced (what run summaries read, for every protocol).
    PopState& record = ledger.MutablePop();
    ++record.elections;
    record.lastElectionHeight = entry.height;
}

std::shared_ptr<const ElectionOutcome>
DposEngine::Outcome(const BlockEntry& entry, const std::vector<uint64_t>& votes,
                    const DposSchedule& proposed) const
{
    auto o = std::make_shared<ElectionOutcome>();
    o->trigger = "dpos-vote-tally";
    o->height = entry.height;
    o->elected = proposed.producers;
    const std::vector<PublicKey>& keys = m_candidates.Keys();
    for (uint32_t i = 0; i < keys.size(); ++i)
    {
        ElectionCandidate c;
        c.account = m_candidates.AddressAt(i);
        c.key = keys[i];
        c.votes = static_cast<double>(votes[i]) / static_cast<double>(kUnitsPerCzr);
        c.elected =
            std::binary_search(proposed.producers.begin(), proposed.producers.end(), keys[i]);
        o->candidates.push_back(c);
    }
    std::sort(o->candidates.begin(), o->candidates.end(),
              [](const ElectionCandidate& a, const ElectionCandidate& b)
              { return a.account < b.account; });
    return o;
}

ForkWeight
DposEngine::WeightOf(const BlockEntry& entry) const
{
    return ForkWeight{DposStateOf(entry).header.lib, entry.height};
}

const BlockEntry*
DposEngine::LibOf(const BlockEntry& entry) const
{
    return BlockTree::AncestorAt(&entry, DposStateOf(entry).header.lib);
}

uint32_t
DposEngine::ProducerIndex(const BlockEntry& /*parent*/, const BlockHeader& header) const
{
    return RosterIndex(header.producer);
}

std::optional<uint32_t>
DposEngine::ScheduledProducerIndex(const BlockEntry& parent, uint64_t slot) const
{
    const DposSchedule& schedule = *DposStateOf(parent).header.active;
    return RosterIndex(
        schedule.producers[DposScheduledIndex(schedule, slot, m_params.repetitions)]);
}

uint32_t
DposEngine::RosterIndex(const PublicKey& producer) const
{
    auto it = std::lower_bound(m_roster.begin(), m_roster.end(), producer,
                               [](const auto& e, const PublicKey& k) { return e.first < k; });
    if (it == m_roster.end() || it->first != producer)
    {
        return static_cast<uint32_t>(m_roster.size()); // not a producer: the header is invalid
    }
    return it->second;
}

std::unique_ptr<ConsensusEngine>
MakeDposEngine(const ChainParams& params)
{
    return std::make_unique<DposEngine>(params);
}

std::vector<double>
DposEngine::MemberWeights(const BlockEntry& tip) const
{
    const std::vector<uint64_t> votes = DposTallyVotes(*tip.state, m_candidates, m_params.votesMax);
    return std::vector<double>(votes.begin(), votes.end());
}

} // namespace canon
