// Which consensus protocol a chain runs, and each protocol's parameters (issue 14, PROTOCOL.md
// 8). PoP's own rules keep their parameters in ChainParams (slot length, election, finality
// override); the baselines' live here, one struct per protocol. Defaults here and only here
// (DESIGN.md 4.9); the scenario reader documents ranges. Every field reaches the genesis hash.
//
// The slot is every protocol's unit of time: a header's timestamp is always the start of its
// slot (ChainParams::SlotStart). For PoP, PoS and DPoS it is the protocol's own slot; for PoW and
// PoI it is a tick (the scenario's slot length, short for PoW) at which a block may be found.
#ifndef CANONSIM_CONSENSUS_CONSENSUS_PARAMS_H
#define CANONSIM_CONSENSUS_CONSENSUS_PARAMS_H

#include "model/core/encoding.h"
#include "model/core/keys.h"
#include "model/core/time.h"

#include <cstdint>
#include <string>
#include <vector>

namespace canon
{

enum class Protocol : uint8_t
{
    kPop = 0,
    kPow = 1,
    kPos = 2,
    kDpos = 3,
    kPoi = 4,
};

// "pop", "pow", "pos", "dpos", "poi".
const char* ProtocolName(Protocol p);
// False for an unknown name.
bool ParseProtocol(const std::string& name, Protocol& out);

// Nakamoto proof of work without hashing: each miner finds blocks as a Poisson process whose
// rate is its share of the hash power over the mean block interval.
struct PowParams
{
    TimeNs meanInterval = 10 * kSecond; // Bitcoin: 600 s
    uint32_t confirmations = 6;         // k: a block k deep counts as final
    // Difficulty retargeting every this many blocks (0: fixed difficulty), Bitcoin's rule
    // clamped to a factor of 4 either way.
    uint32_t retargetBlocks = 0;
    // Per miner (ConsensusParams::members), relative; normalised to shares.
    std::vector<double> hashPower;
    // Eyal-Sirer's gamma (the share of honest miners that build on a selfish miner's block in a
    // tie), recorded with the run. No rule reads it: honest miners keep the block they saw first,
    // so gamma emerges from where the selfish miner sits and how fast its links are
    // (model/node/adversary.h).
    double gamma = 0.5;
};

// Ouroboros Praos-style chain-based proof of stake.
struct PosParams
{
    double activeSlotCoefficient = 0.05; // f: the chance a slot has at least one leader
    uint32_t confirmations = 20;         // k
    uint64_t epochSlots = 600;           // stake snapshot and nonce per epoch
};

// EOSIO 1.8 delegated proof of stake (model/consensus/baselines/NOTES.md 1).
struct DposParams
{
    uint32_t producers = 21;     // scheduled producers
    uint32_t repetitions = 12;   // consecutive blocks per producer turn
    uint32_t votesMax = 30;      // producers one account may vote for
    bool singleStageLib = false; // the "15 of 21" rule instead of EOSIO 1.8's two-stage LIB
};

// NEM proof of importance (model/consensus/baselines/NOTES.md 2).
struct PoiParams
{
    TimeNs targetInterval = 60 * kSecond;
    uint64_t recomputeBlocks = 359; // importance recomputed at grouped heights
    uint64_t vestedMin = 10000;     // in whole CZR: eligibility to harvest
    uint32_t finalityDepth = 360;
};

struct ConsensusParams
{
    Protocol protocol = Protocol::kPop;
    // Who may produce under the baselines (miners, stakeholders, candidates, harvesters), in
    // order; empty under PoP (ChainParams::producers is the genesis producer set there).
    std::vector<PublicKey> members;
    PowParams pow;
    PosParams pos;
    DposParams dpos;
    PoiParams poi;
};

// Every field, for the genesis hash.
void WriteConsensusParams(Writer& w, const ConsensusParams& c);

} // namespace canon

#endif
