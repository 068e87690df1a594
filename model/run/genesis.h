// RunGenesis: the keys, producer placement and chain parameters of one run, derived from the
// seed (PROTOCOL.md 1). One copy for both engines and the property harness, so a seed places
// producers on the same nodes whichever engine runs it.
//
// Keys: genesis producer p holds DeriveKeyPair(seed, "producer", p); every other node
// DeriveKeyPair(seed, "node", i); workload account a DeriveKeyPair(seed, "account", a); the CZR
// engine DeriveKeyPair(seed, "czr", 0). Producers sit on full nodes drawn by a Fisher-Yates
// shuffle of the full nodes from Rng::Derive(seed, "placement"). Genesis funds every node, then
// every account, then the engine, then GenesisSpec::funded (investors, in that order), and splits
// the rest as PROTOCOL.md 1 says. Under a baseline protocol (issue 14) the consensus members,
// unless given, are the full nodes that start, in node order.
#ifndef CANONSIM_RUN_GENESIS_H
#define CANONSIM_RUN_GENESIS_H

#include "model/chain/chain-params.h"
#include "model/core/keys.h"

#include <map>
#include <memory>
#include <vector>

namespace canon
{

struct GenesisSpec
{
    uint64_t seed = 1;
    uint32_t nodes = 0;
    std::vector<bool> fullNode; // per node; empty: every node is full
    uint32_t producers = 0;     // <= full nodes
    uint32_t accounts = 0;
    std::vector<uint32_t> offlineProducers; // producer indices that never start
    bool czr = false;                       // the CZR engine's key may report
    // Slot length, block bounds, finality override, election knobs and the consensus protocol;
    // the producers, genesis allocation, CZC rules, oracle and consensus members are filled in.
    ChainParams base;
    // PoW: each node's hash power (empty: equal); the members' become PowParams::hashPower.
    std::vector<double> nodeHashPower;
    // Run features' own keys (a contract's owner and devices, data owners and store writers),
    // funded as investors after the engine; empty in runs without such a feature, which keep
    // their allocation.
    std::vector<Address> funded;
};

struct RunGenesis
{
    std::shared_ptr<ChainParams> params;
    std::vector<KeyPair> nodeKeys;
    std::vector<int> producerOf; // genesis producer index per node, -1 for others
    std::vector<bool> offline;   // per node: an offline genesis producer (never starts)
    std::vector<KeyPair> accountKeys;
    KeyPair oracle = KeyPair::FromSeed(Hash256{});
    std::map<PublicKey, uint32_t> nodeOfKey;
    std::map<Address, uint32_t> accountIndex;
};

RunGenesis MakeRunGenesis(const GenesisSpec& spec);

} // namespace canon

#endif
