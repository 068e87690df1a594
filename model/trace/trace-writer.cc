// TraceWriter through the HDF5 C API (HDF5 1.10). See trace-writer.h for the contract.
#include "model/trace/trace-writer.h"

#include "model/trace/trace-hdf5.h"

#include <hdf5.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <tuple>
#include <utility>
#include <vector>

namespace canon
{
namespace
{

using namespace trace_hdf5;

// Chunks at most this big: below HDF5's default 1 MiB chunk cache, so an append that starts in
// the middle of a chunk finds it cached instead of reading it back from disk.
constexpr std::size_t kChunkBytesMax = 256 * 1024;

// One dataset and the records waiting to be appended to it.
template <typename T>
class Table
{
  public:
    using Record = T;

    Status Create(hid_t file, const std::string& filePath, hid_t reasonType, uint32_t batch)
    {
        const char* name = Schema<T>::kName;
        m_memType = H5Id(H5Tcreate(H5T_COMPOUND, sizeof(T)), H5Tclose);
        if (!m_memType.Valid())
        {
            return Hdf5Error(filePath, std::string("cannot make the type of ") + name);
        }
        for (const Field& field : Schema<T>::Fields(reasonType))
        {
            if (H5Tinsert(m_memType.Get(), field.name, field.offset, field.type) < 0)
            {
                return Hdf5Error(filePath, std::string("cannot add field ") + field.name +
                                               " to the type of " + name);
            }
        }
        // On disk without the padding of the in-memory struct.
        H5Id fileType(H5Tcopy(m_memType.Get()), H5Tclose);
        if (!fileType.Valid() || H5Tpack(fileType.Get()) < 0)
        {
            return Hdf5Error(filePath, std::string("cannot pack the type of ") + name);
        }
        hsize_t dims = 0;
        hsize_t maxDims = kUnlimited;
        H5Id space(H5Screate_simple(1, &dims, &maxDims), H5Sclose);
        H5Id dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
        hsize_t chunk = std::max<hsize_t>(1, std::min<hsize_t>(batch, kChunkBytesMax / sizeof(T)));
        // A Fletcher-32 checksum per chunk: a damaged trace fails to read instead of giving
        // wrong numbers.
        if (!space.Valid() || !dcpl.Valid() || H5Pset_chunk(dcpl.Get(), 1, &chunk) < 0 ||
            H5Pset_fletcher32(dcpl.Get()) < 0)
        {
            return Hdf5Error(filePath, std::string("cannot set up dataset ") + name);
        }
        m_dataset = H5Id(H5Dcreate2(file, name, fileType.Get(), space.Get(), H5P_DEFAULT,
                                    dcpl.Get(), H5P_DEFAULT),
                         H5Dclose);
        if (!m_dataset.Valid())
        {
            return Hdf5Error(filePath, std::string("cannot create dataset ") + name);
        }
        m_buffer.reserve(batch);
        return Status::Ok();
    }

    // Adds a record; true when the buffer is full and should be appended.
    bool Buffer(const T& record, uint32_t batch)
    {
        m_buffer.push_back(record);
        return m_buffer.size() >= batch;
    }

    // Appends the buffered records to the dataset (extend, then write a hyperslab) and empties
    // the buffer, whether or not the write succeeds.
    Status Append(const std::string& filePath)
    {
        if (m_buffer.empty())
        {
            return Status::Ok();
        }
        hsize_t start = m_rows;
        hsize_t count = m_buffer.size();
        Status status = Write(filePath, start, count);
        m_buffer.clear();
        if (status.IsOk())
        {
            m_rows += count;
        }
        return status;
    }

    // Drops what is buffered (after an earlier failure nothing more reaches the file).
    void Discard() { m_buffer.clear(); }
    bool Created() const { return m_dataset.Valid(); }
    bool Pending() const { return !m_buffer.empty(); }

    bool Close()
    {
        bool datasetClosed = m_dataset.Close();
        return m_memType.Close() && datasetClosed;
    }

  private:
    Status Write(const std::string& filePath, hsize_t start, hsize_t count)
    {
        const char* name = Schema<T>::kName;
        std::string what = "cannot append " + std::to_string(count) + " records to dataset " +
                           name + " at row " + std::to_string(start);
        hsize_t newRows = start + count;
        if (H5Dset_extent(m_dataset.Get(), &newRows) < 0)
        {
            return Hdf5Error(filePath, what);
        }
        H5Id fileSpace(H5Dget_space(m_dataset.Get()), H5Sclose);
        H5Id memSpace(H5Screate_simple(1, &count, nullptr), H5Sclose);
        if (!fileSpace.Valid() || !memSpace.Valid() ||
            H5Sselect_hyperslab(fileSpace.Get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr) <
                0 ||
            H5Dwrite(m_dataset.Get(), m_memType.Get(), memSpace.Get(), fileSpace.Get(), H5P_DEFAULT,
                     m_buffer.data()) < 0)
        {
            return Hdf5Error(filePath, what);
        }
        return Status::Ok();
    }

    H5Id m_memType;
    H5Id m_dataset;
    hsize_t m_rows = 0;
    std::vector<T> m_buffer;
};

Status
WriteAttribute(hid_t file, const std::string& filePath, const char* name, hid_t fileType,
               hid_t memType, const void* value)
{
    H5Id space(H5Screate(H5S_SCALAR), H5Sclose);
    if (!space.Valid())
    {
        return Hdf5Error(filePath, std::string("cannot write root attribute ") + name);
    }
    H5Id attribute(H5Acreate2(file, name, fileType, space.Get(), H5P_DEFAULT, H5P_DEFAULT),
                   H5Aclose);
    if (!attribute.Valid() || H5Awrite(attribute.Get(), memType, value) < 0 || !attribute.Close())
    {
        return Hdf5Error(filePath, std::string("cannot write root attribute ") + name);
    }
    return Status::Ok();
}

// A variable-length UTF-8 string attribute: no size limit, and h5py reads it back as str.
Status
WriteStringAttribute(hid_t file, const std::string& filePath, const char* name,
                     const std::string& value)
{
    H5Id type(H5Tcopy(H5T_C_S1), H5Tclose);
    if (!type.Valid() || H5Tset_size(type.Get(), H5T_VARIABLE) < 0 ||
        H5Tset_cset(type.Get(), H5T_CSET_UTF8) < 0)
    {
        return Hdf5Error(filePath, std::string("cannot make the string type of ") + name);
    }
    const char* text = value.c_str();
    return WriteAttribute(file, filePath, name, type.Get(), type.Get(), &text);
}

Status
WriteRootAttributes(hid_t file, const std::string& filePath, const TraceMetadata& meta)
{
    int32_t schemaVersion = kTraceSchemaVersion;
    Status statuses[] = {
        WriteAttribute(file, filePath, "schema_version", H5T_STD_I32LE, H5T_NATIVE_INT32,
                       &schemaVersion),
        WriteAttribute(file, filePath, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, &meta.seed),
        WriteStringAttribute(file, filePath, "scenario", meta.scenario),
        WriteStringAttribute(file, filePath, "scenario_path", meta.scenarioPath),
        WriteStringAttribute(file, filePath, "code_version", meta.codeVersion),
        WriteStringAttribute(file, filePath, "ns3_version", meta.ns3Version),
        WriteAttribute(file, filePath, "duration_s", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                       &meta.durationSeconds),
        WriteAttribute(file, filePath, "nodes", H5T_STD_U32LE, H5T_NATIVE_UINT32, &meta.nodes),
        WriteAttribute(file, filePath, "producers", H5T_STD_U32LE, H5T_NATIVE_UINT32,
                       &meta.producers),
        WriteAttribute(file, filePath, "slot_s", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                       &meta.slotSeconds),
        WriteStringAttribute(file, filePath, "engine", meta.engine),
    };
    for (const Status& status : statuses)
    {
        if (!status.IsOk())
        {
            return status;
        }
    }
    for (const auto& [name, value] : meta.consensus)
    {
        if (Status st = WriteStringAttribute(file, filePath, name.c_str(), value); !st.IsOk())
        {
            return st;
        }
    }
    return Status::Ok();
}

template <typename Tuple>
struct TablesOf;
template <typename... Records>
struct TablesOf<std::tuple<Records...>>
{
    using Type = std::tuple<Table<Records>...>;
};

} // namespace

struct TraceWriter::Impl
{
    std::string path;
    std::string partialPath;
    uint32_t batch = 1;
    // Declared before the tables so that it is destroyed after them: the file closes last.
    H5Id file;
    TablesOf<RecordTypes>::Type tables;
    // For optional datasets, created at their first append.
    H5Id reasonType;
    Status firstError;
    bool finished = false;

    template <typename F>
    void ForEachTable(F&& f)
    {
        std::apply([&f](auto&... table) { (f(table), ...); }, tables);
    }

    template <typename T>
    void Add(const T& record)
    {
        CANON_ASSERT(!finished, "TraceWriter::Add after Finish");
        Table<T>& table = std::get<Table<T>>(tables);
        if (table.Buffer(record, batch))
        {
            Append(table);
        }
    }

    template <typename T>
    void Append(Table<T>& table)
    {
        if (!firstError.IsOk())
        {
            table.Discard();
            return;
        }
        if (!table.Created() && table.Pending())
        {
            // An optional dataset (the others exist since Create): made with its first records.
            firstError = table.Create(file.Get(), partialPath, reasonType.Get(), batch);
            if (!firstError.IsOk())
            {
                return;
            }
        }
        firstError = table.Append(partialPath);
    }

    // Closes the datasets and then the file; false if HDF5 reported an error.
    bool Close()
    {
        bool closed = true;
        ForEachTable([&closed](auto& table) { closed = table.Close() && closed; });
        return file.Close() && closed;
    }
};

Result<std::unique_ptr<TraceWriter>>
TraceWriter::Create(const std::string& path, const TraceMetadata& meta, uint32_t batchRecords)
{
    if (batchRecords == 0)
    {
        return Status::Invalid(path + ": trace batch size must be at least 1 record");
    }
    // Failures come back as Status values; HDF5 must not print its error stack to stderr.
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);

    auto impl = std::make_unique<Impl>();
    impl->path = path;
    impl->partialPath = path + ".partial";
    impl->batch = batchRecords;
    // The 1.8 file format or later checksums the file's own metadata (superblock, object
    // headers, indexes), so corruption there is reported rather than misread.
    H5Id fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    if (!fapl.Valid() || H5Pset_libver_bounds(fapl.Get(), H5F_LIBVER_V18, H5F_LIBVER_LATEST) < 0)
    {
        return Hdf5Error(impl->partialPath, "cannot set the file format version");
    }
    impl->file = H5Id(H5Fcreate(impl->partialPath.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.Get()),
                      H5Fclose);
    if (!impl->file.Valid())
    {
        return Hdf5Error(impl->partialPath, "cannot create the trace file");
    }
    Status status = WriteRootAttributes(impl->file.Get(), impl->partialPath, meta);
    if (!status.IsOk())
    {
        return status;
    }
    H5Id reasonType(H5Tcopy(H5T_C_S1), H5Tclose);
    if (!reasonType.Valid() || H5Tset_size(reasonType.Get(), kDropReasonChars) < 0 ||
        H5Tset_strpad(reasonType.Get(), H5T_STR_NULLPAD) < 0)
    {
        return Hdf5Error(impl->partialPath, "cannot make the type of drops.reason");
    }
    impl->ForEachTable(
        [&](auto& table)
        {
            using T = typename std::decay_t<decltype(table)>::Record;
            if (status.IsOk() && !IsOptionalDataset<T>::value)
            {
                status = table.Create(impl->file.Get(), impl->partialPath, reasonType.Get(),
                                      batchRecords);
            }
        });
    if (!status.IsOk())
    {
        return status;
    }
    impl->reasonType = std::move(reasonType);
    return std::unique_ptr<TraceWriter>(new TraceWriter(std::move(impl)));
}

TraceWriter::TraceWriter(std::unique_ptr<Impl> impl)
  : m_impl(std::move(impl))
{
}

TraceWriter::~TraceWriter()
{
    // Without Finish the run did not complete: close the handles (the Impl's members do) and
    // leave the .partial file for inspection, never a file at the final path.
}

template <typename Record>
void
TraceWriter::Add(const Record& record)
{
    m_impl->Add(record);
}

// One line per type of RecordTypes (trace-hdf5.h): a type missing here fails to link.
template void TraceWriter::Add(const BlockProducedRecord&);
template void TraceWriter::Add(const BlockArrivalRecord&);
template void TraceWriter::Add(const IrreversibleRecord&);
template void TraceWriter::Add(const TransactionRecord&);
template void TraceWriter::Add(const MissedSlotRecord&);
template void TraceWriter::Add(const DropRecord&);
template void TraceWriter::Add(const CzrScoreRecord&);
template void TraceWriter::Add(const CzrChainRecord&);
template void TraceWriter::Add(const ElectionRecord&);
template void TraceWriter::Add(const ElectionMemberRecord&);
template void TraceWriter::Add(const ProducerSetRecord&);
template void TraceWriter::Add(const CzrLinkRecord&);
template void TraceWriter::Add(const PositionRecord&);
template void TraceWriter::Add(const ProducerWeightRecord&);
template void TraceWriter::Add(const BlockFateRecord&);
template void TraceWriter::Add(const DposBlockRecord&);
template void TraceWriter::Add(const DposScheduleRecord&);
template void TraceWriter::Add(const PosLeaderRecord&);
template void TraceWriter::Add(const PoiImportanceRecord&);
template void TraceWriter::Add(const BidRecord&);
template void TraceWriter::Add(const ClearingRecord&);
template void TraceWriter::Add(const ChannelEventRecord&);
template void TraceWriter::Add(const ContractCallRecord&);
template void TraceWriter::Add(const CallbackRecord&);
template void TraceWriter::Add(const DataRequestTraceRecord&);
template void TraceWriter::Add(const StorageOpTraceRecord&);
template void TraceWriter::Add(const GovernanceEventRecord&);

Status
TraceWriter::Finish()
{
    Impl& impl = *m_impl;
    if (impl.finished)
    {
        return Status::Invalid(impl.path + ": trace already finished");
    }
    impl.finished = true;
    impl.ForEachTable([&impl](auto& table) { impl.Append(table); });
    if (!impl.Close() && impl.firstError.IsOk())
    {
        impl.firstError = Hdf5Error(impl.partialPath, "cannot close the trace file");
    }
    if (!impl.firstError.IsOk())
    {
        return impl.firstError;
    }
    if (std::rename(impl.partialPath.c_str(), impl.path.c_str()) != 0)
    {
        int error = errno;
        return Status(StatusCode::kIoError, impl.partialPath + ": cannot rename to " + impl.path +
                                                ": " + std::strerror(error));
    }
    return Status::Ok();
}

void
TraceWriter::MarkInterrupted(double reachedSeconds)
{
    Impl& impl = *m_impl;
    if (impl.finished || !impl.firstError.IsOk())
    {
        return;
    }
    const int32_t yes = 1;
    Status st = WriteAttribute(impl.file.Get(), impl.partialPath, "interrupted", H5T_STD_I32LE,
                               H5T_NATIVE_INT32, &yes);
    if (st.IsOk())
    {
        st = WriteAttribute(impl.file.Get(), impl.partialPath, "interrupted_at_s", H5T_IEEE_F64LE,
                            H5T_NATIVE_DOUBLE, &reachedSeconds);
    }
    if (!st.IsOk())
    {
        impl.firstError = st;
    }
}

const std::string&
TraceWriter::Path() const
{
    return m_impl->path;
}

} // namespace canon
