#include "model/data/access-tx.h"

namespace canon
{

Transaction
MakeRegisterStreamTx(const TxSigner& s, const Hash256& digest)
{
    RegisterStreamPayload p;
    p.digest = digest;
    return MakeTransaction(s.key, TxType::kDataRegister, s.nonce, s.fee, s.czcHash, p.Encode());
}

Transaction
MakeGrantTx(const TxSigner& s, const Hash256& stream, const PublicKey& grantee, uint32_t keyVersion,
            const DataKey& key)
{
    GrantPayload p;
    p.stream = stream;
    p.grantee = grantee;
    p.keyVersion = keyVersion;
    // Secret as the data key is: whoever could derive the ephemeral key knows the data key.
    Blake2bHasher h;
    h.Update(key);
    h.Update(stream);
    h.Update(grantee);
    Bytes v;
    Writer(v).U32(keyVersion);
    h.Update(v);
    p.sealedKey = SealKeyTo(grantee, key, h.Final());
    return MakeTransaction(s.key, TxType::kDataGrant, s.nonce, s.fee, s.czcHash, p.Encode());
}

Transaction
MakeRevokeTx(const TxSigner& s, const Hash256& stream, const Address& grantee)
{
    RevokePayload p;
    p.stream = stream;
    p.grantee = grantee;
    return MakeTransaction(s.key, TxType::kDataRevoke, s.nonce, s.fee, s.czcHash, p.Encode());
}

} // namespace canon
