// YamlReader: reads a YAML tree into typed fields, for the scenario file (scenario-schema.h)
// and anything else that wants the same errors. Generic: it knows nothing of scenarios.
//
// A mapping is read against a list of Fields (key name, reader); keys not in the list and keys
// given twice are errors. Every value is checked for its type (whole number, number, true/false,
// string, one of a set of names, a time, a list, a mapping) before anything is written, and a
// list is written only when every element is good. The reader remembers the 1-based line of
// every dotted key it saw ("topology.access[1].share"), so a later check on the typed value can
// point at the line (LineFor). Errors read "<path>:<line>: <key>: <what>", with status
// kMalformed for a wrong type or shape (and a time the nanosecond clock cannot hold) and
// kInvalid for a name that is not one of the allowed ones.
//
// yaml-cpp reports problems by throwing; the caller wraps every read in one try block. One
// reader reads one document; it holds references to the fields it writes until it is done.
#ifndef CANONSIM_SCENARIOS_YAML_READER_H
#define CANONSIM_SCENARIOS_YAML_READER_H

#include "model/core/status.h"
#include "model/core/time.h"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace canon
{

// Reads one value into its field; `key` is the dotted name, `line` the key's 1-based line.
using FieldReader =
    std::function<Status(const YAML::Node& value, const std::string& key, int line)>;

// Whether a key must be written (Field::required).
constexpr bool kRequired = true;

struct Field
{
    std::string name;
    FieldReader read;
    bool required = false; // an error when the mapping does not write it
};

// The names of an enum's values, in the order an error lists them.
template <typename E>
using Choices = std::vector<std::pair<std::string, E>>;

// The 1-based line of a node, 0 when yaml-cpp does not know it.
int LineOf(const YAML::Node& node);
// How a value that is not the wanted kind is shown: "'fast'", "a list", "nothing".
std::string Describe(const YAML::Node& node);
// "a, b, c".
std::string JoinNames(const std::vector<std::string>& names);
// Shortest text that reads back as the same double ("0.1", "1e+12").
std::string FormatReal(double value);

class YamlReader
{
  public:
    explicit YamlReader(std::string path);

    // "<path>:<line>: " (or "<path>: " when the line is unknown).
    std::string Prefix(int line) const;
    // A value of the wrong type or shape (kMalformed).
    Status Error(int line, const std::string& key, const std::string& what) const;
    // A well-typed value that is not allowed (kInvalid).
    Status Invalid(int line, const std::string& key, const std::string& what) const;
    // The line of the first of `keys` the file wrote, else that of the nearest enclosing
    // section of the first key that it wrote; 0 when none was written.
    int LineFor(const std::vector<std::string>& keys) const;
    // Whether the file wrote `key` (dotted).
    bool Wrote(const std::string& key) const { return m_lines.count(key) > 0; }

    // Walks a mapping in document order, rejecting unknown and repeated keys and, once it is
    // read, required keys it does not write. A section written with nothing under it
    // ("trace:") keeps all its defaults.
    Status ReadMapping(const YAML::Node& node, const std::string& prefix, int line,
                       const std::vector<Field>& fields);

    // Scalars. Integers are unsigned (scenario counts); 1e6 and +3 are whole numbers.
    template <typename T>
    FieldReader Integer(T& out);
    FieldReader Number(double& out);
    FieldReader Bool(bool& out); // YAML's true and false only (not yes/no/on/off, not 1/0)
    FieldReader String(std::string& out);
    template <typename E>
    FieldReader Choice(E& out, Choices<E> choices);
    // A time the file writes in `unit`s (kSecond, kMillisecond), kept in nanoseconds.
    FieldReader Time(TimeNs& out, TimeNs unit);

    // A nested mapping whose keys are `fields(*this, out)`.
    template <typename T>
    FieldReader Section(T& out, std::vector<Field> (*fields)(YamlReader&, T&));
    // A list; `element(item)` reads one element into a fresh T. `out` changes only if every
    // element is good.
    template <typename T>
    FieldReader List(std::vector<T>& out, std::function<FieldReader(T&)> element);
    // A list of mappings with keys `fields`; an element that is not a mapping is shown the
    // keys ("expected a mapping {a, b}, got '5'").
    template <typename T>
    FieldReader MappingList(std::vector<T>& out, std::vector<Field> (*fields)(YamlReader&, T&));
    template <typename T>
    FieldReader IntegerList(std::vector<T>& out);
    template <typename E>
    FieldReader ChoiceList(std::vector<E>& out, Choices<E> choices);
    // Exactly targets.size() numbers; `shape` names them in errors ("two numbers [min, max]").
    // `oneElement` is how a one-element list is counted in that error.
    FieldReader Numbers(std::vector<double*> targets, std::string shape,
                        std::string oneElement = "1 element");

    Status ReadNumber(const YAML::Node& v, const std::string& key, int line, double& out) const;
    Status ReadWhole(const YAML::Node& v, const std::string& key, int line, uint64_t max,
                     uint64_t& out) const;
    template <typename E>
    Status ReadChoice(const YAML::Node& v, const std::string& key, int line,
                      const Choices<E>& choices, E& out) const;

  private:
    // One element of a list: its dotted key "k[i]" and 1-based line.
    using ElementReader =
        std::function<Status(const YAML::Node&, size_t index, const std::string& key, int line)>;

    Status ForEachElement(const YAML::Node& v, const std::string& key, int line,
                          const ElementReader& element);
    Status CheckRequired(const std::string& prefix, int line,
                         const std::vector<Field>& fields) const;
    Status ReadEntry(const YAML::Node& keyNode, const YAML::Node& value, const std::string& prefix,
                     const std::vector<Field>& fields);

    std::string m_path;
    std::map<std::string, int> m_lines; // dotted key -> 1-based line of the key
};

// ---------------------------------------------------------------------------------------------
// Templates.

template <typename T>
FieldReader
YamlReader::Integer(T& out)
{
    static_assert(std::is_unsigned_v<T>, "scenario counts are unsigned");
    return [&out, this](const YAML::Node& v, const std::string& key, int line)
    {
        uint64_t value = 0;
        auto status = ReadWhole(v, key, line, std::numeric_limits<T>::max(), value);
        out = status.IsOk() ? static_cast<T>(value) : out;
        return status;
    };
}

template <typename E>
FieldReader
YamlReader::Choice(E& out, Choices<E> choices)
{
    return [&out, choices = std::move(choices), this](const YAML::Node& v, const std::string& key,
                                                      int line)
    { return ReadChoice(v, key, line, choices, out); };
}

template <typename E>
Status
YamlReader::ReadChoice(const YAML::Node& v, const std::string& key, int line,
                       const Choices<E>& choices, E& out) const
{
    if (!v.IsScalar())
    {
        return Error(line, key, "expected a string, got " + Describe(v));
    }
    std::vector<std::string> names;
    for (const auto& [name, value] : choices)
    {
        if (name == v.Scalar())
        {
            out = value;
            return Status::Ok();
        }
        names.push_back(name);
    }
    return Invalid(line, key, "must be one of " + JoinNames(names) + "; got '" + v.Scalar() + "'");
}

template <typename T>
FieldReader
YamlReader::Section(T& out, std::vector<Field> (*fields)(YamlReader&, T&))
{
    return [&out, fields, this](const YAML::Node& v, const std::string& key, int line)
    { return ReadMapping(v, key, line, fields(*this, out)); };
}

template <typename T>
FieldReader
YamlReader::List(std::vector<T>& out, std::function<FieldReader(T&)> element)
{
    return [&out, element = std::move(element), this](const YAML::Node& v, const std::string& key,
                                                      int line)
    {
        std::vector<T> items;
        auto status = ForEachElement(
            v, key, line,
            [&](const YAML::Node& item, size_t, const std::string& itemKey, int itemLine)
            {
                items.emplace_back();
                return element(items.back())(item, itemKey, itemLine);
            });
        if (status.IsOk())
        {
            out = std::move(items);
        }
        return status;
    };
}

template <typename T>
FieldReader
YamlReader::MappingList(std::vector<T>& out, std::vector<Field> (*fields)(YamlReader&, T&))
{
    auto element = [fields, this](T& item) -> FieldReader
    {
        return [&item, fields, this](const YAML::Node& v, const std::string& key, int line)
        {
            std::vector<Field> known = fields(*this, item);
            if (!v.IsMap())
            {
                std::vector<std::string> names;
                for (const Field& f : known)
                {
                    names.push_back(f.name);
                }
                return Error(line, key,
                             "expected a mapping {" + JoinNames(names) + "}, got " + Describe(v));
            }
            return ReadMapping(v, key, line, known);
        };
    };
    return List<T>(out, element);
}

template <typename T>
FieldReader
YamlReader::IntegerList(std::vector<T>& out)
{
    return List<T>(out, [this](T& item) { return Integer(item); });
}

template <typename E>
FieldReader
YamlReader::ChoiceList(std::vector<E>& out, Choices<E> choices)
{
    return List<E>(out,
                   [choices = std::move(choices), this](E& item) { return Choice(item, choices); });
}

} // namespace canon

#endif
