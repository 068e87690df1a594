// SafetyChecker: the checkers the abstract engine runs after every step (DESIGN.md 3, after
// TigerBeetle's VOPR), speaking for honest full nodes only:
//   - agreement: no two nodes ever hold different irreversible blocks at one height;
//   - supply: every node's best state holds exactly the genesis supply;
//   - monotonic finality: a node's irreversible height never goes back (per incarnation: a node
//     restarted without storage starts again from genesis).
// The two finality checks hold for protocols with deterministic finality (PoP, DPoS); under a
// depth rule (PoW, PoS, PoI) a deeper reorg is a measured event (RunSummary::finalityViolations).
// A violation names the seed and the simulated time. At most kViolationsMax are kept.
// Ledger states are shared process-wide (block-outcome-memo.h), so the supply of one state
// object is summed once, by the first node that holds it as its best (the last
// kSupplyCheckedMax states checked are remembered): summing it at every node made each block
// cost O(nodes x accounts).
#ifndef CANONSIM_SIM_SAFETY_CHECKER_H
#define CANONSIM_SIM_SAFETY_CHECKER_H

#include "model/run/run-host.h"

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace canon
{

class SafetyChecker
{
  public:
    static constexpr std::size_t kViolationsMax = 20;
    static constexpr std::size_t kSupplyCheckedMax = 64;

    SafetyChecker(uint64_t seed, const RunHost& host, const Hash256& genesis);

    // After node i stepped; `incarnation` counts its starts.
    void Check(uint32_t i, uint64_t incarnation);
    const std::vector<std::string>& Violations() const { return m_violations; }

  private:
    struct Seen
    {
        uint64_t incarnation = 0;
        uint64_t libHeight = 0;
        Hash256 bestHash{};
    };
    // A state whose supply was already summed.
    struct Checked
    {
        const LedgerState* raw = nullptr;
        std::weak_ptr<const LedgerState> alive; // expired: the address may be a new state
    };
    void CheckIrreversible(uint32_t i, const ConsensusChain& chain, Seen& seen);
    void CheckSupply(uint32_t i, const BlockEntry& best);
    bool SupplyChecked(const std::shared_ptr<const LedgerState>& state);
    void Violation(const std::string& what);

    uint64_t m_seed;
    const RunHost& m_host;
    std::vector<Seen> m_seen;
    // Irreversible hash per height as first seen by any node.
    std::vector<Hash256> m_irreversible;
    std::vector<std::string> m_violations;
    std::array<Checked, kSupplyCheckedMax> m_supplyChecked{};
    std::size_t m_supplyNext = 0; // the ring's oldest entry
};

} // namespace canon

#endif
