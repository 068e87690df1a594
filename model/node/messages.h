// Gossip and sync messages between nodes, and their canonical encoding.
//
// Every message is [version u8][type u8][body]. Transactions and blocks are gossiped (pushed to
// every peer except the one they came from, once per node); GetBlocks/Blocks is the sync
// exchange a node uses when it sees a block whose parent it lacks or when its tip goes stale;
// Evidence carries an equivocation proof. Decoding rejects unknown versions and types, bounds
// every count, and never trusts a length.
#ifndef CANONSIM_NODE_MESSAGES_H
#define CANONSIM_NODE_MESSAGES_H

#include "model/chain/block.h"
#include "model/consensus/equivocation.h"

#include <memory>
#include <variant>
#include <vector>

namespace canon
{

constexpr uint8_t kMessageVersion = 1;
// Bounds of the sync exchange.
constexpr uint32_t kSyncBatchMax = 32;
constexpr std::size_t kSyncBatchBytesMax = 4 * 1024 * 1024;

enum class MessageType : uint8_t
{
    kTransaction = 1,
    kBlock = 2,
    kGetBlocks = 3,
    kBlocks = 4,
    kEvidence = 5,
};

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

struct DecodedMessage
{
    MessageType type = MessageType::kTransaction;
    std::size_t size = 0;
    std::variant<Transaction, std::pair<BlockPtr, std::size_t>, GetBlocksMessage, BlocksMessage,
                 EquivocationEvidence>
        body;
};

using SharedBytes = std::shared_ptr<const Bytes>;

SharedBytes EncodeTransactionMessage(const Transaction& tx);
SharedBytes EncodeBlockMessage(const Block& block);
SharedBytes EncodeGetBlocksMessage(const GetBlocksMessage& m);
SharedBytes EncodeBlocksMessage(const std::vector<BlockPtr>& blocks);
SharedBytes EncodeEvidenceMessage(const EquivocationEvidence& ev);

Result<DecodedMessage> DecodeMessage(const Bytes& bytes);

} // namespace canon

#endif
