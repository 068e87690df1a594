// A signed transaction (PROTOCOL.md 1): type, sender key, nonce, fee bid, the hash of the CZC
// rules document it was signed under (paper 1.2.3), a type-specific payload, and an ed25519
// signature over a domain tag and everything before the signature.
//
// Two versions (issue 15): 1 without a tip, 2 with an EIP-1559 tip after the fee (the fee is
// then the fee cap). A transaction is encoded in the lowest version that holds it, so every
// transaction without a tip encodes, signs and hashes as before; version 2 with a zero tip is
// not canonical and does not decode.
//
// The id of a transaction is the BLAKE2b-256 of its full canonical encoding. Decoding rejects
// truncated input, unknown versions and types, oversize payloads and trailing bytes; it does not
// check the signature (that is validation, see VerifySignature()).
#ifndef CANONSIM_CHAIN_TRANSACTION_H
#define CANONSIM_CHAIN_TRANSACTION_H

#include "model/core/encoding.h"
#include "model/core/hash.h"
#include "model/core/keys.h"

#include <vector>

namespace canon
{

constexpr uint8_t kTransactionVersion = 1;
constexpr uint8_t kTransactionVersionWithTip = 2;
// Payload bounds keep a hostile peer from making a node allocate on its say-so. Every type but
// the CZR report is small; a report carries one entry per measured account.
constexpr std::size_t kTxPayloadMax = 1024;
constexpr std::size_t kCzrReportPayloadMax = 4 * 1024 * 1024;
// A contract deploy carries its code (ContractParams::codeBytesMax and arguments fit under it).
constexpr std::size_t kContractPayloadMax = 64 * 1024;
// Contribution scores on chain are fixed-point: 1.0 is kScoreUnits.
constexpr double kScoreUnits = 1e6;
// A vote approves at most this many candidates (PROTOCOL.md 2.2).
constexpr uint32_t kVoteCandidatesMax = 64;

// version, type, sender, nonce, fee, czc hash, payload length, signature.
constexpr std::size_t kTransactionEncodedMin = 1 + 1 + 32 + 8 + 8 + 32 + 4 + 64;

enum class TxType : uint8_t
{
    kTransfer = 1,
    kContributionClaim = 2, // a node's own claim of its contribution (paper 3.1.1)
    kCzrReport = 3,         // the CZR measurement engine's observed scores, signed by its key
    kVote = 4,              // an account approves candidates (paper 3.1.3.1)
    kEvidence = 5,          // equivocation evidence that slashes a producer (PROTOCOL.md 2.4)
    // Smart contracts (PROTOCOL.md 4; payloads in model/contracts/contract-tx.h).
    kContractDeploy = 20,
    kContractCall = 21,
    kDeviceRegister = 22,
    kDeviceEvent = 23,
    kCallbackRegister = 24,
    // Payment channels (model/channels/channel-payloads.h, paper 3.5.3): 40-49.
    kChannelOpen = 40,
    kChannelCoopClose = 41,
    kChannelClose = 42, // unilateral: starts the challenge period
    kChannelChallenge = 43,
    kChannelHtlcClaim = 44,
    kChannelSettle = 45,
    // Governance by CZC (model/governance/governance.h, paper 1.2.4, 1.2.6): 50-59.
    kGovProposal = 50,
    kGovVote = 51,
    kGovTestReport = 52,    // an upgrade's test-chain outcome (1.2.6.2 step 3)
    kGovUpgradeSignal = 53, // a node runs an upgrade's new version (step 5)
    kGovFreeze = 54,        // a producer approves freezing an account (1.2.4)
    // Data ownership and access control (paper 3.4; payloads and rules in model/data/).
    kDataRegister = 30, // register a data stream: its id is the hash of the data digest
    kDataGrant = 31,    // grant a stream to a grantee, with the data key sealed to them
    kDataRevoke = 32,   // revoke a grant
    kKvAudit = 33,      // the chained hash of a key-value store's write batch (paper 3.5.2)
};

// The payload size bound of a transaction type; 0 for unknown types.
std::size_t PayloadMaxFor(uint8_t type);

// The payload of a transfer: recipient address and amount in the smallest unit.
struct TransferPayload
{
    Address to{};
    uint64_t amount = 0;

    Bytes Encode() const;
    static Result<TransferPayload> Decode(const Bytes& payload);
};

// A contribution claim: what the node says it contributed this epoch, in its region and
// application type.
struct ClaimPayload
{
    uint64_t epoch = 0;
    uint64_t score = 0; // fixed-point, kScoreUnits
    uint32_t region = 0;
    uint8_t application = 0; // czr ApplicationType

    Bytes Encode() const;
    static Result<ClaimPayload> Decode(const Bytes& payload);
};

// One account's observed contribution in a CZR report (fixed-point, kScoreUnits).
struct CzrReportEntry
{
    Address account{};
    uint64_t resource = 0;    // resource part: discounted P summed over applications
    uint64_t betweenness = 0; // normalised betweenness in the measured graph
    uint64_t total = 0;       // resource * (1 + beta * betweenness)
    uint32_t region = 0;
    uint8_t application = 0;
};

// A report names the accounts the chain reads (model/czr/report-cut.h) and sums the rest. The
// encoding carries the unnamed count and total only when the count is not 0 (a trailer after the
// entries), so a report that names everyone encodes as before the cut existed.
struct CzrReportPayload
{
    uint64_t epoch = 0;
    std::vector<CzrReportEntry> entries; // sorted by account, no duplicates
    uint32_t unnamedCount = 0;           // accounts measured but not named
    uint64_t unnamedTotal = 0;           // the sum of their totals; 0 when unnamedCount is 0

    Bytes Encode() const;
    static Result<CzrReportPayload> Decode(const Bytes& payload);
};

struct VotePayload
{
    std::vector<Address> candidates; // at most kVoteCandidatesMax, no duplicates

    Bytes Encode() const;
    static Result<VotePayload> Decode(const Bytes& payload);
};

struct Transaction
{
    TxType type = TxType::kTransfer;
    PublicKey sender{};
    uint64_t nonce = 0;
    uint64_t fee = 0; // the bid: the most the sender pays (EIP-1559: the fee cap)
    uint64_t tip = 0; // EIP-1559: the most the producer gets above the base fee (version 2)
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
    // The size of Encode(), without encoding.
    std::size_t EncodedSize() const
    {
        return kTransactionEncodedMin + payload.size() + (tip == 0 ? 0 : 8);
    }
    Address SenderAddress() const { return AddressOf(sender); }
    void SignWith(const KeyPair& key);
    bool HasValidSignature() const;
};

// Builds and signs a transaction of any type.
Transaction MakeTransaction(const KeyPair& from, TxType type, uint64_t nonce, uint64_t fee,
                            const Hash256& czcHash, Bytes payload);
Transaction MakeTransfer(const KeyPair& from, uint64_t nonce, uint64_t fee, const Hash256& czcHash,
                         const Address& to, uint64_t amount);

} // namespace canon

#endif
