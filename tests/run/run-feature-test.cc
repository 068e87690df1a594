// The feature seam (model/run/run-feature.h, model/node/node-service.h) on both engines: a run
// feature's services get the messages of the types they own and every new best tip, its local
// work at a node sends through the engine like the node's own, its figures reach the summary,
// and both engines carry the same pings over the same peers.
#include "model/node/node-service.h"
#include "model/run/run-feature.h"
#include "scenarios/run-scenario.h"
#include "scenarios/scenario-config.h"
#include "tests/test-run-path.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace canon
{
namespace
{

// A type no protocol message uses.
constexpr auto kPing = static_cast<MessageType>(200);

struct PingCounts
{
    uint64_t pings = 0;
    uint64_t tips = 0;
    uint64_t peersPinged = 0;
};

class PingService : public NodeService
{
  public:
    explicit PingService(PingCounts& counts)
      : m_counts(counts)
    {
    }
    bool Owns(MessageType type) const override { return type == kPing; }
    void OnMessage(const ServiceContext&, const MessageInput& in, Actions&) override
    {
        m_counts.pings += in.bytes->size() == 3 && (*in.bytes)[2] == 0x7f ? 1u : 0u;
    }
    void OnBestTip(const ServiceContext&, Actions&) override { ++m_counts.tips; }

  private:
    PingCounts& m_counts;
};

class PingFeature : public RunFeature
{
  public:
    std::string Name() const override { return "ping"; }
    void ConfigureNode(uint32_t, NodeConfig& config) const override
    {
        config.services.push_back(std::make_shared<PingService>(m_counts));
    }
    void Attach(const FeatureContext& ctx) override
    {
        RunHost& host = ctx.host;
        host.At(5 * kSecond,
                [this, &host]
                {
                    host.AtNode(0,
                                [this](const ServiceContext& c, Actions& out)
                                {
                                    Bytes b = MessageEnvelope(kPing);
                                    b.push_back(0x7f);
                                    for (PeerId p : c.peers)
                                    {
                                        out.sends.push_back({p, kPing, ShareBytes(b), false});
                                    }
                                    m_counts.peersPinged = c.peers.size();
                                });
                });
    }
    std::map<std::string, double> Figures() const override
    {
        return {{"pings", static_cast<double>(m_counts.pings)},
                {"peers_pinged", static_cast<double>(m_counts.peersPinged)},
                {"tips", static_cast<double>(m_counts.tips)}};
    }

  private:
    mutable PingCounts m_counts;
};

RunSummary
RunWithPing(EngineKind engine)
{
    auto loaded = LoadScenario(std::string(CANONSIM_SOURCE_DIR) + "/scenarios/small.yaml");
    EXPECT_TRUE(loaded.IsOk()) << loaded.GetStatus().Message();
    ScenarioConfig c = loaded.Value();
    c.engine = engine;
    c.durationSeconds = 10;
    RunOptions o;
    o.outPath = TestRunPath(std::string(Name(engine)));
    o.progress = false;
    o.features.push_back(std::make_shared<PingFeature>());
    auto r = RunScenario(c, o);
    EXPECT_TRUE(r.IsOk()) << r.GetStatus().Message();
    std::filesystem::remove(o.outPath);
    return r.IsOk() ? r.Value().summary : RunSummary{};
}

TEST(RunFeature, ServicesGetOwnedMessagesAndTipsOnBothEngines)
{
    const RunSummary abstract = RunWithPing(EngineKind::kAbstract);
    const RunSummary ns3 = RunWithPing(EngineKind::kNs3);
    for (const RunSummary* s : {&abstract, &ns3})
    {
        ASSERT_EQ(s->features.count("ping"), 1u);
        const auto& f = s->features.at("ping");
        EXPECT_GT(f.at("peers_pinged"), 0.0);
        EXPECT_EQ(f.at("pings"), f.at("peers_pinged")); // each peer got it once, none dropped
        EXPECT_GT(f.at("tips"), 30.0 * 5);              // 30 nodes, several blocks each
        EXPECT_TRUE(s->Safe());
    }
    EXPECT_EQ(abstract.features.at("ping").at("pings"), ns3.features.at("ping").at("pings"));
}

} // namespace
} // namespace canon
