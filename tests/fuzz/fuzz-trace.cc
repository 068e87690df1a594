// libFuzzer target for the trace reader (model/trace/trace-reader.h), structure-aware: the input
// is a program of edits made through the HDF5 API to a small whole trace held in memory (root
// attributes deleted or rewritten with other types and values, datasets deleted, replaced by
// other shapes and types, or filled with arbitrary records), and the reader must then return the
// trace or an error naming the input, never crash, hang or leak.
//
// Why not raw bytes: libhdf5 1.10 itself hangs and leaks on some corrupt files (a loop in its
// global-heap code was the first thing raw-byte fuzzing found), which no caller can fix. Raw
// corruption is covered by trace-reader tests (truncation, a flipped byte every 97) and, for
// users, by `canonsim inspect` reading in a child process with a time limit.
#include "model/trace/trace-reader.h"
#include "model/trace/trace-writer.h"

#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <string>
#include <vector>

namespace
{

class Input
{
  public:
    Input(const uint8_t* data, std::size_t size)
      : m_data(data)
      , m_size(size)
    {
    }
    bool Empty() const { return m_pos >= m_size; }
    uint8_t Byte() { return m_pos < m_size ? m_data[m_pos++] : 0; }
    uint64_t U64()
    {
        uint64_t v = 0;
        for (int i = 0; i < 8; ++i)
        {
            v = (v << 8) | Byte();
        }
        return v;
    }
    std::string Text(std::size_t max)
    {
        std::string s;
        for (std::size_t n = Byte() % (max + 1); n > 0 && !Empty(); --n)
        {
            s.push_back(static_cast<char>(Byte()));
        }
        return s;
    }

  private:
    const uint8_t* m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
};

const char* const kAttributes[] = {"schema_version", "seed",        "scenario",   "scenario_path",
                                   "code_version",   "ns3_version", "duration_s", "nodes",
                                   "producers",      "slot_s",      "engine"};
const char* const kDatasets[] = {
    "blocks_produced", "block_arrivals", "irreversible", "transactions", "missed_slots",
    "drops",           "czr_scores",     "czr_chain",    "elections",    "election_members",
    "producer_sets",   "czr_links",      "positions"};
const char* const kFields[] = {"time", "node", "producer", "height", "slot", "hash", "x"};

// The seed trace, written once through TraceWriter and kept as a file image.
const std::vector<char>&
SeedImage()
{
    static const std::vector<char> image = []
    {
        const std::string path = "/tmp/canonsim-fuzz-trace-seed.h5";
        canon::TraceMetadata meta;
        meta.seed = 1;
        meta.scenario = "name: seed\n";
        meta.durationSeconds = 10;
        meta.nodes = 3;
        meta.producers = 2;
        meta.slotSeconds = 1;
        auto w = canon::TraceWriter::Create(path, meta, 2);
        for (uint64_t i = 0; i < 3; ++i)
        {
            w.Value()->Add(canon::BlockProducedRecord{1.0 + static_cast<double>(i), 1, 0, i + 1,
                                                      i + 1, i, i, 0, 100});
        }
        (void) w.Value()->Finish();
        hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
        const ssize_t size = H5Fget_file_image(f, nullptr, 0);
        std::vector<char> bytes(static_cast<std::size_t>(size));
        H5Fget_file_image(f, bytes.data(), bytes.size());
        H5Fclose(f);
        std::remove(path.c_str());
        return bytes;
    }();
    return image;
}

void
RewriteAttribute(hid_t f, const char* name, Input& in)
{
    H5Adelete(f, name);
    hsize_t count = 1 + in.Byte() % 3;
    hid_t space = in.Byte() % 4 == 0 ? H5Screate_simple(1, &count, nullptr) : H5Screate(H5S_SCALAR);
    switch (in.Byte() % 4)
    {
        case 0:
        {
            uint64_t v[3] = {in.U64(), in.U64(), in.U64()};
            hid_t a = H5Acreate2(f, name, H5T_STD_U64LE, space, H5P_DEFAULT, H5P_DEFAULT);
            H5Awrite(a, H5T_NATIVE_UINT64, v);
            H5Aclose(a);
            break;
        }
        case 1:
        {
            double v[3];
            for (double& d : v)
            {
                uint64_t bits = in.U64();
                std::memcpy(&d, &bits, sizeof d);
            }
            hid_t a = H5Acreate2(f, name, H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT);
            H5Awrite(a, H5T_NATIVE_DOUBLE, v);
            H5Aclose(a);
            break;
        }
        case 2:
        {
            std::string text = in.Text(64);
            hid_t type = H5Tcopy(H5T_C_S1);
            H5Tset_size(type, text.size() + 1);
            std::vector<char> buf(static_cast<std::size_t>(count) * (text.size() + 1));
            for (hsize_t i = 0; i < count; ++i)
            {
                std::memcpy(buf.data() + i * (text.size() + 1), text.c_str(), text.size() + 1);
            }
            hid_t a = H5Acreate2(f, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
            H5Awrite(a, type, buf.data());
            H5Aclose(a);
            H5Tclose(type);
            break;
        }
        default:
            break; // deleted
    }
    H5Sclose(space);
}

void
ReplaceDataset(hid_t f, const char* name, Input& in)
{
    H5Ldelete(f, name, H5P_DEFAULT);
    if (in.Byte() % 5 == 0)
    {
        H5Gclose(H5Gcreate2(f, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
        return;
    }
    const std::size_t fields = in.Byte() % 5;
    hid_t type = H5Tcreate(H5T_COMPOUND, 8 * (fields == 0 ? 1 : fields));
    for (std::size_t i = 0; i < fields; ++i)
    {
        H5Tinsert(type, kFields[in.Byte() % 7], 8 * i,
                  in.Byte() % 2 ? H5T_NATIVE_UINT64 : H5T_NATIVE_DOUBLE);
    }
    hsize_t dims[2] = {in.Byte() % 40u, 1 + in.Byte() % 2u};
    const int rank = in.Byte() % 4 == 0 ? 2 : 1;
    hid_t space = H5Screate_simple(rank, dims, nullptr);
    hid_t ds = H5Dcreate2(f, name, fields == 0 ? H5T_NATIVE_UINT32 : type, space, H5P_DEFAULT,
                          H5P_DEFAULT, H5P_DEFAULT);
    if (fields > 0 && ds >= 0)
    {
        std::vector<uint8_t> rows(static_cast<std::size_t>(dims[0] * (rank == 2 ? dims[1] : 1)) *
                                  8 * fields);
        for (uint8_t& b : rows)
        {
            b = in.Byte();
        }
        H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data());
    }
    H5Dclose(ds);
    H5Sclose(space);
    H5Tclose(type);
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size)
{
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    const std::vector<char>& seed = SeedImage();
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_fapl_core(fapl, 64 * 1024, 0);
    H5Pset_file_image(fapl, const_cast<char*>(seed.data()), seed.size());
    hid_t f = H5Fopen("fuzz-input", H5F_ACC_RDWR, fapl);
    Input in(data, size);
    for (int op = 0; op < 8 && !in.Empty(); ++op)
    {
        const uint8_t which = in.Byte();
        if (which % 2 == 0)
        {
            RewriteAttribute(f, kAttributes[in.Byte() % 10], in);
        }
        else
        {
            ReplaceDataset(f, kDatasets[in.Byte() % std::size(kDatasets)], in);
        }
    }
    H5Fflush(f, H5F_SCOPE_GLOBAL);
    const ssize_t imageSize = H5Fget_file_image(f, nullptr, 0);
    std::vector<char> image(imageSize > 0 ? static_cast<std::size_t>(imageSize) : 0);
    if (!image.empty())
    {
        H5Fget_file_image(f, image.data(), image.size());
    }
    H5Fclose(f);
    H5Pclose(fapl);
    if (image.empty())
    {
        return 0;
    }
    auto r = canon::ReadTraceImage(image.data(), image.size(), "fuzz-input");
    if (!r.IsOk() && r.GetStatus().Message().rfind("fuzz-input: ", 0) != 0)
    {
        std::abort(); // every error names the input first
    }
    return 0;
}
