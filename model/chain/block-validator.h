// Block validation (PROTOCOL.md 1, 2.3): checks a block against its parent and the parent's
// ledger state and, when it is valid, returns the state after it.
//
// Every rejection is a Status whose message names the rule: height or slot out of order, wrong
// timestamp, from the future, the consensus protocol's producer check, bad signature, oversize,
// Merkle root mismatch, and per transaction: bad signature, stale CZC hash, wrong nonce, overspend.
// Unknown parents are the block tree's concern, not this function's.
#ifndef CANONSIM_CHAIN_BLOCK_VALIDATOR_H
#define CANONSIM_CHAIN_BLOCK_VALIDATOR_H

#include "model/chain/block.h"
#include "model/chain/ledger-state.h"

#include <functional>

namespace canon
{

struct BlockContext
{
    const ChainParams* params = nullptr;
    const BlockHeader* parent = nullptr;
    const LedgerState* parentState = nullptr;
    // The consensus protocol's check of the producer and its proof (ConsensusEngine::
    // CheckProducer), run where the header checks reach the producer.
    std::function<Status(const BlockHeader&)> checkProducer;
    // The validator's clock, for the from-the-future check.
    TimeNs now = 0;
};

// `encodedSize` is the size of the block's canonical encoding (the caller has it from the wire).
Result<LedgerState> ValidateBlock(const Block& block, std::size_t encodedSize,
                                  const BlockContext& ctx);

// The context transactions of a block at `height` are applied in.
TxContext MakeTxContext(const ChainParams& params, uint64_t height, const Address& feeRecipient,
                        TimeNs blockTime);

// The fee terms a block's transactions pay under (TxContext::feePrice, baseFee): the price the
// header declares, which only uniform and monopolistic chains may carry, and the base fee of the
// parent state.
Status FeeTermsOf(const BlockHeader& header, const ChainParams& params, const LedgerState& parent,
                  TxContext& ctx);

// Applies transactions and the block reward to a copy of the parent state; used by validation
// and by a producer assembling a block. Stops at the first invalid transaction.
Status ApplyBlockBody(const Block& block, const ChainParams& params, LedgerState& state);

} // namespace canon

#endif
