// Multi-hop payments over the channel graph (issue 18): cheapest routes with capacity, HTLCs
// forwarded hop by hop through ChannelNodes exchanging encoded messages, settling along the whole
// route or nowhere.
#include "model/channels/channel-node.h"
#include "model/channels/channel-payloads.h"

#include <gtest/gtest.h>

#include <deque>

namespace canon
{
namespace
{

struct Net
{
    std::vector<ChannelNode> nodes;
    std::deque<std::pair<uint32_t, ChannelSend>> wire; // (from, send)
    std::vector<PaymentOutcome> outcomes;
    uint64_t refused = 0;

    explicit Net(uint32_t n)
    {
        for (uint32_t i = 0; i < n; ++i)
        {
            nodes.emplace_back(i, DeriveKeyPair(9, "account", i));
        }
    }
    ChannelId Connect(uint32_t a, uint32_t b, uint64_t depA, uint64_t depB)
    {
        const ChannelId id = ChannelIdFor(nodes[a].Key().Public(), b);
        nodes[a].AddChannel(b, {nodes[a].Key(), nodes[b].Key().Public(), true, id, depA, depB, 0});
        nodes[b].AddChannel(a, {nodes[b].Key(), nodes[a].Key().Public(), false, id, depA, depB, 0});
        return id;
    }
    void Take(uint32_t from, ChannelOutput& out)
    {
        for (auto& s : out.sends)
        {
            wire.emplace_back(from, std::move(s));
        }
        outcomes.insert(outcomes.end(), out.outcomes.begin(), out.outcomes.end());
        refused += out.refused;
    }
    void Deliver()
    {
        for (int guard = 0; !wire.empty() && guard < 100000; ++guard)
        {
            auto [from, send] = std::move(wire.front());
            wire.pop_front();
            ChannelOutput out;
            nodes[send.to].OnMessage(from, send.bytes, 0, out);
            Take(send.to, out);
        }
    }
    ChannelRouter Router(const std::vector<NodeFee>& fees)
    {
        ChannelRouter r(fees);
        for (const auto& n : nodes)
        {
            for (const auto& [id, end] : n.Channels())
            {
                r.AddEdge(ChannelEdge{n.Id(), n.PeerOf(id), id, end.OwnBalance()});
            }
        }
        return r;
    }
    uint64_t Own(uint32_t node, const ChannelId& id) { return nodes[node].Find(id)->OwnBalance(); }
};

TEST(ChannelRouterTest, TakesTheCheapestRouteThatHasTheCapacity)
{
    // 0 -> 1 -> 3 is cheap but 1 can send only 50; 0 -> 2 -> 3 costs more and can send 1000.
    ChannelRouter r({{0, 0}, {1, 0}, {10, 0}, {0, 0}});
    const ChannelId c01 = Blake2b256(std::string("01")), c13 = Blake2b256(std::string("13"));
    const ChannelId c02 = Blake2b256(std::string("02")), c23 = Blake2b256(std::string("23"));
    r.AddEdge({0, 1, c01, 1000});
    r.AddEdge({1, 3, c13, 50});
    r.AddEdge({0, 2, c02, 1000});
    r.AddEdge({2, 3, c23, 1000});
    auto small = r.Cheapest(0, 3, 40);
    ASSERT_TRUE(small);
    EXPECT_EQ((*small)[0].to, 1u);
    EXPECT_EQ((*small)[0].amount, 41u) << "40 plus node 1's fee";
    auto big = r.Cheapest(0, 3, 100);
    ASSERT_TRUE(big);
    EXPECT_EQ((*big)[0].to, 2u);
    EXPECT_EQ((*big)[0].amount, 110u);
    EXPECT_FALSE(r.Cheapest(0, 3, 5000));
}

TEST(ChannelNetworkTest, AMultiHopPaymentSettlesOnEveryHop)
{
    // A vehicle (0) pays a roadside unit operator (3) through two other vehicles.
    Net net(4);
    const ChannelId c01 = net.Connect(0, 1, 1000, 1000);
    const ChannelId c12 = net.Connect(1, 2, 1000, 1000);
    const ChannelId c23 = net.Connect(2, 3, 1000, 1000);
    const std::vector<NodeFee> fees{{0, 0}, {2, 0}, {3, 0}, {0, 0}};
    auto route = net.Router(fees).Cheapest(0, 3, 100);
    ASSERT_TRUE(route);
    ASSERT_EQ(route->size(), 3u);
    const Hash256 preimage = Blake2b256(std::string("invoice 1"));
    net.nodes[3].ExpectPayment(preimage);
    ChannelOutput out;
    net.nodes[0].PayRoute(*route, Blake2b256(preimage.data(), preimage.size()), 0, kSecond, out);
    net.Take(0, out);
    net.Deliver();
    ASSERT_EQ(net.outcomes.size(), 1u);
    EXPECT_TRUE(net.outcomes[0].settled);
    EXPECT_EQ(net.Own(0, c01), 1000u - 105);
    EXPECT_EQ(net.Own(1, c01), 1000u + 105);
    EXPECT_EQ(net.Own(1, c12), 1000u - 103); // node 1 kept its fee of 2
    EXPECT_EQ(net.Own(2, c23), 1000u - 100); // node 2 kept 3
    EXPECT_EQ(net.Own(3, c23), 1000u + 100);
    EXPECT_EQ(net.refused, 0u);
    for (const auto& n : net.nodes)
    {
        for (const auto& [id, end] : n.Channels())
        {
            EXPECT_TRUE(end.Latest().state.htlcs.empty());
        }
    }
}

TEST(ChannelNetworkTest, AMultiHopPaymentThatCannotCompleteMovesNothingAnywhere)
{
    Net net(4);
    const ChannelId c01 = net.Connect(0, 1, 1000, 1000);
    const ChannelId c12 = net.Connect(1, 2, 1000, 1000);
    const ChannelId c23 = net.Connect(2, 3, 1000, 1000);
    auto route = net.Router({{0, 0}, {0, 0}, {0, 0}, {0, 0}}).Cheapest(0, 3, 100);
    ASSERT_TRUE(route);
    // The payee does not know the preimage (an unknown invoice): it fails the HTLC back.
    ChannelOutput out;
    net.nodes[0].PayRoute(*route, Blake2b256(std::string("unknown")), 0, kSecond, out);
    net.Take(0, out);
    net.Deliver();
    ASSERT_EQ(net.outcomes.size(), 1u);
    EXPECT_FALSE(net.outcomes[0].settled);
    EXPECT_EQ(net.Own(0, c01), 1000u);
    EXPECT_EQ(net.Own(1, c12), 1000u);
    EXPECT_EQ(net.Own(2, c23), 1000u);
    EXPECT_EQ(net.Own(3, c23), 1000u);
    EXPECT_TRUE(net.nodes[1].Find(c12)->Latest().state.htlcs.empty());
}

TEST(ChannelNetworkTest, AHopWithoutCapacityFailsThePaymentBackToThePayer)
{
    Net net(3);
    const ChannelId c01 = net.Connect(0, 1, 1000, 0);
    const ChannelId c12 = net.Connect(1, 2, 10, 0);
    // A stale route: it claims node 1 can forward 500 to node 2.
    const std::vector<RouteHop> route{{0, 1, c01, 500}, {1, 2, c12, 500}};
    const Hash256 preimage = Blake2b256(std::string("p"));
    net.nodes[2].ExpectPayment(preimage);
    ChannelOutput out;
    net.nodes[0].PayRoute(route, Blake2b256(preimage.data(), preimage.size()), 0, kSecond, out);
    net.Take(0, out);
    net.Deliver();
    ASSERT_EQ(net.outcomes.size(), 1u);
    EXPECT_FALSE(net.outcomes[0].settled);
    EXPECT_EQ(net.Own(0, c01), 1000u);
}

TEST(ChannelNetworkTest, ManyPaymentsBothWaysKeepBothEndsInAgreement)
{
    Net net(2);
    const ChannelId c = net.Connect(0, 1, 500, 500);
    for (int i = 0; i < 20; ++i)
    {
        ChannelOutput a, b;
        net.nodes[0].PayDirect(c, 7, a);
        net.nodes[1].PayDirect(c, 3, b);
        net.Take(0, a);
        net.Take(1, b);
    }
    net.Deliver();
    EXPECT_EQ(net.outcomes.size(), 40u);
    for (const auto& o : net.outcomes)
    {
        EXPECT_TRUE(o.settled);
    }
    EXPECT_EQ(net.nodes[0].Find(c)->Latest().state, net.nodes[1].Find(c)->Latest().state);
    EXPECT_EQ(net.Own(0, c), 500u - 20 * 7 + 20 * 3);
    EXPECT_EQ(net.nodes[0].Find(c)->Latest().state.seq, 40u);
}

} // namespace
} // namespace canon
