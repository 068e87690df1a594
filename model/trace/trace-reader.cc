// ReadTrace through the HDF5 C API. See trace-reader.h for the contract.
#include "model/trace/trace-reader.h"

#include "model/trace/trace-hdf5.h"

#include <cmath>
#include <filesystem>
#include <functional>

namespace canon
{
namespace
{

using namespace trace_hdf5;

// Records read per batch: bounded memory whatever the dataset claims.
constexpr hsize_t kBatchRecords = 4096;
// A string attribute longer than this is not something the writer made.
constexpr std::size_t kStringAttributeMax = 64 * 1024 * 1024;

class Reader
{
  public:
    Reader(hid_t file, std::string name)
      : m_file(file)
      , m_name(std::move(name))
    {
    }

    Result<TraceContents> Read();

  private:
    Status Error(const std::string& what) const { return Status::Invalid(m_name + ": " + what); }
    Status OpenAttribute(const char* attr, H5T_class_t cls, const char* what, H5Id& a, H5Id& type);
    Status ReadNumber(const char* attr, H5T_class_t cls, hid_t memType, void* out);
    Status ReadString(const char* attr, std::string& out);
    Status ReadMeta(TraceContents& c);
    template <typename T>
    Status ReadDataset(const TraceContents& c, TraceDatasetSummary& out);
    // Checks the `node` and `time` columns of `name`, if it has them, batch by batch.
    Status CheckColumns(hid_t ds, hid_t fileType, const char* name, hsize_t n,
                        const TraceContents& c);

    hid_t m_file;
    std::string m_name;
};

// The root attribute `attr`, which must exist and hold one value of class `cls`; `what` names
// that class in errors. Fills `a` and `type`.
Status
Reader::OpenAttribute(const char* attr, H5T_class_t cls, const char* what, H5Id& a, H5Id& type)
{
    if (H5Aexists(m_file, attr) <= 0)
    {
        return Error(std::string("missing root attribute ") + attr);
    }
    a = H5Id(H5Aopen(m_file, attr, H5P_DEFAULT), H5Aclose);
    type = H5Id(a.Valid() ? H5Aget_type(a.Get()) : H5I_INVALID_HID, H5Tclose);
    H5Id space(a.Valid() ? H5Aget_space(a.Get()) : H5I_INVALID_HID, H5Sclose);
    if (!type.Valid() || !space.Valid())
    {
        return Hdf5Error(m_name, std::string("cannot open root attribute ") + attr);
    }
    if (H5Tget_class(type.Get()) != cls || H5Sget_simple_extent_npoints(space.Get()) != 1)
    {
        return Error(std::string("root attribute ") + attr + " is not a single " + what);
    }
    return Status::Ok();
}

Status
Reader::ReadNumber(const char* attr, H5T_class_t cls, hid_t memType, void* out)
{
    H5Id a, type;
    Status s = OpenAttribute(attr, cls, cls == H5T_INTEGER ? "integer" : "number", a, type);
    if (!s.IsOk())
    {
        return s;
    }
    if (H5Aread(a.Get(), memType, out) < 0)
    {
        return Hdf5Error(m_name, std::string("cannot read root attribute ") + attr);
    }
    return Status::Ok();
}

Status
Reader::ReadString(const char* attr, std::string& out)
{
    H5Id a, type;
    Status s = OpenAttribute(attr, H5T_STRING, "string", a, type);
    if (!s.IsOk())
    {
        return s;
    }
    if (H5Tis_variable_str(type.Get()) > 0)
    {
        H5Id mem(H5Tcopy(H5T_C_S1), H5Tclose);
        char* text = nullptr;
        if (!mem.Valid() || H5Tset_size(mem.Get(), H5T_VARIABLE) < 0 ||
            H5Tset_cset(mem.Get(), H5Tget_cset(type.Get())) < 0 ||
            H5Aread(a.Get(), mem.Get(), &text) < 0)
        {
            return Hdf5Error(m_name, std::string("cannot read root attribute ") + attr);
        }
        out = text ? text : "";
        H5free_memory(text);
        return Status::Ok();
    }
    const std::size_t size = H5Tget_size(type.Get());
    if (size == 0 || size > kStringAttributeMax)
    {
        return Error(std::string("root attribute ") + attr + " has an implausible size of " +
                     std::to_string(size) + " bytes");
    }
    std::string buffer(size, '\0');
    H5Id mem(H5Tcopy(H5T_C_S1), H5Tclose);
    if (!mem.Valid() || H5Tset_size(mem.Get(), size) < 0 ||
        H5Tset_cset(mem.Get(), H5Tget_cset(type.Get())) < 0 ||
        H5Aread(a.Get(), mem.Get(), buffer.data()) < 0)
    {
        return Hdf5Error(m_name, std::string("cannot read root attribute ") + attr);
    }
    out = buffer.substr(0, buffer.find('\0'));
    return Status::Ok();
}

Status
Reader::ReadMeta(TraceContents& c)
{
    Status s = ReadNumber("schema_version", H5T_INTEGER, H5T_NATIVE_INT32, &c.schemaVersion);
    if (!s.IsOk())
    {
        return s.Message().find("missing") != std::string::npos
                   ? Error("no root attribute schema_version: not a CanonSim trace")
                   : s;
    }
    if (c.schemaVersion < kTraceSchemaVersionReadableMin || c.schemaVersion > kTraceSchemaVersion)
    {
        return Error("trace schema version " + std::to_string(c.schemaVersion) +
                     ", this build reads versions " +
                     std::to_string(kTraceSchemaVersionReadableMin) + " to " +
                     std::to_string(kTraceSchemaVersion));
    }
    TraceMetadata& m = c.meta;
    for (Status st :
         {ReadNumber("seed", H5T_INTEGER, H5T_NATIVE_UINT64, &m.seed),
          ReadString("scenario", m.scenario), ReadString("scenario_path", m.scenarioPath),
          ReadString("code_version", m.codeVersion), ReadString("ns3_version", m.ns3Version),
          ReadNumber("duration_s", H5T_FLOAT, H5T_NATIVE_DOUBLE, &m.durationSeconds),
          ReadNumber("nodes", H5T_INTEGER, H5T_NATIVE_UINT32, &m.nodes),
          ReadNumber("producers", H5T_INTEGER, H5T_NATIVE_UINT32, &m.producers),
          ReadNumber("slot_s", H5T_FLOAT, H5T_NATIVE_DOUBLE, &m.slotSeconds),
          ReadString("engine", m.engine)})
    {
        if (!st.IsOk())
        {
            return st;
        }
    }
    if (!(std::isfinite(m.durationSeconds) && m.durationSeconds >= 0))
    {
        return Error("root attribute duration_s is " + std::to_string(m.durationSeconds));
    }
    return Status::Ok();
}

Status
Reader::CheckColumns(hid_t ds, hid_t fileType, const char* name, hsize_t n, const TraceContents& c)
{
    const bool hasNode = H5Tget_member_index(fileType, "node") >= 0;
    const bool hasTime = H5Tget_member_index(fileType, "time") >= 0;
    if (!hasNode && !hasTime)
    {
        return Status::Ok();
    }
    struct Row
    {
        double time;
        uint32_t node;
    };
    H5Id mem(H5Tcreate(H5T_COMPOUND, sizeof(Row)), H5Tclose);
    if (!mem.Valid() ||
        (hasTime && H5Tinsert(mem.Get(), "time", HOFFSET(Row, time), H5T_NATIVE_DOUBLE) < 0) ||
        (hasNode && H5Tinsert(mem.Get(), "node", HOFFSET(Row, node), H5T_NATIVE_UINT32) < 0))
    {
        return Hdf5Error(m_name, std::string("cannot describe the columns of ") + name);
    }
    H5Id fileSpace(H5Dget_space(ds), H5Sclose);
    std::vector<Row> rows(static_cast<std::size_t>(std::min(n, kBatchRecords)));
    for (hsize_t start = 0; start < n; start += kBatchRecords)
    {
        hsize_t count = std::min(kBatchRecords, n - start);
        H5Id memSpace(H5Screate_simple(1, &count, nullptr), H5Sclose);
        if (!fileSpace.Valid() || !memSpace.Valid() ||
            H5Sselect_hyperslab(fileSpace.Get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr) <
                0 ||
            H5Dread(ds, mem.Get(), memSpace.Get(), fileSpace.Get(), H5P_DEFAULT, rows.data()) < 0)
        {
            return Hdf5Error(m_name, std::string("cannot read records of ") + name + " from " +
                                         std::to_string(start));
        }
        for (hsize_t i = 0; i < count; ++i)
        {
            const Row& r = rows[static_cast<std::size_t>(i)];
            const std::string where = std::string(name) + "[" + std::to_string(start + i) + "]";
            if (hasNode && r.node >= c.meta.nodes)
            {
                return Error(where + ".node is " + std::to_string(r.node) + ", but the trace has " +
                             std::to_string(c.meta.nodes) + " nodes");
            }
            // Half a second of slack: records at the very end of a run.
            if (hasTime && !(r.time >= 0 && r.time <= c.meta.durationSeconds + 0.5))
            {
                return Error(where + ".time is " + std::to_string(r.time) +
                             " s, outside the run's 0.." + std::to_string(c.meta.durationSeconds) +
                             " s");
            }
        }
    }
    return Status::Ok();
}

template <typename T>
Status
Reader::ReadDataset(const TraceContents& c, TraceDatasetSummary& out)
{
    const char* name = Schema<T>::kName;
    out.name = name;
    if (H5Lexists(m_file, name, H5P_DEFAULT) <= 0)
    {
        return Error(std::string("missing dataset ") + name);
    }
    H5O_info_t info;
    if (H5Oget_info_by_name2(m_file, name, &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0 ||
        info.type != H5O_TYPE_DATASET)
    {
        return Error(std::string(name) + " is not a dataset");
    }
    H5Id ds(H5Dopen2(m_file, name, H5P_DEFAULT), H5Dclose);
    H5Id type(ds.Valid() ? H5Dget_type(ds.Get()) : H5I_INVALID_HID, H5Tclose);
    H5Id space(ds.Valid() ? H5Dget_space(ds.Get()) : H5I_INVALID_HID, H5Sclose);
    if (!type.Valid() || !space.Valid())
    {
        return Hdf5Error(m_name, std::string("cannot open dataset ") + name);
    }
    if (H5Tget_class(type.Get()) != H5T_COMPOUND)
    {
        return Error(std::string("dataset ") + name + " is not a dataset of records");
    }
    if (H5Sget_simple_extent_ndims(space.Get()) != 1)
    {
        return Error(std::string("dataset ") + name + " has " +
                     std::to_string(H5Sget_simple_extent_ndims(space.Get())) +
                     " dimensions, expected 1");
    }
    H5Id text(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(text.Get(), kDropReasonChars);
    for (const Field& field : Schema<T>::Fields(text.Get()))
    {
        const int index = H5Tget_member_index(type.Get(), field.name);
        if (index < 0)
        {
            return Error(std::string("dataset ") + name + " has no field " + field.name);
        }
        H5Id member(H5Tget_member_type(type.Get(), static_cast<unsigned>(index)), H5Tclose);
        if (!member.Valid() || H5Tget_class(member.Get()) != H5Tget_class(field.type))
        {
            return Error(std::string("dataset ") + name + " field " + field.name +
                         " has the wrong type");
        }
    }
    hsize_t n = 0;
    H5Sget_simple_extent_dims(space.Get(), &n, nullptr);
    // Records past the allocated storage would read back as fill values: a dataset that claims
    // more than it stores is damaged (and would otherwise cost time without bound).
    const hsize_t stored = H5Dget_storage_size(ds.Get());
    const std::size_t recordBytes = H5Tget_size(type.Get());
    if (n > 0 && (recordBytes == 0 || n > stored / recordBytes))
    {
        return Error("dataset " + std::string(name) + " claims " + std::to_string(n) +
                     " records but stores " + std::to_string(stored) + " bytes");
    }
    out.records = n;
    return CheckColumns(ds.Get(), type.Get(), name, n, c);
}

Result<TraceContents>
Reader::Read()
{
    TraceContents c;
    Status s = ReadMeta(c);
    ForEachRecordType(
        [&](auto record)
        {
            using T = decltype(record);
            // An optional dataset is absent from runs that did not use its feature.
            const bool absent = IsOptionalDataset<T>::value &&
                                H5Lexists(m_file, Schema<T>::kName, H5P_DEFAULT) <= 0;
            if (s.IsOk() && !absent)
            {
                c.datasets.emplace_back();
                s = ReadDataset<T>(c, c.datasets.back());
            }
        });
    if (!s.IsOk())
    {
        return s;
    }
    return c;
}

// HDF5 prints its error stack to stderr by default; the reader turns errors into Status values
// instead, so printing is off while it runs.
class QuietHdf5
{
  public:
    QuietHdf5()
    {
        H5Eget_auto2(H5E_DEFAULT, &m_func, &m_data);
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    }
    ~QuietHdf5() { H5Eset_auto2(H5E_DEFAULT, m_func, m_data); }
    QuietHdf5(const QuietHdf5&) = delete;
    QuietHdf5& operator=(const QuietHdf5&) = delete;

  private:
    H5E_auto2_t m_func = nullptr;
    void* m_data = nullptr;
};

} // namespace

Result<TraceContents>
ReadTrace(const std::string& path)
{
    namespace fs = std::filesystem;
    const std::string partial = ".partial";
    if (path.size() >= partial.size() &&
        path.compare(path.size() - partial.size(), partial.size(), partial) == 0)
    {
        return Status::Invalid(path + ": an unfinished trace (the run that wrote it did not "
                                      "complete)");
    }
    std::error_code ec;
    if (!fs::exists(path, ec))
    {
        return Status(StatusCode::kIoError, path + ": no such file");
    }
    if (fs::is_directory(path, ec))
    {
        return Status(StatusCode::kIoError, path + ": is a directory, not a trace file");
    }
    QuietHdf5 quiet;
    if (H5Fis_hdf5(path.c_str()) <= 0)
    {
        return Status::Invalid(path + ": not an HDF5 file (truncated or corrupt)");
    }
    H5Id file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (!file.Valid())
    {
        return Hdf5Error(path, "cannot open the trace");
    }
    return Reader(file.Get(), path).Read();
}

Result<TraceContents>
ReadTraceImage(const void* data, std::size_t size, const std::string& name)
{
    QuietHdf5 quiet;
    H5Id fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    if (!fapl.Valid() || H5Pset_fapl_core(fapl.Get(), 64 * 1024, 0) < 0 ||
        H5Pset_file_image(fapl.Get(), const_cast<void*>(data), size) < 0)
    {
        return Hdf5Error(name, "cannot set up a file image");
    }
    H5Id file(H5Fopen(name.c_str(), H5F_ACC_RDONLY, fapl.Get()), H5Fclose);
    if (!file.Valid())
    {
        return Status::Invalid(name + ": not an HDF5 file (truncated or corrupt)");
    }
    return Reader(file.Get(), name).Read();
}

} // namespace canon
