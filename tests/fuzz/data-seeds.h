// Seeds of the data target (fuzz-data.cc) for make-corpus: a signed request and a served and
// a refused response, under OUTDIR/data.
#ifndef CANONSIM_TESTS_FUZZ_DATA_SEEDS_H
#define CANONSIM_TESTS_FUZZ_DATA_SEEDS_H

#include "model/data/data-client.h"

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
}

} // namespace canon

#endif
