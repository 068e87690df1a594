// Builders of signed channel transactions (channel-payloads.h) for parties, watchtowers, tests
// and the vehicular run. The open takes both keys: the counterparty's signature over the terms
// is what two parties exchange off chain before one of them sends the open.
#ifndef CANONSIM_CHANNELS_CHANNEL_TX_H
#define CANONSIM_CHANNELS_CHANNEL_TX_H

#include "model/chain/transaction.h"
#include "model/channels/channel-payloads.h"

namespace canon
{

// Who sends a transaction and under what: the sender's key, nonce, fee and the CZC hash.
struct TxSender
{
    const KeyPair* key = nullptr;
    uint64_t nonce = 0;
    uint64_t fee = 1;
    Hash256 czc{};
};

Transaction MakeChannelOpenTx(const TxSender& a, const KeyPair& b, uint64_t depositA,
                              uint64_t depositB, TimeNs challengePeriod);
Transaction MakeChannelCloseTx(const TxSender& from, const SignedChannelState& state,
                               bool cooperative);
Transaction MakeChannelChallengeTx(const TxSender& from, const ChannelChallengePayload& p);
Transaction MakeChannelHtlcClaimTx(const TxSender& from, const ChannelId& channel,
                                   const Hash256& preimage);
Transaction MakeChannelSettleTx(const TxSender& from, const ChannelId& channel);

} // namespace canon

#endif
