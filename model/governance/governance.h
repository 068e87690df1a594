// Governance by CZC (paper 1.2.4, 1.2.6; PROTOCOL.md 7): parameter proposals, stake votes, and
// the switch to the new CZC hash once a proposal has held more than 3/4 of the voting stake for
// the hold period.
//
// Transactions (TxType 50-53): a proposal names one CZC parameter, its new value and the hash of
// the CZC document with that value written in; a vote approves or rejects one proposal (a later
// vote by the same account replaces its earlier one). Tally (at the end of every block,
// GovernanceBook::EndBlock): a proposal's voting stake is the current balance of every account
// that voted on it; it is above the bar while approving stake * 4 > voting stake * 3 (exactly
// 3/4 is not enough). The time it went above is kept; falling to or below the bar clears it; once
// it has stayed above for ChainParams::governanceHold (7 days in the paper; a parameter so a run
// can compress it), the proposal passes: its value is adopted and its CZC hash becomes the one
// every later transaction must carry (a transaction with the old hash is refused, naming the
// proposal that switched it).
//
// What the chain does with an adopted value: T and N open a new rule epoch (rule-epochs.h) that
// the slot clock and the PoP engine read from the parent's state; the other values are recorded
// (AdoptedValue) and read where the README's governance section lists.
//
// Upgrades (1.2.6.2) are proposals of GovParam::kUpgrade (value: the new protocol version) and go
// further: after the first hold the CZC hash switches and a test phase of testPeriod begins, in
// which test reports (TxType 52) record how the new rules fared on a test chain; if more reports
// passed than failed, the votes are cleared and a second vote must again hold more than 3/4 for
// `hold`; then nodes have upgradeWindow to signal that they run the new version (TxType 53, signed
// by the node's key); after it, blocks by producers that never signalled are refused
// (ExclusionOf, checked by the block validator). The finality stall rule: excluding producers can
// leave fewer live producers than the finality threshold, and then no block would ever become
// irreversible again. So at the window's end the exclusion takes effect only if the producers of
// the set in force that signalled reach the finality threshold of that set (FinalityThresholdOf,
// with the chain's override); otherwise the window is extended by another upgradeWindow, the
// extension is counted (Proposal::windowExtensions, in the state root and the trace), and the
// check runs again at the new end. Producers elected meanwhile count if they signal.
// Transactions are not refused by node: accounts
// are not nodes; but a node's own key is one, and after the window transactions signed by a
// producer key that never signalled are refused too (RefusalOf).
//
// Producers' supervised powers (1.2.4): a producer of the set in force approves freezing an
// account (TxType 54); once at least 2/3 of the set approved, the account is frozen (every
// transaction it signs is refused, naming the freeze) and the book opens a community vote to
// overturn it, decided by the same rule as any proposal (more than 3/4 of the voting stake held
// for `hold`); if it passes, the account is free again and its approvals are void.
//
// A member of LedgerState: persistent maps, so a copy is O(1). At most kOpenProposalsMax
// proposals are open at once (the tally visits each every block); each counts at most
// kVotersPerProposalMax voters.
#ifndef CANONSIM_GOVERNANCE_GOVERNANCE_H
#define CANONSIM_GOVERNANCE_GOVERNANCE_H

#include "model/core/encoding.h"
#include "model/core/keys.h"
#include "model/core/persistent-map.h"
#include "model/core/time.h"
#include "model/governance/rule-epochs.h"

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace canon
{

struct Transaction;
struct TxContext;
enum class TxType : uint8_t;

constexpr std::size_t kOpenProposalsMax = 64;
constexpr std::size_t kVotersPerProposalMax = 100000;
constexpr uint64_t kGovProducersMax = 1000; // the largest N a proposal may set
// The bounds of the other adoptable values (CheckGovernanceTx refuses a proposal outside them).
constexpr uint64_t kGovBlockSizeMin = 1024;             // bytes: a header and a few transactions
constexpr uint64_t kGovBlockSizeMax = 16 * 1024 * 1024; // a block plus a sync batch fit a frame
constexpr uint64_t kGovFixedPoint = 1000000;            // czr-gamma and czr-beta: 1e6 = 1.0
constexpr uint64_t kGovCzrBetaMax = 1000 * kGovFixedPoint;
constexpr uint64_t kGovCandidatesMax = 10000;
constexpr uint64_t kGovFeeFloorMax = uint64_t{1} << 50; // below the total supply

// The CZC parameters of paper 1.2.6.1 a proposal may change.
enum class GovParam : uint8_t
{
    kFeeFloor = 1,
    kSlotDuration = 2, // T, in nanoseconds
    kBlockSizeMax = 3,
    kProducers = 4, // N
    kCzrGamma = 5,  // fixed-point, 1e6 = 1.0
    kCzrBeta = 6,   // fixed-point
    kCandidatesPerGroup = 7,
    kRewardSplit = 8, // per mille of a block reward to its producer, the rest by contribution
    kUpgrade = 9,     // a new protocol version (1.2.6.2)
    // Not proposable: the community vote a freeze opens (1.2.4); passing it lifts the freeze.
    kOverturnFreeze = 10,
    // The CZR resource weights w_C, w_M, w_B, w_D, w_I (PROTOCOL.md 2.1), packed: each in
    // hundredths (0 to 10.23) in 10 bits, w_C in the lowest (PackCzrWeights).
    kCzrWeights = 11,
};

constexpr std::size_t kCzrWeightCount = 5;
uint64_t PackCzrWeights(const std::array<double, kCzrWeightCount>& weights);
std::array<double, kCzrWeightCount> UnpackCzrWeights(uint64_t packed);

// The durations of the procedure (paper 1.2.6.2: seven days each); parameters so a run can
// compress them. Defaults here and only here.
struct GovernanceParams
{
    TimeNs hold = 7LL * 24 * 3600 * kSecond;
    TimeNs testPeriod = 7LL * 24 * 3600 * kSecond;
    TimeNs upgradeWindow = 7LL * 24 * 3600 * kSecond;
};

const char* GovParamName(GovParam p);
// The values a proposal of `p` may set, on chain (T in ns); nullopt for the upgrade and the
// overturn vote, which take any value. CheckGovernanceTx and the scenario checks both read it.
struct GovValueRange
{
    uint64_t min = 0;
    uint64_t max = 0;
};
std::optional<GovValueRange> GovValueBounds(GovParam p);
// The parameter a name (GovParamName's) gives; nullopt for an unknown name.
std::optional<GovParam> GovParamFromName(const std::string& name);

struct ProposalPayload
{
    GovParam param = GovParam::kFeeFloor;
    uint64_t value = 0;
    Hash256 newCzc{}; // the CZC document with the new value written in

    Bytes Encode() const;
    static Result<ProposalPayload> Decode(const Bytes& payload);
};

// Test reports (kGovTestReport) and upgrade signals (kGovUpgradeSignal) name a proposal; a
// report says whether the new rules passed on the test chain.
struct GovTestReportPayload
{
    Hash256 proposal{};
    bool passed = false;

    Bytes Encode() const;
    static Result<GovTestReportPayload> Decode(const Bytes& payload);
};

// A node says it runs the upgrade's new version (signed by the node's key).
struct GovSignalPayload
{
    Hash256 proposal{};

    Bytes Encode() const;
    static Result<GovSignalPayload> Decode(const Bytes& payload);
};

struct GovVotePayload
{
    Hash256 proposal{};
    bool approve = false;

    Bytes Encode() const;
    static Result<GovVotePayload> Decode(const Bytes& payload);
};

// A producer approves freezing `account` (kGovFreeze).
struct GovFreezePayload
{
    Address account{};

    Bytes Encode() const;
    static Result<GovFreezePayload> Decode(const Bytes& payload);
};

// The id of the proposal the sender's transaction with `nonce` makes.
Hash256 ProposalIdFor(const PublicKey& proposer, uint64_t nonce);

enum class ProposalPhase : uint8_t
{
    kOpen = 0,
    kPassed = 1,     // a parameter change, adopted
    kTesting = 2,    // an upgrade past its first hold: CZC switched, test phase
    kSecondVote = 3, // an upgrade whose test passed: votes again
    kWindow = 4,     // nodes upgrade
    kActive = 5,     // producers that never signalled are excluded
    kRejected = 6,   // an upgrade whose test failed
};

struct Proposal
{
    ProposalPayload payload;
    Address subject{};   // kOverturnFreeze: the frozen account
    uint64_t height = 0; // the block that carried it
    ProposalPhase phase = ProposalPhase::kOpen;
    std::optional<TimeNs> aboveSince; // above 3/4 continuously since then
    TimeNs passedAt = 0;
    uint64_t passedHeight = 0;
    PersistentMap<Address, bool> votes; // approve or reject, by voter
    TimeNs phaseEnds = 0;               // kTesting, kWindow: when the phase is over
    uint32_t testsPassed = 0;
    uint32_t testsFailed = 0;
    PersistentMap<PublicKey, uint64_t> upgraded; // node key -> height of its signal
    // kWindow: times the window was extended because too few producers had upgraded.
    uint32_t windowExtensions = 0;
    // The last tally, for traces and tests.
    uint64_t approving = 0;
    uint64_t voting = 0;
};

// One account's freeze (1.2.4).
struct Freeze
{
    PersistentMap<PublicKey, uint64_t> approvals; // producer key -> height of its approval
    bool frozen = false;
    uint64_t frozenHeight = 0;
    TimeNs frozenAt = 0;
    Hash256 overturnVote{}; // the community vote the freeze opened
    uint32_t overturns = 0; // freezes of this account the community lifted
};

using BalanceFn = std::function<uint64_t(const Address&)>;

struct GovernanceBook
{
    PersistentMap<Hash256, Proposal> proposals;
    std::vector<Hash256> open; // ids of open proposals, in the order they were made
    std::optional<Hash256> adoptedCzc;
    std::optional<Hash256> adoptedBy;         // the proposal that switched the CZC hash last
    PersistentMap<uint8_t, uint64_t> adopted; // GovParam -> value

    // The CZC hash transactions must carry: the adopted one, else the chain's schedule's.
    Hash256 ActiveCzc(const Hash256& scheduled) const { return adoptedCzc.value_or(scheduled); }
    std::optional<uint64_t> AdoptedValue(GovParam p) const;
    std::vector<Hash256> activeUpgrades; // upgrades past their window
    PersistentMap<Address, Freeze> freezes;
    // The producer set in force (genesis, then whatever the consensus engine puts in force):
    // who may approve a freeze. Shared, so a copy is O(1).
    std::shared_ptr<const std::vector<PublicKey>> producers;
    void SetProducers(const std::vector<PublicKey>& set)
    {
        producers = std::make_shared<const std::vector<PublicKey>>(set);
    }
    bool IsProducer(const PublicKey& key) const;
    // Why transactions signed by `sender` are refused (a frozen account, or a node excluded by
    // an upgrade); empty if they are not.
    std::string RefusalOf(const PublicKey& sender) const;
    // Commits to everything above (LedgerState::StateRoot).
    Hash256 Root() const;
    // Records a producer's approval of a freeze (checked); freezes at 2/3 of the producers.
    void ApproveFreeze(const Transaction& tx, TimeNs now, uint64_t height);

    // T and N adopted so far, as epochs of consensus rules (null: none).
    RuleEpochs epochs;
    SlotClock Clock(const RuleEpoch& genesisRules) const { return SlotClock(genesisRules, epochs); }

    // Tallies and advances every open proposal at the end of a block at `now`; `genesisRules`
    // are the chain's (ChainParams::GenesisRules), for the epochs T and N changes open.
    // `thresholdOverride` is ChainParams::finalityThresholdOverride (the upgrade stall rule).
    void EndBlock(TimeNs now, uint64_t height, const GovernanceParams& params,
                  const BalanceFn& balanceOf, const RuleEpoch& genesisRules,
                  uint32_t thresholdOverride = 0);
    // Producers of the set in force that signalled upgrade `p`, and how many must have for its
    // exclusion to take effect: the finality threshold of the set (the stall rule above).
    std::size_t UpgradedProducers(const Proposal& p) const;
    uint32_t UpgradeQuorum(uint32_t thresholdOverride) const;
    // Why blocks by `producer` are refused (an active upgrade it never signalled); empty if not.
    std::string ExclusionOf(const PublicKey& producer) const;

  private:
    // One proposal's step; false once it needs no more attention.
    bool Advance(const Hash256& id, Proposal& p, TimeNs now, uint64_t height,
                 const GovernanceParams& params, const RuleEpoch& genesisRules,
                 uint32_t thresholdOverride);
    // The end of an upgrade's window: exclusion if enough producers upgraded, else an extension.
    bool EndWindow(const Hash256& id, Proposal& p, TimeNs now, const GovernanceParams& params,
                   uint32_t thresholdOverride);
    // A passed overturn vote: the account is free again, its approvals void.
    void Lift(const Address& account);
    // A passed change of T or N: a new rule epoch (rule-epochs.h); other parameters: none.
    void OpenEpoch(const ProposalPayload& change, TimeNs now, uint64_t height,
                   const RuleEpoch& genesisRules);
};

bool IsGovernanceTx(TxType type);
Status CheckGovernanceTx(const GovernanceBook& book, const Transaction& tx);
void RecordGovernanceTx(GovernanceBook& book, const Transaction& tx, const TxContext& ctx);

} // namespace canon

#endif
