// Contract transactions in the ledger (model/contracts/contract-executor.h): deploy, call,
// value, revert with the fee paid, nested calls, devices and their events, callback
// registrations, the state root, and supply conservation throughout.
#include "model/contracts/contract-executor.h"
#include "tests/unit/test-chain.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

const char* kBank = R"(
local M = {}
function M.init(owner_cut) chain.set('cut', owner_cut) chain.set('count', 0) end
function M.deposit()
  local who = chain.caller()
  chain.set('d:' .. who, (chain.get('d:' .. who) or 0) + chain.value())
  chain.set('count', chain.get('count') + 1)
  chain.emit('deposit', chain.value())
  return chain.get('count')
end
function M.withdraw(amount)
  local who = chain.caller()
  local held = chain.get('d:' .. who) or 0
  chain.set('d:' .. who, held - amount)
  chain.transfer(who, amount)
  if amount > held then error('withdraw ' .. amount .. ' of ' .. held) end
end
function M.spin() while true do end end
function M.on_event(device, kind, n)
  chain.set('last', kind) chain.set('n', n)
  if kind == 'alarm' then chain.notify(device, 'ack') end
end
function M.forward(target, v) return chain.call(target, 'deposit', v) end
return M
)";

class ContractLedger : public ::testing::Test
{
  protected:
    test::TestChain tc{4, 4};
    LedgerState state = LedgerState::FromGenesis(*tc.params);
    Address fees = test::Key("fees").GetAddress();
    KeyPair device = test::Key("device0");
    uint64_t height = 1;
    // The block's fee terms (model/fees): first-price unless a test sets an auction.
    FeeMechanism mechanism = FeeMechanism::kFirstPrice;
    uint64_t price = 0;
    uint64_t baseFee = 0;

    TxContext Ctx() const
    {
        TxContext ctx = MakeTxContext(*tc.params, height, fees, static_cast<TimeNs>(1000 * height));
        ctx.feeMechanism = mechanism;
        ctx.feePrice = price;
        ctx.baseFee = baseFee;
        return ctx;
    }
    Address User(std::size_t i) const { return tc.accounts[i].GetAddress(); }

    Status Apply(std::size_t from, TxType type, const Bytes& payload, uint64_t fee = 1'000'000)
    {
        const KeyPair& key = tc.accounts[from];
        auto tx =
            MakeTransaction(key, type, state.NonceOf(key.GetAddress()), fee, tc.Czc(), payload);
        return state.ApplyTransaction(tx, Ctx());
    }
    Status ApplyAs(const KeyPair& key, TxType type, const Bytes& payload)
    {
        auto tx = MakeTransaction(key, type, state.NonceOf(key.GetAddress()), 1'000'000, tc.Czc(),
                                  payload);
        return state.ApplyTransaction(tx, Ctx());
    }
    Address Deploy(std::size_t from = 0, uint64_t value = 0)
    {
        const Address at = ContractAddress(User(from), state.NonceOf(User(from)));
        DeployPayload d{kBank, {ContractValue::Int(5)}, value, 500'000};
        EXPECT_TRUE(Apply(from, TxType::kContractDeploy, d.Encode()).IsOk());
        return at;
    }
    Status Call(std::size_t from, const Address& c, const std::string& method,
                std::vector<ContractValue> args, uint64_t value, uint64_t gas = 500'000)
    {
        return Apply(from, TxType::kContractCall,
                     CallPayload{c, method, std::move(args), value, gas}.Encode());
    }
    const ContractReceipt& LastReceipt() const
    {
        return state.Contracts().ReceiptsAt(height).back();
    }
    ContractValue Stored(const Address& c, const std::string& key) const
    {
        return state.Contracts().Find(c)->Get(key);
    }
};

TEST_F(ContractLedger, DeployRunsInitAndCallsMoveValue)
{
    const Address c = Deploy();
    EXPECT_EQ(Stored(c, "cut"), ContractValue::Int(5));
    EXPECT_EQ(LastReceipt().revert, RevertKind::kNone);
    const uint64_t before = state.BalanceOf(User(1));
    ASSERT_TRUE(Call(1, c, "deposit", {}, 700).IsOk());
    EXPECT_EQ(LastReceipt().result, ContractValue::Int(1)) << LastReceipt().reason;
    EXPECT_EQ(state.BalanceOf(c), 700u);
    EXPECT_EQ(state.BalanceOf(User(1)), before - 700 - 1'000'000);
    ASSERT_EQ(LastReceipt().events.size(), 1u);
    EXPECT_GT(LastReceipt().gasUsed, 2000u);
    ASSERT_TRUE(Call(1, c, "withdraw", {ContractValue::Int(300)}, 0).IsOk());
    EXPECT_EQ(state.BalanceOf(c), 400u);
    EXPECT_EQ(state.TotalSupply(), kTotalSupply);
}

TEST_F(ContractLedger, RevertUndoesStateAndValueButKeepsTheFee)
{
    const Address c = Deploy();
    ASSERT_TRUE(Call(1, c, "deposit", {}, 100).IsOk());
    const Hash256 root = state.Contracts().Root();
    const uint64_t user = state.BalanceOf(User(1));
    const uint64_t feesBefore = state.BalanceOf(fees);
    // Sends 50 more with a withdrawal of 120 that transfers, then errors.
    ASSERT_TRUE(Call(1, c, "withdraw", {ContractValue::Int(120)}, 50).IsOk());
    EXPECT_EQ(LastReceipt().revert, RevertKind::kError);
    EXPECT_NE(LastReceipt().reason.find("withdraw 120 of 100"), std::string::npos)
        << LastReceipt().reason;
    EXPECT_EQ(state.Contracts().Root(), root);
    EXPECT_EQ(state.BalanceOf(c), 100u);
    EXPECT_EQ(state.BalanceOf(User(1)), user - 1'000'000);
    EXPECT_EQ(state.BalanceOf(fees), feesBefore + 1'000'000);
    EXPECT_EQ(state.NonceOf(User(1)), 2u);
    EXPECT_EQ(state.TotalSupply(), kTotalSupply);
}

TEST_F(ContractLedger, OutOfGasRevertsAndPaysTheFee)
{
    const Address c = Deploy();
    const uint64_t user = state.BalanceOf(User(2));
    ASSERT_TRUE(Call(2, c, "spin", {}, 10, 100'000).IsOk());
    EXPECT_EQ(LastReceipt().revert, RevertKind::kOutOfGas);
    EXPECT_EQ(LastReceipt().gasUsed, 100'000u);
    EXPECT_EQ(state.BalanceOf(User(2)), user - 1'000'000);
    EXPECT_EQ(state.BalanceOf(c), 0u);
}

TEST_F(ContractLedger, BadContractTransactionsAreRejectedWithAReason)
{
    const Address c = Deploy();
    auto reason = [](const Status& s) { return s.Message(); };
    EXPECT_NE(reason(Call(1, c, "deposit", {}, 0, 2'000'000)).find("does not cover"),
              std::string::npos);
    EXPECT_NE(reason(Call(1, c, "deposit", {}, 0, 0)).find("gas limit"), std::string::npos);
    EXPECT_NE(reason(Call(1, User(3), "deposit", {}, 0)).find("no contract"), std::string::npos);
    EXPECT_NE(reason(Apply(1, TxType::kContractCall, Bytes{1, 2, 3})).find("call payload"),
              std::string::npos);
    DeviceEventPayload e{c, "alarm", {}, 100'000};
    EXPECT_NE(reason(Apply(1, TxType::kDeviceEvent, e.Encode())).find("not a registered device"),
              std::string::npos);
    EXPECT_NE(reason(Apply(1, TxType::kContractDeploy, DeployPayload{"", {}, 0, 10}.Encode()))
                  .find("code of 0 bytes"),
              std::string::npos);
}

TEST_F(ContractLedger, DeviceEventsRunOnEventAndCallbacksAreRegistered)
{
    const Address c = Deploy();
    ASSERT_TRUE(state.MoveBalance(User(0), device.GetAddress(), 10'000'000).IsOk());
    ASSERT_TRUE(
        Apply(0, TxType::kDeviceRegister, DeviceRegisterPayload{device.Public(), 7, 3}.Encode())
            .IsOk());
    EXPECT_FALSE(
        Apply(1, TxType::kDeviceRegister, DeviceRegisterPayload{device.Public(), 7, 3}.Encode())
            .IsOk());
    CallbackRegisterPayload cb{c, Predicate{"last", PredicateOp::kEq, ContractValue::Str("alarm")}};
    ASSERT_TRUE(ApplyAs(device, TxType::kCallbackRegister, cb.Encode()).IsOk());
    const CallbackRegistration& reg = state.Contracts().callbacks.begin()->second;
    EXPECT_FALSE(CallbackHolds(state.Contracts(), reg));
    DeviceEventPayload e{c, "alarm", {ContractValue::Int(4)}, 200'000};
    ASSERT_TRUE(ApplyAs(device, TxType::kDeviceEvent, e.Encode()).IsOk());
    EXPECT_EQ(LastReceipt().revert, RevertKind::kNone) << LastReceipt().reason;
    EXPECT_EQ(Stored(c, "n"), ContractValue::Int(4));
    ASSERT_EQ(LastReceipt().notifications.size(), 1u);
    EXPECT_EQ(LastReceipt().notifications[0].first, device.GetAddress());
    EXPECT_TRUE(CallbackHolds(state.Contracts(), reg));
    const DeviceRecord* record = state.Contracts().devices.Find(device.GetAddress());
    ASSERT_NE(record, nullptr);
    EXPECT_EQ(record->homeNode, 3u);
}

TEST_F(ContractLedger, ContractToContractCallsCarryValueAndRevertTogether)
{
    const Address a = Deploy(0);
    const Address b = Deploy(0);
    ASSERT_TRUE(
        Call(1, a, "forward", {ContractValue::Str(AddressToLua(b)), ContractValue::Int(40)}, 100)
            .IsOk());
    EXPECT_EQ(LastReceipt().revert, RevertKind::kNone) << LastReceipt().reason;
    EXPECT_EQ(state.BalanceOf(a), 60u);
    EXPECT_EQ(state.BalanceOf(b), 40u);
    EXPECT_EQ(Stored(b, "d:" + AddressToLua(a)), ContractValue::Int(40));
    // More than a holds: the nested transfer fails, the whole call reverts.
    ASSERT_TRUE(
        Call(1, a, "forward", {ContractValue::Str(AddressToLua(b)), ContractValue::Int(500)}, 0)
            .IsOk());
    EXPECT_EQ(LastReceipt().revert, RevertKind::kError);
    EXPECT_EQ(state.BalanceOf(a), 60u);
    EXPECT_EQ(state.BalanceOf(b), 40u);
    EXPECT_EQ(state.TotalSupply(), kTotalSupply);
}

TEST_F(ContractLedger, StateRootCommitsToStorage)
{
    const Address c = Deploy();
    const Hash256 r0 = state.StateRoot();
    LedgerState copy = state;
    ASSERT_TRUE(Call(1, c, "deposit", {}, 0).IsOk());
    EXPECT_NE(state.StateRoot(), r0);
    EXPECT_EQ(copy.StateRoot(), r0) << "a copy shares structure but not writes";
}

// Gas joins the fee auction (model/fees/fee-auction.h WithGasFloor): a contract transaction
// pays the auction's charge for its place but at least its gas limit x gas price; a transfer
// pays the auction's charge alone; supply is conserved under every mechanism.
TEST_F(ContractLedger, AuctionChargesAContractTransactionAtLeastItsGas)
{
    const Address c = Deploy();   // first-price: the whole bid of 1,000,000
    const uint64_t gas = 400'000; // x gas price 1 (ChainParams default)
    struct Case
    {
        FeeMechanism mechanism;
        uint64_t price, baseFee, paid, burned;
    };
    for (const Case& k : {Case{FeeMechanism::kFirstPrice, 0, 0, 1'000'000, 0},
                          Case{FeeMechanism::kUniform, 10, 0, gas, 0},
                          Case{FeeMechanism::kUniform, 700'000, 0, 700'000, 0},
                          Case{FeeMechanism::kMonopolistic, 10, 0, gas, 0},
                          Case{FeeMechanism::kEip1559, 0, 1000, gas, 1000}})
    {
        mechanism = k.mechanism;
        price = k.price;
        baseFee = k.baseFee;
        const uint64_t user = state.BalanceOf(User(1));
        const uint64_t producer = state.BalanceOf(fees);
        const uint64_t burned = state.Fees().burned;
        ASSERT_TRUE(Call(1, c, "deposit", {}, 0, gas).IsOk());
        EXPECT_EQ(LastReceipt().revert, RevertKind::kNone);
        EXPECT_EQ(user - state.BalanceOf(User(1)), k.paid) << FeeMechanismName(k.mechanism);
        EXPECT_EQ(state.Fees().burned - burned, k.burned);
        EXPECT_EQ(state.BalanceOf(fees) - producer, k.paid - k.burned);
        EXPECT_EQ(state.TotalSupply(), kTotalSupply);
        ++height;
    }
    // A transfer has no gas: under the uniform price it pays the price alone.
    mechanism = FeeMechanism::kUniform;
    price = 10;
    const uint64_t user = state.BalanceOf(User(2));
    auto tx = MakeTransfer(tc.accounts[2], state.NonceOf(User(2)), 1'000'000, tc.Czc(), User(3), 5);
    ASSERT_TRUE(state.ApplyTransaction(tx, Ctx()).IsOk());
    EXPECT_EQ(user - state.BalanceOf(User(2)), 15u);
    // A bid under the gas is refused before any auction rule.
    EXPECT_FALSE(
        Apply(1, TxType::kContractCall, CallPayload{c, "deposit", {}, 0, gas}.Encode(), gas - 1)
            .IsOk());
    EXPECT_EQ(state.TotalSupply(), kTotalSupply);
}

} // namespace
} // namespace canon
