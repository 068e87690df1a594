#include "model/node/dropped-message.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

NodeEvent
DropOf(const Bytes& bytes)
{
    uint64_t dropped = 0;
    Actions out;
    EXPECT_FALSE(DecodeOrDrop(MessageInput{3, std::make_shared<const Bytes>(bytes)}, dropped, out));
    EXPECT_EQ(dropped, 1u);
    EXPECT_EQ(out.events.size(), 1u);
    return out.events.empty() ? NodeEvent{} : out.events[0];
}

TEST(DroppedMessage, UndecodableMessageIsDroppedUnderTheTypeItClaims)
{
    const NodeEvent ev = DropOf(Bytes{kMessageVersion, 2, 0xff});
    EXPECT_EQ(ev.kind, NodeEventKind::kMessageDropped);
    EXPECT_EQ(ev.peer, 3u);
    EXPECT_EQ(ev.messageType, MessageType::kBlock);
}

TEST(DroppedMessage, MessageClaimingTheConnectionEventTypeIsNotTracedAsOne)
{
    // Only the transport's own connection events carry kConnectionEvent (trace-records.h).
    const NodeEvent ev = DropOf(Bytes{kMessageVersion, static_cast<uint8_t>(kConnectionEvent), 0});
    EXPECT_NE(ev.messageType, kConnectionEvent);
    EXPECT_EQ(static_cast<uint8_t>(ev.messageType), 0u);
}

} // namespace
} // namespace canon
