// Fixtures for the PoW tests: a PoW chain's parameters and engine, and block entries built by
// hand on it (no chain class: the engine alone decides validity, state, weight and finality).
// Entries are owned by the fixture and live as long as it does.
#ifndef CANONSIM_TESTS_CONSENSUS_POW_TEST_CHAIN_H
#define CANONSIM_TESTS_CONSENSUS_POW_TEST_CHAIN_H

#include "model/chain/ledger-state.h"
#include "model/consensus/baselines/pow-engine.h"

#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace canon::test
{

struct PowChainConfig
{
    std::vector<double> hashPower = std::vector<double>(4, 1.0); // four equal miners
    TimeNs meanInterval = 10 * kSecond;
    TimeNs tick = 50 * kMillisecond;
    uint32_t confirmations = 6;
    uint32_t retargetBlocks = 0;
    uint64_t seed = 1; // the miners' keys, hence every draw
};

inline ChainParams
MakePowParams(const PowChainConfig& c, std::vector<KeyPair>& miners)
{
    ChainParams p;
    p.slotDuration = c.tick;
    p.consensus.protocol = Protocol::kPow;
    p.consensus.pow.meanInterval = c.meanInterval;
    p.consensus.pow.confirmations = c.confirmations;
    p.consensus.pow.retargetBlocks = c.retargetBlocks;
    p.consensus.pow.hashPower = c.hashPower;
    for (uint32_t i = 0; i < c.hashPower.size(); ++i)
    {
        miners.push_back(DeriveKeyPair(c.seed, "miner", i));
        p.consensus.members.push_back(miners.back().Public());
    }
    return p;
}

class PowTestChain
{
  public:
    explicit PowTestChain(const PowChainConfig& c = PowChainConfig())
      : m_params(MakePowParams(c, m_miners))
      , m_engine(m_params)
      , m_ledger(LedgerState::FromGenesis(m_params))
    {
        auto g = std::make_unique<BlockEntry>();
        g->block = std::make_shared<Block>();
        g->hash = m_params.GenesisHash();
        g->consensus = m_engine.GenesisState(m_params, m_ledger);
        g->weight = m_engine.WeightOf(*g);
        m_entries.push_back(std::move(g));
    }

    const ChainParams& Params() const { return m_params; }
    const PowEngine& Engine() const { return m_engine; }
    const BlockEntry* Genesis() const { return m_entries.front().get(); }
    const KeyPair& Miner(uint32_t i) const { return m_miners.at(i); }

    // A header by miner `i` on `parent` for `slot` (valid or not); signed when `sign`.
    BlockHeader Header(const BlockEntry* parent, uint32_t i, uint64_t slot, bool sign = true) const
    {
        BlockHeader h;
        h.height = parent->height + 1;
        h.slot = slot;
        h.parent = parent->hash;
        h.producer = m_miners.at(i).Public();
        h.timestamp = m_params.SlotStart(slot);
        h.txRoot = Block().ComputeTxRoot();
        if (sign)
        {
            h.SignWith(m_miners.at(i));
        }
        return h;
    }

    // The entry of miner i's block on `parent` at `slot`, applied by the engine (CheckProducer
    // is the caller's business).
    const BlockEntry* Add(const BlockEntry* parent, uint32_t i, uint64_t slot, bool sign = true)
    {
        auto block = std::make_shared<Block>();
        block->header = Header(parent, i, slot, sign);
        auto e = std::make_unique<BlockEntry>();
        e->hash = block->Hash();
        e->block = block;
        e->height = block->header.height;
        e->slot = slot;
        e->parent = parent;
        e->producer = block->header.producer;
        e->producerIndex = m_engine.ProducerIndex(*parent, block->header);
        ConsensusEffects effects;
        e->consensus = m_engine.Apply(*e, m_ledger, effects);
        e->weight = m_engine.WeightOf(*e);
        m_entries.push_back(std::move(e));
        return m_entries.back().get();
    }

    // Miner i's first success tick on `parent` at or after `from` (asserts there is one within
    // the planning horizon).
    uint64_t NextSuccess(const BlockEntry* parent, uint32_t i, uint64_t from) const
    {
        std::optional<uint64_t> s = m_engine.NextProductionSlot(*parent, m_miners.at(i).Public(),
                                                                from, m_engine.PlanningHorizon());
        CANON_ASSERT(s.has_value(), "a miner with hash power succeeds within the horizon");
        return *s;
    }

    // Miner i's block at its first success on `parent` after the parent's slot.
    const BlockEntry* Mine(const BlockEntry* parent, uint32_t i, bool sign = true)
    {
        return Add(parent, i, NextSuccess(parent, i, parent->slot + 1), sign);
    }

  private:
    std::vector<KeyPair> m_miners;
    ChainParams m_params;
    PowEngine m_engine;
    LedgerState m_ledger;
    std::deque<std::unique_ptr<BlockEntry>> m_entries;
};

} // namespace canon::test

#endif
