#include "model/storage/kademlia.h"

#include "model/core/encoding.h"
#include "model/core/status.h"

#include <algorithm>

namespace canon
{

DhtKey
DhtIdOf(DhtPeer peer)
{
    Bytes b{'d', 'h', 't', '/'};
    Writer(b).U32(peer);
    return Blake2b256(b);
}

bool
CloserTo(const DhtKey& target, const DhtKey& a, const DhtKey& b)
{
    for (std::size_t i = 0; i < target.size(); ++i)
    {
        const uint8_t da = a[i] ^ target[i], db = b[i] ^ target[i];
        if (da != db)
        {
            return da < db;
        }
    }
    return false;
}

unsigned
BucketIndex(const DhtKey& self, const DhtKey& other)
{
    for (std::size_t i = 0; i < self.size(); ++i)
    {
        const uint8_t x = self[i] ^ other[i];
        if (x != 0)
        {
            unsigned top = 7;
            while (!(x & (1u << top)))
            {
                --top;
            }
            return static_cast<unsigned>((self.size() - 1 - i) * 8) + top;
        }
    }
    CANON_ASSERT(false, "a node is not in its own routing table");
    return 0;
}

RoutingTable::RoutingTable(DhtKey self, std::size_t k)
  : m_self(self)
  , m_k(k)
{
    CANON_ASSERT(k > 0, "k-bucket size must be positive");
}

bool
RoutingTable::Add(const Contact& c)
{
    if (c.id == m_self)
    {
        return false;
    }
    auto& bucket = m_buckets[BucketIndex(m_self, c.id)];
    auto it =
        std::find_if(bucket.begin(), bucket.end(), [&c](const Contact& x) { return x.id == c.id; });
    if (it != bucket.end())
    {
        bucket.erase(it);
        bucket.push_back(c); // seen again: to the tail, with its latest address
        return true;
    }
    if (bucket.size() >= m_k)
    {
        return false;
    }
    bucket.push_back(c);
    return true;
}

void
RoutingTable::Remove(const DhtKey& id)
{
    if (id == m_self)
    {
        return;
    }
    auto& bucket = m_buckets[BucketIndex(m_self, id)];
    bucket.erase(std::remove_if(bucket.begin(), bucket.end(),
                                [&id](const Contact& x) { return x.id == id; }),
                 bucket.end());
}

std::vector<Contact>
RoutingTable::Closest(const DhtKey& target, std::size_t n) const
{
    std::vector<Contact> all;
    for (const auto& bucket : m_buckets)
    {
        all.insert(all.end(), bucket.begin(), bucket.end());
    }
    const auto closer = [&target](const Contact& a, const Contact& b)
    { return CloserTo(target, a.id, b.id); };
    if (all.size() > n)
    {
        std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n), all.end(),
                          closer);
        all.resize(n);
    }
    else
    {
        std::sort(all.begin(), all.end(), closer);
    }
    return all;
}

std::size_t
RoutingTable::Size() const
{
    std::size_t n = 0;
    for (const auto& bucket : m_buckets)
    {
        n += bucket.size();
    }
    return n;
}

Lookup::Lookup(DhtKey target, const std::vector<Contact>& seeds, std::size_t k, std::size_t alpha)
  : m_target(target)
  , m_k(k)
  , m_alpha(alpha)
  , m_shortlist(ByDistance{target})
{
    CANON_ASSERT(k > 0 && alpha > 0, "lookup needs k and alpha positive");
    for (const Contact& c : seeds)
    {
        Consider(c, 1);
    }
}

void
Lookup::Consider(const Contact& c, uint32_t depth)
{
    if (m_shortlist.count(c.id))
    {
        return;
    }
    m_shortlist.emplace(c.id, Entry{c, depth, State::kNew});
    while (m_shortlist.size() > 4 * m_k)
    {
        auto last = std::prev(m_shortlist.end());
        if (last->second.state == State::kAsked)
        {
            break; // keep what is in flight; the bound is then exceeded by at most alpha
        }
        m_shortlist.erase(last);
    }
}

std::vector<Contact>
Lookup::NextQueries()
{
    std::vector<Contact> ask;
    std::size_t rank = 0;
    for (auto& [id, e] : m_shortlist)
    {
        if (m_inFlight >= m_alpha || rank >= m_k)
        {
            break;
        }
        if (e.state != State::kFailed)
        {
            ++rank;
        }
        if (e.state == State::kNew)
        {
            e.state = State::kAsked;
            ++m_inFlight;
            ask.push_back(e.contact);
        }
    }
    return ask;
}

uint32_t
Lookup::OnReply(const DhtKey& from, const std::vector<Contact>& closer)
{
    auto it = m_shortlist.find(from);
    if (it == m_shortlist.end() || it->second.state != State::kAsked)
    {
        return 0;
    }
    it->second.state = State::kAnswered;
    --m_inFlight;
    const uint32_t depth = it->second.depth;
    for (const Contact& c : closer)
    {
        Consider(c, depth + 1);
    }
    return depth;
}

void
Lookup::OnFailure(const DhtKey& from)
{
    auto it = m_shortlist.find(from);
    if (it != m_shortlist.end() && it->second.state == State::kAsked)
    {
        it->second.state = State::kFailed;
        --m_inFlight;
    }
}

bool
Lookup::Done() const
{
    if (m_inFlight > 0)
    {
        return false;
    }
    std::size_t rank = 0;
    for (const auto& [id, e] : m_shortlist)
    {
        if (rank >= m_k)
        {
            break;
        }
        if (e.state == State::kNew)
        {
            return false;
        }
        rank += e.state == State::kFailed ? 0u : 1u;
    }
    return true;
}

std::vector<Contact>
Lookup::ClosestAnswered() const
{
    std::vector<Contact> out;
    for (const auto& [id, e] : m_shortlist)
    {
        if (out.size() >= m_k)
        {
            break;
        }
        if (e.state == State::kAnswered)
        {
            out.push_back(e.contact);
        }
    }
    return out;
}

} // namespace canon
