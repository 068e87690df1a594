// Hand-built PoI chains for the engine tests: members are the genesis investors (40% of the
// supply shared equally), blocks are harvested by whoever the engine says may harvest, entries
// are filled in the order the consensus chain fills them (state, consensus, weight, LIB).
#ifndef CANONSIM_TESTS_CONSENSUS_POI_TEST_CHAIN_H
#define CANONSIM_TESTS_CONSENSUS_POI_TEST_CHAIN_H

#include "model/chain/block-validator.h"
#include "model/consensus/baselines/poi-engine.h"
#include "tests/unit/test-chain.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace canon::test
{

struct PoiTestChain
{
    std::vector<KeyPair> members;
    std::shared_ptr<ChainParams> params;
    std::unique_ptr<PoiEngine> engine;
    std::vector<std::unique_ptr<BlockEntry>> entries; // [0] is genesis

    explicit PoiTestChain(uint32_t memberCount,
                          const std::function<void(ChainParams&)>& tweak = nullptr)
    {
        params = std::make_shared<ChainParams>();
        params->consensus.protocol = Protocol::kPoi;
        std::vector<Address> investors;
        for (uint32_t i = 0; i < memberCount; ++i)
        {
            members.push_back(Key("poi-member" + std::to_string(i)));
            params->consensus.members.push_back(members.back().Public());
            investors.push_back(members.back().GetAddress());
        }
        params->genesis = MakeGenesisAllocation(investors, Key("team").GetAddress(),
                                                Key("community").GetAddress());
        params->czc.push_back({0, Blake2b256(std::string("czc v1"))});
        if (tweak)
        {
            tweak(*params);
        }
        engine = std::make_unique<PoiEngine>(*params);
        auto g = std::make_unique<BlockEntry>();
        auto block = std::make_shared<Block>();
        block->header.timestamp = params->genesisTime;
        g->block = block;
        g->hash = params->GenesisHash();
        g->state = std::make_shared<LedgerState>(LedgerState::FromGenesis(*params));
        g->consensus = engine->GenesisState(*params, *g->state);
        g->weight = engine->WeightOf(*g);
        g->lib = g.get();
        entries.push_back(std::move(g));
    }

    const BlockEntry* Genesis() const { return entries.front().get(); }
    Hash256 Czc() const { return params->czc.front().czcHash; }

    // A signed block by `harvester` on `parent` in `slot`.
    BlockPtr MakeBlock(const BlockEntry* parent, const KeyPair& harvester, uint64_t slot,
                       std::vector<Transaction> txs = {}) const
    {
        auto b = std::make_shared<Block>();
        b->header.height = parent->height + 1;
        b->header.slot = slot;
        b->header.parent = parent->hash;
        b->header.producer = harvester.Public();
        b->header.timestamp = params->SlotStart(slot);
        b->txs = std::move(txs);
        b->header.txRoot = b->ComputeTxRoot();
        b->header.SignWith(harvester);
        return b;
    }

    // Applies `block` on `parent` as the chain would; asserts its transactions are valid.
    const BlockEntry* Add(const BlockEntry* parent, BlockPtr block)
    {
        auto e = std::make_unique<BlockEntry>();
        auto ledger = std::make_shared<LedgerState>(*parent->state);
        const Status s = ApplyBlockBody(*block, *params, *ledger);
        CANON_ASSERT(s.IsOk(), s.Message().c_str());
        e->block = block;
        e->hash = block->Hash();
        e->height = block->header.height;
        e->slot = block->header.slot;
        e->parent = parent;
        e->producer = block->header.producer;
        e->producerIndex = engine->ProducerIndex(*parent, block->header);
        ConsensusEffects effects;
        e->consensus = engine->Apply(*e, *ledger, effects);
        e->state = std::move(ledger);
        e->weight = engine->WeightOf(*e);
        e->lib = engine->LibOf(*e);
        entries.push_back(std::move(e));
        return entries.back().get();
    }

    // The member that harvests first on `parent` (the lowest index among ties) and its slot.
    std::pair<std::size_t, uint64_t> Winner(const BlockEntry* parent) const
    {
        std::size_t best = members.size();
        uint64_t bestSlot = UINT64_MAX;
        for (std::size_t i = 0; i < members.size(); ++i)
        {
            const auto slot = engine->NextProductionSlot(*parent, members[i].Public(),
                                                         parent->slot + 1, UINT64_MAX / 2);
            if (slot && *slot < bestSlot)
            {
                best = i;
                bestSlot = *slot;
            }
        }
        CANON_ASSERT(best < members.size(), "no member can harvest");
        return {best, bestSlot};
    }

    // The winner's block on `parent`.
    const BlockEntry* Extend(const BlockEntry* parent, std::vector<Transaction> txs = {})
    {
        const auto [who, slot] = Winner(parent);
        return Add(parent, MakeBlock(parent, members[who], slot, std::move(txs)));
    }

    Transaction Transfer(const KeyPair& from, const Address& to, uint64_t amount,
                         const BlockEntry* parent, uint64_t fee = 1000)
    {
        return MakeTransfer(from, parent->state->NonceOf(from.GetAddress()), fee, Czc(), to,
                            amount);
    }
};

} // namespace canon::test

#endif
