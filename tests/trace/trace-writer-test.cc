// TraceWriter: what a finished trace holds when read back through the HDF5 C API, and that an
// unfinished or failed trace never appears under the final name (DESIGN.md 4.10).
#include "model/trace/trace-writer.h"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace canon
{
namespace
{

namespace fs = std::filesystem;

// A fresh directory per test, removed afterwards.
class TraceWriterTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir = fs::path(::testing::TempDir()) / (std::string("canonsim-trace-") + info->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    std::string PathOf(const std::string& name) const { return (m_dir / name).string(); }

    fs::path m_dir;
};

TraceMetadata
Meta()
{
    TraceMetadata meta;
    meta.seed = 0xfedcba9876543210ULL;
    meta.scenario = "nodes: 4\nproducers: 3\n";
    meta.scenarioPath = "scenarios/small.yaml";
    meta.codeVersion = "v0.1.0-3-gabcdef";
    meta.ns3Version = "3.37";
    meta.durationSeconds = 60.5;
    meta.nodes = 4;
    meta.producers = 3;
    meta.slotSeconds = 0.5;
    meta.engine = "abstract";
    return meta;
}

DropRecord
Drop(double time, const char* reason)
{
    DropRecord record{};
    record.time = time;
    record.node = 1;
    record.peer = 2;
    record.message_type = 7;
    // NUL-padded and cut to the field's width, as the schema says (no terminator when full).
    std::memcpy(record.reason, reason, std::min(std::strlen(reason), sizeof(record.reason)));
    return record;
}

// Record counts chosen around the batch size of 3: several full batches, a remainder, exactly
// one batch, fewer than one, and none.
constexpr uint32_t kBatch = 3;
constexpr uint64_t kBlocks = 7;
constexpr uint64_t kArrivals = 8;
constexpr uint64_t kIrreversible = 3;
constexpr uint64_t kTransactions = 10;
constexpr uint64_t kMissed = 1;

void
WriteEveryRecordType(TraceWriter& writer)
{
    for (uint64_t i = 0; i < kBlocks; ++i)
    {
        writer.Add(BlockProducedRecord{0.5 * static_cast<double>(i), 1, 2, i + 1, i, 0x1000 + i,
                                       0x0fff + i, 5, 900});
    }
    for (uint64_t i = 0; i < kArrivals; ++i)
    {
        writer.Add(BlockArrivalRecord{0.25 + static_cast<double>(i), 3, 1, i + 1, i, 0x1000 + i,
                                      static_cast<double>(i)});
    }
    for (uint64_t i = 0; i < kIrreversible; ++i)
    {
        writer.Add(IrreversibleRecord{2.0 + static_cast<double>(i), 0, i + 1, i, 0x1000 + i,
                                      static_cast<double>(i)});
    }
    for (uint64_t i = 0; i < kTransactions; ++i)
    {
        uint8_t event = static_cast<uint8_t>(i % 3);
        writer.Add(TransactionRecord{0.1 * static_cast<double>(i), 0xabc0 + i, event, 2, 9, 100 + i,
                                     event == 0 ? 0 : i, event == 0 ? 0 : 0x1000 + i});
    }
    for (uint64_t i = 0; i < kMissed; ++i)
    {
        writer.Add(MissedSlotRecord{42, 1, 21.0});
    }
}

// Reading back with the HDF5 C API, independently of the writer's own code.
class File
{
  public:
    explicit File(const std::string& path)
      : m_id(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT))
    {
    }
    ~File()
    {
        if (m_id >= 0)
        {
            H5Fclose(m_id);
        }
    }
    File(const File&) = delete;
    File& operator=(const File&) = delete;
    hid_t Id() const { return m_id; }

  private:
    hid_t m_id;
};

hsize_t
Rows(const File& file, const char* dataset)
{
    hid_t ds = H5Dopen2(file.Id(), dataset, H5P_DEFAULT);
    EXPECT_GE(ds, 0) << "dataset " << dataset;
    hid_t space = H5Dget_space(ds);
    hsize_t dims = 0;
    hsize_t maxDims = 0;
    EXPECT_EQ(H5Sget_simple_extent_ndims(space), 1) << dataset;
    H5Sget_simple_extent_dims(space, &dims, &maxDims);
    EXPECT_EQ(maxDims, H5S_UNLIMITED) << dataset << " must be extendible";
    H5Sclose(space);
    H5Dclose(ds);
    return dims;
}

std::vector<std::string>
MemberNames(const File& file, const char* dataset)
{
    std::vector<std::string> names;
    hid_t ds = H5Dopen2(file.Id(), dataset, H5P_DEFAULT);
    hid_t type = H5Dget_type(ds);
    EXPECT_EQ(H5Tget_class(type), H5T_COMPOUND) << dataset;
    int members = H5Tget_nmembers(type);
    for (int i = 0; i < members; ++i)
    {
        char* name = H5Tget_member_name(type, static_cast<unsigned>(i));
        names.emplace_back(name);
        H5free_memory(name);
    }
    H5Tclose(type);
    H5Dclose(ds);
    return names;
}

// One field of every row, read through a compound memory type holding only that field.
template <typename V>
std::vector<V>
ReadField(const File& file, const char* dataset, const char* field, hid_t fieldType)
{
    std::vector<V> values(Rows(file, dataset));
    hid_t memType = H5Tcreate(H5T_COMPOUND, sizeof(V));
    H5Tinsert(memType, field, 0, fieldType);
    hid_t ds = H5Dopen2(file.Id(), dataset, H5P_DEFAULT);
    EXPECT_GE(H5Dread(ds, memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0)
        << dataset << "." << field;
    H5Dclose(ds);
    H5Tclose(memType);
    return values;
}

template <typename V>
V
ReadAttribute(const File& file, const char* name, hid_t type)
{
    V value{};
    hid_t attribute = H5Aopen(file.Id(), name, H5P_DEFAULT);
    EXPECT_GE(attribute, 0) << "attribute " << name;
    EXPECT_GE(H5Aread(attribute, type, &value), 0) << "attribute " << name;
    H5Aclose(attribute);
    return value;
}

std::string
ReadStringAttribute(const File& file, const char* name)
{
    hid_t attribute = H5Aopen(file.Id(), name, H5P_DEFAULT);
    EXPECT_GE(attribute, 0) << "attribute " << name;
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    char* text = nullptr;
    EXPECT_GE(H5Aread(attribute, type, &text), 0) << "attribute " << name;
    std::string value = text == nullptr ? "" : text;
    H5free_memory(text);
    H5Tclose(type);
    H5Aclose(attribute);
    return value;
}

TEST_F(TraceWriterTest, FinishedTraceHasEveryDatasetAndAttribute)
{
    std::string path = PathOf("run.h5");
    auto created = TraceWriter::Create(path, Meta(), kBatch);
    ASSERT_TRUE(created.IsOk()) << created.GetStatus().ToString();
    TraceWriter& writer = *created.Value();
    WriteEveryRecordType(writer);
    Status finished = writer.Finish();
    ASSERT_TRUE(finished.IsOk()) << finished.ToString();
    EXPECT_TRUE(fs::exists(path));
    EXPECT_FALSE(fs::exists(path + ".partial"));

    File file(path);
    ASSERT_GE(file.Id(), 0);
    EXPECT_EQ(Rows(file, "blocks_produced"), kBlocks);
    EXPECT_EQ(Rows(file, "block_arrivals"), kArrivals);
    EXPECT_EQ(Rows(file, "irreversible"), kIrreversible);
    EXPECT_EQ(Rows(file, "transactions"), kTransactions);
    EXPECT_EQ(Rows(file, "missed_slots"), kMissed);
    EXPECT_EQ(Rows(file, "drops"), 0u) << "a dataset without records still exists, empty";

    EXPECT_EQ(ReadAttribute<int32_t>(file, "schema_version", H5T_NATIVE_INT32),
              kTraceSchemaVersion);
    EXPECT_EQ(ReadAttribute<uint64_t>(file, "seed", H5T_NATIVE_UINT64), Meta().seed);
    EXPECT_EQ(ReadAttribute<double>(file, "duration_s", H5T_NATIVE_DOUBLE), 60.5);
    EXPECT_EQ(ReadAttribute<uint32_t>(file, "nodes", H5T_NATIVE_UINT32), 4u);
    EXPECT_EQ(ReadAttribute<uint32_t>(file, "producers", H5T_NATIVE_UINT32), 3u);
    EXPECT_EQ(ReadAttribute<double>(file, "slot_s", H5T_NATIVE_DOUBLE), 0.5);
    EXPECT_EQ(ReadStringAttribute(file, "scenario"), Meta().scenario);
    EXPECT_EQ(ReadStringAttribute(file, "scenario_path"), Meta().scenarioPath);
    EXPECT_EQ(ReadStringAttribute(file, "code_version"), Meta().codeVersion);
    EXPECT_EQ(ReadStringAttribute(file, "ns3_version"), Meta().ns3Version);
    EXPECT_EQ(ReadStringAttribute(file, "engine"), Meta().engine);
}

TEST_F(TraceWriterTest, DatasetFieldsAreTheRecordFieldsInOrder)
{
    std::string path = PathOf("run.h5");
    auto created = TraceWriter::Create(path, Meta(), kBatch);
    ASSERT_TRUE(created.IsOk()) << created.GetStatus().ToString();
    ASSERT_TRUE(created.Value()->Finish().IsOk());

    File file(path);
    using Names = std::vector<std::string>;
    EXPECT_EQ(MemberNames(file, "blocks_produced"),
              (Names{"time", "node", "producer", "height", "slot", "hash", "parent", "tx_count",
                     "bytes"}));
    EXPECT_EQ(MemberNames(file, "block_arrivals"),
              (Names{"time", "node", "from_node", "height", "slot", "hash", "slot_start"}));
    EXPECT_EQ(MemberNames(file, "irreversible"),
              (Names{"time", "node", "height", "slot", "hash", "slot_start"}));
    EXPECT_EQ(MemberNames(file, "transactions"),
              (Names{"time", "tx", "event", "node", "account", "fee", "height", "block"}));
    EXPECT_EQ(MemberNames(file, "missed_slots"), (Names{"slot", "producer", "slot_start"}));
    EXPECT_EQ(MemberNames(file, "drops"),
              (Names{"time", "node", "peer", "message_type", "reason"}));
}

TEST_F(TraceWriterTest, RecordsReadBackFieldByFieldInTheOrderAdded)
{
    std::string path = PathOf("run.h5");
    auto created = TraceWriter::Create(path, Meta(), kBatch);
    ASSERT_TRUE(created.IsOk()) << created.GetStatus().ToString();
    WriteEveryRecordType(*created.Value());
    std::string longReason(200, 'x'); // longer than the field: cut to kDropReasonChars
    created.Value()->Add(Drop(1.5, "invalid: nonce 3 expected 2"));
    created.Value()->Add(Drop(2.5, longReason.c_str()));
    ASSERT_TRUE(created.Value()->Finish().IsOk());

    File file(path);
    std::vector<uint64_t> hashes =
        ReadField<uint64_t>(file, "blocks_produced", "hash", H5T_NATIVE_UINT64);
    ASSERT_EQ(hashes.size(), kBlocks);
    for (uint64_t i = 0; i < kBlocks; ++i)
    {
        EXPECT_EQ(hashes[i], 0x1000 + i) << "row " << i;
    }
    std::vector<double> times = ReadField<double>(file, "transactions", "time", H5T_NATIVE_DOUBLE);
    ASSERT_EQ(times.size(), kTransactions);
    EXPECT_EQ(times[9], 0.1 * 9);
    std::vector<uint8_t> events =
        ReadField<uint8_t>(file, "transactions", "event", H5T_NATIVE_UINT8);
    EXPECT_EQ(events[4], 1);
    EXPECT_EQ(ReadField<uint64_t>(file, "transactions", "fee", H5T_NATIVE_UINT64)[7], 107u);
    EXPECT_EQ(ReadField<double>(file, "block_arrivals", "slot_start", H5T_NATIVE_DOUBLE)[5], 5.0);
    EXPECT_EQ(ReadField<uint64_t>(file, "missed_slots", "slot", H5T_NATIVE_UINT64)[0], 42u);

    hid_t reasonType = H5Tcopy(H5T_C_S1);
    H5Tset_size(reasonType, kDropReasonChars + 1); // room for a terminating NUL when full
    using Reason = std::array<char, kDropReasonChars + 1>;
    std::vector<Reason> reasons = ReadField<Reason>(file, "drops", "reason", reasonType);
    H5Tclose(reasonType);
    ASSERT_EQ(reasons.size(), 2u);
    EXPECT_EQ(std::string(reasons[0].data()), "invalid: nonce 3 expected 2");
    EXPECT_EQ(std::string(reasons[1].data()), std::string(kDropReasonChars, 'x'));
}

TEST_F(TraceWriterTest, WriterDestroyedWithoutFinishLeavesOnlyThePartialFile)
{
    std::string path = PathOf("run.h5");
    {
        auto created = TraceWriter::Create(path, Meta(), kBatch);
        ASSERT_TRUE(created.IsOk()) << created.GetStatus().ToString();
        WriteEveryRecordType(*created.Value());
        EXPECT_FALSE(fs::exists(path)) << "nothing at the final path while the run goes on";
    }
    EXPECT_FALSE(fs::exists(path)) << "an unfinished run must not look like a trace";
    EXPECT_TRUE(fs::exists(path + ".partial"));
}

TEST_F(TraceWriterTest, ExistingTraceIsReplacedOnlyAtFinish)
{
    std::string path = PathOf("run.h5");
    {
        std::ofstream(path) << "the previous trace";
        std::ofstream(path + ".partial") << "a crashed run's leftover";
    }
    auto created = TraceWriter::Create(path, Meta(), kBatch);
    ASSERT_TRUE(created.IsOk()) << created.GetStatus().ToString();
    WriteEveryRecordType(*created.Value());
    EXPECT_EQ(fs::file_size(path), std::string("the previous trace").size());
    ASSERT_TRUE(created.Value()->Finish().IsOk());
    File file(path);
    ASSERT_GE(file.Id(), 0) << "the final path now holds the new trace";
    EXPECT_EQ(Rows(file, "blocks_produced"), kBlocks);
}

TEST_F(TraceWriterTest, CreateInAMissingDirectoryReturnsAnErrorNamingThePath)
{
    std::string path = PathOf("no-such-dir/run.h5");
    auto created = TraceWriter::Create(path, Meta(), kBatch);
    ASSERT_FALSE(created.IsOk());
    EXPECT_EQ(created.GetStatus().Code(), StatusCode::kIoError);
    EXPECT_NE(created.GetStatus().Message().find(path), std::string::npos)
        << created.GetStatus().Message();
    EXPECT_FALSE(fs::exists(path));
}

TEST_F(TraceWriterTest, FinishThatCannotRenameReportsItAndKeepsThePartialFile)
{
    std::string path = PathOf("run.h5");
    fs::create_directories(fs::path(path) / "in-the-way"); // a non-empty directory: no rename
    auto created = TraceWriter::Create(path, Meta(), kBatch);
    ASSERT_TRUE(created.IsOk()) << created.GetStatus().ToString();
    WriteEveryRecordType(*created.Value());
    Status finished = created.Value()->Finish();
    ASSERT_FALSE(finished.IsOk());
    EXPECT_EQ(finished.Code(), StatusCode::kIoError);
    EXPECT_NE(finished.Message().find("cannot rename"), std::string::npos) << finished.Message();
    EXPECT_NE(finished.Message().find(path), std::string::npos) << finished.Message();
    EXPECT_TRUE(fs::is_directory(path));
    EXPECT_TRUE(fs::exists(path + ".partial"));
}

TEST_F(TraceWriterTest, ZeroBatchSizeIsRejected)
{
    auto created = TraceWriter::Create(PathOf("run.h5"), Meta(), 0);
    ASSERT_FALSE(created.IsOk());
    EXPECT_EQ(created.GetStatus().Code(), StatusCode::kInvalid);
}

TEST_F(TraceWriterTest, FinishingTwiceIsAnErrorAndKeepsTheTrace)
{
    std::string path = PathOf("run.h5");
    auto created = TraceWriter::Create(path, Meta(), kBatch);
    ASSERT_TRUE(created.IsOk()) << created.GetStatus().ToString();
    ASSERT_TRUE(created.Value()->Finish().IsOk());
    EXPECT_FALSE(created.Value()->Finish().IsOk());
    EXPECT_TRUE(fs::exists(path));
}

} // namespace
} // namespace canon
