#include "model/storage/kv/kv-audit-file.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>

namespace canon
{

namespace
{

Result<Hash256>
ParseHash(const std::string& hex)
{
    Hash256 h{};
    if (hex.size() != 64)
    {
        return Status::Malformed("a hash is 64 hex digits, got " + std::to_string(hex.size()) +
                                 " characters");
    }
    for (std::size_t i = 0; i < 64; ++i)
    {
        const auto c = static_cast<unsigned char>(hex[i]);
        if (!std::isxdigit(c))
        {
            return Status::Malformed(std::string("'") + hex[i] + "' is not a hex digit");
        }
        const int v = std::isdigit(c) ? c - '0' : std::tolower(c) - 'a' + 10;
        h[i / 2] = static_cast<uint8_t>(i % 2 == 0 ? v << 4 : h[i / 2] | v);
    }
    return h;
}

Result<uint64_t>
ParseSequence(const std::string& s)
{
    if (s.empty() || s.size() > 19 ||
        !std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    {
        return Status::Malformed("sequence '" + s + "' is not a positive integer");
    }
    const uint64_t v = std::stoull(s);
    if (v == 0)
    {
        return Status::Malformed("sequence 0: batches count from 1");
    }
    return v;
}

} // namespace

Result<KvChainFile>
ReadKvChainFile(const std::string& path)
{
    std::ifstream in(path);
    std::string line;
    if (!in || !std::getline(in, line))
    {
        return Status::Invalid(path + ": cannot read the store id (line 1)");
    }
    auto id = ParseHash(line);
    if (!id.IsOk())
    {
        return Status::Malformed(path + ":1: store id: " + id.GetStatus().Message());
    }
    KvChainFile file;
    file.storeId = id.Value();
    for (int n = 2; std::getline(in, line); ++n)
    {
        const std::string where = path + ":" + std::to_string(n) + ": ";
        const auto comma = line.find(',');
        if (comma == std::string::npos)
        {
            return Status::Malformed(where + "expected 'sequence,hash', got '" + line + "'");
        }
        auto seq = ParseSequence(line.substr(0, comma));
        auto hash = ParseHash(line.substr(comma + 1));
        if (!seq.IsOk() || !hash.IsOk())
        {
            return Status::Malformed(where +
                                     (seq.IsOk() ? hash.GetStatus() : seq.GetStatus()).Message());
        }
        if (!file.batches.emplace(seq.Value(), hash.Value()).second)
        {
            return Status::Malformed(where + "sequence " + std::to_string(seq.Value()) +
                                     " given twice");
        }
    }
    return file;
}

Status
WriteKvChainFile(const std::string& path, const KvChainFile& file)
{
    std::ofstream out(path);
    out << ToHex(file.storeId) << "\n";
    for (const auto& [seq, hash] : file.batches)
    {
        out << seq << "," << ToHex(hash) << "\n";
    }
    out.close();
    return out ? Status::Ok() : Status::Invalid("cannot write " + path);
}

Result<KvAuditReport>
AuditKvStore(const std::string& dir, const KvChainFile& chain)
{
    if (!std::filesystem::is_directory(dir))
    {
        return Status::Invalid(dir + ": no such store (a LevelDB directory)");
    }
    auto store = AuditedKvStore::Open(dir, chain.storeId);
    if (!store.IsOk())
    {
        return store.GetStatus();
    }
    return store.Value()->Audit(
        [&chain](uint64_t seq) -> std::optional<Hash256>
        {
            auto it = chain.batches.find(seq);
            return it == chain.batches.end() ? std::nullopt : std::optional<Hash256>(it->second);
        });
}

} // namespace canon
