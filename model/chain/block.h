// Blocks (PROTOCOL.md 2.3): a signed header (height, slot, parent hash, producer key, transaction
// Merkle root, timestamp and, for some consensus protocols, a proof of the right to produce) and
// the transactions.
//
// Two header versions: 1 without a proof (every PoP block, so PoP encodings are those of
// before the consensus seam), 2 with a proof of 1 to kBlockProofMax bytes (the baselines that need
// one, issue 14), 3 with a nonzero fee clearing price and a proof of 0 to kBlockProofMax bytes
// (the uniform and monopolistic fee auctions, issue 15). A header is encoded in the lowest
// version that holds it.
//
// The block hash is the BLAKE2b-256 of the header's signing bytes (everything but the
// signature), so a header has one identity however its signature was produced. Decoding bounds
// every count and length (kBlockDecodeBytesMax, kBlockDecodeTxMax): those are the limits of the
// wire format, not the consensus block size, which validation enforces from ChainParams.
#ifndef CANONSIM_CHAIN_BLOCK_H
#define CANONSIM_CHAIN_BLOCK_H

#include "model/chain/transaction.h"
#include "model/core/time.h"

#include <memory>
#include <vector>

namespace canon
{

constexpr uint8_t kBlockVersion = 1;
constexpr uint8_t kBlockVersionWithProof = 2;
constexpr uint8_t kBlockVersionWithPrice = 3;
constexpr std::size_t kBlockProofMax = 128;
constexpr std::size_t kBlockDecodeBytesMax = 16 * 1024 * 1024;
constexpr uint32_t kBlockDecodeTxMax = 100000;

struct BlockHeader
{
    uint64_t height = 0;
    uint64_t slot = 0;
    Hash256 parent{};
    PublicKey producer{};
    Hash256 txRoot{};
    TimeNs timestamp = 0;
    // The uniform or monopolistic price every included transaction pays (model/fees), declared
    // by the producer: validators check each included bid covers it. 0 under other mechanisms.
    uint64_t feePrice = 0;
    // The consensus protocol's proof (ConsensusEngine::MakeProof); signed with the rest.
    Bytes proof;
    Signature signature{};

    Bytes SigningBytes() const;
    void Encode(Writer& w) const;
    Bytes Encode() const;
    static BlockHeader ReadFrom(Reader& r);
    static Result<BlockHeader> Decode(const Bytes& b);

    Hash256 Hash() const;
    void SignWith(const KeyPair& key);
    bool HasValidSignature() const;
};

struct Block
{
    BlockHeader header;
    std::vector<Transaction> txs;

    Bytes Encode() const;
    static Result<Block> Decode(const uint8_t* data, std::size_t size);
    static Result<Block> Decode(const Bytes& b) { return Decode(b.data(), b.size()); }

    Hash256 Hash() const { return header.Hash(); }
    Hash256 ComputeTxRoot() const;
};

using BlockPtr = std::shared_ptr<const Block>;

} // namespace canon

#endif
