// GovernanceFeature: CZC governance (issue 18, paper 1.2.4, 1.2.6) in a `canonsim run` with a
// `governance:` section (scenario-config.h). It plays the community on top of the nodes:
//   - proposals made at the scenario's times (signed by node 0's key);
//   - votes: every full node's key is an account holder (genesis funds every node equally); for
//     each proposal, and for each community vote a freeze opens, it votes for with
//     approve_share, against with reject_share, else abstains, at a time drawn uniformly within
//     vote_spread_s after the proposal is on chain;
//   - upgrades: when an upgrade's test phase begins, node 0 reports a passed test; when its
//     window opens, each full node signals at a delay drawn from upgrade_s, except a share
//     (never_upgrade_share) drawn once per node that never does;
//   - freezes: at a freeze's time every genesis producer approves freezing the account.
// Every transaction goes to the reference node signed by the terms of its chain (TermsOn,
// model/node/node.h: its CZC hash, a bid of at least its fee floor), with the signing node key's
// next nonce from the run's nonce book (model/run/nonce-book.h), which the CZR loop's claims
// share: both may run in one scenario.
// Draws come from Rng::Derive(seed, "governance", ...) only, so a seed gives the same run.
//
// What it records it reads from the reference node (the lowest-numbered running full node)
// once a second: tallies, passes, phases, the switch to a new T or N, another parameter in force
// (from the block after the adopting one), window extensions (the upgrade stall rule,
// governance.h), exclusions, freezes and lifts, to the optional governance_events dataset
// (trace-records.h), and, for the summary, finality latency (slot start to the reference node's
// LIB passing the block), throughput (transactions in blocks per second, all, transfers and
// contract transactions) and mean block bytes before and after the first switch of rules, first
// other parameter in force, or first upgrade whose first vote passed (its new CZC hash acts from
// the next block).
//
// Bounds: state per proposal and per node; one poll a second. Single-threaded (the host's).
#ifndef CANONSIM_RUN_GOVERNANCE_FEATURE_H
#define CANONSIM_RUN_GOVERNANCE_FEATURE_H

#include "model/core/rng.h"
#include "model/run/run-feature.h"
#include "model/run/scenario-config.h"

#include <optional>
#include <vector>

namespace canon
{

struct GovernanceEventRecord;

class GovernanceFeature : public RunFeature
{
  public:
    explicit GovernanceFeature(GovernanceConfig config);

    std::string Name() const override { return "governance"; }
    void Attach(const FeatureContext& ctx) override;
    void OnEvent(uint32_t node, const NodeEvent& ev) override;
    std::map<std::string, double> Figures() const override;

    // The chain parameters' durations the section sets.
    static GovernanceParams Durations(const GovernanceConfig& c);

  private:
    struct Tracked
    {
        Hash256 id{};
        GovParam param = GovParam::kFeeFloor;
        double value = 0;
        ProposalPhase phase = ProposalPhase::kOpen;
        uint64_t approving = 0;
        uint64_t voting = 0;
        bool seen = false;       // on the reference node's chain
        bool freeze = false;     // a community vote a freeze opened
        uint32_t extensions = 0; // upgrade window extensions seen
    };

    void Propose(std::size_t i);
    void Freeze(std::size_t i);
    void Poll();
    void PollProposal(const GovernanceBook& book, Tracked& t);
    void PollSwitch(const Node& ref);
    void PollFreezes(const GovernanceBook& book);
    // The first switch of rules, other parameter in force or new CZC hash: figures split at
    // `splitAt`; switch_s shows `shownAt`.
    void FirstSwitch(TimeNs splitAt, TimeNs shownAt);
    void ScheduleVotes(const Tracked& t);
    void ScheduleSignals(const Tracked& t);
    // Signs and hands a governance transaction by node `signer`'s key to the reference node,
    // with the key's next nonce from the run's nonce book (nonce-book.h, shared with the CZR
    // loop's claims) and the reference chain's terms (TermsOn: its CZC hash, at least its fee
    // floor). The nonce it took; nullopt when no full node runs.
    std::optional<uint64_t> Send(uint32_t signer, TxType type, const Bytes& payload);
    const Node* Reference() const;
    // Finality and throughput before and after the first switch of rules, into `out`.
    void BeforeAndAfter(std::map<std::string, double>& out) const;
    void Record(uint8_t kind, const Tracked* t, uint32_t node = 0, uint64_t slot = 0,
                double value = 0);

    GovernanceConfig m_config;
    std::optional<FeatureContext> m_ctx;
    Rng m_rng{0};
    std::vector<Tracked> m_tracked;
    std::vector<TimeNs> m_upgradeDelay; // per node; negative: never upgrades
    std::map<Address, bool> m_frozen;   // by account, as last seen
    std::size_t m_epochsSeen = 0;
    std::optional<TimeNs> m_switchAt; // when the first new rules were in force at the reference
    std::vector<std::pair<TimeNs, TimeNs>> m_finality; // (time, latency) at the reference node
    std::map<uint8_t, double> m_counts;                // records by kind
    std::map<std::string, double> m_figures;
};

} // namespace canon

#endif
