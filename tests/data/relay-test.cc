// The overlay relay (model/data/overlay-relay.h) and DataNodeService's forwarding: shortest
// overlay paths over the peer graph used both ways, the envelope's strict decoding, and a
// service passing on a message for another node, dropping (and counting) what it cannot route
// or decode.
#include "model/data/data-node-service.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

Bytes
Refusal()
{
    DataResponse r;
    r.reason = DataRefusal::kNoGrant;
    return *EncodeDataResponse(r);
}

TEST(OverlayRoutesTest, ShortestPathsUseConnectionsBothWays)
{
    OverlayRoutes r;
    r.SetPeers(0, {1});
    r.SetPeers(1, {2});
    r.SetPeers(2, {3});
    r.SetPeers(3, {});
    r.SetPeers(4, {0, 3}); // a shortcut: 0 - 4 - 3
    EXPECT_EQ(r.Distance(0, 3), 2u);
    EXPECT_EQ(r.NextHop(0, 3), 4u);
    EXPECT_EQ(r.NextHop(3, 1), 2u); // 3 lists no peers: 2 and 4 list it
    EXPECT_EQ(r.NextHop(3, 0), 4u); // via 4 (2 hops), not 2 (3 hops)
    EXPECT_FALSE(r.NextHop(2, 2));  // already there
    r.SetPeers(5, {});              // isolated
    EXPECT_FALSE(r.NextHop(0, 5));
    EXPECT_FALSE(r.Distance(5, 0));
    r.SetPeers(4, {}); // the shortcut goes: routes follow
    EXPECT_EQ(r.NextHop(0, 3), 1u);
    EXPECT_EQ(r.Distance(0, 3), 3u);
}

TEST(OverlayRelayTest, DecodingIsStrict)
{
    const Bytes inner = Refusal();
    const OverlayRelayMessage m{7, 9, 2, inner};
    const SharedBytes wire = EncodeOverlayRelay(m);
    auto back = DecodeOverlayRelay(*wire);
    ASSERT_TRUE(back.IsOk()) << back.GetStatus().ToString();
    EXPECT_EQ(back.Value().origin, 7u);
    EXPECT_EQ(back.Value().target, 9u);
    EXPECT_EQ(back.Value().hops, 2u);
    EXPECT_EQ(back.Value().inner, inner);
    Bytes trailing = *wire;
    trailing.push_back(0);
    EXPECT_FALSE(DecodeOverlayRelay(trailing).IsOk());
    EXPECT_FALSE(DecodeOverlayRelay(*EncodeOverlayRelay({1, 2, 0, *wire})).IsOk()); // nested
    EXPECT_FALSE(DecodeOverlayRelay(*EncodeOverlayRelay({1, 2, 0, Bytes{1}})).IsOk());
    const auto tooFar = DecodeOverlayRelay(*EncodeOverlayRelay({1, 2, kRelayHopsMax + 1, inner}));
    ASSERT_FALSE(tooFar.IsOk());
    EXPECT_NE(tooFar.GetStatus().Message().find("hops"), std::string::npos);
    Bytes truncated(wire->begin(), wire->begin() + 8);
    EXPECT_FALSE(DecodeOverlayRelay(truncated).IsOk());
}

TEST(OverlayRelayTest, AServiceForwardsDropsAndCounts)
{
    test::TestChain tc{4, 3};
    ConsensusChain chain(tc.params);
    auto shared = std::make_shared<DataServiceShared>();
    shared->routes.SetPeers(0, {1});
    shared->routes.SetPeers(1, {2});
    shared->routes.SetPeers(2, {});
    DataNodeService relay(1, shared);
    const std::vector<PeerId> peers{0, 2};
    const ServiceContext ctx{0, 1, chain, peers};
    const Bytes inner = Refusal();
    Actions out;
    relay.OnMessage(ctx, {0, EncodeOverlayRelay({0, 2, 0, inner})}, out);
    ASSERT_EQ(out.sends.size(), 1u);
    EXPECT_EQ(out.sends[0].to, 2u);
    EXPECT_TRUE(out.sends[0].relayed);
    auto passed = DecodeOverlayRelay(*out.sends[0].bytes);
    ASSERT_TRUE(passed.IsOk());
    EXPECT_EQ(passed.Value().hops, 1u);
    EXPECT_EQ(shared->relayed, 1u);
    // No path to node 5, and a next hop that is not among the node's peers now: dropped.
    out.Clear();
    relay.OnMessage(ctx, {0, EncodeOverlayRelay({0, 5, 0, inner})}, out);
    const std::vector<PeerId> lonely{0};
    relay.OnMessage(ServiceContext{0, 1, chain, lonely}, {0, EncodeOverlayRelay({0, 2, 0, inner})},
                    out);
    EXPECT_TRUE(out.sends.empty());
    EXPECT_EQ(shared->noRoute, 2u);
    // A malformed envelope: a traced drop.
    relay.OnMessage(ctx, {0, std::make_shared<const Bytes>(Bytes{1, 43, 0, 0})}, out);
    ASSERT_EQ(out.events.size(), 1u);
    EXPECT_EQ(shared->malformed, 1u);
}

} // namespace
} // namespace canon
