#include "model/core/keys.h"

#include "model/core/process-memo.h"
#include "model/core/status.h"

#include <sodium.h>

#include <optional>

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

FixedBytes<32>
KeyPair::BoxSecret() const
{
    EnsureSodium();
    FixedBytes<32> out{};
    crypto_sign_ed25519_sk_to_curve25519(out.data(), m_secret.data());
    return out;
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

// Verification results, keyed by the hash of (public key, signature, message): every simulated
// node shares them (process-memo.h).
ProcessMemo<bool>&
Memo()
{
    static ProcessMemo<bool> memo(kSignatureMemoMax);
    return memo;
}

} // namespace

bool
VerifySignature(const PublicKey& pk, const uint8_t* msg, std::size_t size, const Signature& sig)
{
    Blake2bHasher h;
    h.Update(pk);
    h.Update(sig);
    h.Update(msg, size);
    const Hash256 key = h.Final();
    if (const std::optional<bool> known = Memo().Find(key))
    {
        return *known;
    }
    const bool ok = VerifySignatureUncached(pk, msg, size, sig);
    Memo().Remember(key, ok);
    return ok;
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
