// libFuzzer target for the scenario file parser: any text must give a config or an error
// naming the file, never a crash or an exception.
#include "scenarios/scenario-config.h"

#include <string>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    auto r = canon::ParseScenario(text, "fuzz.yaml");
    if (!r.IsOk() && r.GetStatus().Message().rfind("fuzz.yaml", 0) != 0)
    {
        __builtin_trap(); // every error names the file first
    }
    return 0;
}
