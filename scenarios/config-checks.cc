// Range checks (config-checks.h).
#include "scenarios/config-checks.h"

#include "scenarios/yaml-reader.h"

namespace canon
{

Check
FirstOf(std::initializer_list<Check> checks)
{
    for (const Check& check : checks)
    {
        if (check)
        {
            return check;
        }
    }
    return std::nullopt;
}

Shown
Count(uint64_t value)
{
    return {static_cast<double>(value), std::to_string(value)};
}

Shown
Real(double value)
{
    return {value, FormatReal(value)};
}

Shown
NamedCount(const std::string& key, uint64_t value)
{
    return {static_cast<double>(value), key + " (" + std::to_string(value) + ")"};
}

Shown
NamedReal(const std::string& key, double value)
{
    return {value, key + " (" + FormatReal(value) + ")"};
}

Check
Between(const std::string& key, const Shown& got, const Shown& lo, const Shown& hi,
        const std::string& related)
{
    if (got.value >= lo.value && got.value <= hi.value)
    {
        return std::nullopt;
    }
    return Violation{key, "must be between " + lo.text + " and " + hi.text + ", got " + got.text,
                     related};
}

Check
AtLeast(const std::string& key, const Shown& got, const Shown& lo, const std::string& related)
{
    if (got.value >= lo.value)
    {
        return std::nullopt;
    }
    return Violation{key, "must be at least " + lo.text + ", got " + got.text, related};
}

Check
AtLeastBelow(const std::string& key, const Shown& got, const Shown& lo, const Shown& hi,
             const std::string& related)
{
    if (got.value >= lo.value && got.value < hi.value)
    {
        return std::nullopt;
    }
    return Violation{
        key, "must be at least " + lo.text + " and less than " + hi.text + ", got " + got.text,
        related};
}

Check
Positive(const std::string& key, double got, const std::string& related)
{
    if (got > 0.0)
    {
        return std::nullopt;
    }
    return Violation{key, "must be greater than 0, got " + FormatReal(got), related};
}

Check
NotNegative(const std::string& key, double got, const std::string& related)
{
    if (got >= 0.0)
    {
        return std::nullopt;
    }
    return Violation{key, "must not be negative, got " + FormatReal(got), related};
}

Check
PositiveAtMost(const std::string& key, double got, const Shown& hi, const std::string& related)
{
    if (got > 0.0 && got <= hi.value)
    {
        return std::nullopt;
    }
    return Violation{
        key, "must be greater than 0 and at most " + hi.text + ", got " + FormatReal(got), related};
}

Check
PositiveBelow(const std::string& key, double got, const Shown& hi, const std::string& related)
{
    if (got > 0.0 && got < hi.value)
    {
        return std::nullopt;
    }
    return Violation{key,
                     "must be greater than 0 and less than " + hi.text + ", got " + FormatReal(got),
                     related};
}

Check
InInterval(const std::string& key, double got, const Shown& lo, const Shown& hi,
           const std::string& related)
{
    if (got >= lo.value && got <= hi.value)
    {
        return std::nullopt;
    }
    return Violation{key, "must be in [" + lo.text + ", " + hi.text + "], got " + FormatReal(got),
                     related};
}

Check
IndexBelow(const std::string& key, const std::string& noun, uint64_t index, const Shown& bound,
           const std::string& related)
{
    if (static_cast<double>(index) < bound.value)
    {
        return std::nullopt;
    }
    return Violation{
        key, "must be " + noun + " index below " + bound.text + ", got " + std::to_string(index),
        related};
}

} // namespace canon
