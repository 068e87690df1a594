// Ouroboros Praos-style slot leader election (model/consensus/baselines/NOTES.md 3.1): in every
// slot each stakeholder is a leader with probability phi_f(alpha) = 1 - (1 - f)^alpha, alpha its
// share of the epoch's stake snapshot, f the active slot coefficient, independently across
// stakeholders and slots. Several leaders in one slot, and empty slots, are normal.
//
// The verifiable keyed function. The stakeholder signs (domain, epoch nonce, slot) with its
// ed25519 key; the 64-byte signature is the proof (BlockHeader::proof); its BLAKE2b-256 hash y
// is the output. It leads the slot iff the first 8 bytes of y, read as a big-endian integer, are
// below floor(2^64 * phi_f(alpha)). Anyone with the public key checks the signature, recomputes
// y and the threshold. A 64-bit comparison errs by at most 2^-64 per slot.
//
// Limitation, stated as the notes ask: ed25519 signatures are not unique. RFC 8032 signing is
// deterministic, but verification does not force the deterministic nonce, so a signer can make
// many valid signatures of one message and publish one that wins (grinding). This is a VRF only
// for signers that sign deterministically. Honest CanonSim nodes do (libsodium); the adversaries
// of this testbed do not grind. A scenario with grinding adversaries needs a real VRF
// (ECVRF-EDWARDS25519-SHA512-ELL2, RFC 9381) or a unique signature scheme.
//
// The stake distribution. Stakeholders are ConsensusParams::members; a member's stake is the
// balance of AddressOf(its key) in the ledger state the snapshot is taken from; relative stake is
// over the members' total (the active stake), so with every member's stake counted the chance
// that a slot has at least one leader is exactly f. A snapshot is immutable and shared by every
// block that uses it (StakeSnapshotPtr): one per epoch per chain, never one per block.
//
// Bounds: a snapshot holds two 8-byte values per member. Thresholds are computed in double
// (-expm1(alpha * log1p(-f))), the reading of NOTES.md 3.1, and kept below 2^64 so they fit a
// uint64_t: where phi is 1 (f = 1, where the Shelley spec says a leader always wins) the
// threshold is 2^64 - 1, which a value misses with probability 2^-64.
#ifndef CANONSIM_CONSENSUS_BASELINES_POS_LEADER_H
#define CANONSIM_CONSENSUS_BASELINES_POS_LEADER_H

#include "model/chain/chain-params.h"
#include "model/chain/ledger-state.h"
#include "model/core/keys.h"
#include "model/core/status.h"

#include <memory>
#include <vector>

namespace canon
{

// The proof is one ed25519 signature.
constexpr std::size_t kPosProofBytes = 64;

// The stakes one epoch's leaders are drawn from, in ConsensusParams::members order.
struct StakeSnapshot
{
    std::vector<uint64_t> stake;     // the member's balance when the snapshot was taken
    std::vector<uint64_t> threshold; // LeaderThreshold(f, stake[i], total)
    uint64_t total = 0;              // the sum of `stake`
};
using StakeSnapshotPtr = std::shared_ptr<const StakeSnapshot>;

// phi_f(alpha) = 1 - (1 - f)^alpha, for f in (0, 1] and alpha in (0, 1].
double LeaderProbability(double f, double alpha);
// min(floor(2^64 * phi_f(stake / total)), 2^64 - 1); 0 when stake or total is 0 (never a
// leader).
uint64_t LeaderThreshold(double f, uint64_t stake, uint64_t total);

// The stakes of `members` in `state`, with their thresholds under `f`.
StakeSnapshotPtr TakeStakeSnapshot(const std::vector<PublicKey>& members, double f,
                                   const LedgerState& state);

// What a stakeholder signs to claim `slot` under `epochNonce`: a domain tag, the nonce, the slot.
Bytes LeaderMessage(const Hash256& epochNonce, uint64_t slot);
// The proof of the holder of `key`: its deterministic signature of LeaderMessage.
Signature MakeLeaderProof(const KeyPair& key, const Hash256& epochNonce, uint64_t slot);
// y: the output of the keyed function, the hash of the proof.
Hash256 LeaderOutput(const Signature& proof);
// The first 8 bytes of y as a big-endian integer: the value compared with the threshold.
uint64_t LeaderValue(const Hash256& output);
inline bool
IsLeaderValue(uint64_t value, uint64_t threshold)
{
    return value < threshold;
}
// `proof` read from a header: exactly kPosProofBytes, or a clear error.
Result<Signature> ParseLeaderProof(const Bytes& proof);

// The PoS parameters are usable: members present and distinct, f in (0, 1], k and the epoch
// length at least 1, and the members hold some genesis stake (else no slot ever has a leader).
// The error names the field.
Status CheckPosParams(const ChainParams& params);

} // namespace canon

#endif
