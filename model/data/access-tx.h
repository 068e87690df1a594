// Builders of the data access transactions (paper 3.4): what an owner's wallet signs. The grant
// seals the owner's data key to the grantee (data-crypto.h), with the ephemeral key derived
// from the data key itself, the stream, the grantee and the key version: secret to whoever does
// not already hold the data key, and the same grant is the same transaction in every run with
// one seed.
#ifndef CANONSIM_DATA_ACCESS_TX_H
#define CANONSIM_DATA_ACCESS_TX_H

#include "model/chain/transaction.h"
#include "model/data/data-crypto.h"

namespace canon
{

// Who signs, with which nonce, fee and rules document (as MakeTransaction).
struct TxSigner
{
    const KeyPair& key;
    uint64_t nonce = 0;
    uint64_t fee = 0;
    Hash256 czcHash{};
};

Transaction MakeRegisterStreamTx(const TxSigner& s, const Hash256& digest);
Transaction MakeGrantTx(const TxSigner& s, const Hash256& stream, const PublicKey& grantee,
                        uint32_t keyVersion, const DataKey& key);
Transaction MakeRevokeTx(const TxSigner& s, const Hash256& stream, const Address& grantee);

} // namespace canon

#endif
