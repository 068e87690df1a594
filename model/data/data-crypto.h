// The cryptography of data ownership (paper 3.4, PROTOCOL.md 5), through libsodium: a stream's
// data is encrypted under the owner's data key with secretbox (XSalsa20-Poly1305), and a grant
// carries that key sealed to the grantee (a sealed box to the X25519 form of the grantee's
// ed25519 key), so only the grantee can open it and the device that serves the data never
// holds the key.
//
// Determinism (DESIGN.md 4.4): libsodium's crypto_box_seal draws its ephemeral key from the
// system RNG, which would make a grant transaction, and so the trace, differ between runs with
// one seed. SealKeyTo builds the same sealed box from an ephemeral key derived from a caller's
// seed (ephemeral public key, then crypto_box of the message under the nonce BLAKE2b-192 of
// (ephemeral public key, recipient key)), which crypto_box_seal_open opens unchanged. The
// secretbox nonce is derived from the key and the plaintext's digest, so one key never
// encrypts two different plaintexts under one nonce.
#ifndef CANONSIM_DATA_DATA_CRYPTO_H
#define CANONSIM_DATA_DATA_CRYPTO_H

#include "model/core/keys.h"
#include "model/core/status.h"
#include "model/data/access-payloads.h"

namespace canon
{

using DataKey = FixedBytes<32>;
using DataNonce = FixedBytes<24>;
// secretbox's authentication tag.
constexpr std::size_t kDataMacBytes = 16;

struct EncryptedData
{
    DataNonce nonce{};
    Bytes ciphertext; // tag plus plaintext length
};

// Version `version` of the data key an owner derives from its secret `seed`.
DataKey DeriveDataKey(const Hash256& seed, uint32_t version);

EncryptedData EncryptData(const DataKey& key, const Bytes& plaintext);
// Fails when the ciphertext was not made with `key` or was changed.
Result<Bytes> DecryptData(const DataKey& key, const EncryptedData& data);

// `key` sealed to `grantee`, with the ephemeral key drawn from `ephemeralSeed`.
SealedKey SealKeyTo(const PublicKey& grantee, const DataKey& key, const Hash256& ephemeralSeed);
// Fails unless `sealed` was sealed to `self`'s public key.
Result<DataKey> OpenSealedKey(const KeyPair& self, const SealedKey& sealed);

} // namespace canon

#endif
