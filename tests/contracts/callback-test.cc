// Callbacks end to end on the abstract engine: a device registers a predicate on a contract's
// state; the block that makes it true makes the device's home node send a callback message to
// the device's node, which records its arrival and latency; the device then acts (sends its
// next event). Also the message codec and its bad input.
#include "model/contracts/contract-executor.h"
#include "model/contracts/contract-node-hook.h"
#include "model/sim/harness.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

const char* kAlarm = R"(
local M = {}
function M.on_event(device, kind, level)
  chain.set('state', kind)
  if kind == 'report' and level > 50 then chain.set('state', 'alarm') end
  if kind == 'ack' then chain.notify(device, 'acknowledged') end
end
return M
)";

constexpr uint64_t kFee = 1'000'000;

HarnessConfig
Config()
{
    HarnessConfig c;
    c.seed = 33;
    c.nodeCount = 6;
    c.producerCount = 4;
    c.txPerSecond = 0;
    c.accounts = 4;
    return c;
}

TEST(Callbacks, PredicateMatchSendsACallbackAndTheDeviceActs)
{
    Harness h(Config());
    const Hash256 czc = h.Params().CzcHashAt(0);
    const KeyPair owner = DeriveKeyPair(33, "account", 0);
    const KeyPair device = DeriveKeyPair(33, "account", 1);
    const Address contract = ContractAddress(owner.GetAddress(), 0);
    h.RunUntil(200 * kMillisecond);
    const uint32_t home = 0;
    const Node* homeNode = h.GetNode(home);
    ASSERT_NE(homeNode, nullptr);
    ASSERT_FALSE(homeNode->Peers().empty());
    const uint32_t deviceNode = homeNode->Peers().front();
    auto send = [&](uint32_t node, const KeyPair& k, uint64_t nonce, TxType t, const Bytes& p)
    { h.SubmitTransaction(node, MakeTransaction(k, t, nonce, kFee, czc, p)); };
    send(home, owner, 0, TxType::kContractDeploy, DeployPayload{kAlarm, {}, 0, 100'000}.Encode());
    send(home, owner, 1, TxType::kDeviceRegister,
         DeviceRegisterPayload{device.Public(), deviceNode, home}.Encode());
    h.RunUntil(3 * kSecond);
    send(deviceNode, device, 0, TxType::kCallbackRegister,
         CallbackRegisterPayload{contract, {"state", PredicateOp::kEq, ContractValue::Str("alarm")}}
             .Encode());
    h.RunUntil(5 * kSecond);
    auto event = [&](uint64_t nonce, const char* kind, int64_t level)
    {
        send(deviceNode, device, nonce, TxType::kDeviceEvent,
             DeviceEventPayload{contract, kind, {ContractValue::Int(level)}, 100'000}.Encode());
    };
    event(1, "report", 20); // no match: state is "report"
    h.RunUntil(7 * kSecond);
    const TimeNs triggerAt = h.Now();
    event(2, "report", 90); // match
    const Node* dev = h.GetNode(deviceNode);
    ASSERT_NE(dev, nullptr);
    while (dev->Callbacks().Arrivals().empty() && h.Now() < 15 * kSecond)
    {
        h.RunUntil(h.Now() + 20 * kMillisecond);
    }
    ASSERT_EQ(dev->Callbacks().Arrivals().size(), 1u);
    const CallbackArrival& a = dev->Callbacks().Arrivals().front();
    EXPECT_TRUE(a.fromSubmission);
    EXPECT_EQ(a.from, home);
    EXPECT_EQ(a.message.data, ContractValue::Str("alarm"));
    EXPECT_EQ(a.message.contract, contract);
    EXPECT_GT(a.latency, 0);
    EXPECT_LE(a.latency, a.arrival - triggerAt);
    EXPECT_EQ(homeNode->Callbacks().SentCount(), 1u);
    // The device acts: it acknowledges, and the contract's chain.notify calls it back again.
    event(3, "ack", 0);
    h.RunUntil(h.Now() + 4 * kSecond);
    ASSERT_EQ(dev->Callbacks().Arrivals().size(), 2u);
    EXPECT_EQ(dev->Callbacks().Arrivals().back().message.data, ContractValue::Str("acknowledged"));
    EXPECT_EQ(dev->Callbacks().Arrivals().back().message.registration, Hash256{});
    for (uint32_t i = 0; i < h.NodeCount(); ++i)
    {
        if (i != deviceNode)
        {
            EXPECT_TRUE(h.GetNode(i)->Callbacks().Arrivals().empty()) << "node " << i;
        }
    }
}

TEST(Callbacks, MessageRoundTripsAndBadBytesAreRefused)
{
    CallbackMessage m{Blake2b256(std::string("r")), Address{}, Address{}, Hash256{}, 7, 1234,
                      ContractValue::Int(5)};
    m.device.fill(3);
    const Bytes b = m.Encode();
    ASSERT_TRUE(IsCallbackMessage(b));
    auto back = CallbackMessage::Decode(b);
    ASSERT_TRUE(back.IsOk()) << back.GetStatus().ToString();
    EXPECT_EQ(back.Value(), m);
    Bytes trailing = b;
    trailing.push_back(0);
    EXPECT_NE(CallbackMessage::Decode(trailing).GetStatus().Message().find("trailing"),
              std::string::npos);
    EXPECT_FALSE(CallbackMessage::Decode(Bytes(b.begin(), b.end() - 3)).IsOk());
    Bytes wrongType = b;
    wrongType[1] = 2;
    EXPECT_NE(CallbackMessage::Decode(wrongType).GetStatus().Message().find("not a callback"),
              std::string::npos);
}

// A reorg's new branch is checked block by block, not only at its tip: the predicate that turned
// true in the middle of the branch (and stays true at its tip) still calls the device back, once.
TEST(Callbacks, EveryBlockANewBestChainAddsIsChecked)
{
    const KeyPair device = DeriveKeyPair(7, "device", 0);
    const Address contract = DeriveKeyPair(7, "contract", 0).GetAddress();
    auto params = std::make_shared<ChainParams>();
    std::vector<std::unique_ptr<BlockEntry>> entries;
    // A block whose state has the contract's "state" at `value`, the device homed at node 0.
    auto make = [&](const BlockEntry* parent, uint64_t height, const char* value, uint8_t fork)
    {
        LedgerState st = LedgerState::FromGenesis(*params);
        ContractsState& c = st.MutableContracts();
        ContractAccount account;
        account.storage["state"] = ContractValue::Str(value);
        c.contracts[contract] = account;
        c.devices[device.GetAddress()] = DeviceRecord{device.Public(), {}, 0, 0, 0};
        const Hash256 id = Blake2b256(std::string("registration"));
        c.callbacks[id] = CallbackRegistration{
            id, device.GetAddress(), contract,
            Predicate{"state", PredicateOp::kEq, ContractValue::Str("alarm")}, 0};
        auto block = std::make_shared<Block>();
        block->header.height = height;
        block->header.timestamp = static_cast<TimeNs>(height) * kSecond;
        auto e = std::make_unique<BlockEntry>();
        e->block = block;
        e->hash =
            Blake2b256(std::string("block ") + std::to_string(height) + "/" + std::to_string(fork));
        e->height = height;
        e->parent = parent;
        e->state = std::make_shared<const LedgerState>(std::move(st));
        entries.push_back(std::move(e));
        return entries.back().get();
    };
    const BlockEntry* g = make(nullptr, 0, "idle", 0);
    const BlockEntry* a1 = make(g, 1, "idle", 1);
    const BlockEntry* b1 = make(g, 1, "idle", 2);
    const BlockEntry* b2 = make(b1, 2, "alarm", 2);
    const BlockEntry* b3 = make(b2, 3, "alarm", 2);
    ContractNodeHook hook(0);
    Actions out;
    hook.OnBestTip(*a1, {}, kSecond, out);
    EXPECT_EQ(hook.Arrivals().size(), 0u);
    hook.OnBestTip(*b3, {}, 4 * kSecond, out); // the best chain switches to b1, b2, b3
    ASSERT_EQ(hook.Arrivals().size(), 1u);
    EXPECT_EQ(hook.Arrivals().front().message.triggerHeight, 2u);
    EXPECT_EQ(hook.Arrivals().front().message.data, ContractValue::Str("alarm"));
    hook.OnBestTip(*b3, {}, 5 * kSecond, out); // nothing new
    EXPECT_EQ(hook.SentCount(), 1u);
}

} // namespace
} // namespace canon
