// libFuzzer targets for contracts (issue 16). One binary per FUZZ_TARGET:
//   callback  CallbackMessage::Decode; a decode that succeeds re-encodes to the same bytes
//   vm        the input is Lua code (the first byte picks the gas limit): RunContract on an
//             in-memory host must return, never crash or hang, within the gas and memory
//             bounds, and twice from scratch must give the same outcome, gas and storage
#include "model/contracts/callback-message.h"
#include "model/contracts/lua-vm.h"

#include <cstdlib>
#include <map>

namespace
{

using namespace canon;

[[maybe_unused]] void
Check(bool ok)
{
    if (!ok)
    {
        std::abort();
    }
}

// Storage and balances in maps; nested calls go back into the same code.
class FuzzHost : public ContractHost
{
  public:
    std::map<std::string, ContractValue> storage;
    std::vector<std::string> log;
    std::string code;
    Meter* meter = nullptr;
    ContractParams params;
    CallContext ctx;

    Result<ContractValue> Get(const std::string& key) override
    {
        auto it = storage.find(key);
        return it == storage.end() ? ContractValue::Nil() : it->second;
    }
    Status Set(const std::string& key, const ContractValue& value) override
    {
        storage[key] = value;
        return Status::Ok();
    }
    uint64_t Balance(const Address&) override { return 1000; }
    Status Transfer(const Address&, uint64_t amount) override
    {
        return amount <= 1000 ? Status::Ok() : Status::Invalid("insufficient");
    }
    Status Emit(const std::string& name, const ContractValue& data) override
    {
        log.push_back(name + data.ToString());
        return Status::Ok();
    }
    Status Notify(const Address&, const ContractValue& data) override
    {
        log.push_back(data.ToString());
        return Status::Ok();
    }
    bool Contribution(const Address&, uint64_t& total, uint64_t& epoch) override
    {
        total = 5;
        epoch = 1;
        return true;
    }
    Result<ContractValue> Call(const Address&, const std::string& method,
                               const std::vector<ContractValue>& args, uint64_t) override
    {
        VmOutcome out = RunContract(code, method, args, ctx, *this, *meter, params);
        return out.Ok() ? Result<ContractValue>(out.result) : Status::Invalid(out.reason);
    }
};

struct Run
{
    VmOutcome out;
    uint64_t gas = 0;
    std::map<std::string, ContractValue> storage;
    std::vector<std::string> log;
};

[[maybe_unused]] Run
RunOnce(const std::string& code, uint64_t gasLimit)
{
    FuzzHost host;
    host.code = code;
    Meter meter{gasLimit, 0, host.params.memoryBytesMax, 0, 0, 0, RevertKind::kNone};
    host.meter = &meter;
    const std::vector<ContractValue> args = {ContractValue::Int(3), ContractValue::Str("x")};
    Run r;
    r.out = RunContract(code, "run", args, host.ctx, host, meter, host.params);
    Check(meter.gasUsed <= gasLimit);
    Check(meter.memoryBytes == 0);
    Check(meter.memoryPeak <= host.params.memoryBytesMax);
    r.gas = meter.gasUsed;
    r.storage = host.storage;
    r.log = host.log;
    return r;
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size)
{
#if FUZZ_TARGET_CALLBACK
    const Bytes bytes(data, data + size);
    auto m = CallbackMessage::Decode(bytes);
    if (m.IsOk())
    {
        Check(m.Value().Encode() == bytes);
    }
#endif
#if FUZZ_TARGET_VM
    if (size == 0)
    {
        return 0;
    }
    const uint64_t gasLimit = 10'000 + uint64_t{data[0]} * 2'000;
    const std::string code(reinterpret_cast<const char*>(data + 1), size - 1);
    const Run a = RunOnce(code, gasLimit);
    const Run b = RunOnce(code, gasLimit);
    Check(a.out.revert == b.out.revert && a.out.reason == b.out.reason &&
          a.out.result == b.out.result && a.gas == b.gas && a.storage == b.storage &&
          a.log == b.log);
#endif
    return 0;
}
