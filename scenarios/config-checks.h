// Range checks on a typed config: one broken rule is a Violation naming its key, and each kind
// of rule ("must be between A and B", "must be at least A", ...) is one helper, so that every
// key of that kind words its error the same way. Used by the scenario checks
// (scenario-checks.h); generic, like the reader (yaml-reader.h).
#ifndef CANONSIM_SCENARIOS_CONFIG_CHECKS_H
#define CANONSIM_SCENARIOS_CONFIG_CHECKS_H

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

namespace canon
{

// One broken rule: the key it is about, what is wrong, and a related key whose line to point at
// when the key itself was not written in the file (producers left at 21 when nodes says 10).
struct Violation
{
    std::string key;
    std::string what;
    std::string relatedKey;
};

using Check = std::optional<Violation>;

// The first of `checks` that found a violation.
Check FirstOf(std::initializer_list<Check> checks);

// A value or a bound as an error shows it: "21", "0.05", "topology.nodes (50)".
struct Shown
{
    double value;
    std::string text;
};

Shown Count(uint64_t value);
Shown Real(double value);
Shown NamedCount(const std::string& key, uint64_t value);
Shown NamedReal(const std::string& key, double value);

// "must be between <lo> and <hi>, got <got>"; inclusive.
Check Between(const std::string& key, const Shown& got, const Shown& lo, const Shown& hi,
              const std::string& related = "");
// "must be at least <lo>, got <got>".
Check AtLeast(const std::string& key, const Shown& got, const Shown& lo,
              const std::string& related = "");
// "must be at least <lo> and less than <hi>, got <got>".
Check AtLeastBelow(const std::string& key, const Shown& got, const Shown& lo, const Shown& hi,
                   const std::string& related = "");
// "must be greater than 0, got <got>".
Check Positive(const std::string& key, double got, const std::string& related = "");
// "must not be negative, got <got>".
Check NotNegative(const std::string& key, double got, const std::string& related = "");
// "must be greater than 0 and at most <hi>, got <got>".
Check PositiveAtMost(const std::string& key, double got, const Shown& hi,
                     const std::string& related = "");
// "must be greater than 0 and less than <hi>, got <got>".
Check PositiveBelow(const std::string& key, double got, const Shown& hi,
                    const std::string& related = "");
// "must be in [<lo>, <hi>], got <got>".
Check InInterval(const std::string& key, double got, const Shown& lo, const Shown& hi,
                 const std::string& related = "");
// "must be <a noun> index below <bound>, got <index>" ("a node", "an account").
Check IndexBelow(const std::string& key, const std::string& noun, uint64_t index,
                 const Shown& bound, const std::string& related = "");

} // namespace canon

#endif
