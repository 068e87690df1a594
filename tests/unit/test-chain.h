// Shared fixtures for unit tests: a small deterministic chain with known producer keys and
// funded accounts, and helpers that build valid blocks on it.
#ifndef CANONSIM_TESTS_TEST_CHAIN_H
#define CANONSIM_TESTS_TEST_CHAIN_H

#include "model/chain/block-validator.h"
#include "model/consensus/consensus-chain.h"
#include "model/consensus/producer-schedule.h"

#include <memory>
#include <string>
#include <vector>

namespace canon::test
{

// The context of a transaction applied outside a block.
inline TxContext
Ctx(const Hash256& czc, const Address& feeRecipient)
{
    TxContext c;
    c.activeCzc = czc;
    c.feeRecipient = feeRecipient;
    return c;
}

inline KeyPair
Key(const std::string& label)
{
    return KeyPair::FromSeed(Blake2b256("test/" + label));
}

struct TestChain
{
    std::vector<KeyPair> producers;
    std::vector<KeyPair> accounts;
    std::shared_ptr<ChainParams> params;

    explicit TestChain(uint32_t n, uint32_t accountCount = 4)
    {
        params = std::make_shared<ChainParams>();
        for (uint32_t i = 0; i < n; ++i)
        {
            producers.push_back(Key("producer" + std::to_string(i)));
            params->producers.push_back(producers.back().Public());
        }
        std::vector<Address> investors;
        for (uint32_t i = 0; i < accountCount; ++i)
        {
            accounts.push_back(Key("account" + std::to_string(i)));
            investors.push_back(accounts.back().GetAddress());
        }
        params->genesis = MakeGenesisAllocation(investors, Key("team").GetAddress(),
                                                Key("community").GetAddress());
        params->czc.push_back({0, Blake2b256(std::string("czc v1"))});
    }

    Hash256 Czc() const { return params->czc.front().czcHash; }

    // A valid block on `parent` for `slot`, signed by whoever the schedule names.
    BlockPtr MakeBlock(const ConsensusChain& chain, const BlockEntry* parent, uint64_t slot,
                       std::vector<Transaction> txs = {}) const
    {
        auto b = std::make_shared<Block>();
        b->header.height = parent->height + 1;
        b->header.slot = slot;
        b->header.parent = parent->hash;
        b->header.timestamp = params->SlotStart(slot);
        b->txs = std::move(txs);
        b->header.txRoot = b->ComputeTxRoot();
        b->header.SignWith(producers[chain.ProducerFor(parent, slot)]);
        return b;
    }

    static std::size_t Size(const BlockPtr& b) { return b->Encode().size(); }
};

// PoP: the key of whoever must produce `slot` on top of `parent` (elected sets included).
inline const PublicKey&
ScheduledKey(const ConsensusChain& chain, const BlockEntry* parent, uint64_t slot)
{
    return ScheduledProducerKey(parent, slot,
                                static_cast<uint32_t>(chain.Params().producers.size()));
}

} // namespace canon::test

#endif
