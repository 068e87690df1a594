// Test helper for the scenario-file tests: writes a scenario's text to a file of the running
// test's own (under the test temp folder, `suite`/test name/scenario.yaml) and loads it.
#ifndef CANONSIM_TESTS_SCENARIO_SCENARIO_FILE_H
#define CANONSIM_TESTS_SCENARIO_SCENARIO_FILE_H

#include "scenarios/scenario-config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace canon::test
{

struct Loaded
{
    std::string path;
    Result<ScenarioConfig> result;
};

inline Loaded
LoadText(const std::string& suite, const std::string& text)
{
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const auto dir = std::filesystem::path(::testing::TempDir()) / suite / info->name();
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "scenario.yaml").string();
    std::ofstream(path, std::ios::binary) << text;
    return Loaded{path, LoadScenario(path)};
}

} // namespace canon::test

#endif
