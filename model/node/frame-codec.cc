#include "model/node/frame-codec.h"

#include "model/core/encoding.h"

#include <algorithm>
#include <limits>

namespace canon
{

Bytes
EncodeFrame(const uint8_t* message, std::size_t size)
{
    CANON_ASSERT(size <= std::numeric_limits<uint32_t>::max(), "message too long to frame");
    Bytes frame;
    frame.reserve(kFrameHeaderBytes + size);
    Writer w(frame);
    w.U32(static_cast<uint32_t>(size));
    w.Raw(message, size);
    return frame;
}

Status
FrameDecoder::Feed(const uint8_t* data, std::size_t size)
{
    std::size_t pos = 0;
    while (m_error.IsOk() && pos < size)
    {
        if (m_headerHave < kFrameHeaderBytes)
        {
            const std::size_t take = std::min(kFrameHeaderBytes - m_headerHave, size - pos);
            std::copy(data + pos, data + pos + take, m_header.begin() + m_headerHave);
            m_headerHave += take;
            pos += take;
            if (m_headerHave < kFrameHeaderBytes)
            {
                break;
            }
            m_bodyLength = Reader(m_header.data(), m_header.size(), "frame").U32("length");
            if (m_bodyLength > kFrameBytesMax)
            {
                m_error = Status::Malformed("frame of " + std::to_string(m_bodyLength) +
                                            " bytes exceeds limit of " +
                                            std::to_string(kFrameBytesMax) + " bytes");
                m_headerHave = 0;
                break;
            }
            if (size - pos >= m_bodyLength)
            {
                // The whole body is in this chunk: one copy, straight into the message.
                const uint8_t* body = data + pos;
                pos += m_bodyLength;
                Emit(std::make_shared<const Bytes>(body, data + pos));
                continue;
            }
        }
        const std::size_t take = std::min<std::size_t>(m_bodyLength - m_body.size(), size - pos);
        m_body.insert(m_body.end(), data + pos, data + pos + take);
        pos += take;
        if (m_body.size() == m_bodyLength)
        {
            Emit(std::make_shared<const Bytes>(std::move(m_body)));
        }
    }
    return m_error;
}

void
FrameDecoder::Emit(SharedBytes message)
{
    m_ready.push_back(std::move(message));
    m_headerHave = 0;
    m_bodyLength = 0;
    m_body = Bytes();
}

SharedBytes
FrameDecoder::Next()
{
    if (m_ready.empty())
    {
        return nullptr;
    }
    SharedBytes message = std::move(m_ready.front());
    m_ready.pop_front();
    return message;
}

void
FrameDecoder::Reset()
{
    m_headerHave = 0;
    m_bodyLength = 0;
    m_body = Bytes();
    m_ready.clear();
    m_error = Status::Ok();
}

} // namespace canon
