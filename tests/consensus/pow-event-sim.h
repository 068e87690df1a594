// PowNetSim: an event-level PoW network without ns-3, for the stale-rate and selfish-mining tests
// (NOTES.md 4.4, 4.5). Every miner mines with the engine's rule on its own tip
// (PowEngine::NextProductionSlot, a redraw on every tip change) and every block passes
// CheckProducer; a block reaches each other miner after a fixed delay; miners follow most work,
// keeping the first seen among equals (PowEngine::FirstSeenWins). One miner may be a selfish pool
// driven by SelfishMiningStrategy.
//
// Time: a block found in tick s is sent at SlotStart(s) and arrives at SlotStart(s) + delay.
// Deliveries at an instant come before productions at that instant; productions in one tick are
// simultaneous (none sees another). A block whose parent has not arrived waits for it.
//
// The pool hears honest blocks after `toPool`; its releases reach honest miner j after
// `poolFast` when j < fastMiners, else after `poolSlow`. Its view of the public chain is every
// block it received or published; each height that chain gains beyond the machine's public
// length is one OnHonestBlock.
//
// Owns its chain fixture and entries; single-threaded; deterministic for a configuration.
#ifndef CANONSIM_TESTS_CONSENSUS_POW_EVENT_SIM_H
#define CANONSIM_TESTS_CONSENSUS_POW_EVENT_SIM_H

#include "model/chain/block-fate.h"
#include "model/consensus/baselines/pow-selfish.h"
#include "pow-test-chain.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <queue>
#include <vector>

namespace canon::test
{

struct PowNetConfig
{
    PowChainConfig chain;
    TimeNs delay = 0;       // honest miner to every other miner
    uint64_t blocks = 1000; // the run stops once this many blocks were found
    int pool = -1;          // the selfish pool's miner index; -1: all honest
    TimeNs toPool = 0;
    TimeNs poolFast = 0;
    TimeNs poolSlow = 0;
    uint32_t fastMiners = 0;
};

struct PowNetResult
{
    StaleCount fates;        // every block found, decided against the final main chain
    uint64_t poolMain = 0;   // the pool's blocks on the final main chain (decided part)
    uint64_t raceBlocks = 0; // honest blocks found during a race (state 0')
    uint64_t raceOnPool = 0; // ... that extend the pool's branch
    Hash256 finalTip{};

    double PoolShare() const
    {
        return static_cast<double>(poolMain) / static_cast<double>(fates.main);
    }
    double GammaHat() const
    {
        return static_cast<double>(raceOnPool) / static_cast<double>(raceBlocks);
    }
};

class PowNetSim
{
  public:
    explicit PowNetSim(const PowNetConfig& c)
      : m_config(c)
      , m_chain(c.chain)
      , m_engine(m_chain.Engine())
      , m_nodes(c.chain.hashPower.size())
    {
        AddBlock(m_chain.Genesis(), 0, kNone);
        for (uint32_t j = 0; j < m_nodes.size(); ++j)
        {
            m_nodes[j].known[0] = 1;
            SetTip(j, m_chain.Genesis(), 1);
        }
        m_poolPublic = m_chain.Genesis();
    }

    PowNetResult Run()
    {
        while (m_found < m_config.blocks)
        {
            const uint64_t tick = NextTick();
            const TimeNs at = m_chain.Params().SlotStart(tick);
            if (!m_deliveries.empty() && m_deliveries.top().at <= at)
            {
                const Delivery d = m_deliveries.top();
                m_deliveries.pop();
                Deliver(d.to, d.block, d.at);
                continue;
            }
            ProduceAt(tick);
        }
        return Result();
    }

  private:
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

    struct Node
    {
        const BlockEntry* tip = nullptr;
        std::optional<uint64_t> next;
        std::vector<uint8_t> known;                    // by block id
        std::vector<std::vector<std::size_t>> waiting; // by parent id: children that arrived early
    };
    struct Delivery
    {
        TimeNs at;
        uint64_t seq;
        uint32_t to;
        std::size_t block;
        bool operator>(const Delivery& o) const { return at != o.at ? at > o.at : seq > o.seq; }
    };
    struct SimBlock
    {
        const BlockEntry* entry;
        uint32_t miner;
        std::size_t parent;
    };

    bool IsPool(uint32_t j) const { return static_cast<int>(j) == m_config.pool; }

    std::size_t AddBlock(const BlockEntry* e, uint32_t miner, std::size_t parent)
    {
        m_ids[e] = m_blocks.size();
        m_blocks.push_back({e, miner, parent});
        for (Node& n : m_nodes)
        {
            n.known.push_back(0);
            n.waiting.emplace_back();
        }
        return m_blocks.size() - 1;
    }

    uint64_t NextTick() const
    {
        uint64_t t = UINT64_MAX;
        for (const Node& n : m_nodes)
        {
            t = n.next ? std::min(t, *n.next) : t;
        }
        EXPECT_NE(t, UINT64_MAX) << "some miner always has a next success";
        return t;
    }

    // The first tick that starts at or after `t`.
    uint64_t TickFrom(TimeNs t) const
    {
        const ChainParams& p = m_chain.Params();
        const TimeNs rel = t - p.genesisTime;
        return static_cast<uint64_t>((rel + p.slotDuration - 1) / p.slotDuration);
    }

    void SetTip(uint32_t j, const BlockEntry* tip, uint64_t from)
    {
        Node& n = m_nodes[j];
        n.tip = tip;
        n.next = m_engine.NextProductionSlot(*tip, m_chain.Miner(j).Public(), from,
                                             m_engine.PlanningHorizon());
    }

    TimeNs Delay(uint32_t from, uint32_t to) const
    {
        if (IsPool(from))
        {
            return to < m_config.fastMiners ? m_config.poolFast : m_config.poolSlow;
        }
        return IsPool(to) ? m_config.toPool : m_config.delay;
    }

    void Send(uint32_t from, std::size_t block, TimeNs at)
    {
        for (uint32_t k = 0; k < m_nodes.size(); ++k)
        {
            if (k != from)
            {
                m_deliveries.push({at + Delay(from, k), m_seq++, k, block});
            }
        }
    }

    void ProduceAt(uint64_t tick)
    {
        std::vector<std::pair<uint32_t, std::size_t>> made;
        for (uint32_t j = 0; j < m_nodes.size(); ++j)
        {
            if (m_nodes[j].next == tick)
            {
                made.emplace_back(j, Mine(j, tick));
            }
        }
        const TimeNs at = m_chain.Params().SlotStart(tick);
        for (const auto& [j, id] : made)
        {
            if (IsPool(j))
            {
                PoolFound(id, at);
            }
            else
            {
                HonestFound(j, id, at);
            }
        }
    }

    std::size_t Mine(uint32_t j, uint64_t tick)
    {
        const BlockEntry* parent = m_nodes[j].tip;
        const BlockEntry* e = m_chain.Add(parent, j, tick, false);
        const Status st = m_engine.CheckProducer(*parent, e->block->header);
        EXPECT_TRUE(st.IsOk()) << st.ToString();
        ++m_found;
        const std::size_t id = AddBlock(e, j, m_ids.at(parent));
        m_nodes[j].known[id] = 1;
        if (!IsPool(j))
        {
            CountRace(parent);
        }
        return id;
    }

    void HonestFound(uint32_t j, std::size_t id, TimeNs at)
    {
        const BlockEntry* e = m_blocks[id].entry;
        SetTip(j, e, e->slot + 1);
        Send(j, id, at);
    }

    void Deliver(uint32_t k, std::size_t id, TimeNs at)
    {
        Node& n = m_nodes[k];
        if (n.known[id])
        {
            return;
        }
        if (!n.known[m_blocks[id].parent])
        {
            n.waiting[m_blocks[id].parent].push_back(id);
            return;
        }
        n.known[id] = 1;
        Accept(k, id, at);
        std::vector<std::size_t> children;
        children.swap(n.waiting[id]);
        for (std::size_t c : children)
        {
            Deliver(k, c, at);
        }
    }

    void Accept(uint32_t k, std::size_t id, TimeNs at)
    {
        const BlockEntry* e = m_blocks[id].entry;
        if (IsPool(k))
        {
            PoolSaw(e, at);
            return;
        }
        if (m_engine.WeightOf(*e) > m_engine.WeightOf(*m_nodes[k].tip))
        {
            SetTip(k, e, TickFrom(at));
        }
    }

    // The selfish pool.

    const BlockEntry* PoolTip() const
    {
        return m_private.empty() ? m_poolPublic : m_blocks[m_private.back()].entry;
    }

    void PoolFound(std::size_t id, TimeNs at)
    {
        m_private.push_back(id);
        PoolAct(m_strategy.OnOwnBlock(), at);
        SetTip(static_cast<uint32_t>(m_config.pool), PoolTip(), m_blocks[id].entry->slot + 1);
    }

    void PoolSaw(const BlockEntry* e, TimeNs at)
    {
        const BlockEntry* before = PoolTip();
        if (m_engine.WeightOf(*e) > m_engine.WeightOf(*m_poolPublic))
        {
            m_poolPublic = e;
        }
        while (m_poolPublic->height > m_forkHeight + m_strategy.PublicLength())
        {
            PoolAct(m_strategy.OnHonestBlock(), at);
        }
        if (PoolTip() != before)
        {
            SetTip(static_cast<uint32_t>(m_config.pool), PoolTip(), TickFrom(at));
        }
    }

    void PoolAct(const SelfishAction& a, TimeNs at)
    {
        EXPECT_LE(a.publishThrough, m_private.size());
        for (std::size_t i = m_published; i < a.publishThrough; ++i)
        {
            const BlockEntry* e = m_blocks[m_private[i]].entry;
            if (m_engine.WeightOf(*e) > m_engine.WeightOf(*m_poolPublic))
            {
                m_poolPublic = e;
            }
            Send(static_cast<uint32_t>(m_config.pool), m_private[i], at);
        }
        m_published = std::max<std::size_t>(m_published, a.publishThrough);
        if (a.rebase || a.adoptPublic)
        {
            EXPECT_TRUE(!a.rebase || m_poolPublic == m_blocks[m_private.back()].entry);
            m_private.clear();
            m_published = 0;
            m_forkHeight = m_poolPublic->height;
        }
    }

    // An honest miner found a block on `parent` while the pool races (state 0'): on which side?
    void CountRace(const BlockEntry* parent)
    {
        if (m_config.pool < 0 || !m_strategy.InRace())
        {
            return;
        }
        if (parent == m_blocks[m_private.front()].entry)
        {
            ++m_raceOnPool;
            ++m_raceBlocks;
        }
        else if (parent->height == m_forkHeight + 1)
        {
            ++m_raceBlocks;
        }
    }

    PowNetResult Result() const
    {
        // The best honest tip (the pool's own tip may hold unpublished blocks); ties: the
        // lowest miner index.
        const BlockEntry* tip = m_chain.Genesis();
        for (uint32_t j = 0; j < m_nodes.size(); ++j)
        {
            const BlockEntry* t = m_nodes[j].tip;
            tip = !IsPool(j) && m_engine.WeightOf(*t) > m_engine.WeightOf(*tip) ? t : tip;
        }
        const uint64_t libHeight = m_engine.LibOf(*tip)->height;
        PowNetResult r;
        r.finalTip = tip->hash;
        r.raceBlocks = m_raceBlocks;
        r.raceOnPool = m_raceOnPool;
        for (std::size_t id = 1; id < m_blocks.size(); ++id)
        {
            const BlockEntry* e = m_blocks[id].entry;
            const BlockEntry* main = BlockTree::AncestorAt(tip, std::min(e->height, tip->height));
            const BlockFate f = FateOf(e->height, e->hash, main->hash, libHeight);
            r.fates.Add(f);
            r.poolMain += f == BlockFate::kMain && IsPool(m_blocks[id].miner) ? 1u : 0u;
        }
        return r;
    }

    PowNetConfig m_config;
    PowTestChain m_chain;
    const PowEngine& m_engine;
    std::vector<Node> m_nodes;
    std::vector<SimBlock> m_blocks;
    std::map<const BlockEntry*, std::size_t> m_ids; // lookups only, never iterated
    std::priority_queue<Delivery, std::vector<Delivery>, std::greater<Delivery>> m_deliveries;
    uint64_t m_seq = 0;
    uint64_t m_found = 0;
    // The pool's state.
    SelfishMiningStrategy m_strategy;
    const BlockEntry* m_poolPublic = nullptr; // best of what the pool received or published
    std::vector<std::size_t> m_private;       // its branch above the fork point
    std::size_t m_published = 0;
    uint64_t m_forkHeight = 0;
    uint64_t m_raceBlocks = 0;
    uint64_t m_raceOnPool = 0;
};

} // namespace canon::test

#endif
