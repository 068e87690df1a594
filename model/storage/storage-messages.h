// The messages of content-addressed storage (paper 3.5.1): the DHT's provider lookup and
// announcement, and the want-list block exchange (after IPFS's Bitswap).
//
//   FindProviders {rpc, sender id, key}          who provides `key`? (also finds nodes)
//   Providers {rpc, sender id, providers, closer} the answer: providers known for the key and
//                                                 the sender's closest contacts to it
//   AddProvider {sender id, key}                  the sender provides `key`
//   WantContent {ids}                             the blocks wanted
//   ContentBlocks {(id, block)...}                blocks, each with the id it was asked under
//   DontHave {ids}                                wanted blocks the sender does not hold
//
// Wire format: the node envelope [version u8][type u8] (MessageType 37-42, messages.h), then
// the body. Decoding bounds every count and length and rejects trailing bytes; it does not check
// that a block hashes to its id (the receiver does, and marks the provider that lied).
#ifndef CANONSIM_STORAGE_STORAGE_MESSAGES_H
#define CANONSIM_STORAGE_STORAGE_MESSAGES_H

#include "model/node/messages.h"
#include "model/storage/content.h"
#include "model/storage/kademlia.h"

#include <variant>

namespace canon
{

// Contacts in one Providers answer (closer ones and providers each): at least k.
constexpr uint32_t kDhtContactsMax = 32;
// Ids in one WantContent or DontHave, and blocks in one ContentBlocks.
constexpr uint32_t kWantIdsMax = 64;
// Bytes of blocks in one ContentBlocks: a few full-size chunks.
constexpr std::size_t kContentBlocksBytesMax = 4 * kDagBlockBytesMax;
// What a provider puts in one ContentBlocks before starting the next (one chunk more at most):
// small messages pipeline along a multi-hop path instead of crossing it whole, hop by hop.
constexpr std::size_t kContentBlocksSendBytes = 32 * 1024;

struct FindProvidersMessage
{
    uint64_t rpc = 0;
    DhtKey sender{};
    DhtKey key{};
};

struct ProvidersMessage
{
    uint64_t rpc = 0;
    DhtKey sender{};
    std::vector<Contact> providers;
    std::vector<Contact> closer;
};

struct AddProviderMessage
{
    DhtKey sender{};
    DhtKey key{};
};

// WantContent and DontHave.
struct ContentIdsMessage
{
    std::vector<ContentId> ids;
};

struct ContentBlocksMessage
{
    std::vector<std::pair<ContentId, Bytes>> blocks;
};

struct DecodedStorageMessage
{
    MessageType type = MessageType::kDhtFindProviders;
    std::variant<FindProvidersMessage, ProvidersMessage, AddProviderMessage, ContentIdsMessage,
                 ContentBlocksMessage>
        body;
};

inline bool
IsStorageMessage(const Bytes& bytes)
{
    return bytes.size() >= 2 && bytes[1] >= static_cast<uint8_t>(MessageType::kDhtFindProviders) &&
           bytes[1] <= static_cast<uint8_t>(MessageType::kDontHave);
}

SharedBytes EncodeFindProviders(const FindProvidersMessage& m);
SharedBytes EncodeProviders(const ProvidersMessage& m);
SharedBytes EncodeAddProvider(const AddProviderMessage& m);
// type: kWantContent or kDontHave.
SharedBytes EncodeContentIds(MessageType type, const ContentIdsMessage& m);
SharedBytes EncodeContentBlocks(const ContentBlocksMessage& m);
Result<DecodedStorageMessage> DecodeStorageMessage(const Bytes& bytes);

} // namespace canon

#endif
