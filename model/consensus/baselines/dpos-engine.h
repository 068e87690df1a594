// DposEngine: EOSIO 1.x delegated proof of stake behind the consensus seam (issue 14), following
// EOSIO v1.8.14 (eos commit b28fed36) and eosio.system v1.8.3 (NOTES.md section 1).
//
//   - Slots of ChainParams::slotDuration (EOSIO: 0.5 s). The producer of slot t on a parent is
//     active[(t mod 12n) div 12] of the parent's active schedule: 12 (DposParams::repetitions)
//     consecutive slots per producer, n producers sorted by name (key bytes). The genesis
//     schedule is ChainParams::producers. A missed slot is simply empty.
//   - Header proof: `confirmed`, a u16 little-endian (2 bytes): how many ancestors the block
//     votes for besides itself. An honest producer confirms back to the last block it signed on
//     any branch, never below its head's LIB (MakeProof, from ProducerMemory: EOSIO's producer
//     plugin watermark). Readings: a producer that never signed counts genesis as its
//     watermark; one that signed but lost the height (restart: lastSignedSlot set,
//     lastSignedHeight 0) confirms nothing; the count never reaches its own last block on the
//     chain, so a stale watermark cannot make its block invalid. EOSIO's plugin also refuses to
//     produce when its watermark is above the head; NextProductionSlot does not see the
//     producer's memory, so that refusal is the node's. CheckProducer checks the slot's producer
//     and the double-confirm rule.
//   - Finality: DposHeaderState (dpos-header-state.h): two-stage LIB by default, the single-stage
//     "15 of 21" rule with DposParams::singleStageLib. Fork choice: the higher (LIB, height),
//     then the lower hash (fork_database.cpp's order).
//   - Schedule changes in three stages (controller.cpp, NOTES 1.4). A tally runs in the first
//     block whose slot is more than 120 slots after the last tally's (eosio.system's onblock,
//     once a minute); if its top DposParams::producers candidates (dpos-election.h) are at
//     least as many as the last schedule's and differ from the pending (else active) schedule,
//     they are *proposed* in that block P, unless an earlier proposal still waits. The first
//     block whose LIB reaches P, on a parent with nothing pending, makes it *pending* (EOSIO's
//     header field `new_producers`; here it follows from the chain, so the header need not
//     carry it). The first block whose LIB reaches that block Q makes it *active*.
//     Reading: the last schedule size starts at the genesis schedule's (capped at
//     DposParams::producers), so an election needs at least that many candidates with votes.
//   - Effects: a proposal is reported as an ElectionOutcome (trigger "dpos-vote-tally", elected
//     in schedule order, every candidate with its votes in whole CZR) and counted in the
//     ledger's PopState::elections and lastElectionHeight (the chain's election record, which
//     summaries read); a promotion puts the new schedule in ConsensusEffects::activatedSet. No
//     other ledger field is written.
//
// Ownership and threads: the engine is immutable after construction and stateless; DposState
// objects are immutable once Apply returns them, shared between nodes by the block outcome memo.
// Bounds: a DposState holds at most kDposConfirmationsTracked counters and three schedules of at
// most kDposProducersMax keys (shared, not copied, between states).
#ifndef CANONSIM_CONSENSUS_BASELINES_DPOS_ENGINE_H
#define CANONSIM_CONSENSUS_BASELINES_DPOS_ENGINE_H

#include "model/consensus/baselines/dpos-election.h"
#include "model/consensus/baselines/dpos-header-state.h"
#include "model/consensus/consensus-engine.h"

namespace canon
{

constexpr uint64_t kDposTallyIntervalSlots = 120; // eosio.system: producers updated once a minute
constexpr std::size_t kDposProofSize = 2;         // confirmed, u16 little-endian

Bytes EncodeDposProof(uint64_t confirmed);
// Malformed, naming the size, unless exactly kDposProofSize bytes.
Result<uint64_t> DecodeDposProof(const Bytes& proof);

// The consensus state after a block.
struct DposState : ConsensusState
{
    DposHeaderState header;
    DposSchedulePtr proposed;      // elected, waiting for its block to be irreversible
    uint64_t proposedBlockNum = 0; // that block
    uint64_t lastTallySlot = 0;
    uint32_t lastScheduleSize = 0; // of the last accepted proposal (EOSIO's rule: never fewer)
};

// The entry's DPoS state; asserts it has one.
const DposState& DposStateOf(const BlockEntry& entry);

class DposEngine : public ConsensusEngine
{
  public:
    // Asserts parameters in range: 1..kDposProducersMax producers in the genesis schedule and
    // in DposParams::producers, repetitions and votesMax at least 1, no member listed twice.
    explicit DposEngine(const ChainParams& params);

    Protocol Kind() const override { return Protocol::kDpos; }
    // The genesis schedule, in schedule (name) order.
    std::vector<PublicKey> GenesisProducerSet(const ChainParams& params) const override;
    ConsensusStatePtr GenesisState(const ChainParams& params,
                                   const LedgerState& genesis) const override;
    std::optional<uint64_t> NextProductionSlot(const BlockEntry& parent, const PublicKey& key,
                                               uint64_t from, uint64_t horizon) const override;
    Bytes MakeProof(const BlockEntry& parent, const KeyPair& key, uint64_t slot,
                    const ProducerMemory& memory) const override;
    Status CheckProducer(const BlockEntry& parent, const BlockHeader& header) const override;
    ConsensusStatePtr Apply(const BlockEntry& entry, LedgerState& state,
                            ConsensusEffects& effects) const override;
    ForkWeight WeightOf(const BlockEntry& entry) const override;
    const BlockEntry* LibOf(const BlockEntry& entry) const override;
    bool DeterministicFinality() const override { return true; }
    // The place in ConsensusParams::members, genesis producers that are not members after them
    // (in name order); the number of those for any other key (the chain asks before
    // validation, so the header may name anyone).
    // Each member's votes at `tip`: the balances of the accounts approving it (DposTallyVotes).
    std::vector<double> MemberWeights(const BlockEntry& tip) const override;
    uint32_t ProducerIndex(const BlockEntry& parent, const BlockHeader& header) const override;
    // That place for the producer the parent's active schedule names for `slot`.
    std::optional<uint32_t> ScheduledProducerIndex(const BlockEntry& parent,
                                                   uint64_t slot) const override;

    const DposParams& Params() const { return m_params; }
    const DposSchedulePtr& GenesisSchedule() const { return m_genesis; }

  private:
    uint32_t RosterIndex(const PublicKey& producer) const;
    void MoveProposedToPending(const DposState& parent, DposState& out) const;
    void Tally(const BlockEntry& entry, LedgerState& ledger, DposState& out,
               ConsensusEffects& effects) const;
    std::shared_ptr<const ElectionOutcome> Outcome(const BlockEntry& entry,
                                                   const std::vector<uint64_t>& votes,
                                                   const DposSchedule& proposed) const;

    DposParams m_params;
    DposSchedulePtr m_genesis;
    DposCandidates m_candidates;
    std::vector<std::pair<PublicKey, uint32_t>> m_roster; // sorted by key: ProducerIndex
};

std::unique_ptr<ConsensusEngine> MakeDposEngine(const ChainParams& params);

} // namespace canon

#endif
