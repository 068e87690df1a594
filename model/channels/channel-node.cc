#include "model/channels/channel-node.h"

namespace canon
{

void
ChannelNode::AddChannel(uint32_t peer, const ChannelEndpointConfig& config)
{
    m_channels.emplace(config.channel, ChannelEndpoint(config));
    m_peerOf[config.channel] = peer;
}

ChannelEndpoint*
ChannelNode::Find(const ChannelId& id)
{
    auto it = m_channels.find(id);
    return it == m_channels.end() ? nullptr : &it->second;
}

void
ChannelNode::Send(const ChannelId& channel, const ChannelMessage& m, ChannelOutput& out)
{
    out.sends.push_back(ChannelSend{m_peerOf.at(channel), EncodeChannelMessage(m)});
}

void
ChannelNode::Enqueue(const ChannelId& channel, Intent intent, ChannelOutput& out, bool front)
{
    auto& q = m_queues[channel];
    if (!Find(channel) || IsRetired(channel) || q.size() >= kIntentQueueMax)
    {
        intent.onRefused(out);
        return;
    }
    if (front)
    {
        q.push_front(std::move(intent));
    }
    else
    {
        q.push_back(std::move(intent));
    }
    Pump(channel, out);
}

void
ChannelNode::Pump(const ChannelId& channel, ChannelOutput& out)
{
    ChannelEndpoint* end = Find(channel);
    auto& q = m_queues[channel];
    while (end && !end->Busy() && !q.empty() && q.front().retryAt <= m_now)
    {
        Intent intent = std::move(q.front());
        q.pop_front();
        Batch(q, intent);
        auto m = intent.make(*end);
        if (m.IsOk())
        {
            Send(channel, m.Value(), out);
            m_inFlight[channel] = std::move(intent);
            return;
        }
        intent.onRefused(out);
    }
}

void
ChannelNode::Batch(std::deque<Intent>& q, Intent& first)
{
    if (first.payments == 0)
    {
        return;
    }
    while (first.payments < m_batchMax && !q.empty() && q.front().payments > 0)
    {
        first.payAmount += q.front().payAmount;
        first.payments += q.front().payments;
        q.pop_front();
    }
    const uint64_t amount = first.payAmount;
    const uint32_t n = first.payments;
    first.make = [amount](ChannelEndpoint& e) { return e.ProposePay(amount); };
    first.onRefused = [n](ChannelOutput& o)
    {
        for (uint32_t k = 0; k < n; ++k)
        {
            o.outcomes.push_back(PaymentOutcome{Hash256{}, false});
        }
    };
}

void
ChannelNode::Retire(const ChannelId& channel, ChannelOutput& out)
{
    m_retired.insert(channel);
    auto q = std::move(m_queues[channel]);
    m_queues.erase(channel);
    const std::size_t before = out.outcomes.size();
    for (auto& intent : q)
    {
        intent.onRefused(out);
    }
    for (std::size_t i = before; i < out.outcomes.size(); ++i)
    {
        out.outcomes[i].abandoned = true;
    }
    auto in = m_inFlight.find(channel);
    if (in != m_inFlight.end())
    {
        Intent lost = std::move(in->second);
        m_inFlight.erase(in);
        lost.onRefused(out);
    }
}

bool
ChannelNode::Idle(const ChannelId& channel) const
{
    auto q = m_queues.find(channel);
    auto end = m_channels.find(channel);
    return (q == m_queues.end() || q->second.empty()) && !m_inFlight.count(channel) &&
           (end == m_channels.end() || !end->second.Busy());
}

void
ChannelNode::PayDirect(const ChannelId& channel, uint64_t amount, ChannelOutput& out)
{
    Intent i;
    i.make = [amount](ChannelEndpoint& e) { return e.ProposePay(amount); };
    i.onRefused = [](ChannelOutput& o) { o.outcomes.push_back(PaymentOutcome{Hash256{}, false}); };
    i.payAmount = amount;
    i.payments = 1;
    Enqueue(channel, std::move(i), out);
}

void
ChannelNode::PayRoute(const std::vector<RouteHop>& route, const Hash256& paymentHash, TimeNs now,
                      TimeNs hopDelta, ChannelOutput& out)
{
    std::vector<ForwardHop> onward;
    for (std::size_t k = 1; k < route.size(); ++k)
    {
        const TimeNs expiry = now + static_cast<TimeNs>(route.size() - k) * hopDelta;
        onward.push_back(ForwardHop{route[k].to, route[k].channel, route[k].amount, expiry});
    }
    const TimeNs expiry = now + static_cast<TimeNs>(route.size()) * hopDelta;
    const uint64_t amount = route.front().amount;
    Intent i;
    i.make = [=](ChannelEndpoint& e) { return e.ProposeAdd(paymentHash, amount, expiry, onward); };
    i.onRefused = [paymentHash](ChannelOutput& o) {
        o.outcomes.push_back(PaymentOutcome{paymentHash, false});
    };
    Enqueue(route.front().channel, std::move(i), out);
}

void
ChannelNode::ExpectPayment(const Hash256& preimage)
{
    m_preimages[Blake2b256(preimage.data(), preimage.size())] = preimage;
}

void
ChannelNode::FailUpstream(const Hash256& paymentHash, ChannelOutput& out)
{
    auto up = m_upstream.find(paymentHash);
    if (up == m_upstream.end())
    {
        out.outcomes.push_back(PaymentOutcome{paymentHash, false});
        return;
    }
    const ChannelId channel = up->second;
    m_upstream.erase(up);
    Intent i;
    i.make = [paymentHash](ChannelEndpoint& e) { return e.ProposeFail(paymentHash); };
    i.onRefused = [](ChannelOutput&) {};
    i.owed = true;
    Enqueue(channel, std::move(i), out);
}

void
ChannelNode::OnHtlcOffered(const ChannelId& channel, const Htlc& h,
                           const std::vector<ForwardHop>& onward, ChannelOutput& out)
{
    m_upstream[h.paymentHash] = channel;
    const Hash256 hash = h.paymentHash;
    if (onward.empty())
    {
        auto pre = m_preimages.find(hash);
        if (pre == m_preimages.end())
        {
            FailUpstream(hash, out);
            return;
        }
        const Hash256 preimage = pre->second;
        m_upstream.erase(hash);
        Intent i;
        i.make = [preimage](ChannelEndpoint& e) { return e.ProposeFulfil(preimage); };
        i.onRefused = [](ChannelOutput&) {};
        i.owed = true;
        Enqueue(channel, std::move(i), out);
        return;
    }
    const ForwardHop next = onward.front();
    const std::vector<ForwardHop> rest(onward.begin() + 1, onward.end());
    Intent i;
    i.make = [=](ChannelEndpoint& e) { return e.ProposeAdd(hash, next.amount, next.expiry, rest); };
    i.onRefused = [this, hash](ChannelOutput& o) { FailUpstream(hash, o); };
    if (!Find(next.channel) || m_peerOf.at(next.channel) != next.node)
    {
        i.onRefused(out);
        return;
    }
    Enqueue(next.channel, std::move(i), out);
}

void
ChannelNode::OnHtlcResolved(const Htlc& h, const std::optional<Hash256>& preimage,
                            ChannelOutput& out)
{
    auto up = m_upstream.find(h.paymentHash);
    if (up == m_upstream.end())
    {
        out.outcomes.push_back(PaymentOutcome{h.paymentHash, preimage.has_value()});
        return;
    }
    if (!preimage)
    {
        FailUpstream(h.paymentHash, out);
        return;
    }
    const ChannelId channel = up->second;
    m_upstream.erase(up);
    const Hash256 pre = *preimage;
    Intent i;
    i.make = [pre](ChannelEndpoint& e) { return e.ProposeFulfil(pre); };
    i.onRefused = [](ChannelOutput&) {};
    i.owed = true;
    Enqueue(channel, std::move(i), out);
}

// The peer's proposal completed here (we accepted it).
void
ChannelNode::OnPeerUpdate(const ChannelId& channel, const ChannelStep& step, ChannelOutput& out)
{
    if (!step.move || !step.htlc)
    {
        return;
    }
    switch (*step.move)
    {
        case ChannelMove::kAdd:
            OnHtlcOffered(channel, *step.htlc, step.onward, out);
            return;
        case ChannelMove::kFulfil:
            OnHtlcResolved(*step.htlc, step.preimage, out);
            return;
        case ChannelMove::kFail:
            OnHtlcResolved(*step.htlc, std::nullopt, out);
            return;
        case ChannelMove::kPay:
        case ChannelMove::kExpire:
            return;
    }
}

void
ChannelNode::OnOwnAnswered(const ChannelId& channel, const ChannelStep& step, bool rejected,
                           ChannelOutput& out)
{
    auto it = m_inFlight.find(channel);
    if (it == m_inFlight.end())
    {
        return;
    }
    Intent done = std::move(it->second);
    m_inFlight.erase(it);
    if (rejected && done.owed && done.retries < kOwedRetriesMax)
    {
        // Owed to the peer (a fulfil or a fail): proposed again a little later.
        ++done.retries;
        done.retryAt = m_now + kOwedRetryDelay;
        m_queues[channel].push_front(std::move(done));
    }
    else if (rejected)
    {
        done.onRefused(out);
    }
    else if (step.move == ChannelMove::kExpire && step.htlc)
    {
        m_expiring.erase(step.htlc->paymentHash);
        OnHtlcResolved(*step.htlc, std::nullopt, out);
    }
    else if (step.move == ChannelMove::kPay)
    {
        for (uint32_t k = 0; k < std::max<uint32_t>(1, done.payments); ++k)
        {
            out.outcomes.push_back(PaymentOutcome{Hash256{}, true});
        }
    }
}

void
ChannelNode::OnMessage(uint32_t from, const Bytes& bytes, TimeNs now, ChannelOutput& out)
{
    m_now = std::max(m_now, now);
    auto m = DecodeChannelMessage(bytes);
    const ChannelId channel = m.IsOk() ? ChannelOf(m.Value()) : ChannelId{};
    ChannelEndpoint* end = m.IsOk() ? Find(channel) : nullptr;
    if (!end || m_peerOf.at(channel) != from || IsRetired(channel))
    {
        ++out.refused;
        return;
    }
    const bool wasAccept = std::holds_alternative<ChannelAccept>(m.Value());
    const bool wasReject = std::holds_alternative<ChannelReject>(m.Value());
    ChannelStep step = end->Handle(m.Value(), now);
    if (step.reply)
    {
        Send(channel, *step.reply, out);
    }
    for (const ChannelMessage& again : step.resend)
    {
        Send(channel, again, out);
    }
    if (step.outOfStep && m_reestablishOn && m_now - m_outOfStepAt[channel] >= kSecond)
    {
        // The peer proposes past our next state: we missed one; re-establish now.
        m_outOfStepAt[channel] = m_now;
        Reestablish(channel, out);
    }
    if (step.droppedOwn)
    {
        // Both proposed at once and ours gave way: it goes first in the queue again.
        m_queues[channel].push_front(std::move(m_inFlight.at(channel)));
        m_inFlight.erase(channel);
    }
    out.updates += step.updated && !wasAccept ? 1 : 0; // once, at the end that accepted it
    if ((wasAccept && step.updated) || (wasReject && m_inFlight.count(channel) && !end->Busy()))
    {
        OnOwnAnswered(channel, step, wasReject, out);
    }
    else if (!step.status.IsOk() && !wasReject)
    {
        ++out.refused;
    }
    else if (step.updated)
    {
        OnPeerUpdate(channel, step, out);
    }
    Pump(channel, out);
}

bool
ChannelNode::HasWork() const
{
    if (!m_inFlight.empty())
    {
        return true;
    }
    const bool queued = std::any_of(m_queues.begin(), m_queues.end(),
                                    [](const auto& q) { return !q.second.empty(); });
    return queued ||
           std::any_of(m_channels.begin(), m_channels.end(),
                       [](const auto& c) { return !c.second.Latest().state.htlcs.empty(); });
}

void
ChannelNode::ExpireOwn(const ChannelId& channel, const ChannelEndpoint& end, ChannelOutput& out)
{
    for (const Htlc& h : end.Latest().state.htlcs)
    {
        if (h.offeredByA != end.IsA() || m_now <= h.expiry || m_expiring.count(h.paymentHash))
        {
            continue;
        }
        const Hash256 hash = h.paymentHash;
        m_expiring.insert(hash);
        Intent i;
        i.make = [this, hash](ChannelEndpoint& e) { return e.ProposeExpire(hash, m_now); };
        i.onRefused = [this, hash](ChannelOutput&) { m_expiring.erase(hash); }; // next Tick
        Enqueue(channel, std::move(i), out);
    }
}

void
ChannelNode::Reestablish(const ChannelId& channel, ChannelOutput& out)
{
    ChannelEndpoint* end = Find(channel);
    if (!end || IsRetired(channel))
    {
        return;
    }
    Send(channel, end->MakeReestablish(false), out);
    ++out.reestablishes;
}

void
ChannelNode::Tick(TimeNs now, TimeNs timeout, ChannelOutput& out)
{
    m_now = std::max(m_now, now);
    for (const auto& [channel, end] : m_channels)
    {
        if (!IsRetired(channel) && Idle(channel))
        {
            ExpireOwn(channel, end, out);
        }
    }
    for (auto& [channel, q] : m_queues)
    {
        if (!q.empty())
        {
            Pump(channel, out); // an owed update waiting to be proposed again
        }
    }
    for (auto it = m_stalled.begin(); it != m_stalled.end();)
    {
        const ChannelEndpoint* end = Find(it->first);
        const bool same = end && !IsRetired(it->first) && end->PendingSeq() == it->second.first;
        it = same ? std::next(it) : m_stalled.erase(it);
    }
    for (const auto& [channel, intent] : m_inFlight)
    {
        const ChannelEndpoint* end = Find(channel);
        if (!end || !end->PendingSeq() || IsRetired(channel))
        {
            continue;
        }
        auto [at, fresh] = m_stalled.emplace(channel, std::make_pair(*end->PendingSeq(), now));
        if (!fresh && now - at->second.second >= timeout)
        {
            at->second.second = now;
            Reestablish(channel, out);
        }
    }
}

} // namespace canon
