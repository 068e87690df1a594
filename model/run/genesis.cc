#include "model/run/genesis.h"

#include "model/core/rng.h"
#include "model/core/status.h"

#include <algorithm>

namespace canon
{

namespace
{

std::vector<int>
PlaceProducers(const GenesisSpec& spec)
{
    std::vector<uint32_t> order;
    for (uint32_t i = 0; i < spec.nodes; ++i)
    {
        if (spec.fullNode.empty() || spec.fullNode[i])
        {
            order.push_back(i);
        }
    }
    CANON_ASSERT(spec.producers <= order.size(), "more producers than full nodes");
    Rng placement = Rng::Derive(spec.seed, "placement");
    for (auto i = static_cast<uint32_t>(order.size()); i > 1; --i)
    {
        std::swap(order[i - 1], order[placement.Below(i)]);
    }
    std::vector<int> producerOf(spec.nodes, -1);
    for (uint32_t p = 0; p < spec.producers; ++p)
    {
        producerOf[order[p]] = static_cast<int>(p);
    }
    return producerOf;
}

// The baselines: every full node that starts may produce (mine, stake, stand, harvest) unless
// the spec named the members.
void
AddConsensusMembers(const GenesisSpec& spec, RunGenesis& g)
{
    ConsensusParams& c = g.params->consensus;
    if (c.protocol == Protocol::kPop || !c.members.empty())
    {
        return;
    }
    for (uint32_t i = 0; i < spec.nodes; ++i)
    {
        if ((spec.fullNode.empty() || spec.fullNode[i]) && !g.offline[i])
        {
            c.members.push_back(g.nodeKeys[i].Public());
            if (!spec.nodeHashPower.empty())
            {
                c.pow.hashPower.push_back(spec.nodeHashPower[i]);
            }
        }
    }
}

} // namespace

RunGenesis
MakeRunGenesis(const GenesisSpec& spec)
{
    RunGenesis g;
    g.producerOf = PlaceProducers(spec);
    g.offline.assign(spec.nodes, false);
    std::vector<PublicKey> producers(spec.producers);
    std::vector<Address> investors;
    for (uint32_t i = 0; i < spec.nodes; ++i)
    {
        const int p = g.producerOf[i];
        g.nodeKeys.push_back(p >= 0 ? DeriveKeyPair(spec.seed, "producer", static_cast<uint32_t>(p))
                                    : DeriveKeyPair(spec.seed, "node", i));
        g.nodeOfKey[g.nodeKeys.back().Public()] = i;
        investors.push_back(g.nodeKeys.back().GetAddress());
        if (p >= 0)
        {
            producers[static_cast<std::size_t>(p)] = g.nodeKeys.back().Public();
            const auto& off = spec.offlineProducers;
            g.offline[i] = std::find(off.begin(), off.end(), static_cast<uint32_t>(p)) != off.end();
        }
    }
    for (uint32_t a = 0; a < spec.accounts; ++a)
    {
        g.accountKeys.push_back(DeriveKeyPair(spec.seed, "account", a));
        g.accountIndex[g.accountKeys.back().GetAddress()] = a;
        investors.push_back(g.accountKeys.back().GetAddress());
    }
    g.oracle = DeriveKeyPair(spec.seed, "czr", 0);
    investors.push_back(g.oracle.GetAddress());
    investors.insert(investors.end(), spec.funded.begin(), spec.funded.end());
    g.params = std::make_shared<ChainParams>(spec.base);
    g.params->czc.push_back({0, Blake2b256(std::string("CanonChain CZC rules v1"))});
    g.params->producers = producers;
    g.params->genesis = MakeGenesisAllocation(investors, Blake2b256(std::string("team")),
                                              Blake2b256(std::string("community")));
    if (spec.czr)
    {
        g.params->czrOracle = g.oracle.Public();
    }
    AddConsensusMembers(spec, g);
    return g;
}

} // namespace canon
