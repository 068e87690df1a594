// ReadTrace: a whole trace reads back with its attributes and record counts, and every kind of
// damaged trace gives one error naming the file and what is wrong, never a crash.
#include "model/trace/trace-reader.h"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace canon
{
namespace
{

namespace fs = std::filesystem;

class TraceReaderTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir = fs::path(::testing::TempDir()) / (std::string("canonsim-reader-") + info->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
        m_trace = (m_dir / "run.h5").string();
        TraceMetadata meta;
        meta.seed = 7;
        meta.scenario = "name: test\n";
        meta.scenarioPath = "test.yaml";
        meta.codeVersion = "test";
        meta.ns3Version = "3.37";
        meta.durationSeconds = 30;
        meta.nodes = 4;
        meta.producers = 3;
        meta.slotSeconds = 1;
        auto w = TraceWriter::Create(m_trace, meta, 2);
        ASSERT_TRUE(w.IsOk()) << w.GetStatus().ToString();
        for (uint64_t i = 0; i < 5; ++i)
        {
            w.Value()->Add(BlockProducedRecord{1.0 + static_cast<double>(i), 1, 0, i + 1, i + 1, i,
                                               i, 0, 100});
        }
        w.Value()->Add(MissedSlotRecord{20, 2, 20.0});
        ASSERT_TRUE(w.Value()->Finish().IsOk());
    }
    void TearDown() override { fs::remove_all(m_dir); }

    std::vector<char> Bytes() const
    {
        std::ifstream in(m_trace, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }
    std::string Write(const std::string& name, const std::vector<char>& bytes) const
    {
        const std::string path = (m_dir / name).string();
        std::ofstream(path, std::ios::binary)
            .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        return path;
    }
    // A copy of the trace changed through the HDF5 API by `edit`.
    template <typename Edit>
    std::string Edited(const std::string& name, Edit edit) const
    {
        const std::string path = (m_dir / name).string();
        fs::copy_file(m_trace, path, fs::copy_options::overwrite_existing);
        hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
        edit(f);
        H5Fclose(f);
        return path;
    }
    static std::string ErrorOf(const std::string& path)
    {
        auto r = ReadTrace(path);
        return r.IsOk() ? std::string("(read fine)") : r.GetStatus().Message();
    }

    fs::path m_dir;
    std::string m_trace;
};

TEST_F(TraceReaderTest, WholeTraceReadsBackWithAttributesAndRecordCounts)
{
    auto r = ReadTrace(m_trace);
    ASSERT_TRUE(r.IsOk()) << r.GetStatus().ToString();
    EXPECT_EQ(r.Value().schemaVersion, kTraceSchemaVersion);
    EXPECT_EQ(r.Value().meta.seed, 7u);
    EXPECT_EQ(r.Value().meta.scenario, "name: test\n");
    EXPECT_EQ(r.Value().meta.nodes, 4u);
    ASSERT_FALSE(r.Value().datasets.empty());
    EXPECT_EQ(r.Value().datasets[0].name, "blocks_produced");
    EXPECT_EQ(r.Value().datasets[0].records, 5u);
}

TEST_F(TraceReaderTest, TruncatedTraceIsAnErrorNamingTheFile)
{
    std::vector<char> bytes = Bytes();
    for (std::size_t keep :
         {std::size_t{0}, std::size_t{8}, std::size_t{512}, bytes.size() / 2, bytes.size() - 1})
    {
        const std::string path =
            Write("cut.h5", std::vector<char>(bytes.begin(),
                                              bytes.begin() + static_cast<std::ptrdiff_t>(keep)));
        auto r = ReadTrace(path);
        ASSERT_FALSE(r.IsOk()) << "kept " << keep << " bytes";
        EXPECT_EQ(r.GetStatus().Message().rfind(path + ": ", 0), 0u) << r.GetStatus().ToString();
    }
}

TEST_F(TraceReaderTest, FlippedBytesAnywhereGiveAnErrorOrTheTraceNeverACrash)
{
    const std::vector<char> bytes = Bytes();
    for (std::size_t at = 0; at < bytes.size(); at += 97)
    {
        std::vector<char> bad = bytes;
        bad[at] = static_cast<char>(bad[at] ^ 0x5a);
        const std::string path = Write("flipped.h5", bad);
        auto r = ReadTrace(path);
        if (!r.IsOk())
        {
            EXPECT_EQ(r.GetStatus().Message().rfind(path + ": ", 0), 0u)
                << "byte " << at << ": " << r.GetStatus().ToString();
        }
    }
}

TEST_F(TraceReaderTest, UnfinishedPartialTraceIsRefused)
{
    const std::string partial = m_trace + ".partial";
    fs::copy_file(m_trace, partial);
    EXPECT_NE(ErrorOf(partial).find("unfinished trace"), std::string::npos) << ErrorOf(partial);
}

TEST_F(TraceReaderTest, MissingFileAndDirectoryAreNamed)
{
    EXPECT_EQ(ErrorOf((m_dir / "none.h5").string()),
              (m_dir / "none.h5").string() + ": no such file");
    EXPECT_NE(ErrorOf(m_dir.string()).find("is a directory"), std::string::npos);
    const std::string text = Write("text.h5", {'n', 'o', 'p', 'e'});
    EXPECT_EQ(ErrorOf(text), text + ": not an HDF5 file (truncated or corrupt)");
}

TEST_F(TraceReaderTest, OtherSchemaVersionIsRefusedWithBothVersions)
{
    const std::string path = Edited("v9.h5",
                                    [](hid_t f)
                                    {
                                        int32_t v = 9;
                                        hid_t a = H5Aopen(f, "schema_version", H5P_DEFAULT);
                                        H5Awrite(a, H5T_NATIVE_INT32, &v);
                                        H5Aclose(a);
                                    });
    EXPECT_EQ(ErrorOf(path), path + ": trace schema version 9, this build reads versions " +
                                 std::to_string(kTraceSchemaVersionReadableMin) + " to " +
                                 std::to_string(kTraceSchemaVersion));
}

TEST_F(TraceReaderTest, VersionSixIsReadAsSeven)
{
    // Version 7 only added optional datasets, so a version 6 file reads as one without them.
    const std::string path = Edited("v6.h5",
                                    [](hid_t f)
                                    {
                                        int32_t v = 6;
                                        hid_t a = H5Aopen(f, "schema_version", H5P_DEFAULT);
                                        H5Awrite(a, H5T_NATIVE_INT32, &v);
                                        H5Aclose(a);
                                    });
    auto r = ReadTrace(path);
    ASSERT_TRUE(r.IsOk()) << r.GetStatus().Message();
    EXPECT_EQ(r.Value().schemaVersion, 6);
}

TEST_F(TraceReaderTest, MissingAttributeDatasetOrFieldIsNamed)
{
    std::string path = Edited("noattr.h5", [](hid_t f) { H5Adelete(f, "code_version"); });
    EXPECT_EQ(ErrorOf(path), path + ": missing root attribute code_version");
    path = Edited("nosv.h5", [](hid_t f) { H5Adelete(f, "schema_version"); });
    EXPECT_EQ(ErrorOf(path), path + ": no root attribute schema_version: not a CanonSim trace");
    path = Edited("nods.h5", [](hid_t f) { H5Ldelete(f, "missed_slots", H5P_DEFAULT); });
    EXPECT_EQ(ErrorOf(path), path + ": missing dataset missed_slots");
    // A dataset of the right name whose records lack a field.
    path = Edited("nofield.h5",
                  [](hid_t f)
                  {
                      H5Ldelete(f, "missed_slots", H5P_DEFAULT);
                      hid_t type = H5Tcreate(H5T_COMPOUND, sizeof(uint64_t));
                      H5Tinsert(type, "slot", 0, H5T_NATIVE_UINT64);
                      hsize_t n = 0;
                      hid_t space = H5Screate_simple(1, &n, nullptr);
                      hid_t ds = H5Dcreate2(f, "missed_slots", type, space, H5P_DEFAULT,
                                            H5P_DEFAULT, H5P_DEFAULT);
                      H5Dclose(ds);
                      H5Sclose(space);
                      H5Tclose(type);
                  });
    EXPECT_EQ(ErrorOf(path), path + ": dataset missed_slots has no field producer");
    path = Edited("group.h5",
                  [](hid_t f)
                  {
                      H5Ldelete(f, "drops", H5P_DEFAULT);
                      H5Gclose(H5Gcreate2(f, "drops", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
                  });
    EXPECT_EQ(ErrorOf(path), path + ": drops is not a dataset");
}

TEST_F(TraceReaderTest, RecordNamingANodeOutsideTheRunIsNamedByIndex)
{
    const std::string path = Edited("badnode.h5",
                                    [](hid_t f)
                                    {
                                        hid_t a = H5Aopen(f, "nodes", H5P_DEFAULT);
                                        uint32_t n = 1; // records name node 1
                                        H5Awrite(a, H5T_NATIVE_UINT32, &n);
                                        H5Aclose(a);
                                    });
    EXPECT_EQ(ErrorOf(path), path + ": blocks_produced[0].node is 1, but the trace has 1 nodes");
}

} // namespace
} // namespace canon

namespace canon
{
namespace
{

// Optional datasets (issue 18's channel_events): absent unless a record was added, and read
// back when present.
TEST(OptionalDatasetTest, ChannelEventsAreWrittenOnlyWhenARunRecordsThem)
{
    const fs::path dir = fs::path(::testing::TempDir()) / "canonsim-optional-dataset";
    fs::remove_all(dir);
    fs::create_directories(dir);
    TraceMetadata meta;
    meta.durationSeconds = 30;
    meta.nodes = 4;
    meta.slotSeconds = 1;
    auto names = [](const TraceContents& c)
    {
        std::vector<std::string> out;
        for (const auto& d : c.datasets)
        {
            out.push_back(d.name);
        }
        return out;
    };
    const std::string without = (dir / "without.h5").string();
    auto w1 = TraceWriter::Create(without, meta, 2);
    ASSERT_TRUE(w1.IsOk() && w1.Value()->Finish().IsOk());
    auto r1 = ReadTrace(without);
    ASSERT_TRUE(r1.IsOk()) << r1.GetStatus().ToString();
    const auto n1 = names(r1.Value());
    EXPECT_EQ(std::count(n1.begin(), n1.end(), "channel_events"), 0);
    const std::string with = (dir / "with.h5").string();
    auto w2 = TraceWriter::Create(with, meta, 2);
    ASSERT_TRUE(w2.IsOk());
    for (uint32_t i = 0; i < 3; ++i)
    {
        w2.Value()->Add(ChannelEventRecord{1.0 + i, i, 1, 2, 0, 0, 0, 10, 10, 1});
    }
    ASSERT_TRUE(w2.Value()->Finish().IsOk());
    auto r2 = ReadTrace(with);
    ASSERT_TRUE(r2.IsOk()) << r2.GetStatus().ToString();
    ASSERT_EQ(r2.Value().datasets.back().name, "channel_events");
    EXPECT_EQ(r2.Value().datasets.back().records, 3u);
    fs::remove_all(dir);
}

} // namespace
} // namespace canon
