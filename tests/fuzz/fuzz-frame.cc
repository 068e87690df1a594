// libFuzzer target for the frame decoder (model/node/frame-codec.h): the bytes a peer sends on a
// connection, cut into chunks the way TCP might deliver them.
//
// Input: one byte that seeds the chunking, then the stream. The stream is decoded twice, in one
// chunk and in chunks of pseudo-random sizes from the seed; both must give the same messages
// and the same error, every message must re-encode to the bytes it came from, and the decoder
// must never hold more than one partial frame's bound.
#include "model/node/frame-codec.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

namespace
{

using namespace canon;

void
Check(bool ok)
{
    if (!ok)
    {
        std::abort();
    }
}

struct Decoded
{
    std::vector<Bytes> messages;
    Status status;
};

// Feeds `stream` in chunks of sizes drawn from `seed` (0: one chunk).
Decoded
Decode(const uint8_t* stream, std::size_t size, uint8_t seed)
{
    FrameDecoder d;
    Decoded out;
    uint32_t state = seed;
    std::size_t pos = 0;
    while (pos < size)
    {
        std::size_t chunk = size - pos;
        if (seed != 0)
        {
            state = state * 1103515245u + 12345u;
            chunk = std::min<std::size_t>(chunk, 1 + (state >> 16) % 64);
        }
        out.status = d.Feed(stream + pos, chunk);
        pos += chunk;
        Check(d.PartialBytes() <= kFrameHeaderBytes + kFrameBytesMax);
        while (SharedBytes m = d.Next())
        {
            out.messages.push_back(*m);
        }
    }
    Check(d.Failed() == !out.status.IsOk());
    return out;
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size)
{
    if (size == 0)
    {
        return 0;
    }
    const uint8_t seed = data[0];
    const uint8_t* stream = data + 1;
    const std::size_t streamSize = size - 1;
    const Decoded whole = Decode(stream, streamSize, 0);
    const Decoded chunked = Decode(stream, streamSize, seed == 0 ? 1 : seed);
    Check(whole.messages == chunked.messages);
    Check(whole.status.IsOk() == chunked.status.IsOk());
    Check(whole.status.Message() == chunked.status.Message());
    // The messages are the stream's frames: re-encoded, they are a prefix of it.
    std::size_t pos = 0;
    for (const Bytes& m : whole.messages)
    {
        Check(m.size() <= kFrameBytesMax);
        const Bytes frame = EncodeFrame(m);
        Check(pos + frame.size() <= streamSize);
        Check(std::equal(frame.begin(), frame.end(), stream + pos));
        pos += frame.size();
    }
    return 0;
}
