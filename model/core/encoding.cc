#include "model/core/encoding.h"

namespace canon
{

void
Writer::PutLe(uint64_t v, int width)
{
    for (int i = 0; i < width; ++i)
    {
        m_out.push_back(static_cast<uint8_t>(v >> (8 * i)));
    }
}

void
Writer::Var(const Bytes& b)
{
    CANON_ASSERT(b.size() <= UINT32_MAX, "byte string too long to encode");
    U32(static_cast<uint32_t>(b.size()));
    Raw(b.data(), b.size());
}

bool
Reader::Need(std::size_t n, const char* field)
{
    if (!m_status.IsOk())
    {
        return false;
    }
    if (m_size - m_pos < n)
    {
        m_status = Status::Malformed(std::string(m_what) + ": truncated at " + field + " (offset " +
                                     std::to_string(m_pos) + ", need " + std::to_string(n) +
                                     " bytes, have " + std::to_string(m_size - m_pos) + ")");
        return false;
    }
    return true;
}

uint64_t
Reader::GetLe(int width, const char* field)
{
    if (!Need(static_cast<std::size_t>(width), field))
    {
        return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < width; ++i)
    {
        v |= static_cast<uint64_t>(m_data[m_pos + static_cast<std::size_t>(i)]) << (8 * i);
    }
    m_pos += static_cast<std::size_t>(width);
    return v;
}

uint8_t
Reader::U8(const char* field)
{
    return static_cast<uint8_t>(GetLe(1, field));
}

uint32_t
Reader::U32(const char* field)
{
    return static_cast<uint32_t>(GetLe(4, field));
}

uint64_t
Reader::U64(const char* field)
{
    return GetLe(8, field);
}

int64_t
Reader::I64(const char* field)
{
    return static_cast<int64_t>(GetLe(8, field));
}

Bytes
Reader::Var(const char* field, std::size_t maxSize)
{
    uint32_t len = U32(field);
    if (!m_status.IsOk())
    {
        return {};
    }
    if (len > maxSize)
    {
        Fail(std::string(field) + " length " + std::to_string(len) + " exceeds limit " +
             std::to_string(maxSize));
        return {};
    }
    if (!Need(len, field))
    {
        return {};
    }
    Bytes out(m_data + m_pos, m_data + m_pos + len);
    m_pos += len;
    return out;
}

uint32_t
Reader::Count(const char* field, uint32_t maxCount)
{
    uint32_t n = U32(field);
    if (m_status.IsOk() && n > maxCount)
    {
        Fail(std::string(field) + " count " + std::to_string(n) + " exceeds limit " +
             std::to_string(maxCount));
        return 0;
    }
    return n;
}

void
Reader::Version(uint8_t expected)
{
    uint8_t v = U8("version");
    if (m_status.IsOk() && v != expected)
    {
        Fail("unknown version " + std::to_string(v) + " (this build reads " +
             std::to_string(expected) + ")");
    }
}

void
Reader::Fail(const std::string& reason)
{
    if (m_status.IsOk())
    {
        m_status = Status::Malformed(std::string(m_what) + ": " + reason + " (offset " +
                                     std::to_string(m_pos) + ")");
    }
}

Status
Reader::Finish()
{
    if (m_status.IsOk() && m_pos != m_size)
    {
        Fail(std::to_string(m_size - m_pos) + " trailing bytes");
    }
    return m_status;
}

} // namespace canon
