// Every signer of a run follows what CZC governance adopted on its chain (issue 18): the workload's
// wallets and the contracts feature bid at least an adopted fee floor and carry the adopted CZC
// hash (TermsOn, model/node/node.h), so their transactions keep being included after a floor or
// an upgrade; the CZR loop's claims and the governance feature's votes share one nonce counter
// per node key (model/run/nonce-book.h), so a run can have both; and the CZR scores of the
// epochs after governance adopts beta use it.
#include "scenarios/run-scenario.h"
#include "scenarios/scenario-config.h"
#include "tests/repository-scenario.h"
#include "tests/test-run-path.h"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <filesystem>

namespace canon
{
namespace
{

ScenarioConfig
Load(const std::string& file)
{
    return test::LoadRepositoryScenario(file);
}

// The cooperative-job contract on 25 wired nodes, 20 transfers a second beside it, an owner call
// every 5 s, and one proposal at 10 s that governance adopts after a 10 s hold.
ScenarioConfig
ContractsWithProposal(const std::string& param, double value, double seconds)
{
    ScenarioConfig c = Load("contracts-coop.yaml");
    c.engine = EngineKind::kAbstract;
    c.topology.nodes = c.topology.mesh.nodes;
    c.topology.kind = TopologyKind::kRandom;
    c.topology.averageDegree = 3;
    c.durationSeconds = seconds;
    c.seed = 3;
    c.workload.txPerSecond = 20;
    c.contracts.calls.at(0).everyS = 5;
    GovernanceConfig& g = c.governance;
    g.holdSeconds = 10;
    g.testSeconds = 5;
    g.windowSeconds = 5;
    g.proposals = {{10 * kSecond, param, value}};
    g.approveShare = 0.9;
    g.rejectShare = 0;
    g.voteSpreadSeconds = 5;
    g.upgradeMinSeconds = 1;
    g.upgradeMaxSeconds = 3;
    g.neverUpgradeShare = 0;
    return c;
}

// governance-block-size.yaml (40 nodes, 60 transfers a second) with the CZR loop on and one
// proposal at 20 s, adopted after the 20 s hold (about 43 s).
ScenarioConfig
CzrWithProposal(const std::string& param, double value, double seconds)
{
    ScenarioConfig c = Load("governance-block-size.yaml");
    c.czr.enabled = true;
    c.durationSeconds = seconds;
    c.governance.proposals = {{20 * kSecond, param, value}};
    return c;
}

// One proposal at 1 s, votes spread over 2 s, adopted after `holdS` of hold.
void
ProposeAtOneSecond(ScenarioConfig& c, const std::string& param, double value, double holdS)
{
    c.governance.holdSeconds = holdS;
    c.governance.voteSpreadSeconds = 2;
    c.governance.proposals = {{kSecond, param, value}};
}

RunResult
RunSigners(const ScenarioConfig& c, const std::string& name)
{
    RunOptions o;
    o.outPath = TestRunPath(name);
    o.progress = false;
    auto r = RunScenario(c, o);
    EXPECT_TRUE(r.IsOk()) << r.GetStatus().Message();
    std::filesystem::remove(o.outPath);
    return r.IsOk() ? r.Value() : RunResult{};
}

uint64_t
DropsMatching(const RunSummary& s, const std::string& part)
{
    uint64_t n = 0;
    for (const auto& [reason, count] : s.dropsByReason)
    {
        n += reason.find(part) != std::string::npos ? count : 0;
    }
    return n;
}

// Transactions of `t`'s kind in the summary (run-summary.h: every contract type is one kind,
// every governance type another).
uint64_t
Submitted(const RunSummary& s, TxType t)
{
    return s.txSubmittedByKind[TxKindIndex(t)];
}

uint64_t
Irreversible(const RunSummary& s, TxType t)
{
    return s.txIrreversibleByKind[TxKindIndex(t)];
}

// Main's wallets kept bidding below an adopted floor of 500 (bids uniform in 1..1000) and the
// contracts feature kept signing with the genesis CZC hash: transfers fell to a sixth, and every
// contract transaction after adoption was refused as stale.
TEST(Signers, AfterAFeeFloorIsAdoptedTransfersAndContractCallsKeepBeingIncluded)
{
    const RunResult r = RunSigners(ContractsWithProposal("fee-floor", 500, 70), "signers-floor");
    const auto& f = r.summary.features.at("governance");
    EXPECT_EQ(f.at("in_force"), 1);
    EXPECT_GT(f.at("switch_s"), 20);
    EXPECT_GT(f.at("transfers_per_s_after"), 0.8 * f.at("transfers_per_s_before"))
        << "transfers bid at least the floor";
    EXPECT_GT(f.at("contract_txs_per_s_after"), 0.2) << "owner calls every 5 s";
    const RunSummary& s = r.summary;
    const uint64_t contract = Submitted(s, TxType::kContractCall);
    EXPECT_GT(contract, 30U) << "deploy, registrations, joins, events, calls";
    EXPECT_GE(Irreversible(s, TxType::kContractCall) + 2, contract)
        << "all but those of the last seconds are final";
    EXPECT_EQ(DropsMatching(s, "below the floor"), 0U);
    EXPECT_EQ(DropsMatching(s, "nonce"), 0U);
}

// A CZC upgrade (its first vote passes at about 22 s: the new hash acts from the next block) with
// the contracts feature on: its transactions after the switch carry the new hash and are included.
TEST(Signers, AfterACzcUpgradeContractTransactionsCarryTheNewHashAndAreIncluded)
{
    const RunResult r = RunSigners(ContractsWithProposal("upgrade", 2, 70), "signers-upgrade");
    const auto& f = r.summary.features.at("governance");
    EXPECT_GT(f.at("switch_s"), 20);
    EXPECT_GT(f.at("contract_txs_per_s_after"), 0.2);
    const RunSummary& s = r.summary;
    const uint64_t contract = Submitted(s, TxType::kContractCall);
    EXPECT_GE(Irreversible(s, TxType::kContractCall) + 2, contract);
    EXPECT_LT(DropsMatching(s, "stale CZC"), s.txSubmitted / 100)
        << "at most the transactions in flight at the switch";
}

// Node keys sign CZR claims every epoch (21 s) and, in one run, the votes on three proposals
// (20, 40 and 61 s, votes within 3 s of each reaching the chain) and the proposals (node 0): one
// nonce counter per key means none is refused for its nonce (main's separate counters had 11
// such refusals in this run).
TEST(Signers, ClaimsAndVotesOfOneNodeKeyShareItsNonces)
{
    ScenarioConfig c = CzrWithProposal("czr-beta", 3000000, 100);
    c.governance.proposals.push_back({40 * kSecond, "czr-gamma", 980000});
    c.governance.proposals.push_back({61 * kSecond, "block-size-max", 2000000});
    c.governance.voteSpreadSeconds = 3;
    const RunResult r = RunSigners(c, "signers-claims-votes");
    const RunSummary& s = r.summary;
    EXPECT_EQ(r.summary.features.at("governance").at("passed"), 3);
    EXPECT_EQ(DropsMatching(s, "nonce"), 0U);
    EXPECT_EQ(Submitted(s, TxType::kContributionClaim), 160U) << "40 nodes, 4 epochs";
    // The summary's kinds (run-summary.h): the governance kind is the proposals and the votes.
    const uint64_t governance = Submitted(s, TxType::kGovVote);
    EXPECT_GE(governance, 100U);
    EXPECT_GE(Irreversible(s, TxType::kGovVote) + 2, governance)
        << "all but those of the last seconds are final";
}

// Fee auctions (first price, valuations uniform in 1..1000) under an adopted floor of 500: a
// bidder whose valuation is below the floor abstains and takes no nonce, the rest bid at least
// the floor, so about half the transfers go on and none is refused. Main's bidders kept bidding
// below the floor (1,128 refused in this run) and throughput fell to 3.6 tx/s.
TEST(Signers, UnderAnAdoptedFloorBiddersValuingLessAbstainAndTheRestAreIncluded)
{
    ScenarioConfig c = CzrWithProposal("fee-floor", 500, 80);
    c.fees.active = true;
    c.fees.mechanism = FeeMechanism::kFirstPrice;
    const RunResult r = RunSigners(c, "signers-auction");
    const auto& f = r.summary.features.at("governance");
    EXPECT_EQ(f.at("in_force"), 1);
    EXPECT_EQ(DropsMatching(r.summary, "below the floor"), 0U);
    EXPECT_EQ(DropsMatching(r.summary, "nonce"), 0U);
    EXPECT_GT(f.at("transfers_per_s_after"), 0.35 * f.at("transfers_per_s_before"));
    EXPECT_LT(f.at("transfers_per_s_after"), 0.65 * f.at("transfers_per_s_before"))
        << "valuations below 500 abstain";
}

// A producer's evidence transactions carry the CZC hash of the chain they go into: after a
// proposal passes (czr-gamma at about 13 s: hold 5 s) an equivocator from 20 s is slashed. Main
// signed evidence with the schedule's hash: the ledger refused it as stale, and no key was slashed.
TEST(Signers, AfterAnAdoptionEquivocationEvidenceStillSlashes)
{
    ScenarioConfig c = CzrWithProposal("czr-gamma", 980000, 60);
    c.governance.proposals.at(0).at = 5 * kSecond;
    c.governance.holdSeconds = 5;
    AdversarySpec a;
    a.kind = AdversaryKind::kEquivocator;
    a.producer = 3;
    a.from = 20 * kSecond;
    c.adversaries = {a};
    const RunResult r = RunSigners(c, "signers-evidence");
    EXPECT_LT(r.summary.features.at("governance").at("switch_s"), 20);
    EXPECT_EQ(r.summary.slashedKeys, 1U);
}

// Data owners (model/run/data-feature.h) sign by their node's terms too: a proposal passes
// between the grants (4 s) and the revocations (15 s), and every owner transaction lands (those
// in flight at the switch are signed again with the new CZC hash). Main's owners signed with the
// genesis hash: their revocations were refused as stale and resent until the end.
TEST(Signers, DataOwnersTransactionsLandAfterANewCzcHash)
{
    ScenarioConfig c = Load("small.yaml");
    c.engine = EngineKind::kAbstract;
    c.durationSeconds = 45; // the revocations final
    c.czr.enabled = false;
    c.workload.txPerSecond = 2;
    c.data.active = true;
    c.data.grantAtSeconds = 4;
    c.data.revokeAtSeconds = 15;
    ProposeAtOneSecond(c, "czr-gamma", 980000, 3);
    const RunResult r = RunSigners(c, "signers-data");
    const double switchS = r.summary.features.at("governance").at("switch_s");
    EXPECT_GT(switchS, 4);
    EXPECT_LT(switchS, 15);
    const double owner = r.summary.features.at("data").at("owner_txs");
    EXPECT_GT(owner, 4) << "registrations, grants and revocations";
    EXPECT_EQ(static_cast<double>(Irreversible(r.summary, TxType::kDataRegister)), owner);
}

// Payment channels (model/run/channels-feature.h) under a fee floor of 500 adopted at about 8 s,
// above the scenario's tx_fee of 10: the closes after it bid the floor and carry the new CZC
// hash, so channels still close and settle on chain. Main's parties bid tx_fee and signed with
// the schedule's hash: nothing after the adoption was taken.
TEST(Signers, ChannelTransactionsAfterAnAdoptedFloorBidItAndClose)
{
    ScenarioConfig c = Load("channels/wired-channels.yaml");
    c.durationSeconds = 70;
    c.channels.stayMinSeconds = 20;
    c.channels.stayMaxSeconds = 40;
    ProposeAtOneSecond(c, "fee-floor", 500, 5);
    const RunResult r = RunSigners(c, "signers-channels");
    EXPECT_LT(r.summary.features.at("governance").at("switch_s"), 15);
    const auto& f = r.summary.features.at("channels");
    EXPECT_GT(f.at("channels_opened"), 10);
    EXPECT_GT(f.at("channels_closed"), 10) << "closes from 20 s, after the adoption";
    EXPECT_EQ(DropsMatching(r.summary, "below the floor"), 0U);
}

struct ScoreRow
{
    double time;
    double resource;
    double betweenness;
    double total;
};

// The czr_scores rows of a trace: time, resource, betweenness, total (total = resource *
// (1 + beta * betweenness), model/czr/contribution.h).
std::vector<ScoreRow>
ReadScores(const std::string& path)
{
    std::vector<ScoreRow> rows;
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    EXPECT_GE(file, 0) << path;
    const hid_t ds = H5Dopen2(file, "czr_scores", H5P_DEFAULT);
    const hid_t space = H5Dget_space(ds);
    rows.resize(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
    const hid_t mem = H5Tcreate(H5T_COMPOUND, sizeof(ScoreRow));
    H5Tinsert(mem, "time", offsetof(ScoreRow, time), H5T_NATIVE_DOUBLE);
    H5Tinsert(mem, "resource", offsetof(ScoreRow, resource), H5T_NATIVE_DOUBLE);
    H5Tinsert(mem, "betweenness", offsetof(ScoreRow, betweenness), H5T_NATIVE_DOUBLE);
    H5Tinsert(mem, "total", offsetof(ScoreRow, total), H5T_NATIVE_DOUBLE);
    if (!rows.empty())
    {
        EXPECT_GE(H5Dread(ds, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data()), 0);
    }
    H5Tclose(mem);
    H5Sclose(space);
    H5Dclose(ds);
    H5Fclose(file);
    return rows;
}

// Governance adopts beta = 3 (the scenario's is 1) at about 43 s, with the CZR loop on: epochs
// (21 s) that end before the adoption score with beta 1, those that end after it with beta 3.
TEST(Signers, CzrScoresFollowABetaAdoptedByGovernanceFromTheNextEpoch)
{
    const std::string path = TestRunPath("signers-beta");
    RunOptions o;
    o.outPath = path;
    o.progress = false;
    auto r = RunScenario(CzrWithProposal("czr-beta", 3000000, 90), o);
    ASSERT_TRUE(r.IsOk()) << r.GetStatus().Message();
    const auto& f = r.Value().summary.features.at("governance");
    ASSERT_EQ(f.at("in_force"), 1);
    const double adopted = f.at("switch_s");
    std::size_t before = 0, after = 0;
    for (const ScoreRow& row : ReadScores(path))
    {
        if (row.resource <= 0 || row.betweenness < 0.01)
        {
            continue; // beta shows only where the topology term does
        }
        const double beta = (row.total / row.resource - 1) / row.betweenness;
        if (row.time < adopted)
        {
            EXPECT_NEAR(beta, 1.0, 1e-6) << "epoch ending at " << row.time << " s";
            ++before;
        }
        else if (row.time > adopted + 2)
        {
            EXPECT_NEAR(beta, 3.0, 1e-6) << "epoch ending at " << row.time << " s";
            ++after;
        }
    }
    EXPECT_GT(before, 5U);
    EXPECT_GT(after, 5U);
    std::filesystem::remove(path);
}

} // namespace
} // namespace canon
