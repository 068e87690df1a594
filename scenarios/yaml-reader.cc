// YamlReader (yaml-reader.h): the non-template reads.
#include "scenarios/yaml-reader.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace canon
{
namespace
{

// Whole numbers written as doubles (1e6) are accepted up to here: beyond it a double no longer
// holds every integer exactly.
constexpr double kExactIntegerMax = 9007199254740992.0; // 2^53

// Times become nanoseconds; beyond this many (about 291 years) they would not fit the 64-bit
// clock.
constexpr double kTimeNsMax = 9.2e18;

// Locale-independent; accepts a leading '+' as YAML does.
std::optional<double>
ParseDouble(const std::string& text)
{
    const char* first = text.data() + (text.size() > 1 && text[0] == '+' ? 1 : 0);
    const char* last = text.data() + text.size();
    double value = 0.0;
    auto res = std::from_chars(first, last, value);
    if (res.ec != std::errc() || res.ptr != last || first == last)
    {
        return std::nullopt;
    }
    return value;
}

// Plain digits (and a leading '+'): the value, or nullopt with `tooBig` set when it does not
// fit 64 bits; nullopt alone when the text is not plain digits.
std::optional<uint64_t>
ParseDigits(const std::string& text, bool& tooBig)
{
    uint64_t value = 0;
    const char* first = text.data() + (text.size() > 1 && text[0] == '+' ? 1 : 0);
    const char* last = text.data() + text.size();
    auto res = std::from_chars(first, last, value);
    tooBig = res.ec == std::errc::result_out_of_range && res.ptr == last;
    if (res.ec != std::errc() || res.ptr != last)
    {
        return std::nullopt;
    }
    return value;
}

} // namespace

int
LineOf(const YAML::Node& node)
{
    return node.Mark().is_null() ? 0 : node.Mark().line + 1;
}

std::string
Describe(const YAML::Node& node)
{
    switch (node.Type())
    {
        case YAML::NodeType::Scalar:
            return "'" + node.Scalar() + "'";
        case YAML::NodeType::Sequence:
            return "a list";
        case YAML::NodeType::Map:
            return "a mapping";
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined:
            return "nothing";
    }
    return "nothing";
}

std::string
JoinNames(const std::vector<std::string>& names)
{
    std::string out;
    for (const auto& name : names)
    {
        out += (out.empty() ? "" : ", ") + name;
    }
    return out;
}

std::string
FormatReal(double value)
{
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof(buf), value);
    return std::string(buf, res.ptr);
}

YamlReader::YamlReader(std::string path)
  : m_path(std::move(path))
{
}

std::string
YamlReader::Prefix(int line) const
{
    return m_path + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": ";
}

Status
YamlReader::Error(int line, const std::string& key, const std::string& what) const
{
    return Status::Malformed(Prefix(line) + key + ": " + what);
}

Status
YamlReader::Invalid(int line, const std::string& key, const std::string& what) const
{
    return Status::Invalid(Prefix(line) + key + ": " + what);
}

int
YamlReader::LineFor(const std::vector<std::string>& keys) const
{
    for (const auto& key : keys)
    {
        auto it = m_lines.find(key);
        if (it != m_lines.end())
        {
            return it->second;
        }
    }
    std::string key = keys.empty() ? "" : keys.front();
    for (auto cut = key.find_last_of(".["); cut != std::string::npos; cut = key.find_last_of(".["))
    {
        key.resize(cut);
        auto it = m_lines.find(key);
        if (it != m_lines.end())
        {
            return it->second;
        }
    }
    return 0;
}

Status
YamlReader::ReadMapping(const YAML::Node& node, const std::string& prefix, int line,
                        const std::vector<Field>& fields)
{
    if (node.IsNull())
    {
        return Status::Ok();
    }
    if (!node.IsMap())
    {
        return Error(line, prefix, "expected a mapping of keys, got " + Describe(node));
    }
    for (auto it = node.begin(); it != node.end(); ++it)
    {
        auto status = ReadEntry(it->first, it->second, prefix, fields);
        if (!status.IsOk())
        {
            return status;
        }
    }
    return CheckRequired(prefix, line, fields);
}

Status
YamlReader::CheckRequired(const std::string& prefix, int line,
                          const std::vector<Field>& fields) const
{
    for (const Field& f : fields)
    {
        const std::string key = (prefix.empty() ? "" : prefix + ".") + f.name;
        if (f.required && !Wrote(key))
        {
            return Error(line, key, "required");
        }
    }
    return Status::Ok();
}

Status
YamlReader::ReadEntry(const YAML::Node& keyNode, const YAML::Node& value, const std::string& prefix,
                      const std::vector<Field>& fields)
{
    const int line = LineOf(keyNode);
    if (!keyNode.IsScalar())
    {
        return Error(line, prefix.empty() ? "(top level)" : prefix,
                     "keys must be plain names, got " + Describe(keyNode));
    }
    const std::string key = (prefix.empty() ? "" : prefix + ".") + keyNode.Scalar();
    const Field* field = nullptr;
    std::vector<std::string> known;
    for (const auto& f : fields)
    {
        known.push_back(f.name);
        field = f.name == keyNode.Scalar() ? &f : field;
    }
    if (field == nullptr)
    {
        return Error(line, key, "unknown key (known: " + JoinNames(known) + ")");
    }
    if (auto seen = m_lines.find(key); seen != m_lines.end())
    {
        return Error(line, key,
                     "repeated key (first given at line " + std::to_string(seen->second) + ")");
    }
    m_lines[key] = line;
    return field->read(value, key, line);
}

Status
YamlReader::ForEachElement(const YAML::Node& v, const std::string& key, int line,
                           const ElementReader& element)
{
    if (!v.IsSequence())
    {
        return Error(line, key, "expected a list, got " + Describe(v));
    }
    for (size_t i = 0; i < v.size(); ++i)
    {
        const std::string itemKey = key + "[" + std::to_string(i) + "]";
        const int itemLine = LineOf(v[i]) > 0 ? LineOf(v[i]) : line;
        m_lines[itemKey] = itemLine;
        auto status = element(v[i], i, itemKey, itemLine);
        if (!status.IsOk())
        {
            return status;
        }
    }
    return Status::Ok();
}

FieldReader
YamlReader::Number(double& out)
{
    return [&out, this](const YAML::Node& v, const std::string& key, int line)
    { return ReadNumber(v, key, line, out); };
}

FieldReader
YamlReader::Bool(bool& out)
{
    return [&out, this](const YAML::Node& v, const std::string& key, int line)
    {
        if (!v.IsScalar() || (v.Scalar() != "true" && v.Scalar() != "false"))
        {
            return Error(line, key, "expected true or false, got " + Describe(v));
        }
        out = v.Scalar() == "true";
        return Status::Ok();
    };
}

FieldReader
YamlReader::String(std::string& out)
{
    return [&out, this](const YAML::Node& v, const std::string& key, int line)
    {
        if (!v.IsScalar())
        {
            return Error(line, key, "expected a string, got " + Describe(v));
        }
        out = v.Scalar();
        return Status::Ok();
    };
}

FieldReader
YamlReader::Time(TimeNs& out, TimeNs unit)
{
    return [&out, unit, this](const YAML::Node& v, const std::string& key, int line)
    {
        double value = 0.0;
        auto status = ReadNumber(v, key, line, value);
        const double limit = kTimeNsMax / static_cast<double>(unit);
        if (status.IsOk() && !(std::fabs(value) <= limit))
        {
            return Error(line, key,
                         "must be between -" + FormatReal(limit) + " and " + FormatReal(limit) +
                             ", got " + v.Scalar());
        }
        out = status.IsOk() ? std::llround(value * static_cast<double>(unit)) : out;
        return status;
    };
}

FieldReader
YamlReader::Numbers(std::vector<double*> targets, std::string shape, std::string oneElement)
{
    return
        [targets = std::move(targets), shape = std::move(shape), oneElement = std::move(oneElement),
         this](const YAML::Node& v, const std::string& key, int line)
    {
        if (!v.IsSequence() || v.size() != targets.size())
        {
            const std::string got = !v.IsSequence() ? Describe(v)
                                    : v.size() == 1 ? oneElement
                                                    : std::to_string(v.size()) + " elements";
            return Error(line, key, "expected a list of " + shape + ", got " + got);
        }
        std::vector<double> values(targets.size());
        auto status = ForEachElement(
            v, key, line,
            [&](const YAML::Node& item, size_t i, const std::string& itemKey, int itemLine)
            { return ReadNumber(item, itemKey, itemLine, values[i]); });
        for (size_t i = 0; status.IsOk() && i < targets.size(); ++i)
        {
            *targets[i] = values[i];
        }
        return status;
    };
}

Status
YamlReader::ReadNumber(const YAML::Node& v, const std::string& key, int line, double& out) const
{
    auto parsed = v.IsScalar() ? ParseDouble(v.Scalar()) : std::nullopt;
    if (!parsed)
    {
        return Error(line, key, "expected a number, got " + Describe(v));
    }
    if (!std::isfinite(*parsed))
    {
        return Error(line, key, "expected a finite number, got " + Describe(v));
    }
    out = *parsed;
    return Status::Ok();
}

// Plain digits, or a number written another way (1e6, 12.0) that is whole, not negative and
// exact in a double; at most `max`.
Status
YamlReader::ReadWhole(const YAML::Node& v, const std::string& key, int line, uint64_t max,
                      uint64_t& out) const
{
    const std::string whole = "expected a whole number, got " + Describe(v);
    if (!v.IsScalar())
    {
        return Error(line, key, whole);
    }
    const std::string& text = v.Scalar();
    const std::string tooBigText = "must be at most " + std::to_string(max) + ", got " + text;
    bool tooBig = false;
    std::optional<uint64_t> value = ParseDigits(text, tooBig);
    if (!value && !tooBig)
    {
        auto parsed = ParseDouble(text);
        if (!parsed || !std::isfinite(*parsed))
        {
            return Error(line, key, whole);
        }
        if (*parsed < 0.0)
        {
            return Error(line, key, "must not be negative, got " + text);
        }
        if (std::floor(*parsed) != *parsed)
        {
            return Error(line, key, whole);
        }
        tooBig = *parsed > kExactIntegerMax;
        value = tooBig ? std::nullopt : std::optional<uint64_t>(static_cast<uint64_t>(*parsed));
    }
    if (tooBig || *value > max)
    {
        return Error(line, key, tooBigText);
    }
    out = *value;
    return Status::Ok();
}

} // namespace canon
