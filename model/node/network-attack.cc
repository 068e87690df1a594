#include "model/node/network-attack.h"

#include <algorithm>
#include <cmath>

namespace canon
{

namespace
{

constexpr AttackVariant kVariants[] = {AttackVariant::kValid,        AttackVariant::kBadSignature,
                                       AttackVariant::kOversized,    AttackVariant::kMalformed,
                                       AttackVariant::kDuplicate,    AttackVariant::kWithhold,
                                       AttackVariant::kPrivateBranch};

// The message types a malformed message may claim: every one a full node takes.
constexpr uint8_t kTypeFirst = static_cast<uint8_t>(MessageType::kTransaction);
constexpr uint8_t kTypeLast = static_cast<uint8_t>(MessageType::kBlockTxn);

} // namespace

const char*
AttackVariantName(AttackVariant v)
{
    switch (v)
    {
        case AttackVariant::kValid:
            return "valid";
        case AttackVariant::kBadSignature:
            return "bad-signature";
        case AttackVariant::kOversized:
            return "oversized";
        case AttackVariant::kMalformed:
            return "malformed";
        case AttackVariant::kDuplicate:
            return "duplicate";
        case AttackVariant::kWithhold:
            return "withhold";
        case AttackVariant::kPrivateBranch:
            return "private-branch";
    }
    return "unknown";
}

std::optional<AttackVariant>
ParseAttackVariant(const std::string& name)
{
    for (AttackVariant v : kVariants)
    {
        if (name == AttackVariantName(v))
        {
            return v;
        }
    }
    return std::nullopt;
}

NetworkAttack::NetworkAttack(AttackVariant variant, double ratePerSecond, KeyPair key,
                             uint64_t seed)
  : m_variant(variant)
  , m_rate(ratePerSecond)
  , m_key(std::move(key))
  , m_rng(Rng::Derive(seed, "network-attack"))
{
}

TimeNs
NetworkAttack::NextAt(TimeNs now)
{
    if (m_nextAt == 0)
    {
        m_nextAt = (now / kAttackTick + 1) * kAttackTick;
    }
    return m_nextAt;
}

void
NetworkAttack::Fire(TimeNs now, Node& follower, const std::vector<PeerId>& peers, Actions& out)
{
    m_nextAt = (now / kAttackTick + 1) * kAttackTick;
    // Owed messages never exceed one burst's bound (a huge rate must not overflow the count).
    m_owed =
        std::min(m_owed + m_rate * ToSeconds(kAttackTick), static_cast<double>(kAttackBurstMax));
    const auto count = static_cast<uint64_t>(std::floor(m_owed));
    m_owed -= static_cast<double>(count);
    for (uint64_t i = 0; i < count; ++i)
    {
        if (m_variant == AttackVariant::kValid)
        {
            const Address me = m_key.GetAddress();
            const Transaction tx = Transfer(follower, NextWalletNonce(m_nonce, follower, me));
            ++m_counters.messages;
            m_counters.bytes += tx.Encode().size();
            follower.Step(now, SubmitInput{tx}, out);
            continue;
        }
        const SharedBytes bytes = Message(follower);
        for (PeerId p : peers)
        {
            SendAction s;
            s.to = p;
            s.type = static_cast<MessageType>((*bytes)[1]);
            s.bytes = bytes;
            out.sends.push_back(std::move(s));
            ++m_counters.messages;
            m_counters.bytes += bytes->size();
        }
    }
}

Transaction
NetworkAttack::Transfer(const Node& follower, uint64_t nonce) const
{
    const ConsensusChain& chain = follower.Chain();
    const ChainParams& p = chain.Params();
    return MakeTransfer(m_key, nonce, p.feeMin, p.CzcHashAt(chain.Best()->height + 1),
                        m_key.GetAddress(), 1);
}

SharedBytes
NetworkAttack::Message(const Node& follower)
{
    switch (m_variant)
    {
        case AttackVariant::kBadSignature:
        {
            Transaction tx = Transfer(follower, m_junkNonce++);
            tx.signature[0] ^= 1;
            return EncodeTransactionMessage(tx);
        }
        case AttackVariant::kOversized:
        {
            Bytes b(kOversizeBytes, 0);
            b[0] = kMessageVersion;
            b[1] = static_cast<uint8_t>(MessageType::kTransaction);
            return std::make_shared<const Bytes>(std::move(b));
        }
        case AttackVariant::kMalformed:
        {
            Bytes b(kMalformedBytes);
            for (uint8_t& byte : b)
            {
                byte = static_cast<uint8_t>(m_rng.Below(256));
            }
            b[0] = kMessageVersion;
            b[1] = static_cast<uint8_t>(kTypeFirst + m_rng.Below(kTypeLast - kTypeFirst + 1));
            return std::make_shared<const Bytes>(std::move(b));
        }
        default: // duplicate
        {
            const BlockEntry* best = follower.Chain().Best();
            if (!best->block)
            {
                return EncodeTransactionMessage(Transfer(follower, m_junkNonce++));
            }
            if (!m_duplicate || best->hash != m_duplicateOf)
            {
                m_duplicateOf = best->hash;
                m_duplicate = EncodeBlockMessage(*best->block);
            }
            return m_duplicate;
        }
    }
}

} // namespace canon
