#include "model/core/keys.h"

#include "model/core/bounded-fifo-map.h"
#include "model/core/status.h"

#include <sodium.h>

#include <mutex>

namespace canon
{

void
EnsureSodium()
{
    static const int kInit = sodium_init();
    CANON_ASSERT(kInit >= 0, "libsodium failed to initialise");
}

KeyPair
KeyPair::FromSeed(const Hash256& seed)
{
    EnsureSodium();
    KeyPair kp;
    crypto_sign_seed_keypair(kp.m_public.data(), kp.m_secret.data(), seed.data());
    return kp;
}

KeyPair
DeriveKeyPair(uint64_t seed, const std::string& role, uint32_t index)
{
    return KeyPair::FromSeed(
        Blake2b256("canonsim/" + role + "/" + std::to_string(seed) + "/" + std::to_string(index)));
}

Address
AddressOf(const PublicKey& pk)
{
    return Blake2b256(pk.data(), pk.size());
}

Address
KeyPair::GetAddress() const
{
    return AddressOf(m_public);
}

Signature
KeyPair::Sign(const uint8_t* msg, std::size_t size) const
{
    Signature sig;
    crypto_sign_detached(sig.data(), nullptr, msg, size, m_secret.data());
    return sig;
}

bool
VerifySignatureUncached(const PublicKey& pk, const uint8_t* msg, std::size_t size,
                        const Signature& sig)
{
    EnsureSodium();
    return crypto_sign_verify_detached(sig.data(), msg, size, pk.data()) == 0;
}

namespace
{

// FIFO-evicting memo of verification results, behind one lock (every simulated node shares it).
class SignatureMemo
{
  public:
    bool Verify(const PublicKey& pk, const uint8_t* msg, std::size_t size, const Signature& sig)
    {
        Blake2bHasher h;
        h.Update(pk);
        h.Update(sig);
        h.Update(msg, size);
        Hash256 key = h.Final();
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            if (!m_enabled)
            {
                ++m_stats.misses;
            }
            else if (const bool* known = m_table.Find(key))
            {
                ++m_stats.hits;
                return *known;
            }
            else
            {
                ++m_stats.misses;
            }
        }
        bool ok = VerifySignatureUncached(pk, msg, size, sig);
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_enabled)
        {
            m_table.Insert(key, ok);
        }
        return ok;
    }

    void SetEnabled(bool enabled)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_enabled = enabled;
    }

    void Clear()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_table.Clear();
        m_stats = {};
    }

    SignatureMemoStats Stats()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        SignatureMemoStats s = m_stats;
        s.size = m_table.Size();
        return s;
    }

  private:
    std::mutex m_mutex;
    bool m_enabled = true;
    BoundedFifoMap<Hash256, bool, Hash256Hasher> m_table{kSignatureMemoMax};
    SignatureMemoStats m_stats;
};

SignatureMemo&
Memo()
{
    static SignatureMemo memo;
    return memo;
}

} // namespace

bool
VerifySignature(const PublicKey& pk, const uint8_t* msg, std::size_t size, const Signature& sig)
{
    return Memo().Verify(pk, msg, size, sig);
}

void
SetSignatureMemoEnabled(bool enabled)
{
    Memo().SetEnabled(enabled);
}

void
ClearSignatureMemo()
{
    Memo().Clear();
}

SignatureMemoStats
GetSignatureMemoStats()
{
    return Memo().Stats();
}

} // namespace canon
