// BLAKE2b-256 (PROTOCOL.md 1): the one hash of the protocol, through libsodium.
#ifndef CANONSIM_CORE_HASH_H
#define CANONSIM_CORE_HASH_H

#include "model/core/bytes.h"

#include <cstring>
#include <string>

namespace canon
{

using Hash256 = FixedBytes<32>;

Hash256 Blake2b256(const uint8_t* data, std::size_t size);
inline Hash256
Blake2b256(const Bytes& b)
{
    return Blake2b256(b.data(), b.size());
}
Hash256 Blake2b256(const std::string& s);

// Incremental hashing for values assembled from several parts.
class Blake2bHasher
{
  public:
    Blake2bHasher();
    void Update(const uint8_t* data, std::size_t size);
    void Update(const Bytes& b) { Update(b.data(), b.size()); }
    template <std::size_t N>
    void Update(const FixedBytes<N>& b)
    {
        Update(b.data(), N);
    }
    Hash256 Final();

  private:
    alignas(64) unsigned char m_state[384];
};

// The first 8 bytes of a hash as an integer: a seed or a hash-table key, never a security
// decision.
inline uint64_t
HashPrefix64(const Hash256& h)
{
    uint64_t v;
    std::memcpy(&v, h.data(), sizeof v);
    return v;
}

struct Hash256Hasher
{
    std::size_t operator()(const Hash256& h) const
    {
        return static_cast<std::size_t>(HashPrefix64(h));
    }
};

} // namespace canon

#endif
