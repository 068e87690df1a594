#include "model/fees/fee-ledger.h"

#include <string>

namespace canon
{

Address
FeeBurnAddress()
{
    return Blake2b256(std::string("CanonChain/fee-burn"));
}

bool
InFeeAuction(TxType type)
{
    switch (type)
    {
        case TxType::kContributionClaim:
        case TxType::kCzrReport:
        case TxType::kVote:
        case TxType::kEvidence:
            return false;
        default:
            return true;
    }
}

} // namespace canon
