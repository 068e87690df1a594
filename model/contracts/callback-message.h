// The callback message (PROTOCOL.md 4): a device's full node tells the device application that a
// block left a contract in a state the device registered for (or that the contract asked, with
// chain.notify, to call the device back). MessageType 30, framed like every message
// (messages.h: version byte, type byte, body) but decoded here, so the node's message switch
// stays as it is.
//
// Body: registration id (zero for a chain.notify request), device, contract, the triggering
// transaction's id and block height, the block's timestamp, and the data (the storage value the
// predicate matched, or the notify data). Decoding bounds the data and rejects trailing bytes.
#ifndef CANONSIM_CONTRACTS_CALLBACK_MESSAGE_H
#define CANONSIM_CONTRACTS_CALLBACK_MESSAGE_H

#include "model/contracts/contract-value.h"
#include "model/core/keys.h"
#include "model/core/time.h"
#include "model/node/messages.h"

namespace canon
{

// MessageType 30-34 belong to contracts; 30 is the callback.
constexpr MessageType kCallbackMessage = static_cast<MessageType>(30);

struct CallbackMessage
{
    Hash256 registration{};
    Address device{};
    Address contract{};
    Hash256 triggerTx{};
    uint64_t triggerHeight = 0;
    TimeNs blockTime = 0;
    ContractValue data;

    bool operator==(const CallbackMessage& o) const
    {
        return registration == o.registration && device == o.device && contract == o.contract &&
               triggerTx == o.triggerTx && triggerHeight == o.triggerHeight &&
               blockTime == o.blockTime && data == o.data;
    }

    // The framed message (version, type 30, body).
    Bytes Encode() const;
    static Result<CallbackMessage> Decode(const Bytes& framed);
};

// Whether framed message bytes carry type 30 (checked before the node's own decoder).
bool IsCallbackMessage(const Bytes& framed);

} // namespace canon

#endif
