#include "model/chain/block-validator.h"

#include "model/governance/in-force.h"

namespace canon
{

namespace
{

Status
CheckHeader(const Block& block, std::size_t encodedSize, const BlockContext& ctx)
{
    const BlockHeader& h = block.header;
    const ChainParams& p = *ctx.params;
    if (h.height != ctx.parent->height + 1)
    {
        return Status::Invalid("height " + std::to_string(h.height) + " does not follow parent " +
                               std::to_string(ctx.parent->height));
    }
    if (h.slot <= ctx.parent->slot)
    {
        return Status::Invalid("slot " + std::to_string(h.slot) + " not after parent slot " +
                               std::to_string(ctx.parent->slot));
    }
    // The slot clock of the parent's chain: T may have been changed by governance.
    const SlotClock clock = ctx.parentState->Governance().Clock(p.GenesisRules());
    if (!clock.IsSlotStarted(h.slot, ctx.now, p.clockDriftMax))
    {
        return Status(StatusCode::kTooEarly, "block from the future: slot " +
                                                 std::to_string(h.slot) + " has not started at " +
                                                 std::to_string(ctx.now) + " ns");
    }
    if (h.timestamp != clock.SlotStart(h.slot))
    {
        return Status::Invalid("timestamp " + std::to_string(h.timestamp) +
                               " is not the start of slot " + std::to_string(h.slot));
    }
    if (Status s = ctx.checkProducer(h); !s.IsOk())
    {
        return s;
    }
    // An upgrade's window is over and this producer never signalled it (paper 1.2.6.2 step 5).
    if (std::string why = ctx.parentState->Governance().ExclusionOf(h.producer); !why.empty())
    {
        return Status::Invalid(why);
    }
    if (ctx.parentState->Pop().slashed.count(h.producer))
    {
        // PROTOCOL.md 2.4: evidence on this chain removed the key; its slots stay empty until
        // the next elected set takes over.
        return Status::Invalid("producer " + ShortHex(h.producer) + " is slashed");
    }
    // The maximum block size in force on the parent's chain (governance may have changed it).
    if (const uint64_t max = BlockSizeMaxIn(p, ctx.parentState->Governance()); encodedSize > max)
    {
        return Status::Invalid("oversize block: " + std::to_string(encodedSize) + " bytes > " +
                               std::to_string(max));
    }
    if (block.txs.size() > p.blockTxMax)
    {
        return Status::Invalid("oversize block: " + std::to_string(block.txs.size()) +
                               " transactions > " + std::to_string(p.blockTxMax));
    }
    if (!h.HasValidSignature())
    {
        return Status::Invalid("bad block signature by " + ShortHex(h.producer));
    }
    if (block.ComputeTxRoot() != h.txRoot)
    {
        return Status::Invalid("transaction Merkle root mismatch");
    }
    return Status::Ok();
}

} // namespace

Status
FeeTermsOf(const BlockHeader& header, const ChainParams& params, const LedgerState& parent,
           TxContext& ctx)
{
    const FeeMechanism m = params.fees.mechanism;
    if (header.feePrice != 0 && m != FeeMechanism::kUniform && m != FeeMechanism::kMonopolistic)
    {
        return Status::Invalid("fee price " + std::to_string(header.feePrice) +
                               " in a block of a " + FeeMechanismName(m) + " chain");
    }
    ctx.feePrice = header.feePrice;
    ctx.baseFee = parent.Fees().baseFee;
    return Status::Ok();
}

TxContext
MakeTxContext(const ChainParams& params, uint64_t height, const Address& feeRecipient,
              TimeNs blockTime)
{
    TxContext ctx;
    ctx.activeCzc = params.CzcHashAt(height);
    ctx.feeRecipient = feeRecipient;
    ctx.now = blockTime;
    ctx.height = height;
    ctx.evidenceRewardPermille = params.evidenceRewardPermille;
    ctx.feeMechanism = params.fees.mechanism;
    ctx.contracts = &params.contracts;
    if (params.czrOracle != PublicKey{})
    {
        ctx.czrOracle = AddressOf(params.czrOracle);
    }
    return ctx;
}

Status
ApplyBlockBody(const Block& block, const ChainParams& params, LedgerState& state)
{
    const Address producer = AddressOf(block.header.producer);
    TxContext ctx = MakeTxContext(params, block.header.height, producer, block.header.timestamp);
    if (Status s = FeeTermsOf(block.header, params, state, ctx); !s.IsOk())
    {
        return s;
    }
    for (std::size_t i = 0; i < block.txs.size(); ++i)
    {
        const Transaction& tx = block.txs[i];
        if (!tx.HasValidSignature())
        {
            return Status::Invalid("transaction " + std::to_string(i) + ": bad signature");
        }
        Status s = state.ApplyTransaction(tx, ctx);
        if (!s.IsOk())
        {
            return Status::Invalid("transaction " + std::to_string(i) + ": " + s.Message());
        }
    }
    state.EndBlockFees(params.fees, block.txs.size(), params.blockTxMax);
    state.PayBlockReward(producer, params.blockReward);
    // CZC governance (issue 18)
    state.EndBlock(ctx, params.governance, params.GenesisRules(), params.finalityThresholdOverride);
    return Status::Ok();
}

Result<LedgerState>
ValidateBlock(const Block& block, std::size_t encodedSize, const BlockContext& ctx)
{
    Status s = CheckHeader(block, encodedSize, ctx);
    if (!s.IsOk())
    {
        return s;
    }
    LedgerState next = *ctx.parentState;
    s = ApplyBlockBody(block, *ctx.params, next);
    if (!s.IsOk())
    {
        return s;
    }
    return next;
}

} // namespace canon
