#include "model/contracts/contract-executor.h"

namespace canon
{

namespace
{

const ContractParams&
ParamsOf(const TxContext& ctx)
{
    static const ContractParams kDefaults;
    return ctx.contracts ? *ctx.contracts : kDefaults;
}

Status
CheckGas(uint64_t gasLimit, uint64_t fee, const ContractParams& p)
{
    if (gasLimit == 0 || gasLimit > p.gasLimitMax)
    {
        return Status::Invalid("gas limit " + std::to_string(gasLimit) + " is outside 1.." +
                               std::to_string(p.gasLimitMax));
    }
    if (p.gasPrice > 0 && gasLimit > fee / p.gasPrice)
    {
        return Status::Invalid("fee " + std::to_string(fee) + " does not cover gas limit " +
                               std::to_string(gasLimit) + " at price " +
                               std::to_string(p.gasPrice));
    }
    return Status::Ok();
}

// The gas limit a deploy, call or device event asks for; none for other types or a payload
// that does not decode.
std::optional<uint64_t>
GasLimitOf(const Transaction& tx)
{
    switch (tx.type)
    {
        case TxType::kContractDeploy:
        {
            auto d = DeployPayload::Decode(tx.payload);
            return d.IsOk() ? std::optional<uint64_t>(d.Value().gasLimit) : std::nullopt;
        }
        case TxType::kContractCall:
        {
            auto c = CallPayload::Decode(tx.payload);
            return c.IsOk() ? std::optional<uint64_t>(c.Value().gasLimit) : std::nullopt;
        }
        case TxType::kDeviceEvent:
        {
            auto e = DeviceEventPayload::Decode(tx.payload);
            return e.IsOk() ? std::optional<uint64_t>(e.Value().gasLimit) : std::nullopt;
        }
        default:
            return std::nullopt;
    }
}

Status
NeedContract(const LedgerState& state, const Address& contract)
{
    return state.Contracts().Find(contract)
               ? Status::Ok()
               : Status::Invalid("no contract at " + ShortHex(contract));
}

Status
NeedDevice(const LedgerState& state, const Transaction& tx)
{
    return state.Contracts().devices.Find(tx.SenderAddress())
               ? Status::Ok()
               : Status::Invalid("sender " + ShortHex(tx.SenderAddress()) +
                                 " is not a registered device");
}

Status
CheckDeploy(const Transaction& tx, const ContractParams& p, uint64_t& amount, Address& recipient)
{
    auto d = DeployPayload::Decode(tx.payload);
    if (!d.IsOk())
    {
        return d.GetStatus();
    }
    if (d.Value().code.empty() || d.Value().code.size() > p.codeBytesMax)
    {
        return Status::Invalid("code of " + std::to_string(d.Value().code.size()) +
                               " bytes is outside 1.." + std::to_string(p.codeBytesMax));
    }
    amount = d.Value().value;
    recipient = ContractAddress(tx.SenderAddress(), tx.nonce);
    return CheckGas(d.Value().gasLimit, tx.fee, p);
}

Status
CheckCall(const LedgerState& state, const Transaction& tx, const ContractParams& p,
          uint64_t& amount, Address& recipient)
{
    auto c = CallPayload::Decode(tx.payload);
    if (!c.IsOk())
    {
        return c.GetStatus();
    }
    amount = c.Value().value;
    recipient = c.Value().contract;
    Status s = NeedContract(state, recipient);
    return s.IsOk() ? CheckGas(c.Value().gasLimit, tx.fee, p) : s;
}

Status
CheckDeviceRegister(const LedgerState& state, const Transaction& tx)
{
    auto r = DeviceRegisterPayload::Decode(tx.payload);
    if (!r.IsOk())
    {
        return r.GetStatus();
    }
    const Address device = AddressOf(r.Value().device);
    return state.Contracts().devices.Find(device)
               ? Status::Invalid("device " + ShortHex(device) + " is already registered")
               : Status::Ok();
}

Status
CheckDeviceEvent(const LedgerState& state, const Transaction& tx, const ContractParams& p)
{
    auto e = DeviceEventPayload::Decode(tx.payload);
    if (!e.IsOk())
    {
        return e.GetStatus();
    }
    Status s = NeedDevice(state, tx);
    s = s.IsOk() ? NeedContract(state, e.Value().contract) : s;
    return s.IsOk() ? CheckGas(e.Value().gasLimit, tx.fee, p) : s;
}

Status
CheckCallbackRegister(const LedgerState& state, const Transaction& tx, const ContractParams& p)
{
    auto c = CallbackRegisterPayload::Decode(tx.payload);
    if (!c.IsOk())
    {
        return c.GetStatus();
    }
    if (c.Value().predicate.key.size() > p.storageKeyBytesMax)
    {
        return Status::Invalid("predicate key over " + std::to_string(p.storageKeyBytesMax) +
                               " bytes");
    }
    Status s = NeedDevice(state, tx);
    return s.IsOk() ? NeedContract(state, c.Value().contract) : s;
}

// The ledger as a running contract sees it. Nested calls share the meter and the receipt; a
// failed callee is undone from an O(1) snapshot of the state.
class LedgerHost : public ContractHost
{
  public:
    LedgerHost(LedgerState& state, const TxContext& ctx, Meter& meter, ContractReceipt& receipt)
      : m_state(state)
      , m_params(ParamsOf(ctx))
      , m_meter(meter)
      , m_receipt(receipt)
    {
    }

    VmOutcome Enter(const CallContext& call, const std::string& method,
                    const std::vector<ContractValue>& args)
    {
        const ContractAccount* account = m_state.Contracts().Find(call.self);
        CANON_ASSERT(account != nullptr, "entering a contract that does not exist");
        const std::shared_ptr<const std::string> code = account->code;
        m_stack.push_back(call);
        VmOutcome out = RunContract(*code, method, args, call, *this, m_meter, m_params);
        m_stack.pop_back();
        return out;
    }

    Result<ContractValue> Get(const std::string& key) override
    {
        return m_state.Contracts().Find(Self())->Get(key);
    }
    Status Set(const std::string& key, const ContractValue& value) override
    {
        m_state.MutableContracts().contracts[Self()].storage[key] = value;
        return Status::Ok();
    }
    uint64_t Balance(const Address& account) override { return m_state.BalanceOf(account); }
    Status Transfer(const Address& to, uint64_t amount) override
    {
        return m_state.MoveBalance(Self(), to, amount);
    }
    Status Emit(const std::string& name, const ContractValue& data) override
    {
        Status s = RoomForOutput();
        if (s.IsOk())
        {
            m_receipt.events.emplace_back(name, data);
        }
        return s;
    }
    Status Notify(const Address& device, const ContractValue& data) override
    {
        Status s = RoomForOutput();
        if (s.IsOk())
        {
            m_receipt.notifications.emplace_back(device, data);
        }
        return s;
    }
    Result<ContractValue> Call(const Address& contract, const std::string& method,
                               const std::vector<ContractValue>& args, uint64_t value) override;
    bool Contribution(const Address& account, uint64_t& total, uint64_t& epoch) override
    {
        const PopState& pop = m_state.Pop();
        const CzrReportEntry* e = pop.reportHeight > 0 ? pop.observed.Find(account) : nullptr;
        if (!e)
        {
            return false;
        }
        total = e->total;
        epoch = pop.reportEpoch;
        return true;
    }

  private:
    const Address& Self() const { return m_stack.back().self; }
    Status RoomForOutput() const
    {
        const std::size_t n = m_receipt.events.size() + m_receipt.notifications.size();
        return n < m_params.eventsPerTxMax
                   ? Status::Ok()
                   : Status::Invalid("more than " + std::to_string(m_params.eventsPerTxMax) +
                                     " events in one transaction");
    }

    LedgerState& m_state;
    const ContractParams& m_params;
    Meter& m_meter;
    ContractReceipt& m_receipt;
    std::vector<CallContext> m_stack;
};

Result<ContractValue>
LedgerHost::Call(const Address& contract, const std::string& method,
                 const std::vector<ContractValue>& args, uint64_t value)
{
    if (!m_state.Contracts().Find(contract))
    {
        return Status::Invalid("chain.call: no contract at " + AddressToLua(contract));
    }
    const LedgerState before = m_state;
    const std::size_t events = m_receipt.events.size();
    const std::size_t notifications = m_receipt.notifications.size();
    const CallContext& outer = m_stack.back();
    const CallContext call{contract, outer.self, outer.origin, value, outer.height, outer.now};
    Status moved = m_state.MoveBalance(outer.self, contract, value);
    if (!moved.IsOk())
    {
        return moved;
    }
    VmOutcome out = Enter(call, method, args);
    if (!out.Ok())
    {
        m_state = before;
        m_receipt.events.resize(events);
        m_receipt.notifications.resize(notifications);
        return Status::Invalid("call to " + ShortHex(contract) + "." + method +
                               " reverted: " + out.reason);
    }
    return out.result;
}

struct Run
{
    Address contract{};
    std::string method;
    std::vector<ContractValue> args;
    uint64_t value = 0;
    uint64_t gasLimit = 0;
};

Run
RunOf(const Transaction& tx)
{
    Run r;
    if (tx.type == TxType::kContractDeploy)
    {
        auto d = DeployPayload::Decode(tx.payload).Value();
        r = Run{ContractAddress(tx.SenderAddress(), tx.nonce), "init", std::move(d.args), d.value,
                d.gasLimit};
    }
    else if (tx.type == TxType::kContractCall)
    {
        auto c = CallPayload::Decode(tx.payload).Value();
        r = Run{c.contract, std::move(c.method), std::move(c.args), c.value, c.gasLimit};
    }
    else
    {
        auto e = DeviceEventPayload::Decode(tx.payload).Value();
        r = Run{e.contract, "on_event", {}, 0, e.gasLimit};
        r.args.push_back(ContractValue::Str(AddressToLua(tx.SenderAddress())));
        r.args.push_back(ContractValue::Str(e.eventType));
        r.args.insert(r.args.end(), e.data.begin(), e.data.end());
    }
    return r;
}

void
StoreCode(LedgerState& state, const Transaction& tx, const Address& contract)
{
    auto d = DeployPayload::Decode(tx.payload).Value();
    ContractAccount& account = state.MutableContracts().contracts[contract];
    account.codeHash = Blake2b256(Bytes(d.code.begin(), d.code.end()));
    account.code = std::make_shared<const std::string>(std::move(d.code));
    account.creator = tx.SenderAddress();
}

// Runs the contract of `run` on `state`; on a revert, puts `state` back as it was (fee, nonce and
// value already moved) and returns the value to the sender.
void
RunAndSettle(LedgerState& state, const Transaction& tx, const TxContext& ctx, const Run& run,
             ContractReceipt& receipt)
{
    const ContractParams& p = ParamsOf(ctx);
    const LedgerState before = state;
    Meter meter{run.gasLimit, 0, p.memoryBytesMax, 0, 0, 0, RevertKind::kNone};
    VmOutcome out;
    if (tx.type == TxType::kContractDeploy)
    {
        StoreCode(state, tx, run.contract);
        state.MutableContracts().contracts[run.contract].createdHeight = ctx.height;
        if (!meter.Charge(p.gas.deployByte * state.Contracts().Find(run.contract)->code->size()))
        {
            out = VmOutcome{RevertKind::kOutOfGas, "out of gas", {}};
        }
    }
    if (out.Ok())
    {
        LedgerHost host(state, ctx, meter, receipt);
        const CallContext call{run.contract, tx.SenderAddress(), tx.SenderAddress(),
                               run.value,    ctx.height,         ctx.now};
        out = host.Enter(call, run.method, run.args);
    }
    receipt.gasUsed = meter.gasUsed;
    receipt.revert = out.revert;
    receipt.reason = out.reason;
    receipt.result = out.result;
    if (!out.Ok())
    {
        state = before;
        state.MoveBalance(run.contract, tx.SenderAddress(), run.value);
        receipt.events.clear();
        receipt.notifications.clear();
    }
}

// Deploy, call or device event: runs the contract and records the receipt (once the snapshot
// is gone, so the block's receipt list is appended to in place).
void
Execute(LedgerState& state, const Transaction& tx, const TxContext& ctx)
{
    const Run run = RunOf(tx);
    ContractReceipt receipt{tx.Id(),
                            tx.type,
                            run.contract,
                            run.method,
                            tx.SenderAddress(),
                            0,
                            run.gasLimit,
                            RevertKind::kNone,
                            {},
                            {},
                            {},
                            {}};
    RunAndSettle(state, tx, ctx, run, receipt);
    state.MutableContracts().AddReceipt(ctx.height, std::move(receipt));
}

} // namespace

Status
CheckContractTx(const LedgerState& state, const Transaction& tx, const TxContext& ctx,
                uint64_t& amount, Address& recipient)
{
    const ContractParams& p = ParamsOf(ctx);
    switch (tx.type)
    {
        case TxType::kContractDeploy:
            return CheckDeploy(tx, p, amount, recipient);
        case TxType::kContractCall:
            return CheckCall(state, tx, p, amount, recipient);
        case TxType::kDeviceRegister:
            return CheckDeviceRegister(state, tx);
        case TxType::kDeviceEvent:
            return CheckDeviceEvent(state, tx, p);
        case TxType::kCallbackRegister:
            return CheckCallbackRegister(state, tx, p);
        default:
            return Status::Invalid("not a contract transaction");
    }
}

void
ApplyContractTx(LedgerState& state, const Transaction& tx, const TxContext& ctx)
{
    ContractsState& c = state.MutableContracts();
    if (tx.type == TxType::kDeviceRegister)
    {
        auto r = DeviceRegisterPayload::Decode(tx.payload).Value();
        c.devices[AddressOf(r.device)] =
            DeviceRecord{r.device, tx.SenderAddress(), r.deviceNode, r.homeNode, ctx.height};
        return;
    }
    if (tx.type == TxType::kCallbackRegister)
    {
        auto r = CallbackRegisterPayload::Decode(tx.payload).Value();
        c.callbacks[tx.Id()] =
            CallbackRegistration{tx.Id(), tx.SenderAddress(), r.contract, r.predicate, ctx.height};
        return;
    }
    Execute(state, tx, ctx);
}

uint64_t
GasFloor(const Transaction& tx, const TxContext& ctx)
{
    const uint64_t price = ParamsOf(ctx).gasPrice;
    const auto limit = GasLimitOf(tx);
    if (!limit || price == 0)
    {
        return 0;
    }
    return *limit > UINT64_MAX / price ? UINT64_MAX : *limit * price;
}

bool
CallbackHolds(const ContractsState& state, const CallbackRegistration& reg)
{
    const ContractAccount* account = state.Find(reg.contract);
    return account && reg.predicate.Holds(account->Get(reg.predicate.key));
}

} // namespace canon
