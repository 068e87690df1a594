// Slow peers on the ns-3 transport (issue 19): the attack and its defence, as the connection
// (peer-connection.h) applies them. TCP flow control is what makes the attack real: a node that
// does not read leaves its receive buffer full, its advertised window falls to zero, and its
// peer's bytes wait in the peer's socket and send queue.
//
//   - SlowRead (the attack, on the attacker's connections): inside its window [from, until)
//     (until zero: to the end of the run) the node reads at most bytesPerSecond bytes a second
//     from each connection, in one read a second (0: it never reads); outside it, or with a
//     negative rate (everyone but the attacker), it reads whatever arrives.
//   - DrainWatch (the defence, on every connection of a node that has it): a connection on which
//     bytes that were waiting for the peer `timeout` ago (unacknowledged in the socket, or in the
//     send queue) are still not all taken, while the peer acknowledged under minBytesPerSecond
//     since, is reset (not closed politely: a polite close waits
//     for the unsent data, which such a peer never takes) and made again through the usual
//     reconnect backoff. The check runs on the stall watchdog's tick (every timeout / 2), so a
//     slow peer is caught between timeout and 1.5 * timeout after it stops reading. An honest
//     peer on a working link drains kilobytes in milliseconds; minBytesPerSecond says what the
//     node is willing to wait for.
//
// Plain values and a small state machine per connection; no ns-3 events of its own. Time is
// ns-3's simulated time. Deterministic.
#ifndef CANONSIM_NS3_SLOW_PEER_H
#define CANONSIM_NS3_SLOW_PEER_H

#include "ns3/nstime.h"

#include <cstdint>

namespace canon
{

struct SlowRead
{
    double bytesPerSecond = -1; // < 0: reads as data comes
    ns3::Time from;
    ns3::Time until; // zero: no end

    bool Active(ns3::Time now) const
    {
        return bytesPerSecond >= 0 && now >= from && (until.IsZero() || now < until);
    }
};

struct DrainWatchSpec
{
    ns3::Time timeout; // zero: off
    double minBytesPerSecond = 1024;

    bool Enabled() const { return timeout.IsStrictlyPositive(); }
};

class DrainWatch
{
  public:
    // Starts a new connection (nothing waited yet).
    void Reset() { *this = DrainWatch(); }

    // One watchdog tick. `acked`: every byte of this connection the peer has acknowledged so
    // far; `backlogEnd`: what `acked` will be once everything waiting now (unacknowledged in the
    // socket, or in the send queue) is taken. True when the peer is too slow: bytes that waited
    // at the start of the window (at least `timeout` ago) are still not all taken, and the peer
    // took under minBytesPerSecond since. A peer that keeps up starts a new window at every
    // tick, however little it has to take.
    bool TooSlow(ns3::Time now, uint64_t acked, uint64_t backlogEnd, const DrainWatchSpec& spec)
    {
        if (acked >= m_mark || now - m_since < spec.timeout)
        {
            if (acked >= m_mark)
            {
                Restart(now, acked, backlogEnd);
            }
            return false;
        }
        const double taken = static_cast<double>(acked - m_ackedSince);
        if (taken < spec.minBytesPerSecond * (now - m_since).GetSeconds())
        {
            return true;
        }
        Restart(now, acked, backlogEnd); // slow but moving: a new window
        return false;
    }

  private:
    void Restart(ns3::Time now, uint64_t acked, uint64_t backlogEnd)
    {
        m_since = now;
        m_ackedSince = acked;
        m_mark = backlogEnd;
    }

    ns3::Time m_since;         // the window's start
    uint64_t m_ackedSince = 0; // `acked` then
    uint64_t m_mark = 0;       // `backlogEnd` then
};

} // namespace canon

#endif
