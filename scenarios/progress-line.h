// ProgressLine: "sim 123.0/600.0 s | wall 12.3 s | 850k events/s | ETA 48 s" on stderr, for
// either engine: in place on a terminal, every tenth of the run otherwise. The engine calls
// Print at intervals of Interval() simulated seconds and once more with last = true.
#ifndef CANONSIM_SCENARIOS_PROGRESS_LINE_H
#define CANONSIM_SCENARIOS_PROGRESS_LINE_H

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>

namespace canon
{

class ProgressLine
{
  public:
    explicit ProgressLine(double durationSeconds)
      : m_duration(durationSeconds)
      , m_tty(isatty(STDERR_FILENO) != 0)
      , m_start(std::chrono::steady_clock::now())
    {
    }

    double Interval() const { return std::max(1.0, m_duration / 100.0); }

    void Print(double sim, uint64_t events, bool last)
    {
        const double wall =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
        const double rate = wall > 0 ? static_cast<double>(events) / wall : 0.0;
        const double eta = sim > 0 ? wall * (m_duration - sim) / sim : 0.0;
        const int tenth = static_cast<int>(10.0 * sim / m_duration);
        if (!m_tty && !last && tenth == m_lastTenth)
        {
            return;
        }
        m_lastTenth = tenth;
        std::fprintf(stderr, "%ssim %.1f/%.1f s | wall %.1f s | %.0fk events/s | ETA %.0f s%s",
                     m_tty ? "\r" : "", sim, m_duration, wall, rate / 1000.0, eta,
                     (m_tty && !last) ? "   " : "\n");
        std::fflush(stderr);
    }

  private:
    double m_duration;
    bool m_tty;
    int m_lastTenth = -1;
    std::chrono::steady_clock::time_point m_start;
};

} // namespace canon

#endif
