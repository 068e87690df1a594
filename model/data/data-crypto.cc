#include "model/data/data-crypto.h"

#include <sodium.h>

namespace canon
{

namespace
{
Hash256
Tagged(const char* tag, const uint8_t* a, std::size_t aSize, const uint8_t* b, std::size_t bSize)
{
    Blake2bHasher h;
    h.Update(reinterpret_cast<const uint8_t*>(tag), std::char_traits<char>::length(tag));
    h.Update(a, aSize);
    h.Update(b, bSize);
    return h.Final();
}
} // namespace

DataKey
DeriveDataKey(const Hash256& seed, uint32_t version)
{
    Bytes v;
    Writer(v).U32(version);
    return Tagged("CanonChain/data-key/v1", seed.data(), seed.size(), v.data(), v.size());
}

EncryptedData
EncryptData(const DataKey& key, const Bytes& plaintext)
{
    EnsureSodium();
    EncryptedData out;
    const Hash256 digest = Blake2b256(plaintext);
    const Hash256 n =
        Tagged("CanonChain/data-nonce/v1", key.data(), key.size(), digest.data(), digest.size());
    std::copy(n.begin(), n.begin() + crypto_secretbox_NONCEBYTES, out.nonce.begin());
    out.ciphertext.resize(plaintext.size() + crypto_secretbox_MACBYTES);
    crypto_secretbox_easy(out.ciphertext.data(), plaintext.data(), plaintext.size(),
                          out.nonce.data(), key.data());
    return out;
}

Result<Bytes>
DecryptData(const DataKey& key, const EncryptedData& data)
{
    EnsureSodium();
    if (data.ciphertext.size() < crypto_secretbox_MACBYTES)
    {
        return Status::Invalid("encrypted data shorter than its authentication tag");
    }
    Bytes plain(data.ciphertext.size() - crypto_secretbox_MACBYTES);
    if (crypto_secretbox_open_easy(plain.data(), data.ciphertext.data(), data.ciphertext.size(),
                                   data.nonce.data(), key.data()) != 0)
    {
        return Status::Invalid("encrypted data does not open with this key");
    }
    return plain;
}

SealedKey
SealKeyTo(const PublicKey& grantee, const DataKey& key, const Hash256& ephemeralSeed)
{
    EnsureSodium();
    static_assert(kSealedKeyBytes == crypto_box_SEALBYTES + 32, "sealed key size");
    FixedBytes<32> recipient{};
    CANON_ASSERT(crypto_sign_ed25519_pk_to_curve25519(recipient.data(), grantee.data()) == 0,
                 "grantee key has no X25519 form");
    FixedBytes<32> epk{};
    FixedBytes<32> esk{};
    crypto_box_seed_keypair(epk.data(), esk.data(), ephemeralSeed.data());
    DataNonce nonce{};
    crypto_generichash_state st;
    crypto_generichash_init(&st, nullptr, 0, nonce.size());
    crypto_generichash_update(&st, epk.data(), epk.size());
    crypto_generichash_update(&st, recipient.data(), recipient.size());
    crypto_generichash_final(&st, nonce.data(), nonce.size());
    SealedKey out{};
    std::copy(epk.begin(), epk.end(), out.begin());
    const int rc = crypto_box_easy(out.data() + epk.size(), key.data(), key.size(), nonce.data(),
                                   recipient.data(), esk.data());
    CANON_ASSERT(rc == 0, "crypto_box_easy failed on a valid key");
    sodium_memzero(esk.data(), esk.size());
    return out;
}

Result<DataKey>
OpenSealedKey(const KeyPair& self, const SealedKey& sealed)
{
    EnsureSodium();
    FixedBytes<32> pk{};
    if (crypto_sign_ed25519_pk_to_curve25519(pk.data(), self.Public().data()) != 0)
    {
        return Status::Invalid("key has no X25519 form");
    }
    FixedBytes<32> sk = self.BoxSecret();
    DataKey key{};
    const int rc =
        crypto_box_seal_open(key.data(), sealed.data(), sealed.size(), pk.data(), sk.data());
    sodium_memzero(sk.data(), sk.size());
    if (rc != 0)
    {
        return Status::Invalid("sealed data key was not sealed to this key or was changed");
    }
    return key;
}

} // namespace canon
