// A signed transaction (PROTOCOL.md 1): type, sender key, nonce, fee bid, the hash of the CZC
// rules document it was signed under (paper 1.2.3), a type-specific payload, and an ed25519
// signature over a domain tag and everything before the signature.
//
// The id of a transaction is the BLAKE2b-256 of its full canonical encoding. Decoding rejects
// truncated input, unknown versions and types, oversize payloads and trailing bytes; it does not
// check the signature (that is validation, see VerifySignature()).
#ifndef CANONSIM_CHAIN_TRANSACTION_H
#define CANONSIM_CHAIN_TRANSACTION_H

#include "model/core/encoding.h"
#include "model/core/hash.h"
#include "model/core/keys.h"

namespace canon
{

constexpr uint8_t kTransactionVersion = 1;
// Payloads are small in every transaction type we have; the bound keeps a hostile peer from
// making a node allocate on its say-so.
constexpr std::size_t kTxPayloadMax = 1024;

// version, type, sender, nonce, fee, czc hash, payload length, signature.
constexpr std::size_t kTransactionEncodedMin = 1 + 1 + 32 + 8 + 8 + 32 + 4 + 64;

enum class TxType : uint8_t
{
    kTransfer = 1,
};

// The payload of a transfer: recipient address and amount in the smallest unit.
struct TransferPayload
{
    Address to{};
    uint64_t amount = 0;

    Bytes Encode() const;
    static Result<TransferPayload> Decode(const Bytes& payload);
};

struct Transaction
{
    TxType type = TxType::kTransfer;
    PublicKey sender{};
    uint64_t nonce = 0;
    uint64_t fee = 0;
    Hash256 czcHash{};
    Bytes payload;
    Signature signature{};

    // Domain tag plus every field but the signature.
    Bytes SigningBytes() const;
    void Encode(Writer& w) const;
    Bytes Encode() const;
    static Result<Transaction> Decode(const uint8_t* data, std::size_t size);
    static Result<Transaction> Decode(const Bytes& b) { return Decode(b.data(), b.size()); }
    // Reads one transaction from the middle of a larger value (a block).
    static Transaction ReadFrom(Reader& r);

    Hash256 Id() const;
    Address SenderAddress() const { return AddressOf(sender); }
    void SignWith(const KeyPair& key);
    bool HasValidSignature() const;
};

Transaction MakeTransfer(const KeyPair& from, uint64_t nonce, uint64_t fee, const Hash256& czcHash,
                         const Address& to, uint64_t amount);

} // namespace canon

#endif
