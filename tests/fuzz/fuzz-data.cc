// libFuzzer target for the data and storage decoders (issue 17): DecodeDataMessage,
// DecodeStorageMessage, DecodeOverlayRelay, ObjectVersion::Decode (a name record),
// DagBlock::Decode, and the audited store's KvBatch::Decode and KvAuditPayload::Decode must turn
// any bytes into a value or an error, a decode that succeeds must re-encode to the same bytes, a
// Node whose DataNodeService is a data device must turn the bytes, as a message from a peer, into a
// response, a relay or a traced drop, and a StoragePeer (one with a file, a fetch and a name
// resolve under way) must take them without crashing.
#include "model/data/data-node-service.h"
#include "model/node/node.h"
#include "model/storage/kv-audit.h"
#include "model/storage/storage-peer.h"

#include <cstdlib>
#include <memory>

namespace
{

using namespace canon;

void
Check(bool ok)
{
    if (!ok)
    {
        std::abort();
    }
}

std::shared_ptr<ChainParams>
Params()
{
    static std::shared_ptr<ChainParams> p = []
    {
        auto params = std::make_shared<ChainParams>();
        params->producers.push_back(DeriveKeyPair(1, "producer", 0).Public());
        params->czc.push_back({0, Blake2b256(std::string("czc"))});
        params->genesis = MakeGenesisAllocation({DeriveKeyPair(1, "account", 0).GetAddress()},
                                                Hash256{}, Hash256{});
        return params;
    }();
    return p;
}

void
CheckRoundTrip(const Bytes& bytes)
{
    auto m = DecodeDataMessage(bytes);
    if (!m.IsOk())
    {
        return;
    }
    if (const auto* q = std::get_if<DataRequest>(&m.Value().body))
    {
        Check(*EncodeDataRequest(*q) == bytes);
    }
    else
    {
        Check(*EncodeDataResponse(std::get<DataResponse>(m.Value().body)) == bytes);
    }
}

void
CheckRelayAndNameRoundTrip(const Bytes& bytes)
{
    if (auto relay = DecodeOverlayRelay(bytes); relay.IsOk())
    {
        Check(*EncodeOverlayRelay(relay.Value()) == bytes);
    }
    if (auto version = ObjectVersion::Decode(bytes); version.IsOk())
    {
        Check(version.Value().Encode() == bytes);
        (void) CheckNameRecord(Hash256{}, bytes, nullptr);
    }
}

void
CheckKvRoundTrip(const Bytes& bytes)
{
    if (auto batch = KvBatch::Decode(bytes); batch.IsOk())
    {
        Check(batch.Value().Encode() == bytes);
    }
    if (auto audit = KvAuditPayload::Decode(bytes); audit.IsOk())
    {
        Check(audit.Value().Encode() == bytes);
    }
}

void
CheckStorageRoundTrip(const Bytes& bytes)
{
    if (auto block = DagBlock::Decode(bytes); block.IsOk())
    {
        Check(block.Value().Encode() == bytes);
    }
    auto m = DecodeStorageMessage(bytes);
    if (!m.IsOk())
    {
        return;
    }
    const auto& body = m.Value().body;
    SharedBytes again;
    if (const auto* f = std::get_if<FindProvidersMessage>(&body))
    {
        again = EncodeFindProviders(*f);
    }
    else if (const auto* p = std::get_if<ProvidersMessage>(&body))
    {
        again = EncodeProviders(*p);
    }
    else if (const auto* a = std::get_if<AddProviderMessage>(&body))
    {
        again = EncodeAddProvider(*a);
    }
    else if (const auto* ids = std::get_if<ContentIdsMessage>(&body))
    {
        again = EncodeContentIds(m.Value().type, *ids);
    }
    else
    {
        again = EncodeContentBlocks(std::get<ContentBlocksMessage>(body));
    }
    Check(*again == bytes);
}

void
FeedStoragePeer(const Bytes& bytes)
{
    StoragePeer peer(0, StorageConfig{});
    peer.AddContact({DhtIdOf(1), 1});
    StorageOutput out;
    peer.Put(0, Bytes(10000, 7), out);
    peer.OnMessage(0, 1, *EncodeAddProvider({DhtIdOf(1), Hash256{}}), out);
    peer.Get(0, Hash256{}, out); // a fetch from peer 1 under way
    const Hash256 name = NameKeyOf(PublicKey{}, "n");
    peer.OnMessage(0, 1, *EncodeAddProvider({DhtIdOf(1), name}), out);
    peer.ResolveName(0, name, out); // and a name resolve
    peer.OnMessage(kSecond, 1, bytes, out);
    peer.OnTimer(10 * kSecond, out);
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size)
{
    const Bytes bytes(data, data + size);
    CheckRoundTrip(bytes);
    CheckStorageRoundTrip(bytes);
    CheckKvRoundTrip(bytes);
    CheckRelayAndNameRoundTrip(bytes);
    FeedStoragePeer(bytes);
    NodeConfig c;
    c.params = Params();
    c.peers = {1};
    auto shared = std::make_shared<DataServiceShared>();
    shared->routes.SetPeers(0, {1});
    shared->routes.SetPeers(1, {0, 2});
    auto service = std::make_shared<DataNodeService>(0, shared);
    service->MakeDevice(DataServerConfig{});
    service->Device()->Hold(StreamIdOf(Hash256{}), HeldStream{1, EncryptData(DataKey{}, Bytes{1})});
    service->MakeRequester(DeriveKeyPair(1, "data-requester", 0));
    service->MakeStorage(StorageConfig{});
    c.services.push_back(service);
    Node node(c);
    Actions out;
    node.Step(0, StartInput{}, out);
    node.Step(kSecond, MessageInput{1, std::make_shared<const Bytes>(bytes)}, out);
    for (const SendAction& s : out.sends)
    {
        if (s.type == MessageType::kDataResponse)
        {
            Check(DecodeDataMessage(*s.bytes).IsOk());
        }
        if (s.type == MessageType::kOverlayRelay)
        {
            Check(DecodeOverlayRelay(*s.bytes).IsOk());
        }
    }
    return 0;
}
