// Helpers the ns-3 test programs share: a temporary path per test file name, and the raw
// bytes of one trace dataset, for exact comparisons between runs (determinism tests).
#ifndef CANONSIM_TESTS_NS3_TRACE_BYTES_H
#define CANONSIM_TESTS_NS3_TRACE_BYTES_H

#include <gtest/gtest.h>
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

namespace canon::test
{

inline std::string
TempPath(const std::string& name)
{
    return ::testing::TempDir() + "canonsim-" + name;
}

inline std::vector<uint8_t>
ReadDataset(const std::string& path, const char* name)
{
    hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    EXPECT_GE(file, 0) << path;
    hid_t ds = H5Dopen2(file, name, H5P_DEFAULT);
    hid_t type = H5Dget_type(ds);
    hid_t space = H5Dget_space(ds);
    const auto count = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
    std::vector<uint8_t> bytes(count * H5Tget_size(type));
    if (count > 0)
    {
        H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data());
    }
    H5Sclose(space);
    H5Tclose(type);
    H5Dclose(ds);
    H5Fclose(file);
    return bytes;
}

} // namespace canon::test

#endif
