// Simulated time: signed 64-bit nanoseconds, always passed in, never read from a clock
// (DESIGN.md 4.4). 2^63 ns is about 292 years of simulated time.
#ifndef CANONSIM_CORE_TIME_H
#define CANONSIM_CORE_TIME_H

#include <cmath>
#include <cstdint>

namespace canon
{

using TimeNs = int64_t;

constexpr TimeNs kNanosecond = 1;
constexpr TimeNs kMicrosecond = 1000;
constexpr TimeNs kMillisecond = 1000 * kMicrosecond;
constexpr TimeNs kSecond = 1000 * kMillisecond;

constexpr double
ToSeconds(TimeNs t)
{
    return static_cast<double>(t) / static_cast<double>(kSecond);
}

// Seconds (a file's or a distribution's) to the nearest nanosecond. The caller keeps s within
// about +-292 years; scenario files are range-checked when read (scenarios/yaml-reader.h).
inline TimeNs
FromSeconds(double s)
{
    return static_cast<TimeNs>(std::llround(s * static_cast<double>(kSecond)));
}

} // namespace canon

#endif
