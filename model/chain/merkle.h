// The transaction Merkle root of a block header, and inclusion proofs against it. Leaves and
// inner nodes are hashed with distinct one-byte prefixes, and an odd node is carried up unchanged
// rather than paired with itself, so two different transaction lists never share a root (the
// duplicated-leaf ambiguity of Bitcoin's tree, CVE-2012-2459, cannot arise).
//
// A branch is the list of siblings from the leaf up, skipping the levels where the node is the
// odd one carried up (it has no sibling there). Which levels those are follows from the leaf's
// index and the leaf count, so a proof names both and the verifier replays the exact tree shape
// MerkleRoot builds: a branch proves one position in a tree of one size, nothing else.
#ifndef CANONSIM_CHAIN_MERKLE_H
#define CANONSIM_CHAIN_MERKLE_H

#include "model/core/hash.h"

#include <cstdint>
#include <vector>

namespace canon
{

// Levels of a tree of at most 2^32 leaves: no branch is longer (decoders bound by it).
constexpr std::size_t kMerkleBranchMax = 32;

Hash256 MerkleRoot(std::vector<Hash256> leaves);

// The siblings that prove leaves[index] under MerkleRoot(leaves); index < leaves.size().
std::vector<Hash256> MerkleBranch(std::vector<Hash256> leaves, std::size_t index);

// Whether `leaf` at `index` of a tree of `leafCount` leaves hashes up through `branch` to `root`.
// False for an index outside the tree, a branch of the wrong length, or any other mismatch.
bool VerifyMerkleBranch(const Hash256& leaf, uint64_t index, uint64_t leafCount,
                        const std::vector<Hash256>& branch, const Hash256& root);

} // namespace canon

#endif
