// A PoP chain for governance tests (issue 18): seven producers, four funded accounts, a hold of
// 3 s, and helpers that make proposals and votes and extend the chain by the producers that are
// online until a change is adopted. Shared by the rule-epoch and in-force tests.
#ifndef CANONSIM_TESTS_GOVERNANCE_GOVERNANCE_CHAIN_H
#define CANONSIM_TESTS_GOVERNANCE_GOVERNANCE_CHAIN_H

#include "model/consensus/pop-engine.h"
#include "model/consensus/producer-schedule.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace canon
{
namespace govtest
{

class RuleEpochTest : public ::testing::Test
{
  protected:
    explicit RuleEpochTest(uint32_t n = 7)
      : tc(n, 4)
    {
        tc.params->governance.hold = 3 * kSecond;
        params = tc.params;
        chain = std::make_unique<ConsensusChain>(params);
    }

    const PopEngine& Engine() const { return dynamic_cast<const PopEngine&>(chain->Engine()); }
    const KeyPair* KeyOf(const PublicKey& pub) const
    {
        for (const KeyPair& k : tc.producers)
        {
            if (k.Public() == pub)
            {
                return &k;
            }
        }
        return nullptr;
    }
    // A block on `parent` at `slot` by its scheduled producer, timed by `clock`.
    BlockPtr Make(const BlockEntry* parent, uint64_t slot, const SlotClock& clock,
                  std::vector<Transaction> txs = {}) const
    {
        const PublicKey& who = ScheduledProducerKey(parent, slot, Engine().ClockOn(*parent));
        auto b = std::make_shared<Block>();
        b->header.height = parent->height + 1;
        b->header.slot = slot;
        b->header.parent = parent->hash;
        b->header.timestamp = clock.SlotStart(slot);
        b->txs = std::move(txs);
        b->header.txRoot = b->ComputeTxRoot();
        b->header.SignWith(*KeyOf(who));
        return b;
    }
    // The next block on `parent` from `minSlot` on, by one of the producers `online` holds.
    const BlockEntry* Extend(const BlockEntry* parent, uint64_t minSlot,
                             std::vector<Transaction> txs = {})
    {
        const SlotClock clock = Engine().ClockOn(*parent);
        for (uint64_t slot = std::max(minSlot, parent->slot + 1);; ++slot)
        {
            const PublicKey& who = ScheduledProducerKey(parent, slot, clock);
            if (online.count(who))
            {
                BlockPtr b = Make(parent, slot, clock, txs);
                blocks.push_back(b);
                AddBlockResult r = chain->AddBlock(b, b->Encode().size(), clock.SlotStart(slot));
                EXPECT_TRUE(r.status.IsOk()) << r.status.Message();
                return r.entry;
            }
        }
    }
    Transaction Tx(std::size_t account, TxType type, const Bytes& payload, uint64_t nonce) const
    {
        return MakeTransaction(tc.accounts[account], type, nonce, 0, tc.Czc(), payload);
    }
    // The CZC hash a proposal of `param` switches to.
    static Hash256 NewCzc(GovParam param)
    {
        return Blake2b256(std::string("CZC with a new ") + GovParamName(param));
    }
    // A proposal of `param` = `value` and votes (account 1's as `secondApproves`), on genesis.
    std::vector<Transaction> ProposalAndVotes(GovParam param, uint64_t value,
                                              bool secondApproves = true)
    {
        std::vector<Transaction> txs;
        const Hash256 newCzc = NewCzc(param);
        txs.push_back(
            Tx(0, TxType::kGovProposal, ProposalPayload{param, value, newCzc}.Encode(), 0));
        proposal = ProposalIdFor(tc.accounts[0].Public(), 0);
        for (std::size_t a = 0; a < 4; ++a)
        {
            const bool approve = a != 1 || secondApproves;
            txs.push_back(Tx(a, TxType::kGovVote, GovVotePayload{proposal, approve}.Encode(),
                             a == 0 ? 1 : 0));
        }
        return txs;
    }
    static const RuleEpochs& Epochs(const BlockEntry* e) { return e->state->Governance().epochs; }
    // Extends until a block's tally adopts the change; returns that block.
    const BlockEntry* ExtendUntilAdopted(const BlockEntry* tip)
    {
        while (!Epochs(tip))
        {
            tip = Extend(tip, tip->slot + 1);
        }
        return tip;
    }
    // Extends until a block's tally adopts a value of `param`; returns that block.
    const BlockEntry* ExtendUntilAdopted(const BlockEntry* tip, GovParam param)
    {
        while (!tip->state->Governance().AdoptedValue(param))
        {
            tip = Extend(tip, tip->slot + 1);
        }
        return tip;
    }
    // A block of `txs` on `parent` from `minSlot` on, by an online producer: whether the chain
    // takes it.
    Status TryExtend(const BlockEntry* parent, uint64_t minSlot, std::vector<Transaction> txs)
    {
        const SlotClock clock = Engine().ClockOn(*parent);
        uint64_t slot = std::max(minSlot, parent->slot + 1);
        while (!online.count(ScheduledProducerKey(parent, slot, clock)))
        {
            ++slot;
        }
        BlockPtr b = Make(parent, slot, clock, std::move(txs));
        blocks.push_back(b);
        return chain->AddBlock(b, b->Encode().size(), clock.SlotStart(slot)).status;
    }

    test::TestChain tc;
    std::shared_ptr<ChainParams> params;
    std::unique_ptr<ConsensusChain> chain;
    std::set<PublicKey> online;
    std::vector<BlockPtr> blocks;
    Hash256 proposal{};
};

} // namespace govtest
} // namespace canon

#endif
