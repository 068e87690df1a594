#include "scenarios/contracts/contract-scenarios.h"

#include "model/chain/block-validator.h"
#include "model/contracts/contract-executor.h"
#include "model/sim/harness.h"

#include <fstream>
#include <functional>
#include <map>
#include <sstream>

namespace canon
{

namespace
{

constexpr uint64_t kGasLimit = 200'000;
constexpr uint64_t kDeployGasLimit = 1'000'000; // a deploy pays deployByte per byte of code
constexpr uint64_t kDeposit = 100 * kUnitsPerCzr;
constexpr uint64_t kReward = 2 * kUnitsPerCzr;
// The scripted participants hold the last workload accounts: the harness's voters (CZR loop)
// are the first half, and with no background transactions nobody else uses these nonces.
constexpr uint32_t kAccounts = 16;

KeyPair
Participant(uint64_t seed, uint32_t i)
{
    return DeriveKeyPair(seed, "account", kAccounts - 1 - i);
}

Result<std::string>
ReadText(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        return Status(StatusCode::kIoError, path + ": cannot read the contract's code");
    }
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Device
{
    std::string name;
    KeyPair key;
    uint32_t node = 0; // where the device application runs
    uint32_t home = 0; // its full node
};

ContractValue
Str(const std::string& s)
{
    return ContractValue::Str(s);
}

// The scripted participants of one run and what they saw.
class Script
{
  public:
    Script(const ContractScenarioOptions& o, HarnessConfig c)
      : m_o(o)
      , h(std::move(c))
      , owner(Participant(o.seed, 0))
      , contract(ContractAddress(owner.GetAddress(), 0))
    {
    }

    void AddDevices(uint32_t count)
    {
        for (uint32_t i = 0; i < count; ++i)
        {
            const uint32_t home = 1 + i % (h.NodeCount() - 1);
            const uint32_t node = h.GetNode(home)->Peers().front();
            devices.push_back(
                Device{"device" + std::to_string(i + 1), Participant(m_o.seed, 1 + i), node, home});
        }
    }
    // The address CZR measures for node i (its key).
    Address NodeAddress(uint32_t i) const
    {
        const int p = h.ProducerIndexOfNode(i);
        return (p >= 0 ? DeriveKeyPair(m_o.seed, "producer", static_cast<uint32_t>(p))
                       : DeriveKeyPair(m_o.seed, "node", i))
            .GetAddress();
    }
    void Submit(uint32_t node, const KeyPair& k, TxType type, const Bytes& payload)
    {
        uint64_t& nonce = m_nonces[k.GetAddress()];
        const uint64_t fee = type == TxType::kContractDeploy ? kDeployGasLimit : kGasLimit;
        const Transaction tx = MakeTransaction(k, type, nonce++, fee, Czc(), payload);
        m_submittedAt[tx.Id()] = h.Now();
        h.SubmitTransaction(node, tx);
    }
    void Call(uint32_t node, const KeyPair& k, const std::string& method,
              std::vector<ContractValue> args, uint64_t value = 0)
    {
        Submit(node, k, TxType::kContractCall,
               CallPayload{contract, method, std::move(args), value, kGasLimit}.Encode());
    }
    void Event(const Device& d, const std::string& kind, std::vector<ContractValue> data = {})
    {
        Submit(d.node, d.key, TxType::kDeviceEvent,
               DeviceEventPayload{contract, kind, std::move(data), kGasLimit}.Encode());
        Log(d.name + " sends event " + kind);
    }
    void Log(const std::string& what)
    {
        char t[32];
        std::snprintf(t, sizeof t, "%6.2f s  ", ToSeconds(h.Now()));
        report.log.push_back(t + what);
    }

    using React = std::function<void(Device&, const CallbackArrival&)>;
    // Runs to `t` in poll steps; every new callback at a device's node is sampled and handed to
    // `react`.
    void RunTo(TimeNs t, const React& react)
    {
        while (h.Now() < t)
        {
            h.RunUntil(std::min(t, h.Now() + kPollPeriod));
            for (Device& d : devices)
            {
                Poll(d, react);
            }
        }
    }

    ContractScenarioReport Finish();

    const ContractScenarioOptions& m_o;
    Harness h;
    KeyPair owner;
    Address contract;
    std::vector<Device> devices;
    ContractScenarioReport report;

  private:
    Hash256 Czc() const { return h.Params().CzcHashAt(0); }
    void Poll(Device& d, const React& react)
    {
        const auto& arrivals = h.GetNode(d.node)->Callbacks().Arrivals();
        std::size_t& seen = m_seen[d.node];
        for (; seen < arrivals.size(); ++seen)
        {
            const CallbackArrival& a = arrivals[seen];
            for (Device& target : devices)
            {
                if (target.key.GetAddress() == a.message.device)
                {
                    Sample(target, a);
                    if (react)
                    {
                        react(target, a);
                    }
                }
            }
        }
    }
    void Sample(const Device& d, const CallbackArrival& a)
    {
        CallbackSample s{d.name, a.message.data.ToString(), 0,
                         ToSeconds(a.arrival - a.message.blockTime)};
        auto it = m_submittedAt.find(a.message.triggerTx);
        s.triggerToArrival = it == m_submittedAt.end() ? -1 : ToSeconds(a.arrival - it->second);
        report.callbacks.push_back(s);
        Log(d.name + " called back: " + s.data);
    }

    std::map<Address, uint64_t> m_nonces;
    std::map<Hash256, TimeNs> m_submittedAt;
    std::map<uint32_t, std::size_t> m_seen;
};

ContractScenarioReport
Script::Finish()
{
    const BlockEntry* best = h.GetNode(0)->Chain().Best();
    std::vector<BlockPtr> blocks;
    for (const BlockEntry* e = best; e && e->height > 0; e = e->parent)
    {
        blocks.insert(blocks.begin(), e->block);
    }
    LedgerState replay = LedgerState::FromGenesis(h.Params());
    for (const auto& b : blocks)
    {
        if (ApplyBlockBody(*b, h.Params(), replay).IsOk())
        {
            const auto& r = replay.Contracts().ReceiptsAt(b->header.height);
            report.receipts.insert(report.receipts.end(), r.begin(), r.end());
        }
    }
    report.blocks = best->height;
    const LedgerState& st = h.GetNode(0)->Chain().BestState();
    report.statesAgree = replay.StateRoot() == st.StateRoot();
    for (uint32_t i = 1; i < h.NodeCount(); ++i)
    {
        const Node* n = h.GetNode(i);
        report.statesAgree =
            report.statesAgree && n && n->Chain().BestState().StateRoot() == st.StateRoot();
    }
    if (const ContractAccount* c = st.Contracts().Find(contract))
    {
        for (const auto& [key, value] : c->storage)
        {
            report.storage.emplace_back(key, value);
        }
    }
    report.contractBalance = st.BalanceOf(contract);
    return std::move(report);
}

std::string
DeviceKey(const Device& d)
{
    return AddressToLua(d.key.GetAddress());
}

void
Deploy(Script& s, const std::string& code, std::vector<ContractValue> args, uint64_t value)
{
    s.Submit(0, s.owner, TxType::kContractDeploy,
             DeployPayload{code, std::move(args), value, kDeployGasLimit}.Encode());
    for (const Device& d : s.devices)
    {
        s.Submit(0, s.owner, TxType::kDeviceRegister,
                 DeviceRegisterPayload{d.key.Public(), d.node, d.home}.Encode());
    }
    s.Log("owner deploys the contract and registers " + std::to_string(s.devices.size()) +
          " devices");
}

void
RegisterCallback(Script& s, const Device& d, const std::string& key, const ContractValue& v)
{
    s.Submit(d.node, d.key, TxType::kCallbackRegister,
             CallbackRegisterPayload{s.contract, Predicate{key, PredicateOp::kEq, v}}.Encode());
}

void
RunCoop(Script& s, const std::string& code)
{
    s.RunTo(300 * kMillisecond, {});
    s.AddDevices(4);
    Deploy(s, code, {ContractValue::Int(static_cast<int64_t>(kDeposit)), ContractValue::Int(4)}, 0);
    s.RunTo(3300 * kMillisecond, {});
    for (std::size_t i = 0; i < s.devices.size(); ++i)
    {
        const Device& d = s.devices[i];
        RegisterCallback(s, d, "status:" + DeviceKey(d), Str("slashed"));
        // The last device promises more than any node is measured at.
        const int64_t promise = i + 1 == s.devices.size() ? int64_t{1} << 50 : 1;
        s.Call(d.node, d.key, "join",
               {ContractValue::Int(promise), Str(AddressToLua(s.NodeAddress(d.home)))}, kDeposit);
    }
    s.Log("devices register a callback on being slashed and join with a deposit");
    bool rejoined = false;
    auto react = [&](Device& d, const CallbackArrival& a)
    {
        if (a.message.data == Str("slashed") && !rejoined)
        {
            rejoined = true; // the predicate's callback and chain.notify both say so: act once
            s.Call(d.node, d.key, "join",
                   {ContractValue::Int(0), Str(AddressToLua(s.NodeAddress(d.home)))}, kDeposit);
            s.Log(d.name + " acts: rejoins promising 0");
        }
    };
    s.RunTo(15300 * kMillisecond, react);
    s.Call(0, s.owner, "audit", {});
    s.Log("owner audits after the first CZR report");
    s.RunTo(17300 * kMillisecond, react);
    s.Event(s.devices[1], "quit");
    s.RunTo(24300 * kMillisecond, react);
    s.Event(s.devices[1], "leave");
    s.RunTo(35300 * kMillisecond, react);
    s.Call(0, s.owner, "audit", {});
    s.Log("owner audits after the next CZR report");
    s.RunTo(s.m_o.duration, react);
}

void
RunPromoter(Script& s, const std::string& code)
{
    s.RunTo(300 * kMillisecond, {});
    s.AddDevices(1);
    Device& dev = s.devices.front();
    Deploy(s, code, {Str(DeviceKey(dev)), ContractValue::Int(static_cast<int64_t>(kReward))},
           10 * kReward);
    s.RunTo(3300 * kMillisecond, {});
    RegisterCallback(s, dev, "state", Str("exhausted"));
    RegisterCallback(s, dev, "state", Str("open"));
    s.Log("device registers callbacks on state exhausted and open");
    bool paused = false;
    bool toppedUp = false;
    auto react = [&](Device& d, const CallbackArrival& a)
    {
        if (a.message.data == Str("exhausted"))
        {
            paused = true;
            s.Log(d.name + " acts: pauses new-user reports");
        }
        else if (a.message.data == Str("open"))
        {
            paused = false;
            s.Log(d.name + " acts: resumes");
        }
    };
    uint32_t user = 0;
    for (TimeNs t = 4300 * kMillisecond; t < s.m_o.duration; t += 1500 * kMillisecond)
    {
        s.RunTo(t, react);
        if (!toppedUp && t >= 28 * kSecond)
        {
            toppedUp = true;
            s.Call(0, s.owner, "topup", {}, 3 * kReward);
            s.Log("promoter tops up three rewards");
        }
        if (paused)
        {
            continue;
        }
        // The sixth report repeats an earlier user: the contract refuses to pay twice.
        const uint32_t id = user == 5 ? 3 : user;
        ++user;
        s.Event(dev, "new_user", {Str("user-" + std::to_string(id))});
    }
    s.RunTo(s.m_o.duration, react);
}

} // namespace

Result<ContractScenarioReport>
RunContractScenario(const ContractScenarioOptions& o)
{
    if (o.which != "coop" && o.which != "promoter")
    {
        return Status::Invalid("unknown contract scenario '" + o.which + "' (coop or promoter)");
    }
    if (o.nodes < 4 || o.producers < 1 || o.producers > o.nodes)
    {
        return Status::Invalid("contract scenarios need at least 4 nodes and 1..nodes producers");
    }
    auto code = ReadText(o.luaDir + (o.which == "coop" ? "/cooperative-job.lua" : "/promoter.lua"));
    if (!code.IsOk())
    {
        return code.GetStatus();
    }
    HarnessConfig c;
    c.seed = o.seed;
    c.nodeCount = o.nodes;
    c.producerCount = o.producers;
    c.txPerSecond = 0; // the scripted participants use the workload accounts
    c.accounts = kAccounts;
    c.czrEpochSlots = o.which == "coop" ? 10 : 0;
    Script s(o, c);
    if (o.which == "coop")
    {
        RunCoop(s, code.Value());
    }
    else
    {
        RunPromoter(s, code.Value());
    }
    return s.Finish();
}

} // namespace canon
