#include "model/consensus/consensus-params.h"

#include <cmath>

namespace canon
{

namespace
{

constexpr const char* kProtocolNames[] = {"pop", "pow", "pos", "dpos", "poi"};

// Fractions reach the hash in parts per 10^9, as ChainParams::GenesisHash writes them.
uint64_t
Nano(double x)
{
    return static_cast<uint64_t>(std::llround(x * 1e9));
}

} // namespace

const char*
ProtocolName(Protocol p)
{
    return kProtocolNames[static_cast<uint8_t>(p)];
}

bool
ParseProtocol(const std::string& name, Protocol& out)
{
    for (uint8_t i = 0; i < sizeof kProtocolNames / sizeof kProtocolNames[0]; ++i)
    {
        if (name == kProtocolNames[i])
        {
            out = static_cast<Protocol>(i);
            return true;
        }
    }
    return false;
}

void
WriteConsensusParams(Writer& w, const ConsensusParams& c)
{
    w.U8(static_cast<uint8_t>(c.protocol));
    w.U32(static_cast<uint32_t>(c.members.size()));
    for (const PublicKey& k : c.members)
    {
        w.Fixed(k);
    }
    w.I64(c.pow.meanInterval);
    w.U32(c.pow.confirmations);
    w.U32(c.pow.retargetBlocks);
    w.U32(static_cast<uint32_t>(c.pow.hashPower.size()));
    for (double h : c.pow.hashPower)
    {
        w.U64(Nano(h));
    }
    w.U64(Nano(c.pow.gamma));
    w.U64(Nano(c.pos.activeSlotCoefficient));
    w.U32(c.pos.confirmations);
    w.U64(c.pos.epochSlots);
    w.U32(c.dpos.producers);
    w.U32(c.dpos.repetitions);
    w.U32(c.dpos.votesMax);
    w.U8(c.dpos.singleStageLib ? 1 : 0);
    w.I64(c.poi.targetInterval);
    w.U64(c.poi.recomputeBlocks);
    w.U64(c.poi.vestedMin);
    w.U32(c.poi.finalityDepth);
}

} // namespace canon
