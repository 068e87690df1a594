// TraceWriter: writes one run's records to an HDF5 trace file in the schema of trace-records.h
// (DESIGN.md 4.10). One writer owns one file; it is not thread-safe.
//
// What always holds:
//  - The writer works in "<path>.partial" and renames it to <path> only when Finish succeeds, so
//    a file at <path> is always a complete trace. A writer destroyed without Finish (or whose
//    Finish failed) closes its HDF5 handles and leaves only the .partial file; an older file at
//    <path> stays untouched until a Finish succeeds and replaces it.
//  - Records are buffered per dataset and appended when a buffer holds batchRecords records, so
//    memory stays bounded by one batch of records per dataset (13 * batchRecords records).
//  - Every HDF5 or file-system failure becomes a Status naming the file and the operation; none
//    aborts the run. Add cannot report, so the first failure while appending is kept and
//    returned by Finish (later records are then dropped, and the .partial file stays).
#ifndef CANONSIM_TRACE_TRACE_WRITER_H
#define CANONSIM_TRACE_TRACE_WRITER_H

#include "model/core/status.h"
#include "model/trace/trace-records.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace canon
{

// The root attributes of a trace besides schema_version (trace-records.h).
struct TraceMetadata
{
    uint64_t seed = 0;
    std::string scenario;     // the scenario file's text
    std::string scenarioPath; // where it was read from
    std::string codeVersion;  // git describe at build time
    std::string ns3Version;
    double durationSeconds = 0;
    uint32_t nodes = 0;
    uint32_t producers = 0;
    double slotSeconds = 0;
    std::string engine; // "ns3" | "abstract"
    // String attributes "consensus.protocol" and the protocol's parameters under their scenario
    // keys ("consensus.pow.mean_interval_s"), in order (issue 14).
    std::vector<std::pair<std::string, std::string>> consensus;
};

class TraceWriter
{
  public:
    // Creates "<path>.partial" (replacing any old one), writes the root attributes and the
    // empty datasets. batchRecords must be at least 1.
    static Result<std::unique_ptr<TraceWriter>>
    Create(const std::string& path, const TraceMetadata& meta, uint32_t batchRecords);
    ~TraceWriter();
    TraceWriter(const TraceWriter&) = delete;
    TraceWriter& operator=(const TraceWriter&) = delete;

    // Buffer one record for its dataset. Must not be called after Finish. Defined for every type
    // of trace_hdf5::RecordTypes (trace-hdf5.h), the one list of datasets.
    template <typename Record>
    void Add(const Record& record);

    // Appends what is buffered, closes the file and renames "<path>.partial" to <path>. Returns
    // the first error met since Create, if any (then no file is made at <path>). Call once.
    Status Finish();

    // The final path given to Create.
    const std::string& Path() const;

  private:
    struct Impl;
    explicit TraceWriter(std::unique_ptr<Impl> impl);

    std::unique_ptr<Impl> m_impl;
};

} // namespace canon

#endif
