// canonsim: the CanonSim command (`canonsim --help`, `canonsim run --help`, `canonsim --version`).
//
//   canonsim run SCENARIO.yaml [--engine ns3|abstract] [--seed N] [--out PATH]
//                              [--duration SECONDS] [--quiet] [--summary-json PATH]
//                              [--netanim PATH [--netanim-packets FROM:TO]
//                              [--netanim-packets-max N]] [--flowmon PATH]
//   canonsim inspect TRACE.h5
//   canonsim sweep SWEEP.yaml [...]   runs /usr/bin/python3 -m analysis.sweep (README, "Sweeps")
//   canonsim audit --db DIR --chain FILE
//
// Runs the scenario on the engine its `engine:` key names (ns3 unless --engine says otherwise),
// shows a progress line on stderr, writes the HDF5 trace (default
// out/<scenario file name>.h5) and prints the run summary; on ns-3, optionally a NetAnim file and
// FlowMonitor statistics (model/ns3/ns3-visual-output.h). Exit codes: 0 done and safe; 1 the
// run failed or a safety check was violated; 2 bad command line or scenario file (the message
// names the file, line and key); 128 + N stopped early by signal N (SIGINT, SIGTERM: the run
// stops at the simulated time reached, writes a complete trace marked `interrupted` and prints
// the summary so far; a second signal aborts at once, scenarios/run-stop.h).
//
// inspect reads a trace back, checks it against the schema and prints its attributes and record
// counts. Exit codes: 0 a whole trace; 1 anything else, with one line naming the file and what
// is wrong.
//
// audit checks an audited key-value store's history (model/storage/kv/audited-kv.h, paper 3.5.2)
// against the batch hashes the chain holds (FILE: model/storage/kv/kv-audit-file.h, as
// `canonsim-data-kv demo` writes it). Exit codes: 0 every batch matches; 1 a batch does not, the
// first one named; 2 an unreadable or malformed chain file, or no store at DIR.
//
// The command line is parsed by CLI11 (Debian's libcli11-dev): every option has one description
// with its default, and `--help` works on every subcommand.
#include "model/storage/kv/kv-audit-file.h"
#include "model/trace/trace-reader.h"
#include "scenarios/run-scenario.h"
#include "scenarios/run-stop.h"
#include "scenarios/run-summary-json.h"

#include <CLI/CLI.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
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
Sweep(const std::vector<std::string>& sweepArgs)
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
    for (const std::string& a : sweepArgs)
    {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    execv(args[0], args.data());
    std::fprintf(stderr, "canonsim: cannot run /usr/bin/python3: %s\n", std::strerror(errno));
    return 1;
}

// What `canonsim run` was given; the scenario file supplies every default not written here.
struct RunArgs
{
    std::string scenario;
    std::string engine;
    uint64_t seed = 0;
    double duration = 0;
    std::string out;
    bool quiet = false;
    std::string summaryJson;
    std::string netanim;
    std::string netanimPackets;
    uint64_t netanimPacketsMax = canon::kNetAnimPacketRecordsMax;
    std::string flowmon;
};

// Validators whose messages say what was expected; unnamed, so --help shows only the type name.
const CLI::Validator kNonNegativeInteger(
    [](std::string& text)
    {
        const bool digits =
            !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
        return digits ? std::string() : "needs a non-negative integer, got '" + text + "'";
    },
    "", "");
const CLI::Validator kPositiveSeconds(
    [](std::string& text)
    {
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        const bool ok = !text.empty() && *end == '\0' && v > 0;
        return ok ? std::string() : "needs a positive number of seconds, got '" + text + "'";
    },
    "", "");

// The ns-3 tools' files (model/ns3/ns3-visual-output.h).
void
AddVisualOptions(CLI::App& run, RunArgs& a)
{
    CLI::Option* netanim =
        run.add_option("--netanim", a.netanim,
                       "Write a NetAnim XML animation (ns-3 engine): node positions and mobility "
                       "(wired nodes placed on a circle). Default: none")
            ->type_name("PATH");
    run.add_option("--netanim-packets", a.netanimPackets,
                   "Also log packets in the NetAnim file from FROM to TO simulated seconds; the "
                   "animation then starts at FROM. Default: no packets")
        ->needs(netanim)
        ->type_name("FROM:TO");
    run.add_option("--netanim-packets-max", a.netanimPacketsMax,
                   "Stop logging packets after N records (about 100 bytes each; counted every "
                   "10 ms of simulated time)")
        ->needs(netanim)
        ->check(kNonNegativeInteger)
        ->capture_default_str()
        ->type_name("N");
    run.add_option("--flowmon", a.flowmon,
                   "Write ns-3 FlowMonitor statistics per IPv4 flow (XML; analysis.report reads "
                   "it) (ns-3 engine). Default: none")
        ->type_name("PATH");
}

void
AddRunOptions(CLI::App& run, RunArgs& a)
{
    run.add_option("scenario", a.scenario,
                   "The scenario file (YAML; its keys are documented at the top of "
                   "model/run/scenario-config.h)")
        ->required()
        ->type_name("SCENARIO.yaml");
    run.add_option("--engine", a.engine,
                   "Network model: ns3 (every message over TCP on ns-3 devices) or abstract "
                   "(whole messages over per-link latency and bandwidth queues; wired only). "
                   "Default: the scenario's engine key, else ns3")
        ->check(CLI::IsMember({"ns3", "abstract"}).description(""))
        ->type_name("ns3|abstract");
    run.add_option("--seed", a.seed,
                   "The run's seed: the same seed and scenario give the same trace. Default: the "
                   "scenario's seed key, else 1")
        ->check(kNonNegativeInteger)
        ->type_name("N");
    run.add_option("--out", a.out,
                   "Where the HDF5 trace goes (written as PATH.partial, renamed when whole). "
                   "Default: out/<scenario file name>.h5")
        ->type_name("PATH");
    run.add_option("--duration", a.duration,
                   "Simulated seconds. Default: the scenario's duration_s")
        ->check(kPositiveSeconds)
        ->type_name("SECONDS");
    run.add_flag("--quiet", a.quiet,
                 "No progress line on stderr. Default: a progress line (simulated time, wall "
                 "time, events per second, ETA)");
    run.add_option("--summary-json", a.summaryJson,
                   "Also write the summary as JSON (keys in scenarios/run-summary-json.h). "
                   "Default: none")
        ->type_name("PATH");
    AddVisualOptions(run, a);
}

int
CommandLineError(const std::string& why)
{
    std::fprintf(stderr, "canonsim: %s\nRun with --help for more information.\n", why.c_str());
    return 2;
}

// "12.5:20" -> [12.5, 20); false unless 0 <= FROM < TO.
bool
ParseWindow(const std::string& text, double& from, double& to)
{
    const std::size_t colon = text.find(':');
    if (colon == std::string::npos)
    {
        return false;
    }
    char* end = nullptr;
    const std::string a = text.substr(0, colon), b = text.substr(colon + 1);
    from = std::strtod(a.c_str(), &end);
    const bool fromOk = !a.empty() && *end == '\0';
    to = std::strtod(b.c_str(), &end);
    const bool toOk = !b.empty() && *end == '\0';
    return fromOk && toOk && from >= 0 && to > from;
}

// The command line's overrides on top of the scenario file, and the run's options.
int
Configure(const CLI::App& run, const RunArgs& a, canon::ScenarioConfig& config,
          canon::RunOptions& options)
{
    if (run.count("--engine"))
    {
        config.engine = *canon::ParseName<canon::EngineKind>(a.engine);
    }
    if (run.count("--seed"))
    {
        config.seed = a.seed;
    }
    if (run.count("--duration"))
    {
        config.durationSeconds = a.duration;
    }
    options.outPath =
        a.out.empty() ? "out/" + std::filesystem::path(a.scenario).stem().string() + ".h5" : a.out;
    options.progress = !a.quiet;
    options.visual.netanimPath = a.netanim;
    options.visual.flowmonPath = a.flowmon;
    options.visual.packetsMax = a.netanimPacketsMax;
    if (!a.netanimPackets.empty() &&
        !ParseWindow(a.netanimPackets, options.visual.packetsFrom, options.visual.packetsTo))
    {
        return CommandLineError("--netanim-packets needs FROM:TO in seconds with 0 <= FROM < TO, "
                                "got '" +
                                a.netanimPackets + "'");
    }
    canon::Status fits = canon::CheckRunOptions(config, options);
    return fits.IsOk() ? 0 : CommandLineError(fits.Message());
}

// `canonsim run`: load, override, validate, run, print.
int
Run(const CLI::App& run, const RunArgs& a)
{
    auto loaded = canon::LoadScenario(a.scenario);
    if (!loaded.IsOk())
    {
        std::fprintf(stderr, "canonsim: %s\n", loaded.GetStatus().Message().c_str());
        return 2;
    }
    canon::ScenarioConfig config = std::move(loaded).Value();
    canon::RunOptions options;
    if (const int bad = Configure(run, a, config, options))
    {
        return bad;
    }
    canon::Status valid = canon::ValidateScenario(config);
    if (!valid.IsOk())
    {
        std::fprintf(stderr, "canonsim: %s: %s\n", a.scenario.c_str(), valid.Message().c_str());
        return 2;
    }
    std::printf("CanonSim: %s (seed %llu, %.0f s simulated, engine %s)\n", a.scenario.c_str(),
                static_cast<unsigned long long>(config.seed), config.durationSeconds,
                canon::Name(config.engine));
    std::fflush(stdout);
    options.stopOnSignal = true;
    canon::InstallStopSignals();
    auto result = canon::RunScenario(config, options);
    if (!result.IsOk())
    {
        // One line, whatever the library's message holds (HDF5's write errors span two).
        std::string why = result.GetStatus().Message();
        std::replace(why.begin(), why.end(), '\n', ' ');
        std::fprintf(stderr, "canonsim: %s\n", why.c_str());
        std::fflush(stdout);
        std::fflush(stderr);
        // Without exit handlers: after a trace whose close failed (a full disk, a file-size
        // limit), HDF5's own exit handler crashes closing it again. Nothing is left to clean:
        // the trace stays a .partial and an earlier file at its path is untouched.
        _exit(1);
    }
    std::printf("%s", canon::FormatRunSummary(result.Value()).c_str());
    if (!a.summaryJson.empty())
    {
        canon::Status written = canon::WriteRunSummaryJson(result.Value(), a.summaryJson);
        if (!written.IsOk())
        {
            std::fprintf(stderr, "canonsim: %s\n", written.Message().c_str());
            return 1;
        }
    }
    if (result.Value().interrupted)
    {
        // 128 + the signal, as a shell reports a process the signal ended.
        std::printf("interrupted               by signal %d at %.1f of %.0f simulated s; the "
                    "trace holds what ran\n",
                    canon::StopSignal(), result.Value().reachedSeconds, config.durationSeconds);
        return 128 + canon::StopSignal();
    }
    return result.Value().summary.Safe() ? 0 : 1;
}

// `canonsim audit`: 0 the store matches the chain, 1 naming the first batch that does not, 2 bad
// input.
int
Audit(const std::string& db, const std::string& chainPath)
{
    auto chain = canon::ReadKvChainFile(chainPath);
    if (!chain.IsOk())
    {
        return CommandLineError(chain.GetStatus().Message());
    }
    auto report = canon::AuditKvStore(db, chain.Value());
    if (!report.IsOk())
    {
        return CommandLineError(report.GetStatus().Message());
    }
    const canon::KvAuditReport& r = report.Value();
    if (r.ok)
    {
        std::printf("ok: %llu batches match the chain\n",
                    static_cast<unsigned long long>(r.batchesChecked));
        return 0;
    }
    std::printf("batch %llu does not match: %s\n", static_cast<unsigned long long>(r.firstBadBatch),
                r.reason.c_str());
    return 1;
}

// --help and --version print and exit 0; anything else is a bad command line (exit 2).
int
ParseFailure(const CLI::App& app, const CLI::ParseError& e)
{
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success))
    {
        return app.exit(e);
    }
    return CommandLineError(e.what());
}

} // namespace

int
main(int argc, char** argv)
{
    CLI::App app{"CanonSim: the CanonChain protocol stack over simulated networks (ns-3 or the "
                 "abstract engine), with CZR measurement in the loop.",
                 "canonsim"};
    app.set_version_flag("--version", canon::VersionText(),
                         "Print the code, ns-3 and trace schema versions and exit");
    app.require_subcommand(1, 1);
    app.footer("Exit codes: 0 done (and safe); 1 the run failed or a safety check was violated; "
               "2 bad command line or scenario file.");
    RunArgs runArgs;
    CLI::App* run = app.add_subcommand("run", "Run a scenario file; write its trace and print "
                                              "the summary");
    AddRunOptions(*run, runArgs);
    std::string tracePath;
    CLI::App* inspect = app.add_subcommand(
        "inspect", "Check a trace against the schema; print its attributes and record counts");
    inspect->add_option("trace", tracePath, "The trace file")->required()->type_name("TRACE.h5");
    CLI::App* sweep = app.add_subcommand(
        "sweep", "Run a parameter sweep on Dask (python3 -m analysis.sweep; its own --help "
                 "lists the options)");
    sweep->prefix_command();
    sweep->set_help_flag();
    std::string auditDb, auditChain;
    CLI::App* audit = app.add_subcommand(
        "audit", "Check an audited key-value store's batches against the hashes the chain holds; "
                 "name the first that does not match (exit 1)");
    audit->add_option("--db", auditDb, "The store's LevelDB directory")
        ->required()
        ->type_name("DIR");
    audit
        ->add_option("--chain", auditChain,
                     "The chain's batch hashes: the store id, then 'sequence,hash' lines "
                     "(model/storage/kv/kv-audit-file.h)")
        ->required()
        ->type_name("FILE");
    try
    {
        app.parse(argc, argv);
    }
    catch (const CLI::ParseError& e)
    {
        return ParseFailure(app, e);
    }
    if (*inspect)
    {
        return Inspect(tracePath);
    }
    if (*sweep)
    {
        return Sweep(sweep->remaining());
    }
    if (*audit)
    {
        return Audit(auditDb, auditChain);
    }
    return Run(*run, runArgs);
}
