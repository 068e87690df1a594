// A Kademlia-style distributed hash table's routing (Maymounkov and Mazieres 2002), as IPFS uses
// one to find who provides a content id (paper 3.5.1). Node ids and content ids share one
// 256-bit key space; distance is XOR.
//
// RoutingTable: 256 k-buckets, bucket i holding contacts whose XOR distance to us has its
// highest set bit at i. A full bucket keeps its contacts (Kademlia prefers long-lived ones) and
// refuses the newcomer; a known contact seen again moves to the bucket's tail; a contact that
// failed is removed. Bounded by 256 * k contacts.
//
// Lookup: the iterative lookup with parallelism alpha, as a state machine that sends nothing
// itself: NextQueries names the contacts to ask now (at most alpha in flight), OnReply and
// OnFailure feed it answers. It keeps the k closest contacts heard of (a shortlist bounded by
// k * 4), and is done when every one of the k closest has answered or failed and nothing is in
// flight, or when the caller stops it (a provider was found). Hops: the contacts we start from
// are at depth 1; a contact first heard of from a depth-d contact is at depth d + 1; Depth()
// of a reply is the number of sequential round trips it took to get there.
#ifndef CANONSIM_STORAGE_KADEMLIA_H
#define CANONSIM_STORAGE_KADEMLIA_H

#include "model/core/hash.h"

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <vector>

namespace canon
{

using DhtKey = Hash256;
using DhtPeer = uint32_t; // the transport address (a node index), as PeerId

struct Contact
{
    DhtKey id{};
    DhtPeer peer = 0;

    bool operator==(const Contact& o) const { return id == o.id && peer == o.peer; }
};

// The id of the node at transport address `peer` in a run (the same in every run).
DhtKey DhtIdOf(DhtPeer peer);
// True when `a` is strictly closer to `target` than `b` by XOR distance.
bool CloserTo(const DhtKey& target, const DhtKey& a, const DhtKey& b);
// The bucket of `other` in `self`'s table (0..255); `other` != `self`.
unsigned BucketIndex(const DhtKey& self, const DhtKey& other);

class RoutingTable
{
  public:
    RoutingTable(DhtKey self, std::size_t k);

    const DhtKey& Self() const { return m_self; }
    // False when the contact is us or its bucket is full (and it is not in it).
    bool Add(const Contact& c);
    void Remove(const DhtKey& id);
    // At most `n` known contacts, closest to `target` first.
    std::vector<Contact> Closest(const DhtKey& target, std::size_t n) const;
    std::size_t Size() const;

  private:
    DhtKey m_self;
    std::size_t m_k;
    std::array<std::deque<Contact>, 256> m_buckets;
};

class Lookup
{
  public:
    Lookup(DhtKey target, const std::vector<Contact>& seeds, std::size_t k, std::size_t alpha);

    const DhtKey& Target() const { return m_target; }
    // Contacts to ask now; each is then in flight until OnReply or OnFailure.
    std::vector<Contact> NextQueries();
    // `from` answered with `closer`. Returns the depth of `from` (0 if it was not asked).
    uint32_t OnReply(const DhtKey& from, const std::vector<Contact>& closer);
    void OnFailure(const DhtKey& from);
    bool Done() const;
    std::size_t InFlight() const { return m_inFlight; }
    // The k closest contacts that answered, closest first.
    std::vector<Contact> ClosestAnswered() const;

  private:
    enum class State : uint8_t
    {
        kNew,
        kAsked,
        kAnswered,
        kFailed,
    };
    struct Entry
    {
        Contact contact;
        uint32_t depth = 1;
        State state = State::kNew;
    };
    struct ByDistance
    {
        DhtKey target;
        bool operator()(const DhtKey& a, const DhtKey& b) const { return CloserTo(target, a, b); }
    };
    void Consider(const Contact& c, uint32_t depth);

    DhtKey m_target;
    std::size_t m_k;
    std::size_t m_alpha;
    std::size_t m_inFlight = 0;
    std::map<DhtKey, Entry, ByDistance> m_shortlist; // closest first, at most 4k
};

} // namespace canon

#endif
