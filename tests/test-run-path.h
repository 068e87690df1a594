// A trace path for a run inside a test: unique to the test and the process, so tests that ctest
// runs in parallel never write, rename or remove each other's files.
#ifndef CANONSIM_TESTS_TEST_RUN_PATH_H
#define CANONSIM_TESTS_TEST_RUN_PATH_H

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <system_error>
#include <utility>

#include <unistd.h>

namespace canon
{

// Removes the process's test folder at exit when every test passed; after a failure the traces
// stay for a look (the failing test's output names the path).
class TestRunFolder
{
  public:
    explicit TestRunFolder(std::filesystem::path dir)
      : m_dir(std::move(dir))
    {
        std::filesystem::create_directories(m_dir);
    }

    ~TestRunFolder()
    {
        std::error_code ignored;
        if (::testing::UnitTest::GetInstance()->Passed())
        {
            std::filesystem::remove_all(m_dir, ignored);
        }
    }

    TestRunFolder(const TestRunFolder&) = delete;
    TestRunFolder& operator=(const TestRunFolder&) = delete;

    const std::filesystem::path& Dir() const { return m_dir; }

  private:
    std::filesystem::path m_dir;
};

// TMPDIR/canonsim-test-PID/SUITE.TEST-NAME.h5; the folder is made if missing.
inline std::string
TestRunPath(const std::string& name)
{
    static const TestRunFolder folder(
        std::filesystem::temp_directory_path() /
        ("canonsim-test-" + std::to_string(static_cast<long>(::getpid()))));
    const std::filesystem::path& dir = folder.Dir();
    std::filesystem::create_directories(dir);
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string test =
        info ? std::string(info->test_suite_name()) + "." + info->name() + "-" : std::string();
    return (dir / (test + name + ".h5")).string();
}

} // namespace canon

#endif
