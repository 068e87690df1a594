#include "model/sim/peer-upkeep.h"

#include "model/core/rng.h"

#include <algorithm>

namespace canon
{

PeerUpkeep::PeerUpkeep(AbstractNetwork& net, PeerUpkeepConfig config)
  : m_net(net)
  , m_config(std::move(config))
{
    if (m_config.rotateSeconds > 0 && m_config.defence.outboundPeers > 0)
    {
        for (uint32_t v : m_config.victims)
        {
            const std::vector<uint32_t> own = OwnPeers(v, m_config.nodes, m_config.defence);
            m_ownPeers[v] = std::deque<uint32_t>(own.begin(), own.end());
        }
    }
}

void
PeerUpkeep::Start()
{
    if (!m_ownPeers.empty())
    {
        m_net.At(FromSeconds(m_config.rotateSeconds), [this] { Rotate(1); });
    }
}

void
PeerUpkeep::OnEvent(uint32_t node, const NodeEvent& ev)
{
    if (!m_config.replaceBanned || ev.kind != NodeEventKind::kMessageDropped ||
        ev.messageType != kConnectionEvent || m_net.AdversaryAt(node) != nullptr)
    {
        return;
    }
    const Node* full = m_net.FullNode(node);
    if (full && full->Guard().Banned(ev.peer, m_net.Now()))
    {
        m_net.At(m_net.Now(), [this, node] { Replace(node); }); // after the step that banned
    }
}

void
PeerUpkeep::Replace(uint32_t node)
{
    const Node* full = m_net.FullNode(node);
    if (!full)
    {
        return; // crashed meanwhile
    }
    const std::vector<PeerId>& peers = m_net.Neighbours(node);
    std::vector<uint32_t> candidates;
    for (uint32_t n = 0; n < m_config.nodes; ++n)
    {
        if (n != node && !m_net.IsLightNode(n) && !full->Guard().Banned(n, m_net.Now()) &&
            !std::binary_search(peers.begin(), peers.end(), n))
        {
            candidates.push_back(n);
        }
    }
    if (candidates.empty())
    {
        return;
    }
    Rng rng = Rng::Derive(m_config.seed, "peer-replacement",
                          node * uint64_t{1000003} + m_replacedBy[node]++);
    m_net.Peer(node, candidates[rng.Below(candidates.size())], m_config.linkTemplate);
    ++m_replacements;
}

void
PeerUpkeep::Rotate(uint64_t k)
{
    for (auto& [victim, own] : m_ownPeers)
    {
        if (own.empty())
        {
            continue;
        }
        const std::vector<uint32_t> current(own.begin(), own.end());
        const uint32_t pick = RotationPick(victim, m_config.nodes, m_config.defence, k, current);
        if (pick == victim)
        {
            continue;
        }
        m_net.Unpeer(victim, own.front());
        own.pop_front();
        m_net.Peer(victim, pick, m_config.linkTemplate);
        own.push_back(pick);
        ++m_rotations;
    }
    m_net.At(m_net.Now() + FromSeconds(m_config.rotateSeconds), [this, k] { Rotate(k + 1); });
}

} // namespace canon
