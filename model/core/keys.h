// ed25519 keys, signatures and addresses (PROTOCOL.md 1), through libsodium.
//
// An address is the BLAKE2b-256 hash of the public key. Signing always covers a domain tag plus
// the canonical encoding, so a transaction signature can never be replayed as a block signature.
//
// VerifySignature goes through one process-wide, bounded memo keyed by the hash of
// (public key, message, signature): validity depends only on those bytes, so every simulated
// node (adversaries included) may share it without changing any result (DESIGN.md 5). The memo
// is guarded by a mutex and is safe to use from several threads.
#ifndef CANONSIM_CORE_KEYS_H
#define CANONSIM_CORE_KEYS_H

#include "model/core/bytes.h"
#include "model/core/hash.h"
#include "model/core/process-memo.h"

#include <cstdint>
#include <string>

namespace canon
{

using PublicKey = FixedBytes<32>;
using Signature = FixedBytes<64>;
using Address = Hash256;

// Makes sure libsodium is initialised; every function here calls it, so callers need not.
void EnsureSodium();

class KeyPair
{
  public:
    // Deterministic: the same 32-byte seed always gives the same keys (runs are reproducible).
    static KeyPair FromSeed(const Hash256& seed);

    const PublicKey& Public() const { return m_public; }
    Address GetAddress() const;
    Signature Sign(const uint8_t* msg, std::size_t size) const;
    Signature Sign(const Bytes& msg) const { return Sign(msg.data(), msg.size()); }
    // The X25519 form of the secret key, to open what was sealed to the public key's X25519
    // form (sealed data keys, model/data/data-crypto.h).
    FixedBytes<32> BoxSecret() const;

  private:
    PublicKey m_public{};
    FixedBytes<64> m_secret{};
};

Address AddressOf(const PublicKey& pk);

// The key of participant `index` in role `role` ("producer", "account") of a run with `seed`:
// every driver (harness, ns-3 runner) derives the same keys from the same seed.
KeyPair DeriveKeyPair(uint64_t seed, const std::string& role, uint32_t index);

// Bare libsodium verification, no memo.
bool VerifySignatureUncached(const PublicKey& pk, const uint8_t* msg, std::size_t size,
                             const Signature& sig);
// Memoised verification (see the file comment).
bool VerifySignature(const PublicKey& pk, const uint8_t* msg, std::size_t size,
                     const Signature& sig);
inline bool
VerifySignature(const PublicKey& pk, const Bytes& msg, const Signature& sig)
{
    return VerifySignature(pk, msg.data(), msg.size(), sig);
}

using SignatureMemoStats = MemoStats;

// Bound on the memo: about 2^18 * 48 bytes plus table overhead, some 25 MB at most.
constexpr std::size_t kSignatureMemoMax = std::size_t{1} << 18;

// For benchmarks that measure the cost of real verification: off makes every call verify.
void SetSignatureMemoEnabled(bool enabled);
void ClearSignatureMemo();
SignatureMemoStats GetSignatureMemoStats();

} // namespace canon

#endif
