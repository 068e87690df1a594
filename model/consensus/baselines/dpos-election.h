// DPoS producer election as eosio.system v1.8.3 does it (voting.cpp `update_elected_producers`,
// NOTES.md 1.5), on CanonSim's vote transaction (TxType::kVote, PopState::votes).
//
//   - Candidates are ConsensusParams::members; a vote names candidates by address (AddressOf
//     their keys). Names that are not candidates count for nothing.
//   - Weight: the voter's balance at tally time counts, whole, for each of the first votesMax
//     candidates of its vote (EOSIO: up to 30 producers, each gets the voter's full weight).
//     Reading: no time weighting (EOSIO doubles new votes' weight every year) and no
//     activation threshold (EOSIO waits until 15% of the supply has voted); votes are tallied
//     from the ledger when the tally runs, not kept as running totals.
//   - Elected: the top n candidates with votes above 0 by votes, ties to the lower name (the
//     order of EOSIO's secondary index), then sorted by name (key bytes).
//
// Ownership: DposCandidates is an immutable value built once per engine. Tallies are in the
// ledger's smallest unit and exact: a candidate's total is at most the total supply.
#ifndef CANONSIM_CONSENSUS_BASELINES_DPOS_ELECTION_H
#define CANONSIM_CONSENSUS_BASELINES_DPOS_ELECTION_H

#include "model/chain/ledger-state.h"

#include <optional>
#include <utility>
#include <vector>

namespace canon
{

class DposCandidates
{
  public:
    // In ConsensusParams::members order; asserts no key twice.
    explicit DposCandidates(std::vector<PublicKey> keys);

    const std::vector<PublicKey>& Keys() const { return m_keys; }
    const Address& AddressAt(uint32_t index) const { return m_addresses[index]; }
    std::optional<uint32_t> IndexOf(const Address& account) const;

  private:
    std::vector<PublicKey> m_keys;
    std::vector<Address> m_addresses;                      // in m_keys order
    std::vector<std::pair<Address, uint32_t>> m_byAddress; // sorted by address
};

// Each candidate's votes, in candidate order.
std::vector<uint64_t> DposTallyVotes(const LedgerState& state, const DposCandidates& candidates,
                                     uint32_t votesMax);

// The top `n` candidates by votes (above 0; ties: lower name), sorted by name.
std::vector<PublicKey> DposTopProducers(const DposCandidates& candidates,
                                        const std::vector<uint64_t>& votes, uint32_t n);

} // namespace canon

#endif
