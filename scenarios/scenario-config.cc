// Reading a scenario file into a ScenarioConfig (scenario-config.h).
//
// Two passes. The reader (yaml-reader.h) walks the YAML tree in document order against the
// schema (scenario-schema.h), checks every value's type, turns names into enums and seconds
// into nanoseconds, and remembers the line of every key it saw; it writes only the keys
// present, so everything else keeps its member initialiser (model/run/scenario-config.h, the
// one place defaults are written). The rules (scenario-checks.h) then run on the typed config
// (the same checks ValidateScenario runs after command-line overrides) and the reader's key
// lines turn "<key>: <what>" into "<path>:<line>: <key>: <what>".
//
// yaml-cpp reports problems by throwing; every call into it happens inside one try block in
// ParseScenario, so no exception leaves this file.
#include "scenarios/scenario-config.h"

#include "scenarios/scenario-checks.h"
#include "scenarios/scenario-schema.h"
#include "scenarios/yaml-reader.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace canon
{
namespace
{

// The 1-based line of a "---" that starts a second document (after content, or after a first
// "---" that itself followed content or another "---"), or 0 when the text holds one document.
int
SecondDocumentLine(const std::string& text)
{
    bool content = false;
    int line = 0;
    std::size_t start = 0;
    while (start <= text.size())
    {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos)
        {
            end = text.size();
        }
        ++line;
        const std::string l = text.substr(start, end - start);
        const bool separator = l.rfind("---", 0) == 0 &&
                               (l.size() == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\r');
        if (separator && content)
        {
            return line;
        }
        const std::size_t first = l.find_first_not_of(" \t\r");
        if (!separator && first != std::string::npos && l[first] != '#')
        {
            content = true;
        }
        start = end + 1;
    }
    return 0;
}

// A topology file is written relative to the scenario file's folder.
std::string
ResolveAgainst(const std::string& scenarioPath, const std::string& file)
{
    std::filesystem::path p(file);
    if (file.empty() || p.is_absolute())
    {
        return file;
    }
    return (std::filesystem::path(scenarioPath).parent_path() / p).lexically_normal().string();
}

// fees.valuations.file: one non-negative number a line (blank lines and lines starting with '#'
// skipped), at least one.
Status
ReadValuations(FeeValuationsConfig& v)
{
    std::ifstream in(v.file);
    if (!in)
    {
        return Status::Invalid("fees.valuations.file: cannot read '" + v.file + "'");
    }
    std::string line;
    for (int n = 1; std::getline(in, line); ++n)
    {
        if (line.empty() || line[0] == '#')
        {
            continue;
        }
        char* end = nullptr;
        const double x = std::strtod(line.c_str(), &end);
        if (end == line.c_str() || *end != '\0' || !std::isfinite(x) || x < 0)
        {
            return Status::Invalid("fees.valuations.file: " + v.file + ":" + std::to_string(n) +
                                   ": expected a non-negative number, got '" + line + "'");
        }
        v.values.push_back(x);
    }
    if (v.values.empty())
    {
        return Status::Invalid("fees.valuations.file: '" + v.file + "' holds no valuations");
    }
    return Status::Ok();
}

// contracts.file: the contract's Lua code, read whole.
Status
ReadContractCode(ContractsConfig& c)
{
    std::ifstream in(c.file, std::ios::binary);
    if (!in)
    {
        return Status::Invalid("contracts.file: cannot read '" + c.file + "'");
    }
    std::ostringstream text;
    text << in.rdbuf();
    c.code = text.str();
    if (c.code.empty())
    {
        return Status::Invalid("contracts.file: '" + c.file + "' is empty");
    }
    return Status::Ok();
}

// Everything that touches yaml-cpp; may throw.
Result<ScenarioConfig>
ParseDocument(const std::string& text, const std::string& path)
{
    YamlReader reader(path);
    // yaml-cpp 0.7's LoadAll never returns on some inputs (a lone "," is one, found by
    // fuzzing); Load does. A second document is found from its "---" separator instead.
    if (int line = SecondDocumentLine(text); line > 0)
    {
        return Status::Malformed(reader.Prefix(line) + "expected one YAML document, found more");
    }
    const YAML::Node doc = YAML::Load(text);
    if (doc.IsNull())
    {
        return Status::Malformed(path + ": empty scenario file (write {} to take every default)");
    }
    if (!doc.IsMap())
    {
        return Status::Malformed(reader.Prefix(LineOf(doc)) +
                                 "top level must be a mapping of keys, got " + Describe(doc));
    }
    ScenarioConfig config;
    auto status = reader.ReadMapping(doc, "", LineOf(doc), ScenarioFields(reader, config));
    if (!status.IsOk())
    {
        return status;
    }
    config.topology.file = ResolveAgainst(path, config.topology.file);
    config.topology.vehicular.traceFile = ResolveAgainst(path, config.topology.vehicular.traceFile);
    FeeValuationsConfig& values = config.fees.valuations;
    if (config.fees.active && values.distribution == ValuationKind::kFile && !values.file.empty())
    {
        values.file = ResolveAgainst(path, values.file);
        if (Status s = ReadValuations(values); !s.IsOk())
        {
            return Status::Invalid(reader.Prefix(reader.LineFor({"fees.valuations.file", ""})) +
                                   s.Message());
        }
    }
    if (config.contracts.active)
    {
        config.contracts.file = ResolveAgainst(path, config.contracts.file);
        if (Status s = ReadContractCode(config.contracts); !s.IsOk())
        {
            return Status::Invalid(reader.Prefix(reader.LineFor({"contracts.file", ""})) +
                                   s.Message());
        }
    }
    if (auto v = FindViolation(config))
    {
        return Status::Invalid(reader.Prefix(reader.LineFor({v->key, v->relatedKey})) + v->key +
                               ": " + v->what);
    }
    config.sourcePath = path;
    config.sourceText = text;
    return config;
}

} // namespace

Result<ScenarioConfig>
LoadScenario(const std::string& path)
{
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr)
    {
        return Status(StatusCode::kIoError, path + ": cannot read: " + std::strerror(errno));
    }
    std::string text;
    char buf[64 * 1024];
    size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof(buf), file)) > 0)
    {
        text.append(buf, n);
    }
    const int readError = std::ferror(file) ? errno : 0;
    std::fclose(file);
    if (readError != 0)
    {
        return Status(StatusCode::kIoError, path + ": cannot read: " + std::strerror(readError));
    }
    return ParseScenario(text, path);
}

Result<ScenarioConfig>
ParseScenario(const std::string& text, const std::string& path)
{
    try
    {
        return ParseDocument(text, path);
    }
    catch (const YAML::ParserException& e)
    {
        const int line = e.mark.is_null() ? 0 : e.mark.line + 1;
        return Status::Malformed(path + (line > 0 ? ":" + std::to_string(line) : "") + ": " +
                                 e.msg);
    }
    catch (const std::exception& e)
    {
        return Status::Malformed(path + ": cannot parse: " + e.what());
    }
}

Status
ValidateScenario(const ScenarioConfig& config)
{
    if (auto v = FindViolation(config))
    {
        return Status::Invalid(v->key + ": " + v->what);
    }
    return Status::Ok();
}

} // namespace canon
