// canonsim-data-storage: one run of the storage scenario (storage-run.h); prints one CSV row
// per put and get (with --header, the header first). With --dedup instead: for a file and an
// edited copy (bytes inserted in the middle), the bytes each chunking stores for the copy.
// scenarios/data/run-storage.py sweeps it and writes the tables in README.md.
//   canonsim-data-storage [--header] [--seed N] [--topology grid|road] [--nodes N]
//                         [--chunking fixed|cdc] [--k N] [--alpha N] [--gets N]
//   canonsim-data-storage --dedup [--seed N]
#include "model/core/rng.h"
#include "scenarios/data/storage-run.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace
{

using namespace canon;

[[noreturn]] void
Usage(const std::string& why)
{
    std::fprintf(stderr,
                 "canonsim-data-storage: %s\nusage: canonsim-data-storage [--header] [--seed N] "
                 "[--topology grid|road] [--nodes N] [--chunking fixed|cdc] [--k N] [--alpha N] "
                 "[--gets N] | --dedup [--seed N]\n",
                 why.c_str());
    std::exit(2);
}

uint64_t
Number(const std::string& flag, const char* text, uint64_t lo, uint64_t hi)
{
    char* end = nullptr;
    const unsigned long long v = std::strtoull(text, &end, 10);
    if (!text[0] || *end || text[0] == '-' || v < lo || v > hi)
    {
        Usage(flag + " needs an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) +
              "], got '" + text + "'");
    }
    return v;
}

ChunkingParams
Chunking(const std::string& name)
{
    ChunkingParams p;
    if (name == "cdc")
    {
        p.mode = ChunkingMode::kContentDefined;
    }
    else if (name != "fixed")
    {
        Usage("--chunking is fixed or cdc, got '" + name + "'");
    }
    return p;
}

void
Dedup(uint64_t seed)
{
    Rng rng = Rng::Derive(seed, "dedup");
    Bytes a(1024 * 1024);
    for (auto& x : a)
    {
        x = static_cast<uint8_t>(rng.Below(256));
    }
    std::printf("seed,chunking,edit,file_bytes,original_stored_bytes,copy_new_bytes\n");
    for (const char* edit : {"insert-7-bytes", "overwrite-7-bytes", "append-4-KiB"})
    {
        Bytes b = a;
        const std::string e = edit;
        if (e == "insert-7-bytes")
        {
            b.insert(b.begin() + 500000, {1, 2, 3, 4, 5, 6, 7});
        }
        else if (e == "overwrite-7-bytes")
        {
            std::fill(b.begin() + 500000, b.begin() + 500007, 0);
        }
        else
        {
            b.insert(b.end(), 4096, 0x55);
        }
        for (const char* mode : {"fixed", "cdc"})
        {
            BlockStore s;
            ImportFile(a, Chunking(mode), s);
            const uint64_t original = s.BytesHeld();
            ImportFile(b, Chunking(mode), s);
            std::printf("%llu,%s,%s,%zu,%llu,%llu\n", static_cast<unsigned long long>(seed), mode,
                        edit, a.size(), static_cast<unsigned long long>(original),
                        static_cast<unsigned long long>(s.BytesHeld() - original));
        }
    }
}

void
PrintRecords(const StorageRunSpec& s, const StorageRunResult& r)
{
    for (std::size_t i = 0; i < r.records.size(); ++i)
    {
        const StorageOpRecord& x = r.records[i];
        std::printf("%llu,%s,%s,%s,%d,%u,%u,%.2f,%llu,%u,%s\n",
                    static_cast<unsigned long long>(s.seed),
                    s.topology == StorageTopology::kGrid ? "grid" : "road",
                    s.chunking.mode == ChunkingMode::kFixed ? "fixed" : "cdc",
                    x.op == StorageOp::kPut ? "put" : "get", x.ok ? 1 : 0, x.lookupHops,
                    r.networkHops[i], 1e3 * ToSeconds(x.latency),
                    static_cast<unsigned long long>(x.bytes), x.blocks, x.reason.c_str());
    }
}

} // namespace

int
main(int argc, char** argv)
{
    StorageRunSpec spec;
    bool dedup = false;
    for (int i = 1; i < argc; ++i)
    {
        const std::string a = argv[i];
        const bool v = i + 1 < argc;
        if (a == "--header")
        {
            std::printf("seed,topology,chunking,op,ok,lookup_hops,network_hops,latency_ms,bytes,"
                        "blocks,reason\n");
        }
        else if (a == "--dedup")
        {
            dedup = true;
        }
        else if (a == "--seed" && v)
        {
            spec.seed = Number(a, argv[++i], 0, UINT64_MAX);
        }
        else if (a == "--topology" && v)
        {
            const std::string t = argv[++i];
            if (t != "grid" && t != "road")
            {
                Usage("--topology is grid or road, got '" + t + "'");
            }
            spec.topology = t == "grid" ? StorageTopology::kGrid : StorageTopology::kRoad;
        }
        else if (a == "--nodes" && v)
        {
            spec.nodes = static_cast<uint32_t>(Number(a, argv[++i], 4, 400));
        }
        else if (a == "--chunking" && v)
        {
            spec.chunking = Chunking(argv[++i]);
        }
        else if (a == "--k" && v)
        {
            spec.k = Number(a, argv[++i], 1, kDhtContactsMax);
        }
        else if (a == "--alpha" && v)
        {
            spec.alpha = Number(a, argv[++i], 1, 16);
        }
        else if (a == "--gets" && v)
        {
            spec.gets = static_cast<uint32_t>(Number(a, argv[++i], 1, 100000));
        }
        else
        {
            Usage("unknown or incomplete argument '" + a + "'");
        }
    }
    if (dedup)
    {
        Dedup(spec.seed);
        return 0;
    }
    PrintRecords(spec, RunStorageScenario(spec));
    return 0;
}
