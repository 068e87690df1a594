// Gossip and sync messages between nodes, and their canonical encoding.
//
// Every message is [version u8][type u8][body]. Transactions and blocks are gossiped (pushed to
// every peer except the one they came from, once per node); GetBlocks/Blocks is the sync
// exchange a node uses when it sees a block whose parent it lacks or when its tip goes stale;
// Evidence carries an equivocation proof. Light participants (light-node.h) speak a second set:
// a full node pushes them the Header of every block it accepts (never the block), they sync
// headers with GetHeaders/Headers (the GetBlocks exchange without bodies) and ask for Merkle
// inclusion proofs of their transactions with GetProof/Proof. Decoding rejects unknown versions
// and types, bounds every count, and never trusts a length.
//
// The gossip modes other than push (GossipMode, node.h) add a third set. Announce mode:
// AnnounceBlock carries the header of a block the sender accepted, GetBlock asks one announcer
// for that block and the answer is an ordinary Block message; AnnounceTxs carries transaction
// ids in batches, GetTxs asks for the missing ones and Txs answers with those the peer still
// holds. Compact mode (compact-block.h, after BIP 152): CompactBlock carries the header, a salt,
// the transactions the receiver cannot hold in full (prefilled, with their index) and a 6-byte
// short id for each of the others; GetBlockTxn asks for the transactions at the indexes the
// receiver could not fill from its mempool and BlockTxn answers with them, in that order.
#ifndef CANONSIM_NODE_MESSAGES_H
#define CANONSIM_NODE_MESSAGES_H

#include "model/chain/block.h"
#include "model/chain/merkle.h"
#include "model/consensus/equivocation.h"
#include "model/governance/rule-epochs.h"
#include "model/node/shared-transaction.h"

#include <memory>
#include <variant>
#include <vector>

namespace canon
{

constexpr uint8_t kMessageVersion = 1;
// Bounds of the sync exchange.
constexpr uint32_t kSyncBatchMax = 32;
constexpr std::size_t kSyncBatchBytesMax = 4 * 1024 * 1024;
// Headers in one Headers answer: a header is 185 bytes, so a batch stays under 12 KiB and a
// light participant that was out of reach for a minute catches up in one round trip.
constexpr uint32_t kHeaderBatchMax = 64;
// Transaction ids in one GetProof request (and proofs in one Proof answer).
constexpr uint32_t kProofBatchMax = 16;
// Transaction ids in one AnnounceTxs or GetTxs, and transactions in one Txs answer: 1,024 ids
// are 32 KiB, twenty seconds of the default workload's transactions.
constexpr uint32_t kTxIdBatchMax = 1024;
// A short transaction id of a compact block: 6 bytes, as BIP 152 (compact-block.h).
constexpr std::size_t kShortTxIdBytes = 6;

enum class MessageType : uint8_t
{
    kTransaction = 1,
    kBlock = 2,
    kGetBlocks = 3,
    kBlocks = 4,
    kEvidence = 5,
    kHeader = 6,     // full node to light participant: the header of a block it accepted
    kGetHeaders = 7, // light participant to full node: a locator
    kHeaders = 8,    // the headers after the locator on the full node's best chain
    kGetProof = 9,   // light participant to full node: transaction ids
    kProof = 10,     // per id, where the best chain carries it, with a Merkle branch
    // Announce and compact gossip between full nodes (GossipMode, node.h):
    kAnnounceBlock = 11, // the header of a block the sender accepted
    kGetBlock = 12,      // one block by hash; answered with a Block message
    kAnnounceTxs = 13,   // ids of transactions the sender accepted
    kGetTxs = 14,        // the announced ids the receiver lacks
    kTxs = 15,           // the asked transactions the sender still holds
    kCompactBlock = 16,  // header, salt, prefilled transactions and short ids
    kGetBlockTxn = 17,   // a compact block's transactions by index
    kBlockTxn = 18,      // those transactions, in the order asked
    // Data access (paper 3.4; encoded and decoded in model/data/data-messages.h):
    kDataRequest = 35,  // a signed request for a data stream
    kDataResponse = 36, // the device's answer: the encrypted data, or a refusal with a reason
    // Content-addressed storage (paper 3.5.1; model/storage/storage-messages.h):
    kDhtFindProviders = 37, // who provides a key, and the sender's closest contacts to it
    kDhtProviders = 38,     // the answer: providers known for the key, and closer contacts
    kDhtAddProvider = 39,   // the sender provides a key
    kWantContent = 40,      // blocks wanted, by content id
    kContentBlocks = 41,    // blocks, each with its content id
    kDontHave = 42,         // wanted blocks the sender does not hold
    // A data or storage message for a node that is not a peer, relayed hop by hop over the peer
    // overlay (model/data/overlay-relay.h):
    kOverlayRelay = 43,
};

// Not a message and never on the wire: the type a connection event of the ns-3 transport
// (peer-connection.h: connect failed, connection lost, stalled, oversize frame) is traced under,
// so the `drops` dataset tells connection trouble from bad messages (trace-records.h).
constexpr MessageType kConnectionEvent = static_cast<MessageType>(255);

const char* MessageTypeName(MessageType t);

struct GetBlocksMessage
{
    std::vector<Hash256> locator;
    uint32_t maxBlocks = kSyncBatchMax;
};

struct BlocksMessage
{
    // Each block with the size of its encoding (validation needs it).
    std::vector<std::pair<BlockPtr, std::size_t>> blocks;
};

struct GetHeadersMessage
{
    std::vector<Hash256> locator;
    uint32_t maxHeaders = kHeaderBatchMax;
};

struct HeadersMessage
{
    std::vector<BlockHeader> headers;
};

struct GetProofMessage
{
    std::vector<Hash256> txIds;
};

// Where a transaction is: the header of the best-chain block that carries it, its position
// among that block's transactions and the Merkle branch from its id to the header's txRoot.
// `found` false: the answering node's best chain does not carry it (yet); the rest stays empty.
struct TxProof
{
    Hash256 txId{};
    bool found = false;
    BlockHeader header;
    uint32_t index = 0;
    uint32_t leafCount = 0;
    std::vector<Hash256> branch;

    bool Verifies() const
    {
        return found && VerifyMerkleBranch(txId, index, leafCount, branch, header.txRoot);
    }
};

struct ProofMessage
{
    std::vector<TxProof> proofs;
};

struct GetBlockMessage
{
    Hash256 hash{};
};

// AnnounceTxs and GetTxs.
struct TxIdsMessage
{
    std::vector<Hash256> ids;
};

// Txs.
struct TxsMessage
{
    std::vector<TxPtr> txs;
};

struct PrefilledTx
{
    uint32_t index = 0;
    Transaction tx;
};

struct CompactBlockMessage
{
    BlockHeader header;
    uint64_t salt = 0;
    // Prefilled by ascending index; the short ids (low 48 bits used) are the other
    // transactions in block order: the block has prefilled.size() + shortIds.size().
    std::vector<PrefilledTx> prefilled;
    std::vector<uint64_t> shortIds;

    std::size_t TxCount() const { return prefilled.size() + shortIds.size(); }
};

struct GetBlockTxnMessage
{
    Hash256 hash{};
    std::vector<uint32_t> indexes; // strictly ascending
};

struct BlockTxnMessage
{
    Hash256 hash{};
    std::vector<TxPtr> txs;
};

struct DecodedMessage
{
    MessageType type = MessageType::kTransaction;
    std::size_t size = 0;
    std::variant<TxPtr, std::pair<BlockPtr, std::size_t>, GetBlocksMessage, BlocksMessage,
                 EquivocationEvidence, BlockHeader, GetHeadersMessage, HeadersMessage,
                 GetProofMessage, ProofMessage, GetBlockMessage, TxIdsMessage, TxsMessage,
                 CompactBlockMessage, GetBlockTxnMessage, BlockTxnMessage>
        body;
    // kHeader and kHeaders: the rule epochs of the sender's chain at that header (the last of a
    // batch), for light participants to time headers by (model/governance/rule-epochs.h).
    RuleEpochs rules;
};

using SharedBytes = std::shared_ptr<const Bytes>;

// A message's first two bytes (version, type), and encoded bytes made shareable: for every
// message codec, here and in the feature folders.
Bytes MessageEnvelope(MessageType type);
SharedBytes ShareBytes(Bytes b);

SharedBytes EncodeTransactionMessage(const Transaction& tx);
SharedBytes EncodeTransactionMessage(const SharedTransaction& tx); // its kept encoding
SharedBytes EncodeBlockMessage(const Block& block);
SharedBytes EncodeGetBlocksMessage(const GetBlocksMessage& m);
SharedBytes EncodeBlocksMessage(const std::vector<BlockPtr>& blocks);
SharedBytes EncodeEvidenceMessage(const EquivocationEvidence& ev);
SharedBytes EncodeHeaderMessage(const BlockHeader& header, const RuleEpochs& rules = nullptr);
SharedBytes EncodeGetHeadersMessage(const GetHeadersMessage& m);
SharedBytes EncodeHeadersMessage(const std::vector<BlockHeader>& headers,
                                 const RuleEpochs& rules = nullptr);
SharedBytes EncodeGetProofMessage(const GetProofMessage& m);
SharedBytes EncodeProofMessage(const ProofMessage& m);
SharedBytes EncodeAnnounceBlockMessage(const BlockHeader& header);
SharedBytes EncodeGetBlockMessage(const GetBlockMessage& m);
// type: kAnnounceTxs or kGetTxs.
SharedBytes EncodeTxIdsMessage(MessageType type, const TxIdsMessage& m);
SharedBytes EncodeTxsMessage(const std::vector<const Transaction*>& txs);
SharedBytes EncodeSharedTxsMessage(const std::vector<TxPtr>& txs); // their kept encodings
SharedBytes EncodeCompactBlockMessage(const CompactBlockMessage& m);
SharedBytes EncodeGetBlockTxnMessage(const GetBlockTxnMessage& m);
SharedBytes EncodeBlockTxnMessage(const Hash256& hash, const std::vector<const Transaction*>& txs);

Result<DecodedMessage> DecodeMessage(const Bytes& bytes);

} // namespace canon

#endif
