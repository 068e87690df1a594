// The process's peak resident memory (Linux /proc): what a run's summary reports, so a researcher
// sees on every run what its size costs. ResetPeakResident() asks the kernel to restart the
// high-water mark (writing 5 to /proc/self/clear_refs, Linux 4.0 and later), so that a process
// running several scenarios one after another (tests, the Python module) reports each run's own
// peak; where that is refused the figure is the process's peak so far.
#ifndef CANONSIM_SCENARIOS_PROCESS_MEMORY_H
#define CANONSIM_SCENARIOS_PROCESS_MEMORY_H

#include <cstdint>

namespace canon
{

void ResetPeakResident();
// Peak resident set size in bytes (VmHWM); 0 when /proc cannot be read.
uint64_t PeakResidentBytes();

} // namespace canon

#endif
