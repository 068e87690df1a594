#include "scenarios/run-stop.h"

#include <csignal>

namespace canon
{

namespace
{

volatile std::sig_atomic_t g_stopSignal = 0;

extern "C" void
OnStopSignal(int signal)
{
    g_stopSignal = signal;
    std::signal(signal == SIGINT ? SIGTERM : SIGINT, SIG_DFL);
    std::signal(signal, SIG_DFL);
}

} // namespace

void
InstallStopSignals()
{
    std::signal(SIGINT, OnStopSignal);
    std::signal(SIGTERM, OnStopSignal);
    // Past a file-size limit a write fails with EFBIG instead of killing the process: the trace
    // writer reports it and the run ends with one error line (the trace stays a .partial).
    std::signal(SIGXFSZ, SIG_IGN);
}

bool
StopRequested()
{
    return g_stopSignal != 0;
}

int
StopSignal()
{
    return static_cast<int>(g_stopSignal);
}

} // namespace canon
