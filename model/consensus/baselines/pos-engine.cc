#include "model/consensus/baselines/pos-engine.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace canon
{

namespace
{

// from + horizon without wrapping.
uint64_t
EndOf(uint64_t from, uint64_t horizon)
{
    uint64_t max = std::numeric_limits<uint64_t>::max();
    return horizon > max - from ? max : from + horizon;
}

std::string
Describe(uint32_t index, const PublicKey& key)
{
    return "stakeholder " + std::to_string(index) + " (" + ShortHex(key) + ")";
}

} // namespace

PosEngine::PosEngine(const ChainParams& params)
  : m_pos(params.consensus.pos)
  , m_epochs(PosEpochs::From(params.consensus.pos))
  , m_members(params.consensus.members)
{
    Status ok = CheckPosParams(params);
    CANON_ASSERT(ok.IsOk(), ok.Message().c_str());
    for (uint32_t i = 0; i < m_members.size(); ++i)
    {
        m_index.emplace(m_members[i], i);
    }
}

const PosState&
PosEngine::StateOf(const BlockEntry& entry)
{
    const auto* s = dynamic_cast<const PosState*>(entry.consensus.get());
    CANON_ASSERT(s != nullptr, "PoS: a block of a PoS chain has no PoS consensus state");
    return *s;
}

std::optional<uint32_t>
PosEngine::MemberIndex(const PublicKey& key) const
{
    auto it = m_index.find(key);
    if (it == m_index.end())
    {
        return std::nullopt;
    }
    return it->second;
}

SnapshotSource
PosEngine::SnapshotAt(const BlockEntry& parent) const
{
    return [this, &parent]()
    {
        CANON_ASSERT(parent.state != nullptr, "PoS: a stake snapshot of a buried block");
        return TakeStakeSnapshot(m_members, m_pos.activeSlotCoefficient, *parent.state);
    };
}

EpochView
PosEngine::ViewFor(const BlockEntry& parent, uint64_t slot) const
{
    return ViewAt(StateOf(parent), parent.hash, m_epochs.EpochOf(slot), SnapshotAt(parent));
}

ConsensusStatePtr
PosEngine::GenesisState(const ChainParams& params, const LedgerState& genesis) const
{
    StakeSnapshotPtr stake = TakeStakeSnapshot(m_members, m_pos.activeSlotCoefficient, genesis);
    return std::make_shared<const PosState>(PosGenesisState(params.GenesisHash(), stake));
}

std::optional<uint64_t>
PosEngine::FirstSlot(const BlockEntry& parent, uint32_t index, uint64_t from, uint64_t horizon,
                     const SlotTest& test) const
{
    const uint64_t end = EndOf(from, horizon);
    const uint64_t parentEpoch = StateOf(parent).epoch;
    uint64_t slot = std::max(from, parent.slot + 1);
    while (slot < end)
    {
        EpochView view = ViewFor(parent, slot);
        uint64_t epochEnd = std::min(end, m_epochs.NextEpochStart(slot));
        if (view.stake->threshold[index] == 0)
        {
            if (view.epoch >= parentEpoch + 2)
            {
                return std::nullopt; // from here on every epoch has this view (pos-state.h)
            }
            slot = epochEnd;
            continue;
        }
        for (; slot < epochEnd; ++slot)
        {
            if (test(slot, view))
            {
                return slot;
            }
        }
    }
    return std::nullopt;
}

std::optional<uint64_t>
PosEngine::NextProductionSlot(const BlockEntry& parent, const PublicKey& key, uint64_t from,
                              uint64_t horizon) const
{
    std::optional<uint32_t> index = MemberIndex(key);
    if (!index)
    {
        return std::nullopt;
    }
    return FirstSlot(parent, *index, from, horizon,
                     [](uint64_t, const EpochView&) { return true; });
}

std::optional<Signature>
PosEngine::LeaderProof(const EpochView& view, uint32_t index, const KeyPair& key,
                       uint64_t slot) const
{
    uint64_t threshold = view.stake->threshold[index];
    if (threshold == 0)
    {
        return std::nullopt;
    }
    Signature proof = MakeLeaderProof(key, view.nonce, slot);
    if (!IsLeaderValue(LeaderValue(LeaderOutput(proof)), threshold))
    {
        return std::nullopt;
    }
    return proof;
}

std::optional<uint64_t>
PosEngine::NextLeaderSlot(const BlockEntry& parent, const KeyPair& key, uint64_t from,
                          uint64_t horizon) const
{
    std::optional<uint32_t> index = MemberIndex(key.Public());
    if (!index)
    {
        return std::nullopt;
    }
    return FirstSlot(parent, *index, from, horizon,
                     [&](uint64_t slot, const EpochView& view)
                     { return LeaderProof(view, *index, key, slot).has_value(); });
}

Bytes
PosEngine::MakeProof(const BlockEntry& parent, const KeyPair& key, uint64_t slot,
                     const ProducerMemory&) const
{
    std::optional<uint32_t> index = MemberIndex(key.Public());
    if (!index || slot <= parent.slot)
    {
        return {};
    }
    std::optional<Signature> proof = LeaderProof(ViewFor(parent, slot), *index, key, slot);
    return proof ? Bytes(proof->begin(), proof->end()) : Bytes{};
}

Status
PosEngine::CheckProducer(const BlockEntry& parent, const BlockHeader& header) const
{
    if (header.slot <= parent.slot)
    {
        return Status::Invalid("PoS block of slot " + std::to_string(header.slot) +
                               " is not after its parent's slot " + std::to_string(parent.slot));
    }
    std::optional<uint32_t> index = MemberIndex(header.producer);
    if (!index)
    {
        return Status::Invalid("PoS block producer " + ShortHex(header.producer) +
                               " is not a stakeholder (consensus.members)");
    }
    return CheckLeader(ViewFor(parent, header.slot), *index, header);
}

Status
PosEngine::CheckLeader(const EpochView& view, uint32_t index, const BlockHeader& header) const
{
    std::string who = Describe(index, header.producer);
    uint64_t stake = view.stake->stake[index];
    uint64_t threshold = view.stake->threshold[index];
    if (threshold == 0)
    {
        return Status::Invalid(who + " holds no stake in the snapshot of epoch " +
                               std::to_string(view.epoch) + ": it cannot lead slot " +
                               std::to_string(header.slot));
    }
    Result<Signature> proof = ParseLeaderProof(header.proof);
    if (!proof.IsOk())
    {
        return Status::Invalid(proof.GetStatus().Message() + " from " + who);
    }
    if (!VerifySignature(header.producer, LeaderMessage(view.nonce, header.slot), proof.Value()))
    {
        return Status::Invalid("PoS leader proof of slot " + std::to_string(header.slot) +
                               " does not verify under the key of " + who +
                               " (forged, another key's, or for another slot or epoch nonce)");
    }
    uint64_t value = LeaderValue(LeaderOutput(proof.Value()));
    if (!IsLeaderValue(value, threshold))
    {
        return Status::Invalid(who + " does not lead slot " + std::to_string(header.slot) +
                               ": leader value " + std::to_string(value) + " >= threshold " +
                               std::to_string(threshold) + " (stake " + std::to_string(stake) +
                               " of " + std::to_string(view.stake->total) + " in epoch " +
                               std::to_string(view.epoch) + ")");
    }
    return Status::Ok();
}

ConsensusStatePtr
PosEngine::Apply(const BlockEntry& entry, LedgerState&, ConsensusEffects&) const
{
    CANON_ASSERT(entry.parent != nullptr, "PoS: Apply needs the block's parent");
    const BlockHeader& header = entry.block->header;
    Result<Signature> proof = ParseLeaderProof(header.proof);
    CANON_ASSERT(proof.IsOk(), "PoS: Apply on a block CheckProducer did not accept");
    const BlockEntry& parent = *entry.parent;
    auto next = std::make_shared<PosState>(
        TickTo(StateOf(parent), parent.hash, m_epochs.EpochOf(header.slot), SnapshotAt(parent)));
    EvolveNonce(*next, LeaderOutput(proof.Value()), m_epochs.UpdatesCandidate(header.slot));
    return next;
}

ForkWeight
PosEngine::WeightOf(const BlockEntry& entry) const
{
    return ForkWeight{entry.height, 0};
}

const BlockEntry*
PosEngine::LibOf(const BlockEntry& entry) const
{
    const BlockEntry* e = &entry;
    for (uint32_t i = 0; i < m_pos.confirmations && e->parent != nullptr; ++i)
    {
        e = e->parent;
    }
    return e;
}

uint64_t
PosEngine::PruneDepth() const
{
    return 4 * uint64_t{m_pos.confirmations};
}

uint32_t
PosEngine::ProducerIndex(const BlockEntry&, const BlockHeader& header) const
{
    return MemberIndex(header.producer).value_or(static_cast<uint32_t>(m_members.size()));
}

uint64_t
PosEngine::NominalIntervalSlots() const
{
    // 1/f slots between blocks when every member's stake is counted; bounded for a tiny f.
    double interval = std::min(1.0 / m_pos.activeSlotCoefficient, 1e15);
    return std::max<uint64_t>(1, static_cast<uint64_t>(std::llround(interval)));
}

std::vector<double>
PosEngine::MemberWeights(const BlockEntry& tip) const
{
    const StakeSnapshot& stake = *StateOf(tip).active;
    std::vector<double> out;
    out.reserve(stake.stake.size());
    for (uint64_t s : stake.stake)
    {
        out.push_back(stake.total == 0 ? 0.0
                                       : static_cast<double>(s) / static_cast<double>(stake.total));
    }
    return out;
}

std::unique_ptr<ConsensusEngine>
MakePosEngine(const ChainParams& params)
{
    return std::make_unique<PosEngine>(params);
}

} // namespace canon
