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

TEST(PeerRotation, APickComesFromAGroupNoOtherOwnPeerIsInAndIsDeterministic)
{
    const EclipseDefence d{3, 8, 7};
    const std::vector<uint32_t> own = OwnPeers(0, 32, d);
    ASSERT_EQ(own.size(), 3u);
    for (uint64_t k = 1; k <= 20; ++k)
    {
        const uint32_t pick = RotationPick(0, 32, d, k, own);
        EXPECT_NE(pick, 0u);
        EXPECT_EQ(std::count(own.begin(), own.end(), pick), 0);
        for (uint32_t p : own)
        {
            EXPECT_NE(pick / 8, p / 8) << "k " << k;
        }
        EXPECT_EQ(pick, RotationPick(0, 32, d, k, own));
    }
    // Every group held: any node but the victim and the current ones.
    const std::vector<uint32_t> all{1, 9, 17, 25};
    const uint32_t pick = RotationPick(0, 32, d, 1, all);
    EXPECT_TRUE(pick != 0 && std::count(all.begin(), all.end(), pick) == 0);
    EXPECT_EQ(RotationPick(0, 2, d, 1, {1}), 0u) << "no node left: the victim itself";
}

} // namespace
} // namespace canon
