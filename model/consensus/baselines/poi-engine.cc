#include "model/consensus/baselines/poi-engine.h"

#include "model/consensus/baselines/poi-harvest.h"

#include <string>

namespace canon
{

namespace
{

uint64_t
SlotOf(const BlockEntry& e)
{
    return e.block->header.slot;
}

} // namespace

PoiEngine::PoiEngine(const ChainParams& params)
  : m_rules(MakePoiRules(params))
{
    const auto& members = params.consensus.members;
    for (uint32_t i = 0; i < members.size(); ++i)
    {
        m_memberIndex.emplace(members[i], i); // a repeated key keeps its first place
    }
}

ConsensusStatePtr
PoiEngine::GenesisState(const ChainParams& params, const LedgerState& genesis) const
{
    PoiStatePtr s = MakePoiGenesisState(params, m_rules);
    for (const auto& [address, account] : s->accounts)
    {
        CANON_ASSERT(account.balance.Total() == genesis.BalanceOf(address),
                     "PoI genesis balances differ from the genesis ledger");
    }
    return s;
}

std::optional<uint64_t>
PoiEngine::TicksToHarvest(const BlockEntry& parent, const PublicKey& key) const
{
    if (m_memberIndex.count(key) == 0)
    {
        return std::nullopt;
    }
    const PoiState& s = PoiStateOf(parent);
    const uint64_t effective = s.importances->EffectiveOf(AddressOf(key));
    const uint64_t hit = PoiHit(PoiGenerationHash(s.generationHash, key));
    return PoiTicksToHit(hit, effective, s.nextDifficulty);
}

std::optional<uint64_t>
PoiEngine::NextProductionSlot(const BlockEntry& parent, const PublicKey& key, uint64_t from,
                              uint64_t horizon) const
{
    const std::optional<uint64_t> ticks = TicksToHarvest(parent, key);
    if (!ticks || *ticks > UINT64_MAX - SlotOf(parent))
    {
        return std::nullopt;
    }
    const uint64_t slot = std::max(SlotOf(parent) + *ticks, from);
    return slot - from < horizon ? std::optional<uint64_t>(slot) : std::nullopt;
}

Bytes
PoiEngine::MakeProof(const BlockEntry& /*parent*/, const KeyPair& /*key*/, uint64_t /*slot*/,
                     const ProducerMemory& /*memory*/) const
{
    return {}; // the generation hash follows from the parent's state and the producer key
}

Status
PoiEngine::CheckProducer(const BlockEntry& parent, const BlockHeader& header) const
{
    const std::string who =
        "PoI block " + std::to_string(header.height) + " by " + ShortHex(header.producer) + ": ";
    if (m_memberIndex.count(header.producer) == 0)
    {
        return Status::Invalid(who + "not a harvester (consensus.members)");
    }
    if (!header.proof.empty())
    {
        return Status::Invalid(who + "carries a proof; PoI headers have none");
    }
    if (header.slot <= SlotOf(parent))
    {
        return Status::Invalid(who + "slot " + std::to_string(header.slot) +
                               " does not follow its parent's slot " +
                               std::to_string(SlotOf(parent)));
    }
    const PoiState& s = PoiStateOf(parent);
    const uint64_t effective = s.importances->EffectiveOf(AddressOf(header.producer));
    if (effective == 0)
    {
        return Status::Invalid(who + "no importance at the recompute of height " +
                               std::to_string(s.importances->height));
    }
    const uint64_t ticks = header.slot - SlotOf(parent);
    const uint64_t hit = PoiHit(PoiGenerationHash(s.generationHash, header.producer));
    if (!PoiHitsTarget(hit, ticks, effective, s.nextDifficulty))
    {
        return Status::Invalid(who + "hit not below target " + std::to_string(ticks) +
                               " ticks after its parent (needs " +
                               std::to_string(*PoiTicksToHit(hit, effective, s.nextDifficulty)) +
                               ")");
    }
    return Status::Ok();
}

ConsensusStatePtr
PoiEngine::Apply(const BlockEntry& entry, LedgerState& state, ConsensusEffects& /*effects*/) const
{
    return ApplyPoiBlock(entry, state, m_rules);
}

ForkWeight
PoiEngine::WeightOf(const BlockEntry& entry) const
{
    // The 128-bit score as (high, low) words: ForkWeight compares them in that order.
    const PoiScore score = PoiStateOf(entry).score;
    ForkWeight w;
    w.primary = static_cast<uint64_t>(score >> 64);
    w.secondary = static_cast<uint64_t>(score);
    return w;
}

const BlockEntry*
PoiEngine::LibOf(const BlockEntry& entry) const
{
    const uint64_t depth = m_rules.finalityDepth;
    return BlockTree::AncestorAt(&entry, entry.height > depth ? entry.height - depth : 0);
}

uint32_t
PoiEngine::ProducerIndex(const BlockEntry& /*parent*/, const BlockHeader& header) const
{
    const auto it = m_memberIndex.find(header.producer);
    return it != m_memberIndex.end() ? it->second : kPoiNotAMember;
}

uint64_t
PoiEngine::NominalIntervalSlots() const
{
    return static_cast<uint64_t>(m_rules.targetInterval / m_rules.tick);
}

std::unique_ptr<ConsensusEngine>
MakePoiEngine(const ChainParams& params)
{
    return std::make_unique<PoiEngine>(params);
}

std::vector<double>
PoiEngine::MemberWeights(const BlockEntry& tip) const
{
    std::vector<double> out(m_memberIndex.size(), 0.0);
    const auto& table = PoiStateOf(tip).importances;
    for (const auto& [key, index] : m_memberIndex)
    {
        if (table && index < out.size())
        {
            out[index] = table->ImportanceOf(AddressOf(key));
        }
    }
    return out;
}

} // namespace canon
