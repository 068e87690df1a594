// The slow-peer defence's watch (model/ns3/slow-peer.h) tick by tick, and the attack's window.
#include "model/ns3/slow-peer.h"

#include <gtest/gtest.h>

namespace canon
{
namespace
{

using ns3::Seconds;

const DrainWatchSpec kSpec{Seconds(10), 1024};

TEST(DrainWatch, APeerThatTakesNothingWhileBytesWaitIsTooSlowAfterTheTimeout)
{
    DrainWatch w;
    EXPECT_FALSE(w.TooSlow(Seconds(0), 1000, 5000, kSpec)); // 4000 bytes waiting
    EXPECT_FALSE(w.TooSlow(Seconds(5), 1000, 9000, kSpec));
    EXPECT_FALSE(w.TooSlow(Seconds(9.9), 1100, 9000, kSpec)); // not a whole timeout yet
    EXPECT_TRUE(w.TooSlow(Seconds(10), 1100, 9000, kSpec));   // 100 bytes in 10 s
}

TEST(DrainWatch, APeerThatKeepsUpIsNeverTooSlowHoweverLittleItTakes)
{
    DrainWatch w;
    uint64_t acked = 0;
    for (int t = 0; t < 100; t += 5)
    {
        // 10 bytes a tick, all of what waited: under the rate, but it catches up every time.
        EXPECT_FALSE(w.TooSlow(Seconds(t), acked, acked + 10, kSpec)) << t;
        acked += 10;
    }
}

TEST(DrainWatch, ASlowButMovingPeerStartsANewWindow)
{
    DrainWatch w;
    EXPECT_FALSE(w.TooSlow(Seconds(0), 0, 1000000, kSpec));       // a large sync answer waits
    EXPECT_FALSE(w.TooSlow(Seconds(10), 200000, 1000000, kSpec)); // 20 KB/s: fine
    EXPECT_FALSE(w.TooSlow(Seconds(15), 210000, 1000000, kSpec)); // new window from 10 s
    EXPECT_TRUE(w.TooSlow(Seconds(20), 210000, 1000000, kSpec));  // then it stopped
    w.Reset();
    EXPECT_FALSE(w.TooSlow(Seconds(20), 0, 1000000, kSpec)) << "a new connection starts afresh";
}

TEST(SlowRead, ActiveInItsWindowOnlyAndNeverWithANegativeRate)
{
    const SlowRead r{0, Seconds(10), Seconds(20)};
    EXPECT_FALSE(r.Active(Seconds(9.9)));
    EXPECT_TRUE(r.Active(Seconds(10)));
    EXPECT_FALSE(r.Active(Seconds(20)));
    EXPECT_TRUE((SlowRead{1, Seconds(0), Seconds(0)}.Active(Seconds(1e6)))) << "no end";
    EXPECT_FALSE(SlowRead{}.Active(Seconds(5)));
}

} // namespace
} // namespace canon
