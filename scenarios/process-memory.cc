#include "scenarios/process-memory.h"

#include <cstdio>
#include <cstring>

namespace canon
{

void
ResetPeakResident()
{
    if (std::FILE* f = std::fopen("/proc/self/clear_refs", "w"))
    {
        std::fputs("5", f);
        std::fclose(f);
    }
}

uint64_t
PeakResidentBytes()
{
    std::FILE* f = std::fopen("/proc/self/status", "r");
    if (!f)
    {
        return 0;
    }
    char line[256];
    unsigned long long kib = 0;
    while (std::fgets(line, sizeof line, f))
    {
        if (std::strncmp(line, "VmHWM:", 6) == 0)
        {
            std::sscanf(line + 6, "%llu", &kib);
            break;
        }
    }
    std::fclose(f);
    return static_cast<uint64_t>(kib) * 1024;
}

} // namespace canon
