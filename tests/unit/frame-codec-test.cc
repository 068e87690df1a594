#include "model/node/frame-codec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace canon
{
namespace
{

Bytes
Message(std::size_t size, uint8_t seed)
{
    Bytes b(size);
    for (std::size_t i = 0; i < size; ++i)
    {
        b[i] = static_cast<uint8_t>(seed + i * 7);
    }
    return b;
}

Bytes
Concat(const std::vector<Bytes>& parts)
{
    Bytes out;
    for (const Bytes& p : parts)
    {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

// A stream of frames of several sizes, an empty one among them.
std::vector<Bytes>
Messages()
{
    return {Message(5, 1), Message(0, 0), Message(1, 9), Message(300, 3), Message(4, 4)};
}

Bytes
StreamOf(const std::vector<Bytes>& messages)
{
    std::vector<Bytes> frames;
    for (const Bytes& m : messages)
    {
        frames.push_back(EncodeFrame(m));
    }
    return Concat(frames);
}

std::vector<Bytes>
TakeAll(FrameDecoder& d)
{
    std::vector<Bytes> out;
    while (SharedBytes m = d.Next())
    {
        out.push_back(*m);
    }
    return out;
}

// A header announcing `length` bytes.
Bytes
Header(uint32_t length)
{
    return {static_cast<uint8_t>(length), static_cast<uint8_t>(length >> 8),
            static_cast<uint8_t>(length >> 16), static_cast<uint8_t>(length >> 24)};
}

TEST(FrameCodec, FrameIsLittleEndianLengthThenMessage)
{
    const Bytes frame = EncodeFrame(Bytes{0xAA, 0xBB, 0xCC});
    EXPECT_EQ(frame, (Bytes{3, 0, 0, 0, 0xAA, 0xBB, 0xCC}));
    EXPECT_EQ(EncodeFrame(Bytes{}), (Bytes{0, 0, 0, 0}));
}

TEST(FrameCodec, ManyFramesInOneChunkComeOutInOrder)
{
    FrameDecoder d;
    EXPECT_TRUE(d.Feed(StreamOf(Messages())).IsOk());
    EXPECT_EQ(d.ReadyMessages(), Messages().size());
    EXPECT_EQ(TakeAll(d), Messages());
    EXPECT_EQ(d.PartialBytes(), 0u);
    EXPECT_EQ(d.Next(), nullptr);
}

TEST(FrameCodec, ChunkBoundaryAnywhereGivesTheSameMessages)
{
    const Bytes stream = StreamOf(Messages());
    // Every single cut point, and every pair of cut points.
    for (std::size_t a = 0; a <= stream.size(); ++a)
    {
        for (std::size_t b = a; b <= stream.size();
             b += (a % 5 == 0 ? std::size_t{1} : std::size_t{13}))
        {
            FrameDecoder d;
            std::vector<Bytes> got;
            for (auto [from, to] :
                 {std::pair{std::size_t{0}, a}, std::pair{a, b}, std::pair{b, stream.size()}})
            {
                ASSERT_TRUE(d.Feed(stream.data() + from, to - from).IsOk());
                for (Bytes& m : TakeAll(d))
                {
                    got.push_back(std::move(m));
                }
            }
            ASSERT_EQ(got, Messages()) << "cut at " << a << " and " << b;
            EXPECT_EQ(d.PartialBytes(), 0u);
        }
    }
}

TEST(FrameCodec, OneByteAtATimeGivesTheSameMessages)
{
    const Bytes stream = StreamOf(Messages());
    FrameDecoder d;
    std::vector<Bytes> got;
    for (uint8_t byte : stream)
    {
        ASSERT_TRUE(d.Feed(&byte, 1).IsOk());
        for (Bytes& m : TakeAll(d))
        {
            got.push_back(std::move(m));
        }
    }
    EXPECT_EQ(got, Messages());
}

TEST(FrameCodec, PartialFrameWaitsForTheRest)
{
    const Bytes frame = EncodeFrame(Message(10, 2));
    FrameDecoder d;
    ASSERT_TRUE(d.Feed(frame.data(), 7).IsOk());
    EXPECT_EQ(d.Next(), nullptr);
    EXPECT_EQ(d.PartialBytes(), 7u);
    ASSERT_TRUE(d.Feed(frame.data() + 7, frame.size() - 7).IsOk());
    ASSERT_EQ(d.ReadyMessages(), 1u);
    EXPECT_EQ(*d.Next(), Message(10, 2));
    EXPECT_EQ(d.PartialBytes(), 0u);
}

TEST(FrameCodec, EmptyFrameIsAnEmptyMessage)
{
    FrameDecoder d;
    ASSERT_TRUE(d.Feed(Bytes{0, 0}).IsOk());
    EXPECT_EQ(d.Next(), nullptr);
    ASSERT_TRUE(d.Feed(Bytes{0, 0}).IsOk());
    SharedBytes m = d.Next();
    ASSERT_NE(m, nullptr);
    EXPECT_TRUE(m->empty());
}

TEST(FrameCodec, LengthAtTheLimitIsAcceptedAndOverItIsRefused)
{
    FrameDecoder atLimit;
    EXPECT_TRUE(atLimit.Feed(Header(kFrameBytesMax)).IsOk());
    EXPECT_FALSE(atLimit.Failed());

    FrameDecoder over;
    const Status s = over.Feed(Header(kFrameBytesMax + 1));
    EXPECT_EQ(s.Code(), StatusCode::kMalformed);
    EXPECT_EQ(s.Message(), "frame of " + std::to_string(kFrameBytesMax + 1) +
                               " bytes exceeds limit of " + std::to_string(kFrameBytesMax) +
                               " bytes");
    EXPECT_TRUE(over.Failed());
    EXPECT_EQ(over.PartialBytes(), 0u) << "nothing of the oversize frame is buffered";
}

TEST(FrameCodec, OversizeLengthKeepsEarlierMessagesAndIgnoresTheRest)
{
    Bytes stream = EncodeFrame(Message(3, 1));
    const Bytes bad = Header(0xFFFFFFFFu);
    stream.insert(stream.end(), bad.begin(), bad.end());
    const Bytes after = EncodeFrame(Message(2, 5));
    stream.insert(stream.end(), after.begin(), after.end());

    FrameDecoder d;
    EXPECT_FALSE(d.Feed(stream).IsOk());
    // Later input changes nothing: the stream cannot be resynchronised.
    EXPECT_EQ(d.Feed(after).Message(), d.Error().Message());
    EXPECT_EQ(TakeAll(d), std::vector<Bytes>{Message(3, 1)});
    EXPECT_EQ(d.PartialBytes(), 0u);
}

TEST(FrameCodec, OversizeLengthSplitAcrossChunksIsRefusedOnceWhole)
{
    const Bytes bad = Header(kFrameBytesMax + 1);
    FrameDecoder d;
    EXPECT_TRUE(d.Feed(bad.data(), 3).IsOk());
    EXPECT_FALSE(d.Feed(bad.data() + 3, 1).IsOk());
    EXPECT_TRUE(d.Failed());
}

TEST(FrameCodec, ResetStartsAFreshStream)
{
    FrameDecoder d;
    EXPECT_FALSE(d.Feed(Header(kFrameBytesMax + 1)).IsOk());
    d.Reset();
    EXPECT_FALSE(d.Failed());
    const Bytes frame = EncodeFrame(Message(6, 6));
    ASSERT_TRUE(d.Feed(frame.data(), 2).IsOk());
    d.Reset(); // a partial frame of a lost connection is forgotten with it
    ASSERT_TRUE(d.Feed(frame).IsOk());
    EXPECT_EQ(TakeAll(d), std::vector<Bytes>{Message(6, 6)});
}

TEST(FrameCodec, MessagesOutliveTheDecoder)
{
    SharedBytes m;
    {
        FrameDecoder d;
        ASSERT_TRUE(d.Feed(EncodeFrame(Message(8, 8))).IsOk());
        m = d.Next();
    }
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(*m, Message(8, 8));
}

} // namespace
} // namespace canon
