// The optional trace datasets of issue 15: absent from runs that write none of their records,
// created by the first one, read back either way.
#include "model/trace/trace-reader.h"
#include "model/trace/trace-writer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

namespace canon
{
namespace
{

std::vector<std::string>
Names(const TraceContents& c)
{
    std::vector<std::string> out;
    for (const auto& d : c.datasets)
    {
        out.push_back(d.name);
    }
    return out;
}

std::string
Written(const std::string& name, bool withBids)
{
    const std::string path = (std::filesystem::path(::testing::TempDir()) / name).string();
    TraceMetadata meta;
    meta.engine = "abstract";
    meta.durationSeconds = 10;
    meta.nodes = 4;
    auto w = TraceWriter::Create(path, meta, 2);
    EXPECT_TRUE(w.IsOk()) << w.GetStatus().Message();
    if (withBids)
    {
        for (int i = 0; i < 3; ++i)
        {
            BidRecord r{};
            r.time = 1.0 + i;
            r.valuation = 5;
            w.Value()->Add(r);
        }
    }
    EXPECT_TRUE(w.Value()->Finish().IsOk());
    return path;
}

TEST(FeesTrace, OptionalDatasetsOnlyWhenWritten)
{
    auto plain = ReadTrace(Written("fees-trace-plain.h5", false));
    ASSERT_TRUE(plain.IsOk()) << plain.GetStatus().Message();
    const auto names = Names(plain.Value());
    EXPECT_EQ(std::count(names.begin(), names.end(), "bids"), 0);
    EXPECT_EQ(std::count(names.begin(), names.end(), "clearing"), 0);
    EXPECT_EQ(std::count(names.begin(), names.end(), "blocks_produced"), 1);

    auto fees = ReadTrace(Written("fees-trace-bids.h5", true));
    ASSERT_TRUE(fees.IsOk()) << fees.GetStatus().Message();
    const TraceContents& c = fees.Value();
    auto it = std::find_if(c.datasets.begin(), c.datasets.end(),
                           [](const auto& d) { return d.name == "bids"; });
    ASSERT_NE(it, c.datasets.end());
    EXPECT_EQ(it->records, 3u);
    const auto all = Names(c);
    EXPECT_EQ(std::count(all.begin(), all.end(), "clearing"), 0);
}

} // namespace
} // namespace canon
