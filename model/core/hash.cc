#include "model/core/hash.h"

#include "model/core/status.h"

#include <sodium.h>

namespace canon
{

static_assert(sizeof(crypto_generichash_state) <= 384, "hasher state buffer too small");

Hash256
Blake2b256(const uint8_t* data, std::size_t size)
{
    Hash256 out;
    crypto_generichash(out.data(), out.size(), data, size, nullptr, 0);
    return out;
}

Hash256
Blake2b256(const std::string& s)
{
    return Blake2b256(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

Blake2bHasher::Blake2bHasher()
{
    auto* st = reinterpret_cast<crypto_generichash_state*>(m_state);
    crypto_generichash_init(st, nullptr, 0, 32);
}

void
Blake2bHasher::Update(const uint8_t* data, std::size_t size)
{
    crypto_generichash_update(reinterpret_cast<crypto_generichash_state*>(m_state), data, size);
}

Hash256
Blake2bHasher::Final()
{
    Hash256 out;
    crypto_generichash_final(reinterpret_cast<crypto_generichash_state*>(m_state), out.data(),
                             out.size());
    return out;
}

} // namespace canon
