// The HDF5 side of the trace schema, shared by TraceWriter and the trace reader: an owning
// handle for HDF5 identifiers, HDF5 errors as Status values, and the dataset name and compound
// fields of every record type of trace-records.h. Internal to model/trace.
#ifndef CANONSIM_TRACE_TRACE_HDF5_H
#define CANONSIM_TRACE_TRACE_HDF5_H

#include "model/core/status.h"
#include "model/trace/trace-records.h"

#include <hdf5.h>

#include <cstddef>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

namespace canon::trace_hdf5
{

// The (hsize_t)(hssize_t)(-1) of H5S_UNLIMITED, without the old-style casts of its macro.
constexpr hsize_t kUnlimited = static_cast<hsize_t>(-1);

// Owns one HDF5 identifier and closes it with the matching H5?close function.
class H5Id
{
  public:
    using Closer = herr_t (*)(hid_t);

    H5Id() = default;
    H5Id(hid_t id, Closer closer)
      : m_id(id)
      , m_closer(closer)
    {
    }
    H5Id(H5Id&& other) noexcept
      : m_id(std::exchange(other.m_id, H5I_INVALID_HID))
      , m_closer(other.m_closer)
    {
    }
    H5Id& operator=(H5Id&& other) noexcept
    {
        if (this != &other)
        {
            Close();
            m_id = std::exchange(other.m_id, H5I_INVALID_HID);
            m_closer = other.m_closer;
        }
        return *this;
    }
    H5Id(const H5Id&) = delete;
    H5Id& operator=(const H5Id&) = delete;
    ~H5Id() { Close(); }

    bool Valid() const { return m_id >= 0; }
    hid_t Get() const { return m_id; }
    // Closes now (idempotent); false if HDF5 reported an error.
    bool Close()
    {
        if (m_id < 0)
        {
            return true;
        }
        herr_t rc = m_closer(m_id);
        m_id = H5I_INVALID_HID;
        return rc >= 0;
    }

  private:
    hid_t m_id = H5I_INVALID_HID;
    Closer m_closer = nullptr;
};

inline herr_t
KeepInnermostError(unsigned n, const H5E_error2_t* error, void* data)
{
    // H5E_WALK_UPWARD starts at the innermost error, which carries the useful detail (the
    // errno text for a file that cannot be created, for example).
    if (n == 0 && error->desc != nullptr)
    {
        *static_cast<std::string*>(data) = error->desc;
    }
    return 0;
}

// A failed HDF5 call on `file` as a Status: "<file>: <operation>: <HDF5's innermost message>".
inline Status
Hdf5Error(const std::string& file, const std::string& operation)
{
    std::string detail;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, KeepInnermostError, &detail);
    H5Eclear2(H5E_DEFAULT);
    std::string message = file + ": " + operation;
    if (!detail.empty())
    {
        message += ": " + detail;
    }
    return Status(StatusCode::kIoError, message);
}

struct Field
{
    const char* name;
    std::size_t offset;
    hid_t type; // borrowed; HDF5 copies member types on insert
};

// The dataset name and the fields, in order, of each record type (trace-records.h).
template <typename T>
struct Schema;

template <>
struct Schema<BlockProducedRecord>
{
    static constexpr const char* kName = "blocks_produced";
    static std::vector<Field> Fields(hid_t /* reasonType */)
    {
        using R = BlockProducedRecord;
        return {{"time", HOFFSET(R, time), H5T_NATIVE_DOUBLE},
                {"node", HOFFSET(R, node), H5T_NATIVE_UINT32},
                {"producer", HOFFSET(R, producer), H5T_NATIVE_UINT32},
                {"height", HOFFSET(R, height), H5T_NATIVE_UINT64},
                {"slot", HOFFSET(R, slot), H5T_NATIVE_UINT64},
                {"hash", HOFFSET(R, hash), H5T_NATIVE_UINT64},
                {"parent", HOFFSET(R, parent), H5T_NATIVE_UINT64},
                {"tx_count", HOFFSET(R, tx_count), H5T_NATIVE_UINT32},
                {"bytes", HOFFSET(R, bytes), H5T_NATIVE_UINT32}};
    }
};

template <>
struct Schema<BlockArrivalRecord>
{
    static constexpr const char* kName = "block_arrivals";
    static std::vector<Field> Fields(hid_t /* reasonType */)
    {
        using R = BlockArrivalRecord;
        return {{"time", HOFFSET(R, time), H5T_NATIVE_DOUBLE},
                {"node", HOFFSET(R, node), H5T_NATIVE_UINT32},
                {"from_node", HOFFSET(R, from_node), H5T_NATIVE_UINT32},
                {"height", HOFFSET(R, height), H5T_NATIVE_UINT64},
                {"slot", HOFFSET(R, slot), H5T_NATIVE_UINT64},
                {"hash", HOFFSET(R, hash), H5T_NATIVE_UINT64},
                {"slot_start", HOFFSET(R, slot_start), H5T_NATIVE_DOUBLE}};
    }
};

template <>
struct Schema<IrreversibleRecord>
{
    static constexpr const char* kName = "irreversible";
    static std::vector<Field> Fields(hid_t /* reasonType */)
    {
        using R = IrreversibleRecord;
        return {{"time", HOFFSET(R, time), H5T_NATIVE_DOUBLE},
                {"node", HOFFSET(R, node), H5T_NATIVE_UINT32},
                {"height", HOFFSET(R, height), H5T_NATIVE_UINT64},
                {"slot", HOFFSET(R, slot), H5T_NATIVE_UINT64},
                {"hash", HOFFSET(R, hash), H5T_NATIVE_UINT64},
                {"slot_start", HOFFSET(R, slot_start), H5T_NATIVE_DOUBLE}};
    }
};

template <>
struct Schema<TransactionRecord>
{
    static constexpr const char* kName = "transactions";
    static std::vector<Field> Fields(hid_t /* reasonType */)
    {
        using R = TransactionRecord;
        return {{"time", HOFFSET(R, time), H5T_NATIVE_DOUBLE},
                {"tx", HOFFSET(R, tx), H5T_NATIVE_UINT64},
                {"event", HOFFSET(R, event), H5T_NATIVE_UINT8},
                {"node", HOFFSET(R, node), H5T_NATIVE_UINT32},
                {"account", HOFFSET(R, account), H5T_NATIVE_UINT32},
                {"fee", HOFFSET(R, fee), H5T_NATIVE_UINT64},
                {"height", HOFFSET(R, height), H5T_NATIVE_UINT64},
                {"block", HOFFSET(R, block), H5T_NATIVE_UINT64}};
    }
};

template <>
struct Schema<MissedSlotRecord>
{
    static constexpr const char* kName = "missed_slots";
    static std::vector<Field> Fields(hid_t /* reasonType */)
    {
        using R = MissedSlotRecord;
        return {{"slot", HOFFSET(R, slot), H5T_NATIVE_UINT64},
                {"producer", HOFFSET(R, producer), H5T_NATIVE_UINT32},
                {"slot_start", HOFFSET(R, slot_start), H5T_NATIVE_DOUBLE}};
    }
};

template <>
struct Schema<DropRecord>
{
    static constexpr const char* kName = "drops";
    static std::vector<Field> Fields(hid_t reasonType)
    {
        using R = DropRecord;
        return {{"time", HOFFSET(R, time), H5T_NATIVE_DOUBLE},
                {"node", HOFFSET(R, node), H5T_NATIVE_UINT32},
                {"peer", HOFFSET(R, peer), H5T_NATIVE_UINT32},
                {"message_type", HOFFSET(R, message_type), H5T_NATIVE_UINT8},
                {"reason", HOFFSET(R, reason), reasonType}};
    }
};

template <>
struct Schema<CzrScoreRecord>
{
    static constexpr const char* kName = "czr_scores";
    static std::vector<Field> Fields(hid_t /* textType */)
    {
        using R = CzrScoreRecord;
        return {{"time", HOFFSET(R, time), H5T_NATIVE_DOUBLE},
                {"epoch", HOFFSET(R, epoch), H5T_NATIVE_UINT64},
                {"node", HOFFSET(R, node), H5T_NATIVE_UINT32},
                {"resource", HOFFSET(R, resource), H5T_NATIVE_DOUBLE},
                {"betweenness", HOFFSET(R, betweenness), H5T_NATIVE_DOUBLE},
                {"total", HOFFSET(R, total), H5T_NATIVE_DOUBLE},
                {"claimed", HOFFSET(R, claimed), H5T_NATIVE_DOUBLE},
                {"bytes_originated", HOFFSET(R, bytes_originated), H5T_NATIVE_UINT64},
                {"bytes_relayed", HOFFSET(R, bytes_relayed), H5T_NATIVE_UINT64},
                {"articulation", HOFFSET(R, articulation), H5T_NATIVE_UINT8},
                {"alive", HOFFSET(R, alive), H5T_NATIVE_UINT8},
                {"blocks", HOFFSET(R, blocks), H5T_NATIVE_UINT32}};
    }
};

template <>
struct Schema<CzrChainRecord>
{
    static constexpr const char* kName = "czr_chain";
    static std::vector<Field> Fields(hid_t /* textType */)
    {
        using R = CzrChainRecord;
        return {{"time", HOFFSET(R, time), H5T_NATIVE_DOUBLE},
                {"epoch", HOFFSET(R, epoch), H5T_NATIVE_UINT64},
                {"slots", HOFFSET(R, slots), H5T_NATIVE_UINT32},
                {"blocks", HOFFSET(R, blocks), H5T_NATIVE_UINT32},
                {"mean_block_bytes", HOFFSET(R, mean_block_bytes), H5T_NATIVE_DOUBLE},
                {"mean_interval_s", HOFFSET(R, mean_interval_s), H5T_NATIVE_DOUBLE}};
    }
};

template <>
struct Schema<ElectionRecord>
{
    static constexpr const char* kName = "elections";
    static std::vector<Field> Fields(hid_t textType)
    {
        using R = ElectionRecord;
        return {{"time", HOFFSET(R, time), H5T_NATIVE_DOUBLE},
                {"height", HOFFSET(R, height), H5T_NATIVE_UINT64},
                {"slot", HOFFSET(R, slot), H5T_NATIVE_UINT64},
                {"block", HOFFSET(R, block), H5T_NATIVE_UINT64},
                {"candidates", HOFFSET(R, candidates), H5T_NATIVE_UINT32},
                {"elected", HOFFSET(R, elected), H5T_NATIVE_UINT32},
                {"trigger", HOFFSET(R, trigger), textType}};
    }
};

template <>
struct Schema<ElectionMemberRecord>
{
    static constexpr const char* kName = "election_members";
    static std::vector<Field> Fields(hid_t /* textType */)
    {
        using R = ElectionMemberRecord;
        return {{"height", HOFFSET(R, height), H5T_NATIVE_UINT64},
                {"node", HOFFSET(R, node), H5T_NATIVE_UINT32},
                {"claimed", HOFFSET(R, claimed), H5T_NATIVE_DOUBLE},
                {"observed", HOFFSET(R, observed), H5T_NATIVE_DOUBLE},
                {"effective", HOFFSET(R, effective), H5T_NATIVE_DOUBLE},
                {"votes", HOFFSET(R, votes), H5T_NATIVE_DOUBLE},
                {"elected", HOFFSET(R, elected), H5T_NATIVE_UINT8},
                {"overclaim", HOFFSET(R, overclaim), H5T_NATIVE_UINT8}};
    }
};

template <>
struct Schema<ProducerSetRecord>
{
    static constexpr const char* kName = "producer_sets";
    static std::vector<Field> Fields(hid_t /* textType */)
    {
        using R = ProducerSetRecord;
        return {{"time", HOFFSET(R, time), H5T_NATIVE_DOUBLE},
                {"height", HOFFSET(R, height), H5T_NATIVE_UINT64},
                {"position", HOFFSET(R, position), H5T_NATIVE_UINT32},
                {"node", HOFFSET(R, node), H5T_NATIVE_UINT32}};
    }
};

template <>
struct Schema<CzrLinkRecord>
{
    static constexpr const char* kName = "czr_links";
    static std::vector<Field> Fields(hid_t /* textType */)
    {
        using R = CzrLinkRecord;
        return {{"time", HOFFSET(R, time), H5T_NATIVE_DOUBLE},
                {"epoch", HOFFSET(R, epoch), H5T_NATIVE_UINT64},
                {"a", HOFFSET(R, a), H5T_NATIVE_UINT32},
                {"b", HOFFSET(R, b), H5T_NATIVE_UINT32}};
    }
};

template <>
struct Schema<PositionRecord>
{
    static constexpr const char* kName = "positions";
    static std::vector<Field> Fields(hid_t /* textType */)
    {
        using R = PositionRecord;
        return {{"time", HOFFSET(R, time), H5T_NATIVE_DOUBLE},
                {"epoch", HOFFSET(R, epoch), H5T_NATIVE_UINT64},
                {"node", HOFFSET(R, node), H5T_NATIVE_UINT32},
                {"x", HOFFSET(R, x), H5T_NATIVE_DOUBLE},
                {"y", HOFFSET(R, y), H5T_NATIVE_DOUBLE}};
    }
};

template <>
struct Schema<ProducerWeightRecord>
{
    static constexpr const char* kName = "producer_weights";
    static std::vector<Field> Fields(hid_t /* textType */)
    {
        using R = ProducerWeightRecord;
        return {{"node", HOFFSET(R, node), H5T_NATIVE_UINT32},
                {"weight", HOFFSET(R, weight), H5T_NATIVE_DOUBLE}};
    }
};

template <>
struct Schema<BlockFateRecord>
{
    static constexpr const char* kName = "block_fates";
    static std::vector<Field> Fields(hid_t /* textType */)
    {
        using R = BlockFateRecord;
        return {{"time", HOFFSET(R, time), H5T_NATIVE_DOUBLE},
                {"hash", HOFFSET(R, hash), H5T_NATIVE_UINT64},
                {"parent", HOFFSET(R, parent), H5T_NATIVE_UINT64},
                {"height", HOFFSET(R, height), H5T_NATIVE_UINT64},
                {"slot", HOFFSET(R, slot), H5T_NATIVE_UINT64},
                {"node", HOFFSET(R, node), H5T_NATIVE_UINT32},
                {"reached", HOFFSET(R, reached), H5T_NATIVE_UINT32},
                {"fate", HOFFSET(R, fate), H5T_NATIVE_UINT8},
                {"branch_depth", HOFFSET(R, branch_depth), H5T_NATIVE_UINT32}};
    }
};

template <>
struct Schema<DposBlockRecord>
{
    static constexpr const char* kName = "dpos_blocks";
    static std::vector<Field> Fields(hid_t /* textType */)
    {
        using R = DposBlockRecord;
        return {{"time", HOFFSET(R, time), H5T_NATIVE_DOUBLE},
                {"hash", HOFFSET(R, hash), H5T_NATIVE_UINT64},
                {"height", HOFFSET(R, height), H5T_NATIVE_UINT64},
                {"slot", HOFFSET(R, slot), H5T_NATIVE_UINT64},
                {"node", HOFFSET(R, node), H5T_NATIVE_UINT32},
                {"schedule_version", HOFFSET(R, schedule_version), H5T_NATIVE_UINT32},
                {"plib", HOFFSET(R, plib), H5T_NATIVE_UINT64},
                {"lib", HOFFSET(R, lib), H5T_NATIVE_UINT64}};
    }
};

template <>
struct Schema<DposScheduleRecord>
{
    static constexpr const char* kName = "dpos_schedules";
    static std::vector<Field> Fields(hid_t /* textType */)
    {
        using R = DposScheduleRecord;
        return {{"time", HOFFSET(R, time), H5T_NATIVE_DOUBLE},
                {"height", HOFFSET(R, height), H5T_NATIVE_UINT64},
                {"block", HOFFSET(R, block), H5T_NATIVE_UINT64},
                {"version", HOFFSET(R, version), H5T_NATIVE_UINT32},
                {"position", HOFFSET(R, position), H5T_NATIVE_UINT32},
                {"node", HOFFSET(R, node), H5T_NATIVE_UINT32}};
    }
};

template <>
struct Schema<PosLeaderRecord>
{
    static constexpr const char* kName = "pos_leaders";
    static std::vector<Field> Fields(hid_t /* textType */)
    {
        using R = PosLeaderRecord;
        return {{"slot", HOFFSET(R, slot), H5T_NATIVE_UINT64},
                {"epoch", HOFFSET(R, epoch), H5T_NATIVE_UINT64},
                {"parent", HOFFSET(R, parent), H5T_NATIVE_UINT64},
                {"node", HOFFSET(R, node), H5T_NATIVE_UINT32},
                {"stake", HOFFSET(R, stake), H5T_NATIVE_DOUBLE}};
    }
};

template <>
struct Schema<PoiImportanceRecord>
{
    static constexpr const char* kName = "poi_importance";
    static std::vector<Field> Fields(hid_t /* textType */)
    {
        using R = PoiImportanceRecord;
        return {{"time", HOFFSET(R, time), H5T_NATIVE_DOUBLE},
                {"height", HOFFSET(R, height), H5T_NATIVE_UINT64},
                {"block", HOFFSET(R, block), H5T_NATIVE_UINT64},
                {"node", HOFFSET(R, node), H5T_NATIVE_UINT32},
                {"account", HOFFSET(R, account), H5T_NATIVE_UINT32},
                {"importance", HOFFSET(R, importance), H5T_NATIVE_DOUBLE},
                {"page_rank", HOFFSET(R, page_rank), H5T_NATIVE_DOUBLE},
                {"effective", HOFFSET(R, effective), H5T_NATIVE_UINT64}};
    }
};

template <>
struct Schema<BidRecord>
{
    static constexpr const char* kName = "bids";
    static constexpr bool kOptional = true;
    static std::vector<Field> Fields(hid_t /* textType */)
    {
        using R = BidRecord;
        return {{"time", HOFFSET(R, time), H5T_NATIVE_DOUBLE},
                {"tx", HOFFSET(R, tx), H5T_NATIVE_UINT64},
                {"node", HOFFSET(R, node), H5T_NATIVE_UINT32},
                {"account", HOFFSET(R, account), H5T_NATIVE_UINT32},
                {"fake", HOFFSET(R, fake), H5T_NATIVE_UINT8},
                {"included", HOFFSET(R, included), H5T_NATIVE_UINT8},
                {"valuation", HOFFSET(R, valuation), H5T_NATIVE_DOUBLE},
                {"bid", HOFFSET(R, bid), H5T_NATIVE_UINT64},
                {"tip", HOFFSET(R, tip), H5T_NATIVE_UINT64},
                {"payment", HOFFSET(R, payment), H5T_NATIVE_UINT64},
                {"height", HOFFSET(R, height), H5T_NATIVE_UINT64},
                {"wait_s", HOFFSET(R, wait_s), H5T_NATIVE_DOUBLE},
                {"utility", HOFFSET(R, utility), H5T_NATIVE_DOUBLE}};
    }
};

template <>
struct Schema<ClearingRecord>
{
    static constexpr const char* kName = "clearing";
    static constexpr bool kOptional = true;
    static std::vector<Field> Fields(hid_t /* textType */)
    {
        using R = ClearingRecord;
        return {{"time", HOFFSET(R, time), H5T_NATIVE_DOUBLE},
                {"height", HOFFSET(R, height), H5T_NATIVE_UINT64},
                {"hash", HOFFSET(R, hash), H5T_NATIVE_UINT64},
                {"producer_node", HOFFSET(R, producer_node), H5T_NATIVE_UINT32},
                {"mechanism", HOFFSET(R, mechanism), H5T_NATIVE_UINT8},
                {"price", HOFFSET(R, price), H5T_NATIVE_UINT64},
                {"base_fee", HOFFSET(R, base_fee), H5T_NATIVE_UINT64},
                {"revenue", HOFFSET(R, revenue), H5T_NATIVE_UINT64},
                {"burned", HOFFSET(R, burned), H5T_NATIVE_UINT64},
                {"tx_count", HOFFSET(R, tx_count), H5T_NATIVE_UINT32},
                {"auctioned", HOFFSET(R, auctioned), H5T_NATIVE_UINT32},
                {"fakes", HOFFSET(R, fakes), H5T_NATIVE_UINT32},
                {"fullness", HOFFSET(R, fullness), H5T_NATIVE_DOUBLE}};
    }
};

template <>
struct Schema<ChannelEventRecord>
{
    static constexpr const char* kName = "channel_events";
    static constexpr bool kOptional = true;
    static std::vector<Field> Fields(hid_t /* textType */)
    {
        using R = ChannelEventRecord;
        return {{"time", HOFFSET(R, time), H5T_NATIVE_DOUBLE},
                {"channel", HOFFSET(R, channel), H5T_NATIVE_UINT64},
                {"party_a", HOFFSET(R, party_a), H5T_NATIVE_UINT32},
                {"party_b", HOFFSET(R, party_b), H5T_NATIVE_UINT32},
                {"kind", HOFFSET(R, kind), H5T_NATIVE_UINT8},
                {"stale", HOFFSET(R, stale), H5T_NATIVE_UINT8},
                {"updates", HOFFSET(R, updates), H5T_NATIVE_UINT64},
                {"amount_a", HOFFSET(R, amount_a), H5T_NATIVE_UINT64},
                {"amount_b", HOFFSET(R, amount_b), H5T_NATIVE_UINT64},
                {"actor", HOFFSET(R, actor), H5T_NATIVE_UINT32}};
    }
};

template <>
struct Schema<ContractCallRecord>
{
    static constexpr const char* kName = "contract_calls";
    static constexpr bool kOptional = true;
    static std::vector<Field> Fields(hid_t textType)
    {
        using R = ContractCallRecord;
        return {{"time", HOFFSET(R, time), H5T_NATIVE_DOUBLE},
                {"height", HOFFSET(R, height), H5T_NATIVE_UINT64},
                {"tx", HOFFSET(R, tx), H5T_NATIVE_UINT64},
                {"contract", HOFFSET(R, contract), H5T_NATIVE_UINT64},
                {"caller", HOFFSET(R, caller), H5T_NATIVE_UINT64},
                {"caller_node", HOFFSET(R, caller_node), H5T_NATIVE_UINT32},
                {"kind", HOFFSET(R, kind), H5T_NATIVE_UINT8},
                {"method", HOFFSET(R, method), textType},
                {"gas_used", HOFFSET(R, gas_used), H5T_NATIVE_UINT64},
                {"gas_limit", HOFFSET(R, gas_limit), H5T_NATIVE_UINT64},
                {"result", HOFFSET(R, result), H5T_NATIVE_UINT8},
                {"reason", HOFFSET(R, reason), textType}};
    }
};

template <>
struct Schema<CallbackRecord>
{
    static constexpr const char* kName = "callbacks";
    static constexpr bool kOptional = true;
    static std::vector<Field> Fields(hid_t /* textType */)
    {
        using R = CallbackRecord;
        return {{"time", HOFFSET(R, time), H5T_NATIVE_DOUBLE},
                {"device_node", HOFFSET(R, device_node), H5T_NATIVE_UINT32},
                {"home_node", HOFFSET(R, home_node), H5T_NATIVE_UINT32},
                {"contract", HOFFSET(R, contract), H5T_NATIVE_UINT64},
                {"registration", HOFFSET(R, registration), H5T_NATIVE_UINT64},
                {"trigger", HOFFSET(R, trigger), H5T_NATIVE_UINT64},
                {"trigger_height", HOFFSET(R, trigger_height), H5T_NATIVE_UINT64},
                {"latency_s", HOFFSET(R, latency_s), H5T_NATIVE_DOUBLE},
                {"from_submission", HOFFSET(R, from_submission), H5T_NATIVE_UINT8}};
    }
};

template <>
struct Schema<DataRequestTraceRecord>
{
    static constexpr const char* kName = "data_requests";
    static constexpr bool kOptional = true;
    static std::vector<Field> Fields(hid_t /* textType */)
    {
        using R = DataRequestTraceRecord;
        return {{"time", HOFFSET(R, time), H5T_NATIVE_DOUBLE},
                {"requester", HOFFSET(R, requester), H5T_NATIVE_UINT32},
                {"device", HOFFSET(R, device), H5T_NATIVE_UINT32},
                {"stream", HOFFSET(R, stream), H5T_NATIVE_UINT64},
                {"decision", HOFFSET(R, decision), H5T_NATIVE_UINT8},
                {"reason", HOFFSET(R, reason), H5T_NATIVE_UINT8},
                {"rule", HOFFSET(R, rule), H5T_NATIVE_UINT8},
                {"readable", HOFFSET(R, readable), H5T_NATIVE_UINT8},
                {"wrongly_served", HOFFSET(R, wrongly_served), H5T_NATIVE_UINT8},
                {"latency", HOFFSET(R, latency), H5T_NATIVE_DOUBLE},
                {"bytes", HOFFSET(R, bytes), H5T_NATIVE_UINT64},
                {"hops", HOFFSET(R, hops), H5T_NATIVE_UINT32}};
    }
};

template <>
struct Schema<StorageOpTraceRecord>
{
    static constexpr const char* kName = "storage_ops";
    static constexpr bool kOptional = true;
    static std::vector<Field> Fields(hid_t /* textType */)
    {
        using R = StorageOpTraceRecord;
        return {{"time", HOFFSET(R, time), H5T_NATIVE_DOUBLE},
                {"node", HOFFSET(R, node), H5T_NATIVE_UINT32},
                {"op", HOFFSET(R, op), H5T_NATIVE_UINT8},
                {"ok", HOFFSET(R, ok), H5T_NATIVE_UINT8},
                {"root", HOFFSET(R, root), H5T_NATIVE_UINT64},
                {"lookup_hops", HOFFSET(R, lookup_hops), H5T_NATIVE_UINT32},
                {"blocks", HOFFSET(R, blocks), H5T_NATIVE_UINT32},
                {"bytes", HOFFSET(R, bytes), H5T_NATIVE_UINT64},
                {"latency", HOFFSET(R, latency), H5T_NATIVE_DOUBLE},
                {"source", HOFFSET(R, source), H5T_NATIVE_UINT32}};
    }
};

template <>
struct Schema<GovernanceEventRecord>
{
    static constexpr const char* kName = "governance_events";
    static constexpr bool kOptional = true;
    static std::vector<Field> Fields(hid_t /* textType */)
    {
        using R = GovernanceEventRecord;
        return {{"time", HOFFSET(R, time), H5T_NATIVE_DOUBLE},
                {"proposal", HOFFSET(R, proposal), H5T_NATIVE_UINT64},
                {"kind", HOFFSET(R, kind), H5T_NATIVE_UINT8},
                {"param", HOFFSET(R, param), H5T_NATIVE_UINT8},
                {"value", HOFFSET(R, value), H5T_NATIVE_DOUBLE},
                {"approving", HOFFSET(R, approving), H5T_NATIVE_UINT64},
                {"voting", HOFFSET(R, voting), H5T_NATIVE_UINT64},
                {"node", HOFFSET(R, node), H5T_NATIVE_UINT32},
                {"slot", HOFFSET(R, slot), H5T_NATIVE_UINT64}};
    }
};

// Whether a dataset is created only once a record is written to it (Schema<T>::kOptional).
template <typename T, typename = void>
struct IsOptionalDataset : std::false_type
{
};
template <typename T>
struct IsOptionalDataset<T, std::void_t<decltype(Schema<T>::kOptional)>>
  : std::bool_constant<Schema<T>::kOptional>
{
};

// Every record type, in the order datasets are created.
using RecordTypes =
    std::tuple<BlockProducedRecord, BlockArrivalRecord, IrreversibleRecord, TransactionRecord,
               MissedSlotRecord, DropRecord, CzrScoreRecord, CzrChainRecord, ElectionRecord,
               ElectionMemberRecord, ProducerSetRecord, CzrLinkRecord, PositionRecord,
               ProducerWeightRecord, BlockFateRecord, DposBlockRecord, DposScheduleRecord,
               PosLeaderRecord, PoiImportanceRecord, BidRecord, ClearingRecord, ChannelEventRecord,
               DataRequestTraceRecord, StorageOpTraceRecord, GovernanceEventRecord,
               ContractCallRecord, CallbackRecord>;

// Calls f(T{}) for every record type T, in RecordTypes order.
template <typename F>
void
ForEachRecordType(F&& f)
{
    std::apply([&f](auto... record) { (f(record), ...); }, RecordTypes{});
}

} // namespace canon::trace_hdf5

#endif
