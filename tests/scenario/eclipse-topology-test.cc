#include "model/run/eclipse-topology.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace canon
{
namespace
{

AdversarySpec
EclipseOn(uint32_t node, uint32_t victim)
{
    AdversarySpec a;
    a.kind = AdversaryKind::kEclipse;
    a.node = node;
    a.victim = victim;
    a.variant = AttackVariant::kWithhold;
    return a;
}

std::set<uint32_t>
PeersOf(uint32_t n, const std::vector<Edge>& edges)
{
    std::set<uint32_t> out;
    for (const auto& [a, b] : edges)
    {
        if (a == n || b == n)
        {
            out.insert(a == n ? b : a);
        }
    }
    return out;
}

// A ring of 32 nodes.
std::vector<Edge>
Ring()
{
    std::vector<Edge> edges;
    for (uint32_t i = 0; i < 32; ++i)
    {
        edges.push_back({std::min(i, (i + 1) % 32), std::max(i, (i + 1) % 32)});
    }
    return edges;
}

TEST(EclipseTopology, VictimKeepsOnlyItsAttackersAndItsFormerPeersLinkUp)
{
    const auto edges =
        EclipseEdges(Ring(), 32, {EclipseOn(20, 5), EclipseOn(21, 5)}, EclipseDefence{});
    EXPECT_EQ(PeersOf(5, edges), (std::set<uint32_t>{20, 21}));
    EXPECT_TRUE(PeersOf(4, edges).count(6)); // the ring stays closed around the victim
    EXPECT_EQ(PeersOf(7, Ring()), PeersOf(7, edges));
}

TEST(EclipseTopology, OwnPeersComeFromDistinctAddressGroupsAndAreDeterministic)
{
    EclipseDefence d;
    d.outboundPeers = 3;
    d.groupSize = 8;
    d.seed = 4;
    const std::vector<AdversarySpec> attackers = {EclipseOn(24, 5), EclipseOn(25, 5)};
    const auto edges = EclipseEdges(Ring(), 32, attackers, d);
    std::set<uint32_t> own = PeersOf(5, edges);
    own.erase(24);
    own.erase(25);
    ASSERT_GE(own.size(), 2u); // three picks, one of which may be an attacker
    std::set<uint32_t> groups;
    for (uint32_t p : own)
    {
        groups.insert(p / 8);
    }
    EXPECT_EQ(groups.size(), own.size());
    EXPECT_EQ(edges, EclipseEdges(Ring(), 32, attackers, d));
    d.seed = 5;
    EXPECT_NE(edges, EclipseEdges(Ring(), 32, attackers, d));
}

TEST(EclipseTopology, WithoutEclipseAttackersTheEdgesAreUnchanged)
{
    AdversarySpec flood;
    flood.kind = AdversaryKind::kFlood;
    flood.node = 3;
    EXPECT_EQ(EclipseEdges(Ring(), 32, {flood}, EclipseDefence{3, 8, 1}), Ring());
}

} // namespace
} // namespace canon
