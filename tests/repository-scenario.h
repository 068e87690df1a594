// Test helper: loads a scenario file shipped in the repository's scenarios/ folder (the target
// defines CANONSIM_SOURCE_DIR), failing the running test with the loader's message if it does
// not load.
#ifndef CANONSIM_TESTS_REPOSITORY_SCENARIO_H
#define CANONSIM_TESTS_REPOSITORY_SCENARIO_H

#include "scenarios/scenario-config.h"

#include <gtest/gtest.h>

#include <string>

namespace canon::test
{

inline ScenarioConfig
LoadRepositoryScenario(const std::string& file)
{
    auto loaded = LoadScenario(std::string(CANONSIM_SOURCE_DIR) + "/scenarios/" + file);
    EXPECT_TRUE(loaded.IsOk()) << loaded.GetStatus().Message();
    return loaded.IsOk() ? loaded.Value() : ScenarioConfig{};
}

} // namespace canon::test

#endif
