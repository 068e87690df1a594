// The command line (CLI11: --help, --version, option errors) of canonsim and canonsim-harness,
// and the ns-3 tools' files of a wired run (--netanim, --flowmon; model/ns3/ns3-visual-output.h).
// The mesh run's files are checked by tests/python/test_explore_ns3.py.
#include "model/trace/trace-records.h"
#include "scenarios/run-scenario.h"
#include "tests/ns3/trace-bytes.h"

#include <gtest/gtest.h>
#include <hdf5.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace canon
{
namespace
{

using test::TempPath;

struct Outcome
{
    int code = -1;
    std::string output; // stdout and stderr
};

Outcome
Command(const std::string& binary, const std::string& args)
{
    Outcome out;
    FILE* p = popen((binary + " " + args + " 2>&1").c_str(), "r");
    if (!p)
    {
        return out;
    }
    char buf[512];
    while (std::fgets(buf, sizeof buf, p))
    {
        out.output += buf;
    }
    const int status = pclose(p);
    out.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

std::string
FileText(const std::string& path)
{
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::size_t
Count(const std::string& text, const std::string& what)
{
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    {
        ++n;
    }
    return n;
}

const std::string kScenario = std::string(CANONSIM_SOURCE_DIR) + "/scenarios/small.yaml";

TEST(CommandLine, RunHelpDescribesEveryOptionWithItsDefault)
{
    const Outcome help = Command(CANONSIM_BINARY, "run --help");
    EXPECT_EQ(help.code, 0) << help.output;
    for (const char* option :
         {"--engine ns3|abstract", "--seed N", "--out PATH", "--duration SECONDS", "--quiet",
          "--summary-json PATH", "--netanim PATH", "--netanim-packets FROM:TO",
          "--netanim-packets-max N=200000", "--flowmon PATH"})
    {
        EXPECT_NE(help.output.find(option), std::string::npos) << option << "\n" << help.output;
    }
    // Every option but --netanim-packets-max, whose default CLI11 prints as "N=200000".
    EXPECT_EQ(Count(help.output, "Default:"), 9u) << help.output;
    const Outcome top = Command(CANONSIM_BINARY, "--help");
    EXPECT_EQ(top.code, 0);
    for (const char* command : {"run", "inspect", "sweep"})
    {
        EXPECT_NE(top.output.find(std::string("  ") + command + " "), std::string::npos)
            << top.output;
    }
}

TEST(CommandLine, VersionNamesTheCodeNs3AndTraceSchemaVersions)
{
    const Outcome v = Command(CANONSIM_BINARY, "--version");
    EXPECT_EQ(v.code, 0);
    EXPECT_NE(v.output.find("ns-3 3.37"), std::string::npos) << v.output;
    EXPECT_NE(v.output.find("trace schema " + std::to_string(kTraceSchemaVersion)),
              std::string::npos)
        << v.output;
    const Outcome h = Command(CANONSIM_HARNESS_BINARY, "--version");
    EXPECT_EQ(h.code, 0);
    EXPECT_EQ(h.output.rfind("canonsim-harness ", 0), 0u) << h.output;
}

TEST(CommandLine, BadValuesAreExitCodeTwoWithALineNamingTheOption)
{
    const std::pair<std::string, std::string> cases[] = {
        {"--seed -1", "--seed: needs a non-negative integer, got '-1'"},
        {"--duration 0", "--duration: needs a positive number of seconds, got '0'"},
        {"--engine omnet", "--engine: omnet not in {ns3,abstract}"},
        {"--bogus", "--bogus"},
        {"--netanim-packets 1:2", "--netanim-packets requires --netanim"},
        {"--netanim a.xml --netanim-packets 6:5", "--netanim-packets needs FROM:TO"},
        {"--netanim a.xml --netanim-packets 70:90", "not before the run ends"},
        {"--engine abstract --flowmon f.xml", "need engine ns3; this run's engine is abstract"},
    };
    for (const auto& [args, message] : cases)
    {
        const Outcome o = Command(CANONSIM_BINARY, "run " + kScenario + " --quiet " + args);
        EXPECT_EQ(o.code, 2) << args << "\n" << o.output;
        EXPECT_EQ(o.output.rfind("canonsim: ", 0), 0u) << o.output;
        EXPECT_NE(o.output.find(message), std::string::npos) << args << "\n" << o.output;
    }
    const Outcome none = Command(CANONSIM_BINARY, "");
    EXPECT_EQ(none.code, 2);
    EXPECT_NE(none.output.find("A subcommand is required"), std::string::npos);
}

TEST(CommandLine, HarnessHelpListsItsOptionsWithDefaultsAndRefusesBadValues)
{
    const Outcome help = Command(CANONSIM_HARNESS_BINARY, "--help");
    EXPECT_EQ(help.code, 0);
    for (const char* option :
         {"--seed UINT=1", "--nodes UINT=50", "--producers UINT=21", "--duration FLOAT=600",
          "--adversary", "--random-attackers UINT=0", "--gossip"})
    {
        EXPECT_NE(help.output.find(option), std::string::npos) << option << "\n" << help.output;
    }
    for (const char* args : {"--producers abc", "--producers 60", "--adversary spy:1",
                             "--adversary flood:1", "--gossip flood", "--nodes"})
    {
        const Outcome o = Command(CANONSIM_HARNESS_BINARY, args);
        EXPECT_EQ(o.code, 2) << args << "\n" << o.output;
        EXPECT_EQ(o.output.rfind("canonsim-harness: ", 0), 0u) << o.output;
    }
}

// SIGINT (issue 19, scenarios/run-stop.h): the run stops at the simulated time reached, renames
// a complete trace marked interrupted into place, prints the summary and exits 130.
TEST(CommandLine, FirstSigintStopsTheRunWithACompleteTraceMarkedInterrupted)
{
    const std::string trace = TempPath("interrupted.h5");
    std::filesystem::remove(trace);
    const Outcome o =
        Command("sh", "-c '" + std::string(CANONSIM_BINARY) + " run " + kScenario +
                          " --engine abstract --duration 100000 --quiet --out " + trace +
                          " & p=$!; sleep 2; kill -INT $p; wait $p; echo exit $?'");
    EXPECT_NE(o.output.find("exit 130"), std::string::npos) << o.output;
    EXPECT_NE(o.output.find("interrupted               by signal 2 at "), std::string::npos)
        << o.output;
    EXPECT_NE(o.output.find("safety"), std::string::npos) << o.output; // the summary so far
    ASSERT_TRUE(std::filesystem::exists(trace));
    EXPECT_FALSE(std::filesystem::exists(trace + ".partial"));
    hid_t file = H5Fopen(trace.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    EXPECT_GT(H5Aexists(file, "interrupted"), 0);
    EXPECT_GT(H5Aexists(file, "interrupted_at_s"), 0);
    H5Fclose(file);
    EXPECT_EQ(Command(CANONSIM_BINARY, "inspect " + trace).code, 0);
}

// Output faults (issue 19): an output path that cannot be made, and a file-size limit the trace
// runs into (a disk that fills), each end the run with one error line, leave no file that looks
// like a whole trace, and leave an earlier trace at the path as it was.
TEST(CommandLine, OutputFaultsEndTheRunWithOneErrorLineAndKeepTheEarlierTrace)
{
    const std::string blocker = TempPath("not-a-directory");
    std::ofstream(blocker) << "a file";
    const Outcome unwritable = Command(CANONSIM_BINARY, "run " + kScenario +
                                                            " --engine abstract --duration 5 "
                                                            "--quiet --out " +
                                                            blocker + "/run.h5");
    EXPECT_EQ(unwritable.code, 1) << unwritable.output;
    EXPECT_EQ(Count(unwritable.output, "canonsim: "), 1u) << unwritable.output;
    EXPECT_NE(unwritable.output.find("Not a directory"), std::string::npos) << unwritable.output;

    const std::string trace = TempPath("full-disk.h5");
    std::ofstream(trace) << "an earlier trace";
    std::filesystem::remove(trace + ".partial");
    const Outcome full =
        Command("sh", "-c 'ulimit -f 200; " + std::string(CANONSIM_BINARY) + " run " + kScenario +
                          " --engine abstract --duration 60 --quiet --out " + trace +
                          " 2>&1 >/dev/null; echo exit $?'");
    EXPECT_NE(full.output.find("exit 1\n"), std::string::npos) << full.output;
    EXPECT_EQ(Count(full.output, "\n"), 2u) << full.output; // the error line and the exit code
    EXPECT_EQ(full.output.rfind("canonsim: " + trace + ".partial: ", 0), 0u) << full.output;
    EXPECT_NE(full.output.find("File too large"), std::string::npos) << full.output;
    EXPECT_EQ(FileText(trace), "an earlier trace");
}

ScenarioConfig
TenWiredNodes()
{
    ScenarioConfig c;
    c.seed = 3;
    c.durationSeconds = 6;
    c.topology.nodes = 10;
    c.consensus.producers = 4;
    c.workload.txPerSecond = 5;
    c.workload.accounts = 20;
    c.sourcePath = "(test)";
    c.sourceText = "ten wired nodes";
    return c;
}

TEST(VisualOutput, WiredRunWritesEveryNodeOnACircleBoundedPacketsAndItsFlows)
{
    RunOptions o;
    o.outPath = TempPath("visual.h5");
    o.progress = false;
    o.visual.netanimPath = TempPath("visual-anim.xml");
    o.visual.packetsFrom = 0;
    o.visual.packetsTo = 6;
    o.visual.packetsMax = 500;
    o.visual.flowmonPath = TempPath("visual-flows.xml");
    auto r = RunScenario(TenWiredNodes(), o);
    ASSERT_TRUE(r.IsOk()) << r.GetStatus().Message();
    const std::string anim = FileText(o.visual.netanimPath);
    EXPECT_EQ(Count(anim, "<node id="), 10u);
    EXPECT_NE(anim.find("</anim>"), std::string::npos);
    // The bound is checked every 10 ms: it stops the packets, passed by at most that interval.
    EXPECT_TRUE(r.Value().netanimPacketsCapped);
    EXPECT_GE(Count(anim, "<p "), 500u);
    EXPECT_LT(Count(anim, "<p "), 1500u);
    const std::string flows = FileText(o.visual.flowmonPath);
    EXPECT_GT(Count(flows, "<Flow flowId="), 10u);
    for (int node = 0; node < 10; ++node)
    {
        EXPECT_NE(flows.find("<Node id=\"" + std::to_string(node) + "\""), std::string::npos)
            << node;
    }
    EXPECT_FALSE(std::filesystem::exists(o.visual.netanimPath + ".partial"));
    EXPECT_FALSE(std::filesystem::exists(o.visual.flowmonPath + ".partial"));
    const std::string summary = FormatRunSummary(r.Value());
    EXPECT_NE(summary.find("stopped at the bound, at most 500"), std::string::npos) << summary;
}

TEST(VisualOutput, AnUnwritableNetanimPathIsAnErrorNamingItAndNoTraceIsLeft)
{
    RunOptions o;
    o.outPath = TempPath("visual-bad.h5");
    o.progress = false;
    o.visual.netanimPath = "/proc/canonsim-no/anim.xml";
    std::filesystem::remove(o.outPath);
    auto r = RunScenario(TenWiredNodes(), o);
    ASSERT_FALSE(r.IsOk());
    EXPECT_NE(r.GetStatus().Message().find("/proc/canonsim-no/anim.xml: cannot write the "
                                           "NetAnim file"),
              std::string::npos)
        << r.GetStatus().Message();
    EXPECT_FALSE(std::filesystem::exists(o.outPath));
}

} // namespace
} // namespace canon
