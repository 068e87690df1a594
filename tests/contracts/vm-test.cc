// The contract VM on its own (model/contracts/lua-vm.h): the sandbox, metering and the host API,
// against an in-memory host.
#include "model/contracts/lua-vm.h"

#include <gtest/gtest.h>

#include <map>

namespace canon
{
namespace
{

Address
Addr(uint8_t b)
{
    Address a{};
    a.fill(b);
    return a;
}

// Storage, balances and contracts in maps; nested calls run the callee's code with the same
// meter and restore the maps when it fails.
class MapHost : public ContractHost
{
  public:
    std::map<Address, std::map<std::string, ContractValue>> storage;
    std::map<Address, uint64_t> balances;
    std::map<Address, std::string> code;
    std::vector<std::string> events;
    std::vector<CallContext> stack;
    Meter* meter = nullptr;
    ContractParams params;

    Result<ContractValue> Get(const std::string& key) override
    {
        auto& s = storage[stack.back().self];
        auto it = s.find(key);
        return it == s.end() ? ContractValue::Nil() : it->second;
    }
    Status Set(const std::string& key, const ContractValue& value) override
    {
        storage[stack.back().self][key] = value;
        return Status::Ok();
    }
    uint64_t Balance(const Address& a) override { return balances[a]; }
    Status Transfer(const Address& to, uint64_t amount) override
    {
        uint64_t& from = balances[stack.back().self];
        if (from < amount)
        {
            return Status::Invalid("insufficient balance");
        }
        from -= amount;
        balances[to] += amount;
        return Status::Ok();
    }
    Status Emit(const std::string& name, const ContractValue& data) override
    {
        events.push_back(name + "=" + data.ToString());
        return Status::Ok();
    }
    Status Notify(const Address& device, const ContractValue& data) override
    {
        events.push_back("notify " + ShortHex(device) + " " + data.ToString());
        return Status::Ok();
    }
    bool Contribution(const Address& account, uint64_t& total, uint64_t& epoch) override
    {
        total = account[0];
        epoch = 4;
        return account[0] != 0;
    }
    Result<ContractValue> Call(const Address& contract, const std::string& method,
                               const std::vector<ContractValue>& args, uint64_t value) override
    {
        auto savedStorage = storage;
        auto savedBalances = balances;
        CallContext ctx{contract, stack.back().self, stack.back().origin, value, 1, 0};
        Status moved = Transfer(contract, value);
        if (!moved.IsOk())
        {
            return moved;
        }
        VmOutcome out = Enter(ctx, code[contract], method, args);
        if (!out.Ok())
        {
            storage = savedStorage;
            balances = savedBalances;
            return Status::Invalid("callee reverted: " + out.reason);
        }
        return out.result;
    }

    VmOutcome Enter(const CallContext& ctx, const std::string& src, const std::string& method,
                    const std::vector<ContractValue>& args)
    {
        stack.push_back(ctx);
        VmOutcome out = RunContract(src, method, args, ctx, *this, *meter, params);
        stack.pop_back();
        return out;
    }
};

struct Vm : ::testing::Test
{
    MapHost host;
    Meter meter;

    void SetUp() override
    {
        host.meter = &meter;
        meter.gasLimit = 1'000'000;
        meter.memoryBytesMax = host.params.memoryBytesMax;
    }
    VmOutcome Run(const std::string& src, const std::string& method = "run",
                  std::vector<ContractValue> args = {})
    {
        host.code[Addr(1)] = src;
        CallContext ctx{Addr(1), Addr(9), Addr(9), 0, 7, 123};
        return host.Enter(ctx, src, method, args);
    }
    // Runs `body` as the body of method run().
    VmOutcome Body(const std::string& body)
    {
        return Run("local M = {}\nfunction M.run(...)\n" + body + "\nend\nreturn M");
    }
};

TEST_F(Vm, RunsAMethodWithArgumentsAndReturnsItsValue)
{
    auto out = Run("return { add = function(a, b) return a + b end }", "add",
                   {ContractValue::Int(40), ContractValue::Int(2)});
    ASSERT_TRUE(out.Ok()) << out.reason;
    EXPECT_EQ(out.result, ContractValue::Int(42));
    EXPECT_GT(meter.gasUsed, host.params.gas.callBase);
}

TEST_F(Vm, StorageTransfersEventsAndContext)
{
    host.balances[Addr(1)] = 100;
    auto out = Body(R"(
        chain.set("n", 5)
        chain.set("s", "text")
        chain.transfer(chain.caller(), 30)
        chain.emit("paid", chain.get("n") * 6)
        chain.notify(chain.caller(), "wake")
        return chain.height() * 1000 + chain.now() + chain.balance())");
    ASSERT_TRUE(out.Ok()) << out.reason;
    EXPECT_EQ(out.result, ContractValue::Int(7 * 1000 + 123 + 70));
    EXPECT_EQ(host.storage[Addr(1)]["s"], ContractValue::Str("text"));
    EXPECT_EQ(host.balances[Addr(9)], 30u);
    ASSERT_EQ(host.events.size(), 2u);
    EXPECT_EQ(host.events[0], "paid=30");
}

TEST_F(Vm, ContributionReadsTheLatestReport)
{
    auto out =
        Body("local t, e = chain.contribution(chain.caller()) "
             "return t * 10 + e + (chain.contribution(string.rep('0', 64)) == nil and 100 or 0)");
    ASSERT_TRUE(out.Ok()) << out.reason;
    EXPECT_EQ(out.result, ContractValue::Int(9 * 10 + 4 + 100));
}

TEST_F(Vm, HostRefusesFloatsTablesAndBadAddresses)
{
    host.balances[Addr(1)] = 100;
    EXPECT_NE(Body("chain.transfer(chain.caller(), 1.5)").reason.find("integer"),
              std::string::npos);
    EXPECT_NE(Body("chain.set('k', 0.5)").reason.find("float"), std::string::npos);
    EXPECT_NE(Body("chain.set('k', {})").reason.find("table"), std::string::npos);
    EXPECT_NE(Body("chain.transfer('abc', 1)").reason.find("address"), std::string::npos);
    EXPECT_NE(Body("chain.transfer(chain.caller(), 1000)").reason.find("insufficient"),
              std::string::npos);
    EXPECT_EQ(Body("return {}").revert, RevertKind::kError);
    EXPECT_EQ(host.balances[Addr(1)], 100u);
}

TEST_F(Vm, SandboxRefusesEscapes)
{
    for (const char* escape : {"os.execute('true')",
                               "io.open('/etc/passwd')",
                               "load('return 1')()",
                               "loadstring('return 1')",
                               "dofile('/etc/passwd')",
                               "require('os')",
                               "string.dump(function() end)",
                               "math.random(10)",
                               "math.randomseed(1)",
                               "collectgarbage('count')",
                               "debug.getinfo(1)",
                               "package.loadlib('x', 'y')",
                               "coroutine.create(function() end)",
                               "next({})",
                               "print('x')",
                               "string.format('%p', {})",
                               "string.format('%s', {})",
                               "('x'):gsub('x', 'y')",
                               "string.match('aaa', 'a-b')",
                               "setmetatable({}, {__gc = function() end})",
                               "setmetatable({}, {__mode = 'k'})",
                               "setmetatable({}, {__len = function() return 1 end})",
                               "pairs({[{}] = 1})"})
    {
        auto out = Body(escape);
        EXPECT_EQ(out.revert, RevertKind::kError) << escape;
        EXPECT_EQ(meter.fatal, RevertKind::kNone) << escape;
    }
}

TEST_F(Vm, PrecompiledBytecodeIsRefused)
{
    auto out = Run(std::string("\x1bLua\x54\x00", 6) + "junk");
    EXPECT_EQ(out.revert, RevertKind::kError);
    EXPECT_NE(out.reason.find("compile"), std::string::npos) << out.reason;
}

TEST_F(Vm, ToStringNeverShowsAnAddress)
{
    auto out = Body("return tostring({}) .. ' ' .. tostring(print == nil) .. ' ' .. tostring(1.5)");
    ASSERT_TRUE(out.Ok()) << out.reason;
    EXPECT_EQ(out.result, ContractValue::Str("table true 1.5"));
}

TEST_F(Vm, PairsIteratesInSortedKeyOrder)
{
    auto out = Body(R"(
        local t = {zeta = 1, alpha = 2, [3] = 'c', [1] = 'a', mid = 3, [true] = 0, [2.5] = 'f'}
        local s = ''
        for k in pairs(t) do s = s .. tostring(k) .. ',' end
        return s)");
    ASSERT_TRUE(out.Ok()) << out.reason;
    EXPECT_EQ(out.result, ContractValue::Str("1,2.5,3,alpha,mid,zeta,true,"));
}

TEST_F(Vm, InfiniteLoopStopsAtTheGasLimit)
{
    meter.gasLimit = 200'000;
    auto out = Body("while true do end");
    EXPECT_EQ(out.revert, RevertKind::kOutOfGas);
    EXPECT_EQ(meter.gasUsed, meter.gasLimit);
}

TEST_F(Vm, PcallCannotCatchOutOfGas)
{
    meter.gasLimit = 200'000;
    auto out = Body(R"(
        while true do pcall(function() while true do end end) end)");
    EXPECT_EQ(out.revert, RevertKind::kOutOfGas);
    auto again = Body("return xpcall(function() while true do end end, function() return 1 end)");
    EXPECT_EQ(again.revert, RevertKind::kOutOfGas);
}

TEST_F(Vm, StringDoublingStopsAtTheMemoryCap)
{
    meter.gasLimit = 100'000'000;
    auto out = Body("local s = 'x' while true do s = s .. s end");
    EXPECT_EQ(out.revert, RevertKind::kOutOfMemory) << out.reason;
    EXPECT_LE(meter.memoryPeak, host.params.memoryBytesMax);
    EXPECT_EQ(meter.memoryBytes, 0u); // every state closed
}

TEST_F(Vm, HugeTableStopsAtTheMemoryCap)
{
    meter.gasLimit = 100'000'000;
    auto out = Body("local t = {} for i = 1, 1e9 do t[i] = i end");
    EXPECT_EQ(out.revert, RevertKind::kOutOfMemory) << out.reason;
    auto caught = Body("pcall(function() local t = {} for i = 1, 1e9 do t[i] = i end end) "
                       "return 1");
    EXPECT_EQ(caught.revert, RevertKind::kOutOfMemory) << caught.reason;
}

TEST_F(Vm, DeepRecursionStopsCleanly)
{
    meter.gasLimit = 100'000'000;
    auto out = Body("local function f(n) return 1 + f(n + 1) end return f(1)");
    EXPECT_FALSE(out.Ok());
    EXPECT_TRUE(out.revert == RevertKind::kError || out.revert == RevertKind::kOutOfMemory)
        << out.reason;
}

TEST_F(Vm, LibraryLoopsWithoutInstructionsAreBounded)
{
    meter.gasLimit = 10'000'000;
    EXPECT_FALSE(Body("return string.rep('', 1e15)").Ok());
    EXPECT_FALSE(Body("return table.move({}, 1, 1e15, 2)").Ok());
    // A __len added after setmetatable: the table library still refuses to loop for ever.
    EXPECT_FALSE(Body("local mt = {} local t = setmetatable({}, mt) "
                      "mt.__len = function() return 1 << 40 end table.insert(t, 1, 'x')")
                     .Ok());
    EXPECT_FALSE(Body("local mt = {} local t = setmetatable({}, mt) "
                      "mt.__len = function() return 1 << 30 end table.sort(t)")
                     .Ok());
    auto sorted = Body("local t = {5, 3, 9, 1} table.sort(t) table.insert(t, 7) "
                       "return table.concat(t, ',')");
    ASSERT_TRUE(sorted.Ok()) << sorted.reason;
    EXPECT_EQ(sorted.result, ContractValue::Str("1,3,5,9,7"));
    auto big = Body("return #string.rep('ab', 100)");
    ASSERT_TRUE(big.Ok()) << big.reason;
    EXPECT_EQ(big.result, ContractValue::Int(200));
}

TEST_F(Vm, NestedCallRevertsOnlyTheCallee)
{
    host.code[Addr(2)] = R"(return {
        bump = function(n) chain.set('x', n) if n > 5 then error('too big') end return n end })";
    const std::string callee = AddressToLua(Addr(2));
    auto out = Body("local ok = pcall(chain.call, '" + callee + R"(', 'bump', 0, 9)
        local v = chain.call(')" +
                    callee + R"(', 'bump', 0, 3)
        return (ok and 100 or 0) + v)");
    ASSERT_TRUE(out.Ok()) << out.reason;
    EXPECT_EQ(out.result, ContractValue::Int(3));
    EXPECT_EQ(host.storage[Addr(2)]["x"], ContractValue::Int(3));
}

TEST_F(Vm, CallDepthIsLimited)
{
    const std::string self = AddressToLua(Addr(1));
    host.code[Addr(1)] =
        "return { run = function() return chain.call('" + self + "', 'run', 0) end }";
    auto out = Run(host.code[Addr(1)]);
    EXPECT_EQ(out.revert, RevertKind::kCallDepth) << out.reason;
}

TEST_F(Vm, SameCallGivesTheSameGasAndResult)
{
    const std::string src = R"(return { run = function(n)
        local t = {} for i = 1, n do t['k' .. i] = i * i end
        local s = 0 for k, v in pairs(t) do s = s + v + #k end
        chain.set('sum', s) return s end })";
    auto first = Run(src, "run", {ContractValue::Int(500)});
    const uint64_t gas = meter.gasUsed;
    meter = Meter{0, 0, host.params.memoryBytesMax};
    meter.gasLimit = 1'000'000;
    auto second = Run(src, "run", {ContractValue::Int(500)});
    ASSERT_TRUE(first.Ok()) << first.reason;
    EXPECT_EQ(first.result, second.result);
    EXPECT_EQ(gas, meter.gasUsed);
}

TEST_F(Vm, ValueCodecRoundTripsAndRejectsBadInput)
{
    std::vector<ContractValue> vs = {ContractValue::Nil(), ContractValue::Bool(true),
                                     ContractValue::Int(-5), ContractValue::Str("abc")};
    Bytes b;
    Writer w(b);
    EncodeValues(w, vs);
    Reader r(b, "values");
    auto back = ReadValues(r);
    EXPECT_TRUE(r.Finish().IsOk());
    EXPECT_EQ(back, vs);
    EXPECT_FALSE(ContractValue::Decode(Bytes{9}).IsOk());
    EXPECT_FALSE(ContractValue::Decode(Bytes{1, 2}).IsOk());
    EXPECT_FALSE(ContractValue::Decode(Bytes{0, 0}).IsOk());
}

} // namespace
} // namespace canon
