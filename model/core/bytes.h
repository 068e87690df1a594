// Byte strings and fixed-size byte arrays used throughout the core, with hex helpers.
#ifndef CANONSIM_CORE_BYTES_H
#define CANONSIM_CORE_BYTES_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace canon
{

using Bytes = std::vector<uint8_t>;

template <std::size_t N>
using FixedBytes = std::array<uint8_t, N>;

std::string ToHex(const uint8_t* data, std::size_t size);

template <std::size_t N>
std::string
ToHex(const FixedBytes<N>& b)
{
    return ToHex(b.data(), N);
}

inline std::string
ToHex(const Bytes& b)
{
    return ToHex(b.data(), b.size());
}

// First 8 hex digits: enough to tell blocks apart in logs and summaries.
template <std::size_t N>
std::string
ShortHex(const FixedBytes<N>& b)
{
    return ToHex(b.data(), N < 4 ? N : 4);
}

} // namespace canon

#endif
