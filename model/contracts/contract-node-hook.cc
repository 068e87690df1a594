#include "model/contracts/contract-node-hook.h"

#include "model/contracts/contract-executor.h"

#include <algorithm>

namespace canon
{

namespace
{

// The id of the block's last contract receipt that ran `contract` (zero when none did).
Hash256
TriggerOf(const ContractsState& c, uint64_t height, const Address& contract)
{
    Hash256 id{};
    for (const ContractReceipt& r : c.ReceiptsAt(height))
    {
        if (r.contract == contract && r.revert == RevertKind::kNone)
        {
            id = r.txId;
        }
    }
    return id;
}

Hash256
SendKey(const Hash256& registration, const Hash256& block, const Hash256& tx, std::size_t index)
{
    Bytes b;
    Writer w(b);
    w.Fixed(registration);
    w.Fixed(block);
    w.Fixed(tx);
    w.U64(index);
    return Blake2b256(b);
}

} // namespace

void
ContractNodeHook::OnBestTip(const BlockEntry& tip, const std::vector<PeerId>& peers, TimeNs now,
                            Actions& out)
{
    // The blocks the new best chain adds: back from the tip to the first block already checked
    // (the fork point of a reorg, or the previous tip). A fresh hook (a node that just started)
    // checks the tip alone.
    std::vector<const BlockEntry*> added;
    for (const BlockEntry* e = &tip; e && e->state && added.size() < kCheckedBackMax; e = e->parent)
    {
        if (!m_checked.Insert(e->hash))
        {
            break;
        }
        added.push_back(e);
        if (!m_checkedAny)
        {
            break;
        }
    }
    m_checkedAny = true;
    for (auto it = added.rbegin(); it != added.rend(); ++it)
    {
        CheckBlock(**it, peers, now, out);
    }
}

void
ContractNodeHook::CheckBlock(const BlockEntry& block, const std::vector<PeerId>& peers, TimeNs now,
                             Actions& out)
{
    if (!block.state || !block.parent || !block.parent->state)
    {
        return;
    }
    const ContractsState& after = block.state->Contracts();
    const ContractsState& before = block.parent->state->Contracts();
    const TimeNs blockTime = block.block->header.timestamp;
    for (const auto& [id, reg] : after.callbacks)
    {
        const DeviceRecord* d = after.devices.Find(reg.device);
        if (!d || d->homeNode != m_self || !CallbackHolds(after, reg) ||
            CallbackHolds(before, reg) || !m_sent.Insert(SendKey(id, block.hash, {}, 0)))
        {
            continue;
        }
        const ContractValue value = after.Find(reg.contract)->Get(reg.predicate.key);
        const CallbackMessage m{
            id,           reg.device, reg.contract, TriggerOf(after, block.height, reg.contract),
            block.height, blockTime,  value};
        Deliver(m, d->deviceNode, peers, now, out);
    }
    for (const ContractReceipt& r : after.ReceiptsAt(block.height))
    {
        for (std::size_t i = 0; i < r.notifications.size(); ++i)
        {
            const auto& [device, data] = r.notifications[i];
            const DeviceRecord* d = after.devices.Find(device);
            if (d && d->homeNode == m_self && m_sent.Insert(SendKey({}, block.hash, r.txId, i)))
            {
                Deliver(
                    CallbackMessage{{}, device, r.contract, r.txId, block.height, blockTime, data},
                    d->deviceNode, peers, now, out);
            }
        }
    }
}

void
ContractNodeHook::Deliver(const CallbackMessage& m, uint32_t deviceNode,
                          const std::vector<PeerId>& peers, TimeNs now, Actions& out)
{
    NodeEvent ev;
    ev.kind = NodeEventKind::kCallbackSent;
    ev.hash = m.registration;
    ev.block = m.triggerTx;
    ev.height = m.triggerHeight;
    ev.peer = deviceNode;
    if (deviceNode == m_self)
    {
        ++m_sentCount;
        out.events.push_back(ev);
        Arrive(m, m_self, now, out);
        return;
    }
    if (std::find(peers.begin(), peers.end(), deviceNode) == peers.end())
    {
        ev.reason = "device node " + std::to_string(deviceNode) + " is not a peer";
        out.events.push_back(ev);
        return;
    }
    ++m_sentCount;
    auto bytes = std::make_shared<const Bytes>(m.Encode());
    ev.bytes = bytes->size();
    out.events.push_back(ev);
    out.sends.push_back(SendAction{deviceNode, kCallbackMessage, std::move(bytes), false});
}

void
ContractNodeHook::OnCallback(TimeNs now, const MessageInput& in, Actions& out)
{
    auto m = CallbackMessage::Decode(*in.bytes);
    if (!m.IsOk())
    {
        NodeEvent ev;
        ev.kind = NodeEventKind::kMessageDropped;
        ev.peer = in.from;
        ev.messageType = kCallbackMessage;
        ev.bytes = in.bytes->size();
        ev.reason = m.GetStatus().ToString();
        out.events.push_back(ev);
        return;
    }
    Arrive(m.Value(), in.from, now, out);
}

void
ContractNodeHook::Arrive(const CallbackMessage& m, PeerId from, TimeNs now, Actions& out)
{
    CallbackArrival a{m, from, now, now - m.blockTime, false};
    if (const TimeNs* submitted = m_submitted.Find(m.triggerTx))
    {
        a.latency = now - *submitted;
        a.fromSubmission = true;
    }
    NodeEvent ev;
    ev.kind = NodeEventKind::kCallbackArrived;
    ev.hash = m.registration;
    ev.block = m.triggerTx;
    ev.height = m.triggerHeight;
    ev.peer = from;
    ev.latency = a.latency;
    ev.count = a.fromSubmission ? 1 : 0;
    out.events.push_back(ev);
    if (m_arrivals.size() == kArrivalsMax)
    {
        m_arrivals.pop_front();
    }
    m_arrivals.push_back(std::move(a));
}

void
ContractNodeHook::NoteSubmitted(const Transaction& tx, TimeNs now)
{
    if (IsContractTx(tx.type))
    {
        m_submitted.Insert(tx.Id(), now);
    }
}

} // namespace canon
