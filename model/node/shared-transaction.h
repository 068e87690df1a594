// SharedTransaction: a transaction decoded, identified and signature-checked once per process
// and shared, immutable, by every simulated node (issue 13; DESIGN.md 5), as blocks share their
// validation (model/consensus/block-outcome-memo.h).
//
// What is shared: the decoded Transaction, its id (BLAKE2b-256 of the canonical encoding,
// Transaction::Id), its sender's address (Transaction::SenderAddress, a BLAKE2b of the key, which
// every mempool asks for), that encoding, and whether its signature is valid (checked the first
// time a node asks, then kept in the object). Mempools, compact-block rebuilds and the transaction
// messages hold TxPtr, never copies.
//
// The intern table maps a canonical encoding to its SharedTransaction. Its key is the encoding
// itself (a fast non-cryptographic hash to find the bucket, then a full byte comparison), so a
// node that receives bytes another node already decoded gets that object without decoding or
// hashing them with BLAKE2b. Why sharing is safe: every field of a SharedTransaction is a pure
// function of the encoding (canonical: one transaction has exactly one encoding, encoding.h),
// and the signature check is the signature memo's pure function (keys.cc). A hit returns what a
// miss computes, so nothing a node does, and nothing in a trace, depends on the table.
//
// Decoding errors are those of Transaction::ReadFrom on the caller's reader: a hit needs bytes
// that decoded before as one whole transaction, and decode again to the same value.
//
// Bounds: at most kSharedTxMemoMax transactions and kSharedTxMemoBytesMax encoded bytes; the
// oldest go first (a node that still holds one keeps it alive; a later arrival of the same bytes
// makes an equal object). Thread-safe behind one lock; it can be switched off (every lookup
// misses) for tests and benchmarks.
#ifndef CANONSIM_NODE_SHARED_TRANSACTION_H
#define CANONSIM_NODE_SHARED_TRANSACTION_H

#include "model/chain/transaction.h"
#include "model/core/process-memo.h"

#include <atomic>
#include <memory>

namespace canon
{

// About half an hour of the default workload's 40 tx/s, a few tens of MB.
constexpr std::size_t kSharedTxMemoMax = std::size_t{1} << 16;
constexpr std::size_t kSharedTxMemoBytesMax = std::size_t{64} << 20;

class SharedTransaction
{
  public:
    // `encoding` is tx's canonical encoding; the id is computed here.
    SharedTransaction(Transaction tx, Bytes encoding);

    const Transaction& Tx() const { return m_tx; }
    const Hash256& Id() const { return m_id; }
    // Tx().SenderAddress(), computed once.
    const Address& Sender() const { return m_sender; }
    const Bytes& Encoding() const { return m_encoding; }
    // The signature check, done once (either result is kept).
    bool HasValidSignature() const;

  private:
    Transaction m_tx;
    Bytes m_encoding;
    Hash256 m_id;
    Address m_sender;
    // 0: not checked yet, 1: valid, 2: invalid. Two threads may both check; both get the same.
    mutable std::atomic<uint8_t> m_signature{0};
};
using TxPtr = std::shared_ptr<const SharedTransaction>;

// The shared object of a transaction a node made or was given as a value (a wallet's
// submission, a transaction of a block).
TxPtr ShareTransaction(const Transaction& tx);
// Reads one transaction at the reader's position, as Transaction::ReadFrom does (same errors);
// null when the reader has failed.
TxPtr ReadSharedTransaction(Reader& r);
// Decodes exactly `size` bytes as one transaction, as Transaction::Decode does.
Result<TxPtr> DecodeSharedTransaction(const uint8_t* data, std::size_t size);

// For tests and benchmarks: off makes every node decode and hash every transaction itself.
void SetSharedTransactionsEnabled(bool enabled);
void ClearSharedTransactions();
MemoStats GetSharedTransactionStats();

} // namespace canon

#endif
