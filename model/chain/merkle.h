// The transaction Merkle root of a block header. Leaves and inner nodes are hashed with distinct
// one-byte prefixes, and an odd node is carried up unchanged rather than paired with itself, so
// two different transaction lists never share a root (the duplicated-leaf ambiguity of Bitcoin's
// tree, CVE-2012-2459, cannot arise).
#ifndef CANONSIM_CHAIN_MERKLE_H
#define CANONSIM_CHAIN_MERKLE_H

#include "model/core/hash.h"

#include <vector>

namespace canon
{

Hash256 MerkleRoot(std::vector<Hash256> leaves);

} // namespace canon

#endif
