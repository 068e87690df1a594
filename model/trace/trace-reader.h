// Reading a trace back: the root attributes and every dataset of the schema (trace-records.h),
// checked as they are read, for `canonsim inspect` and for anyone who wants a trace's contents
// in C++.
//
// The contract: any file, however damaged (truncated, bytes flipped, datasets missing or of the
// wrong shape, values out of range), gives a Status that names the file and what is wrong, never
// a crash. The libFuzzer target fuzz-trace holds the reader to it. Records are read in bounded
// batches, so a huge dataset costs time, not memory. Reading a ".partial" file is refused: it is
// a run that never finished.
#ifndef CANONSIM_TRACE_TRACE_READER_H
#define CANONSIM_TRACE_TRACE_READER_H

#include "model/core/status.h"
#include "model/trace/trace-writer.h"

#include <cstddef>
#include <string>
#include <vector>

namespace canon
{

struct TraceDatasetSummary
{
    std::string name;
    uint64_t records = 0;
};

struct TraceContents
{
    int32_t schemaVersion = 0;
    TraceMetadata meta;
    std::vector<TraceDatasetSummary> datasets; // in schema order
};

// Reads and checks the trace at `path`.
Result<TraceContents> ReadTrace(const std::string& path);
// The same from an HDF5 file image in memory; `name` stands for the file in errors.
Result<TraceContents> ReadTraceImage(const void* data, std::size_t size, const std::string& name);

} // namespace canon

#endif
