#include "model/channels/channel-tx.h"

namespace canon
{

namespace
{
Transaction
Make(const TxSender& s, TxType type, Bytes payload)
{
    return MakeTransaction(*s.key, type, s.nonce, s.fee, s.czc, std::move(payload));
}
} // namespace

Transaction
MakeChannelOpenTx(const TxSender& a, const KeyPair& b, uint64_t depositA, uint64_t depositB,
                  TimeNs challengePeriod)
{
    ChannelOpenPayload p;
    p.counterparty = b.Public();
    p.depositA = depositA;
    p.depositB = depositB;
    p.challengePeriod = challengePeriod;
    p.counterpartySig = b.Sign(OpenTermsBytes(a.key->Public(), a.nonce, p));
    return Make(a, TxType::kChannelOpen, p.Encode());
}

Transaction
MakeChannelCloseTx(const TxSender& from, const SignedChannelState& state, bool cooperative)
{
    return Make(from, cooperative ? TxType::kChannelCoopClose : TxType::kChannelClose,
                ChannelClosePayload{state}.Encode());
}

Transaction
MakeChannelChallengeTx(const TxSender& from, const ChannelChallengePayload& p)
{
    return Make(from, TxType::kChannelChallenge, p.Encode());
}

Transaction
MakeChannelHtlcClaimTx(const TxSender& from, const ChannelId& channel, const Hash256& preimage)
{
    return Make(from, TxType::kChannelHtlcClaim,
                ChannelHtlcClaimPayload{channel, preimage}.Encode());
}

Transaction
MakeChannelSettleTx(const TxSender& from, const ChannelId& channel)
{
    return Make(from, TxType::kChannelSettle, ChannelSettlePayload{channel}.Encode());
}

} // namespace canon
