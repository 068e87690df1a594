#include "model/run/contracts-feature.h"

#include "model/contracts/callback-message.h"
#include "model/trace/trace-writer.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace canon
{

namespace
{

KeyPair
OwnerKey(uint64_t seed)
{
    return DeriveKeyPair(seed, "contract-owner", 0);
}

KeyPair
DeviceKey(uint64_t seed, std::size_t k)
{
    return DeriveKeyPair(seed, "contract-device", static_cast<uint32_t>(k));
}

// Replaces every `from` in `text` with `to`.
void
ReplaceAll(std::string& text, const std::string& from, const std::string& to)
{
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size()))
    {
        text.replace(at, from.size(), to);
    }
}

// A whole number that fits an int64, as written ("-3", "12"); none for anything else.
std::optional<int64_t>
WholeNumber(const std::string& text)
{
    if (text.empty() || text.size() > 20)
    {
        return std::nullopt;
    }
    errno = 0;
    char* end = nullptr;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    if (*end != '\0' || errno != 0 || !(std::isdigit(static_cast<unsigned char>(text.back()))))
    {
        return std::nullopt;
    }
    return static_cast<int64_t>(v);
}

PredicateOp
OpOf(ContractPredicateOp op)
{
    return static_cast<PredicateOp>(static_cast<uint8_t>(op));
}

void
CopyText(char (&out)[kDropReasonChars], const std::string& text)
{
    std::memset(out, 0, sizeof out);
    std::memcpy(out, text.data(), std::min(text.size(), sizeof out));
}

} // namespace

ContractsFeature::ContractsFeature(ContractsConfig config, uint64_t seed, TimeNs duration)
  : m_config(std::move(config))
  , m_seed(seed)
  , m_duration(duration)
{
    m_owner.key = OwnerKey(seed);
    m_owner.node = m_config.ownerNode;
    for (std::size_t k = 0; k < m_config.devices.size(); ++k)
    {
        const ContractDeviceConfig& d = m_config.devices[k];
        Device dev;
        dev.wallet.key = DeviceKey(seed, k);
        dev.wallet.node = d.node;
        dev.home = d.home;
        dev.param = d.param;
        m_devices.push_back(std::move(dev));
        m_deviceAt[d.node] = k;
        m_rng.push_back(Rng::Derive(seed, "contracts", k));
    }
    m_contract = ContractAddress(m_owner.key.GetAddress(), 0);
}

std::vector<Address>
ContractsFeature::FundedAddresses(const ContractsConfig& config, uint64_t seed)
{
    std::vector<Address> out{OwnerKey(seed).GetAddress()};
    for (std::size_t k = 0; k < config.devices.size(); ++k)
    {
        out.push_back(DeviceKey(seed, k).GetAddress());
    }
    return out;
}

void
ContractsFeature::Attach(const FeatureContext& ctx)
{
    m_ctx.emplace(ctx);
    RunHost& host = ctx.host;
    const TimeNs deploy = FromSeconds(m_config.deployAtS);
    host.At(deploy, [this] { Deploy(); });
    const TimeNs start =
        m_config.join.atS > 0 ? FromSeconds(m_config.join.atS) : deploy + kDeviceStartAfterDeploy;
    for (std::size_t k = 0; k < m_devices.size(); ++k)
    {
        host.At(start, [this, k] { StartDevice(k); });
        if (m_config.events.ratePerS > 0)
        {
            ScheduleEvent(k, std::max(start, FromSeconds(m_config.events.startS)));
        }
    }
    for (const ContractCallConfig& call : m_config.calls)
    {
        OwnerCall(call, FromSeconds(call.atS));
    }
    host.At(ctx.genesis.params->slotDuration, [this] { PollReceipts(); });
    host.At(std::max<TimeNs>(0, m_duration - kMillisecond), [this] { Snapshot(); });
}

void
ContractsFeature::Submit(Wallet& w, TxType type, const Bytes& payload, uint64_t gasLimit)
{
    RunHost& host = m_ctx->host;
    const TimeNs now = host.Now();
    const ChainParams& params = *m_ctx->genesis.params;
    // Signed by the terms of the wallet's node's chain; with no full node there (a light device
    // node), by the genesis CZC hash and floor.
    SignerTerms terms{params.CzcHashAt(0), params.feeMin};
    if (const Node* n = host.FullNode(w.node))
    {
        terms = TermsOn(n->Chain());
        const uint64_t chain = n->Chain().BestState().NonceOf(w.key.GetAddress());
        if (chain != w.chainNonce || w.progress == 0)
        {
            w.chainNonce = chain;
            w.progress = now;
        }
        const bool newCzc = terms.czc != w.czc;
        w.czc = terms.czc;
        if (w.next < chain || (w.next > chain && now - w.progress > kNonceResync) || newCzc)
        {
            w.next = chain;
            w.progress = now;
        }
    }
    const uint64_t fee = terms.Bid(m_config.bid + gasLimit * params.contracts.gasPrice);
    Transaction tx = MakeTransaction(w.key, type, w.next++, fee, terms.czc, payload);
    tx.tip = m_config.bid; // EIP-1559: what the producer gets above the base fee
    tx.SignWith(w.key);
    ++m_submitted;
    m_ctx->submit(w.node, tx);
}

std::string
ContractsFeature::Expand(const std::string& text, const Device* d) const
{
    std::string s = text;
    ReplaceAll(s, "{owner}", AddressToLua(m_owner.key.GetAddress()));
    if (!m_devices.empty())
    {
        ReplaceAll(s, "{device0}", AddressToLua(m_devices.front().wallet.key.GetAddress()));
    }
    if (d)
    {
        ReplaceAll(s, "{device}", AddressToLua(d->wallet.key.GetAddress()));
        ReplaceAll(s, "{home}", AddressToLua(m_ctx->genesis.nodeKeys[d->home].GetAddress()));
        ReplaceAll(s, "{param}", std::to_string(d->param));
        ReplaceAll(s, "{n}", std::to_string(d->events));
    }
    return s;
}

ContractValue
ContractsFeature::Arg(const std::string& text, const Device* d) const
{
    const std::string s = Expand(text, d);
    if (auto v = WholeNumber(s))
    {
        return ContractValue::Int(*v);
    }
    return ContractValue::Str(s);
}

std::vector<ContractValue>
ContractsFeature::Args(const std::vector<std::string>& texts, const Device* d) const
{
    std::vector<ContractValue> out;
    for (const std::string& t : texts)
    {
        out.push_back(Arg(t, d));
    }
    return out;
}

void
ContractsFeature::Deploy()
{
    const uint64_t gas = kDeployGasFactor * m_config.gasLimit;
    m_owner.next = 0; // the contract's address is the owner's first deploy
    for (Device& d : m_devices)
    {
        // Nodes are made when they start (ns-3: at their application's start), so the device's
        // peers are read now.
        const Node* n = m_ctx->host.FullNode(d.wallet.node);
        if (d.home == kContractHomeAuto)
        {
            d.home = n && !n->Peers().empty() ? n->Peers().front() : d.wallet.node;
        }
    }
    Submit(m_owner, TxType::kContractDeploy,
           DeployPayload{m_config.code, Args(m_config.init, nullptr), m_config.value, gas}.Encode(),
           gas);
    for (const Device& d : m_devices)
    {
        Submit(m_owner, TxType::kDeviceRegister,
               DeviceRegisterPayload{d.wallet.key.Public(), d.wallet.node, d.home}.Encode(), 0);
    }
}

bool
ContractsFeature::Ready(uint32_t node, const Address* device) const
{
    const Node* n = m_ctx->host.FullNode(node);
    const ContractsState* c = n ? &n->Chain().BestState().Contracts() : nullptr;
    return c && c->Find(m_contract) && (!device || c->devices.Find(*device));
}

void
ContractsFeature::StartDevice(std::size_t k)
{
    Device& d = m_devices[k];
    const Address self = d.wallet.key.GetAddress();
    if (!Ready(d.wallet.node, &self))
    {
        // Its node's chain does not hold the contract or its registration yet: a slot later.
        RunHost& host = m_ctx->host;
        host.At(host.Now() + m_ctx->genesis.params->slotDuration, [this, k] { StartDevice(k); });
        return;
    }
    for (const ContractCallbackConfig& cb : m_config.callbacks)
    {
        const ContractValue operand =
            cb.op == ContractPredicateOp::kSet ? ContractValue::Nil() : Arg(cb.value, &d);
        Submit(
            d.wallet, TxType::kCallbackRegister,
            CallbackRegisterPayload{m_contract, Predicate{Expand(cb.key, &d), OpOf(cb.op), operand}}
                .Encode(),
            0);
    }
    const ContractCallConfig& join = m_config.join;
    if (!join.method.empty())
    {
        Submit(
            d.wallet, TxType::kContractCall,
            CallPayload{m_contract, join.method, Args(join.args, &d), join.value, m_config.gasLimit}
                .Encode(),
            m_config.gasLimit);
    }
}

void
ContractsFeature::ScheduleEvent(std::size_t k, TimeNs after)
{
    const double gap = m_rng[k].Exponential(1.0 / m_config.events.ratePerS);
    const TimeNs at = after + FromSeconds(gap);
    if (at >= m_duration)
    {
        return;
    }
    m_ctx->host.At(at,
                   [this, k, at]
                   {
                       SendEvent(k);
                       ScheduleEvent(k, at);
                   });
}

void
ContractsFeature::SendEvent(std::size_t k)
{
    Device& d = m_devices[k];
    const ContractEventsConfig& e = m_config.events;
    const Address self = d.wallet.key.GetAddress();
    if (e.types.empty() || (e.count > 0 && d.events >= e.count) || !Ready(d.wallet.node, &self))
    {
        return; // nothing to send, or its node would refuse it (not registered yet)
    }
    const std::string& type = e.types[d.events % e.types.size()];
    const std::vector<ContractValue> data = Args(e.data, &d);
    ++d.events;
    ++m_eventsSent;
    Submit(d.wallet, TxType::kDeviceEvent,
           DeviceEventPayload{m_contract, type, data, m_config.gasLimit}.Encode(),
           m_config.gasLimit);
}

void
ContractsFeature::OwnerCall(const ContractCallConfig& call, TimeNs at)
{
    if (at >= m_duration)
    {
        return;
    }
    m_ctx->host.At(at,
                   [this, &call, at]
                   {
                       if (!Ready(m_owner.node, nullptr))
                       {
                           // Not on the owner node's chain yet: a slot later.
                           OwnerCall(call, at + m_ctx->genesis.params->slotDuration);
                           return;
                       }
                       Submit(m_owner, TxType::kContractCall,
                              CallPayload{m_contract, call.method, Args(call.args, nullptr),
                                          call.value, m_config.gasLimit}
                                  .Encode(),
                              m_config.gasLimit);
                       if (call.everyS > 0)
                       {
                           OwnerCall(call, at + FromSeconds(call.everyS));
                       }
                   });
}

void
ContractsFeature::OnEvent(uint32_t node, const NodeEvent& ev)
{
    if (ev.kind == NodeEventKind::kCallbackSent)
    {
        (ev.reason.empty() ? m_callbacksSent : m_callbacksUndelivered) += 1;
        return;
    }
    auto at = m_deviceAt.find(node);
    if (ev.kind != NodeEventKind::kCallbackArrived || at == m_deviceAt.end() || !m_ctx)
    {
        return;
    }
    const double latency = ToSeconds(ev.latency);
    m_latencies.push_back(latency);
    if (m_ctx->writer)
    {
        CallbackRecord r{};
        r.time = ToSeconds(m_ctx->host.Now());
        r.device_node = node;
        r.home_node = ev.peer;
        r.contract = HashPrefix64(m_contract);
        r.registration = HashPrefix64(ev.hash);
        r.trigger = HashPrefix64(ev.block);
        r.trigger_height = ev.height;
        r.latency_s = latency;
        r.from_submission = ev.count > 0 ? 1 : 0;
        m_ctx->writer->Add(r);
    }
    const std::size_t k = at->second;
    const Hash256 trigger = ev.block;
    m_ctx->host.At(m_ctx->host.Now(), [this, k, trigger] { React(k, trigger); });
}

void
ContractsFeature::React(std::size_t k, const Hash256& trigger)
{
    Device& d = m_devices[k];
    if (m_config.events.onCallback == ContractReaction::kNone || !d.acted.insert(trigger).second)
    {
        return;
    }
    ++m_reactions;
    if (m_config.events.onCallback == ContractReaction::kEvent)
    {
        SendEvent(k);
        return;
    }
    const ContractCallConfig& join = m_config.join;
    Submit(d.wallet, TxType::kContractCall,
           CallPayload{m_contract, join.method, Args(join.args, &d), join.value, m_config.gasLimit}
               .Encode(),
           m_config.gasLimit);
}

void
ContractsFeature::PollReceipts()
{
    RunHost& host = m_ctx->host;
    if (const Node* n = host.FullNode(m_owner.node))
    {
        for (const BlockEntry* e = n->Chain().Best();
             e && e->height > 0 && e->state && m_seenBlocks.insert(e->hash).second; e = e->parent)
        {
            const auto& receipts = e->state->Contracts().ReceiptsAt(e->height);
            if (!receipts.empty())
            {
                m_calls[e->hash] = BlockCalls{e->height, e->block->header.timestamp, receipts};
            }
        }
    }
    host.At(host.Now() + m_ctx->genesis.params->slotDuration, [this] { PollReceipts(); });
}

void
ContractsFeature::Snapshot()
{
    PollReceipts();
    if (const Node* n = m_ctx->host.FullNode(m_owner.node))
    {
        for (const BlockEntry* e = n->Chain().Best(); e && e->height > 0; e = e->parent)
        {
            m_mainChain.emplace_back(e->height, e->hash);
        }
        std::reverse(m_mainChain.begin(), m_mainChain.end());
        m_supplyConserved = n->Chain().BestState().TotalSupply() == kTotalSupply;
    }
    CompareRoots();
}

void
ContractsFeature::CompareRoots()
{
    RunHost& host = m_ctx->host;
    std::vector<std::map<uint64_t, Hash256>> roots;
    for (uint32_t i = 0; i < host.NodeCount(); ++i)
    {
        const Node* n = host.FullNode(i);
        if (!n || host.AdversaryAt(i))
        {
            continue;
        }
        std::map<uint64_t, Hash256> mine;
        for (const BlockEntry* e = n->Chain().Best(); e && e->state; e = e->parent)
        {
            mine[e->height] = e->state->StateRoot();
        }
        roots.push_back(std::move(mine));
    }
    // The highest height every node still holds a state for.
    uint64_t h = UINT64_MAX;
    for (const auto& r : roots)
    {
        h = std::min(h, r.empty() ? 0 : r.rbegin()->first);
    }
    m_rootNodes = 0;
    const auto reference = roots.empty() ? nullptr : &roots.front();
    for (const auto& r : roots)
    {
        auto it = r.find(h);
        auto ref = reference->find(h);
        m_rootNodes += it != r.end() && ref != reference->end() && it->second == ref->second;
    }
    m_rootHeight = roots.empty() ? 0 : h;
    m_rootsAgree = !roots.empty() && m_rootNodes == roots.size() ? 1.0 : 0.0;
}

void
ContractsFeature::Finish()
{
    if (!m_ctx || !m_ctx->writer)
    {
        return;
    }
    std::map<Address, uint32_t> nodeOf{{m_owner.key.GetAddress(), m_owner.node}};
    for (const Device& d : m_devices)
    {
        nodeOf[d.wallet.key.GetAddress()] = d.wallet.node;
    }
    for (const auto& [height, hash] : m_mainChain)
    {
        auto it = m_calls.find(hash);
        if (it == m_calls.end())
        {
            continue;
        }
        for (const ContractReceipt& rc : it->second.receipts)
        {
            ContractCallRecord r{};
            r.time = ToSeconds(it->second.time);
            r.height = height;
            r.tx = HashPrefix64(rc.txId);
            r.contract = HashPrefix64(rc.contract);
            r.caller = HashPrefix64(rc.caller);
            auto node = nodeOf.find(rc.caller);
            r.caller_node = node == nodeOf.end() ? UINT32_MAX : node->second;
            r.kind = static_cast<uint8_t>(rc.type);
            CopyText(r.method, rc.method);
            r.gas_used = rc.gasUsed;
            r.gas_limit = rc.gasLimit;
            r.result = static_cast<uint8_t>(rc.revert);
            CopyText(r.reason, rc.reason);
            m_ctx->writer->Add(r);
        }
    }
}

std::map<std::string, double>
ContractsFeature::Figures() const
{
    uint64_t calls = 0, reverted = 0, gas = 0;
    for (const auto& [height, hash] : m_mainChain)
    {
        auto it = m_calls.find(hash);
        for (const ContractReceipt& rc :
             it == m_calls.end() ? std::vector<ContractReceipt>{} : it->second.receipts)
        {
            ++calls;
            reverted += rc.revert == RevertKind::kNone ? 0 : 1;
            gas += rc.gasUsed;
        }
    }
    std::vector<double> lat = m_latencies;
    std::sort(lat.begin(), lat.end());
    const double p50 = lat.empty() ? 0.0 : lat[lat.size() / 2];
    return {{"calls", static_cast<double>(calls)},
            {"calls_reverted", static_cast<double>(reverted)},
            {"gas_used", static_cast<double>(gas)},
            {"transactions_submitted", static_cast<double>(m_submitted)},
            {"events_sent", static_cast<double>(m_eventsSent)},
            {"callbacks_sent", static_cast<double>(m_callbacksSent)},
            {"callbacks_undelivered", static_cast<double>(m_callbacksUndelivered)},
            {"callbacks_arrived", static_cast<double>(m_latencies.size())},
            {"callback_latency_p50_s", p50},
            {"device_reactions", static_cast<double>(m_reactions)},
            {"state_roots_agree", m_rootsAgree},
            {"supply_conserved", m_supplyConserved ? 1.0 : 0.0},
            {"state_root_height", static_cast<double>(m_rootHeight)},
            {"state_root_nodes", static_cast<double>(m_rootNodes)}};
}

} // namespace canon
