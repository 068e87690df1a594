#include "model/consensus/baselines/pow-engine.h"

#include "model/consensus/baselines/pow-difficulty.h"
#include "model/consensus/baselines/pow-mining.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <string>

namespace canon
{

namespace
{

Status
PowError(const std::string& field, const std::string& what)
{
    return Status::Invalid("consensus.pow." + field + " " + what);
}

Status
ValidateMembers(const ChainParams& params)
{
    const ConsensusParams& c = params.consensus;
    if (c.members.empty())
    {
        return Status::Invalid("consensus.members must name at least one miner");
    }
    std::set<PublicKey> seen;
    for (std::size_t i = 0; i < c.members.size(); ++i)
    {
        if (!seen.insert(c.members[i]).second)
        {
            return Status::Invalid("consensus.members[" + std::to_string(i) + "] repeats " +
                                   ShortHex(c.members[i]));
        }
    }
    return Status::Ok();
}

Status
ValidateHashPower(const ConsensusParams& c)
{
    const std::vector<double>& h = c.pow.hashPower;
    if (h.empty())
    {
        return Status::Ok();
    }
    if (h.size() != c.members.size())
    {
        return PowError("hashPower", "has " + std::to_string(h.size()) + " entries for " +
                                         std::to_string(c.members.size()) + " members");
    }
    double total = 0.0;
    for (std::size_t i = 0; i < h.size(); ++i)
    {
        if (!std::isfinite(h[i]) || h[i] < 0.0)
        {
            return PowError("hashPower[" + std::to_string(i) + "]", "must be finite and >= 0");
        }
        total += h[i];
    }
    if (!(total > 0.0) || !std::isfinite(total))
    {
        return PowError("hashPower", "must have a positive, finite sum");
    }
    return Status::Ok();
}

Status
ValidateTiming(const ChainParams& params)
{
    const PowParams& p = params.consensus.pow;
    if (p.meanInterval <= 0 || p.meanInterval > kPowMeanIntervalMax)
    {
        return PowError("meanInterval", "must be in (0, 100 h]");
    }
    if (params.slotDuration <= 0 || params.slotDuration > p.meanInterval)
    {
        return Status::Invalid("slot duration (the PoW tick) must be in (0, consensus.pow."
                               "meanInterval]");
    }
    if (p.confirmations < 1 || p.confirmations > kPowConfirmationsMax)
    {
        return PowError("confirmations",
                        "must be in [1, " + std::to_string(kPowConfirmationsMax) + "]");
    }
    if (p.retargetBlocks == 1 || p.retargetBlocks > kPowRetargetBlocksMax)
    {
        return PowError("retargetBlocks",
                        "must be 0 (off) or in [2, " + std::to_string(kPowRetargetBlocksMax) + "]");
    }
    if (!(p.gamma >= 0.0 && p.gamma <= 1.0))
    {
        return PowError("gamma", "must be in [0, 1]");
    }
    return Status::Ok();
}

std::vector<double>
HashShares(const ConsensusParams& c)
{
    std::vector<double> power = c.pow.hashPower;
    if (power.empty())
    {
        power.assign(c.members.size(), 1.0);
    }
    double total = 0.0;
    for (double h : power)
    {
        total += h;
    }
    for (double& h : power)
    {
        h /= total;
    }
    return power;
}

// (to - from) * tick in nanoseconds, saturating at the largest TimeNs.
TimeNs
SlotSpan(uint64_t from, uint64_t to, TimeNs tick)
{
    const uint64_t ticks = to > from ? to - from : 0;
    const uint64_t max = static_cast<uint64_t>(std::numeric_limits<TimeNs>::max());
    const uint64_t perTick = static_cast<uint64_t>(tick);
    return ticks > max / perTick ? std::numeric_limits<TimeNs>::max()
                                 : static_cast<TimeNs>(ticks * perTick);
}

} // namespace

Status
ValidatePowParams(const ChainParams& params)
{
    Status s = ValidateMembers(params);
    if (s.IsOk())
    {
        s = ValidateHashPower(params.consensus);
    }
    if (s.IsOk())
    {
        s = ValidateTiming(params);
    }
    return s;
}

PowEngine::PowEngine(const ChainParams& params)
  : m_tick(params.slotDuration)
  , m_meanInterval(params.consensus.pow.meanInterval)
  , m_confirmations(params.consensus.pow.confirmations)
  , m_retargetBlocks(params.consensus.pow.retargetBlocks)
{
    const Status s = ValidatePowParams(params);
    CANON_ASSERT(s.IsOk(), s.Message().c_str());
    m_shares = HashShares(params.consensus);
    const double ticksPerInterval =
        static_cast<double>(m_meanInterval) / static_cast<double>(m_tick);
    for (double share : m_shares)
    {
        m_baseRate.push_back(share / ticksPerInterval);
    }
    for (std::size_t i = 0; i < params.consensus.members.size(); ++i)
    {
        m_index.emplace(params.consensus.members[i], static_cast<uint32_t>(i));
    }
}

std::vector<PublicKey>
PowEngine::GenesisProducerSet(const ChainParams& params) const
{
    return params.consensus.members;
}

ConsensusStatePtr
PowEngine::GenesisState(const ChainParams& /*params*/, const LedgerState& /*genesis*/) const
{
    auto s = std::make_shared<PowState>();
    s->difficulty = kPowGenesisDifficulty;
    return s;
}

const PowState&
PowEngine::StateOf(const BlockEntry& entry)
{
    const auto* s = dynamic_cast<const PowState*>(entry.consensus.get());
    CANON_ASSERT(s != nullptr, "a block on a PoW chain has a PowState");
    return *s;
}

uint64_t
PowEngine::ChildDifficulty(const BlockEntry& parent) const
{
    const PowState& p = StateOf(parent);
    if (!IsRetargetHeight(parent.height + 1, m_retargetBlocks))
    {
        return p.difficulty;
    }
    const TimeNs actual = SlotSpan(p.windowStartSlot, parent.slot, m_tick);
    const TimeNs expected = static_cast<TimeNs>(m_retargetBlocks - 1) * m_meanInterval;
    return RetargetDifficulty(p.difficulty, actual, expected);
}

double
PowEngine::RatePerTick(uint32_t index, uint64_t difficulty) const
{
    CANON_ASSERT(index < m_baseRate.size(), "miner index within the members");
    return m_baseRate[index] *
           (static_cast<double>(kPowGenesisDifficulty) / static_cast<double>(difficulty));
}

std::optional<uint32_t>
PowEngine::MinerIndex(const PublicKey& key) const
{
    auto it = m_index.find(key);
    if (it == m_index.end())
    {
        return std::nullopt;
    }
    return it->second;
}

std::optional<uint64_t>
PowEngine::NextProductionSlot(const BlockEntry& parent, const PublicKey& key, uint64_t from,
                              uint64_t horizon) const
{
    const std::optional<uint32_t> index = MinerIndex(key);
    if (!index)
    {
        return std::nullopt;
    }
    const PowSuccessTicks ticks(parent.hash, parent.slot, key,
                                RatePerTick(*index, ChildDifficulty(parent)));
    return ticks.FirstIn(from, horizon);
}

uint64_t
PowEngine::PlanningHorizon() const
{
    return kPowPlanningIntervals * NominalIntervalSlots();
}

Bytes
PowEngine::MakeProof(const BlockEntry& /*parent*/, const KeyPair& /*key*/, uint64_t /*slot*/,
                     const ProducerMemory& /*memory*/) const
{
    return {};
}

Status
PowEngine::CheckProducer(const BlockEntry& parent, const BlockHeader& header) const
{
    const std::optional<uint32_t> index = MinerIndex(header.producer);
    if (!index)
    {
        return Status::Invalid("pow: producer " + ShortHex(header.producer) +
                               " is not a miner (consensus.members)");
    }
    const std::string who =
        "miner " + std::to_string(*index) + " (" + ShortHex(header.producer) + ")";
    if (!header.proof.empty())
    {
        return Status::Invalid("pow: header proof must be empty, has " +
                               std::to_string(header.proof.size()) + " bytes");
    }
    if (header.slot <= parent.slot)
    {
        return Status::Invalid("pow: slot " + std::to_string(header.slot) +
                               " is not after the parent's slot " + std::to_string(parent.slot));
    }
    const double rate = RatePerTick(*index, ChildDifficulty(parent));
    if (!(rate > 0.0))
    {
        return Status::Invalid("pow: " + who + " has no hash power");
    }
    const PowSuccessTicks ticks(parent.hash, parent.slot, header.producer, rate);
    if (!ticks.IsSuccess(header.slot))
    {
        return Status::Invalid("pow: slot " + std::to_string(header.slot) +
                               " is not a success tick of " + who + " on parent " +
                               ShortHex(parent.hash));
    }
    return Status::Ok();
}

ConsensusStatePtr
PowEngine::Apply(const BlockEntry& entry, LedgerState& /*state*/,
                 ConsensusEffects& /*effects*/) const
{
    CANON_ASSERT(entry.parent != nullptr && entry.block != nullptr,
                 "a PoW block applies on its parent");
    const PowState& parent = StateOf(*entry.parent);
    auto s = std::make_shared<PowState>();
    s->difficulty = ChildDifficulty(*entry.parent);
    s->work = parent.work > std::numeric_limits<uint64_t>::max() - s->difficulty
                  ? std::numeric_limits<uint64_t>::max()
                  : parent.work + s->difficulty;
    s->windowStartSlot = IsRetargetHeight(entry.height, m_retargetBlocks) ? entry.block->header.slot
                                                                          : parent.windowStartSlot;
    return s;
}

ForkWeight
PowEngine::WeightOf(const BlockEntry& entry) const
{
    ForkWeight w;
    w.primary = StateOf(entry).work;
    return w;
}

const BlockEntry*
PowEngine::LibOf(const BlockEntry& entry) const
{
    // The tip has one confirmation: the irreversible block has k - 1 blocks on top of it. Above
    // a pruned root the walk stops at the root.
    const BlockEntry* e = &entry;
    for (uint32_t i = 1; i < m_confirmations && e->parent != nullptr; ++i)
    {
        e = e->parent;
    }
    return e;
}

uint64_t
PowEngine::PruneDepth() const
{
    return std::max<uint64_t>(4ULL * m_confirmations, kPowPruneDepthMin);
}

uint32_t
PowEngine::ProducerIndex(const BlockEntry& /*parent*/, const BlockHeader& header) const
{
    const std::optional<uint32_t> index = MinerIndex(header.producer);
    return index ? *index : static_cast<uint32_t>(m_baseRate.size());
}

uint64_t
PowEngine::NominalIntervalSlots() const
{
    return std::max<uint64_t>(1, static_cast<uint64_t>(m_meanInterval / m_tick));
}

std::vector<double>
PowEngine::MemberWeights(const BlockEntry& /*tip*/) const
{
    return m_shares;
}

std::unique_ptr<ConsensusEngine>
MakePowEngine(const ChainParams& params)
{
    return std::make_unique<PowEngine>(params);
}

} // namespace canon
