// Seeds of the data target (fuzz-data.cc) for make-corpus, under OUTDIR/data: a signed request,
// a served and a refused response, every storage message, a DAG node, a relayed request and a
// signed name record.
#ifndef CANONSIM_TESTS_FUZZ_DATA_SEEDS_H
#define CANONSIM_TESTS_FUZZ_DATA_SEEDS_H

#include "model/data/data-client.h"
#include "model/data/overlay-relay.h"
#include "model/storage/named-object.h"
#include "model/storage/storage-messages.h"

#include <filesystem>
#include <functional>

namespace canon
{

inline void
WriteDataSeeds(const std::filesystem::path& out,
               const std::function<void(const std::filesystem::path&, int, const Bytes&)>& write)
{
    const Hash256 stream = StreamIdOf(Hash256{});
    DataClient client(DeriveKeyPair(1, "account", 0));
    write(out / "data", 0, *EncodeDataRequest(client.MakeRequest(kSecond, stream)));
    DataResponse served;
    served.requestId = 1;
    served.stream = stream;
    served.decision = DataDecision::kServed;
    served.keyVersion = 1;
    served.data = EncryptData(DataKey{}, Bytes{1, 2, 3});
    write(out / "data", 1, *EncodeDataResponse(served));
    DataResponse refused;
    refused.requestId = 2;
    refused.stream = stream;
    refused.reason = DataRefusal::kRevoked;
    write(out / "data", 2, *EncodeDataResponse(refused));
    const Contact c{DhtIdOf(1), 1};
    write(out / "data", 3, *EncodeFindProviders({1, DhtIdOf(2), stream}));
    write(out / "data", 4, *EncodeProviders({1, DhtIdOf(1), {c}, {c, {DhtIdOf(3), 3}}}));
    write(out / "data", 5, *EncodeAddProvider({DhtIdOf(1), stream}));
    write(out / "data", 6, *EncodeContentIds(MessageType::kWantContent, {{stream, Hash256{}}}));
    write(out / "data", 7, *EncodeContentIds(MessageType::kDontHave, {{stream}}));
    const Bytes leaf = DagBlock{true, Bytes{1, 2, 3}, {}}.Encode();
    write(out / "data", 8, *EncodeContentBlocks({{{ContentIdOf(leaf), leaf}}}));
    DagBlock node;
    node.leaf = false;
    node.links = {{ContentIdOf(leaf), 3}, {ContentIdOf(leaf), 3}};
    write(out / "data", 9, node.Encode());
    const SharedBytes request = EncodeDataRequest(client.MakeRequest(kSecond, stream));
    write(out / "data", 10, *EncodeOverlayRelay({2, 0, 1, *request}));
    const KeyPair owner = DeriveKeyPair(1, "account", 0);
    const ObjectVersion v1 = MakeVersion(owner, "n", stream, kSecond, nullptr);
    write(out / "data", 11, v1.Encode());
    write(out / "data", 12, MakeVersion(owner, "n", Hash256{}, 2 * kSecond, &v1).Encode());
}

} // namespace canon

#endif
