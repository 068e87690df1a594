// FrameCodec: how node messages travel on a byte stream (a TCP connection between peers, in the
// ns-3 engine's PeerConnection): each message as one frame, [u32 length, little-endian][message
// bytes]. No ns-3 here: the codec is pure, so the unit tests and the fuzz-frame target drive it
// with arbitrary chunkings of arbitrary bytes.
//
// EncodeFrame is stateless. FrameDecoder is incremental: Feed it the bytes of the stream in
// chunks of any size, cut anywhere (TCP keeps no message boundaries), and take the whole messages
// with Next, in stream order. Everything from a peer may be wrong (DESIGN.md 4.6): a header that
// announces more than kFrameBytesMax bytes is an error value, never a crash, and the decoder
// stays failed from then on (the stream has no resynchronisation point: the connection must go).
//
// Ownership: the decoder owns the bytes of its unfinished frame and the whole messages not yet
// taken. A message is immutable and shared (SharedBytes, the type MessageInput carries): it
// outlives the decoder.
//
// Bounds (DESIGN.md 4.7): a frame's body is buffered only after its header has been checked, so
// the unfinished frame never holds more than kFrameHeaderBytes + kFrameBytesMax bytes, whatever
// the peer sends. Whole messages wait only until Next takes them; the caller takes them after
// every Feed, so they never hold more than the one chunk that completed them.
//
// Invariants: messages come out whole, in the order their frames were fed, each exactly once;
// feeding a stream in one chunk or cut into any chunks yields the same messages and the same
// error. Once failed, Feed ignores its input and returns the same error until Reset; the
// messages that were whole before the bad header can still be taken.
//
// Threads: none; one decoder per connection.
#ifndef CANONSIM_NODE_FRAME_CODEC_H
#define CANONSIM_NODE_FRAME_CODEC_H

#include "model/core/status.h"
#include "model/node/messages.h"

#include <array>
#include <deque>

namespace canon
{

constexpr std::size_t kFrameHeaderBytes = 4;
// Frames longer than this are a protocol violation: the largest legal message is a Blocks batch
// of kSyncBatchBytesMax plus one block, and a block is bounded by the chain parameters'
// blockSizeBytesMax, far below the remaining 20 MiB. The bound caps what one peer can make a
// node buffer.
constexpr uint32_t kFrameBytesMax = 24 * 1024 * 1024;
static_assert(kFrameBytesMax > kSyncBatchBytesMax, "a full sync batch must fit in one frame");

// The frame of a message: its length, then its bytes. The sender's bound is the node's own
// (kSyncBatchBytesMax, blockSizeBytesMax): the receiver enforces kFrameBytesMax. A message of
// 4 GiB or more cannot be framed at all (asserted: no node builds one).
Bytes EncodeFrame(const uint8_t* message, std::size_t size);
inline Bytes
EncodeFrame(const Bytes& message)
{
    return EncodeFrame(message.data(), message.size());
}

class FrameDecoder
{
  public:
    // Takes in the next `size` bytes of the stream. Returns OK, or a kMalformed status ("frame of
    // N bytes exceeds limit of 25165824 bytes") when a header announces more than
    // kFrameBytesMax; the error is returned again by every later Feed until Reset.
    Status Feed(const uint8_t* data, std::size_t size);
    Status Feed(const Bytes& chunk) { return Feed(chunk.data(), chunk.size()); }

    // The oldest whole message not yet taken, or nullptr. An empty frame is an empty message.
    SharedBytes Next();
    std::size_t ReadyMessages() const { return m_ready.size(); }

    bool Failed() const { return !m_error.IsOk(); }
    const Status& Error() const { return m_error; }
    // Bytes of the unfinished frame held, its header included (at most kFrameHeaderBytes +
    // kFrameBytesMax).
    std::size_t PartialBytes() const { return m_headerHave + m_body.size(); }

    // Forgets the unfinished frame, the messages not yet taken and any error: a new connection.
    void Reset();

  private:
    void Emit(SharedBytes message);

    std::array<uint8_t, kFrameHeaderBytes> m_header{};
    std::size_t m_headerHave = 0; // header bytes of the unfinished frame seen so far
    uint32_t m_bodyLength = 0;    // the unfinished frame's length, once its header is whole
    Bytes m_body;                 // its body so far
    std::deque<SharedBytes> m_ready;
    Status m_error;
};

} // namespace canon

#endif
