// The payloads of the data access transactions (paper 3.4, PROTOCOL.md 5): register a data
// stream, grant it to a grantee, revoke a grant. Each decodes strictly (exact length, no
// trailing bytes); the rules that need chain state are in access-state.h.
//
// A stream id is the BLAKE2b-256 of the data digest (paper 3.4: "the ID of the data stream
// (hash of the data digest)"). A grant names the grantee by public key, not only by address,
// because the data key is sealed to that key (libsodium sealed box over the key's X25519 form);
// the grantee's address is the hash of that key as everywhere else.
#ifndef CANONSIM_DATA_ACCESS_PAYLOADS_H
#define CANONSIM_DATA_ACCESS_PAYLOADS_H

#include "model/core/encoding.h"
#include "model/core/keys.h"

namespace canon
{

// A data key sealed to a grantee: crypto_box_SEALBYTES (48) plus the 32-byte key.
constexpr std::size_t kSealedKeyBytes = 48 + 32;
using SealedKey = FixedBytes<kSealedKeyBytes>;

// The id of the stream whose data has digest `digest`.
Hash256 StreamIdOf(const Hash256& digest);

struct RegisterStreamPayload
{
    Hash256 digest{}; // BLAKE2b-256 of the stream's data (plaintext)

    Hash256 StreamId() const { return StreamIdOf(digest); }
    Bytes Encode() const;
    static Result<RegisterStreamPayload> Decode(const Bytes& payload);
};

struct GrantPayload
{
    Hash256 stream{};
    PublicKey grantee{};
    uint32_t keyVersion = 0; // which of the owner's data keys is sealed (rotation, paper 3.4)
    SealedKey sealedKey{};

    Bytes Encode() const;
    static Result<GrantPayload> Decode(const Bytes& payload);
};

struct RevokePayload
{
    Hash256 stream{};
    Address grantee{};

    Bytes Encode() const;
    static Result<RevokePayload> Decode(const Bytes& payload);
};

} // namespace canon

#endif
