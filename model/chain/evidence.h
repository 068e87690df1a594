// Equivocation evidence (PROTOCOL.md 2.4): two validly signed, different block headers by one
// producer for one slot. Anyone can check it from the two headers alone, which is what lets the
// evidence transaction (TxType::kEvidence) slash the producer on chain without trusting whoever
// submitted it: no key but the producer's could have signed both.
//
// Decoding rejects unknown versions, truncation and trailing bytes; CheckConflict() does the
// cryptographic part. Which keys evidence may name is the caller's business: nodes gossip only
// evidence about keys they have seen in a producer set (equivocation.h), while the ledger accepts
// evidence about any key, because a key that signs two headers for one slot has equivocated
// whether or not it was ever elected.
#ifndef CANONSIM_CHAIN_EVIDENCE_H
#define CANONSIM_CHAIN_EVIDENCE_H

#include "model/chain/block.h"

namespace canon
{

constexpr uint8_t kEvidenceVersion = 1;

struct EquivocationEvidence
{
    BlockHeader first;
    BlockHeader second;

    Bytes Encode() const;
    static Result<EquivocationEvidence> Decode(const Bytes& b);
    Hash256 Hash() const { return Blake2b256(Encode()); }
    // Same producer, same slot, different headers, both signatures valid.
    Status CheckConflict() const;
};

} // namespace canon

#endif
