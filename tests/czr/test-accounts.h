// Test helper for the CZR rule tests: a distinct account for each index (its first four bytes,
// big-endian, so accounts sort as their indices do).
#ifndef CANONSIM_TESTS_CZR_TEST_ACCOUNTS_H
#define CANONSIM_TESTS_CZR_TEST_ACCOUNTS_H

#include "model/core/keys.h"

namespace canon::test
{

inline Address
AccountOf(uint32_t i)
{
    Address a{};
    for (std::size_t b = 0; b < 4; ++b)
    {
        a[b] = static_cast<uint8_t>(i >> (8 * (3 - b)));
    }
    return a;
}

} // namespace canon::test

#endif
