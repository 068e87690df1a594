// CanonNodeHelper: installs a CanonNodeApplication on each node of a NodeContainer, in the
// manner of ns-3's application helpers: attributes set once on the helper apply to every
// application it creates.
#ifndef CANONSIM_NS3_CANON_NODE_HELPER_H
#define CANONSIM_NS3_CANON_NODE_HELPER_H

#include "model/ns3/canon-node-application.h"

#include "ns3/application-container.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

#include <optional>
#include <vector>

namespace canon
{

// One neighbour of a node: its index and its address on the link the two share.
struct PeerLink
{
    PeerId peer = 0;
    ns3::Ipv4Address address;
    bool light = false; // the peer is a light participant (light-node.h)
};

class CanonNodeHelper
{
  public:
    explicit CanonNodeHelper(std::shared_ptr<const ChainParams> params);

    void SetAttribute(const std::string& name, const ns3::AttributeValue& value);

    // nodes[i] gets NodeIndex i, peers[i] as its peers and keys[i] as its producer key (if any).
    // All three have one entry per node.
    ns3::ApplicationContainer Install(const ns3::NodeContainer& nodes,
                                      const std::vector<std::vector<PeerLink>>& peers,
                                      const std::vector<std::optional<KeyPair>>& keys) const;

  private:
    std::shared_ptr<const ChainParams> m_params;
    ns3::ObjectFactory m_factory;
};

} // namespace canon

#endif
