// Scenario-file tests for the keys both engines share (model/run/scenario-config.h): engine,
// adversaries, and fault times converted once to integer nanoseconds. Bad values give
// "file:line: key: what".
#include "scenarios/scenario-config.h"
#include "tests/scenario/scenario-file.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

using test::Loaded;

Loaded
Load(const std::string& text)
{
    return test::LoadText("run-keys-config-test", text);
}

// The message after "<path>:" of a load that must fail.
std::string
ErrorOf(const Loaded& loaded)
{
    EXPECT_FALSE(loaded.result.IsOk());
    const std::string& message = loaded.result.GetStatus().Message();
    EXPECT_EQ(message.rfind(loaded.path + ":", 0), 0u) << message;
    return message.substr(std::min(message.size(), loaded.path.size() + 1));
}

TEST(RunKeysConfig, EngineDefaultsToNs3AndReadsAbstract)
{
    auto loaded = Load("{}\n");
    ASSERT_TRUE(loaded.result.IsOk()) << loaded.result.GetStatus().Message();
    EXPECT_EQ(loaded.result.Value().engine, EngineKind::kNs3);
    loaded = Load("engine: abstract\n");
    ASSERT_TRUE(loaded.result.IsOk()) << loaded.result.GetStatus().Message();
    EXPECT_EQ(loaded.result.Value().engine, EngineKind::kAbstract);
    loaded = Load("engine: ns3\ntopology: {kind: bridge}\nconsensus: {producers: 7}\n");
    ASSERT_TRUE(loaded.result.IsOk()) << loaded.result.GetStatus().Message();
    EXPECT_EQ(loaded.result.Value().engine, EngineKind::kNs3);
}

TEST(RunKeysConfig, UnknownEngineListsTheChoices)
{
    auto loaded = Load("name: x\nengine: omnet\n");
    EXPECT_EQ(loaded.result.GetStatus().Code(), StatusCode::kInvalid);
    EXPECT_EQ(ErrorOf(loaded), "2: engine: must be one of ns3, abstract; got 'omnet'");
    loaded = Load("engine: [ns3]\n");
    EXPECT_EQ(loaded.result.GetStatus().Code(), StatusCode::kMalformed);
    EXPECT_EQ(ErrorOf(loaded), "1: engine: expected a string, got a list");
}

TEST(RunKeysConfig, AbstractEngineRefusesRadioTopologiesNamingTheKey)
{
    auto loaded = Load("engine: abstract\ntopology:\n  kind: mesh\nconsensus: {producers: 5}\n");
    EXPECT_EQ(ErrorOf(loaded), "1: engine: abstract does not model radio (topology.kind mesh); "
                               "use engine: ns3");
    loaded = Load("topology:\n  kind: vehicular\nconsensus: {producers: 5}\nengine: abstract\n");
    EXPECT_EQ(ErrorOf(loaded), "4: engine: abstract does not model radio (topology.kind "
                               "vehicular); use engine: ns3");
    // Set in code (after overrides), the error names the key without a file.
    ScenarioConfig config;
    config.engine = EngineKind::kAbstract;
    config.topology.kind = TopologyKind::kMesh;
    config.consensus.producers = 5;
    EXPECT_EQ(ValidateScenario(config).Message(),
              "engine: abstract does not model radio (topology.kind mesh); use engine: ns3");
}

TEST(RunKeysConfig, AdversariesReadIntoSpecsWithTimesInNanoseconds)
{
    auto loaded =
        Load("workload: {accounts: 10}\n"
             "adversaries:\n"
             "  - {kind: equivocator, producer: 3}\n"
             "  - kind: withholder\n"
             "    producer: 4\n"
             "    from_s: 1.5\n"
             "    until_s: 20\n"
             "  - {kind: invalid-blocks, producer: 5, from_s: 10}\n"
             "  - {kind: censor, producer: 6, censored_accounts: [1, 9]}\n"
             "  - {kind: over-claimer, producer: 0, overclaim_factor: 2.5, until_s: 30}\n");
    ASSERT_TRUE(loaded.result.IsOk()) << loaded.result.GetStatus().Message();
    const std::vector<AdversarySpec>& a = loaded.result.Value().adversaries;
    ASSERT_EQ(a.size(), 5u);
    EXPECT_EQ(a[0].kind, AdversaryKind::kEquivocator);
    EXPECT_EQ(a[0].producer, 3u);
    EXPECT_EQ(a[0].from, 0);
    EXPECT_EQ(a[0].until, 0);
    EXPECT_EQ(a[1].kind, AdversaryKind::kWithholder);
    EXPECT_EQ(a[1].from, 1500 * kMillisecond);
    EXPECT_EQ(a[1].until, 20 * kSecond);
    EXPECT_EQ(a[2].kind, AdversaryKind::kInvalidBlocks);
    EXPECT_EQ(a[2].from, 10 * kSecond);
    EXPECT_EQ(a[3].kind, AdversaryKind::kCensor);
    EXPECT_EQ(a[3].censoredAccounts, (std::vector<uint32_t>{1, 9}));
    EXPECT_EQ(a[4].kind, AdversaryKind::kOverClaimer);
    EXPECT_EQ(a[4].producer, 0u);
    EXPECT_EQ(a[4].overclaimFactor, 2.5);
    EXPECT_EQ(a[4].until, 30 * kSecond);
    // Without the key, no adversaries.
    auto none = Load("{}\n");
    ASSERT_TRUE(none.result.IsOk());
    EXPECT_TRUE(none.result.Value().adversaries.empty());
}

TEST(RunKeysConfig, NetworkAttackersAndDefencesRead)
{
    auto loaded = Load("engine: abstract\n"
                       "adversaries:\n"
                       "  - {kind: tx-spam, node: 12, variant: bad-signature, rate_per_s: 200}\n"
                       "  - {kind: eclipse, node: 14, victim: 3, variant: private-branch}\n"
                       "defences: {scores: true, ban_s: 30, messages_per_s: 50, "
                       "signatures_per_s: 100, outbound_peers: 2}\n");
    ASSERT_TRUE(loaded.result.IsOk()) << loaded.result.GetStatus().Message();
    const ScenarioConfig& c = loaded.result.Value();
    ASSERT_EQ(c.adversaries.size(), 2u);
    EXPECT_EQ(c.adversaries[0].kind, AdversaryKind::kTxSpam);
    EXPECT_EQ(c.adversaries[0].node, 12u);
    EXPECT_EQ(c.adversaries[0].producer, kNotPlaced);
    EXPECT_EQ(c.adversaries[0].variant, AttackVariant::kBadSignature);
    EXPECT_EQ(c.adversaries[0].rate, 200.0);
    EXPECT_EQ(c.adversaries[1].victim, 3u);
    EXPECT_EQ(c.adversaries[1].variant, AttackVariant::kPrivateBranch);
    EXPECT_TRUE(c.defences.scores);
    EXPECT_EQ(c.defences.banSeconds, 30.0);
    EXPECT_EQ(c.defences.messagesPerSecond, 50.0);
    EXPECT_EQ(c.defences.signaturesPerSecond, 100.0);
    EXPECT_EQ(c.defences.outboundPeers, 2u);
    EXPECT_EQ(c.defences.banScore, 100.0); // not written: the default

    EXPECT_EQ(ErrorOf(Load("defences: {ban_s: 0}\n")),
              "1: defences.ban_s: must be greater than 0, got 0");
    EXPECT_EQ(ErrorOf(Load("defences:\n  messages_per_s: -1\n")),
              "2: defences.messages_per_s: must not be negative, got -1");
    // The slow peer and the defences that belong to one engine (issue 19).
    EXPECT_EQ(ErrorOf(Load("engine: abstract\nadversaries:\n  - {kind: slow-peer, node: 3}\n")),
              "3: adversaries[0].kind: a slow peer needs engine ns3 (the abstract engine has no "
              "TCP flow control nor send queues to fill)");
    EXPECT_EQ(ErrorOf(Load("adversaries:\n  - {kind: slow-peer, node: 3, read_bytes_per_s: -1}\n")),
              "2: adversaries[0].read_bytes_per_s: must not be negative, got -1");
    EXPECT_EQ(ErrorOf(Load("defences: {replace_banned: true}\n")),
              "1: defences.replace_banned: run-time peer changes are an abstract-engine defence "
              "(engine is ns3)");
    EXPECT_EQ(ErrorOf(Load("engine: abstract\ndefences: {drain_s: 10}\n")),
              "2: defences.drain_s: the drain watch is an ns-3 defence (the abstract engine has no "
              "send queues)");
    EXPECT_EQ(ErrorOf(Load("engine: abstract\nnode: {tcp_del_ack_count: 4}\n")),
              "2: node.tcp_del_ack_count: TCP's delayed acknowledgements are an ns-3 setting (the "
              "abstract engine has no TCP)");
    EXPECT_TRUE(Load("engine: abstract\nnode: {tcp_del_ack_count: 2}\n").result.IsOk())
        << "the default is no setting";
    auto slow = Load("adversaries:\n  - {kind: slow-peer, node: 3, read_bytes_per_s: 1}\n"
                     "defences: {drain_s: 5, drain_bytes_per_s: 100}\n");
    ASSERT_TRUE(slow.result.IsOk()) << slow.result.GetStatus().Message();
    EXPECT_EQ(slow.result.Value().adversaries[0].readBytesPerSecond, 1.0);
    EXPECT_EQ(slow.result.Value().defences.drainSeconds, 5.0);
}

TEST(RunKeysConfig, EachBadAdversaryNamesItsKeyAndLine)
{
    struct Case
    {
        std::string text;
        std::string error; // after "<path>:"
    };
    const std::string head = "duration_s: 100\nconsensus: {producers: 7, offline_producers: [6]}\n"
                             "workload: {accounts: 10}\nadversaries:\n";
    const Case cases[] = {
        {"  - {kind: liar, producer: 1}\n",
         "5: adversaries[0].kind: must be one of equivocator, withholder, invalid-blocks, censor, "
         "over-claimer, selfish-miner, tx-spam, flood, eclipse, jammer, slow-peer; got 'liar'"},
        {"  - {producer: 1}\n", "5: adversaries[0].kind: required"},
        {"  - {kind: selfish-miner, producer: 1}\n",
         "5: adversaries[0].kind: selfish-miner mines under proof of work only; "
         "consensus.protocol is pop"},
        {"  - {kind: equivocator}\n",
         "5: adversaries[0].producer: kind equivocator runs on a genesis producer: give "
         "`producer`, not `node`"},
        {"  - {kind: equivocator, producer: 1, colour: red}\n",
         "5: adversaries[0].colour: unknown key (known: kind, producer, node, from_s, until_s, "
         "censored_accounts, overclaim_factor, variant, rate_per_s, victim, centre_m, radius_m, "
         "loss, read_bytes_per_s)"},
        {"  - equivocator\n",
         "5: adversaries[0]: expected a mapping {kind, producer, node, from_s, until_s, "
         "censored_accounts, overclaim_factor, variant, rate_per_s, victim, centre_m, radius_m, "
         "loss, read_bytes_per_s}, got 'equivocator'"},
        {"  - {kind: jammer, centre_m: [0, 0], radius_m: 50}\n",
         "5: adversaries[0].kind: a jammer needs a radio topology (mesh, vehicular) on engine ns3"},
        {"  - {kind: jammer, node: 2, radius_m: 50}\n",
         "5: adversaries[0].node: a jammer runs on no node: give centre_m and radius_m"},
        // Network attackers (issue 19).
        {"  - {kind: flood, producer: 1}\n",
         "5: adversaries[0].node: kind flood runs on a node: give `node`, not `producer`"},
        {"  - {kind: equivocator, node: 1}\n",
         "5: adversaries[0].producer: kind equivocator runs on a genesis producer: give "
         "`producer`, not `node`"},
        {"  - {kind: flood, node: 1, variant: valid}\n",
         "5: adversaries[0].variant: kind flood has no variant valid"},
        {"  - {kind: tx-spam, node: 1, rate_per_s: 0}\n",
         "5: adversaries[0].rate_per_s: must be greater than 0, got 0"},
        {"  - {kind: tx-spam, node: 50}\n",
         "5: adversaries[0].node: must be a node index below topology.nodes (50), got 50"},
        {"  - {kind: tx-spam, node: 1, variant: bad-signature}\n  - {kind: flood, node: 1, "
         "variant: malformed}\n",
         "6: adversaries[1].node: node 1 already hosts adversaries[0]"},
        {"  - {kind: eclipse, node: 1, variant: withhold}\n",
         "5: adversaries[0].victim: an eclipse needs the index of its victim node"},
        {"  - {kind: eclipse, node: 1, variant: withhold, victim: 2}\n",
         "5: adversaries[0].kind: an eclipse runs on the abstract engine only"},
        {"  - {kind: eclipse, node: 1, variant: withhold, victim: 2}\n  - {kind: flood, node: 2, "
         "variant: duplicate}\n",
         "5: adversaries[0].victim: node 2 is an attacker itself"},
        {"  - {kind: equivocator, producer: 7}\n",
         "5: adversaries[0].producer: must be a producer index below consensus.producers (7), got "
         "7"},
        {"  - {kind: equivocator, producer: 2}\n  - {kind: censor, producer: 2, "
         "censored_accounts: [0]}\n",
         "6: adversaries[1].producer: producer 2 already hosts adversaries[0]"},
        {"  - {kind: equivocator, producer: 6}\n",
         "5: adversaries[0].producer: producer 6 is offline (consensus.offline_producers) and "
         "never produces"},
        {"  - {kind: equivocator, producer: 1, from_s: 10, until_s: 5}\n",
         "5: adversaries[0].until_s: must be 0 (to the end of the run) or after from_s (10), got "
         "5"},
        {"  - {kind: equivocator, producer: 1, from_s: 100}\n",
         "5: adversaries[0].from_s: must be at least 0 and less than duration_s (100), got 100"},
        {"  - {kind: equivocator, producer: 1, from_s: -1}\n",
         "5: adversaries[0].from_s: must be at least 0 and less than duration_s (100), got -1"},
        {"  - {kind: withholder, producer: 1, from_s: 10}\n",
         "5: adversaries[0].until_s: a withholder releases its chain at until_s, which must be "
         "after from_s (10), got 0"},
        {"  - {kind: equivocator, producer: 1, censored_accounts: [1]}\n",
         "5: adversaries[0].censored_accounts: only a censor censors; kind is equivocator"},
        {"  - {kind: censor, producer: 1}\n",
         "5: adversaries[0].censored_accounts: a censor must name at least one account"},
        {"  - kind: censor\n    producer: 1\n    censored_accounts:\n      - 3\n      - 10\n",
         "9: adversaries[0].censored_accounts[1]: must be an account index below "
         "workload.accounts (10), got 10"},
        {"  - {kind: over-claimer, producer: 1, overclaim_factor: 0.5}\n",
         "5: adversaries[0].overclaim_factor: must be at least 1, got 0.5"},
        {"  - {kind: equivocator, producer: 1, until_s: soon}\n",
         "5: adversaries[0].until_s: expected a number, got 'soon'"},
        {"  {kind: equivocator, producer: 1}\n", "4: adversaries: expected a list, got a mapping"},
    };
    for (const Case& c : cases)
    {
        auto loaded = Load(head + c.text);
        EXPECT_EQ(ErrorOf(loaded), c.error) << c.text;
    }
}

TEST(RunKeysConfig, FaultTimesAreConvertedToNanosecondsOnce)
{
    auto loaded = Load("duration_s: 100\nfaults:\n"
                       "  crashes:\n    - {node: 1, at_s: 0.1, restart_s: 12.000000001}\n"
                       "  bursts:\n    - {at_s: 50, until_s: 55.25, loss: 0, delay_ms: 0.5}\n");
    ASSERT_TRUE(loaded.result.IsOk()) << loaded.result.GetStatus().Message();
    const FaultPlan& f = loaded.result.Value().faults;
    ASSERT_EQ(f.crashes.size(), 1u);
    EXPECT_EQ(f.crashes[0].at, 100 * kMillisecond);
    EXPECT_EQ(f.crashes[0].restartAt, 12 * kSecond + 1);
    ASSERT_EQ(f.bursts.size(), 1u);
    EXPECT_EQ(f.bursts[0].start, 50 * kSecond);
    EXPECT_EQ(f.bursts[0].end, 55250 * kMillisecond);
    EXPECT_EQ(f.bursts[0].extraDelay, 500 * kMicrosecond);
}

TEST(RunKeysConfig, FaultTimeBeyondTheNanosecondClockIsAnError)
{
    auto loaded = Load("faults:\n  crashes:\n    - {node: 1, at_s: 1e300}\n");
    EXPECT_EQ(loaded.result.GetStatus().Code(), StatusCode::kMalformed);
    EXPECT_EQ(ErrorOf(loaded),
              "3: faults.crashes[0].at_s: must be between -9.2e+09 and 9.2e+09, got 1e300");
    loaded = Load("faults:\n  bursts:\n    - {at_s: 1, until_s: 2, delay_ms: -1e20}\n");
    EXPECT_EQ(ErrorOf(loaded),
              "3: faults.bursts[0].delay_ms: must be between -9.2e+12 and 9.2e+12, got -1e20");
}

} // namespace
} // namespace canon
