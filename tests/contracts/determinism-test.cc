// One contract call sequence on many nodes (the deterministic harness, model/sim/harness.h):
// every node ends on the same block with the same state root, and replaying that chain's blocks
// on independent ledger copies (fresh Lua states, so fresh string hash seeds) gives the same
// root again, receipts and gas included.
#include "model/chain/block-validator.h"
#include "model/contracts/contract-executor.h"
#include "model/sim/harness.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

const char* kTally = R"(
local M = {}
function M.init() chain.set('total', 0) end
function M.add(n)
  local seen = {}
  for i = 1, n do seen['k' .. (i * 7919 % 101)] = i end
  local s = 0
  for k, v in pairs(seen) do s = s + v * #k end
  chain.set('total', chain.get('total') + s)
  chain.set('by:' .. chain.caller(), s)
  return s
end
function M.on_event(device, kind, n) chain.set('event:' .. kind, n) end
return M
)";

constexpr uint64_t kFee = 1'000'000;

struct Sequence
{
    Harness h;
    std::vector<KeyPair> accounts;
    Address contract{};

    explicit Sequence(HarnessConfig c)
      : h(std::move(c))
    {
        for (uint32_t a = 0; a < h.Config().accounts; ++a)
        {
            accounts.push_back(DeriveKeyPair(h.Config().seed, "account", a));
        }
        contract = ContractAddress(accounts[0].GetAddress(), 0);
    }
    Hash256 Czc() const { return h.Params().CzcHashAt(0); }
    void Submit(uint32_t node, uint32_t account, uint64_t nonce, TxType type, const Bytes& payload)
    {
        h.SubmitTransaction(node % h.NodeCount(),
                            MakeTransaction(accounts[account], type, nonce, kFee, Czc(), payload));
    }
    void Play()
    {
        h.RunUntil(500 * kMillisecond);
        Submit(1, 0, 0, TxType::kContractDeploy, DeployPayload{kTally, {}, 0, 500'000}.Encode());
        h.RunUntil(4 * kSecond);
        for (uint32_t a = 1; a < 6; ++a)
        {
            Submit(a, a, 0, TxType::kContractCall,
                   CallPayload{contract, "add", {ContractValue::Int(40 + a)}, a, 500'000}.Encode());
        }
        const KeyPair& device = accounts[7];
        Submit(2, 6, 0, TxType::kDeviceRegister,
               DeviceRegisterPayload{device.Public(), 3, 2}.Encode());
        h.RunUntil(8 * kSecond);
        Submit(3, 7, 0, TxType::kDeviceEvent,
               DeviceEventPayload{contract, "heat", {ContractValue::Int(71)}, 300'000}.Encode());
        h.RunUntil(20 * kSecond + 500 * kMillisecond); // between slots: every node on one block
    }
};

HarnessConfig
Config()
{
    HarnessConfig c;
    c.seed = 16;
    c.nodeCount = 6;
    c.producerCount = 4;
    c.txPerSecond = 0;
    c.accounts = 8;
    return c;
}

TEST(ContractDeterminism, ManyNodesAndReplaysAgreeOnTheStateRoot)
{
    Sequence s(Config());
    s.Play();
    const Node* first = s.h.GetNode(0);
    ASSERT_NE(first, nullptr);
    const BlockEntry* best = first->Chain().Best();
    const LedgerState& st = first->Chain().BestState();
    const ContractAccount* tally = st.Contracts().Find(s.contract);
    ASSERT_NE(tally, nullptr) << "the deploy made it into a block";
    EXPECT_EQ(tally->Get("event:heat"), ContractValue::Int(71));
    EXPECT_EQ(tally->Get("total").kind, ContractValue::Kind::kInt);
    EXPECT_NE(tally->Get("by:" + AddressToLua(s.accounts[5].GetAddress())), ContractValue::Nil());
    EXPECT_EQ(st.TotalSupply(), kTotalSupply);
    for (uint32_t i = 1; i < s.h.NodeCount(); ++i)
    {
        const Node* n = s.h.GetNode(i);
        ASSERT_NE(n, nullptr);
        EXPECT_EQ(n->Chain().Best()->hash, best->hash) << "node " << i;
        EXPECT_EQ(n->Chain().BestState().StateRoot(), st.StateRoot()) << "node " << i;
    }
    // Replays on independent copies: each runs every contract again in fresh Lua states.
    std::vector<BlockPtr> blocks;
    for (const BlockEntry* e = best; e && e->height > 0; e = e->parent)
    {
        blocks.insert(blocks.begin(), e->block);
    }
    ASSERT_EQ(blocks.size(), best->height) << "the whole main chain is still held";
    uint32_t contractTxs = 0;
    for (int copy = 0; copy < 3; ++copy)
    {
        LedgerState replay = LedgerState::FromGenesis(s.h.Params());
        for (const auto& b : blocks)
        {
            ASSERT_TRUE(ApplyBlockBody(*b, s.h.Params(), replay).IsOk());
            for (const auto& r : replay.Contracts().ReceiptsAt(b->header.height))
            {
                const auto& mine = st.Contracts();
                (void) mine;
                contractTxs += copy == 0 && r.revert == RevertKind::kNone ? 1 : 0;
            }
        }
        EXPECT_EQ(replay.StateRoot(), st.StateRoot()) << "replay " << copy;
    }
    EXPECT_EQ(contractTxs, 7u) << "deploy, five calls and the device event succeeded";
}

} // namespace
} // namespace canon
