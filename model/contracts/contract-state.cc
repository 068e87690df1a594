#include "model/contracts/contract-state.h"

namespace canon
{

ContractValue
ContractAccount::Get(const std::string& key) const
{
    const ContractValue* v = storage.Find(key);
    return v ? *v : ContractValue::Nil();
}

const std::vector<ContractReceipt>&
ContractsState::ReceiptsAt(uint64_t height) const
{
    static const std::vector<ContractReceipt> kNone;
    return receipts && receiptsHeight == height ? *receipts : kNone;
}

void
ContractsState::AddReceipt(uint64_t height, ContractReceipt r)
{
    if (!receipts || receiptsHeight != height)
    {
        receipts = std::make_shared<std::vector<ContractReceipt>>();
    }
    else if (receipts.use_count() > 1)
    {
        receipts = std::make_shared<std::vector<ContractReceipt>>(*receipts);
    }
    receipts->push_back(std::move(r));
    receiptsHeight = height;
}

Hash256
ContractsState::Root() const
{
    Bytes out;
    Writer w(out);
    w.U32(static_cast<uint32_t>(contracts.size()));
    for (const auto& [address, account] : contracts)
    {
        w.Fixed(address);
        w.Fixed(account.codeHash);
        w.Fixed(account.creator);
        uint32_t set = 0;
        for (const auto& entry : account.storage)
        {
            set += entry.second.kind != ContractValue::Kind::kNil ? 1 : 0;
        }
        w.U32(set);
        for (const auto& [key, value] : account.storage)
        {
            if (value.kind != ContractValue::Kind::kNil)
            {
                w.Var(Bytes(key.begin(), key.end()));
                value.Encode(w);
            }
        }
    }
    w.U32(static_cast<uint32_t>(devices.size()));
    for (const auto& [address, d] : devices)
    {
        w.Fixed(d.key);
        w.Fixed(d.owner);
        w.U32(d.deviceNode);
        w.U32(d.homeNode);
    }
    w.U32(static_cast<uint32_t>(callbacks.size()));
    for (const auto& [id, c] : callbacks)
    {
        w.Fixed(id);
        w.Fixed(c.device);
        w.Fixed(c.contract);
        c.predicate.Encode(w);
    }
    return Blake2b256(out);
}

Address
ContractAddress(const Address& sender, uint64_t nonce)
{
    Bytes out;
    Writer w(out);
    const std::string tag = "CanonChain/contract/v1";
    w.Raw(reinterpret_cast<const uint8_t*>(tag.data()), tag.size());
    w.Fixed(sender);
    w.U64(nonce);
    return Blake2b256(out);
}

} // namespace canon
