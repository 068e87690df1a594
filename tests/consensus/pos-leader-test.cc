// PoS leader election rules (pos-leader.h): the threshold formula against the reference table of
// tests/consensus/reference/pow_checks.out (NOTES.md 3.4), the proof encoding, the parameter
// checks, and the leader frequency of the real signature-based election against
// 1 - (1 - f)^alpha over many slots.
#include "model/consensus/baselines/pos-leader.h"
#include "tests/consensus/pos-test-chain.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

namespace canon
{
namespace
{

TEST(ConsensusPosLeader, ProbabilityMatchesTheReferenceTable)
{
    // pow_checks.out, printed to 6 decimals.
    struct Row
    {
        double f, alpha, phi;
    };
    const Row rows[] = {{0.05, 0.01, 0.000513}, {0.05, 0.1, 0.005116}, {0.05, 0.25, 0.012741},
                        {0.05, 0.5, 0.025321},  {0.05, 1.0, 0.050000}, {0.2, 0.01, 0.002229},
                        {0.2, 0.1, 0.022067},   {0.2, 0.25, 0.054258}, {0.2, 0.5, 0.105573},
                        {0.2, 1.0, 0.200000}};
    for (const Row& r : rows)
    {
        EXPECT_NEAR(LeaderProbability(r.f, r.alpha), r.phi, 5e-7) << r.f << " " << r.alpha;
    }
}

TEST(ConsensusPosLeader, SplittingStakeDoesNotChangeTheChanceOfLeading)
{
    // 1 - phi(a + b) = (1 - phi(a)) (1 - phi(b)): independent aggregation (NOTES.md 3.1).
    for (double a : {0.01, 0.1, 0.3})
    {
        for (double b : {0.02, 0.2, 0.5})
        {
            double joint = 1 - LeaderProbability(0.05, a + b);
            double split = (1 - LeaderProbability(0.05, a)) * (1 - LeaderProbability(0.05, b));
            EXPECT_NEAR(joint, split, 1e-12);
        }
    }
}

TEST(ConsensusPosLeader, ThresholdIsTheProbabilityScaledTo64Bits)
{
    EXPECT_EQ(LeaderThreshold(0.05, 0, 10), 0u);
    EXPECT_EQ(LeaderThreshold(0.05, 10, 0), 0u);
    double all = std::ldexp(static_cast<double>(LeaderThreshold(0.05, 7, 7)), -64);
    EXPECT_NEAR(all, 0.05, 1e-15);
    double tenth = std::ldexp(static_cast<double>(LeaderThreshold(0.2, 1, 10)), -64);
    EXPECT_NEAR(tenth, LeaderProbability(0.2, 0.1), 1e-15);
    // f = 1: every stakeholder with stake leads every slot (up to the 2^-64 of the cap).
    EXPECT_EQ(LeaderThreshold(1.0, 1, 1000), ~uint64_t{0});
    EXPECT_EQ(LeaderThreshold(1.0, 0, 1000), 0u);
    // More stake, higher threshold.
    EXPECT_LT(LeaderThreshold(0.05, 1, 100), LeaderThreshold(0.05, 2, 100));
}

TEST(ConsensusPosLeader, LeaderValueIsTheBigEndianPrefixOfTheOutput)
{
    Hash256 y{};
    for (uint8_t i = 0; i < 32; ++i)
    {
        y[i] = static_cast<uint8_t>(i + 1);
    }
    EXPECT_EQ(LeaderValue(y), 0x0102030405060708ULL);
    EXPECT_TRUE(IsLeaderValue(5, 6));
    EXPECT_FALSE(IsLeaderValue(6, 6));
    EXPECT_FALSE(IsLeaderValue(0, 0));
}

TEST(ConsensusPosLeader, ProofIsDeterministicAndBoundToNonceSlotAndKey)
{
    KeyPair a = KeyPair::FromSeed(Blake2b256(std::string("a")));
    KeyPair b = KeyPair::FromSeed(Blake2b256(std::string("b")));
    Hash256 nonce = Blake2b256(std::string("nonce"));
    Signature p = MakeLeaderProof(a, nonce, 7);
    EXPECT_EQ(p, MakeLeaderProof(a, nonce, 7));
    EXPECT_TRUE(VerifySignature(a.Public(), LeaderMessage(nonce, 7), p));
    EXPECT_FALSE(VerifySignature(b.Public(), LeaderMessage(nonce, 7), p));
    EXPECT_FALSE(VerifySignature(a.Public(), LeaderMessage(nonce, 8), p));
    EXPECT_FALSE(VerifySignature(a.Public(), LeaderMessage(Blake2b256(std::string("x")), 7), p));
    EXPECT_NE(LeaderOutput(p), LeaderOutput(MakeLeaderProof(a, nonce, 8)));
}

TEST(ConsensusPosLeader, ProofOfTheWrongLengthIsAClearError)
{
    for (std::size_t n : {std::size_t{0}, std::size_t{63}, std::size_t{65}, std::size_t{128}})
    {
        Result<Signature> r = ParseLeaderProof(Bytes(n, 1));
        ASSERT_FALSE(r.IsOk());
        EXPECT_NE(r.GetStatus().Message().find("has " + std::to_string(n) + " bytes, expected 64"),
                  std::string::npos)
            << r.GetStatus().Message();
    }
    EXPECT_TRUE(ParseLeaderProof(Bytes(64, 1)).IsOk());
}

TEST(ConsensusPosLeader, BadParametersAreRefusedNamingTheField)
{
    test::PosTestChain chain(test::PosChainConfig{});
    auto expectRefused = [](ChainParams p, const std::string& what)
    {
        Status s = CheckPosParams(p);
        ASSERT_FALSE(s.IsOk()) << what;
        EXPECT_NE(s.Message().find(what), std::string::npos) << s.Message();
    };
    EXPECT_TRUE(CheckPosParams(chain.params).IsOk());
    ChainParams p = chain.params;
    p.consensus.members.clear();
    expectRefused(p, "consensus.members is empty");
    p = chain.params;
    p.consensus.members.push_back(p.consensus.members[1]);
    expectRefused(p, "consensus.members[4] repeats consensus.members[1]");
    for (double f : {0.0, 1.5, -0.1, std::nan("")})
    {
        p = chain.params;
        p.consensus.pos.activeSlotCoefficient = f;
        expectRefused(p, "consensus.pos.activeSlotCoefficient");
    }
    p = chain.params;
    p.consensus.pos.confirmations = 0;
    expectRefused(p, "consensus.pos.confirmations is 0");
    p = chain.params;
    p.consensus.pos.epochSlots = 0;
    expectRefused(p, "consensus.pos.epochSlots is 0");
    p = chain.params;
    p.genesis.clear();
    expectRefused(p, "holds genesis stake");
}

// NOTES.md 3.4: S slots, fixed stake, one epoch (fixed nonce). X_i = slots member i leads,
// counted from its real proof (ed25519 signature, hashed, against the threshold of its stake);
// X_i ~ Binomial(S, phi_i). Y = slots without a leader, E[Y] = S (1 - f) since all stake counts.
// Tolerance: |z| <= 4 for each of the n + 1 statistics (Bonferroni over 6 tests at 4 sigma: a
// correct election fails with probability below 4e-4; the keys and nonce are fixed, so the test
// is deterministic). With S = 20,000 and f = 0.5, replacing phi by the linear f * alpha would
// move X_4 (alpha 0.4) by about 14 standard errors.
TEST(ConsensusPosLeader, LeaderFrequencyMatchesPhiWithinFourSigma)
{
    const uint64_t kSlots = 20000;
    test::PosChainConfig config;
    config.stakes = {5, 10, 15, 30, 40}; // alpha 0.05 ... 0.4
    config.f = 0.5;
    config.epochSlots = kSlots + 1; // one epoch: one nonce, one snapshot
    test::PosTestChain chain(config);
    const std::size_t n = config.stakes.size();
    std::vector<uint64_t> led(n, 0);
    uint64_t empty = 0;
    for (uint64_t slot = 1; slot <= kSlots; ++slot)
    {
        bool any = false;
        for (std::size_t i = 0; i < n; ++i)
        {
            if (chain.engine->NextLeaderSlot(*chain.genesis, chain.keys[i], slot, 1))
            {
                ++led[i];
                any = true;
            }
        }
        empty += any ? 0 : 1;
    }
    const double s = static_cast<double>(kSlots);
    for (std::size_t i = 0; i < n; ++i)
    {
        double phi = LeaderProbability(config.f, static_cast<double>(config.stakes[i]) / 100.0);
        double z = (static_cast<double>(led[i]) - s * phi) / std::sqrt(s * phi * (1 - phi));
        std::printf("member %zu alpha %.2f: led %llu of %llu slots, expected %.1f, z %+.2f\n", i,
                    static_cast<double>(config.stakes[i]) / 100.0,
                    static_cast<unsigned long long>(led[i]),
                    static_cast<unsigned long long>(kSlots), s * phi, z);
        EXPECT_LE(std::fabs(z), 4.0) << "member " << i;
    }
    double z = (static_cast<double>(empty) - s * (1 - config.f)) /
               std::sqrt(s * config.f * (1 - config.f));
    std::printf("empty slots: %llu, expected %.1f, z %+.2f\n",
                static_cast<unsigned long long>(empty), s * (1 - config.f), z);
    EXPECT_LE(std::fabs(z), 4.0);
}

} // namespace
} // namespace canon
