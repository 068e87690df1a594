// libFuzzer target for the data and storage decoders (issue 17): DecodeDataMessage must turn
// any bytes into a value or an error, a decode that succeeds must re-encode to the same bytes,
// and a Node that is a data device must turn the bytes, as a message from a peer, into a
// response or a traced drop, never a crash.
#include "model/data/data-service.h"
#include "model/node/node.h"

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

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size)
{
    const Bytes bytes(data, data + size);
    CheckRoundTrip(bytes);
    NodeConfig c;
    c.params = Params();
    c.peers = {1};
    c.dataServer = std::make_shared<DataServer>();
    c.dataServer->Hold(StreamIdOf(Hash256{}), HeldStream{1, EncryptData(DataKey{}, Bytes{1})});
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
    }
    return 0;
}
