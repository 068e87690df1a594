#include "model/consensus/baselines/dpos-header-state.h"

#include <algorithm>
#include <string>

namespace canon
{

namespace
{

// Step 2: a counter for the new block, the oldest dropped when the list is full.
void
AppendCounter(std::vector<uint8_t>& counters, uint32_t required)
{
    if (counters.size() >= kDposConfirmationsTracked)
    {
        counters.erase(counters.begin());
    }
    counters.push_back(static_cast<uint8_t>(required));
}

// Step 3: the block `blockNum` (the newest counter) votes for itself and `confirmed`
// ancestors. Returns the new PLIB (`plib` if no counter reached 0).
uint64_t
CountVotes(std::vector<uint8_t>& counters, uint64_t blockNum, uint64_t confirmed, uint64_t plib)
{
    uint64_t left = confirmed + 1;
    for (std::size_t i = counters.size(); i-- > 0 && left > 0; --left)
    {
        if (--counters[i] == 0)
        {
            const uint64_t newPlib = blockNum - (counters.size() - 1 - i);
            counters.erase(counters.begin(), counters.begin() + static_cast<std::ptrdiff_t>(i + 1));
            return newPlib;
        }
    }
    return plib;
}

// Step 4: the map's values with `producer`'s replaced by `own` (absent producers add nothing).
uint64_t
LibOver(const DposProducerMap& map, const PublicKey& producer, uint64_t own)
{
    std::vector<uint64_t> values;
    values.reserve(map.size());
    for (const auto& [key, value] : map)
    {
        values.push_back(key == producer ? own : value);
    }
    return DposLibIndexValue(std::move(values));
}

// Step 5's rule for one map: schedule members keep their entry or start at `start`.
DposProducerMap
CarryOver(const DposProducerMap& old, const DposSchedule& schedule, uint64_t start)
{
    DposProducerMap out;
    out.reserve(schedule.producers.size() + 1);
    for (const PublicKey& p : schedule.producers)
    {
        const uint64_t* existing = DposFind(old, p);
        out.emplace_back(p, existing ? *existing : start);
    }
    return out; // schedule order is name order: already sorted
}

void
Promote(const DposHeaderState& parent, DposHeaderState& s)
{
    s.active = parent.pending;
    s.pending = nullptr;
    s.pendingBlockNum = 0;
    s.lastProduced = CarryOver(parent.lastProduced, *s.active, s.lib);
    // EOSIO sets the promoting producer's last block even when the new schedule drops it; its
    // implied PLIB only if the new schedule keeps it.
    DposSet(s.lastProduced, s.producer, s.blockNum);
    s.lastImplied = CarryOver(parent.lastImplied, *s.active, s.lib);
    if (DposFind(s.lastImplied, s.producer))
    {
        DposSet(s.lastImplied, s.producer, parent.plib);
    }
}

std::string
Short(const PublicKey& key)
{
    return ShortHex(key);
}

} // namespace

DposSchedulePtr
MakeDposSchedule(uint32_t version, std::vector<PublicKey> producers)
{
    std::sort(producers.begin(), producers.end());
    CANON_ASSERT(!producers.empty() && producers.size() <= kDposProducersMax,
                 "dpos schedule needs 1 to kDposProducersMax producers");
    CANON_ASSERT(std::adjacent_find(producers.begin(), producers.end()) == producers.end(),
                 "dpos schedule names a producer twice");
    auto s = std::make_shared<DposSchedule>();
    s->version = version;
    s->producers = std::move(producers);
    return s;
}

uint32_t
DposScheduledIndex(const DposSchedule& schedule, uint64_t slot, uint32_t repetitions)
{
    const uint64_t round = schedule.producers.size() * uint64_t{repetitions};
    return static_cast<uint32_t>((slot % round) / repetitions);
}

const uint64_t*
DposFind(const DposProducerMap& map, const PublicKey& key)
{
    auto it =
        std::lower_bound(map.begin(), map.end(), key,
                         [](const auto& entry, const PublicKey& k) { return entry.first < k; });
    return it != map.end() && it->first == key ? &it->second : nullptr;
}

void
DposSet(DposProducerMap& map, const PublicKey& key, uint64_t value)
{
    auto it =
        std::lower_bound(map.begin(), map.end(), key,
                         [](const auto& entry, const PublicKey& k) { return entry.first < k; });
    if (it != map.end() && it->first == key)
    {
        it->second = value;
    }
    else
    {
        map.emplace(it, key, value);
    }
}

DposHeaderState
DposStartState(DposSchedulePtr schedule, uint64_t blockNum, uint64_t slot)
{
    DposHeaderState s;
    s.blockNum = blockNum;
    s.slot = slot;
    for (const PublicKey& p : schedule->producers)
    {
        s.lastProduced.emplace_back(p, blockNum);
        s.lastImplied.emplace_back(p, blockNum);
    }
    s.active = std::move(schedule);
    s.plib = blockNum;
    s.lib = blockNum;
    return s;
}

uint32_t
DposRequiredConfirmations(std::size_t n)
{
    return static_cast<uint32_t>(n * 2 / 3 + 1);
}

Status
DposCheckConfirmed(const DposHeaderState& parent, const PublicKey& producer, uint64_t confirmed)
{
    const uint64_t blockNum = parent.blockNum + 1;
    const uint64_t* last = DposFind(parent.lastProduced, producer);
    if (!last || (confirmed < blockNum && *last < blockNum - confirmed))
    {
        return Status::Ok();
    }
    const std::string reach =
        confirmed < blockNum ? "#" + std::to_string(blockNum - confirmed) : "genesis or before";
    return Status::Invalid("dpos: producer " + Short(producer) + " double-confirms: block #" +
                           std::to_string(blockNum) + " confirms " + std::to_string(confirmed) +
                           " blocks, back to " + reach + ", but its own last block on this " +
                           "chain is #" + std::to_string(*last));
}

DposHeaderState
DposNextHeaderState(const DposHeaderState& parent, uint64_t slot, uint64_t confirmed,
                    const DposParams& params, bool* promoted)
{
    CANON_ASSERT(slot > parent.slot, "dpos: a block must be later than its parent");
    const DposSchedule& schedule = *parent.active;
    DposHeaderState s;
    s.blockNum = parent.blockNum + 1;
    s.slot = slot;
    s.producer = schedule.producers[DposScheduledIndex(schedule, slot, params.repetitions)];
    CANON_ASSERT(DposCheckConfirmed(parent, s.producer, confirmed).IsOk(),
                 "dpos: confirmed range not checked before applying the block");
    s.confirmCount = parent.confirmCount;
    AppendCounter(s.confirmCount, DposRequiredConfirmations(schedule.producers.size()));
    s.plib = CountVotes(s.confirmCount, s.blockNum, confirmed, parent.plib);
    s.lib = params.singleStageLib ? LibOver(parent.lastProduced, s.producer, s.blockNum)
                                  : LibOver(parent.lastImplied, s.producer, parent.plib);
    const bool promote = parent.pending && s.lib >= parent.pendingBlockNum;
    if (promote)
    {
        Promote(parent, s);
    }
    else
    {
        s.active = parent.active;
        s.pending = parent.pending;
        s.pendingBlockNum = parent.pendingBlockNum;
        s.lastProduced = parent.lastProduced;
        DposSet(s.lastProduced, s.producer, s.blockNum);
        s.lastImplied = parent.lastImplied;
        DposSet(s.lastImplied, s.producer, parent.plib);
    }
    if (promoted)
    {
        *promoted = promote;
    }
    return s;
}

void
DposSetPending(const DposHeaderState& parent, DposHeaderState& state, DposSchedulePtr schedule)
{
    CANON_ASSERT(!parent.pending && !state.pending, "dpos: a schedule is already pending");
    CANON_ASSERT(schedule->version == state.active->version + 1,
                 "dpos: a pending schedule's version must follow the active one's");
    state.pending = std::move(schedule);
    state.pendingBlockNum = state.blockNum;
}

uint64_t
DposLibIndexValue(std::vector<uint64_t> values)
{
    if (values.empty())
    {
        return 0;
    }
    const auto index = static_cast<std::ptrdiff_t>((values.size() - 1) / 3);
    std::nth_element(values.begin(), values.begin() + index, values.end());
    return values[static_cast<std::size_t>(index)];
}

uint64_t
DposHonestConfirmations(uint64_t headNum, uint64_t headLib, uint64_t watermark)
{
    CANON_ASSERT(headLib <= headNum, "dpos: a LIB above its head");
    uint64_t confirmed = watermark < headNum ? headNum - watermark : 0;
    confirmed = std::min(confirmed, headNum - headLib);
    return std::min(confirmed, kDposConfirmedMax);
}

} // namespace canon
