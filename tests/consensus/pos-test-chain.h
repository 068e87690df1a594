// A hand-built PoS chain for the PoS rule and engine tests: stakeholders with chosen genesis
// stakes, and blocks checked and applied through PosEngine in the order the generic chain uses
// (CheckProducer, transactions, Apply, WeightOf, LibOf). The fixture owns every entry it makes;
// entries are never pruned, so pointers stay valid for the fixture's life.
#ifndef CANONSIM_TESTS_CONSENSUS_POS_TEST_CHAIN_H
#define CANONSIM_TESTS_CONSENSUS_POS_TEST_CHAIN_H

#include "model/consensus/baselines/pos-engine.h"

#include <memory>
#include <string>
#include <vector>

namespace canon::test
{

struct PosChainConfig
{
    std::vector<uint64_t> stakes{1, 2, 3, 4}; // genesis balance per member, in CZR
    double f = 0.5;
    uint64_t epochSlots = 30;
    uint32_t k = 3;
    std::string keyLabel = "pos"; // another label gives other keys
};

class PosTestChain
{
  public:
    explicit PosTestChain(const PosChainConfig& config)
    {
        for (std::size_t i = 0; i < config.stakes.size(); ++i)
        {
            keys.push_back(KeyPair::FromSeed(Blake2b256(config.keyLabel + std::to_string(i))));
            params.consensus.members.push_back(keys.back().Public());
            params.genesis.push_back({keys.back().GetAddress(), config.stakes[i] * kUnitsPerCzr});
        }
        params.consensus.protocol = Protocol::kPos;
        params.consensus.pos.activeSlotCoefficient = config.f;
        params.consensus.pos.epochSlots = config.epochSlots;
        params.consensus.pos.confirmations = config.k;
        params.czc.push_back({0, Blake2b256(std::string("czc v1"))});
        engine = std::make_unique<PosEngine>(params);
        auto g = std::make_unique<BlockEntry>();
        auto block = std::make_shared<Block>();
        g->hash = params.GenesisHash();
        g->block = block;
        g->state = std::make_shared<const LedgerState>(LedgerState::FromGenesis(params));
        g->consensus = engine->GenesisState(params, *g->state);
        g->lib = g.get();
        genesis = g.get();
        m_entries.push_back(std::move(g));
    }

    // A header of member `member` for `slot` on `parent` carrying `proof`, signed.
    Block MakeBlock(const BlockEntry& parent, uint32_t member, uint64_t slot, Bytes proof,
                    std::vector<Transaction> txs = {}) const
    {
        Block b;
        b.header.height = parent.height + 1;
        b.header.slot = slot;
        b.header.parent = parent.hash;
        b.header.producer = keys[member].Public();
        // Arbitrary slots (up to 2^64) have no representable start: they get timestamp 0, which
        // the engine never reads (the chain's time checks run before it).
        const bool bounded = params.IsSlotStarted(slot, params.SlotStart(1u << 30));
        b.header.timestamp = bounded ? params.SlotStart(slot) : 0;
        b.header.proof = std::move(proof);
        b.txs = std::move(txs);
        b.header.txRoot = b.ComputeTxRoot();
        b.header.SignWith(keys[member]);
        return b;
    }

    // Checks `b` on `parent` and, if it passes, applies and stores it.
    Result<const BlockEntry*> Add(const BlockEntry& parent, const Block& b)
    {
        Status s = engine->CheckProducer(parent, b.header);
        if (!s.IsOk())
        {
            return s;
        }
        auto e = std::make_unique<BlockEntry>();
        e->block = std::make_shared<const Block>(b);
        e->hash = b.Hash();
        e->height = b.header.height;
        e->slot = b.header.slot;
        e->parent = &parent;
        e->producer = b.header.producer;
        LedgerState state = *parent.state;
        for (const Transaction& tx : b.txs)
        {
            TxContext ctx;
            ctx.activeCzc = params.CzcHashAt(e->height);
            ctx.feeRecipient = AddressOf(b.header.producer);
            ctx.height = e->height;
            Status applied = state.ApplyTransaction(tx, ctx);
            if (!applied.IsOk())
            {
                return applied;
            }
        }
        ConsensusEffects effects;
        e->consensus = engine->Apply(*e, state, effects);
        e->state = std::make_shared<const LedgerState>(std::move(state));
        e->weight = engine->WeightOf(*e);
        e->lib = engine->LibOf(*e);
        m_entries.push_back(std::move(e));
        return static_cast<const BlockEntry*>(m_entries.back().get());
    }

    // The block of the first member that leads a slot in [from, from + horizon) on `parent`
    // (the earliest slot; among several leaders of it the lowest index), or nullptr.
    const BlockEntry* Extend(const BlockEntry& parent, uint64_t from, uint64_t horizon = 1000,
                             std::vector<Transaction> txs = {})
    {
        std::optional<uint64_t> best;
        uint32_t who = 0;
        for (uint32_t i = 0; i < keys.size(); ++i)
        {
            auto slot = engine->NextLeaderSlot(parent, keys[i], from, horizon);
            if (slot && (!best || *slot < *best))
            {
                best = slot;
                who = i;
            }
        }
        if (!best)
        {
            return nullptr;
        }
        Bytes proof = engine->MakeProof(parent, keys[who], *best, ProducerMemory{});
        Result<const BlockEntry*> r =
            Add(parent, MakeBlock(parent, who, *best, proof, std::move(txs)));
        return r.IsOk() ? r.Value() : nullptr;
    }

    // A transfer of `czr` whole CZR from member `from` to member `to`.
    Transaction Transfer(uint32_t from, uint32_t to, uint64_t nonce, uint64_t czr) const
    {
        return MakeTransfer(keys[from], nonce, 1, params.czc.front().czcHash, keys[to].GetAddress(),
                            czr * kUnitsPerCzr);
    }

    std::vector<KeyPair> keys;
    ChainParams params;
    std::unique_ptr<PosEngine> engine;
    const BlockEntry* genesis = nullptr;

  private:
    std::vector<std::unique_ptr<BlockEntry>> m_entries;
};

} // namespace canon::test

#endif
