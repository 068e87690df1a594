// canonsim: the CanonSim command.
//
//   canonsim run SCENARIO.yaml [--engine ns3|abstract] [--seed N] [--out PATH]
//                              [--duration SECONDS] [--quiet] [--summary-json PATH]
//   canonsim inspect TRACE.h5
//   canonsim sweep SWEEP.yaml [...]   runs /usr/bin/python3 -m analysis.sweep (README, "Sweeps")
//
// Runs the scenario on the engine its `engine:` key names (ns3 unless --engine says otherwise),
// shows a progress line on stderr, writes the HDF5 trace (default
// out/<scenario file name>.h5) and prints the run summary. Exit codes: 0 done and safe; 1 the
// run failed or a safety check was violated; 2 bad command line or scenario file (the message
// names the file, line and key).
//
// inspect reads a trace back, checks it against the schema and prints its attributes and record
// counts. Exit codes: 0 a whole trace; 1 anything else, with one line naming the file and what
// is wrong.
#include "model/trace/trace-reader.h"
#include "scenarios/run-scenario.h"
#include "scenarios/run-summary-json.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

namespace
{

int
Usage(const std::string& why)
{
    std::fprintf(stderr,
                 "canonsim: %s\n"
                 "usage: canonsim run SCENARIO.yaml [--engine ns3|abstract] [--seed N] "
                 "[--out PATH] [--duration SECONDS] [--quiet] [--summary-json PATH]\n"
                 "       canonsim inspect TRACE.h5\n"
                 "       canonsim sweep SWEEP.yaml [--out DIR] [--workers N] [--scheduler ADDR]\n",
                 why.c_str());
    return 2;
}

bool
ParseUnsigned(const std::string& text, uint64_t& out)
{
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
    {
        return false;
    }
    try
    {
        out = std::stoull(text);
        return true;
    }
    catch (const std::exception&)
    {
        return false;
    }
}

bool
ParsePositive(const std::string& text, double& out)
{
    char* end = nullptr;
    out = std::strtod(text.c_str(), &end);
    return !text.empty() && end && *end == '\0' && out > 0;
}

// Prints what ReadTrace finds, or one error line; the exit code of `inspect`.
int
PrintTrace(const std::string& path)
{
    auto read = canon::ReadTrace(path);
    if (!read.IsOk())
    {
        std::fprintf(stderr, "canonsim: %s\n", read.GetStatus().Message().c_str());
        return 1;
    }
    const canon::TraceContents& t = read.Value();
    std::printf("trace            %s\n"
                "schema version   %d\n"
                "scenario         %s (seed %llu, %.1f s, %u nodes, %u producers, T=%.2f s)\n"
                "code version     %s, ns-3 %s\n",
                path.c_str(), t.schemaVersion, t.meta.scenarioPath.c_str(),
                static_cast<unsigned long long>(t.meta.seed), t.meta.durationSeconds, t.meta.nodes,
                t.meta.producers, t.meta.slotSeconds, t.meta.codeVersion.c_str(),
                t.meta.ns3Version.c_str());
    for (const auto& d : t.datasets)
    {
        std::printf("  %-18s %llu records\n", d.name.c_str(),
                    static_cast<unsigned long long>(d.records));
    }
    return 0;
}

// libhdf5 can crash or loop forever on some corrupt files (trace-reader.h), so the reading
// happens in a child process: a crash or a hang there still ends in one error line here.
int
Inspect(const std::string& path)
{
    constexpr int kTimeLimitSeconds = 60;
    std::fflush(stdout);
    const pid_t child = fork();
    if (child < 0)
    {
        return PrintTrace(path);
    }
    if (child == 0)
    {
        alarm(kTimeLimitSeconds);
        const int code = PrintTrace(path);
        std::fflush(stdout);
        std::fflush(stderr);
        _exit(code);
    }
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR)
    {
    }
    if (WIFEXITED(status))
    {
        return WEXITSTATUS(status);
    }
    const int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    if (sig == SIGALRM)
    {
        std::fprintf(stderr,
                     "canonsim: %s: libhdf5 did not finish reading it in %d s: a corrupt "
                     "trace\n",
                     path.c_str(), kTimeLimitSeconds);
    }
    else
    {
        std::fprintf(stderr,
                     "canonsim: %s: libhdf5 crashed reading it (signal %d): a corrupt "
                     "trace\n",
                     path.c_str(), sig);
    }
    return 1;
}

// `canonsim sweep ...`: the sweep driver is Python (Dask); it runs this binary once per run.
int
Sweep(int argc, char** argv)
{
    std::string self = "canonsim";
    std::error_code error;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
    if (!error)
    {
        self = exe.string();
    }
    const char* oldPath = std::getenv("PYTHONPATH");
    std::string pythonPath = CANONSIM_SOURCE_DIR;
    if (oldPath && *oldPath)
    {
        pythonPath += std::string(":") + oldPath;
    }
    setenv("PYTHONPATH", pythonPath.c_str(), 1);
    setenv("CANONSIM_BINARY", self.c_str(), 1);
    std::vector<char*> args{const_cast<char*>("/usr/bin/python3"), const_cast<char*>("-m"),
                            const_cast<char*>("analysis.sweep")};
    for (int i = 2; i < argc; ++i)
    {
        args.push_back(argv[i]);
    }
    args.push_back(nullptr);
    execv(args[0], args.data());
    std::fprintf(stderr, "canonsim: cannot run /usr/bin/python3: %s\n", std::strerror(errno));
    return 1;
}

} // namespace

int
main(int argc, char** argv)
{
    if (argc == 3 && std::string(argv[1]) == "inspect")
    {
        return Inspect(argv[2]);
    }
    if (argc >= 2 && std::string(argv[1]) == "sweep")
    {
        return Sweep(argc, argv);
    }
    if (argc < 3 || std::string(argv[1]) != "run")
    {
        return Usage(argc < 2 ? "no command given" : "expected 'run SCENARIO.yaml'");
    }
    const std::string path = argv[2];
    auto loaded = canon::LoadScenario(path);
    if (!loaded.IsOk())
    {
        std::fprintf(stderr, "canonsim: %s\n", loaded.GetStatus().Message().c_str());
        return 2;
    }
    canon::ScenarioConfig config = std::move(loaded).Value();
    canon::RunOptions options;
    std::string summaryJson;
    options.outPath = "out/" + std::filesystem::path(path).stem().string() + ".h5";
    for (int i = 3; i < argc; ++i)
    {
        const std::string flag = argv[i];
        if (flag == "--quiet")
        {
            options.progress = false;
            continue;
        }
        if (i + 1 >= argc)
        {
            return Usage("missing value for " + flag);
        }
        const std::string value = argv[++i];
        if (flag == "--seed")
        {
            if (!ParseUnsigned(value, config.seed))
            {
                return Usage("--seed needs a non-negative integer, got '" + value + "'");
            }
        }
        else if (flag == "--out")
        {
            options.outPath = value;
        }
        else if (flag == "--engine")
        {
            auto engine = canon::ParseName<canon::EngineKind>(value);
            if (!engine)
            {
                return Usage("--engine needs ns3 or abstract, got '" + value + "'");
            }
            config.engine = *engine;
        }
        else if (flag == "--summary-json")
        {
            summaryJson = value;
        }
        else if (flag == "--duration")
        {
            if (!ParsePositive(value, config.durationSeconds))
            {
                return Usage("--duration needs a positive number of seconds, got '" + value + "'");
            }
        }
        else
        {
            return Usage("unknown option " + flag);
        }
    }
    canon::Status valid = canon::ValidateScenario(config);
    if (!valid.IsOk())
    {
        std::fprintf(stderr, "canonsim: %s: %s\n", path.c_str(), valid.Message().c_str());
        return 2;
    }
    std::printf("CanonSim: %s (seed %llu, %.0f s simulated, engine %s)\n", path.c_str(),
                static_cast<unsigned long long>(config.seed), config.durationSeconds,
                canon::Name(config.engine));
    std::fflush(stdout);
    auto result = canon::RunScenario(config, options);
    if (!result.IsOk())
    {
        std::fprintf(stderr, "canonsim: %s\n", result.GetStatus().Message().c_str());
        return 1;
    }
    std::printf("%s", canon::FormatRunSummary(result.Value()).c_str());
    if (!summaryJson.empty())
    {
        canon::Status written = canon::WriteRunSummaryJson(result.Value(), summaryJson);
        if (!written.IsOk())
        {
            std::fprintf(stderr, "canonsim: %s\n", written.Message().c_str());
            return 1;
        }
    }
    return result.Value().summary.Safe() ? 0 : 1;
}
