// A trace path for a run inside a test: unique to the test and the process, so tests that ctest
// runs in parallel never write, rename or remove each other's files.
#ifndef CANONSIM_TESTS_TEST_RUN_PATH_H
#define CANONSIM_TESTS_TEST_RUN_PATH_H

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <unistd.h>

namespace canon
{

// TMPDIR/canonsim-test-PID/SUITE.TEST-NAME.h5; the folder is made if missing.
inline std::string
TestRunPath(const std::string& name)
{
    const auto dir = std::filesystem::temp_directory_path() /
                     ("canonsim-test-" + std::to_string(static_cast<long>(::getpid())));
    std::filesystem::create_directories(dir);
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string test =
        info ? std::string(info->test_suite_name()) + "." + info->name() + "-" : std::string();
    return (dir / (test + name + ".h5")).string();
}

} // namespace canon

#endif
