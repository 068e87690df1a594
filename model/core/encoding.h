// Canonical binary encoding (PROTOCOL.md 1): fixed-width little-endian integers and u32
// length-prefixed byte strings. One value has exactly one encoding, so hashes of encodings are
// identities.
//
// Writer appends to a byte vector and cannot fail. Reader walks a borrowed buffer; it never
// reads past the end and records the first problem (truncation, a length over its bound, bytes
// left over) as a Status naming the field and the offset. After the first failure every further
// read returns zero values, so decoders read straight through and check once at the end.
#ifndef CANONSIM_CORE_ENCODING_H
#define CANONSIM_CORE_ENCODING_H

#include "model/core/bytes.h"
#include "model/core/status.h"

#include <cstdint>
#include <string>

namespace canon
{

class Writer
{
  public:
    explicit Writer(Bytes& out)
      : m_out(out)
    {
    }

    void U8(uint8_t v) { m_out.push_back(v); }
    void U32(uint32_t v) { PutLe(v, 4); }
    void U64(uint64_t v) { PutLe(v, 8); }
    void I64(int64_t v) { PutLe(static_cast<uint64_t>(v), 8); }
    void Raw(const uint8_t* data, std::size_t size)
    {
        m_out.insert(m_out.end(), data, data + size);
    }
    template <std::size_t N>
    void Fixed(const FixedBytes<N>& b)
    {
        Raw(b.data(), N);
    }
    // u32 length, then the bytes.
    void Var(const Bytes& b);

  private:
    void PutLe(uint64_t v, int width);
    Bytes& m_out;
};

class Reader
{
  public:
    // `what` names the value being decoded ("transaction", "block") in error messages.
    Reader(const uint8_t* data, std::size_t size, const char* what)
      : m_data(data)
      , m_size(size)
      , m_what(what)
    {
    }
    Reader(const Bytes& b, const char* what)
      : Reader(b.data(), b.size(), what)
    {
    }

    uint8_t U8(const char* field);
    uint32_t U32(const char* field);
    uint64_t U64(const char* field);
    int64_t I64(const char* field);
    template <std::size_t N>
    FixedBytes<N> Fixed(const char* field)
    {
        FixedBytes<N> out{};
        if (Need(N, field))
        {
            std::copy(m_data + m_pos, m_data + m_pos + N, out.begin());
            m_pos += N;
        }
        return out;
    }
    // A u32-length-prefixed byte string of at most maxSize bytes.
    Bytes Var(const char* field, std::size_t maxSize);
    // A u32 element count of at most maxCount; the caller then reads the elements.
    uint32_t Count(const char* field, uint32_t maxCount);
    // Moves past n bytes the caller has consumed by other means.
    void Skip(std::size_t n, const char* field)
    {
        if (Need(n, field))
        {
            m_pos += n;
        }
    }
    // Checks that a version byte is one this build knows.
    void Version(uint8_t expected);
    // Records a problem found by the caller (a semantic check during decoding).
    void Fail(const std::string& reason);

    bool IsOk() const { return m_status.IsOk(); }
    std::size_t Position() const { return m_pos; }
    // The bytes from the position on (Remaining() of them are readable).
    const uint8_t* Here() const { return m_data + m_pos; }
    std::size_t Remaining() const { return m_status.IsOk() ? m_size - m_pos : 0; }
    // The overall result: the first failure, or trailing bytes, or OK.
    Status Finish();

  private:
    bool Need(std::size_t n, const char* field);
    uint64_t GetLe(int width, const char* field);

    const uint8_t* m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
    const char* m_what;
    Status m_status;
};

} // namespace canon

#endif
