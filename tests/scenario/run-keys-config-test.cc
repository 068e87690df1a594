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
         "over-claimer, selfish-miner; got 'liar'"},
        {"  - {producer: 1}\n", "5: adversaries[0].kind: required"},
        {"  - {kind: selfish-miner, producer: 1}\n",
         "5: adversaries[0].kind: selfish-miner mines under proof of work only; "
         "consensus.protocol is pop"},
        {"  - {kind: equivocator}\n", "5: adversaries[0].producer: required"},
        {"  - {kind: equivocator, producer: 1, colour: red}\n",
         "5: adversaries[0].colour: unknown key (known: kind, producer, from_s, until_s, "
         "censored_accounts, overclaim_factor)"},
        {"  - equivocator\n",
         "5: adversaries[0]: expected a mapping {kind, producer, from_s, until_s, "
         "censored_accounts, overclaim_factor}, got 'equivocator'"},
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
