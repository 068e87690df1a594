#include "model/storage/storage-peer.h"

#include <algorithm>

namespace canon
{

StoragePeer::StoragePeer(DhtPeer self, StorageConfig config)
  : m_self(self)
  , m_config(config)
  , m_table(DhtIdOf(self), config.k)
{
    CANON_ASSERT(config.k <= kDhtContactsMax, "k larger than a Providers message carries");
}

uint64_t
StoragePeer::StartLookup(TimeNs now, const DhtKey& key, Purpose purpose, StorageOutput& out)
{
    const uint64_t id = m_nextId++;
    m_lookups.emplace(
        id, LookupState{Lookup(key, m_table.Closest(key, m_config.k), m_config.k, m_config.alpha),
                        purpose, now});
    m_lookupKeys[id] = key;
    Advance(now, id, out);
    return id;
}

void
StoragePeer::Advance(TimeNs now, uint64_t id, StorageOutput& out)
{
    LookupState& s = m_lookups.at(id);
    for (const Contact& c : s.lookup.NextQueries())
    {
        const uint64_t rpc = m_nextId++;
        m_rpcs[rpc] = Rpc{id, c, now + m_config.rpcTimeout};
        out.sends.push_back({c.peer, MessageType::kDhtFindProviders,
                             EncodeFindProviders({rpc, Id(), s.lookup.Target()})});
    }
    if (s.lookup.Done())
    {
        FinishLookup(now, id, {}, out);
    }
}

void
StoragePeer::FinishLookup(TimeNs now, uint64_t id, std::vector<Contact> providers,
                          StorageOutput& out)
{
    LookupState s = std::move(m_lookups.at(id));
    const ContentId key = m_lookupKeys.at(id);
    m_lookups.erase(id);
    m_lookupKeys.erase(id);
    for (auto it = m_rpcs.begin(); it != m_rpcs.end();)
    {
        it = it->second.lookup == id ? m_rpcs.erase(it) : std::next(it);
    }
    if (s.purpose == Purpose::kAnnounce)
    {
        for (const Contact& c : s.lookup.ClosestAnswered())
        {
            out.sends.push_back(
                {c.peer, MessageType::kDhtAddProvider, EncodeAddProvider({Id(), key})});
        }
        StorageOpRecord r{
            now,    m_self, s.op, key, true, s.depth, s.newBlocks, s.fileBytes, now - s.startedAt,
            m_self, ""};
        out.records.push_back(std::move(r));
    }
    else if (s.purpose == Purpose::kGet)
    {
        if (providers.empty())
        {
            FailGet(now, key, s.startedAt, s.depth, "no provider found", out);
            return;
        }
        StartFetch(now, key, s.startedAt, s.depth, std::move(providers), out);
    }
}

void
StoragePeer::Bootstrap(TimeNs now, StorageOutput& out)
{
    if (m_lookups.size() < m_config.lookupsMax)
    {
        StartLookup(now, Id(), Purpose::kBootstrap, out);
    }
}

ContentId
StoragePeer::Put(TimeNs now, const Bytes& file, StorageOutput& out)
{
    const std::size_t before = m_store.BlockCount();
    const ContentId root = ImportFile(file, m_config.chunking, m_store);
    RememberProvider(root, Contact{Id(), m_self});
    if (m_lookups.size() >= m_config.lookupsMax)
    {
        ++m_counters.refused;
        out.records.push_back({now, m_self, StorageOp::kPut, root, false, 0, 0, file.size(), 0,
                               m_self, "too many lookups"});
        return root;
    }
    const uint64_t id = StartLookup(now, root, Purpose::kAnnounce, out);
    if (auto it = m_lookups.find(id); it != m_lookups.end())
    {
        it->second.fileBytes = file.size();
        it->second.newBlocks = static_cast<uint32_t>(m_store.BlockCount() - before);
    }
    return root;
}

Status
StoragePeer::PublishName(TimeNs now, const ObjectVersion& version, StorageOutput& out)
{
    const Hash256 key = NameKeyOf(version.owner, version.name);
    auto checked = CheckNameRecord(key, version.Encode(), NameRecord(key));
    if (!checked.IsOk())
    {
        return checked.GetStatus();
    }
    if (!m_names.count(key) && m_names.size() >= m_config.providerKeysMax)
    {
        return Status::Invalid("too many names held");
    }
    m_names[key] = version;
    RememberProvider(key, Contact{Id(), m_self});
    if (m_lookups.size() >= m_config.lookupsMax)
    {
        ++m_counters.refused;
        out.records.push_back({now, m_self, StorageOp::kPublishName, key, false, 0, 0, 0, 0, m_self,
                               "too many lookups"});
        return Status::Ok();
    }
    const uint64_t id = StartLookup(now, key, Purpose::kAnnounce, out);
    if (auto it = m_lookups.find(id); it != m_lookups.end())
    {
        it->second.op = StorageOp::kPublishName;
        it->second.fileBytes = version.Encode().size();
    }
    return Status::Ok();
}

void
StoragePeer::ResolveName(TimeNs now, const Hash256& key, StorageOutput& out)
{
    if (m_fetches.count(key))
    {
        return; // already on its way
    }
    m_resolving.insert(key);
    std::vector<Contact> known;
    for (const Contact& c : ProvidersOf(key))
    {
        if (c.peer != m_self)
        {
            known.push_back(c);
        }
    }
    if (!known.empty())
    {
        StartFetch(now, key, now, 0, std::move(known), out);
        return;
    }
    if (m_lookups.size() >= m_config.lookupsMax)
    {
        ++m_counters.refused;
        FailGet(now, key, now, 0, "too many lookups", out);
        return;
    }
    StartLookup(now, key, Purpose::kGet, out);
}

const ObjectVersion*
StoragePeer::NameRecord(const Hash256& key) const
{
    auto it = m_names.find(key);
    return it == m_names.end() ? nullptr : &it->second;
}

void
StoragePeer::Get(TimeNs now, const ContentId& root, StorageOutput& out)
{
    if (m_store.Has(root))
    {
        auto file = Assemble(root, m_store, m_config.fileBytesMax);
        if (file.IsOk())
        {
            out.records.push_back(
                {now, m_self, StorageOp::kGet, root, true, 0, 0, 0, 0, m_self, ""});
            return;
        }
    }
    if (m_fetches.count(root))
    {
        return; // already on its way
    }
    std::vector<Contact> known = ProvidersOf(root);
    if (!known.empty())
    {
        StartFetch(now, root, now, 0, std::move(known), out);
        return;
    }
    if (m_lookups.size() >= m_config.lookupsMax)
    {
        ++m_counters.refused;
        FailGet(now, root, now, 0, "too many lookups", out);
        return;
    }
    StartLookup(now, root, Purpose::kGet, out);
}

std::vector<Contact>
StoragePeer::ProvidersOf(const ContentId& key) const
{
    std::vector<Contact> out;
    auto it = m_providers.find(key);
    if (it == m_providers.end())
    {
        return out;
    }
    for (const Contact& c : it->second)
    {
        if (c.peer != m_self && !m_bad.count(c.peer))
        {
            out.push_back(c);
        }
    }
    return out;
}

void
StoragePeer::RememberProvider(const ContentId& key, const Contact& c)
{
    auto it = m_providers.find(key);
    if (it == m_providers.end())
    {
        if (m_providers.size() >= m_config.providerKeysMax)
        {
            ++m_counters.refused;
            return;
        }
        it = m_providers.emplace(key, std::vector<Contact>{}).first;
    }
    auto& list = it->second;
    if (std::find(list.begin(), list.end(), c) == list.end() &&
        list.size() < m_config.providersPerKeyMax)
    {
        list.push_back(c);
    }
}

void
StoragePeer::StartFetch(TimeNs now, const ContentId& root, TimeNs startedAt, uint32_t hops,
                        std::vector<Contact> providers, StorageOutput& out)
{
    if (m_fetches.size() >= m_config.fetchesMax)
    {
        ++m_counters.refused;
        FailGet(now, root, startedAt, hops, "too many fetches", out);
        return;
    }
    Fetch f;
    f.startedAt = startedAt;
    f.hops = hops;
    f.providers = std::move(providers);
    f.queue.push_back(root);
    m_fetches.emplace(root, std::move(f));
    AskNextProvider(now, root, out);
}

void
StoragePeer::AskNextProvider(TimeNs now, const ContentId& root, StorageOutput& out)
{
    Fetch& f = m_fetches.at(root);
    for (auto it = f.wanted.rbegin(); it != f.wanted.rend(); ++it)
    {
        f.queue.push_front(*it); // asked of the last provider: ask the next one
    }
    f.wanted.clear();
    while (f.next < f.providers.size() && m_bad.count(f.providers[f.next].peer))
    {
        ++f.next;
    }
    if (f.next >= f.providers.size())
    {
        const Fetch done = std::move(f);
        m_fetches.erase(root);
        FailGet(now, root, done.startedAt, done.hops, "no provider delivered", out);
        return;
    }
    f.asked = f.providers[f.next++].peer;
    SendWants(now, root, out);
}

void
StoragePeer::SendWants(TimeNs now, const ContentId& root, StorageOutput& out)
{
    Fetch& f = m_fetches.at(root);
    ContentIdsMessage want;
    while (!f.queue.empty() && want.ids.size() < kWantIdsMax)
    {
        const ContentId id = f.queue.front();
        f.queue.pop_front();
        if (!m_store.Has(id) && f.wanted.insert(id).second)
        {
            want.ids.push_back(id);
        }
    }
    if (want.ids.empty())
    {
        CompleteFetch(now, root, out);
        return;
    }
    f.deadline = now + m_config.rpcTimeout;
    out.sends.push_back(
        {f.asked, MessageType::kWantContent, EncodeContentIds(MessageType::kWantContent, want)});
}

void
StoragePeer::CompleteFetch(TimeNs now, const ContentId& root, StorageOutput& out)
{
    const Fetch f = std::move(m_fetches.at(root));
    m_fetches.erase(root);
    if (m_resolving.erase(root))
    {
        const bool ok = f.blocks > 0;
        out.records.push_back({now, m_self, StorageOp::kResolveName, root, ok, f.hops, f.blocks,
                               f.bytes, now - f.startedAt, f.asked,
                               ok ? "" : "no newer record delivered"});
        return;
    }
    auto file = Assemble(root, m_store, m_config.fileBytesMax);
    if (!file.IsOk())
    {
        FailGet(now, root, f.startedAt, f.hops, file.GetStatus().Message(), out);
        return;
    }
    RememberProvider(root, Contact{Id(), m_self});
    out.records.push_back({now, m_self, StorageOp::kGet, root, true, f.hops, f.blocks, f.bytes,
                           now - f.startedAt, f.asked, ""});
}

void
StoragePeer::FailGet(TimeNs now, const ContentId& root, TimeNs startedAt, uint32_t hops,
                     std::string reason, StorageOutput& out)
{
    const StorageOp op = m_resolving.erase(root) ? StorageOp::kResolveName : StorageOp::kGet;
    out.records.push_back(
        {now, m_self, op, root, false, hops, 0, 0, now - startedAt, m_self, std::move(reason)});
}

void
StoragePeer::OnMessage(TimeNs now, DhtPeer from, const Bytes& bytes, StorageOutput& out)
{
    m_now = now;
    auto decoded = DecodeStorageMessage(bytes);
    if (!decoded.IsOk())
    {
        ++m_counters.malformed;
        return;
    }
    auto& m = decoded.Value();
    switch (m.type)
    {
        case MessageType::kDhtFindProviders:
            return OnFindProviders(from, std::get<FindProvidersMessage>(m.body), out);
        case MessageType::kDhtProviders:
            return OnProviders(now, from, std::get<ProvidersMessage>(m.body), out);
        case MessageType::kDhtAddProvider:
        {
            const auto& a = std::get<AddProviderMessage>(m.body);
            m_table.Add({a.sender, from});
            RememberProvider(a.key, Contact{a.sender, from});
            return;
        }
        case MessageType::kWantContent:
            return OnWant(from, std::get<ContentIdsMessage>(m.body), out);
        case MessageType::kContentBlocks:
            return OnBlocks(now, from, std::get<ContentBlocksMessage>(m.body), out);
        case MessageType::kDontHave:
            return OnDontHave(now, from, out);
        default:
            ++m_counters.malformed;
            return;
    }
}

void
StoragePeer::OnFindProviders(DhtPeer from, const FindProvidersMessage& m, StorageOutput& out)
{
    m_table.Add({m.sender, from});
    ProvidersMessage r;
    r.rpc = m.rpc;
    r.sender = Id();
    // Ourselves included once we hold the whole file (put, or fetched and assembled).
    if (auto it = m_providers.find(m.key); it != m_providers.end())
    {
        for (const Contact& c : it->second)
        {
            if (!m_bad.count(c.peer) && r.providers.size() < kDhtContactsMax)
            {
                r.providers.push_back(c);
            }
        }
    }
    for (const Contact& c : m_table.Closest(m.key, m_config.k + 1))
    {
        if (c.id != m.sender && r.closer.size() < m_config.k)
        {
            r.closer.push_back(c);
        }
    }
    out.sends.push_back({from, MessageType::kDhtProviders, EncodeProviders(r)});
}

void
StoragePeer::OnProviders(TimeNs now, DhtPeer from, const ProvidersMessage& m, StorageOutput& out)
{
    auto rpc = m_rpcs.find(m.rpc);
    if (rpc == m_rpcs.end() || rpc->second.contact.peer != from)
    {
        ++m_counters.unsolicited;
        return;
    }
    const uint64_t id = rpc->second.lookup;
    m_rpcs.erase(rpc);
    m_table.Add({m.sender, from});
    LookupState& s = m_lookups.at(id);
    std::vector<Contact> closer;
    for (const Contact& c : m.closer)
    {
        if (c.id != Id())
        {
            closer.push_back(c);
        }
    }
    const uint32_t depth = s.lookup.OnReply(m.sender, closer);
    s.depth = std::max(s.depth, depth);
    std::vector<Contact> providers;
    for (const Contact& c : m.providers)
    {
        if (c.peer != m_self && !m_bad.count(c.peer))
        {
            providers.push_back(c);
        }
    }
    if (s.purpose == Purpose::kGet && !providers.empty())
    {
        s.depth = depth;
        FinishLookup(now, id, std::move(providers), out);
        return;
    }
    Advance(now, id, out);
}

void
StoragePeer::OnWant(DhtPeer from, const ContentIdsMessage& m, StorageOutput& out)
{
    ContentBlocksMessage blocks;
    ContentIdsMessage missing;
    std::size_t bytes = 0;
    auto flush = [&]
    {
        if (!blocks.blocks.empty())
        {
            out.sends.push_back({from, MessageType::kContentBlocks, EncodeContentBlocks(blocks)});
        }
        blocks.blocks.clear();
        bytes = 0;
    };
    for (const ContentId& id : m.ids)
    {
        auto raw = m_raw.find(id);
        Bytes record;
        if (const ObjectVersion* v = raw == m_raw.end() ? NameRecord(id) : nullptr)
        {
            record = v->Encode();
        }
        const Bytes* b = raw != m_raw.end() ? &raw->second
                         : !record.empty()  ? &record
                                            : m_store.Get(id);
        if (!b)
        {
            missing.ids.push_back(id);
            continue;
        }
        if (bytes > 0 && bytes + b->size() > kContentBlocksSendBytes)
        {
            flush();
        }
        blocks.blocks.emplace_back(id, *b);
        bytes += b->size();
    }
    flush();
    if (!missing.ids.empty())
    {
        out.sends.push_back(
            {from, MessageType::kDontHave, EncodeContentIds(MessageType::kDontHave, missing)});
    }
}

bool
StoragePeer::TakeNameRecord(const Hash256& key, const Bytes& block)
{
    // A record that is forged, for another name, or a newer one not following ours marks the
    // provider; an honest provider may still hold an older record: taken, not kept.
    auto checked = CheckNameRecord(key, block, nullptr);
    if (!checked.IsOk())
    {
        return false;
    }
    const ObjectVersion* held = NameRecord(key);
    if (!held || checked.Value().version > held->version)
    {
        if (held && !CheckNameRecord(key, block, held).IsOk())
        {
            return false;
        }
        m_names[key] = std::move(checked).Value();
    }
    Fetch& f = m_fetches.at(key);
    f.wanted.erase(key);
    ++f.blocks;
    f.bytes += block.size();
    return true;
}

bool
StoragePeer::TakeBlock(const ContentId& root, const ContentId& id, const Bytes& block)
{
    if (root == id && m_resolving.count(root))
    {
        return TakeNameRecord(root, block);
    }
    if (ContentIdOf(block) != id)
    {
        return false;
    }
    Fetch& f = m_fetches.at(root);
    f.wanted.erase(id);
    f.deadline = m_now + m_config.rpcTimeout; // progress: the provider is still delivering
    m_store.Put(block);
    ++f.blocks;
    f.bytes += block.size();
    auto decoded = DagBlock::Decode(block);
    if (decoded.IsOk())
    {
        for (const ContentId& child : ChildrenOf(decoded.Value()))
        {
            f.queue.push_back(child);
        }
    }
    return true; // an undecodable block fails the fetch in Assemble, naming it
}

void
StoragePeer::OnBlocks(TimeNs now, DhtPeer from, const ContentBlocksMessage& m, StorageOutput& out)
{
    std::set<ContentId> touched;
    for (const auto& entry : m.blocks)
    {
        const ContentId& id = entry.first; // not a structured binding: the lambda captures it
        const Bytes& block = entry.second;
        auto fetch = std::find_if(
            m_fetches.begin(), m_fetches.end(),
            [&](const auto& kv) { return kv.second.asked == from && kv.second.wanted.count(id); });
        if (fetch == m_fetches.end())
        {
            ++m_counters.unwantedBlocks;
            continue;
        }
        const ContentId root = fetch->first;
        if (!TakeBlock(root, id, block))
        {
            ++m_counters.badBlocks;
            m_bad.insert(from); // a provider that lies about content is never asked again
            touched.erase(root);
            AskNextProvider(now, root, out);
            continue;
        }
        touched.insert(root);
    }
    for (const ContentId& root : touched)
    {
        auto it = m_fetches.find(root);
        if (it != m_fetches.end() && it->second.wanted.empty())
        {
            SendWants(now, root, out);
        }
    }
}

void
StoragePeer::OnDontHave(TimeNs now, DhtPeer from, StorageOutput& out)
{
    std::vector<ContentId> roots;
    for (const auto& [root, f] : m_fetches)
    {
        if (f.asked == from)
        {
            roots.push_back(root);
        }
    }
    for (const ContentId& root : roots)
    {
        AskNextProvider(now, root, out);
    }
}

void
StoragePeer::OnTimer(TimeNs now, StorageOutput& out)
{
    std::vector<uint64_t> expired;
    for (const auto& [rpc, r] : m_rpcs)
    {
        if (r.deadline <= now)
        {
            expired.push_back(rpc);
        }
    }
    for (uint64_t rpc : expired)
    {
        auto it = m_rpcs.find(rpc);
        if (it == m_rpcs.end())
        {
            continue; // its lookup finished meanwhile
        }
        const Rpc r = it->second;
        m_rpcs.erase(it);
        ++m_counters.rpcTimeouts;
        m_table.Remove(r.contact.id);
        m_lookups.at(r.lookup).lookup.OnFailure(r.contact.id);
        Advance(now, r.lookup, out);
    }
    std::vector<ContentId> late;
    for (const auto& [root, f] : m_fetches)
    {
        if (!f.wanted.empty() && f.deadline <= now)
        {
            late.push_back(root);
        }
    }
    for (const ContentId& root : late)
    {
        ++m_counters.rpcTimeouts;
        AskNextProvider(now, root, out);
    }
}

std::optional<TimeNs>
StoragePeer::NextDeadline() const
{
    std::optional<TimeNs> next;
    auto consider = [&next](TimeNs t) { next = next ? std::min(*next, t) : t; };
    for (const auto& [rpc, r] : m_rpcs)
    {
        consider(r.deadline);
    }
    for (const auto& [root, f] : m_fetches)
    {
        if (!f.wanted.empty())
        {
            consider(f.deadline);
        }
    }
    return next;
}

} // namespace canon
